/**
 * Issue 15's acceptance items for the embedded broker, on one embedded stack (`up --runtime embedded`) and one real
 * Kafka 4.4.0 stack, both started in `before`:
 * - every compression codec: records written by kcat (-z) and by Kafka's Java producer (compression.type) read back
 *   intact by kcat and kafkit's console consumer, and ListOffsets by timestamp (kcat -Q) finding records inside the
 *   compressed batches;
 * - crash safety: the broker process SIGKILLed during a 100,000-record produce; after `up` every acknowledged record
 *   is at its acknowledged offset, in order, and the partition reads to its end;
 * - a differential scenario run against both brokers through kafkit's protocol client (raw error codes, offsets);
 * - bad input on the wire (frame sizes, unknown APIs and versions, bodies that do not decode, a corrupted CRC): the
 *   same bytes to both brokers, the same outcome (connection closed, or the same error code), both serving after;
 * - Kafka's own Java tools on both: kafka-get-offsets (4.4.0's against both brokers, 3.9.2's and kafkit's against the
 *   embedded one), kafka-consumer-groups --describe of the same group with the same committed offsets (lag per
 *   partition), the group coordinator's error codes, and Kafka 3.9.2's console producer and consumer --group.
 */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KafkaClient } from '../../src/client/kafka-client.js'
import { ConsumerProtocolAssignmentCodec } from '../../src/protocol/messages/consumer-protocol-assignment.js'
import { ConsumerProtocolSubscriptionCodec } from '../../src/protocol/messages/consumer-protocol-subscription.js'
import { CreateTopics } from '../../src/protocol/messages/create-topics.js'
import { DeleteGroups } from '../../src/protocol/messages/delete-groups.js'
import { DeleteRecords } from '../../src/protocol/messages/delete-records.js'
import { DeleteTopics } from '../../src/protocol/messages/delete-topics.js'
import { DescribeConfigs } from '../../src/protocol/messages/describe-configs.js'
import { DescribeGroups } from '../../src/protocol/messages/describe-groups.js'
import { Fetch } from '../../src/protocol/messages/fetch.js'
import { Heartbeat } from '../../src/protocol/messages/heartbeat.js'
import { JoinGroup } from '../../src/protocol/messages/join-group.js'
import { LeaveGroup } from '../../src/protocol/messages/leave-group.js'
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js'
import { OffsetCommit } from '../../src/protocol/messages/offset-commit.js'
import { OffsetDelete } from '../../src/protocol/messages/offset-delete.js'
import { Produce } from '../../src/protocol/messages/produce.js'
import { ApiVersions } from '../../src/protocol/messages/api-versions.js'
import { Metadata } from '../../src/protocol/messages/metadata.js'
import { Wire, call, request, response, sized, within } from '../support/wire.js'
import { SyncGroup } from '../../src/protocol/messages/sync-group.js'
import { Writer } from '../../src/protocol/primitives.js'
import { makeBatch } from '../fixtures/embedded-storage/batches.js'
import {
  JavaTools,
  KAFKA_3,
  KAFKA_4,
  distHome,
  freePorts,
  json,
  kafkaClient,
  live,
  repoRoot,
  run,
  sandbox,
  startStack,
  TOOL_ENV,
  type Run,
  type Sandbox,
} from './helpers.js'

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const
const JAVA_RECORDS = 200
const KCAT_RECORDS = 100
const CRASH_RECORDS = 100_000
/** Fixed record timestamps, so that timestamp lookups give the same offsets on both brokers. */
const BASE_TS = 1_700_000_000_000

