import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { decodeRecord, encodeRecord, groupMessagesPerPartition } from '../../src/cluster/kafkajs-fast.js'
import { fastPathInstalled as installed } from '../../src/cluster/kafkajs-internals.js'
import { UsageError } from '../../src/errors.js'
import {
  consumerSettings,
  producerSettings,
  withDefaultCodec,
  checkClass,
  waitingHint,
} from '../../src/records/console-options.js'
import {
  lz4Compress,
  lz4Decompress,
  snappyCompress,
  snappyDecompress,
  zstdCompress,
  zstdDecompress,
} from '../../src/records/compression.js'
import { DefaultFormatter, JsonFormatter, TemplateFormatter, deserializerFor } from '../../src/records/formatter.js'
import { bytesToJson, parseJsonRecord, recordToJson } from '../../src/records/json-records.js'
import { LineParser, lineReaderOptions } from '../../src/records/line-reader.js'
import { LineSplitter } from '../../src/records/line-splitter.js'
import { parseOffsetSpec, startOffset } from '../../src/records/offset-spec.js'
import { parsePointInTime } from '../../src/util/time.js'
import { murmur2, partitionForKey } from '../../src/records/partitioner.js'
import { crc32c, crc32cCombine } from '../../src/records/crc32c.js'
import { RecordBatchBuilder } from '../../src/records/record-batch.js'
import { formatProduceSummary } from '../../src/records/summary.js'
import type { IncomingRecord } from '../../src/records/types.js'

const require = createRequire(import.meta.url)
const b = (s: string) => Buffer.from(s)
const str = (x: Buffer | null) => (x === null ? null : x.toString())

describe('LineSplitter', () => {
  const split = (chunks: string[]) => {
    const s = new LineSplitter()
    const lines: string[] = []
    for (const chunk of chunks) s.push(b(chunk), (l) => lines.push(l.toString()))
    s.end((l) => lines.push(l.toString()))
    return lines
  }
  const cases: Array<[string, string[], string[]]> = [
    ['\\n lines', ['a\nb\n'], ['a', 'b']],
    ['last line without newline', ['a\nb'], ['a', 'b']],
    ['\\r\\n like BufferedReader', ['a\r\nb\r\n'], ['a', 'b']],
    ['lone \\r', ['a\rb\n'], ['a', 'b']],
    ['\\r\\n split across chunks', ['a\r', '\nb\n'], ['a', 'b']],
    ['line split across chunks', ['ab', 'c\nd', 'e\n'], ['abc', 'de']],
    ['empty lines are records', ['\n\nx\n'], ['', '', 'x']],
    ['nothing', [''], []],
  ]
  for (const [name, chunks, expected] of cases) it(name, () => assert.deepEqual(split(chunks), expected))
  it('passes arbitrary bytes through', () => {
    const s = new LineSplitter()
    const lines: Buffer[] = []
    s.push(Buffer.from([0xff, 0x00, 0x0a, 0xc3]), (l) => lines.push(Buffer.from(l)))
    s.end((l) => lines.push(l))
    assert.deepEqual(lines, [Buffer.from([0xff, 0x00]), Buffer.from([0xc3])])
  })
})

