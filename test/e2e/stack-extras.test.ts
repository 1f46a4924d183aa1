import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  eventually,
  freePorts,
  json,
  kcatConsume,
  needsRealKafka,
  produce,
  repoRoot,
  runtimeArgs,
  sandbox,
  type Sandbox,
} from './helpers.js'

/** More of the foundation: self-install on first up, Java too old, a known broken state explained, logs -f, restart. */
describe('stack extras', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it(
    'up with nothing installed installs Kafka itself (Apache first, then Maven) and starts it',
    needsRealKafka(`a Kafka ${KAFKA_3} ZooKeeper stack, installed by up`),
    async () => {
      const emptyCache = mkdtempSync(join(tmpdir(), 'kafkit-empty-cache-'))
      try {
        const port = await freePorts(2)
        // The Apache mirror is a closed local port, so the download fails fast and Maven takes over.
        const result = await box.kafkit(
          [
            'up',
            '--stack',
            'selfinstall',
            '--runtime',
            'dist',
            '--mode',
            'zookeeper',
            '--port',
            String(port),
            '--zookeeper-port',
            String(port + 1),
            '--json',
          ],
          {
            env: { KAFKIT_CACHE: emptyCache, KAFKIT_APACHE_MIRROR: `http://127.0.0.1:${await freePorts(1)}` },
            timeoutMs: 600_000,
          },
        )
        assert.equal(result.code, 0, result.stderr)
        assert.match(
          result.stderr,
          new RegExp(`Kafka ${KAFKA_3.replace(/\./g, '\\.')} is not installed yet: installing it`),
        )
        assert.match(result.stderr, /Maven/)
        assert.equal(json(result).kafkaVersion, KAFKA_3)
        const list = await box.kafkit(['install', 'kafka', '--list', '--json'], { env: { KAFKIT_CACHE: emptyCache } })
        assert.equal(list.code, 0, list.stderr)
        assert.ok(JSON.stringify(json(list)).includes(KAFKA_3))
        assert.equal(
          (await box.kafkit(['purge', '--stack', 'selfinstall', '--force'], { env: { KAFKIT_CACHE: emptyCache } }))
            .code,
          0,
        )
      } finally {
        rmSync(emptyCache, { recursive: true, force: true })
      }
    },
  )

  it('a too old Java is refused with the version found (exit 3)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'kafkit-oldjava-'))
    writeFileSync(join(bin, 'java'), '#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n')
    chmodSync(join(bin, 'java'), 0o755)
    const result = await box.kafkit(['up', '--stack', 'oldjava', '--runtime', 'dist'], {
      env: { PATH: `${bin}:${process.env.PATH}`, JAVA_HOME: '' },
    })
    assert.equal(result.code, 3)
    assert.match(result.stderr, /Java 1\.8\.0_392 .* too old/)
  })

  it(
    'a cluster id mismatch after a partial wipe is explained with the fix (exit 1)',
    needsRealKafka('a ZooKeeper stack'),
    async () => {
      const port = await freePorts(2)
      const up = await box.kafkit([
        'up',
        '--stack',
        'wiped',
        '--runtime',
        'dist',
        '--mode',
        'zookeeper',
        '--version',
        KAFKA_3,
        '--port',
        String(port),
        '--zookeeper-port',
        String(port + 1),
      ])
      assert.equal(up.code, 0, up.stderr)
      assert.equal((await box.kafkit(['down', '--stack', 'wiped'])).code, 0)
      // Wiping ZooKeeper but not the broker's data gives the broker a different cluster id than its meta.properties.
      rmSync(join(box.home, 'stacks', 'wiped', 'data', 'zookeeper'), { recursive: true, force: true })
      const again = await box.kafkit(['up', '--stack', 'wiped', '--timeout', '60s'])
      assert.equal(again.code, 1)
      assert.match(again.stderr, /different cluster id/)
      const fix = /(kafkit purge --force --stack wiped), then kafkit up --stack wiped/.exec(again.stderr)
      assert.ok(fix, again.stderr)
      assert.equal(
        json(await box.kafkit(['status', '--stack', 'wiped', '--json'])).running,
        false,
        'the failed start was cleaned up',
      )
      // The fix runs as printed (its `up` would start the stack on the default ports, so only the purge is run here).
      const purge = await box.kafkit(fix[1]!.split(' ').slice(1))
      assert.equal(purge.code, 0, purge.stderr)
      assert.ok(!existsSync(join(box.home, 'stacks', 'wiped')), 'purged')
    },
  )

  it('logs -f follows a process log until interrupted; restart keeps the data', async () => {
    const port = await freePorts(1)
    const up = await box.kafkit([
      'up',
      '--stack',
      'follow',
      ...runtimeArgs(),
      '--port',
      String(port),
      '--controller-port',
      String(await freePorts(1)),
      '--json',
    ])
    assert.equal(up.code, 0, up.stderr)
    const bootstrap = json(up).bootstrapServers
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'logs', 'kafka-1', '-f', '-n', '1', '--stack', 'follow'],
      { env: box.env },
    )
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
    await eventually(async () => output.length > 0, 20_000, 'first line')
    appendFileSync(join(box.home, 'stacks', 'follow', 'logs', 'kafka-1.log'), 'a line appended by the test\n')
    await eventually(async () => output.includes('a line appended by the test'), 20_000, 'followed line')
    child.kill('SIGINT')
    assert.equal(await closed, 0)

    await produce(bootstrap, 'kept', ['x'])
    const restart = await box.kafkit(['restart', '--stack', 'follow', '--json'])
    assert.equal(restart.code, 0, restart.stderr)
    assert.equal(json(restart).alreadyRunning, false)
    assert.deepEqual(await kcatConsume(bootstrap, 'kept'), ['x'])
    assert.equal((await box.kafkit(['logs', 'nope', '--stack', 'follow'])).code, 2)
  })
})
