/**
 * replica-verification without Kafka: the script's flag rules, the topic filter, batch headers of a record set, and
 * ReplicaBuffer's rounds (lag, the partition a tie names, checksum and offset mismatches, the report interval).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { replicaVerificationSettings } from '../../src/replica-verification/options.js'
import {
  ReplicaBuffer,
  batchHeaders,
  reportLine,
  toolDate,
  type BatchHeader,
} from '../../src/replica-verification/verify.js'

/** A magic v2 batch header (61 bytes, no records): what batchHeaders reads of it. */
function batch(baseOffset: number, lastOffsetDelta: number, crc: number): Buffer {
  const b = Buffer.alloc(61)
  b.writeBigInt64BE(BigInt(baseOffset), 0)
  b.writeInt32BE(61 - 12, 8)
  b.writeInt8(2, 16)
  b.writeUInt32BE(crc, 17)
  b.writeInt32BE(lastOffsetDelta, 23)
  return b
}

const defaults = { time: '-1', 'fetch-size': 1_048_576, 'max-wait-ms': 1000, 'report-interval-ms': 30_000 }
const h = (lastOffset: number, checksum = 7): BatchHeader => ({
  lastOffset: BigInt(lastOffset),
  nextOffset: BigInt(lastOffset + 1),
  checksum,
})

describe('replica-verification flags', () => {
  it('takes the script defaults, --topics-include over 3.9 --topic-white-list, and kafkit --max-reports', () => {
    const s = replicaVerificationSettings(defaults)
    assert.equal(s.includeText, '.*')
    assert.equal(s.time, -1n)
    assert.equal(s.maxReports, undefined)
    const t = replicaVerificationSettings({
      ...defaults,
      'topics-include': 'a.*',
      'topic-white-list': 'b',
      time: '-2',
      'max-reports': 2,
    })
    assert.equal(t.includeText, 'a.*')
    assert.equal(t.time, -2n)
    assert.equal(t.maxReports, 2)
    assert.equal(replicaVerificationSettings({ ...defaults, 'topic-white-list': 'b' }).includeText, 'b')
  })

  it('refuses what the tool cannot use', () => {
    for (const bad of [
      { time: 'latest' },
      { time: '-3' },
      { 'fetch-size': 0 },
      { 'max-reports': 0 },
      { 'topics-include': '(' },
    ])
      assert.throws(() => replicaVerificationSettings({ ...defaults, ...bad }), UsageError, JSON.stringify(bad))
  })

  it('matches whole topic names, commas as alternatives, quotes and spaces dropped (TopicFilter.IncludeList)', () => {
    const r = replicaVerificationSettings({ ...defaults, 'topics-include': '"orders, pay.*"' }).include
    assert.ok(r.test('orders'))
    assert.ok(r.test('payments'))
    assert.ok(!r.test('orders-dlq'))
    assert.ok(!r.test('xpay'))
  })
})

describe('record set batch headers', () => {
  it('reads last offset, next offset and the unsigned CRC of each batch; drops a truncated last one', () => {
    const set = Buffer.concat([batch(0, 2, 0xfffffffe), batch(3, 0, 12), batch(4, 1, 1).subarray(0, 40)])
    assert.deepEqual(batchHeaders(set), [
      { lastOffset: 2n, nextOffset: 3n, checksum: 0xfffffffe },
      { lastOffset: 3n, nextOffset: 4n, checksum: 12 },
    ])
    assert.deepEqual(batchHeaders(null), [])
  })
})

describe('ReplicaBuffer', () => {
  const tp = (partition: number) => ({ topic: 'rv', partition })

  it('verifies up to the high watermark and reports the max lag once the interval passed', () => {
    const buffer = new ReplicaBuffer(
      [tp(0), tp(1)],
      new Map([
        ['rv-0', 0n],
        ['rv-1', 0n],
      ]),
      1000,
      0,
    )
    for (const replica of [1, 2]) {
      buffer.add(tp(0), replica, { highWatermark: 5n, batches: [h(2), h(4), h(9)] })
      buffer.add(tp(1), replica, { highWatermark: 3n, batches: [h(0)] })
    }
    const quiet = buffer.verify(500)
    assert.deepEqual(quiet, { lines: [], fatal: false })
    assert.equal(buffer.offset(tp(0)), 5n)
    assert.equal(buffer.offset(tp(1)), 1n)
    for (const replica of [1, 2]) {
      buffer.add(tp(0), replica, { highWatermark: 5n, batches: [] })
      buffer.add(tp(1), replica, { highWatermark: 3n, batches: [] })
    }
    const round = buffer.verify(1501)
    assert.equal(round.report?.maxLag, 2n)
    assert.equal(round.report?.partition, 'rv-1')
    assert.equal(round.report?.offset, 1n)
    assert.equal(round.lines[0], `${toolDate(1501)}: max lag is 2 for partition rv-1 at offset 1 among 2 partitions`)
  })

  it('names the first partition of the HashMap order on a tie, as the tool (rv-2 before rv-0, rv-1)', () => {
    const buffer = new ReplicaBuffer(
      [tp(0), tp(1), tp(2)],
      new Map([
        ['rv-0', 0n],
        ['rv-1', 0n],
        ['rv-2', 20n],
      ]),
      0,
      0,
    )
    for (const p of [0, 1, 2]) buffer.add(tp(p), 1, { highWatermark: p === 2 ? 20n : 0n, batches: [] })
    const round = buffer.verify(1)
    assert.equal(round.report?.partition, 'rv-2')
    assert.equal(round.report?.offset, 20n)
    assert.equal(round.report?.maxLag, 0n)
  })

  it('prints unmatched checksums and goes on; stops at unmatched offsets', () => {
    const buffer = new ReplicaBuffer([tp(0)], new Map([['rv-0', 0n]]), 60_000, 0)
    buffer.add(tp(0), 1, { highWatermark: 9n, batches: [h(2, 1), h(4, 5)] })
    buffer.add(tp(0), 2, { highWatermark: 9n, batches: [h(2, 3), h(5, 5)] })
    const round = buffer.verify(10)
    assert.equal(round.fatal, true)
    assert.deepEqual(round.lines, [
      `${toolDate(10)}: partition rv-0 has unmatched checksum at offset 2; replica 1's checksum 1; replica 2's checksum 3`,
      `${toolDate(10)}: partition rv-0: replica 1's offset 4 doesn't match replica 2's offset 5`,
    ])
  })

  it('prints "null" for the partition when none was verified', () => {
    assert.match(
      reportLine({ timeMs: 0, maxLag: -1n, partition: null, offset: -1n, partitions: 0 }),
      /: max lag is -1 for partition null at offset -1 among 0 partitions$/,
    )
    assert.match(toolDate(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), /^\d{4}-\d\d-\d\d \d\d:\d\d:05,006$/)
  })
})
