import assert from 'node:assert/strict'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import kafkajs from 'kafkajs'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  kafkaClient,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
  onRealKafka,
} from './helpers.js'

/**
 * kafkit dump-log against Kafka 4.4's own DumpLogSegments on the same files of a stopped 4.4 stack: a topic with plain,
 * keyed, headed, gzip and zstd batches, a committed and an aborted transaction, a classic consumer group's commits,
 * the transaction log and the KRaft metadata log. Outputs are compared byte for byte (stdout and stderr).
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }

// Its fixtures: transaction markers, __consumer_offsets, __transaction_state and the KRaft metadata log.
const JVM_LOGS = onRealKafka('the internal logs of a JVM broker (transactions, groups, KRaft metadata)')
JVM_LOGS.describe(`dump-log on a Kafka ${KAFKA_4} stack`, () => {
  let box: Sandbox
  let dataDir: string

  const tool = (args: string[], version = KAFKA_4): Promise<Run> =>
    run(
      join(distHome(version), 'bin', 'kafka-run-class.sh'),
      [version === KAFKA_4 ? 'org.apache.kafka.tools.DumpLogSegments' : 'kafka.tools.DumpLogSegments', ...args],
      TOOL_ENV,
      120_000,
    )
  const segments = (dir: string, suffix = '.log') =>
    readdirSync(join(dataDir, dir))
      .filter((f) => f.endsWith(suffix))
      .sort()
      .map((f) => join(dataDir, dir, f))
  /** The partitions of an internal topic that hold records (most of __consumer_offsets' 50 are empty). */
  const nonEmpty = (topic: string) =>
    readdirSync(dataDir)
      .filter((d) => d.startsWith(`${topic}-`))
      .flatMap((d) => segments(d))
      .filter((f) => statSync(f).size > 0)
      .sort()

  async function same(args: string[]): Promise<Run> {
    const [mine, theirs] = [await box.kafkit(['dump-log', ...args]), await tool(args)]
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(mine.code, 0, mine.stderr)
    assert.equal(mine.stdout, theirs.stdout)
    assert.equal(mine.stderr, theirs.stderr)
    return mine
  }

  before(async () => {
    box = sandbox()
    const bootstrap = await startStack(box, { version: KAFKA_4 })
    dataDir = join(box.home, 'stacks', 'test', 'data', 'kafka-1')
    const kafka = kafkaClient(bootstrap)
    const admin = kafka.admin()
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }], waitForLeaders: true })
    await admin.disconnect()
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    await producer.send({ topic: 'orders', acks: -1, messages: [{ value: 'v0' }, { value: 'v1' }, { value: 'v2' }] })
    await producer.send({
      topic: 'orders',
      acks: -1,
      messages: [
        { key: 'k1', value: 'with headers', headers: { h1: 'a', h2: 'b' } },
        { key: 'k2', value: null },
      ],
    })
    await producer.send({
      topic: 'orders',
      acks: -1,
      compression: kafkajs.CompressionTypes.GZIP,
      messages: Array.from({ length: 40 }, (_, i) => ({ key: `g${i}`, value: `gzip ${i} ${'x'.repeat(60)}` })),
    })
    // More than index.interval.bytes (4096) in uncompressed batches, so the offset and time indexes get entries.
    for (let b = 0; b < 6; b++)
      await producer.send({
        topic: 'orders',
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({ value: `${b}-${i} ${'y'.repeat(100)}` })),
      })
    await producer.disconnect()
    // zstd through kafkit's own producer (kafkajs has no zstd codec).
    const zstd = await box.kafkit(
      ['console-producer', '--bootstrap-server', bootstrap, '--topic', 'orders', '--compression-codec', 'zstd'],
      { input: 'z1\nz2\nz3\n' },
    )
    assert.equal(zstd.code, 0, zstd.stderr)
    const txn = kafka.producer({ transactionalId: 'dump-log-txn', idempotent: true, maxInFlightRequests: 1 })
    await txn.connect()
    for (const commit of [true, false]) {
      const t = await txn.transaction()
      await t.send({ topic: 'orders', messages: [{ value: commit ? 'committed' : 'aborted' }] })
      await (commit ? t.commit() : t.abort())
    }
    await txn.disconnect()
    // A classic consumer group: GroupMetadataValue with the consumer protocol, and OffsetCommitValue.
    const consumed = await box.kafkit([
      'console-consumer',
      '--bootstrap-server',
      bootstrap,
      '--topic',
      'orders',
      '--group',
      'dump-log-group',
      '--from-beginning',
      '--max-messages',
      '5',
    ])
    assert.equal(consumed.code, 0, consumed.stderr)
    // Read from a stopped stack: the files are complete (indexes trimmed, producer snapshots written).
    const down = await box.kafkit(['down', '--stack', 'test'])
    assert.equal(down.code, 0, down.stderr)
  })

  after(async () => {
    await box?.cleanup()
  })

  it('prints batches as DumpLogSegments does', async () => {
    const out = await same(['--files', segments('orders-0')[0]!])
    assert.match(out.stdout, /compresscodec: gzip/)
    assert.match(out.stdout, /compresscodec: zstd/)
    assert.match(out.stdout, /isTransactional: true isControl: true/)
  })

  it('prints records, keys, values, headers and transaction markers (--print-data-log)', async () => {
    const out = await same(['--files', segments('orders-0')[0]!, '--print-data-log'])
    assert.match(out.stdout, /headerKeys: \[h1,h2\] key: k1 payload: with headers/)
    assert.match(out.stdout, /payload: gzip 39/)
    assert.match(out.stdout, /payload: z3/)
    assert.match(out.stdout, /endTxnMarker: ABORT coordinatorEpoch: \d+/)
  })

  it('--deep-iteration, --skip-record-metadata and --max-bytes', async () => {
    const log = segments('orders-0')[0]!
    await same(['--files', log, '--deep-iteration'])
    await same(['--files', log, '--print-data-log', '--skip-record-metadata'])
    await same(['--files', log, '--max-bytes', '700', '--print-data-log'])
  })

  it('dumps and checks the offset and time indexes, the producer snapshot and the transaction index', async () => {
    const dir = 'orders-0'
    const index = segments(dir, '.index')[0]!
    const timeIndex = segments(dir, '.timeindex')[0]!
    const out = await same(['--files', `${index},${timeIndex}`])
    assert.match(out.stdout, /^offset: \d+ position: \d+$/m)
    assert.match(out.stdout, /^timestamp: \d+ offset: \d+$/m)
    await same(['--files', `${index},${timeIndex}`, '--verify-index-only'])
    await same(['--files', `${index},${timeIndex}`, '--index-sanity-check'])
    const extra = [...segments(dir, '.snapshot'), ...segments(dir, '.txnindex')]
    assert.ok(extra.length > 0, 'a producer snapshot or transaction index')
    await same(['--files', extra.join(',')])
  })

  it('decodes __consumer_offsets (--offsets-decoder)', async () => {
    const files = nonEmpty('__consumer_offsets')
    assert.ok(files.length > 0)
    const out = await same(['--files', files.join(','), '--offsets-decoder'])
    assert.match(out.stdout, /"protocolType":"consumer"/)
    assert.match(out.stdout, /"topic":"orders"/)
  })

  it('decodes __transaction_state (--transaction-log-decoder)', async () => {
    const files = nonEmpty('__transaction_state')
    assert.ok(files.length > 0)
    const out = await same(['--files', files.join(','), '--transaction-log-decoder'])
    assert.match(out.stdout, /dump-log-txn/)
  })

  it('decodes the KRaft metadata log and snapshots (--cluster-metadata-decoder)', async () => {
    const files = [...segments('__cluster_metadata-0'), ...segments('__cluster_metadata-0', '.checkpoint')]
    const out = await same(['--files', files.join(','), '--cluster-metadata-decoder'])
    assert.match(out.stdout, /"type":"TOPIC_RECORD","version":0,"data":\{"name":"orders"/)
    assert.match(out.stdout, /"type":"PARTITION_RECORD"/)
    assert.match(out.stdout, /LeaderChange: \{/)
    // The KRaft log's indexes stay preallocated (zeros after the entries) even after a clean stop.
    const dir = '__cluster_metadata-0'
    await same([
      '--files',
      [...segments(dir, '.index'), ...segments(dir, '.timeindex'), ...segments(dir, '.snapshot')].join(','),
    ])
  })

  it(`prints data logs and indexes as Kafka ${KAFKA_3}'s DumpLogSegments does`, async () => {
    const dir = 'orders-0'
    const args = [
      '--files',
      [...segments(dir), ...segments(dir, '.index'), ...segments(dir, '.timeindex')].join(','),
      '--print-data-log',
    ]
    const [mine, theirs] = [await box.kafkit(['dump-log', ...args]), await tool(args, KAFKA_3)]
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(mine.stdout, theirs.stdout)
  })

  it('finds the segments of a topic in the stack (--topic, --partition)', async () => {
    const mine = await box.kafkit(['dump-log', '--stack', 'test', '--topic', 'orders', '--partition', '0'])
    assert.equal(mine.code, 0, mine.stderr)
    const theirs = await tool(['--files', segments('orders-0')[0]!])
    assert.equal(mine.stdout, theirs.stdout)
    const offsets = await box.kafkit([
      'dump-log',
      '--stack',
      'test',
      '--topic',
      '__consumer_offsets',
      '--print-data-log',
      '--json',
    ])
    assert.equal(offsets.code, 0, offsets.stderr)
    const result = JSON.parse(offsets.stdout) as { files: string[]; lines: string[] }
    assert.equal(result.files.length, 50)
    assert.ok(result.lines.some((l) => l.includes('"type":"2"')))
  })

  it('refuses what it cannot do in one line', async () => {
    const decoder = await box.kafkit(['dump-log', '--files', 'x.log', '--value-decoder-class', 'com.acme.MyDecoder'])
    assert.equal(decoder.code, 2)
    assert.match(decoder.stderr, /only StringDecoder is built in/)
    const missing = await box.kafkit(['dump-log', '--files', join(box.home, 'nope', '00000000000000000000.log')])
    assert.notEqual(missing.code, 0)
    assert.match(missing.stderr, /No such file or directory/)
    assert.ok(!existsSync(join(box.home, 'nope')))
    const noTopic = await box.kafkit(['dump-log', '--stack', 'test', '--topic', 'missing'])
    assert.notEqual(noTopic.code, 0)
    assert.match(noTopic.stderr, /No log of topic "missing"/)
  })
})