describe('LineParser (Kafka LineMessageReader)', () => {
  const parse = (line: string, props: string[]) => {
    const r = new LineParser(lineReaderOptions(props)).parse(b(line), 7)
    return { key: str(r.key), value: str(r.value), headers: r.headers.map((h) => [h.key, str(h.value)]) }
  }
  const cases: Array<[string, string, string[], ReturnType<typeof parse>]> = [
    ['plain value', 'k\tv', [], { key: null, value: 'k\tv', headers: [] }],
    ['key and value', 'k\tv\tw', ['parse.key=true'], { key: 'k', value: 'v\tw', headers: [] }],
    ['custom key separator', 'k::v', ['parse.key=true', 'key.separator=::'], { key: 'k', value: 'v', headers: [] }],
    [
      'headers, key, value',
      'h1:a,h2:b\tk\tv',
      ['parse.key=true', 'parse.headers=true'],
      {
        key: 'k',
        value: 'v',
        headers: [
          ['h1', 'a'],
          ['h2', 'b'],
        ],
      },
    ],
    ['headers and value', 'h:x:y\tv', ['parse.headers=true'], { key: null, value: 'v', headers: [['h', 'x:y']] }],
    [
      'repeated header keys keep order',
      'a:1,b:2,a:3\tv',
      ['parse.headers=true'],
      {
        key: null,
        value: 'v',
        headers: [
          ['a', '1'],
          ['b', '2'],
          ['a', '3'],
        ],
      },
    ],
    [
      'trailing header separator dropped',
      'a:1,\tv',
      ['parse.headers=true'],
      { key: null, value: 'v', headers: [['a', '1']] },
    ],
    [
      'null.marker for key, value, header value',
      'h:NULL\tNULL\tNULL',
      ['parse.key=true', 'parse.headers=true', 'null.marker=NULL'],
      { key: null, value: null, headers: [['h', null]] },
    ],
    [
      'null.marker for all headers',
      'NULL\tk\tv',
      ['parse.key=true', 'parse.headers=true', 'null.marker=NULL'],
      { key: 'k', value: 'v', headers: [] },
    ],
    [
      'ignore.error: missing key separator gives a null key',
      'novalue',
      ['parse.key=true', 'ignore.error=true'],
      { key: null, value: 'novalue', headers: [] },
    ],
    [
      'ignore.error: header without separator',
      'h\tv',
      ['parse.headers=true', 'ignore.error=true'],
      { key: null, value: 'v', headers: [['h', null]] },
    ],
    ['empty value', 'k\t', ['parse.key=true'], { key: 'k', value: '', headers: [] }],
    ['TRUE is true (case-insensitive like Kafka)', 'k\tv', ['parse.key=TRUE'], { key: 'k', value: 'v', headers: [] }],
  ]
  for (const [name, line, props, expected] of cases) it(name, () => assert.deepEqual(parse(line, props), expected))

  const errors: Array<[string, string, string[], RegExp]> = [
    ['missing key separator', 'novalue', ['parse.key=true'], /No key separator found on line number 7: 'novalue'/],
    ['missing headers delimiter', 'v', ['parse.headers=true'], /No headers delimiter found on line number 7/],
    [
      'header without key separator',
      'h\tv',
      ['parse.headers=true'],
      /No header key separator found in pair 'h' on line number 7/,
    ],
    [
      'null header key',
      'N:x\tv',
      ['parse.headers=true', 'null.marker=N'],
      /Header keys should not be equal to the null marker 'N'/,
    ],
  ]
  for (const [name, line, props, message] of errors)
    it(`error: ${name}`, () => assert.throws(() => parse(line, props), message))

  const badProps: Array<[string[], RegExp]> = [
    [['parse.key'], /Malformed --property "parse.key": expected key=value/],
    [['parse.kye=true'], /Unknown --property key "parse.kye"/],
    [['parse.key=yes'], /Invalid property parse.key=yes: expected true or false/],
    [['headers.delimiter=,'], /headers.delimiter and headers.separator may not be equal/],
    [['headers.separator=:'], /headers.separator and headers.key.separator may not be equal/],
    [['null.marker=\t'], /null.marker and key.separator may not be equal/],
    [['key.separator='], /key.separator may not be empty/],
  ]
  for (const [props, message] of badProps) {
    it(`rejects ${props.join(' ')}`, () =>
      assert.throws(
        () => lineReaderOptions(props),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      ))
  }
})

describe('LineParser fast path (key and value as ranges)', () => {
  for (const separator of [':', '::']) {
    it(`finds the key separator like parse (${separator})`, () => {
      const parser = new LineParser(lineReaderOptions(['parse.key=true', `key.separator=${separator}`]))
      for (const line of ['k:v', ':v', 'k:', 'kv', `a${separator}b${separator}c`, '']) {
        const data = Buffer.concat([b('zz'), b(line), b(`${separator}zz`)])
        const index = parser.keySeparatorIndex(data, 2, 2 + line.length)
        const parsed = line.includes(separator) ? parser.parse(b(line), 1) : undefined
        if (!parsed) assert.equal(index, -1, line)
        else assert.equal(str(data.subarray(2, index)), str(parsed.key), line)
      }
    })
  }
})

