import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ExitCode, UsageError } from '../../src/errors.js'
import { DETAILED_HEADER, HEADER, progressRow, totalRow } from '../../src/perf/consumer.js'
import { formatJavaDate, javaFixed, unknownDateLetters } from '../../src/perf/format.js'
import {
  consumerPerfOptions,
  parsePerfProps,
  producerPerfOptions,
  splitPayloads,
  type ProducerPerfFlags,
} from '../../src/perf/options.js'
import { seededRandom } from '../../src/perf/random.js'
import { SHARE_HEADER, shareProgressRow, shareTotalRow } from '../../src/perf/share-consumer.js'
import { ProducerStats, ThroughputThrottler, formatTotalLine, percentiles } from '../../src/perf/stats.js'
import { latencyTable, metricsTable } from '../../src/perf/views.js'

// The Java tools' own lines (ProducerPerformance.Stats, ConsumerPerformance), as regular expressions.
const JAVA_WINDOW =
  /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/
const JAVA_TOTAL =
  /^\d+( steady state)? records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/

describe('javaFixed (String.format %.Nf)', () => {
  for (const [value, digits, expected] of [
    [1.005, 2, '1.01'],
    [2.5, 0, '3'],
    [9.96, 1, '10.0'],
    [0.05, 1, '0.1'],
    [123, 4, '123.0000'],
    [0.123456789, 6, '0.123457'],
    [5 / 3, 4, '1.6667'],
    [1e21, 2, '1000000000000000000000.00'],
    [Infinity, 4, 'Infinity'],
    [NaN, 4, 'NaN'],
  ] as const) {
    it(`${value} with ${digits} digits is ${expected}`, () => assert.equal(javaFixed(value, digits), expected))
  }
})

describe('formatJavaDate (SimpleDateFormat)', () => {
  const time = new Date(2024, 4, 7, 9, 5, 3, 42).getTime()
  it('formats the default pattern of the perf tools', () => {
    assert.equal(formatJavaDate('yyyy-MM-dd HH:mm:ss:SSS', time), '2024-05-07 09:05:03:042')
  })
  it('formats 12-hour clocks, month names and quoted text', () => {
    assert.equal(formatJavaDate("hh 'o''clock' a, MMM d yy", time), "09 o'clock AM, May 7 24")
    assert.equal(formatJavaDate("EEEE ''", time), "Tuesday '")
  })
  it('names the letters it does not format', () => {
    assert.deepEqual(unknownDateLetters("yyyy-MM-dd'T'HH:mm"), [])
    assert.deepEqual(unknownDateLetters('yyyy ww u'), ['w', 'u'])
  })
})

describe('producer-perf-test flag rules', () => {
  const base: ProducerPerfFlags = { topic: 't', 'num-records': 100, 'record-size': 10, throughput: -1 }
  const read = () => ({ acks: '1', 'transactional.id': 'from-file' })
  const rejects = (flags: ProducerPerfFlags, message: RegExp) =>
    assert.throws(
      () => producerPerfOptions(flags, () => ({})),
      (error: unknown) =>
        error instanceof UsageError && error.exitCode === ExitCode.usage && message.test(error.message),
    )

  it('takes the defaults of the Java tool', () => {
    const options = producerPerfOptions(base, () => ({}))
    assert.deepEqual(options.payload, { kind: 'size', size: 10 })
    assert.equal(options.reportingIntervalMs, 5000)
    assert.equal(options.keyDistribution, 'none')
    assert.equal(options.transactionalId, undefined)
    assert.equal(options.warmupRecords, 0)
  })
  it('refuses what the Java tool refuses, with its messages', () => {
    rejects(
      { ...base, 'record-size': undefined },
      /Exactly one of --record-size, --payload-file or --payload-monotonic/,
    )
    rejects({ ...base, 'payload-monotonic': true }, /Exactly one of/)
    rejects({ ...base, 'num-records': 0 }, /^--num-records should be greater than zero\.$/)
    rejects({ ...base, 'record-size': -1 }, /^--record-size should be greater than zero\.$/)
    rejects({ ...base, 'warmup-records': 100 }, /strictly fewer than the number of records/)
    rejects({ ...base, 'transaction-duration-ms': 0 }, /^--transaction-duration-ms should be greater than zero\.$/)
    rejects({ ...base, 'reporting-interval': 0 }, /^--reporting-interval should be greater than zero\.$/)
    rejects({ ...base, 'key-distribution': 'range' }, /--record-key-range is required/)
    rejects({ ...base, 'record-key-range': 5 }, /--key-distribution must be 'range' or 'random'/)
    rejects({ ...base, 'key-distribution': 'zipf', 'record-key-range': 5 }, /invalid choice: 'zipf'/)
    rejects({ ...base, 'command-property': ['a=1'], 'producer-props': ['b=2'] }, /cannot be specified together/)
    rejects({ ...base, 'command-config': 'a', 'producer.config': 'b' }, /cannot be specified together/)
    rejects({ ...base, topic: undefined }, /--topic is required/)
    rejects({ ...base, throughput: 0 }, /--throughput 0/)
  })
  it('turns transactions on as the Java tool does, and warns about the 3.9 spellings', () => {
    const fromFile = producerPerfOptions({ ...base, 'producer.config': 'p.properties' }, read)
    assert.equal(fromFile.transactionalId, 'from-file')
    assert.equal(fromFile.transactionDurationMs, 3000)
    assert.match(fromFile.warnings[0]!, /--producer.config has been deprecated/)
    const generated = producerPerfOptions(
      { ...base, 'transaction-duration-ms': 500 },
      () => ({}),
      () => 'uuid',
    )
    assert.equal(generated.transactionalId, 'performance-producer-uuid')
    const flag = producerPerfOptions({ ...base, 'transactional-id': 'x', 'producer-props': ['acks=0'] }, () => ({}))
    assert.equal(flag.transactionalId, 'x')
    assert.deepEqual(flag.properties, { acks: '0' })
  })
  it('splits properties and payload files as Java does', () => {
    assert.deepEqual(parsePerfProps(['a=1', 'b=2']), { a: '1', b: '2' })
    assert.throws(() => parsePerfProps(['a=1=2']), /Invalid property: a=1=2/)
    assert.deepEqual(splitPayloads('a\nbb\n\n'), ['a', 'bb'])
    assert.deepEqual(splitPayloads('a|b||', '\\|'), ['a', 'b'])
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-perf-'))
    writeFileSync(join(dir, 'payloads'), 'x,yy,zzz')
    const options = producerPerfOptions(
      { ...base, 'record-size': undefined, 'payload-file': join(dir, 'payloads'), 'payload-delimiter': ',' },
      () => ({}),
    )
    assert.equal(options.payload.kind, 'file')
    assert.deepEqual(options.payload.kind === 'file' ? options.payload.payloads.map(String) : [], ['x', 'yy', 'zzz'])
    writeFileSync(join(dir, 'empty'), '')
    assert.throws(
      () => producerPerfOptions({ ...base, 'record-size': undefined, 'payload-file': join(dir, 'empty') }, () => ({})),
      /File does not exist or empty file provided\./,
    )
  })
})

