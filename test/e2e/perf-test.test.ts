import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  PERF_HEADER,
  PERF_ROW,
  PERF_TOTAL,
  PERF_WINDOW,
  distHome,
  json,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
  needsRealKafka,
  skipped,
} from './helpers.js'

/**
 * producer-perf-test and consumer-perf-test against Kafka's own ProducerPerformance and ConsumerPerformance on one
 * 4.4 stack (the .cache dist has no perf scripts: kafka-run-class.sh runs the classes): the same lines, the records
 * really in the topic (Kafka's kafka-get-offsets.sh counts them), the same consumer header and counts.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const bin = (name: string) => join(distHome(KAFKA_4), 'bin', name)

const WINDOW = PERF_WINDOW
const TOTAL = PERF_TOTAL
const HEADER = PERF_HEADER
const ROW = PERF_ROW

const RECORDS = 8000
/** Throttled to about 2 s per run, so that the progress lines (every 500 ms) show up on both sides. */
const PRODUCE_FLAGS = [
  '--topic',
  'perf',
  '--num-records',
  String(RECORDS),
  '--record-size',
  '100',
  '--throughput',
  '4000',
  '--reporting-interval',
  '500',
]

function lines(result: Run): string[] {
  return result.stdout.split('\n').filter((l) => l !== '')
}

/** Every line is a progress or the summary line (the summary last); returns the summary's count and rate. */
function checkProducerLines(result: Run, who: string): { count: number; rate: number } {
  assert.equal(result.code, 0, `${who}: ${result.stderr}`)
  const out = lines(result)
  assert.ok(out.length >= 2, `${who} printed progress lines:\n${result.stdout}`)
  for (const line of out.slice(0, -1)) assert.match(line, WINDOW, `${who}`)
  const total = TOTAL.exec(out[out.length - 1]!)
  assert.ok(total, `${who} summary: ${out[out.length - 1]}`)
  return { count: Number(total[1]), rate: Number(total[2]) }
}