describe('JSON records', () => {
  it('text, binary and null bytes', () => {
    assert.equal(bytesToJson(b('héllo')), 'héllo')
    assert.deepEqual(bytesToJson(Buffer.from([0xff, 0xfe])), { base64: '//4=' })
    assert.equal(bytesToJson(null), null)
  })
  const record: IncomingRecord = {
    topic: 't',
    partition: 2,
    offset: '5',
    timestamp: '1700000000000',
    timestampType: 'CreateTime',
    key: Buffer.from([0x00, 0xff]),
    value: null,
    headers: [
      { key: 'a', value: b('1') },
      { key: 'a', value: null },
      { key: 'b', value: Buffer.from([0x80]) },
    ],
  }
  it('a consumed record round-trips through producer input, byte for byte', () => {
    const line = JSON.stringify(recordToJson(record))
    assert.equal(
      line,
      '{"topic":"t","partition":2,"offset":5,"timestamp":1700000000000,"timestampType":"CreateTime","key":{"base64":"AP8="},"value":null,"headers":[{"key":"a","value":"1"},{"key":"a","value":null},{"key":"b","value":{"base64":"gA=="}}]}',
    )
    const back = parseJsonRecord(line, 1)
    assert.deepEqual(back.key, record.key)
    assert.equal(back.value, null)
    assert.deepEqual(back.headers, record.headers)
    assert.equal(back.partition, 2)
    assert.equal(back.timestamp, 1700000000000)
  })
  it('int64 offsets beyond 2^53 stay exact strings', () =>
    assert.equal(recordToJson({ ...record, offset: '9007199254740993' }).offset, '9007199254740993'))
  const inputs: Array<[string, { key: string | null; value: string | null; headers: Array<[string, string | null]> }]> =
    [
      ['{"value":"v"}', { key: null, value: 'v', headers: [] }],
      ['{"key":"k","value":{"id":1}}', { key: 'k', value: '{"id":1}', headers: [] }],
      ['{"value":42}', { key: null, value: '42', headers: [] }],
      [
        '{"value":null,"headers":{"x":"1","y":["2","3"]}}',
        {
          key: null,
          value: null,
          headers: [
            ['x', '1'],
            ['y', '2'],
            ['y', '3'],
          ],
        },
      ],
      [
        '{"value":"v","headers":[["x","1"],["x",null]]}',
        {
          key: null,
          value: 'v',
          headers: [
            ['x', '1'],
            ['x', null],
          ],
        },
      ],
      ['{"value":{"base64":"aGk="}}', { key: null, value: 'hi', headers: [] }],
    ]
  for (const [line, expected] of inputs) {
    it(`input ${line}`, () => {
      const r = parseJsonRecord(line, 1)
      assert.deepEqual(
        { key: str(r.key), value: str(r.value), headers: r.headers.map((h) => [h.key, str(h.value)]) },
        expected,
      )
    })
  }
  const bad: Array<[string, RegExp]> = [
    ['nope', /Line 3 is not valid JSON/],
    ['[1]', /Line 3: expected a JSON object/],
    ['{"key":"k"}', /missing "value"/],
    ['{"value":"v","partition":-1}', /partition must be a non-negative integer/],
    ['{"value":"v","timestamp":"yesterday"}', /timestamp must be epoch milliseconds or an ISO-8601 date/],
    ['{"value":{"base64":"***"}}', /value.base64 is not base64/],
    ['{"status":"error","error":{"message":"x"}}', /missing "value"/],
  ]
  for (const [line, message] of bad) it(`rejects ${line}`, () => assert.throws(() => parseJsonRecord(line, 3), message))
  it('ISO timestamps', () =>
    assert.equal(
      parseJsonRecord('{"value":"v","timestamp":"2024-05-01T00:00:00Z"}', 1).timestamp,
      Date.UTC(2024, 4, 1),
    ))
})

describe('DefaultFormatter (Kafka DefaultMessageFormatter)', () => {
  const record: IncomingRecord = {
    topic: 'orders',
    partition: 0,
    offset: '5',
    timestamp: '1700000000000',
    timestampType: 'CreateTime',
    key: b('key'),
    value: b('value'),
    headers: [
      { key: 'h1', value: b('v1') },
      { key: 'h2', value: null },
    ],
  }
  const render = (props: string[], r: IncomingRecord = record) => {
    const out: Buffer[] = []
    new DefaultFormatter({ properties: props }).format(r, out)
    return Buffer.concat(out).toString()
  }
  const all = [
    'print.timestamp=true',
    'print.partition=true',
    'print.offset=true',
    'print.headers=true',
    'print.key=true',
  ]
  const cases: Array<[string, string[], string, IncomingRecord?]> = [
    ['value only (default)', [], 'value\n'],
    ['key and value', ['print.key=true'], 'key\tvalue\n'],
    [
      "everything, in Kafka's order",
      all,
      'CreateTime:1700000000000\tPartition:0\tOffset:5\th1:v1,h2:null\tkey\tvalue\n',
    ],
    [
      'separators and null literal',
      [...all, 'key.separator=|', 'line.separator=;', 'headers.separator=/', 'null.literal=NIL'],
      'CreateTime:1700000000000|Partition:0|Offset:5|h1:v1/h2:NIL|key|value;',
    ],
    ['no headers', ['print.headers=true'], 'NO_HEADERS\tvalue\n', { ...record, headers: [] }],
    ['value off: last field ends the line', ['print.key=true', 'print.value=false'], 'key\n'],
    ['null key and value', ['print.key=true'], 'null\tnull\n', { ...record, key: null, value: null }],
    [
      'LogAppendTime',
      ['print.timestamp=true'],
      'LogAppendTime:1700000000000\tvalue\n',
      { ...record, timestampType: 'LogAppendTime' },
    ],
    [
      'epoch and delivery as Kafka 4.x prints them',
      ['print.offset=true', 'print.epoch=true', 'print.delivery=true'],
      'Offset:5\tDelivery:NOT_PRESENT\tEpoch:NOT_PRESENT\tvalue\n',
    ],
  ]
  for (const [name, props, expected, r] of cases) it(name, () => assert.equal(render(props, r), expected))
  it('deserializers print numbers like Java', () => {
    const long = Buffer.alloc(8)
    long.writeBigInt64BE(-5n)
    assert.equal(
      render(['print.key=true', 'key.deserializer=org.apache.kafka.common.serialization.LongDeserializer'], {
        ...record,
        key: long,
      }),
      '-5\tvalue\n',
    )
    assert.deepEqual(
      deserializerFor('org.apache.kafka.common.serialization.DoubleDeserializer')!(
        Buffer.from([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]),
      ),
      b('1.0'),
    )
    assert.throws(() => deserializerFor('com.example.AvroDeserializer'), /Unsupported deserializer/)
  })
  it('rejects unknown properties', () =>
    assert.throws(() => render(['print.kye=true']), /Unknown --property key "print.kye"/))
  it('valueOnly only for the default output', () => {
    assert.equal(new DefaultFormatter().valueOnly, true)
    assert.equal(new DefaultFormatter({ properties: ['print.key=true'] }).valueOnly, false)
  })
})