describe('consumer-perf-test flag rules', () => {
  it('takes --num-records or the 3.9 --messages', () => {
    assert.equal(consumerPerfOptions({ topic: 't', 'num-records': 5 }).numRecords, 5)
    const old = consumerPerfOptions({ topic: 't', messages: 7 })
    assert.equal(old.numRecords, 7)
    assert.match(old.warnings[0]!, /--messages is deprecated/)
    assert.equal(old.timeoutMs, 10_000)
    assert.equal(old.dateFormat, 'yyyy-MM-dd HH:mm:ss:SSS')
  })
  it('refuses missing or conflicting flags', () => {
    assert.throws(() => consumerPerfOptions({ topic: 't' }), /num-records/)
    assert.throws(() => consumerPerfOptions({ 'num-records': 1 }), /--topic or --include/)
    assert.throws(() => consumerPerfOptions({ topic: 't', 'num-records': 1, messages: 1 }), /not allowed/)
    assert.throws(
      () => consumerPerfOptions({ topic: 't', 'num-records': 1, 'reporting-interval': 0 }),
      /Reporting interval must be greater than 0\./,
    )
    assert.throws(() => consumerPerfOptions({ topic: 't', 'num-records': 1, 'date-format': 'ww' }), /letter\(s\) w/)
  })
})

describe('ProducerStats (ProducerPerformance.Stats)', () => {
  it('prints a window line once the interval is over, and the summary with percentiles', () => {
    let now = 1000
    const printed: string[] = []
    const stats = new ProducerStats(
      10,
      5000,
      false,
      (l) => printed.push(l),
      () => now,
    )
    for (let i = 1; i <= 9; i++) stats.record(i * 10, 100, now)
    assert.deepEqual(printed, [])
    now = 6000
    stats.record(100, 100, now)
    assert.deepEqual(printed, [
      '10 records sent, 2.0 records/sec (0.00 MB/sec), 55.0 ms avg latency, 100.0 ms max latency.',
    ])
    assert.match(printed[0]!, JAVA_WINDOW)
    now = 11_000
    const total = stats.totalLine()
    assert.equal(
      total,
      '10 records sent, 1.000000 records/sec (0.00 MB/sec), 55.00 ms avg latency, 100.00 ms max latency, 60 ms 50th, 100 ms 95th, 100 ms 99th, 100 ms 99.9th.',
    )
    assert.match(total, JAVA_TOTAL)
  })
  it('says "In steady state." before the first window of the steady-state statistics', () => {
    let now = 0
    const printed: string[] = []
    const steady = new ProducerStats(
      4,
      10,
      true,
      (l) => printed.push(l),
      () => now,
    )
    now = 20
    steady.record(5, 1, now)
    assert.equal(printed[0], 'In steady state.')
    assert.match(formatTotalLine(steady.summary(), true), / steady state records sent/)
  })
  it('samples at most 500,000 latencies and takes floor(p * n) of the sorted samples', () => {
    assert.deepEqual(percentiles(Int32Array.from([5, 1, 4, 2, 3]), 5, [0.5, 0.95, 0.999]), [3, 5, 5])
    assert.deepEqual(percentiles(new Int32Array(1), 0, [0.5]), [0])
  })
})