describe(`producer-perf-test and consumer-perf-test against Kafka ${KAFKA_4}'s tools`, () => {
  let box: Sandbox
  let bootstrap: string
  const k = (args: string[]) => box.kafkit([...args, '-b', bootstrap], { timeoutMs: 60_000 })
  const javaTool = (main: string, args: string[]) =>
    run(
      bin('kafka-run-class.sh'),
      [`org.apache.kafka.tools.${main}`, '--bootstrap-server', bootstrap, ...args],
      TOOL_ENV,
      120_000,
    )
  const endOffsets = async (topic: string): Promise<number[]> => {
    const result = await run(bin('kafka-get-offsets.sh'), ['--bootstrap-server', bootstrap, '--topic', topic], TOOL_ENV)
    assert.equal(result.code, 0, result.stderr)
    return lines(result).map((l) => Number(l.split(':')[2]))
  }

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { version: KAFKA_4 })
  })
  after(async () => {
    await box?.cleanup()
  })

  it("prints the Java tool's lines, honours --throughput, and the topic holds both runs' records", async () => {
    // kafkit first: the topic does not exist yet, the broker creates it as for the Java producer.
    const ours = checkProducerLines(await k(['producer-perf-test', ...PRODUCE_FLAGS]), 'kafkit')
    const theirs = checkProducerLines(await javaTool('ProducerPerformance', PRODUCE_FLAGS), 'ProducerPerformance')
    assert.equal(ours.count, RECORDS)
    assert.equal(theirs.count, RECORDS)
    // ThroughputThrottler: about 4000 records/s on average, never well above it.
    assert.ok(ours.rate <= 4400, `kafkit was throttled to ~4000 records/s, got ${ours.rate}`)
    assert.deepEqual(await endOffsets('perf'), [2 * RECORDS])
  })

  // Kafka's ConsumerPerformance subscribes with a group.
  it("reads N records and prints ConsumerPerformance's header and row", async () => {
    // --timeout counts from the start: the Java consumer's group join can take seconds on a busy machine.
    const flags = ['--topic', 'perf', '--num-records', String(2 * RECORDS), '--timeout', '60000']
    const ours = await k(['consumer-perf-test', ...flags])
    const theirs = await javaTool('ConsumerPerformance', flags)
    for (const [who, result] of [
      ['kafkit', ours],
      ['ConsumerPerformance', theirs],
    ] as const) {
      assert.equal(result.code, 0, `${who}: ${result.stderr}`)
      const [header, row, ...rest] = lines(result)
      assert.equal(header, HEADER, who)
      assert.equal(ROW.exec(row ?? '')?.[1], String(2 * RECORDS), `${who} row: ${row}`)
      assert.deepEqual(rest, [], who)
    }
  })

  it('stops after --timeout without records, with the Java warning, and counts what it read', async () => {
    const result = await k([
      'consumer-perf-test',
      '--topic',
      'perf',
      '--messages',
      String(2 * RECORDS + 1),
      '--timeout',
      '1000',
      '--hide-header',
    ])
    assert.equal(result.code, 0, result.stderr)
    const [warning, row] = lines(result)
    assert.match(warning!, /^WARNING: Exiting before consuming the expected number of records: timeout \(1000 ms\)/)
    assert.equal(ROW.exec(row ?? '')?.[1], String(2 * RECORDS))
    assert.match(result.stderr, /--messages is deprecated/)
  })

  it('spreads keys with --key-distribution, commits transactions, and reports percentiles as a table and JSON', async (t) => {
    if (skipped(t, needsRealKafka('transactions'))) return
    const created = await k(['topics', '--create', '--topic', 'keyed', '--partitions', '3'])
    assert.equal(created.code, 0, created.stderr)
    const result = await k([
      'producer-perf-test',
      '--topic',
      'keyed',
      '--num-records',
      '3000',
      '--record-size',
      '20',
      '--throughput',
      '6000',
      '--key-distribution',
      'range',
      '--record-key-range',
      '30',
      '--transaction-duration-ms',
      '100',
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const doc = json(result)
    assert.equal(doc.total.records, 3000)
    assert.ok(doc.transactionalId.startsWith('performance-producer-'))
    assert.ok(doc.total.percentiles.p50 <= doc.total.percentiles.p999)
    assert.ok(doc.total.percentiles.p999 <= doc.total.maxLatencyMs)
    // Keys 0..29 over 3 partitions: every partition gets records; transaction markers add to the end offsets.
    const ends = await endOffsets('keyed')
    assert.equal(ends.length, 3)
    assert.ok(
      ends.every((n) => n > 0),
      `records on every partition: ${ends.join(',')}`,
    )
    assert.ok(ends.reduce((a, b) => a + b, 0) > 3000, 'commit markers follow the records')
    // Only committed records count for a read_committed consumer: all 3000 of them.
    const committed = await k([
      'consumer-perf-test',
      '--topic',
      'keyed',
      '--num-records',
      '3000',
      '--command-property',
      'isolation.level=read_committed',
      '--json',
    ])
    assert.equal(committed.code, 0, committed.stderr)
    assert.equal(json(committed).records, 3000)

    const table = await k([
      'producer-perf-test',
      '--topic',
      'keyed',
      '--num-records',
      '500',
      '--payload-monotonic',
      '--throughput',
      '-1',
      '--latency-table',
    ])
    assert.equal(table.code, 0, table.stderr)
    assert.match(table.stdout, /^PERCENTILE +LATENCY \(MS\)$/m)
    assert.match(table.stdout, /^p99\.9 +\d+$/m)
  })

  it("share-consumer-perf-test: members of a share group read N records between them, in ShareConsumerPerformance's layout", async (t) => {
    if (skipped(t, needsRealKafka('share groups'))) return
    // A share group starts at the log end unless told otherwise (kafkit configs has no groups entity yet).
    const config = await run(
      bin('kafka-configs.sh'),
      [
        '--bootstrap-server',
        bootstrap,
        '--alter',
        '--entity-type',
        'groups',
        '--entity-name',
        'perf-share-consumer',
        '--add-config',
        'share.auto.offset.reset=earliest',
      ],
      TOOL_ENV,
    )
    assert.equal(config.code, 0, config.stderr)
    const result = await k([
      'share-consumer-perf-test',
      '--topic',
      'perf',
      '--num-records',
      '3000',
      '--threads',
      '2',
      '--show-consumer-stats',
      '--timeout',
      '30000',
    ])
    assert.equal(result.code, 0, result.stderr)
    const [header, first, second, row, ...rest] = lines(result)
    assert.equal(
      header,
      'start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec, data.consumed.in.nMsg, fetch.time.ms',
    )
    assert.match(first!, /^Share consumer 1 having client id perf-share-consumer-client-1 consumption metrics- /)
    assert.match(second!, /^Share consumer 2 having client id perf-share-consumer-client-2 consumption metrics- /)
    const total =
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, \d+\.\d{4}, \d+\.\d{4}, \d+\.\d{4}, (\d+), \d+$/.exec(
        row ?? '',
      )
    assert.ok(total, `row: ${row}`)
    // Each member stops at N alone; together they stop once their sum reaches N (a fetch may take them past it).
    assert.ok(Number(total[1]) >= 3000 && Number(total[1]) <= 2 * RECORDS, `records: ${total[1]}`)
    assert.deepEqual(rest, [])
  })

  it('refuses bad flags with one line and exit code 2', async () => {
    for (const args of [
      ['producer-perf-test', '--topic', 'perf', '--num-records', '10', '--record-size', '10'],
      ['producer-perf-test', '--topic', 'perf', '--num-records', '0', '--record-size', '10', '--throughput', '-1'],
      ['producer-perf-test', '--topic', 'perf', '--num-records', '10', '--throughput', '-1'],
      ['consumer-perf-test', '--topic', 'perf'],
      ['share-consumer-perf-test', '--topic', 'perf', '--num-records', '10', '--threads', '0'],
    ]) {
      const result = await k(args)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stdout, '')
      assert.match(result.stderr, /^Error: .+\n/, args.join(' '))
      assert.doesNotMatch(result.stderr, /\n\s+at /)
    }
  })
})
