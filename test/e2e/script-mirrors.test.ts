import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_3, KAFKA_4, eventually, freePorts, json, kafkaClient, repoRoot, sandbox, type Sandbox } from './helpers.js'

async function brokerIds(bootstrap: string): Promise<number[]> {
  const admin = kafkaClient(bootstrap).admin()
  await admin.connect()
  try {
    return (await admin.describeCluster()).brokers.map((b) => b.nodeId)
  } finally {
    await admin.disconnect()
  }
}

/** zookeeper-server-start / kafka-server-start / *-stop behave like Kafka's scripts, with the same arguments. */
describe('script mirrors', () => {
  let box: Sandbox
  let dir: string
  before(() => {
    box = sandbox()
    dir = mkdtempSync(join(tmpdir(), 'kafkit-scripts-'))
  })
  after(async () => box.cleanup())

  it(`zookeeper-server-start --daemon + kafka-server-start --daemon --override (Kafka ${KAFKA_3}), then the -stop scripts`, async () => {
    const port = await freePorts(2)
    const zkPort = port + 1
    writeFileSync(join(dir, 'zookeeper.properties'), `dataDir=${dir}/zk\nclientPort=${zkPort}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n`)
    writeFileSync(join(dir, 'server.properties'), [
      'broker.id=0', `listeners=PLAINTEXT://127.0.0.1:${port}`, `zookeeper.connect=127.0.0.1:${zkPort}`,
      'offsets.topic.replication.factor=1', `log.dirs=${dir}/ignored`,
    ].join('\n'))
    const zk = await box.kafkit(['zookeeper-server-start', '--daemon', join(dir, 'zookeeper.properties'), '--version', KAFKA_3, '--json'])
    assert.equal(zk.code, 0, zk.stderr)
    assert.ok(json(zk).pid > 0)
    const kafka = await box.kafkit(['kafka-server-start', '--daemon', join(dir, 'server.properties'), '--override', 'broker.id=7',
      '--override', `log.dirs=${dir}/kafka-data`, '--version', KAFKA_3])
    assert.equal(kafka.code, 0, kafka.stderr)
    assert.match(kafka.stdout, /Kafka server started in the background: pid \d+, log .*kafkaServer\.out/)
    assert.deepEqual(await eventually(async () => brokerIds(`127.0.0.1:${port}`), 60_000, 'broker 7'), [7])
    assert.ok(existsSync(join(dir, 'kafka-data', 'meta.properties')), '--override log.dirs was applied')

    const stopKafka = await box.kafkit(['kafka-server-stop', '--node-id', '7', '--json'])
    assert.equal(stopKafka.code, 0, stopKafka.stderr)
    assert.equal(json(stopKafka).stopped.length, 1)
    const stopZk = await box.kafkit(['zookeeper-server-stop'])
    assert.equal(stopZk.code, 0, stopZk.stderr)
    const none = await box.kafkit(['kafka-server-stop', '--node-id', '7'])
    assert.equal(none.code, 1)
    assert.match(none.stderr, /No kafka server to stop/)
  })

  it(`kafka-server-start in the foreground (Kafka ${KAFKA_4}) formats KRaft storage and stops on SIGTERM`, async () => {
    const port = await freePorts(2)
    writeFileSync(join(dir, 'kraft.properties'), [
      'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${port + 1}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`, 'controller.listener.names=CONTROLLER',
      'offsets.topic.replication.factor=1', 'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1',
      `log.dirs=${dir}/kraft-data`,
    ].join('\n'))
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'kafka-server-start', join(dir, 'kraft.properties'), '--version', KAFKA_4],
      { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    try {
      assert.deepEqual(await eventually(async () => brokerIds(`127.0.0.1:${port}`), 90_000, 'foreground broker'), [1])
      assert.match(output, /Formatting KRaft storage .* with new cluster id/)
      assert.match(output, /Kafka Server started|started \(kafka\.server/, 'the broker log goes to the terminal like the script')
    } finally {
      child.kill('SIGTERM')
    }
    assert.equal(await exited, 0)
  })
})
