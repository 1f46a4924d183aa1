import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { UsageError } from '../../src/errors.js'
import { decodeRecordBatches } from '../../src/records/batch-decoder.js'
import { lz4Compress, snappyCompress, zstdCompress } from '../../src/records/compression.js'
import { DefaultFormatter } from '../../src/records/formatter.js'
import { recordToJson } from '../../src/records/json-records.js'
import { RecordBatchBuilder, writePartitionEntry } from '../../src/records/record-batch.js'
import {
  AckType,
  ackBatches,
  acquiredOffsets,
  ignoredShareProperties,
  shareConsumerSettings,
} from '../../src/records/share-options.js'
import type { Header } from '../../src/records/types.js'

const b = (s: string) => Buffer.from(s)

/** One magic v2 batch as a broker stores it (kafkit's producer encoder), at `baseOffset`. */
function batch(
  records: Array<{ key: Buffer | null; value: Buffer | null; headers?: Header[]; timestamp: number }>,
  options: { baseOffset?: bigint; compression?: number; compressed?: Buffer; epoch?: number } = {},
): Buffer {
  const builder = new RecordBatchBuilder()
  for (const r of records) builder.append(r.key, r.value, r.headers ?? [], r.timestamp)
  const body = options.compressed ?? builder.records
  const target = Buffer.alloc(100 + body.length)
  const end = writePartitionEntry(
    target,
    0,
    {
      partition: 0,
      producerId: -1n,
      producerEpoch: -1,
      firstSequence: -1,
      transactional: false,
      compression: options.compression ?? 0,
    },
    builder,
    body,
  )
  // The partition entry starts with partition (4) and size (4); the batch follows.
  const out = Buffer.from(target.subarray(8, end))
  out.writeBigInt64BE(options.baseOffset ?? 0n, 0)
  out.writeInt32BE(options.epoch ?? 0, 12)
  return out
}

describe('record batch decoder (magic v2)', () => {
  const records = [
    { key: null, value: b('v0'), timestamp: 1_700_000_000_000 },
    { key: b('k1'), value: null, headers: [{ key: 'h', value: b('x') }], timestamp: 1_700_000_000_500 },
    { key: b(''), value: Buffer.alloc(300, 7), timestamp: 1_699_999_999_000 },
  ]

  it('reads offsets, keys, values, headers and timestamps of several batches', () => {
    const set = Buffer.concat([batch(records), batch(records.slice(0, 1), { baseOffset: 2n ** 53n + 10n, epoch: 7 })])
    const [first, second] = decodeRecordBatches(set)
    assert.deepEqual(
      first!.records.map((r) => [r.offset, r.timestamp, r.key, r.value, r.headers]),
      records.map((r, i) => [BigInt(i), BigInt(r.timestamp), r.key, r.value, r.headers ?? []]),
    )
    assert.equal(first!.lastOffset, 2n)
    assert.equal(first!.timestampType, 'CreateTime')
    assert.equal(second!.records[0]!.offset, 2n ** 53n + 10n)
    assert.equal(second!.partitionLeaderEpoch, 7)
  })

  it('leaves out a batch cut short at the end of the set', () => {
    const whole = batch(records)
    const set = Buffer.concat([whole, whole.subarray(0, whole.length - 5)])
    assert.equal(decodeRecordBatches(set).length, 1)
    assert.equal(decodeRecordBatches(whole.subarray(0, 10)).length, 0)
  })

  it('decompresses gzip, snappy, lz4 and zstd', async () => {
    const plain = new RecordBatchBuilder()
    for (const r of records) plain.append(r.key, r.value, r.headers ?? [], r.timestamp)
    const raw = Buffer.from(plain.records)
    for (const [codec, compressed] of [
      [1, gzipSync(raw)],
      [2, snappyCompress(raw)],
      [3, lz4Compress(raw)],
      [4, await zstdCompress(raw)],
    ] as const) {
      const [decoded] = decodeRecordBatches(batch(records, { compression: codec, compressed }))
      assert.deepEqual(
        decoded!.records.map((r) => r.value),
        records.map((r) => r.value),
        `codec ${codec}`,
      )
    }
  })

  it('LogAppendTime batches give every record the batch max timestamp; control batches are flagged', () => {
    const set = batch(records)
    set.writeInt16BE(0x08 | 0x20, 21)
    const [decoded] = decodeRecordBatches(set)
    assert.equal(decoded!.timestampType, 'LogAppendTime')
    assert.equal(decoded!.control, true)
    assert.deepEqual(
      decoded!.records.map((r) => r.timestamp),
      [1_700_000_000_500n, 1_700_000_000_500n, 1_700_000_000_500n],
    )
  })

  it('refuses older message formats', () => {
    const set = batch(records)
    set.writeInt8(1, 16)
    assert.throws(() => decodeRecordBatches(set), /magic 1/)
  })
})