describe('embedded broker conformance', () => {
  let box: Sandbox
  let embedded: string
  let real: string
  let up: () => Promise<string>
  /** Kafka's tools of 4.4.0 and 3.9.2, each in one JVM, started first: compiling ToolRunner takes seconds. */
  let tools4: JavaTools
  let tools3: JavaTools

  before(async () => {
    tools4 = new JavaTools(KAFKA_4)
    tools3 = new JavaTools(KAFKA_3)
    box = sandbox()
    const port = await freePorts(2)
    // Called again after the SIGKILL below: the same stack on the same port.
    up = () => startStack(box, { stack: 'emb', runtime: 'embedded', port, controllerPort: port + 1 })
    ;[embedded, real] = await Promise.all([up(), startStack(box, { stack: 'real', runtime: 'dist' })])
  })
  after(async () => {
    tools4?.close()
    tools3?.close()
    await box?.cleanup()
  })

  describe('every compression codec', () => {
    type Row = { offset: number; timestamp: number; value: string }
    const rows = new Map<string, Row[]>()

    before(async () => {
      const home = distHome(KAFKA_4)
      for (const codec of CODECS) {
        const created = await box.kafkit(['topics', '--create', '--topic', `codec-${codec}`, '-b', embedded])
        assert.equal(created.code, 0, created.stderr)
      }
      const java = await run(
        'java',
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          `-Dlog4j2.configurationFile=${join(home, 'config', 'tools-log4j2.properties')}`,
          '-cp',
          join(home, 'libs', '*'),
          join(import.meta.dirname, 'java', 'CodecProducer.java'),
          embedded,
          String(JAVA_RECORDS),
          String(BASE_TS),
        ],
        TOOL_ENV,
        60_000,
      )
      assert.equal(java.code, 0, java.stderr)
      assert.deepEqual(
        java.stdout.trim().split('\n'),
        CODECS.map((c) => `produced ${c}`),
      )
      await Promise.all(
        CODECS.map(async (codec) => {
          const input = Array.from({ length: KCAT_RECORDS }, (_, i) => `kcat-${codec}-${i}\n`).join('')
          const put = await run(
            'kcat',
            ['-b', embedded, '-P', '-t', `codec-${codec}`, '-p', '0', '-z', codec],
            process.env,
            30_000,
            input,
          )
          assert.equal(put.code, 0, put.stderr)
          const read = await run(
            'kcat',
            [
              '-b',
              embedded,
              '-C',
              '-t',
              `codec-${codec}`,
              '-p',
              '0',
              '-o',
              'beginning',
              '-e',
              '-q',
              '-f',
              '%o %T %s\\n',
            ],
            process.env,
            30_000,
          )
          assert.equal(read.code, 0, read.stderr)
          rows.set(
            codec,
            read.stdout
              .split('\n')
              .filter(Boolean)
              .map((line) => {
                const [offset, timestamp, value] = line.split(' ')
                return { offset: Number(offset), timestamp: Number(timestamp), value: value! }
              }),
          )
        }),
      )
    })

    const expectedValues = (codec: string) => [
      ...Array.from({ length: JAVA_RECORDS }, (_, i) => `java-${codec}-${i}`),
      ...Array.from({ length: KCAT_RECORDS }, (_, i) => `kcat-${codec}-${i}`),
    ]

    it('reads every record back intact with kcat, at consecutive offsets', () => {
      for (const codec of CODECS) {
        const list = rows.get(codec)!
        assert.deepEqual(
          list.map((r) => r.value),
          expectedValues(codec),
          codec,
        )
        assert.deepEqual(
          list.map((r) => r.offset),
          list.map((_, i) => i),
          codec,
        )
        assert.deepEqual(
          list.slice(0, JAVA_RECORDS).map((r) => r.timestamp),
          list.slice(0, JAVA_RECORDS).map((_, i) => BASE_TS + i),
        )
      }
    })

    it('stored the batches as sent, compressed with each codec', async () => {
      // librdkafka sends lz4 only to a broker advertising FindCoordinator v0 (its LZ4 feature): the group coordinator
      // does, as Kafka does.
      const client = await KafkaClient.connect({ servers: [embedded] })
      const coordinator = (await client.connection('any')).versions.get(10)
      client.close()
      assert.equal(coordinator?.min, 0, 'FindCoordinator advertised from version 0')
      for (const codec of CODECS) {
        const dir = join(box.home, 'stacks', 'emb', 'data', 'kafka-1', `codec-${codec}-0`)
        const dumped = await box.kafkit(['dump-log', '--files', join(dir, '00000000000000000000.log')])
        assert.equal(dumped.code, 0, dumped.stderr)
        const batches = [...dumped.stdout.matchAll(/count: (\d+) .*producerId: (-?\d+) .*compresscodec: (\w+)/g)]
        const java = batches.filter((b) => b[2] !== '-1').map((b) => b[3])
        const kcat = batches.filter((b) => b[2] === '-1')
        assert.ok(java.length > 0 && kcat.length > 0, dumped.stdout)
        assert.deepEqual(new Set(java), new Set([codec]), `Java ${codec}`)
        // librdkafka sends a batch uncompressed when compressing would not make it smaller (up to 3 of these records
        // with lz4; seen when kcat's input arrives in pieces on a busy machine): a few-record kcat batch may be "none".
        assert.ok(
          kcat.some((b) => b[3] === codec) &&
            kcat.every((b) => b[3] === codec || (b[3] === 'none' && Number(b[1]) <= 4)),
          `kcat ${codec}: ${kcat.map((b) => `${b[1]} records ${b[3]}`).join(', ')}`,
        )
      }
    })

    it("reads every record back with kafkit's console consumer", async () => {
      for (const codec of CODECS) {
        const consumed = await box.kafkit([
          'console-consumer',
          '-b',
          embedded,
          '--topic',
          `codec-${codec}`,
          '--partition',
          '0',
          '--offset',
          'earliest',
          '--max-messages',
          String(JAVA_RECORDS + KCAT_RECORDS),
        ])
        assert.equal(consumed.code, 0, consumed.stderr)
        assert.deepEqual(consumed.stdout.split('\n').filter(Boolean), expectedValues(codec), codec)
      }
    })

    it('finds records inside compressed batches by timestamp (kcat -Q)', async () => {
      for (const codec of CODECS) {
        const list = rows.get(codec)!
        // Inside the Java batches, the first kcat record, and one in the middle of kcat's batch.
        const targets = [
          BASE_TS + 1,
          BASE_TS + 77,
          BASE_TS + JAVA_RECORDS - 1,
          list[JAVA_RECORDS]!.timestamp,
          list[JAVA_RECORDS + 60]!.timestamp,
        ]
        const found = await Promise.all(
          targets.map(async (t) => {
            const query = await run('kcat', ['-b', embedded, '-Q', '-t', `codec-${codec}:0:${t}`], process.env, 30_000)
            assert.equal(query.code, 0, query.stderr)
            return Number(/offset (-?\d+)/.exec(query.stdout)?.[1])
          }),
        )
        const expected = targets.map((t) => list.find((r) => r.timestamp >= t)!.offset)
        assert.deepEqual(found, expected, codec)
      }
    })
  })

  describe('crash safety: the broker SIGKILLed during a 100,000-record produce', () => {
    const acked: Array<{ offset: number; value: string }> = []
    let rows: Array<{ offset: number; value: string }> = []
    let restartMs = 0

    before(async () => {
      const created = await box.kafkit(['topics', '--create', '--topic', 'crash', '-b', embedded])
      assert.equal(created.code, 0, created.stderr)
      const status = json(await box.kafkit(['status', '--stack', 'emb', '--json']))
      const pid = status.nodes[0].pid as number
      assert.ok(pid > 0, JSON.stringify(status.nodes))
      // kafkit's VerifiableProducer port: one JSON line per acknowledged record (acks=-1, idempotent off as Kafka's).
      const producer = live(
        'node',
        [
          join(repoRoot, 'bin', 'run.js'),
          'verifiable-producer',
          '-b',
          embedded,
          '--topic',
          'crash',
          '--max-messages',
          String(CRASH_RECORDS),
          '--acks',
          '-1',
        ],
        box.env,
        60_000,
      )
      const successes = () =>
        producer
          .stdout()
          .split('\n')
          // The last piece may be a line still being written.
          .slice(0, -1)
          .filter((l) => l.includes('"producer_send_success"'))
      // Killed mid-way, once a fifth of the records are acknowledged (waiting on output, no sleep).
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (successes().length >= CRASH_RECORDS / 5) {
            clearInterval(timer)
            process.kill(pid, 'SIGKILL')
            resolve()
          }
        }, 5)
        void producer.done.then((r) => {
          clearInterval(timer)
          reject(new Error(`the producer ended before the kill: ${r.stderr}`))
        })
      })
      // Whatever the producer printed so far was acknowledged before the broker died.
      producer.signal('SIGKILL')
      await producer.done.catch(() => undefined)
      for (const line of successes()) {
        const event = JSON.parse(line) as { offset: number; value: string; partition: number }
        assert.equal(event.partition, 0)
        acked.push({ offset: event.offset, value: event.value })
      }
      const started = Date.now()
      assert.equal(await up(), embedded)
      restartMs = Date.now() - started
      const read = await run(
        'kcat',
        ['-b', embedded, '-C', '-t', 'crash', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %s\\n'],
        process.env,
        60_000,
      )
      assert.equal(read.code, 0, read.stderr)
      rows = read.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [offset, value] = line.split(' ')
          return { offset: Number(offset), value: value! }
        })
    })

    it('killed the broker mid-way', () => {
      assert.ok(acked.length >= CRASH_RECORDS / 5 && acked.length < CRASH_RECORDS, `${acked.length} acknowledged`)
      console.log(
        `# ${acked.length} records acknowledged before SIGKILL, ${rows.length} read after a restart of ${restartMs} ms`,
      )
    })

    it('keeps every acknowledged record at its acknowledged offset, in order', () => {
      for (const { offset, value } of acked) assert.equal(rows[offset]?.value, value, `offset ${offset}`)
      const offsets = acked.map((a) => a.offset)
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => a - b),
      )
    })

    it("reads the log to its end: consecutive offsets, the producer's values in order", () => {
      assert.ok(rows.length >= acked.length, `${rows.length} records`)
      assert.deepEqual(
        rows.map((r) => r.offset),
        rows.map((_, i) => i),
      )
      // No retries without idempotence here, so the log holds values 0, 1, 2... with nothing lost or repeated.
      assert.deepEqual(
        rows.map((r) => r.value),
        rows.map((_, i) => String(i)),
      )
    })

    it('answers the log end offset the read reached (kcat -Q latest)', async () => {
      const query = await run('kcat', ['-b', embedded, '-Q', '-t', 'crash:0:-1'], process.env, 30_000)
      assert.equal(query.code, 0, query.stderr)
      assert.match(query.stdout, new RegExp(`offset ${rows.length}\\b`))
    })
  })

  describe('differential: the same scenario against Kafka 4.4.0 and the embedded broker', () => {
    let results: [Record<string, unknown>, Record<string, unknown>]

    /** What a client sees of one scenario: error codes, offsets, records. */
    async function scenario(bootstrap: string): Promise<Record<string, unknown>> {
      const client = await KafkaClient.connect({ servers: [bootstrap] })
      try {
        const seen: Record<string, unknown> = {}
        const create = async (name: string, replicationFactor: number) => {
          const answer = await client.send('controller', CreateTopics, {
            topics: [{ name, numPartitions: 3, replicationFactor, assignments: [], configs: [] }],
            timeoutMs: 10_000,
          })
          return answer.topics[0]!.errorCode
        }
        seen.create = await create('diff', 1)
        seen.createExisting = await create('diff', 1)
        seen.createReplicationFactor2 = await create('diff-rf', 2)

        // Keyed records over 3 partitions by kafkajs's idempotent producer (Java's murmur2 partitioner), two batches.
        const producer = kafkaClient(bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
        await producer.connect()
        const message = (i: number) => ({
          key: `key-${i % 7}`,
          value: `value-${i}`,
          timestamp: String(BASE_TS + i * 1000),
        })
        const sent = []
        for (const range of [
          [0, 15],
          [15, 30],
        ])
          sent.push(
            ...(await producer.send({
              topic: 'diff',
              acks: -1,
              messages: Array.from({ length: range[1]! - range[0]! }, (_, i) => message(range[0]! + i)),
            })),
          )
        await producer.disconnect()
        seen.produced = sent.map((r) => [r.partition, r.errorCode, r.baseOffset]).sort()
        const read = await run(
          'kcat',
          ['-b', bootstrap, '-C', '-t', 'diff', '-o', 'beginning', '-e', '-q', '-f', '%p %o %k %s %T\\n'],
          process.env,
          30_000,
        )
        assert.equal(read.code, 0, read.stderr)
        seen.records = read.stdout.split('\n').filter(Boolean).sort()

        const listOffsets = async (timestamp: bigint) => {
          const answer = await client.send('any', ListOffsets, {
            replicaId: -1,
            topics: [{ name: 'diff', partitions: [0, 1, 2].map((partitionIndex) => ({ partitionIndex, timestamp })) }],
          })
          return answer.topics[0]!.partitions.map((p) => [p.partitionIndex, p.errorCode, p.offset, p.timestamp])
        }
        seen.earliest = await listOffsets(-2n)
        seen.latest = await listOffsets(-1n)
        seen.maxTimestamp = await listOffsets(-3n)
        seen.byTimestamp = await listOffsets(BigInt(BASE_TS + 12_500))
        seen.byTimestampFuture = await listOffsets(BigInt(BASE_TS + 1_000_000))

        const deleted = await client.send('any', DeleteRecords, {
          topics: [
            {
              name: 'diff',
              partitions: [
                { partitionIndex: 0, offset: 2n },
                { partitionIndex: 1, offset: -1n },
                { partitionIndex: 2, offset: 1000n },
              ],
            },
          ],
          timeoutMs: 10_000,
        })
        seen.deleteRecords = deleted.topics[0]!.partitions.map((p) => [
          p.partitionIndex,
          p.errorCode,
          p.lowWatermark,
        ]).sort()
        seen.earliestAfterDelete = await listOffsets(-2n)

        // Version 12: the last one that names topics (13+ use topic ids, which differ between the brokers).
        const fetchAt = async (fetchOffset: bigint) => {
          const answer = await client.send(
            'any',
            Fetch,
            {
              maxWaitMs: 0,
              minBytes: 1,
              topics: [{ topic: 'diff', partitions: [{ partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
            },
            12,
          )
          const partition = answer.responses[0]!.partitions[0]!
          return [partition.errorCode, partition.highWatermark, partition.logStartOffset]
        }
        seen.fetchBeyondEnd = await fetchAt(1000n)
        seen.fetchBelowStart = await fetchAt(0n)

        const produced = await client.send(
          'any',
          Produce,
          {
            acks: -1,
            timeoutMs: 10_000,
            topicData: [{ name: 'diff', partitionData: [{ index: 7, records: makeBatch({ values: ['x'] }) }] }],
          },
          9,
        )
        seen.produceMissingPartition = produced.responses[0]!.partitionResponses.map((p) => [p.index, p.errorCode])

        const configs = await client.send('any', DescribeConfigs, {
          resources: [{ resourceType: 2, resourceName: 'missing', configurationKeys: null }],
        })
        seen.describeConfigsMissingTopic = configs.results.map((r) => r.errorCode)
        const deletedTopics = await client.send(
          'controller',
          DeleteTopics,
          { topicNames: ['missing'], timeoutMs: 10_000 },
          5,
        )
        seen.deleteMissingTopic = deletedTopics.responses.map((r) => r.errorCode)
        return seen
      } finally {
        client.close()
      }
    }

    before(async () => {
      results = await Promise.all([scenario(real), scenario(embedded)])
    })

    for (const key of [
      'create',
      'createExisting',
      'createReplicationFactor2',
      'produced',
      'records',
      'earliest',
      'latest',
      'maxTimestamp',
      'byTimestamp',
      'byTimestampFuture',
      'deleteRecords',
      'earliestAfterDelete',
      'fetchBeyondEnd',
      'fetchBelowStart',
      'produceMissingPartition',
      'describeConfigsMissingTopic',
      'deleteMissingTopic',
    ])
      it(`gives the same ${key}`, () => {
        assert.deepEqual(
          results[1][key],
          results[0][key],
          `Kafka: ${JSON.stringify(results[0][key], (_, v) => (typeof v === 'bigint' ? String(v) : v))}`,
        )
      })
  })

  // Bad input on the wire, sent byte for byte the same to both brokers: each case either closes the connection or is
  // answered with an error code, and the embedded broker must do what Kafka 4.4 does; both serve afterwards.
  describe('bad input on the wire', () => {
    type Outcome = string
    const header = (apiKey: number, version: number, clientId = 'wire'): Buffer => {
      const id = Buffer.from(clientId)
      const bytes = Buffer.alloc(10 + id.length)
      bytes.writeInt16BE(apiKey, 0)
      bytes.writeInt16BE(version, 2)
      bytes.writeInt32BE(1, 4)
      bytes.writeInt16BE(id.length, 8)
      id.copy(bytes, 10)
      return bytes
    }
    const corrupted = (): Buffer => {
      const bytes = Buffer.from(makeBatch({ values: ['a', 'b'] }))
      bytes[bytes.length - 1]! ^= 0xff // a value byte: the CRC no longer matches
      return bytes
    }
    /** Each case: the bytes to write, and how to read an answer when one comes. */
    const cases: Record<string, { bytes: () => Buffer; end?: boolean; answer?: (frame: Buffer) => Outcome }> = {
      'a negative frame size': { bytes: () => Buffer.from([0xff, 0xff, 0xff, 0xfe]) },
      'a frame above socket.request.max.bytes': { bytes: () => Buffer.from([0x10, 0, 0, 0]) },
      'a frame cut short, then end of stream': {
        bytes: () => Buffer.concat([Buffer.from([0, 0, 0, 100]), header(3, 12)]),
        end: true,
      },
      'an unknown API key': { bytes: () => sized(Buffer.concat([header(999, 0), Buffer.alloc(8)])) },
      'an unsupported Metadata version': { bytes: () => sized(Buffer.concat([header(3, 99), Buffer.alloc(8)])) },
      // Kafka 4 advertises Produce from v0 (for librdkafka, KAFKA-18659) but serves v3 and up.
      'a Produce v2 request': {
        bytes: () => sized(Buffer.concat([header(0, 2), Buffer.from([0, 1, 0, 0, 0x13, 0x88, 0, 0, 0, 0])])),
        answer: (frame) => `answered ${frame.length} bytes`,
      },
      'a Metadata body that does not decode': {
        bytes: () => sized(Buffer.concat([header(3, 12), Buffer.from([0xff, 0xff, 0xff])])),
      },
      'a client id longer than the frame': {
        bytes: () => {
          const bytes = header(3, 12)
          bytes.writeInt16BE(500, 8)
          return sized(bytes)
        },
      },
      'an ApiVersions version above the newest': {
        bytes: () => sized(Buffer.concat([header(18, 127), Buffer.alloc(4)])),
        answer: (frame) => `ApiVersions error ${response(ApiVersions, 0, frame).body.errorCode}`,
      },
      'a batch whose CRC does not match': {
        bytes: () =>
          request(Produce, 9, 1, {
            acks: 1,
            timeoutMs: 5000,
            topicData: [{ name: 'wire', partitionData: [{ index: 0, records: corrupted() }] }],
          }),
        answer: (frame) => {
          const partition = response(Produce, 9, frame).body.responses[0]!.partitionResponses[0]!
          return `Produce error ${partition.errorCode}`
        },
      },
    }

    const outcomes: Array<Record<string, Outcome>> = []
    before(async () => {
      const probe = async (bootstrap: string): Promise<Record<string, Outcome>> => {
        const port = Number(bootstrap.split(':').pop())
        const setup = await Wire.open(port)
        const created = await call(setup, CreateTopics, 7, {
          topics: [{ name: 'wire', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
          timeoutMs: 10_000,
        })
        assert.equal(created.topics[0]!.errorCode, 0, `create wire on ${bootstrap}`)
        setup.close()
        const seen: Record<string, Outcome> = {}
        for (const [name, { bytes, end, answer }] of Object.entries(cases)) {
          const wire = await Wire.open(port)
          wire.write(bytes())
          if (end) wire.socket.end()
          seen[name] = await within(
            Promise.race([
              wire.closed.then(() => 'closed'),
              wire.frame().then((frame) => (answer ? answer(frame) : `answered ${frame.length} bytes`)),
            ]),
            10_000,
          )
          wire.close()
        }
        // Still serving: a Metadata request on a new connection is answered with the one topic.
        const after = await Wire.open(port)
        const metadata = await call(after, Metadata, 12, { topics: [{ name: 'wire' }], allowAutoTopicCreation: false })
        seen['serving afterwards'] = `Metadata error ${metadata.topics[0]!.errorCode}`
        after.close()
        return seen
      }
      outcomes.push(...(await Promise.all([probe(real), probe(embedded)])))
      console.log(`Kafka 4.4.0 on bad input: ${JSON.stringify(outcomes[0])}`)
    })

    for (const name of [...Object.keys(cases), 'serving afterwards'])
      it(`answers ${name} as Kafka does`, () => {
        assert.equal(outcomes[1]![name], outcomes[0]![name], `Kafka: ${outcomes[0]![name]}`)
      })
  })

  describe("Kafka's Java tools (4.4.0 and 3.9.2), group lag and group errors, on both brokers", () => {
    const GET_OFFSETS = 'org.apache.kafka.tools.GetOffsetShell'
    const CONSUMER_GROUPS = 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand'
    const OFFS_RECORDS = 45
    const V39_RECORDS = 30
    /**
     * Committed by `--reset-offsets --from-file`: below the log start (2 after DeleteRecords: the reset moves it up to
     * 2, as Kafka's tool does), at the end, mid-way.
     */
    const COMMITTED = [1, 7, 10]
    /** The same queries of kafka-get-offsets, in the 4.x spellings 3.9.2 shares. */
    const QUERIES: string[][] = [
      ['--topic', 'offs.*', '--time', '-1'],
      ['--topic', 'offs.*', '--time', '-2'],
      ['--topic', 'offs.*', '--time', '-3'],
      ['--topic', 'offs.*', '--time', '-4'],
      ['--topic', 'offs.*', '--time', String(BASE_TS + 12_500)],
      ['--topic', 'offs.*', '--time', String(BASE_TS + 1_000_000)],
      ['--topic-partitions', 'offs:1-,offs-empty:0', '--time', '-2'],
      ['--topic', 'offs', '--partitions', '0,2', '--time', '-3'],
    ]
    /** Every topic (none internal here: the embedded broker has no __consumer_offsets): the embedded broker only. */
    const ALL_TOPICS = ['--exclude-internal-topics']

    /** Per broker, [real, embedded]: Kafka 4.4.0's get-offsets lines per query, and what the group scenario saw. */
    const getOffsets4: [Run[], Run[]] = [[], []]
    let getOffsets3: Run[] = []
    let getOffsetsKafkit: Run[] = []
    let describeLag4: [Run, Run]
    let describeLag3: Run
    let describeLagKafkit: [Run, Run]
    /** --members --verbose and --state of g-lag, by Kafka 4.4.0's and 3.9.2's tools (their columns differ) per broker. */
    const VIEWS = [['--members', '--verbose'], ['--state']]
    let views4: [Run[], Run[]]
    let views3: [Run[], Run[]]
    let describeMissing4: [Run, Run]
    let groupErrors: [Record<string, unknown>, Record<string, unknown>]
    let v39: { produced: Run; consumed: Run; dumped: Run; describe3: Run; describe4: Run; kafkit: Run }

    /** A classic member of `group` joined by hand (JoinGroup, MEMBER_ID_REQUIRED, JoinGroup, SyncGroup). */
    interface Member {
      client: KafkaClient
      node: number
      memberId: string
      generationId: number
      group: string
    }
    /** Consumer-protocol bytes: int16 version, then the message of that version. */
    const encode = <T>(codec: { write(w: Writer, v: number, d: T): void }, data: T) => {
      const w = new Writer()
      w.int16(0)
      codec.write(w, 0, data)
      return Buffer.from(w.finish())
    }
    const joinGroup = (client: KafkaClient, node: number, group: string, memberId: string, sessionTimeoutMs = 60_000) =>
      client.send(node, JoinGroup, {
        groupId: group,
        sessionTimeoutMs,
        rebalanceTimeoutMs: 60_000,
        memberId,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: encode(ConsumerProtocolSubscriptionCodec, { topics: ['offs'] }) }],
      })

    /**
     * On one broker: topics offs (3 partitions, 45 keyed records at fixed timestamps, records below offset 2 of
     * partition 0 deleted) and offs-empty; group g-lag with offsets committed by kafkit's --reset-offsets --from-file,
     * then a live member owning partitions 0 and 1.
     */
    async function prepare(bootstrap: string, stack: string): Promise<Member> {
      const client = await KafkaClient.connect({ servers: [bootstrap] })
      const created = await client.send('controller', CreateTopics, {
        topics: [
          { name: 'offs', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] },
          { name: 'offs-empty', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        ],
        timeoutMs: 10_000,
      })
      assert.deepEqual(
        created.topics.map((t) => t.errorCode),
        [0, 0],
      )
      const producer = kafkaClient(bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      for (const [from, to] of [
        [0, 20],
        [20, OFFS_RECORDS],
      ] as const)
        await producer.send({
          topic: 'offs',
          acks: -1,
          messages: Array.from({ length: to - from }, (_, i) => ({
            key: `key-${(from + i) % 7}`,
            value: `value-${from + i}`,
            timestamp: String(BASE_TS + (from + i) * 1000),
          })),
        })
      await producer.disconnect()
      const deleted = await client.send('any', DeleteRecords, {
        topics: [{ name: 'offs', partitions: [{ partitionIndex: 0, offset: 2n }] }],
        timeoutMs: 10_000,
      })
      assert.equal(deleted.topics[0]!.partitions[0]!.errorCode, 0)
      const plan = join(box.home, `lag-${stack}.csv`)
      writeFileSync(plan, COMMITTED.map((offset, p) => `offs,${p},${offset}\n`).join(''))
      const reset = await box.kafkit([
        'consumer-groups',
        '--reset-offsets',
        '--from-file',
        plan,
        '--group',
        'g-lag',
        '--execute',
        '-b',
        bootstrap,
      ])
      assert.equal(reset.code, 0, reset.stderr)

      const group = 'g-lag'
      const node = await client.coordinator(group)
      const first = await joinGroup(client, node, group, '')
      assert.equal(first.errorCode, 79, 'MEMBER_ID_REQUIRED')
      const joined = await joinGroup(client, node, group, first.memberId)
      assert.equal(joined.errorCode, 0)
      const synced = await client.send(node, SyncGroup, {
        groupId: group,
        generationId: joined.generationId,
        memberId: joined.memberId,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: [
          {
            memberId: joined.memberId,
            assignment: encode(ConsumerProtocolAssignmentCodec, {
              assignedPartitions: [{ topic: 'offs', partitions: [0, 1] }],
            }),
          },
        ],
      })
      assert.equal(synced.errorCode, 0)
      return { client, node, memberId: joined.memberId, generationId: joined.generationId, group }
    }

    /** Group errors on one broker, with the member of prepare() still in g-lag; it leaves at the end. */
    async function errors({ client, node, memberId, generationId, group }: Member): Promise<Record<string, unknown>> {
      const seen: Record<string, unknown> = {}
      seen.joinSessionTimeoutTooShort = (await joinGroup(client, node, group, '', 1000)).errorCode
      const heartbeat = async (generation: number, member = memberId) =>
        (await client.send(node, Heartbeat, { groupId: group, generationId: generation, memberId: member })).errorCode
      seen.heartbeat = await heartbeat(generationId)
      seen.heartbeatWrongGeneration = await heartbeat(generationId + 1)
      seen.heartbeatUnknownMember = await heartbeat(generationId, 'nobody')
      // Version 9: the last one that names topics (10 uses topic ids).
      const commit = async (generation: number, member: string) => {
        const answer = await client.send(
          node,
          OffsetCommit,
          {
            groupId: group,
            generationIdOrMemberEpoch: generation,
            memberId: member,
            topics: [
              { name: 'offs', partitions: [{ partitionIndex: 0, committedOffset: 3n, committedMetadata: null }] },
            ],
          },
          9,
        )
        return answer.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))
      }
      seen.commitWrongGeneration = await commit(generationId + 1, memberId)
      seen.commitUnknownMember = await commit(generationId, 'nobody')
      seen.commitAsAdminToNonEmptyGroup = await commit(-1, '')
      const offsetDelete = await client.send(node, OffsetDelete, {
        groupId: group,
        topics: [{ name: 'offs', partitions: [{ partitionIndex: 0 }] }],
      })
      seen.offsetDeleteSubscribedTopic = [
        offsetDelete.errorCode,
        offsetDelete.topics.flatMap((t) => t.partitions.map((p) => p.errorCode)),
      ]
      const deleteGroups = async (names: string[]) =>
        (await client.send(node, DeleteGroups, { groupsNames: names })).results
          // Kafka answers in the order of its __consumer_offsets partitions, not the request's.
          .map((r) => [r.groupId, r.errorCode])
          .sort()
      seen.deleteNonEmptyGroup = await deleteGroups([group])
      const describe = async (names: string[], version?: number) =>
        (await client.send(node, DescribeGroups, { groups: names }, version)).groups
          .map((g) => [
            g.groupId,
            g.errorCode,
            g.groupState,
            g.protocolType,
            g.protocolData,
            g.members.map((m) => [m.memberId === memberId, m.clientHost]),
          ])
          // Kafka answers in the order of its __consumer_offsets partitions, not the request's.
          .sort()
      seen.describe = await describe([group, 'missing'])
      seen.describeV5 = await describe([group, 'missing'], 5)
      const left = await client.send(node, LeaveGroup, {
        groupId: group,
        members: [{ memberId }, { memberId: 'nobody' }],
      })
      seen.leave = [left.errorCode, left.members.map((m) => [m.memberId === memberId, m.errorCode])]
      seen.deleteAfterLeave = await deleteGroups([group, 'missing'])
      seen.describeDeleted = await describe([group])
      return seen
    }

    /**
     * Table rows as cells, sorted, with the member ids (`<client.id>-<uuid>`, new on every join) and the coordinator's
     * address (one per stack) masked.
     */
    const cells = (stdout: string) =>
      stdout
        .replace(/\bkafkit-[0-9a-f]{8}-[0-9a-f-]{27}\b/g, '<member-id>')
        .replace(/127\.0\.0\.1:\d+/g, '<coordinator>')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('TOTAL LAG'))
        .map((l) => l.trim().split(/\s+/).join(' '))
        .sort()
    const lines = (r: Run) => r.stdout.split('\n').filter(Boolean)
    const ok = (r: Run, what: string) => {
      assert.equal(r.code, 0, `${what}: ${r.stderr}`)
      return r
    }

    /** Kafka 3.9.2's console producer (idempotent by default) and console consumer with a group, on the embedded one. */
    async function java39Clients(): Promise<typeof v39> {
      const client = await KafkaClient.connect({ servers: [embedded] })
      const created = await client.send('controller', CreateTopics, {
        topics: [{ name: 'v39', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 10_000,
      })
      client.close()
      assert.equal(created.topics[0]!.errorCode, 0)
      const bin = (name: string) => join(distHome(KAFKA_3), 'bin', name)
      // Side by side: the consumer's JVM starts and joins its group while the producer writes.
      const [produced, consumed] = await Promise.all([
        run(
          bin('kafka-console-producer.sh'),
          [
            '--bootstrap-server',
            embedded,
            '--topic',
            'v39',
            '--property',
            'parse.key=true',
            '--property',
            'key.separator=:',
          ],
          TOOL_ENV,
          60_000,
          Array.from({ length: V39_RECORDS }, (_, i) => `k${i % 5}:v${i}\n`).join(''),
        ),
        run(
          bin('kafka-console-consumer.sh'),
          [
            '--bootstrap-server',
            embedded,
            '--topic',
            'v39',
            '--group',
            'g39',
            '--from-beginning',
            '--max-messages',
            String(V39_RECORDS),
            '--property',
            'print.key=true',
          ],
          TOOL_ENV,
          60_000,
        ),
      ])
      const dir = join(box.home, 'stacks', 'emb', 'data', 'kafka-1')
      const args = ['--describe', '--group', 'g39', '--bootstrap-server', embedded]
      const [dumped, describe3, describe4, kafkit] = await Promise.all([
        box.kafkit([
          'dump-log',
          '--files',
          [0, 1, 2].map((p) => join(dir, `v39-${p}`, '00000000000000000000.log')).join(','),
        ]),
        tools3.run(CONSUMER_GROUPS, args),
        tools4.run(CONSUMER_GROUPS, args),
        box.kafkit(['consumer-groups', ...args]),
      ])
      return { produced, consumed, dumped, describe3, describe4, kafkit }
    }

    before(async () => {
      const clients39 = java39Clients()
      const members = await Promise.all([prepare(real, 'real'), prepare(embedded, 'emb')])
      const brokers = [real, embedded] as const
      const describeLag = ['--describe', '--group', 'g-lag', '--bootstrap-server']
      // The two JVMs serve their invocations in order; kafkit's commands run beside them.
      ;[getOffsets4[0], getOffsets4[1], describeLag4, describeMissing4, [getOffsets3, describeLag3]] =
        await Promise.all([
          Promise.all(QUERIES.map((q) => tools4.run(GET_OFFSETS, ['--bootstrap-server', real, ...q]))),
          Promise.all(QUERIES.map((q) => tools4.run(GET_OFFSETS, ['--bootstrap-server', embedded, ...q]))),
          Promise.all(brokers.map((b) => tools4.run(CONSUMER_GROUPS, [...describeLag, b]))) as Promise<[Run, Run]>,
          Promise.all(
            brokers.map((b) =>
              tools4.run(CONSUMER_GROUPS, ['--describe', '--group', 'missing', '--bootstrap-server', b]),
            ),
          ) as Promise<[Run, Run]>,
          Promise.all([
            Promise.all(QUERIES.map((q) => tools3.run(GET_OFFSETS, ['--bootstrap-server', embedded, ...q]))),
            tools3.run(CONSUMER_GROUPS, [...describeLag, embedded]),
          ]),
          Promise.all(
            brokers.map((b) => Promise.all(VIEWS.map((v) => tools4.run(CONSUMER_GROUPS, [...describeLag, b, ...v])))),
          ).then((r) => (views4 = r as [Run[], Run[]])),
          Promise.all(
            brokers.map((b) => Promise.all(VIEWS.map((v) => tools3.run(CONSUMER_GROUPS, [...describeLag, b, ...v])))),
          ).then((r) => (views3 = r as [Run[], Run[]])),
          (async () => {
            getOffsetsKafkit = await Promise.all(QUERIES.map((q) => box.kafkit(['get-offsets', '-b', embedded, ...q])))
            describeLagKafkit = (await Promise.all(
              brokers.map((b) => box.kafkit(['consumer-groups', ...describeLag, b, '--json'])),
            )) as [Run, Run]
          })(),
        ])
      groupErrors = (await Promise.all(members.map(errors))) as [Record<string, unknown>, Record<string, unknown>]
      for (const m of members) m.client.close()
      v39 = await clients39
      // Every topic once v39 is written (the three tools then see the same offsets).
      const everyTopic = ['--bootstrap-server', embedded, ...ALL_TOPICS]
      const [all4, all3, allKafkit] = await Promise.all([
        tools4.run(GET_OFFSETS, everyTopic),
        tools3.run(GET_OFFSETS, everyTopic),
        box.kafkit(['get-offsets', ...everyTopic]),
      ])
      getOffsets4[1].push(all4)
      getOffsets3.push(all3)
      getOffsetsKafkit.push(allKafkit)
    })
    it('kafka-get-offsets (4.4.0) prints the same lines against Kafka 4.4.0 and the embedded broker', () => {
      QUERIES.forEach((query, i) => {
        const [theirs, ours] = [ok(getOffsets4[0][i]!, 'Kafka'), ok(getOffsets4[1][i]!, 'embedded')]
        assert.deepEqual(lines(ours), lines(theirs), query.join(' '))
      })
      // Not vacuous: the latest and earliest offsets are the records each partition got and the DeleteRecords.
      const latest = lines(getOffsets4[1][0]!)
      assert.equal(
        latest.filter((l) => l.startsWith('offs:')).reduce((n, l) => n + Number(l.split(':')[2]), 0),
        OFFS_RECORDS,
      )
      assert.ok(lines(getOffsets4[1][1]!).includes('offs:0:2'), lines(getOffsets4[1][1]!).join('\n'))
    })

    it("kafkit get-offsets and Kafka 3.9.2's GetOffsetShell print what 4.4.0's prints, on the embedded broker", () => {
      ;[...QUERIES, ALL_TOPICS].forEach((query, i) => {
        const expected = lines(ok(getOffsets4[1][i]!, '4.4.0'))
        assert.deepEqual(lines(ok(getOffsetsKafkit[i]!, 'kafkit')), expected, `kafkit ${query.join(' ')}`)
        assert.deepEqual(lines(ok(getOffsets3[i]!, '3.9.2')), expected, `3.9.2 ${query.join(' ')}`)
      })
    })

    it('Kafka 4.4.0 kafka-consumer-groups --describe: the same offsets, log end offsets and lag on both brokers', () => {
      const [theirs, ours] = describeLag4.map((r) => cells(ok(r, 'describe').stdout))
      assert.deepEqual(ours, theirs)
      // The member owns partitions 0 and 1; partition 2 has a committed offset and no owner.
      assert.deepEqual(
        ours!.filter((row) => !row.startsWith('GROUP ')),
        [
          'g-lag offs 0 2 13 11 <member-id> /127.0.0.1 kafkit',
          'g-lag offs 1 7 7 0 <member-id> /127.0.0.1 kafkit',
          'g-lag offs 2 10 25 15 - - -',
        ],
      )
      // Kafka 3.9.2's tool reads the same from the embedded broker.
      assert.deepEqual(cells(ok(describeLag3, '3.9.2 describe').stdout), ours)
    })

    it('--describe --members --verbose and --state: the same on both brokers, from the 4.4.0 and 3.9.2 tools', () => {
      const masked = (r: Run) => cells(ok(r, 'describe').stdout)
      VIEWS.forEach((view, i) => {
        const [theirs, ours] = views4.map((runs) => masked(runs[i]!))
        assert.deepEqual(ours, theirs, view.join(' '))
        const [theirs3, ours3] = views3.map((runs) => masked(runs[i]!))
        assert.deepEqual(ours3, theirs3, `3.9.2 ${view.join(' ')}`)
      })
      // 3.9.2's ASSIGNMENT column prints "(0,1)" without the topic, from either broker: that tool's own output.
      assert.ok(
        masked(views4[1][0]!).some((row) => row.includes(' offs:0,1 ')),
        masked(views4[1][0]!).join('\n'),
      )
    })

    it('kafkit consumer-groups --describe --json: the same partitions and lag on both brokers', () => {
      const view = (r: Run) => {
        const g = json(ok(r, 'kafkit describe')).groups[0]
        return {
          state: g.state,
          totalLag: g.totalLag,
          members: g.members.length,
          partitions: g.partitions.map((p: Record<string, unknown>) => ({
            ...p,
            consumerId: p.consumerId === null ? null : '<member-id>',
          })),
        }
      }
      const [theirs, ours] = describeLagKafkit.map(view)
      assert.deepEqual(ours, theirs)
      assert.equal(ours!.totalLag, 26)
    })

    it('kafka-consumer-groups --describe of a missing group: the same answer from both brokers', () => {
      const [theirs, ours] = describeMissing4.map((r) => lines(ok(r, 'describe missing')).slice(0, 2))
      assert.deepEqual(ours, theirs)
      assert.match(ours!.join('\n'), /GroupIdNotFoundException: Group missing not found/)
    })

    for (const key of [
      'joinSessionTimeoutTooShort',
      'heartbeat',
      'heartbeatWrongGeneration',
      'heartbeatUnknownMember',
      'commitWrongGeneration',
      'commitUnknownMember',
      'commitAsAdminToNonEmptyGroup',
      'offsetDeleteSubscribedTopic',
      'deleteNonEmptyGroup',
      'describe',
      'describeV5',
      'leave',
      'deleteAfterLeave',
      'describeDeleted',
    ])
      it(`group errors: the same ${key}`, () => {
        assert.deepEqual(groupErrors[1][key], groupErrors[0][key], `Kafka: ${JSON.stringify(groupErrors[0][key])}`)
      })

    it("Kafka 3.9.2's console producer (idempotent) and console consumer --group work against the embedded broker", () => {
      ok(v39.produced, '3.9.2 console producer')
      ok(v39.consumed, '3.9.2 console consumer')
      assert.deepEqual(
        lines(v39.consumed).sort(),
        Array.from({ length: V39_RECORDS }, (_, i) => `k${i % 5}\tv${i}`).sort(),
      )
      // Every batch of the three partitions carries a producer id: the 3.9.2 producer is idempotent.
      const dumped = ok(v39.dumped, 'dump-log').stdout
      assert.equal(dumped.match(/^Dumping /gm)?.length, 3, dumped)
      const producerIds = [...dumped.matchAll(/producerId: (-?\d+)/g)].map((m) => Number(m[1]))
      assert.ok(producerIds.length >= 3 && producerIds.every((id) => id >= 0), dumped)
    })

    it("Kafka 3.9.2's kafka-consumer-groups --describe prints what 4.4.0's and kafkit's print (lag 0)", () => {
      const expected = cells(ok(v39.describe4, '4.4.0 describe').stdout)
      assert.deepEqual(cells(ok(v39.describe3, '3.9.2 describe').stdout), expected)
      assert.deepEqual(cells(ok(v39.kafkit, 'kafkit describe').stdout), expected)
      const rows = expected.filter((row) => !row.startsWith('GROUP '))
      assert.equal(rows.length, 3)
      assert.ok(
        rows.every((row) => / 0 - - -$/.test(row)),
        rows.join('\n'),
      )
    })
  })
})
