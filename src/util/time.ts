import { UsageError } from '../errors.js'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/**
 * A point in time, for every flag that takes one (--from-time, --offset @TIME, get-offsets --time): epoch milliseconds ("1700000000000"), ISO-8601
 * ("2024-05-01", "2024-05-01T10:00:00Z"; a date-time without zone is local time) or relative to now
 * ("-15m", "-2h", "-1d", "now").
 */
export function parsePointInTime(value: string, flag: string, now = Date.now()): number {
  const text = value.trim()
  if (text === 'now') return now
  if (/^\d+$/.test(text)) return Number(text)
  const relative = /^-(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text)
  if (relative) return Math.round(now - Number(relative[1]) * UNITS[relative[2]!]!)
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const parsed = Date.parse(text)
    if (!Number.isNaN(parsed)) return parsed
  }
  throw new UsageError(
    `Invalid ${flag} "${value}": expected epoch milliseconds, an ISO-8601 date like 2024-05-01T10:00:00Z, or a relative time like -15m.`,
    { code: 'BAD_TIME' },
  )
}

/**
 * Milliseconds on a monotonic clock, for durations. Not performance.now(): the first use of the `performance` global
 * loads perf_hooks (about ten internal modules), start-up time a command would pay only for its debug lines.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}
