/** kafkit's own view of a producer run's latencies (--latency-table): one row per percentile. */
import { javaFixed } from './format.js'
import type { LatencySummary } from './stats.js'

export function latencyTable(summary: LatencySummary, title = 'latency'): string[] {
  const p = summary.percentiles
  const rows: Array<[string, string]> = [
    ['avg', javaFixed(summary.avgLatencyMs, 2)],
    ['p50', String(p.p50)],
    ['p75', String(p.p75)],
    ['p90', String(p.p90)],
    ['p95', String(p.p95)],
    ['p99', String(p.p99)],
    ['p99.9', String(p.p999)],
    ['max', String(summary.maxLatencyMs)],
  ]
  const header: [string, string] = ['PERCENTILE', `${title.toUpperCase()} (MS)`]
  const width = Math.max(header[0].length, ...rows.map(([name]) => name.length))
  const valueWidth = Math.max(header[1].length, ...rows.map(([, value]) => value.length))
  return [header, ...rows].map(([name, value]) => `${name.padEnd(width)}  ${value.padStart(valueWidth)}`)
}

/** ToolsUtils.printMetrics: a blank line, "Metric Name   Value", then `group:name:{tags} : value` sorted by name. */
export function metricsTable(group: string, clientId: string, metrics: Array<[string, number]>): string[] {
  const rows = metrics
    .map(([name, value]) => [`${group}:${name}:{client-id=${clientId}}`, value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const width = Math.max(...rows.map(([name]) => name.length))
  return [
    '',
    `${'Metric Name'.padEnd(width)}   Value`,
    ...rows.map(([name, value]) => `${name.padEnd(width)} : ${javaFixed(value, 3)}`),
  ]
}
