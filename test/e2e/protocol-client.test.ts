/**
 * kafkit's own Kafka client (src/client/) against real brokers: Kafka 3.9.2 with ZooKeeper and with KRaft, and a
 * two-broker Kafka 4.4.0. ApiVersions as Kafka's own kafka-broker-api-versions.sh reports it, pipelined requests on
 * one connection, routing to the controller, to partition leaders (a request to another broker would fail with
 * NOT_LEADER_OR_FOLLOWER) and to a group coordinator, offsets committed by kafkit seen by kafka-consumer-groups.sh,
 * and a refused connection failing at once.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { check, ConnectionError } from '../../src/client/errors.js'
import { CoordinatorType, KafkaClient } from '../../src/client/kafka-client.js'
import { CreateTopics } from '../../src/protocol/messages/create-topics.js'
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js'
import { Metadata } from '../../src/protocol/messages/metadata.js'
import { OffsetCommit } from '../../src/protocol/messages/offset-commit.js'
import { OffsetFetch } from '../../src/protocol/messages/offset-fetch.js'
import { API_NAMES } from '../../src/protocol/apis.js'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  execText,
  freePorts,
  produce,
  sandbox,
  startStack,
  type Sandbox,
} from './helpers.js'

const stacks = [
  { version: KAFKA_3, mode: 'zookeeper' as const, brokers: 1 },
  { version: KAFKA_3, mode: 'kraft' as const, brokers: 1 },
  { version: KAFKA_4, mode: 'kraft' as const, brokers: 2 },
]

for (const stack of stacks) {
  describe(`kafkit's protocol client on Kafka ${stack.version} (${stack.mode}, ${stack.brokers} broker(s))`, () => {
    let box: Sandbox
    let bootstrap: string
    let client: KafkaClient

    before(async () => {
      box = sandbox()
      bootstrap = await startStack(box, { version: stack.version, mode: stack.mode, brokers: stack.brokers })
      client = await KafkaClient.connect({ servers: bootstrap.split(',') })
    })
    after(async () => {
      client?.close()
      await box.cleanup()
    })

    it("negotiates from the same version ranges that Kafka's kafka-broker-api-versions.sh reports", async () => {
      const text = await execText(join(distHome(stack.version), 'bin', 'kafka-broker-api-versions.sh'), [
        '--bootstrap-server',
        bootstrap,
      ])
      // "127.0.0.1:9092 (id: 1 rack: null) -> (\n\tProduce(0): 3 to 12 [usable: 12],\n..." per broker.
      const first = text.split(/\n(?=\S)/)[0]!
      const ranges = [...first.matchAll(/\t(\w+)\((\d+)\): (\d+) to (\d+)/g)].map((m) => ({
        key: Number(m[2]),
        name: m[1]!,
        min: Number(m[3]),
        max: Number(m[4]),
      }))
      assert.ok(ranges.length > 40, `parsed only ${ranges.length} APIs from:\n${text}`)
      const connection = await client.connection('any')
      for (const { key, name, min, max } of ranges) {
        assert.deepEqual(connection.versions.get(key), { min, max }, `${name} (${key})`)
        if (API_NAMES.has(key)) assert.equal(API_NAMES.get(key), name, `API ${key} is named as Kafka names it`)
      }
      // The tool lists only the APIs its own client knows for the listener type; the broker may report more.
      assert.ok(connection.versions.size >= ranges.length)
    })

    it('pipelines many requests on one connection and matches every answer to its request', async () => {
      const topics = Array.from({ length: 40 }, (_, i) => `pipelined-${i}`)
      const connection = await client.connection('any')
      const answers = await Promise.all(
        topics.map((name) => connection.send(Metadata, { topics: [{ name }], allowAutoTopicCreation: false })),
      )
      assert.deepEqual(
        answers.map((a) => a.topics[0]!.name),
        topics,
      )
      assert.ok(
        answers.every((a) => a.topics[0]!.errorCode === 3),
        'each unknown topic answered UNKNOWN_TOPIC_OR_PARTITION',
      )
    })

    it('routes to the controller, to each partition leader and to the group coordinator', async () => {
      const topic = 'routed'
      const created = await client.send('controller', CreateTopics, {
        topics: [{ name: topic, numPartitions: 4, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 10_000,
      })
      assert.equal(created.topics[0]!.errorCode, 0, created.topics[0]!.errorMessage ?? '')
      const topicId = created.topics[0]!.topicId
      await produce(bootstrap, topic, ['a', 'b', 'c', 'd', 'e'])

      const partitions = [0, 1, 2, 3].map((partition) => ({ topic, partition }))
      const byLeader = await client.byLeader(partitions, (p) => p)
      assert.ok(!byLeader.has(-1), 'every partition has a leader')
      if (stack.brokers > 1) assert.ok(byLeader.size > 1, 'the partitions are spread over both brokers')
      const ends = new Map<number, bigint>()
      for (const [leader, items] of byLeader) {
        const answer = await client.send(leader, ListOffsets, {
          replicaId: -1,
          topics: [{ name: topic, partitions: items.map((p) => ({ partitionIndex: p.partition, timestamp: -1n })) }],
        })
        for (const p of answer.topics[0]!.partitions) {
          assert.equal(p.errorCode, 0, `partition ${p.partitionIndex} asked of broker ${leader}`)
          ends.set(p.partitionIndex, p.offset)
        }
      }
      assert.equal(
        [...ends.values()].reduce((a, b) => a + b, 0n),
        5n,
      )

      // Commit as a "simple" client (generation -1, no member), as Kafka's admin client does; Kafka's tool reads it.
      const group = 'routed-group'
      await client.withCoordinator(group, CoordinatorType.Group, async (coordinator) => {
        const answer = await client.send(coordinator, OffsetCommit, {
          groupId: group,
          generationIdOrMemberEpoch: -1,
          memberId: '',
          // v10 names topics by id only.
          topics: [
            {
              name: topic,
              topicId,
              partitions: [{ partitionIndex: 0, committedOffset: ends.get(0)!, committedMetadata: '' }],
            },
          ],
        })
        // A retriable error (the offsets topic still loading) is thrown so that withCoordinator retries.
        check(answer.topics[0]!.partitions[0]!.errorCode, 'OffsetCommit')
        // v8 moved the group into a list (several groups per request); the codec refuses fields a version lacks.
        const batched = (await client.versionOf(OffsetFetch, coordinator)) >= 8
        const wanted = [{ name: topic, topicId, partitionIndexes: [0] }]
        const fetched = await client.send(
          coordinator,
          OffsetFetch,
          batched ? { groups: [{ groupId: group, topics: wanted }] } : { groupId: group, topics: wanted },
        )
        const committed = batched
          ? fetched.groups[0]!.topics[0]!.partitions[0]!.committedOffset
          : fetched.topics[0]!.partitions[0]!.committedOffset
        assert.equal(committed, ends.get(0))
      })
      const described = await execText(join(distHome(stack.version), 'bin', 'kafka-consumer-groups.sh'), [
        '--bootstrap-server',
        bootstrap,
        '--describe',
        '--group',
        group,
      ])
      assert.match(described, new RegExp(`${group}\\s+${topic}\\s+0\\s+${ends.get(0)}\\s+${ends.get(0)}\\s+0`))
    })

    it('fails at once on a refused connection', async () => {
      const closed = await freePorts(1)
      const started = performance.now()
      await assert.rejects(KafkaClient.connect({ servers: [`127.0.0.1:${closed}`] }), (error: unknown) => {
        assert.ok(error instanceof ConnectionError)
        assert.match(error.message, /ECONNREFUSED/)
        return true
      })
      assert.ok(performance.now() - started < 1000, 'no waiting for a timeout')
    })
  })
}
