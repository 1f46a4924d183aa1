import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_3, KAFKA_4, distHome, freePorts, json, kcatConsume, produce, sandbox, type Sandbox } from './helpers.js'

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
  before(() => { box = sandbox() })
  after(async () => box.cleanup())

  it(`auto picks Homebrew's kafka ${KAFKA_4} when HOMEBREW_PREFIX has the formula, and it runs`, async () => {
    const prefix = fakeHomebrewPrefix(KAFKA_4)
    const port = await freePorts(1)
    const result = await box.kafkit(['up', '--stack', 'brew', '--port', String(port), '--controller-port', String(await freePorts(1)), '--json'], { env: { HOMEBREW_PREFIX: prefix } })
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Runtime: homebrew \(Homebrew kafka .* at .*\); skipped docker/)
    const up = json(result)
    assert.equal(up.runtime, 'homebrew')
    assert.equal(up.kafkaVersion, KAFKA_4)
    await produce(up.bootstrapServers, 'brewed', ['hello'])
    assert.deepEqual(await kcatConsume(up.bootstrapServers, 'brewed'), ['hello'])
    assert.equal((await box.kafkit(['purge', '--stack', 'brew', '--force'], { env: { HOMEBREW_PREFIX: prefix } })).code, 0)
  })

  it(`ZooKeeper mode with a 3.x formula (${KAFKA_3}) runs ZooKeeper from the formula's libs`, async () => {
    const prefix = fakeHomebrewPrefix(KAFKA_3)
    const port = await freePorts(2)
    const result = await box.kafkit(['up', '--stack', 'brewzk', '--runtime', 'homebrew', '--mode', 'zookeeper', '--port', String(port), '--zookeeper-port', String(port + 1), '--json'], { env: { HOMEBREW_PREFIX: prefix } })
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(json(result).nodes.map((n: { name: string }) => n.name), ['zookeeper', 'broker-1'])
    assert.equal((await box.kafkit(['purge', '--stack', 'brewzk', '--force'], { env: { HOMEBREW_PREFIX: prefix } })).code, 0)
  })

  it('ZooKeeper mode with a 4.x formula is refused with the version named (exit 2)', async () => {
    const prefix = fakeHomebrewPrefix(KAFKA_4)
    const result = await box.kafkit(['up', '--stack', 'nozk', '--runtime', 'homebrew', '--mode', 'zookeeper'], { env: { HOMEBREW_PREFIX: prefix } })
    assert.equal(result.code, 2)
    assert.match(result.stderr, /has no ZooKeeper mode/)
  })

  it('an explicit homebrew runtime without Homebrew exits 3 with the fix', async () => {
    const result = await box.kafkit(['up', '--stack', 'nobrew', '--runtime', 'homebrew'], { env: { HOMEBREW_PREFIX: '', PATH: `/usr/bin:/bin:${join(process.execPath, '..')}` } })
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
    assert.equal(doctor.checks.find((c: { check: string }) => c.check === 'java').ok, true)
    assert.equal(doctor.usableRuntime, 'dist')
  })
})

describe('CLI surface', () => {
  let box: Sandbox
  before(() => { box = sandbox() })
  after(async () => box.cleanup())

  it('--version is answered', async () => {
    const result = await box.kafkit(['--version'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /^kafkit\/\d+\.\d+\.\d+ /)
  })

  it('repeatable flags take one value each, like the scripts (a topic after --property is still the topic)', async () => {
    const result = await box.kafkit(['console-consumer', '--property', 'print.key=true', 'orders', '--bootstrap-server', '127.0.0.1:1'])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /Cannot reach Kafka at 127\.0\.0\.1:1 \(--bootstrap-server\)/)
  })

  it('--help lists the commands, and every command has working --help', async () => {
    const help = await box.kafkit(['--help'])
    assert.equal(help.code, 0, help.stderr)
    const commands = ['up', 'down', 'restart', 'status', 'logs', 'purge', 'doctor', 'broker stop', 'broker start', 'install kafka',
      'kafka-server-start', 'kafka-server-stop', 'zookeeper-server-start', 'zookeeper-server-stop']
    for (const command of commands) {
      const result = await box.kafkit([...command.split(' '), '--help'])
      assert.equal(result.code, 0, `${command} --help: ${result.stderr}`)
      assert.match(result.stdout, /USAGE/, command)
      assert.match(result.stdout, /EXAMPLES/, `${command} has examples`)
    }
  })
})
