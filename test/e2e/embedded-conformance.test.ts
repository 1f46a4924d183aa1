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
 *   same bytes to both brokers, the same outcome (connection closed, or the same error code), both serving after.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KafkaClient } from '../../src/client/kafka-client.js'
import { CreateTopics } from '../../src/protocol/messages/create-topics.js'
import { DeleteRecords } from '../../src/protocol/messages/delete-records.js'
import { DeleteTopics } from '../../src/protocol/messages/delete-topics.js'
import { DescribeConfigs } from '../../src/protocol/messages/describe-configs.js'
import { Fetch } from '../../src/protocol/messages/fetch.js'
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js'
import { Produce } from '../../src/protocol/messages/produce.js'
import { ApiVersions } from '../../src/protocol/messages/api-versions.js'
import { Metadata } from '../../src/protocol/messages/metadata.js'
import { Wire, call, request, response, sized, within } from '../support/wire.js'
import { makeBatch } from '../fixtures/embedded-storage/batches.js'
import {
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

  before(async () => {
    box = sandbox()
    const port = await freePorts(2)
    // Called again after the SIGKILL below: the same stack on the same port.
    up = () => startStack(box, { stack: 'emb', runtime: 'embedded', port, controllerPort: port + 1 })
    ;[embedded, real] = await Promise.all([up(), startStack(box, { stack: 'real', runtime: 'dist' })])
  })
  after(() => box?.cleanup())

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
        const batches = [...dumped.stdout.matchAll(/producerId: (-?\d+) .*compresscodec: (\w+)/g)]
        const java = batches.filter((b) => b[1] !== '-1').map((b) => b[2])
        const kcat = batches.filter((b) => b[1] === '-1').map((b) => b[2])
        assert.ok(java.length > 0 && kcat.length > 0, dumped.stdout)
        assert.deepEqual(new Set(java), new Set([codec]), `Java ${codec}`)
        assert.deepEqual(new Set(kcat), new Set([codec]), `kcat ${codec}`)
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
})