describe('TemplateFormatter (kcat tokens)', () => {
  const record: IncomingRecord = {
    topic: 'orders',
    partition: 1,
    offset: '42',
    timestamp: '1700000000000',
    timestampType: 'CreateTime',
    key: b('k'),
    value: b('hello'),
    headers: [
      { key: 'a', value: b('1') },
      { key: 'b', value: b('2') },
    ],
  }
  const render = (template: string, r: IncomingRecord = record, nul?: string) => {
    const out: Buffer[] = []
    new TemplateFormatter(template, nul).format(r, out)
    return Buffer.concat(out).toString()
  }
  const cases: Array<[string, string, IncomingRecord?, string?]> = [
    ['%t/%p/%o %k=%s\\n', 'orders/1/42 k=hello\n'],
    ['%v %S %K %T %d', 'hello 5 1 1700000000000 2023-11-14T22:13:20.000Z'],
    ['[%h]\\t100%%', '[a=1,b=2]\t100%'],
    ['%k|%s|%K', '||-1', { ...record, key: null, value: null }],
    ['%k|%s', 'NULL|NULL', { ...record, key: null, value: null }, 'NULL'],
  ]
  for (const [template, expected, r, nul] of cases) it(template, () => assert.equal(render(template, r, nul), expected))
  it('rejects unknown tokens', () => assert.throws(() => render('%x'), /Unknown token %x in --format/))
  it('JSON formatter writes one line per record', () => {
    const out: Buffer[] = []
    new JsonFormatter().format(record, out)
    assert.match(Buffer.concat(out).toString(), /^\{"topic":"orders",.*\}\n$/)
  })
})

describe('offset and time specs', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0)
  const times: Array<[string, number]> = [
    ['1700000000000', 1700000000000],
    ['2024-05-01T10:00:00Z', Date.UTC(2024, 4, 1, 10)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['-15m', now - 15 * 60_000],
    ['-2h', now - 2 * 3_600_000],
    ['-1d', now - 86_400_000],
    ['-30s', now - 30_000],
    ['now', now],
  ]
  for (const [input, ms] of times)
    it(`time ${input}`, () => assert.equal(parsePointInTime(input, '--from-time', now), ms))
  it('rejects bad times', () =>
    assert.throws(() => parsePointInTime('yesterday', '--from-time', now), /Invalid --from-time "yesterday"/))
  const offsets: Array<[string, unknown]> = [
    ['earliest', { kind: 'earliest' }],
    ['LATEST', { kind: 'latest' }],
    ['42', { kind: 'offset', offset: '42' }],
    ['-10', { kind: 'fromEnd', count: 10 }],
    ['@-15m', { kind: 'time', timestamp: now - 15 * 60_000 }],
    ['@1700000000000', { kind: 'time', timestamp: 1700000000000 }],
  ]
  for (const [input, spec] of offsets) it(`offset ${input}`, () => assert.deepEqual(parseOffsetSpec(input, now), spec))
  it('rejects bad offsets like the script', () =>
    assert.throws(() => parseOffsetSpec('x'), /The provided offset value 'x' is incorrect/))
  const starts: Array<[string, ReturnType<typeof parseOffsetSpec>, string, string, string | undefined, string]> = [
    ['earliest', { kind: 'earliest' }, '10', '100', undefined, '10'],
    ['latest', { kind: 'latest' }, '10', '100', undefined, '100'],
    ['offset inside', { kind: 'offset', offset: '50' }, '10', '100', undefined, '50'],
    ['offset below the log start is clamped', { kind: 'offset', offset: '3' }, '10', '100', undefined, '10'],
    ['offset past the end is clamped', { kind: 'offset', offset: '500' }, '10', '100', undefined, '100'],
    ['last 5', { kind: 'fromEnd', count: 5 }, '10', '100', undefined, '95'],
    ['last 500 (more than there are)', { kind: 'fromEnd', count: 500 }, '10', '100', undefined, '10'],
    ['time found', { kind: 'time', timestamp: 1 }, '10', '100', '60', '60'],
    ['time after the last record', { kind: 'time', timestamp: 1 }, '10', '100', '-1', '100'],
  ]
  for (const [name, spec, low, high, forTime, expected] of starts)
    it(`start: ${name}`, () => assert.equal(startOffset(spec, low, high, forTime), expected))
})

describe('partitioner (Java murmur2)', () => {
  // Kafka's UtilsTest.testMurmur2 vectors.
  const vectors: Array<[string | number[], number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    [[0x61, 0x62, 0x63], 479470107],
  ]
  for (const [input, hash] of vectors)
    it(`murmur2(${String(input)})`, () =>
      assert.equal(murmur2(typeof input === 'string' ? b(input) : Uint8Array.from(input)), hash))
  it('partition = positive hash mod count', () =>
    assert.equal(partitionForKey(b('foobar'), 7), (-790332482 & 0x7fffffff) % 7))
})

