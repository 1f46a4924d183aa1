import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { generateRecordSchemas, RECORD_SCHEMAS_FILE, recordSchemaJars } from '../../scripts/gen-record-schemas.js'
import { batchRecords, fileBatches, loadDecompressors } from '../../src/dump-log/batches.js'
import { batchLine, dumpFiles, INT_MAX, byFileInHashMapOrder, type DumpOptions } from '../../src/dump-log/dump.js'
import { javaDouble, jsonString, MessageSchema, snakeUpper } from '../../src/dump-log/message-json.js'
import { decoderFrom, filesFrom, printDataLogFrom } from '../../src/dump-log/options.js'
import { controlRecordText, parserFor } from '../../src/dump-log/parsers.js'
import { UsageError } from '../../src/errors.js'
import { Reader } from '../../src/protocol/primitives.js'
import { crc32c } from '../../src/records/crc32c.js'

// Batches and records written by a Kafka 4.4 broker (test/e2e/dump-log.test.ts compares the whole tool with Kafka's).
const hex = (text: string) => Buffer.from(text, 'hex')
const PLAIN = hex(
  '00000000000000000000004c00000000021aa609cf000000000002000001a22940a26f000001a22940a26f000000000000000000000000000000000003100000000104763000100000020104763100100000040104763200',
)
const HEADERS = hex(
  '000000000000000300000059000000000285889c2f000000000001000001a22940a2a3000001a22940a2a30000000000000000000000000003000000023c000000046b3118776974682068656164657273040468310261046832026210000002046b320100',
)
const COMMIT_MARKER = hex(
  '000000000000006d0000004200000000029a3adbc6003000000000000001a22940bacb000001a22940bacb00000000000000030000ffffffff000000012000000008000000010c00000000000000',
)

const options = (files: string[], extra: Partial<DumpOptions> = {}): DumpOptions => ({
  files,
  printDataLog: false,
  deepIteration: false,
  verifyIndexOnly: false,
  indexSanityCheck: false,
  maxBytes: INT_MAX,
  maxMessageSize: 5 * 1024 * 1024,
  decoder: 'string',
  skipRecordMetadata: false,
  ...extra,
})