describe('share acknowledgements', () => {
  const cases: Array<[string, Array<[number, number]>, Array<[number, number, number[]]>]> = [
    ['nothing', [], []],
    [
      'consecutive offsets of one type fold into one batch',
      [
        [5, 1],
        [6, 1],
        [7, 1],
      ],
      [[5, 7, [1]]],
    ],
    [
      'a type change or a hole starts a new batch; input order does not matter',
      [
        [9, 1],
        [3, 1],
        [4, 0],
        [5, 1],
        [6, 2],
        [7, 2],
      ],
      [
        [3, 3, [1]],
        [4, 4, [0]],
        [5, 5, [1]],
        [6, 7, [2]],
        [9, 9, [1]],
      ],
    ],
  ]
  for (const [name, input, expected] of cases)
    it(name, () =>
      assert.deepEqual(
        ackBatches(input.map(([offset, type]) => ({ offset: BigInt(offset), type }))),
        expected.map(([first, last, types]) => ({
          firstOffset: BigInt(first),
          lastOffset: BigInt(last),
          acknowledgeTypes: types,
        })),
      ),
    )

  it('types are KIP-932’s', () => assert.deepEqual(AckType, { gap: 0, accept: 1, release: 2, reject: 3 }))

  it('acquired ranges expand to offsets with their delivery count, in order', () =>
    assert.deepEqual(
      [
        ...acquiredOffsets([
          { firstOffset: 10n, lastOffset: 11n, deliveryCount: 2 },
          { firstOffset: 3n, lastOffset: 4n, deliveryCount: 1 },
        ]),
      ],
      [
        [3n, 1],
        [4n, 1],
        [10n, 2],
        [11n, 2],
      ],
    ))
})

describe('console-share-consumer settings', () => {
  it('defaults as the script: group and client id console-share-consumer, accept, no limits', () =>
    assert.deepEqual(shareConsumerSettings({ topic: 't' }, {}), {
      topic: 't',
      group: 'console-share-consumer',
      clientId: 'console-share-consumer',
      acknowledge: 'accept',
      rejectOnError: false,
      maxRecords: 500,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52_428_800,
    }))

  it('flags and consumer properties', () => {
    const s = shareConsumerSettings(
      { topic: 't', release: true, 'max-messages': 5, 'timeout-ms': 1000, 'reject-message-on-error': true },
      { 'group.id': 'g', 'client.id': 'me', 'max.poll.records': '10' },
    )
    assert.equal(s.group, 'g')
    assert.equal(s.clientId, 'me')
    assert.equal(s.acknowledge, 'release')
    assert.equal(s.rejectOnError, true)
    assert.equal(s.maxMessages, 5)
    assert.equal(s.timeoutMs, 1000)
    assert.equal(s.maxRecords, 10)
    assert.equal(shareConsumerSettings({ topic: 't', reject: true }, {}).acknowledge, 'reject')
    assert.equal(shareConsumerSettings({ topic: 't', 'timeout-ms': -1 }, {}).timeoutMs, undefined)
  })

  const bad: Array<[string, Parameters<typeof shareConsumerSettings>[0], Record<string, string>, RegExp]> = [
    ['no topic', {}, {}, /Missing required argument/],
    [
      '--release with --reject',
      { topic: 't', release: true, reject: true },
      {},
      /At most one of --reject and --release/,
    ],
    ['two group ids', { topic: 't', group: 'a' }, { 'group.id': 'b' }, /do not match: 'a', 'b'/],
    ['negative --max-messages', { topic: 't', 'max-messages': -1 }, {}, /must not be negative/],
    ['bad max.poll.records', { topic: 't' }, { 'max.poll.records': '0' }, /max\.poll\.records/],
    ['bad acknowledgement mode', { topic: 't' }, { 'share.acknowledgement.mode': 'x' }, /implicit or explicit/],
  ]
  for (const [name, flags, props, message] of bad)
    it(`rejects ${name}`, () =>
      assert.throws(
        () => shareConsumerSettings(flags, props),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      ))

  it('names the consumer properties it does not use (security ones are the connection’s)', () =>
    assert.deepEqual(
      ignoredShareProperties({ 'security.protocol': 'SSL', 'max.poll.records': '1', 'session.timeout.ms': '5' }),
      ['session.timeout.ms'],
    ))
})

describe('share records in the DefaultFormatter', () => {
  it('print.delivery and print.epoch show the share fetch’s delivery count and leader epoch', () => {
    const out: Buffer[] = []
    new DefaultFormatter({
      properties: ['print.partition=true', 'print.offset=true', 'print.delivery=true', 'print.epoch=true'],
    }).format(
      {
        topic: 't',
        partition: 1,
        offset: '10',
        timestamp: '0',
        timestampType: 'CreateTime',
        key: null,
        value: b('v26'),
        headers: [],
        deliveryCount: 2,
        leaderEpoch: 0,
      },
      out,
    )
    assert.equal(Buffer.concat(out).toString(), 'Partition:1\tOffset:10\tDelivery:2\tEpoch:0\tv26\n')
  })

  it('--json adds deliveryCount to share records only', () => {
    const record = {
      topic: 't',
      partition: 0,
      offset: '1',
      timestamp: '0',
      timestampType: 'CreateTime' as const,
      key: null,
      value: b('v'),
      headers: [],
    }
    assert.equal(recordToJson({ ...record, deliveryCount: 3 }).deliveryCount, 3)
    assert.ok(!('deliveryCount' in recordToJson(record)))
  })
})