describe('compression framings', () => {
  const inputs = [Buffer.alloc(0), b('hello'), b('abc'.repeat(50_000)), randomBytes(150_000)]
  for (const input of inputs) {
    it(`${input.length} bytes round-trip through snappy, lz4 and zstd`, async () => {
      assert.deepEqual(snappyDecompress(snappyCompress(input)), input)
      assert.deepEqual(lz4Decompress(lz4Compress(input)), input)
      assert.deepEqual(zstdDecompress(await zstdCompress(input)), input)
    })
  }
  it("snappy uses the Java client's xerial framing", () =>
    assert.deepEqual(
      snappyCompress(b('x')).subarray(0, 16),
      Buffer.from('82534e415050590000000001000000 01'.replace(/ /g, ''), 'hex'),
    ))
  it('lz4 frames declare independent blocks (Kafka rejects dependent ones)', () => {
    const frame = lz4Compress(b('abc'.repeat(100)))
    assert.equal(frame.readUInt32LE(0), 0x184d2204)
    assert.equal(frame[4]! & 0x20, 0x20)
  })
})

describe('kafkajs fast path', () => {
  const originalPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/index.js')
  // The fast path seeded the require cache; load kafkajs's own encoder beside it for comparison.
  delete require.cache[originalPath]
  const original = require(originalPath) as (r: object) => { buffer: Buffer }
  const records = [
    { offsetDelta: 0, timestampDelta: 0, key: null, value: b('v') },
    { offsetDelta: 3, timestampDelta: 1234, key: b('key'), value: randomBytes(300) },
    {
      offsetDelta: 70000,
      timestampDelta: 5_000_000_000,
      key: 'k',
      value: 'text',
      headers: { a: b('1'), b: [b('2'), b('3')] },
    },
    { offsetDelta: 1, timestampDelta: -5, key: b(''), value: null },
  ]
  for (const [i, record] of records.entries()) {
    it(`encodes record ${i} exactly like kafkajs`, () =>
      assert.deepEqual(encodeRecord(record).buffer, original(record).buffer))
  }
  it('is installed (kafkajs 2.2.4, loaded after it)', () => assert.equal(installed, true))
  const decoderPath = require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js')
  delete require.cache[decoderPath]
  const originalDecoder = require(decoderPath) as (d: object, c: object) => Record<string, unknown>
  const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => { buffer: Buffer; offset: number }
  const contexts = [
    {
      firstOffset: '1000',
      firstTimestamp: '1700000000000',
      magicByte: 2,
      timestampType: 0,
      maxTimestamp: '1700000009999',
    },
    {
      firstOffset: '9007199254740990',
      firstTimestamp: '1700000000000',
      magicByte: 2,
      timestampType: 1,
      maxTimestamp: '1700000009999',
      isControlBatch: true,
    },
  ]
  for (const [i, record] of records.entries()) {
    for (const context of contexts) {
      it(`decodes record ${i} exactly like kafkajs (${context.firstOffset})`, () => {
        const bytes = original(record).buffer
        // Skip the record's length varint, as kafkajs's batch decoder does before calling the record decoder.
        const lengthBytes = bytes[0]! & 0x80 ? 2 : 1
        const a = originalDecoder(new Decoder(bytes.subarray(lengthBytes)), context)
        const b = decodeRecord(new Decoder(bytes.subarray(lengthBytes)), context)
        assert.deepEqual(b, a)
      })
    }
  }
  it('Batch filters and answers like kafkajs', () => {
    const batchPath = require.resolve('kafkajs/src/consumer/batch.js')
    const Fast = require(batchPath) as new (...args: unknown[]) => Record<string, unknown> & {
      lastOffset(): string
      offsetLag(): string
      offsetLagLow(): string
      isEmpty(): boolean
    }
    delete require.cache[batchPath]
    const Original = require(batchPath) as typeof Fast
    const data = (offsets: string[]) => ({
      partition: 0,
      highWatermark: '120',
      abortedTransactions: [],
      messages: offsets.map((offset) => ({ offset, isControlRecord: false })),
    })
    for (const [fetched, offsets] of [
      ['100', ['98', '99', '100', '101']],
      ['5', []],
      ['10', ['8', '9']],
      ['99', ['100', '119']],
    ] as const) {
      const a = new Original('t', fetched, data([...offsets]))
      const b = new Fast('t', fetched, data([...offsets]))
      assert.deepEqual(b.messages, a.messages)
      assert.equal(b.lastOffset(), a.lastOffset())
      assert.equal(b.offsetLag(), a.offsetLag())
      assert.equal(b.offsetLagLow(), a.offsetLagLow())
      assert.equal(b.isEmpty(), a.isEmpty())
    }
  })
  it('encodes a produce request exactly like kafkajs', async () => {
    const path = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js')
    const fast = require(path) as (args: object) => { encode(): Promise<{ buffer: Buffer }> }
    delete require.cache[path]
    const slow = require(path) as typeof fast
    require.cache[path]!.exports = fast
    const args = {
      acks: -1,
      timeout: 30000,
      compression: 0,
      transactionalId: null,
      producerEpoch: 0,
      topicData: [
        {
          topic: 'orders',
          partitions: [
            {
              partition: 0,
              firstSequence: 7,
              messages: [
                { key: b('k'), value: b('v1'), timestamp: '1700000000005' },
                { key: null, value: b('v2'), timestamp: '1700000000001', headers: { h: b('x') } },
              ],
            },
            { partition: 2, firstSequence: 0, messages: [{ value: randomBytes(200), timestamp: '1700000000000' }] },
          ],
        },
      ],
    }
    assert.deepEqual((await fast(args).encode()).buffer, (await slow(args).encode()).buffer)
  })
  it('keeps ordered header lists with null values', () => {
    const encoded = encodeRecord({
      value: b('v'),
      headers: [
        { key: 'a', value: null },
        { key: 'b', value: b('x') },
        { key: 'a', value: b('y') },
      ],
    }).buffer
    assert.ok(encoded.includes(Buffer.from([0x02, 0x61, 0x01]))) // key "a", value length -1 (null)
  })
  it('crc32c matches kafkajs (slice-by-8 against its byte table)', () => {
    const slow = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (buffer: Buffer) => number
    for (const length of [0, 1, 7, 8, 9, 63, 1000, 65_537]) {
      const data = randomBytes(length)
      assert.equal(crc32c(data), slow(data) >>> 0, `length ${length}`)
      assert.equal(crc32c(Buffer.concat([b('xx'), data, b('y')]), 2, 2 + length), slow(data) >>> 0)
      const head = randomBytes(40)
      assert.equal(
        crc32cCombine(crc32c(head), crc32c(data), length),
        crc32c(Buffer.concat([head, data])),
        `combine, length ${length}`,
      )
    }
  })
  // The producer's batches, encoded as records are read, against kafkajs's encoder given the same records.
  const batchRecords = [
    { key: b('k'), value: b('v1'), headers: [], timestamp: 1_700_000_000_000 },
    {
      key: null,
      value: randomBytes(300),
      headers: [
        { key: 'h', value: b('x') },
        { key: 'é', value: b('') },
      ],
      timestamp: 1_700_000_000_001,
    },
    { key: b(''), value: null, headers: [], timestamp: 1_700_000_000_001 },
    { key: b('key'), value: b('z'.repeat(20_000)), headers: [], timestamp: 1_700_000_009_000 },
  ]
  const kafkajsMessage = (r: (typeof batchRecords)[number]) => ({
    key: r.key,
    value: r.value,
    timestamp: String(r.timestamp),
    ...(r.headers.length > 0 ? { headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value])) } : {}),
  })
  const builderOf = (records: typeof batchRecords) => {
    const builder = new RecordBatchBuilder(16)
    for (const r of records) {
      if (r.headers.length === 0 && r.value !== null) {
        // The allocation-free path: key and value as ranges of one input buffer.
        const line = Buffer.concat([b('..'), r.key ?? b(''), b(':'), r.value, b('..')])
        const keyEnd = 2 + (r.key?.length ?? 0)
        builder.appendRange(line, r.key ? 2 : -1, r.key ? keyEnd : -1, keyEnd + 1, line.length - 2, r.timestamp)
      } else {
        builder.append(r.key, r.value, r.headers, r.timestamp)
      }
    }
    return builder
  }
  for (const compression of [0, 1]) {
    it(`pre-encoded batches make the same produce request as kafkajs (compression ${compression})`, async () => {
      const path = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js')
      const fast = require(path) as (args: object) => { encode(): Promise<{ buffer: Buffer }> }
      delete require.cache[path]
      const slow = require(path) as typeof fast
      require.cache[path]!.exports = fast
      const Long = require('kafkajs/src/utils/long.js') as { fromInt(n: number): unknown }
      const partitioner = ({ message }: { message: unknown }) => (message as { partition: number }).partition
      const grouped = groupMessagesPerPartition({
        topic: 't',
        partitionMetadata: [{}],
        partitioner,
        messages: [
          { partition: 0, [Symbol.for('kafkit.preEncodedBatch')]: builderOf(batchRecords) } as { partition: number },
          { partition: 3, [Symbol.for('kafkit.preEncodedBatch')]: builderOf(batchRecords.slice(1, 2)) } as {
            partition: number
          },
        ],
      })
      assert.equal(grouped[0]!.length, 4) // kafkajs advances the idempotent sequence by this
      const args = (messages: (p: number) => unknown) => ({
        acks: -1,
        timeout: 30000,
        compression,
        transactionalId: null,
        producerId: Long.fromInt(4711),
        producerEpoch: 3,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              { partition: 0, firstSequence: 7, messages: messages(0) },
              { partition: 3, firstSequence: 0, messages: messages(3) },
            ],
          },
        ],
      })
      const expected = (
        await slow(args((p) => (p === 0 ? batchRecords : batchRecords.slice(1, 2)).map(kafkajsMessage))).encode()
      ).buffer
      const actual = (await fast(args((p) => grouped[p])).encode()).buffer
      assert.deepEqual(actual, expected)
    })
  }
  it('request header written in place matches kafkajs', async () => {
    const path = require.resolve('kafkajs/src/protocol/request.js')
    const fast = require(path) as (args: object) => Promise<{ buffer: Buffer }>
    delete require.cache[path]
    const slow = require(path) as typeof fast
    require.cache[path]!.exports = fast
    const produce = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (args: object) => object
    const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => { writeInt32(n: number): object }
    const requests = [
      produce({
        acks: 1,
        timeout: 100,
        topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: b('v'), timestamp: '5' }] }] }],
      }),
      { apiKey: 3, apiVersion: 1, encode: async () => new Encoder().writeInt32(42) },
    ]
    for (const request of requests) {
      for (const clientId of ['kafkit', null, 'x'.repeat(600)]) {
        assert.deepEqual(
          (await fast({ correlationId: 9, clientId, request })).buffer,
          (await slow({ correlationId: 9, clientId, request })).buffer,
        )
      }
    }
  })
  it('a batch decodes back to its records (splitting a batch that is too large)', () => {
    const decoded = builderOf(batchRecords).decode()
    assert.deepEqual(
      decoded,
      batchRecords.map((r) => ({ ...r, key: r.key, value: r.value })),
    )
  })
  it('murmur2 over a range equals murmur2 of the slice', () => {
    const data = b('xxkey-1234567yy')
    for (const [s, e] of [
      [2, 13],
      [2, 3],
      [2, 2],
      [0, 15],
      [3, 9],
    ] as const)
      assert.equal(murmur2(data, s, e), murmur2(data.subarray(s, e)))
  })
  it('groups messages per partition in order', () => {
    const messages = [{ partition: 1 }, { partition: 0 }, { partition: 1 }]
    assert.deepEqual(
      groupMessagesPerPartition({
        topic: 't',
        partitionMetadata: [{}],
        messages,
        partitioner: ({ message }) => (message as { partition: number }).partition,
      }),
      { 0: [messages[1]], 1: [messages[0], messages[2]] },
    )
  })
})

