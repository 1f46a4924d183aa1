import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  eventually,
  freePorts,
  json,
  kafkaClient,
  kcatConsume,
  produce,
  sandbox,
  type Run,
  type Sandbox,
} from './helpers.js'

/** `up --brokers 3`: replication, leader failover and ISR recovery on a real three-broker KRaft cluster. */
describe(`multi-broker stack (Kafka ${KAFKA_4}, 1 controller + 3 brokers)`, () => {
  let box: Sandbox
  let bootstrap: string
  let leader: number

  const partitionState = async () => {
    const admin = kafkaClient(bootstrap).admin()
    await admin.connect()
    try {
      const meta = await admin.fetchTopicMetadata({ topics: ['replicated'] })
      return meta.topics[0]!.partitions[0]!
    } finally {
      await admin.disconnect()
    }
  }

  // Started here rather than in the first test, so each test can also run alone (--test-name-pattern).
  let upResult: Run
  before(async () => {
    box = sandbox()
    const port = await freePorts(3)
    const controllerPort = await freePorts(1)
    upResult = await box.kafkit([
      'up',
      '--stack',
      'multi',
      '--runtime',
      'dist',
      '--version',
      KAFKA_4,
      '--brokers',
      '3',
      '--port',
      String(port),
      '--controller-port',
      String(controllerPort),
      '--json',
    ])
    if (upResult.code === 0) bootstrap = json(upResult).bootstrapServers
  })
  after(async () => box.cleanup())

  /** The topic 'replicated' (RF 3, all in sync, one record) and its first leader; made once, by whichever test needs it first. */
  let replicated: Promise<number> | undefined
  const replicatedTopic = () =>
    (replicated ??= (async () => {
      const admin = kafkaClient(bootstrap).admin()
      await admin.connect()
      await admin.createTopics({
        topics: [{ topic: 'replicated', numPartitions: 1, replicationFactor: 3 }],
        waitForLeaders: true,
      })
      await admin.disconnect()
      const p = await eventually(
        async () => {
          const s = await partitionState()
          return s.isr.length === 3 ? s : undefined
        },
        30_000,
        'ISR of 3',
      )
      assert.equal(p.replicas.length, 3)
      await produce(bootstrap, 'replicated', ['before-failover'])
      return p.leader
    })())

  it('starts three brokers that all answer Metadata', async () => {
    assert.equal(upResult.code, 0, upResult.stderr)
    const up = json(upResult)
    assert.deepEqual(
      up.nodes.map((n: { name: string }) => n.name),
      ['controller-1', 'broker-1', 'broker-2', 'broker-3'],
    )
    const status = json(await box.kafkit(['status', '--stack', 'multi', '--json']))
    assert.deepEqual(
      status.cluster.brokers.map((b: { nodeId: number }) => b.nodeId),
      [1, 2, 3],
    )
    // The KRaft controller is node 101 (the quorum leader), not the broker Metadata names for old clients.
    assert.equal(status.cluster.controller, 101)
    const text = await box.kafkit(['status', '--stack', 'multi'])
    assert.match(text.stdout, /Controller: 101/)
  })

  it('creates a topic with replication factor 3 and all replicas in sync', async () => {
    leader = await replicatedTopic()
    assert.ok(leader >= 1 && leader <= 3, `leader ${leader}`)
  })

  it('broker stop <leader> moves the leadership and clients keep working', async () => {
    leader = await replicatedTopic()
    const result = await box.kafkit(['broker', 'stop', String(leader), '--stack', 'multi', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(json(result).result, 'stopped')
    const moved = await eventually(
      async () => {
        const s = await partitionState()
        return s.leader !== leader && s.leader >= 0 ? s : undefined
      },
      60_000,
      'new leader',
    )
    assert.notEqual(moved.leader, leader)
    assert.ok(!moved.isr.includes(leader))
    await produce(bootstrap, 'replicated', ['after-failover'])
    assert.deepEqual(await kcatConsume(bootstrap, 'replicated'), ['before-failover', 'after-failover'])
    const status = json(await box.kafkit(['status', '--stack', 'multi', '--json']))
    assert.equal(
      status.nodes.find((n: { nodeId: number; role: string }) => n.role === 'broker' && n.nodeId === leader).alive,
      false,
    )
  })

  // Needs the broker the previous test stopped (the failover scenario): this one does not run alone.
  it('broker start <id> rejoins the ISR', async () => {
    const result = await box.kafkit(['broker', 'start', String(leader), '--stack', 'multi'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`Broker ${leader} .* is back`))
    const healed = await eventually(
      async () => {
        const s = await partitionState()
        return s.isr.includes(leader) ? s : undefined
      },
      60_000,
      'ISR rejoin',
    )
    assert.equal(healed.isr.length, 3)
  })

  it('refuses an unknown broker id with exit 2', async () => {
    const result = await box.kafkit(['broker', 'stop', '7', '--stack', 'multi'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /has no broker 7; its brokers are 1, 2, 3/)
  })
})
