/**
 * The embedded broker's server side, over real sockets on 127.0.0.1: framing (requests split and joined across TCP
 * chunks), responses in request order when handlers finish out of order, no answer for acks=0, the ApiVersions
 * fallback of KIP-511, connections closed on bad input, and the data and topic APIs of an in-process broker.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { encodeRequest } from '../../src/protocol/api.js'
import { ApiVersions } from '../../src/protocol/messages/api-versions.js'
import { CreateTopics } from '../../src/protocol/messages/create-topics.js'
import { DescribeConfigs } from '../../src/protocol/messages/describe-configs.js'
import { Fetch } from '../../src/protocol/messages/fetch.js'
import { Heartbeat } from '../../src/protocol/messages/heartbeat.js'
import { InitProducerId } from '../../src/protocol/messages/init-producer-id.js'
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js'
import { Metadata } from '../../src/protocol/messages/metadata.js'
import { Produce } from '../../src/protocol/messages/produce.js'
import { decodeRecordBatches } from '../../src/records/batch-decoder.js'
import { handler, NO_RESPONSE } from '../../src/embedded/contracts.js'
import { startServer, type RunningServer } from '../../src/embedded/server/server.js'
import { Wire, batch, call, request, response, sized, within } from '../support/wire.js'
import { start, type RunningBroker } from '../../src/embedded/index.js'
import type { NodeState, StackState } from '../../src/model/state.js'
import { EmbeddedRuntime, embeddedCommand } from '../../src/runtime/embedded.js'

describe('embedded server: frames, order, ApiVersions', () => {
  let server: RunningServer
  const logged: string[] = []
  before(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      log: (m) => logged.push(m),
      handlers: [
        // The group id tells the handler how long to take, so a test can make answers finish out of order.
        handler(Heartbeat, async (req) => {
          await new Promise((r) => setTimeout(r, Number(req.groupId)))
          return { errorCode: 0, throttleTimeMs: 0 }
        }),
        handler(Produce, (req) => (req.acks === 0 ? NO_RESPONSE : { responses: [], throttleTimeMs: 0 })),
      ],
    })
  })
  after(() => server.close())

  it('advertises ApiVersions and the handlers with their stable ranges, in a v0 response header', async () => {
    const wire = await Wire.open(server.port)
    const body = await within(call(wire, ApiVersions, 3, { clientSoftwareName: 'unit', clientSoftwareVersion: '1' }))
    assert.equal(body.errorCode, 0)
    assert.deepEqual(
      body.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion]),
      [
        // Produce from 0 as Kafka 4 advertises it (KAFKA-18659), though v0-2 requests are refused.
        [0, 0, Produce.maxStableVersion],
        [12, Heartbeat.minVersion, Heartbeat.maxStableVersion],
        [18, 0, ApiVersions.maxStableVersion],
      ],
    )
    wire.close()
  })

  it('answers an ApiVersions version it lacks with UNSUPPORTED_VERSION and its ranges in v0, and stays open', async () => {
    const wire = await Wire.open(server.port)
    // A future version: the body cannot be read, so only the header is sent (as a newer client would send more).
    const payload = Buffer.alloc(2 + 2 + 4 + 2 + 4)
    payload.writeInt16BE(18, 0)
    payload.writeInt16BE(99, 2)
    payload.writeInt32BE(41, 4)
    payload.writeInt16BE(4, 8)
    payload.write('unit', 10)
    wire.write(sized(payload))
    const { correlationId, body } = response(ApiVersions, 0, await within(wire.frame()))
    assert.equal(correlationId, 41)
    assert.equal(body.errorCode, 35)
    assert.ok(body.apiKeys.some((k) => k.apiKey === 18 && k.minVersion === 0))
    // The client retries with a version both know, on the same connection.
    const retried = await within(call(wire, ApiVersions, 0, {}))
    assert.equal(retried.errorCode, 0)
    wire.close()
  })

  it('reads requests split byte by byte and several in one chunk', async () => {
    const wire = await Wire.open(server.port)
    const one = request(ApiVersions, 2, 1, {})
    for (const byte of one) wire.write(Buffer.from([byte]))
    assert.equal(response(ApiVersions, 2, await within(wire.frame())).correlationId, 1)
    wire.write(Buffer.concat([request(ApiVersions, 1, 2, {}), request(ApiVersions, 0, 3, {})]))
    assert.equal(response(ApiVersions, 1, await within(wire.frame())).correlationId, 2)
    assert.equal(response(ApiVersions, 0, await within(wire.frame())).correlationId, 3)
    wire.close()
  })

  it('answers in request order when later handlers finish first, and sends nothing for acks=0', async () => {
    const wire = await Wire.open(server.port)
    const heartbeat = (id: number, delay: number) =>
      request(Heartbeat, 4, id, { groupId: String(delay), generationId: 1, memberId: 'm', groupInstanceId: null })
    const produce0 = request(Produce, 9, 99, { acks: 0, timeoutMs: 1000, topicData: [] })
    wire.write(Buffer.concat([heartbeat(1, 150), heartbeat(2, 0), produce0, heartbeat(3, 50)]))
    const ids: number[] = []
    for (let i = 0; i < 3; i++) ids.push(response(Heartbeat, 4, await within(wire.frame())).correlationId)
    assert.deepEqual(ids, [1, 2, 3])
    wire.close()
  })

  it('closes the connection on an unknown API key, an unsupported version (Produce v2 too) or a body that does not decode', async () => {
    for (const bytes of [
      sized(Buffer.from([0x7f, 0x00, 0, 0, 0, 0, 0, 1, 0, 0])),
      // Produce v2: advertised from 0 for librdkafka's sake (KAFKA-18659), refused as Kafka 4 refuses it.
      sized(Buffer.from([0x00, 0x00, 0, 2, 0, 0, 0, 7, 0, 0])),
      request(Heartbeat, 4, 5, { groupId: '0', generationId: 1, memberId: 'm', groupInstanceId: null }).fill(
        0x09,
        5,
        6,
      ),
      sized(encodeRequest(Heartbeat, 4, 6, 'unit', { groupId: '0', generationId: 1, memberId: 'm' }).subarray(0, 16)),
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
    ]) {
      const wire = await Wire.open(server.port)
      wire.write(bytes)
      await within(wire.closed)
    }
    // The server itself is still there.
    const wire = await Wire.open(server.port)
    assert.equal((await within(call(wire, ApiVersions, 0, {}))).errorCode, 0)
    wire.close()
  })
})

describe('embedded broker in process', () => {
  let broker: RunningBroker
  let wire: Wire
  before(async () => {
    const started = Date.now()
    broker = await start({ port: 0, log: (m) => process.env.EMBEDDED_LOG && console.error(m) })
    assert.ok(Date.now() - started < 1000, 'starts in well under a second')
    wire = await Wire.open(broker.port)
  })
  after(async () => {
    wire.close()
    await broker.close()
  })

  it('creates topics with Kafka error codes for existing names, bad partition counts and replication factors', async () => {
    const body = await call(wire, CreateTopics, 7, {
      topics: [
        {
          name: 'orders',
          numPartitions: 2,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'retention.ms', value: '1000' }],
        },
        { name: 'bad-rf', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] },
        { name: 'bad-partitions', numPartitions: 0, replicationFactor: 1, assignments: [], configs: [] },
        {
          name: 'bad-config',
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [{ name: 'nope', value: '1' }],
        },
        { name: 'bad name!', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 1000,
    })
    assert.deepEqual(
      body.topics.map((t) => [t.name, t.errorCode]),
      [
        ['orders', 0],
        ['bad-rf', 38],
        ['bad-partitions', 37],
        ['bad-config', 40],
        ['bad name!', 17],
      ],
    )
    const again = await call(wire, CreateTopics, 7, {
      topics: [{ name: 'orders', numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] }],
      timeoutMs: 1000,
    })
    assert.equal(again.topics[0]!.errorCode, 36)
  })

  it("describes a topic's configs in Kafka 4.4's order, an override's synonyms naming the broker default", async () => {
    const created = await call(wire, CreateTopics, 7, {
      topics: [
        {
          name: 'cfg-order',
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [],
          configs: [
            { name: 'max.message.bytes', value: '2000000' },
            { name: 'retention.ms', value: '1000' },
          ],
        },
      ],
      timeoutMs: 1000,
    })
    assert.equal(created.topics[0]!.errorCode, 0)
    const body = await call(wire, DescribeConfigs, 4, {
      resources: [{ resourceType: 2, resourceName: 'cfg-order', configurationKeys: null }],
      includeSynonyms: true,
    })
    const configs = body.results[0]!.configs
    // kafka-topics --describe prints the overrides in the order the broker gives: retention.ms first, as Kafka does.
    assert.deepEqual(
      configs.filter((c) => c.configSource === 1).map((c) => c.name),
      ['retention.ms', 'max.message.bytes'],
    )
    assert.equal(configs[0]!.name, 'compression.type')
    const synonyms = (name: string) =>
      configs.find((c) => c.name === name)!.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`)
    assert.deepEqual(synonyms('max.message.bytes'), ['1:max.message.bytes=2000000', '5:message.max.bytes=1048588'])
    assert.deepEqual(synonyms('retention.ms'), ['1:retention.ms=1000'])
    assert.deepEqual(synonyms('cleanup.policy'), ['5:cleanup.policy=delete'])
  })

  it('auto-creates a topic on Metadata with one partition, and lists this node as the only broker', async () => {
    const body = await call(wire, Metadata, 12, { topics: [{ name: 'auto' }], allowAutoTopicCreation: true })
    assert.equal(body.topics[0]!.errorCode, 0)
    assert.equal(body.topics[0]!.partitions.length, 1)
    assert.deepEqual(
      body.brokers.map((b) => [b.nodeId, b.port]),
      [[1, broker.port]],
    )
    const none = await call(wire, Metadata, 12, { topics: [{ name: 'absent' }], allowAutoTopicCreation: false })
    assert.equal(none.topics[0]!.errorCode, 3)
  })

  it('appends, answers a long-polling Fetch when records arrive, and finds offsets by timestamp', async () => {
    const other = await Wire.open(broker.port)
    const fetchStarted = Date.now()
    const pending = call(other, Fetch, 12, {
      maxWaitMs: 5000,
      minBytes: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
    })
    await new Promise((r) => setTimeout(r, 100))
    const produced = await call(wire, Produce, 9, {
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: batch(['a', 'b'], [1000, 2000]) }] }],
    })
    assert.equal(produced.responses[0]!.partitionResponses[0]!.errorCode, 0)
    const fetched = await within(pending, 4000)
    assert.ok(Date.now() - fetchStarted < 4000, 'woken by the append, not by the timeout')
    const records = decodeRecordBatches(fetched.responses[0]!.partitions[0]!.records!).flatMap((b) => b.records)
    assert.deepEqual(
      records.map((r) => [r.offset, r.value?.toString()]),
      [
        [0n, 'a'],
        [1n, 'b'],
      ],
    )
    other.close()
    const offsets = await call(wire, ListOffsets, 7, {
      replicaId: -1,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, timestamp: 1500n },
            { partitionIndex: 1, timestamp: -1n },
          ],
        },
      ],
    })
    assert.deepEqual(
      offsets.topics[0]!.partitions.map((p) => [p.offset, p.timestamp]),
      [
        [1n, 2000n],
        [0n, -1n],
      ],
    )
  })

  it('survives random bytes on the wire: bad connections close, the broker keeps serving', async () => {
    let seed = 15
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const apis = [Metadata, Produce, Fetch, ListOffsets, CreateTopics]
    for (let i = 0; i < 100; i++) {
      const fuzz = await Wire.open(broker.port)
      // A valid header of a real API followed by garbage, or a valid request with bytes flipped.
      const api = apis[random(apis.length)]!
      const header = Buffer.alloc(10)
      header.writeInt16BE(api.apiKey, 0)
      header.writeInt16BE(api.minVersion + random(api.maxVersion - api.minVersion + 1), 2)
      header.writeInt32BE(i, 4)
      header.writeInt16BE(-1, 8)
      const garbage = Buffer.from(Array.from({ length: random(64) }, () => random(256)))
      fuzz.write(sized(Buffer.concat([header, garbage])))
      // And a valid request with a few bytes flipped (not Fetch: a flipped max wait would be a legal long poll).
      const valid = [
        encodeRequest(Metadata, 12, i, 'fuzz', { topics: [{ name: 'orders' }], allowAutoTopicCreation: false }),
        encodeRequest(CreateTopics, 7, i, 'fuzz', {
          topics: [{ name: `f${i}`, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
        }),
        encodeRequest(ListOffsets, 7, i, 'fuzz', {
          replicaId: -1,
          topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
        }),
        encodeRequest(Produce, 9, i, 'fuzz', {
          acks: 1,
          timeoutMs: 1000,
          topicData: [{ name: 'orders', partitionData: [{ index: 1, records: batch(['z']) }] }],
        }),
      ][random(4)]!
      for (let flips = 1 + random(3); flips > 0; flips--) valid[8 + random(valid.length - 8)] ^= 1 << random(8)
      const second = await Wire.open(broker.port)
      second.write(sized(valid))
      await within(Promise.race([second.closed, second.frame()]), 3000)
      second.close()
      await within(Promise.race([fuzz.closed, fuzz.frame()]), 3000)
      fuzz.close()
    }
    assert.equal((await call(wire, Metadata, 12, { topics: null })).brokers.length, 1)
  })

  it('gives idempotent producers ids, answers a retried batch with its first offsets and refuses a gap', async () => {
    const init = await call(wire, InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60000 })
    assert.equal(init.errorCode, 0)
    const transactional = await call(wire, InitProducerId, 4, { transactionalId: 'tx', transactionTimeoutMs: 60000 })
    assert.equal(transactional.errorCode, 53)
    const send = async (sequence: number) =>
      (
        await call(wire, Produce, 9, {
          acks: -1,
          timeoutMs: 1000,
          topicData: [
            {
              name: 'orders',
              partitionData: [
                { index: 1, records: batch(['i', 'j'], undefined, { id: init.producerId, epoch: 0, sequence }) },
              ],
            },
          ],
        })
      ).responses[0]!.partitionResponses[0]!
    const first = await send(0)
    const retried = await send(0)
    assert.deepEqual([first.errorCode, retried.errorCode, retried.baseOffset], [0, 0, first.baseOffset])
    assert.equal((await send(5)).errorCode, 45)
    assert.equal((await send(2)).errorCode, 0)
  })

  it('refuses a corrupted batch with CORRUPT_MESSAGE', async () => {
    const bad = batch(['x'])
    bad[bad.length - 1] ^= 0xff
    const body = await call(wire, Produce, 9, {
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 'orders', partitionData: [{ index: 1, records: bad }] }],
    })
    assert.equal(body.responses[0]!.partitionResponses[0]!.errorCode, 2)
  })
})

describe('embedded runtime', () => {
  const stack = {
    stack: 'unit',
    dir: '/tmp/unit-stack',
    brokers: 1,
    controllers: 0,
    clusterId: 'AAAAAAAAAAAAAAAAAAAAAA',
  } as unknown as StackState
  const node = {
    name: 'kafka-1',
    role: 'combined',
    nodeId: 1,
    port: 29092,
    configFile: '/tmp/unit-stack/config/kafka-1.properties',
    dataDir: '/tmp/unit-stack/data/kafka-1',
    logFile: '/tmp/unit-stack/logs/kafka-1.log',
  } as unknown as NodeState

  it('runs the broker entry with the node config file as its process marker', () => {
    const args = embeddedCommand(stack, node, '/pkg/dist/embedded.js')
    assert.deepEqual(args, [
      '/pkg/dist/embedded.js',
      '--config',
      node.configFile,
      '--host',
      '127.0.0.1',
      '--port',
      '29092',
      '--node-id',
      '1',
      '--data-dir',
      node.dataDir,
      '--cluster-id',
      'AAAAAAAAAAAAAAAAAAAAAA',
    ])
  })

  it('refuses ZooKeeper mode, other Kafka versions and more than one node', async () => {
    const runtime = new EmbeddedRuntime()
    await assert.rejects(runtime.resolve({ mode: 'zookeeper', install: false }), /no ZooKeeper mode/)
    await assert.rejects(runtime.resolve({ mode: 'kraft', install: false, version: '3.9.2' }), /needs a real Kafka/)
    assert.equal((await runtime.resolve({ mode: 'kraft', install: false })).version, '4.4.0')
    await assert.rejects(runtime.preflight({ ...stack, brokers: 3, controllers: 1 }), /--brokers 3 needs a real Kafka/)
    await assert.rejects(runtime.preflight({ ...stack, controllers: 3 }), /--controllers 3 needs a real Kafka/)
  })
})