describe('console options', () => {
  it('flag beats client property beats default', () => {
    assert.equal(producerSettings({}, {}).acks, -1)
    assert.equal(producerSettings({}, { acks: '1' }).acks, 1)
    assert.equal(producerSettings({ 'request-required-acks': 'all' }, { acks: '1' }).acks, -1)
    assert.equal(producerSettings({}, { 'linger.ms': '5' }).lingerMs, 5)
    assert.equal(producerSettings({ timeout: 0 }, { 'linger.ms': '5' }).lingerMs, 0)
  })
  it('idempotent by default, off with acks=1 or enable.idempotence=false', () => {
    assert.equal(producerSettings({}, {}).idempotent, true)
    assert.equal(producerSettings({ 'request-required-acks': '1' }, {}).idempotent, false)
    assert.equal(producerSettings({}, { 'enable.idempotence': 'false' }).idempotent, false)
    assert.throws(
      () => producerSettings({ 'request-required-acks': '0' }, { 'enable.idempotence': 'true' }),
      /enable.idempotence=true needs acks=all/,
    )
    assert.throws(() => producerSettings({ 'request-required-acks': '2' }, {}), /Invalid --request-required-acks "2"/)
  })
  it('delivery as the Java producer: unlimited retries bounded by delivery.timeout.ms, fitted to linger + request timeout', () => {
    const defaults = producerSettings({}, {})
    assert.equal(defaults.retries, Number.MAX_SAFE_INTEGER)
    assert.equal(defaults.deliveryTimeoutMs, 120_000)
    assert.equal(defaults.requestTimeoutMs, 30_000)
    assert.equal(defaults.retryBackoffMaxMs, 1000)
    // Only the delivery timeout given: the request timeout shrinks to fit (the script's own default is 1500 ms).
    assert.deepEqual(pick(producerSettings({}, { 'delivery.timeout.ms': '10000' })), {
      deliveryTimeoutMs: 10_000,
      requestTimeoutMs: 9000,
      lingerMs: 1000,
    })
    // A long linger with no delivery timeout: the delivery timeout grows (Java adjusts it the same way).
    assert.deepEqual(pick(producerSettings({ timeout: 600_000 }, {})), {
      deliveryTimeoutMs: 630_000,
      requestTimeoutMs: 30_000,
      lingerMs: 600_000,
    })
    // Both given and in conflict: Java's ConfigException, as a usage error.
    assert.throws(
      () => producerSettings({ 'request-timeout-ms': 30_000 }, { 'delivery.timeout.ms': '10000' }),
      /delivery.timeout.ms=10000 must be at least linger.ms \+ request.timeout.ms \(1000 \+ 30000\)/,
    )
    assert.throws(
      () => producerSettings({ timeout: 5000 }, { 'delivery.timeout.ms': '5000' }),
      /must be larger than linger.ms/,
    )
    assert.equal(producerSettings({ 'message-send-max-retries': 3 }, {}).retries, 3)
    assert.equal(producerSettings({}, { retries: '7', 'retry.backoff.max.ms': '250' }).retryBackoffMaxMs, 250)
    assert.throws(
      () => producerSettings({}, { 'max.in.flight.requests.per.connection': '6' }),
      /1 to 5 with idempotence/,
    )
  })
  it('topics are auto-created unless allow.auto.create.topics=false (producer and consumer)', () => {
    assert.equal(producerSettings({}, {}).autoCreate, true)
    assert.equal(producerSettings({}, { 'allow.auto.create.topics': 'false' }).autoCreate, false)
    assert.equal(consumerSettings({ topic: 't' }, {}).autoCreate, true)
    assert.equal(consumerSettings({ topic: 't' }, { 'allow.auto.create.topics': 'FALSE' }).autoCreate, false)
    assert.throws(
      () => consumerSettings({ topic: 't' }, { 'allow.auto.create.topics': 'no' }),
      /allow.auto.create.topics=no: expected true or false/,
    )
  })
  it('on a terminal, reading from latest says it is waiting (and nothing in a pipe, with a group or a start)', () => {
    assert.equal(
      waitingHint({ topic: 'orders', fromBeginning: false }, true),
      'Waiting for new records on orders (from latest; --from-beginning for all). Ctrl-C to stop.',
    )
    assert.match(waitingHint({ include: 'ord.*', fromBeginning: false }, true)!, /on topics matching ord\.\*/)
    assert.equal(waitingHint({ topic: 'orders', fromBeginning: false }, false), undefined)
    assert.equal(waitingHint({ topic: 'orders', fromBeginning: true }, true), undefined)
    assert.equal(waitingHint({ topic: 'orders', fromBeginning: false, group: 'g' }, true), undefined)
    assert.equal(waitingHint({ topic: 'orders', fromBeginning: false, start: { kind: 'offset' } }, true), undefined)
  })
  it('a bare --compression-codec means gzip', () => {
    assert.deepEqual(withDefaultCodec(['--compression-codec', '--topic', 't']), [
      '--compression-codec',
      'gzip',
      '--topic',
      't',
    ])
    assert.deepEqual(withDefaultCodec(['--compression-codec']), ['--compression-codec', 'gzip'])
    assert.deepEqual(withDefaultCodec(['--compression-codec', 'lz4']), ['--compression-codec', 'lz4'])
  })
  it('only the default reader and formatter classes', () => {
    assert.doesNotThrow(() => checkClass('kafka.tools.DefaultMessageFormatter', '--formatter', 'formatter'))
    assert.throws(() => checkClass('com.example.Fmt', '--formatter', 'formatter'), /not supported/)
  })
  const conflicts: Array<[string, Parameters<typeof consumerSettings>[0], Record<string, string>, RegExp]> = [
    ['topic and include', { topic: 'a', include: 'b' }, {}, /either --topic or --include/],
    ['no topic', {}, {}, /Missing topic/],
    [
      'from-beginning with offset',
      { topic: 'a', 'from-beginning': true, offset: '5', partition: 0 },
      {},
      /Options from-beginning and offset cannot be specified together/,
    ],
    [
      'group with partition',
      { topic: 'a', group: 'g', partition: 0 },
      {},
      /Options group and partition cannot be specified together/,
    ],
    ['group ids differ', { topic: 'a', group: 'g' }, { 'group.id': 'h' }, /do not match/],
    ['group with from-time', { topic: 'a', group: 'g', 'from-time': '-1h' }, {}, /need no --group/],
    [
      'from-beginning vs auto.offset.reset',
      { topic: 'a', 'from-beginning': true },
      { 'auto.offset.reset': 'latest' },
      /Can't simultaneously specify --from-beginning/,
    ],
    ['bad isolation level', { topic: 'a', 'isolation-level': 'dirty' }, {}, /Invalid --isolation-level/],
    ['format with json', { topic: 'a', format: '%s', json: true }, {}, /either --format or --json/],
  ]
  for (const [name, flags, props, message] of conflicts) {
    it(`consumer: ${name}`, () =>
      assert.throws(
        () => consumerSettings(flags, props),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      ))
  }
  it('consumer: group.id property is the group; negative timeout means none', () => {
    const s = consumerSettings({ topic: 'a', 'timeout-ms': -1 }, { 'group.id': 'g', 'auto.offset.reset': 'earliest' })
    assert.equal(s.group, 'g')
    assert.equal(s.fromBeginning, true)
    assert.equal(s.timeoutMs, undefined)
  })
  it('summary line', () =>
    assert.equal(
      formatProduceSummary({
        topic: 't',
        records: 10,
        acknowledged: 8,
        failed: 2,
        notSent: 0,
        bytes: 2048,
        elapsedMs: 2000,
      }),
      'Produced 8 of 10 records (2.0 KiB) to t in 2.0 s: 4 records/s, 1.0 KiB/s; 2 failed',
    ))
})

function pick(s: { deliveryTimeoutMs: number; requestTimeoutMs: number; lingerMs: number }) {
  return { deliveryTimeoutMs: s.deliveryTimeoutMs, requestTimeoutMs: s.requestTimeoutMs, lingerMs: s.lingerMs }
}