async function dump(files: Record<string, Buffer>, extra: Partial<DumpOptions> = {}, only?: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-dump-log-'))
  try {
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes)
    const out: string[] = []
    const err: string[] = []
    const names = (only ?? Object.keys(files)).map((n) => join(dir, n))
    await dumpFiles(options(names, extra), { out: (l) => out.push(l), err: (l) => err.push(l) })
    return { out: out.map((l) => l.replaceAll(dir, 'DIR')), err: err.map((l) => l.replaceAll(dir, 'DIR')) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('dump-log batches', () => {
  it('prints a batch header as DumpLogSegments does', () => {
    const [batch] = [...fileBatches(PLAIN)]
    assert.equal(
      batchLine(batch!, 0),
      'baseOffset: 0 lastOffset: 2 count: 3 baseSequence: 0 lastSequence: 2 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1795988431471 size: 88 magic: 2 compresscodec: none crc: 447089103 isvalid: true',
    )
  })

  it('reports a bad CRC as isvalid: false', () => {
    const bad = Buffer.from(PLAIN)
    bad[bad.length - 1] = 0x33
    assert.equal([...fileBatches(bad)][0]!.isValid, false)
  })

  it('stops before a batch cut short, as the broker reader does', () => {
    assert.equal([...fileBatches(Buffer.concat([PLAIN, HEADERS.subarray(0, 40)]))].length, 1)
  })

  it('reads records, keys, null values and header keys', async () => {
    const decompress = await loadDecompressors()
    const records = batchRecords([...fileBatches(HEADERS)][0]!, decompress)
    assert.deepEqual(
      records.map((r) => [r.offset, r.key?.toString(), r.value?.toString() ?? null, r.headerKeys, r.sequence]),
      [
        [3n, 'k1', 'with headers', ['h1', 'h2'], 3],
        [4n, 'k2', null, [], 4],
      ],
    )
  })

  it('reads a gzip batch (recompressed here, CRC recomputed)', async () => {
    const plain = [...fileBatches(PLAIN)][0]!
    const body = gzipSync(plain.bytes.subarray(61))
    const batch = Buffer.concat([plain.bytes.subarray(0, 61), body])
    batch.writeInt32BE(batch.length - 12, 8)
    batch.writeInt16BE(1, 21) // gzip
    batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17)
    const parsed = [...fileBatches(batch)][0]!
    assert.equal(parsed.compression, 'gzip')
    assert.equal(parsed.isValid, true)
    const records = batchRecords(parsed, await loadDecompressors())
    assert.deepEqual(
      records.map((r) => r.value?.toString()),
      ['v0', 'v1', 'v2'],
    )
  })

  it('prints transaction markers', async () => {
    const batch = [...fileBatches(COMMIT_MARKER)][0]!
    assert.equal(batch.isControl, true)
    const [marker] = batchRecords(batch, await loadDecompressors())
    assert.equal(await controlRecordText(marker!), ' endTxnMarker: COMMIT coordinatorEpoch: 0')
  })
})

describe('dump-log files', () => {
  it('dumps a segment with --print-data-log, trailing bytes and non-consecutive offsets', async () => {
    const { out, err } = await dump(
      { '00000000000000000000.log': Buffer.concat([PLAIN, PLAIN, PLAIN.subarray(0, 20)]) },
      { printDataLog: true, deepIteration: true },
    )
    assert.equal(out[0], 'Dumping DIR/00000000000000000000.log')
    assert.equal(out[1], 'Log starting offset: 0')
    assert.equal(
      out[3],
      '| offset: 0 CreateTime: 1795988431471 keySize: -1 valueSize: 2 sequence: 0 headerKeys: [] payload: v0',
    )
    assert.match(out[6]!, /^baseOffset: 0 .* position: 88 /)
    assert.equal(out.at(-1), 'Found 20 invalid bytes at the end of 00000000000000000000.log')
    assert.deepEqual(err, ['Non-consecutive offsets in DIR/00000000000000000000.log', '  2 is followed by 0'])
  })

  it('--skip-record-metadata prints only the values; --max-bytes cuts the file without a trailing note', async () => {
    const skip = await dump(
      { '00000000000000000000.log': PLAIN },
      { printDataLog: true, deepIteration: true, skipRecordMetadata: true },
    )
    assert.deepEqual(skip.out.slice(3), ['| payload: v0', '| payload: v1', '| payload: v2'])
    const cut = await dump({ '00000000000000000000.log': Buffer.concat([PLAIN, PLAIN]) }, { maxBytes: 100 })
    assert.equal(cut.out.length, 3)
  })

  it('dumps and checks an offset index, stopping at preallocated zeros', async () => {
    const index = Buffer.alloc(64)
    index.writeInt32BE(3, 0)
    index.writeInt32BE(88, 4)
    const { out, err } = await dump(
      {
        '00000000000000000000.log': Buffer.concat([PLAIN, HEADERS]),
        '00000000000000000000.index': index,
      },
      {},
      ['00000000000000000000.index'],
    )
    assert.deepEqual(out.slice(1), ['offset: 3 position: 88'])
    assert.deepEqual(err, ['Mismatches in :DIR/00000000000000000000.index', '  Index offset: 3, log offset: 4'])
    const empty = await dump({ '00000000000000000000.log': PLAIN, '00000000000000000000.index': Buffer.alloc(0) }, {}, [
      '00000000000000000000.index',
    ])
    assert.deepEqual(empty.out.slice(1), ['DIR/00000000000000000000.index is empty.'])
  })

  it('reads producer snapshots and checks their CRC', async () => {
    const snapshot = Buffer.alloc(10 + 46)
    snapshot.writeInt16BE(1, 0)
    snapshot.writeInt32BE(1, 6)
    snapshot.writeBigInt64BE(7n, 10) // producer id
    snapshot.writeInt16BE(0, 18) // epoch
    snapshot.writeInt32BE(9, 20) // last sequence
    snapshot.writeBigInt64BE(42n, 24) // last offset
    snapshot.writeInt32BE(2, 32) // offset delta
    snapshot.writeBigInt64BE(1700000000000n, 36) // timestamp
    snapshot.writeInt32BE(-1, 44) // coordinator epoch
    snapshot.writeBigInt64BE(-1n, 48) // current txn first offset
    snapshot.writeUInt32BE(crc32c(snapshot, 6, snapshot.length), 2)
    const { out } = await dump({ '00000000000000000043.snapshot': snapshot })
    assert.equal(
      out[1],
      'producerId: 7 producerEpoch: 0 coordinatorEpoch: -1 currentTxnFirstOffset: OptionalLong.empty lastTimestamp: 1700000000000 firstSequence: 7 lastSequence: 9 lastOffset: 42 offsetDelta: 2 timestamp: 1700000000000',
    )
    snapshot[snapshot.length - 1] = 5
    const bad = await dump({ '00000000000000000043.snapshot': snapshot })
    assert.match(bad.err[0]!, /^Snapshot is corrupt \(CRC is no longer valid\)\. Stored crc: \d+\. Computed crc: \d+$/)
  })

  it("reports findings per file in java.util.HashMap's order, as the tool does", () => {
    const files = new Map<string, number>()
    for (let i = 0; i < 20; i++) files.set(`/tmp/x/__consumer_offsets-${i}/00000000000000000000.log`, i)
    // Printed by Java for the same keys put into a HashMap.
    assert.deepEqual(
      byFileInHashMapOrder(files).map(([, i]) => i),
      [1, 18, 7, 12, 17, 14, 6, 13, 2, 4, 9, 15, 3, 10, 11, 5, 19, 8, 16, 0],
    )
  })

  it('ignores files it does not know', async () => {
    const { out, err } = await dump({ 'meta.properties': Buffer.from('x') })
    assert.deepEqual(out, ['Dumping DIR/meta.properties'])
    assert.deepEqual(err, ['Ignoring unknown file DIR/meta.properties'])
  })
})

describe('dump-log decoders', () => {
  const record = (key: string | null, value: string | null) => ({
    offset: 2n,
    timestamp: 0n,
    key: key === null ? null : hex(key),
    value: value === null ? null : hex(value),
    sequence: -1,
    headerKeys: [],
  })

  it('--offsets-decoder: offset commits and group metadata as Kafka prints them', async () => {
    const parse = await parserFor('offsets')
    assert.deepEqual(
      parse(
        record(
          '0001000e64756d702d6c6f672d67726f757000066f726465727300000000',
          '00040000000000000005ffffffff01000001a22940c94b010010e1e411a6a47c4b899c99505a30de6847',
        ),
      ),
      {
        key: '{"type":"1","data":{"group":"dump-log-group","topic":"orders","partition":0}}',
        value:
          '{"version":"4","data":{"offset":5,"leaderEpoch":-1,"metadata":"","commitTimestamp":1795988441419,"topicId":"4eQRpqR8S4mcmVBaMN5oRw"}}',
      },
    )
    const group = parse(
      record(
        '0002000e64756d702d6c6f672d67726f7570',
        '00030008636f6e73756d6572000000010012526f756e64526f62696e41737369676e6572003c6b61666b69742d636f6e736f6c652d636f6e73756d65722d32343433613164662d306138332d343064642d386163632d393532333265653064653362000001a22940c88300000001003c6b61666b69742d636f6e736f6c652d636f6e73756d65722d32343433613164662d306138332d343064642d386163632d393532333265653064653362ffff00176b61666b69742d636f6e736f6c652d636f6e73756d6572000a2f3132372e302e302e310000ea60000075300000001200000000000100066f7264657273000000000000001a00000000000100066f7264657273000000010000000000000000',
      ),
    )
    assert.match(group.value!, /"subscription":\{"topics":\["orders"\],"userData":""\}/)
    assert.match(
      group.value!,
      /"assignment":\{"assignedPartitions":\[\{"topic":"orders","partitions":\[0\]\}\],"userData":""\}/,
    )
    assert.deepEqual(parse(record('0002000e64756d702d6c6f672d67726f7570', null)).value, '<DELETE>')
    assert.equal(parse(record('00630000', '0000')).key, 'Unknown record type 99 at offset 2, skipping.')
    assert.throws(() => parse(record(null, '00')), /message had a missing key/)
  })

  it('--cluster-metadata-decoder: metadata records with their type name and version', async () => {
    const parse = await parserFor('cluster-metadata')
    assert.deepEqual(parse(record(null, '010200076f7264657273e1e411a6a47c4b899c99505a30de684700')), {
      value: '{"type":"TOPIC_RECORD","version":0,"data":{"name":"orders","topicId":"4eQRpqR8S4mcmVBaMN5oRw"}}',
    })
    assert.match(
      parse(record(null, '00')).value!,
      /^Error at 2, skipping\. Could not deserialize metadata record with frame version 0/,
    )
  })

  it('prints tagged fields only when they differ from their default', () => {
    const schema = new MessageSchema({
      name: 'T',
      type: 'data',
      validVersions: '0-1',
      flexibleVersions: '1+',
      fields: [
        { name: 'A', type: 'int32', versions: '0+' },
        {
          name: 'B',
          type: 'string',
          versions: '1+',
          taggedVersions: '1+',
          tag: 0,
          default: 'null',
          nullableVersions: '1+',
        },
        { name: 'C', type: 'float64', versions: '0+' },
        { name: 'D', type: 'bytes', versions: '0+' },
      ],
    })
    const v1 = schema.read(new Reader(hex('00000007' + '3ff8000000000000' + '03' + 'abcd' + '00')), 1)
    assert.equal(
      schema.json(v1, 1),
      '{"A":7,"C":1.5,"D":"q80="}'.replace('"A"', '"a"').replace('"C"', '"c"').replace('"D"', '"d"'),
    )
    const tagged = schema.read(new Reader(hex('00000007' + '3ff8000000000000' + '01' + '01' + '0002' + '02' + '78')), 1)
    assert.equal(schema.json(tagged, 1), '{"a":7,"b":"x","c":1.5,"d":""}')
  })

  it('formats as Java and Jackson do', () => {
    assert.deepEqual([1, 0.5, 1e7, 1.5e-4, 123.25].map(javaDouble), ['1.0', '0.5', '1.0E7', '1.5E-4', '123.25'])
    assert.equal(jsonString('a"\u0001'), '"a\\"\\u0001"')
    assert.equal(snakeUpper('RegisterBrokerRecord'), 'REGISTER_BROKER_RECORD')
  })
})

describe('dump-log record definitions', () => {
  it(
    'are current with the pinned Kafka jars',
    {
      skip: existsSync(recordSchemaJars()) ? false : 'Kafka not fetched yet (scripts/fetch-kafka.sh)',
      timeout: 120_000,
    },
    async () => {
      assert.equal(
        await generateRecordSchemas(),
        readFileSync(RECORD_SCHEMAS_FILE, 'utf8'),
        'run node --import tsx scripts/gen-record-schemas.ts',
      )
    },
  )
})

describe('dump-log options', () => {
  it('follows the script: decoders imply --print-data-log, one decoder wins', () => {
    assert.equal(printDataLogFrom({ 'offsets-decoder': true }), true)
    assert.equal(printDataLogFrom({ 'deep-iteration': true }), false)
    assert.equal(decoderFrom({ 'offsets-decoder': true, 'cluster-metadata-decoder': true }), 'offsets')
    assert.equal(decoderFrom({ 'value-decoder-class': 'org.apache.kafka.tools.api.StringDecoder' }), 'string')
    assert.equal(decoderFrom({}, '__cluster_metadata'), 'cluster-metadata')
    assert.throws(() => decoderFrom({ 'value-decoder-class': 'com.acme.Avro' }), UsageError)
    assert.throws(() => decoderFrom({ 'share-group-state-decoder': true }), UsageError)
  })

  it('needs --files or --topic, not both', () => {
    assert.deepEqual(filesFrom('a.log,b.index', undefined), ['a.log', 'b.index'])
    assert.equal(filesFrom(undefined, 'orders'), undefined)
    assert.throws(() => filesFrom(undefined, undefined), /Missing required argument/)
    assert.throws(() => filesFrom('a.log', 'orders'), /cannot be used together/)
  })
})
