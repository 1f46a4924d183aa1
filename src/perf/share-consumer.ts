/**
 * share-consumer-perf-test: Kafka 4.4's ShareConsumerPerformance on kafkit's share consumer (KIP-932, its own client):
 * --threads members of one share group read until they have N records between them, counted rather than printed,
 * and the totals come out in the Java tool's CSV layout.
 */
import { Writable } from 'node:stream'
import type { ShareConsumeControl } from '../cluster/share-consume.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type { RecordFormatter } from '../records/formatter.js'
import type { ShareConsumerSettings } from '../records/share-options.js'
import { formatJavaDate, javaFixed } from './format.js'
import type { ConsumerPerfOptions } from './options.js'

export const SHARE_HEADER =
  'start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec, data.consumed.in.nMsg, fetch.time.ms'

export interface SharePerfRun {
  options: ConsumerPerfOptions
  /** The share consumer settings of one member (group, client id, fetch properties). */
  settings: Omit<ShareConsumerSettings, 'maxMessages' | 'timeoutMs'>
  threads: number
  showDetailedStats: boolean
  showConsumerStats: boolean
  hideHeader: boolean
}

interface MemberFigures {
  clientId: string
  records: number
  bytes: number
}

export interface SharePerfResult {
  topic: string
  group: string
  startTime: number
  endTime: number
  mbConsumed: number
  mbPerSecond: number
  records: number
  recordsPerSecond: number
  fetchTimeMs: number
  timedOut: boolean
  members: MemberFigures[]
  lines: string[]
}

interface Context {
  connection: ConnectionSettings
  reporter: Reporter
  print: (line: string) => void
}

const MB = 1024 * 1024
const counting: RecordFormatter = { discard: true, format: () => {} }
/** How often the members' counts are added up (the run stops once they reach N). */
const CHECK_MS = 20

export async function runSharePerf(run: SharePerfRun, context: Context): Promise<SharePerfResult> {
  const lines: string[] = []
  const print = (line: string) => {
    lines.push(line)
    context.print(line)
  }
  const o = run.options
  if (!run.hideHeader) print(SHARE_HEADER)
  const { shareConsume } = await import('../cluster/share-consume.js')
  const controls: ShareConsumeControl[] = []
  const startMs = Date.now()
  const last = Array.from({ length: run.threads }, () => ({ records: 0, bytes: 0, time: startMs }))
  const total = () => controls.reduce((sum, c) => sum + c.progress().records, 0)
  let checker: NodeJS.Timeout | undefined
  let ticker: NodeJS.Timeout | undefined
  const members = Array.from({ length: run.threads }, (_, i) => {
    const clientId = run.threads === 1 ? run.settings.clientId : `${run.settings.clientId}-${i + 1}`
    return shareConsume(
      {
        ...run.settings,
        clientId,
        maxMessages: o.numRecords,
        timeoutMs: o.timeoutMs,
        connection: context.connection,
        formatter: counting,
        output: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
        reporter: context.reporter,
      },
      (control) => {
        controls[i] = control
      },
    ).then((result) => ({ clientId, result }))
  })
  // N records between all members: stop them all once their sum reaches it (each alone stops at N).
  if (run.threads > 1)
    checker = setInterval(() => {
      if (total() >= o.numRecords) for (const c of controls) c.stop()
    }, CHECK_MS)
  if (run.showDetailedStats)
    ticker = setInterval(() => {
      const now = Date.now()
      controls.forEach((control, i) => {
        const { records, bytes } = control.progress()
        const from = last[i]!
        if (records === from.records) return
        print(shareProgressRow(o.dateFormat, i, from, { records, bytes, time: now }))
        last[i] = { records, bytes, time: now }
      })
    }, o.reportingIntervalMs)
  let done: Array<{ clientId: string; result: Awaited<ReturnType<typeof shareConsume>> }>
  try {
    done = await Promise.all(members)
  } finally {
    clearInterval(checker)
    clearInterval(ticker)
    for (const c of controls) c.stop()
  }
  const endMs = Date.now()
  const records = done.reduce((sum, d) => sum + d.result.records, 0)
  const bytes = done.reduce((sum, d) => sum + d.result.bytes, 0)
  const timedOut = records < o.numRecords
  if (timedOut)
    print(
      `WARNING: Exiting before consuming the expected number of records: timeout (${o.timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`,
    )
  if (run.showConsumerStats)
    done.forEach(({ clientId, result }, i) => {
      const seconds = result.elapsedMs / 1000
      const mb = result.bytes / MB
      print(
        `Share consumer ${i + 1} having client id ${clientId} consumption metrics- ${formatJavaDate(o.dateFormat, startMs)}, ${formatJavaDate(o.dateFormat, startMs + result.elapsedMs)}, ` +
          `${javaFixed(mb, 4)}, ${javaFixed(mb / seconds, 4)}, ${javaFixed(result.records / seconds, 4)}, ${result.records}, ${result.elapsedMs}`,
      )
    })
  const elapsedSec = (endMs - startMs) / 1000
  const mb = bytes / MB
  const summary = {
    topic: run.settings.topic,
    group: run.settings.group,
    startTime: startMs,
    endTime: endMs,
    mbConsumed: mb,
    mbPerSecond: mb / elapsedSec,
    records,
    recordsPerSecond: records / elapsedSec,
    fetchTimeMs: endMs - startMs,
    timedOut,
    members: done.map(({ clientId, result }) => ({ clientId, records: result.records, bytes: result.bytes })),
  }
  print(shareTotalRow(o.dateFormat, summary))
  return { ...summary, lines }
}

/** `%s, %s, %.4f, %.4f, %.4f, %d, %d`: start, end, MB, MB/s, records/s, records, fetch time (ms). */
export function shareTotalRow(
  dateFormat: string,
  s: Pick<
    SharePerfResult,
    'startTime' | 'endTime' | 'mbConsumed' | 'mbPerSecond' | 'recordsPerSecond' | 'records' | 'fetchTimeMs'
  >,
): string {
  return [
    formatJavaDate(dateFormat, s.startTime),
    formatJavaDate(dateFormat, s.endTime),
    javaFixed(s.mbConsumed, 4),
    javaFixed(s.mbPerSecond, 4),
    javaFixed(s.recordsPerSecond, 4),
    String(s.records),
    String(s.fetchTimeMs),
  ].join(', ')
}

interface Point {
  records: number
  bytes: number
  time: number
}

/** A --show-detailed-stats row of one member: the interval's times, totals and rates. */
export function shareProgressRow(dateFormat: string, member: number, from: Point, to: Point): string {
  const elapsedMs = to.time - from.time
  return (
    [
      formatJavaDate(dateFormat, from.time),
      formatJavaDate(dateFormat, to.time),
      javaFixed(to.bytes / MB, 4),
      javaFixed((1000 * ((to.bytes - from.bytes) / MB)) / elapsedMs, 4),
      javaFixed(((to.records - from.records) / elapsedMs) * 1000, 4),
      String(to.records),
      String(elapsedMs),
    ].join(', ') + ` for share consumer ${member}`
  )
}
