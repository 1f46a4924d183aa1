import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  ON_EMBEDDED,
  freePorts,
  json,
  kcatConsume,
  needsRealKafka,
  produce,
  runtimeArgs,
  sandbox,
  type Sandbox,
} from './helpers.js'

/**
 * The foundation's life cycle, for each supported shape, through the built CLI:
 * up → round trip with independent clients → status → down → up (data kept) → purge (nothing left).
 */
const variants = [
  { name: `Kafka ${KAFKA_3} ZooKeeper`, version: KAFKA_3, mode: 'zookeeper' },
  { name: `Kafka ${KAFKA_3} KRaft`, version: KAFKA_3, mode: 'kraft' },
  { name: `Kafka ${KAFKA_4} KRaft`, version: KAFKA_4, mode: 'kraft' },
] as const

for (const variant of variants) {
  const real =
    variant.version === KAFKA_4
      ? {}
      : needsRealKafka(`Kafka ${variant.version} (the embedded broker speaks ${KAFKA_4})`)
  describe(`stack life cycle: ${variant.name}`, real, () => {
    let box: Sandbox
    let port: number
    let bootstrap: string
    let clusterId: string
    const stackArgs = () => ['--stack', 'life']

    before(async () => {
      box = sandbox()
      port = await freePorts(2)
    })
    after(async () => box.cleanup())

    it('up starts the stack and reports it ready', async () => {
      const zkPort = port + 1
      const result = await box.kafkit([
        'up',
        ...stackArgs(),
        ...runtimeArgs(variant.version, variant.mode),
        '--port',
        String(port),
        '--controller-port',
        String(zkPort),
        '--zookeeper-port',
        String(zkPort),
        '--json',
      ])
      assert.equal(result.code, 0, result.stderr)
      const up = json(result)
      assert.equal(up.kafkaVersion, variant.version)
      assert.equal(up.mode, variant.mode)
      assert.equal(up.alreadyRunning, false)
      assert.equal(up.bootstrapServers, `127.0.0.1:${port}`)
      assert.ok(up.nodes.every((n: { alive: boolean }) => n.alive))
      assert.equal(up.nodes.length, variant.mode === 'zookeeper' ? 2 : 1)
      bootstrap = up.bootstrapServers
    })

    it('a second up says it is already running and succeeds', async () => {
      const result = await box.kafkit(['up', ...stackArgs(), '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json(result).alreadyRunning, true)
      assert.match(result.stderr, /already running/)
    })

    it('round-trips records between independent clients (kafkajs → kcat)', async () => {
      await produce(bootstrap, 'orders', ['one', 'two', 'three'])
      assert.deepEqual(await kcatConsume(bootstrap, 'orders'), ['one', 'two', 'three'])
    })

    it('status --json shows the processes and the cluster id', async () => {
      const result = await box.kafkit(['status', ...stackArgs(), '--json'])
      assert.equal(result.code, 0, result.stderr)
      const status = json(result)
      assert.equal(status.running, true)
      assert.ok(
        status.nodes.every(
          (n: { alive: boolean; pid: number; uptimeMs: number }) => n.alive && n.pid > 0 && n.uptimeMs >= 0,
        ),
      )
      assert.match(status.cluster.clusterId, /^[A-Za-z0-9_-]{22}$/)
      assert.deepEqual(
        status.cluster.brokers.map((b: { nodeId: number }) => b.nodeId),
        [1],
      )
      clusterId = status.cluster.clusterId
      const text = await box.kafkit(['status', ...stackArgs()])
      assert.match(text.stdout, /running/)
      assert.match(text.stdout, new RegExp(`Cluster id: ${clusterId}`))
    })

    it('down stops every process and keeps the data', async () => {
      const result = await box.kafkit(['down', ...stackArgs(), '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.ok(json(result).processes.every((p: { result: string }) => p.result === 'stopped'))
      const status = json(await box.kafkit(['status', ...stackArgs(), '--json']))
      assert.equal(status.running, false)
      assert.equal(status.cluster, null)
    })

    it('up again brings back the same cluster with the earlier records', async () => {
      const result = await box.kafkit(['up', ...stackArgs(), '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json(result).clusterId, clusterId)
      assert.deepEqual(await kcatConsume(bootstrap, 'orders'), ['one', 'two', 'three'])
    })

    it('logs shows the broker log', async () => {
      const result = await box.kafkit(['logs', ...stackArgs(), '-n', '400'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(
        result.stdout,
        /started \(kafka\.server\.|Kafka Server started|\[KafkaServer id=1\] started|\[KafkaRaftServer nodeId=1\] Kafka Server started/,
      )
    })

    it('purge --force stops it and leaves nothing behind', async () => {
      const result = await box.kafkit(['purge', ...stackArgs(), '--force', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(existsSync(join(box.home, 'stacks', 'life')), false)
      const status = await box.kafkit(['status', ...stackArgs()])
      assert.equal(status.code, 1)
      assert.match(status.stderr, /There is no stack "life"/)
    })
  })
}

describe('KRaft on the default version', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it(`without --version runs ${KAFKA_4} in KRaft mode`, async () => {
    const port = await freePorts(1)
    const result = await box.kafkit([
      'up',
      '--stack',
      'd',
      '--runtime',
      ON_EMBEDDED ? 'embedded' : 'dist',
      '--port',
      String(port),
      '--controller-port',
      String(await freePorts(1)),
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const up = json(result)
    assert.equal(up.mode, 'kraft')
    assert.equal(up.kafkaVersion, KAFKA_4)
    assert.equal((await box.kafkit(['down', '--stack', 'd'])).code, 0)
  })
})
