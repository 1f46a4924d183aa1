/**
 * consumer-perf-test: read N records as fast as kafkit's console consumer reads (its data path, with the records
 * counted instead of printed) and report them in ConsumerPerformance's CSV layout: a header, then one row with the
 * totals, or one row per reporting interval with --show-detailed-stats. Bytes are key plus value bytes, as the Java
 * tool counts them.
 */
import { Writable } from 'node:stream'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type { RecordFormatter } from '../records/formatter.js'
import { formatJavaDate, javaFixed } from './format.js'
import type { ConsumerPerfOptions } from './options.js'
import { metricsTable } from './views.js'

export interface ConsumerPerfRun {
  options: ConsumerPerfOptions
  topic?: string
  include?: string
  group?: string
  fromLatest: boolean
  showDetailedStats: boolean
  hideHeader: boolean
  properties: Record<string, string>
}

export interface ConsumerPerfResult {
  topics: string[]
  group?: string
  startTime: number
  endTime: number
  mbConsumed: number
  mbPerSecond: number
  records: number
  recordsPerSecond: number
  /** Time spent joining the group (0 without --group: kafkit then reads the partitions directly). */
  rebalanceTimeMs: number
  fetchTimeMs: number
  fetchMbPerSecond: number
  fetchRecordsPerSecond: number
  /** The run ended on --timeout before N records. */
  timedOut: boolean
  /** The lines the Java tool would print, in order. */
  lines: string[]
}

interface Context {
  connection: ConnectionSettings
  reporter: Reporter
  debug: boolean
  print: (line: string) => void
}

const MB = 1024 * 1024

export const HEADER_SUFFIX = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec'
export const HEADER = `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${HEADER_SUFFIX}`
export const DETAILED_HEADER = `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${HEADER_SUFFIX}`

/** A formatter that only counts: nothing is formatted or written. */
const counting: RecordFormatter = { discard: true, format: () => {} }

export async function runConsumerPerf(run: ConsumerPerfRun, context: Context): Promise<ConsumerPerfResult> {
  const lines: string[] = []
  const print = (line: string) => {
    lines.push(line)
    context.print(line)
  }
  const o = run.options
  if (!run.hideHeader) print(run.showDetailedStats ? DETAILED_HEADER : HEADER)
  const { consumeRecords } = await import('../cluster/consume.js')
  const startMs = Date.now()
  let last = { records: 0, bytes: 0, time: startMs }
  let ticker: NodeJS.Timeout | undefined
  const result = await consumeRecords(
    {
      ...(run.topic !== undefined ? { topic: run.topic } : {}),
      ...(run.include !== undefined ? { include: run.include } : {}),
      ...(run.group !== undefined ? { group: run.group } : {}),
      fromBeginning: !run.fromLatest,
      readCommitted: run.properties['isolation.level']?.trim().toLowerCase() === 'read_committed',
      maxMessages: o.numRecords,
      timeoutMs: o.timeoutMs,
      autoCreate: run.properties['allow.auto.create.topics']?.trim().toLowerCase() !== 'false',
      connection: context.connection,
      exitAtEnd: false,
      formatter: counting,
      output: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
      reporter: context.reporter,
      debug: context.debug,
    },
    (control) => {
      if (!run.showDetailedStats) return
      // The Java tool prints a row when a record arrives after the interval; kafkit looks at each interval's end.
      ticker = setInterval(() => {
        const now = Date.now()
        const { records, bytes } = control.progress()
        if (records === last.records) return
        print(progressRow(o.dateFormat, now, last, { records, bytes, time: now }))
        last = { records, bytes, time: now }
      }, o.reportingIntervalMs)
    },
  ).finally(() => clearInterval(ticker))
  const endMs = Date.now()
  const timedOut = result.records < o.numRecords
  if (timedOut)
    print(
      `WARNING: Exiting before consuming the expected number of records: timeout (${o.timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`,
    )
  const elapsedSec = (endMs - startMs) / 1000
  const rebalanceTimeMs = 0
  const fetchTimeMs = endMs - startMs - rebalanceTimeMs
  const mb = result.bytes / MB
  const summary: Omit<ConsumerPerfResult, 'lines'> = {
    topics: result.topics,
    ...(run.group !== undefined ? { group: run.group } : {}),
    startTime: startMs,
    endTime: endMs,
    mbConsumed: mb,
    mbPerSecond: mb / elapsedSec,
    records: result.records,
    recordsPerSecond: result.records / elapsedSec,
    rebalanceTimeMs,
    fetchTimeMs,
    fetchMbPerSecond: mb / (fetchTimeMs / 1000),
    fetchRecordsPerSecond: result.records / (fetchTimeMs / 1000),
    timedOut,
  }
  if (!run.showDetailedStats) print(totalRow(o.dateFormat, summary))
  return { ...summary, lines }
}

/** The Java tool's final row: `%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f`. */
export function totalRow(dateFormat: string, s: Omit<ConsumerPerfResult, 'lines'>): string {
  return [
    formatJavaDate(dateFormat, s.startTime),
    formatJavaDate(dateFormat, s.endTime),
    javaFixed(s.mbConsumed, 4),
    javaFixed(s.mbPerSecond, 4),
    String(s.records),
    javaFixed(s.recordsPerSecond, 4),
    String(s.rebalanceTimeMs),
    String(s.fetchTimeMs),
    javaFixed(s.fetchMbPerSecond, 4),
    javaFixed(s.fetchRecordsPerSecond, 4),
  ].join(', ')
}

interface Point {
  records: number
  bytes: number
  time: number
}

/** A --show-detailed-stats row: totals so far, the interval's rates, then the rebalance and fetch columns. */
export function progressRow(dateFormat: string, threadTime: number, from: Point, to: Point): string {
  const elapsedMs = to.time - from.time
  const intervalMb = (to.bytes - from.bytes) / MB
  const intervalRecords = to.records - from.records
  const joinMs = 0
  const fetchMs = elapsedMs - joinMs
  return [
    formatJavaDate(dateFormat, threadTime),
    '0',
    javaFixed(to.bytes / MB, 4),
    javaFixed((1000 * intervalMb) / elapsedMs, 4),
    String(to.records),
    javaFixed((intervalRecords / elapsedMs) * 1000, 4),
    String(joinMs),
    String(fetchMs),
    javaFixed(fetchMs <= 0 ? 0 : (1000 * intervalMb) / fetchMs, 4),
    javaFixed(fetchMs <= 0 ? 0 : (1000 * intervalRecords) / fetchMs, 4),
  ].join(', ')
}

/** The consumer figures kafkit has, in ToolsUtils.printMetrics's layout. */
export function consumerMetricsLines(result: ConsumerPerfResult, clientId: string): string[] {
  return metricsTable('consumer-fetch-manager-metrics', clientId, [
    ['records-consumed-total', result.records],
    ['records-consumed-rate', result.recordsPerSecond],
    ['bytes-consumed-total', result.mbConsumed * MB],
    ['bytes-consumed-rate', result.mbPerSecond * MB],
  ])
}