describe('ThroughputThrottler', () => {
  it('never throttles a negative target', () => {
    assert.equal(new ThroughputThrottler(-1, 0).shouldThrottle(1_000_000, 1), false)
  })
  it('throttles above the target and sleeps once 2 ms of deficit add up', () => {
    const throttler = new ThroughputThrottler(1000, 0)
    assert.equal(throttler.shouldThrottle(500, 1000), false)
    assert.equal(throttler.shouldThrottle(1500, 1000), true)
    assert.equal(throttler.throttleMs(), 0)
    assert.equal(throttler.throttleMs(), 2)
  })
})

describe('consumer-perf-test rows', () => {
  it('prints the header and a row in ConsumerPerformance layout', () => {
    assert.equal(
      HEADER,
      'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
    )
    assert.match(DETAILED_HEADER, /^time, threadId, /)
    const start = new Date(2024, 0, 2, 3, 4, 5, 6).getTime()
    const row = totalRow('yyyy-MM-dd HH:mm:ss:SSS', {
      topics: ['t'],
      startTime: start,
      endTime: start + 2000,
      mbConsumed: 2,
      mbPerSecond: 1,
      records: 1000,
      recordsPerSecond: 500,
      rebalanceTimeMs: 0,
      fetchTimeMs: 2000,
      fetchMbPerSecond: 1,
      fetchRecordsPerSecond: 500,
      timedOut: false,
    })
    assert.equal(
      row,
      '2024-01-02 03:04:05:006, 2024-01-02 03:04:07:006, 2.0000, 1.0000, 1000, 500.0000, 0, 2000, 1.0000, 500.0000',
    )
    const progress = progressRow(
      'HH:mm',
      start,
      { records: 0, bytes: 0, time: 0 },
      { records: 100, bytes: 1024 * 1024, time: 1000 },
    )
    assert.equal(progress, '03:04, 0, 1.0000, 1.0000, 100, 100.0000, 0, 1000, 1.0000, 100.0000')
  })
})

describe('perf views', () => {
  it('shows the latency percentiles as a table', () => {
    const table = latencyTable({
      records: 10,
      bytes: 1,
      elapsedMs: 1,
      recordsPerSecond: 1,
      mbPerSecond: 1,
      avgLatencyMs: 12.5,
      maxLatencyMs: 99,
      percentiles: { p50: 10, p75: 20, p90: 30, p95: 40, p99: 50, p999: 60 },
    })
    assert.equal(table[0], 'PERCENTILE  LATENCY (MS)')
    assert.deepEqual(
      table.slice(1).map((l) => l.split(/\s+/)),
      [
        ['avg', '12.50'],
        ['p50', '10'],
        ['p75', '20'],
        ['p90', '30'],
        ['p95', '40'],
        ['p99', '50'],
        ['p99.9', '60'],
        ['max', '99'],
      ],
    )
  })
  it('lays metrics out as ToolsUtils.printMetrics does', () => {
    assert.deepEqual(
      metricsTable('g', 'c', [
        ['b', 2],
        ['a', 1.5],
      ]),
      ['', 'Metric Name         Value', 'g:a:{client-id=c} : 1.500', 'g:b:{client-id=c} : 2.000'],
    )
  })
  it('generates the same sequence for the same seed', () => {
    const a = seededRandom(7)
    const b = seededRandom(7)
    const c = seededRandom(8)
    const first = [a(), a(), a()]
    assert.deepEqual(first, [b(), b(), b()])
    assert.notDeepEqual(first, [c(), c(), c()])
    assert.ok(first.every((x) => x >= 0 && x < 1))
  })
})

describe('share-consumer-perf-test rows', () => {
  it('prints the ShareConsumerPerformance header, total row and per-member progress rows', () => {
    assert.equal(
      SHARE_HEADER,
      'start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec, data.consumed.in.nMsg, fetch.time.ms',
    )
    const start = new Date(2024, 0, 2, 3, 4, 5, 6).getTime()
    assert.equal(
      shareTotalRow('HH:mm:ss', {
        startTime: start,
        endTime: start + 4000,
        mbConsumed: 4,
        mbPerSecond: 1,
        recordsPerSecond: 250,
        records: 1000,
        fetchTimeMs: 4000,
      }),
      '03:04:05, 03:04:09, 4.0000, 1.0000, 250.0000, 1000, 4000',
    )
    assert.equal(
      shareProgressRow(
        'HH:mm:ss',
        2,
        { records: 0, bytes: 0, time: start },
        { records: 10, bytes: 1024 * 1024, time: start + 1000 },
      ),
      '03:04:05, 03:04:06, 1.0000, 1.0000, 10.0000, 10, 1000 for share consumer 2',
    )
  })
})
