import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync, mkdtempSync, symlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_4, freePorts, json, runtimeArgs, sandbox, type Sandbox } from './helpers.js'

/** Error paths through the built CLI: each with its one-line message and documented exit code. */
describe('error cases', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it('a port already in use is named with its role and holder (exit 1)', async () => {
    const port = await freePorts(1)
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    try {
      const result = await box.kafkit([
        'up',
        '--stack',
        'busy',
        ...runtimeArgs(),
        '--port',
        String(port),
        '--controller-port',
        String(await freePorts(1)),
      ])
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        new RegExp(`Port ${port} \\(Kafka listener of kafka-1\\) is already in use by node \\(pid ${process.pid}\\)`),
      )
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace without --debug')
    } finally {
      server.close()
    }
  })

  it('an unknown runtime is a usage error (exit 2)', async () => {
    const result = await box.kafkit(['up', '--runtime', 'podman'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Unknown runtime "podman": expected one of auto, docker, homebrew, dist, embedded/)
  })

  it('an unknown version is a usage error (exit 2)', async () => {
    const result = await box.kafkit(['up', '--stack', 'v', '--runtime', 'dist', '--version', 'banana'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Unknown Kafka version "banana"/)
  })

  it('a version that is not installed, with --no-install, is a missing prerequisite (exit 3)', async () => {
    const result = await box.kafkit([
      'up',
      '--stack',
      'v',
      '--runtime',
      'dist',
      '--version',
      '3.8.1',
      '--no-install',
      '--json',
    ])
    assert.equal(result.code, 3)
    const error = json(result).error
    assert.equal(error.code, 'KAFKA_NOT_INSTALLED')
    assert.deepEqual(error.suggestions, ['kafkit install kafka --version 3.8.1'])
  })

  it('ZooKeeper mode on Kafka 4 is refused naming the version (exit 2)', async () => {
    const result = await box.kafkit([
      'up',
      '--stack',
      'z',
      '--runtime',
      'dist',
      '--mode',
      'zookeeper',
      '--version',
      KAFKA_4,
    ])
    assert.equal(result.code, 2)
    assert.match(result.stderr, new RegExp(`Kafka ${KAFKA_4.replace(/\./g, '\\.')} .* has no ZooKeeper mode`))
  })

  it('no Java on PATH is a missing prerequisite (exit 3)', async () => {
    // A PATH with node only: kafkit runs, java cannot be found.
    const bin = mkdtempSync(join(tmpdir(), 'kafkit-nojava-'))
    symlinkSync(process.execPath, join(bin, 'node'))
    const result = await box.kafkit(['up', '--stack', 'nojava', '--runtime', 'dist'], {
      env: { PATH: bin, JAVA_HOME: '' },
    })
    assert.equal(result.code, 3)
    assert.match(result.stderr, /Java not found/)
  })

  it('purge without --force and without a terminal refuses (exit 2)', async () => {
    const port = await freePorts(1)
    const up = await box.kafkit([
      'up',
      '--stack',
      'p',
      ...runtimeArgs(),
      '--port',
      String(port),
      '--controller-port',
      String(await freePorts(1)),
    ])
    assert.equal(up.code, 0, up.stderr)
    const result = await box.kafkit(['purge', '--stack', 'p'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /Refusing to delete stack "p" without confirmation: no terminal/)
    assert.equal(
      json(await box.kafkit(['status', '--stack', 'p', '--json'])).running,
      true,
      'nothing was deleted or stopped',
    )
  })

  it('a stale pid (process gone, or reused by another process) is detected and cleaned', async () => {
    assert.equal((await box.kafkit(['down', '--stack', 'p'])).code, 0)
    // A live process that is not Kafka stands in for a reused pid.
    const impostor = spawn('sleep', ['60'], { stdio: 'ignore' })
    try {
      const statePath = join(box.home, 'stacks', 'p', 'state.json')
      const state = JSON.parse(readFileSync(statePath, 'utf8'))
      state.nodes[0].pid = impostor.pid
      writeFileSync(statePath, JSON.stringify(state))
      const status = await box.kafkit(['status', '--stack', 'p', '--json'])
      assert.equal(status.code, 0, status.stderr)
      assert.match(status.stderr, new RegExp(`Stale pid ${impostor.pid} for kafka-1`))
      assert.equal(json(status).nodes[0].alive, false)
      assert.equal(
        JSON.parse(readFileSync(statePath, 'utf8')).nodes[0].pid,
        undefined,
        'the stale pid was removed from the state',
      )
      assert.equal(impostor.exitCode, null, 'the impostor process was not touched')
    } finally {
      impostor.kill()
    }
  })

  it('up timing out shows the log tail and stops what it started (exit 1)', async () => {
    const port = await freePorts(1)
    const result = await box.kafkit([
      'up',
      '--stack',
      'slow',
      '--runtime',
      'dist',
      '--port',
      String(port),
      '--controller-port',
      String(await freePorts(1)),
      // Shorter than any JVM start (a warm stack with class-data sharing is ready in under 2 s).
      '--timeout',
      '300ms',
    ])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /did not become ready within 0\.3s/)
    assert.match(result.stderr, /Last lines of .*kafka-1\.log/)
    assert.match(result.stderr, /\[kafkit\] .* starting kafka-1/)
    const status = json(await box.kafkit(['status', '--stack', 'slow', '--json']))
    assert.equal(status.running, false, 'the half-started process was stopped')
  })

  it('an unknown flag is a usage error (exit 2) and --json errors are JSON', async () => {
    const result = await box.kafkit(['status', '--bogus', '--json'])
    assert.equal(result.code, 2)
    assert.equal(json(result).error.exitCode, 2)
  })
})
