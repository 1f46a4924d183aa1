import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  freePorts,
  json,
  kcatConsume,
  produce,
  repoRoot,
  sandbox,
  type Sandbox,
} from './helpers.js'

/**
 * There is no Homebrew here, so the runtime runs against a fake prefix laid out like the formula
 * (opt/kafka/libexec/libs, bin/ scripts without .sh, etc/kafka) whose jars are a real Kafka distribution.
 */
function fakeHomebrewPrefix(version: string): string {
  const prefix = mkdtempSync(join(tmpdir(), 'kafkit-brew-'))
  const libexec = join(prefix, 'Cellar', 'kafka', version, 'libexec')
  mkdirSync(libexec, { recursive: true })
  symlinkSync(join(distHome(version), 'libs'), join(libexec, 'libs'))
  mkdirSync(join(prefix, 'opt'), { recursive: true })
  symlinkSync(join(prefix, 'Cellar', 'kafka', version), join(prefix, 'opt', 'kafka'))
  mkdirSync(join(prefix, 'bin'))
  for (const script of ['kafka-server-start', 'kafka-topics', 'kafka-console-consumer']) {
    writeFileSync(join(prefix, 'bin', script), `#!/bin/bash\nexec "${libexec}/bin/${script}.sh" "$@"\n`)
    chmodSync(join(prefix, 'bin', script), 0o755)
  }
  mkdirSync(join(prefix, 'etc', 'kafka'), { recursive: true })
  writeFileSync(join(prefix, 'etc', 'kafka', 'server.properties'), 'process.roles=broker,controller\n')
  return prefix
}

describe('homebrew runtime (fake prefix, real Kafka jars)', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it(`auto picks Homebrew's kafka ${KAFKA_4} when HOMEBREW_PREFIX has the formula, and it runs`, async () => {
    const prefix = fakeHomebrewPrefix(KAFKA_4)
    const port = await freePorts(1)
    const result = await box.kafkit(
      ['up', '--stack', 'brew', '--port', String(port), '--controller-port', String(await freePorts(1)), '--json'],
      { env: { HOMEBREW_PREFIX: prefix } },
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Runtime: homebrew \(Homebrew kafka .* at .*\); skipped docker/)
    const up = json(result)
    assert.equal(up.runtime, 'homebrew')
    assert.equal(up.kafkaVersion, KAFKA_4)
    await produce(up.bootstrapServers, 'brewed', ['hello'])
    assert.deepEqual(await kcatConsume(up.bootstrapServers, 'brewed'), ['hello'])
    assert.equal(
      (await box.kafkit(['purge', '--stack', 'brew', '--force'], { env: { HOMEBREW_PREFIX: prefix } })).code,
      0,
    )
  })

  it(`ZooKeeper mode with a 3.x formula (${KAFKA_3}) runs ZooKeeper from the formula's libs`, async () => {
    const prefix = fakeHomebrewPrefix(KAFKA_3)
    const port = await freePorts(2)
    const result = await box.kafkit(
      [
        'up',
        '--stack',
        'brewzk',
        '--runtime',
        'homebrew',
        '--mode',
        'zookeeper',
        '--port',
        String(port),
        '--zookeeper-port',
        String(port + 1),
        '--json',
      ],
      { env: { HOMEBREW_PREFIX: prefix } },
    )
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(
      json(result).nodes.map((n: { name: string }) => n.name),
      ['zookeeper', 'broker-1'],
    )
    assert.equal(
      (await box.kafkit(['purge', '--stack', 'brewzk', '--force'], { env: { HOMEBREW_PREFIX: prefix } })).code,
      0,
    )
  })

  it('ZooKeeper mode with a 4.x formula is refused with the version named (exit 2)', async () => {
    const prefix = fakeHomebrewPrefix(KAFKA_4)
    const result = await box.kafkit(['up', '--stack', 'nozk', '--runtime', 'homebrew', '--mode', 'zookeeper'], {
      env: { HOMEBREW_PREFIX: prefix },
    })
    assert.equal(result.code, 2)
    assert.match(result.stderr, /has no ZooKeeper mode/)
  })

  it('an explicit homebrew runtime without Homebrew exits 3 with the fix', async () => {
    const result = await box.kafkit(['up', '--stack', 'nobrew', '--runtime', 'homebrew'], {
      env: { HOMEBREW_PREFIX: '', PATH: `/usr/bin:/bin:${join(process.execPath, '..')}` },
    })
    assert.equal(result.code, 3)
    assert.match(result.stderr, /The homebrew runtime is not usable: Homebrew not found/)
    assert.match(result.stderr, /brew\.sh/)
  })

  it('doctor lists every runtime with its status and why', async () => {
    const result = await box.kafkit(['doctor', '--json'], { env: { HOMEBREW_PREFIX: '' } })
    assert.equal(result.code, 0, result.stderr)
    const doctor = json(result)
    const byName = Object.fromEntries(doctor.runtimes.map((r: { runtime: string }) => [r.runtime, r]))
    assert.deepEqual(Object.keys(byName), ['docker', 'homebrew', 'dist', 'embedded'])
    assert.equal(byName.dist.usable, true)
    assert.equal(byName.homebrew.usable, false)
    assert.equal(byName.embedded.usable, true, 'the embedded broker needs only Node')
    assert.equal(doctor.checks.find((c: { check: string }) => c.check === 'java').ok, true)
    assert.equal(doctor.usableRuntime, 'dist')
  })
})

describe('CLI surface', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it('--version is answered', async () => {
    const result = await box.kafkit(['--version'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /^kafkit\/\d+\.\d+\.\d+ /)
  })

  it('repeatable flags take one value each, like the scripts (a topic after --property is still the topic)', async () => {
    const result = await box.kafkit([
      'console-consumer',
      '--property',
      'print.key=true',
      'orders',
      '--bootstrap-server',
      '127.0.0.1:1',
    ])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /Cannot reach Kafka at 127\.0\.0\.1:1 \(--bootstrap-server\)/)
  })

  it('--help lists every command of the manifest, and every command has working --help with examples', async () => {
    // Driven by oclif.manifest.json (written by `npm run build`), so a new command is covered without editing this test.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { id: string; hidden?: boolean }>
    }
    const commands = Object.values(manifest.commands)
      .filter((c) => !c.hidden)
      .map((c) => c.id.split(':').join(' '))
    assert.ok(commands.length >= 20, `manifest commands: ${commands.join(', ')}`)
    const help = await box.kafkit(['--help'])
    assert.equal(help.code, 0, help.stderr)
    // Top-level commands under COMMANDS, commands of a topic (broker stop) under TOPICS by their topic.
    const listed = new Set(
      help.stdout
        .split('\n')
        .filter((l) => /^ {2}\S/.test(l))
        .map((l) => l.trim().split(/\s+/)[0]!),
    )
    for (const command of commands) assert.ok(listed.has(command.split(' ')[0]!), `${command} in the root help`)
    for (const command of commands) {
      const result = await box.kafkit([...command.split(' '), '--help'])
      assert.equal(result.code, 0, `${command} --help: ${result.stderr}`)
      // `help --help` is the root help, like `help` itself.
      if (command === 'help') {
        assert.equal(result.stdout, help.stdout)
        continue
      }
      assert.match(result.stdout, /USAGE/, command)
      assert.match(result.stdout, /EXAMPLES/, `${command} has examples`)
    }
  })
})
