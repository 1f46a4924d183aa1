import { UsageError } from '../errors.js'

/** Where a consumer starts in a partition. */
export type StartSpec =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  /** An absolute offset (decimal string: int64). */
  | { kind: 'offset'; offset: string }
  /** The first record with a timestamp at or after this time (ms). */
  | { kind: 'time'; timestamp: number }
  /** The last `count` records of the partition. */
  | { kind: 'fromEnd'; count: number }

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/**
 * A point in time for --from-time and --offset @TIME: epoch milliseconds ("1700000000000"), ISO-8601
 * ("2024-05-01", "2024-05-01T10:00:00Z"; a date-time without zone is local time) or relative to now
 * ("-15m", "-2h", "-1d", "now").
 */
export function parseTimeSpec(value: string, flag: string, now = Date.now()): number {
  const text = value.trim()
  if (text === 'now') return now
  if (/^\d+$/.test(text)) return Number(text)
  const relative = /^-(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text)
  if (relative) return Math.round(now - Number(relative[1]) * UNITS[relative[2]!]!)
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const parsed = Date.parse(text)
    if (!Number.isNaN(parsed)) return parsed
  }
  throw new UsageError(`Invalid ${flag} "${value}": expected epoch milliseconds, an ISO-8601 date like 2024-05-01T10:00:00Z, or a relative time like -15m.`, { code: 'BAD_TIME' })
}

/**
 * --offset values: Kafka's `earliest`, `latest` and a non-negative offset, plus `@TIME` (see parseTimeSpec)
 * and `-N` (the last N records).
 */
export function parseOffsetSpec(value: string, now = Date.now()): StartSpec {
  const text = value.trim()
  const lower = text.toLowerCase()
  if (lower === 'earliest' || lower === 'beginning') return { kind: 'earliest' }
  if (lower === 'latest' || lower === 'end') return { kind: 'latest' }
  if (/^\d+$/.test(text)) return { kind: 'offset', offset: BigInt(text).toString() }
  if (/^-\d+$/.test(text)) return { kind: 'fromEnd', count: Number(text.slice(1)) }
  if (text.startsWith('@')) return { kind: 'time', timestamp: parseTimeSpec(text.slice(1), '--offset', now) }
  throw new UsageError(`The provided offset value '${value}' is incorrect. Valid values are 'earliest', 'latest', a non-negative offset, -N (the last N records) or @TIME (e.g. @2024-05-01T10:00:00Z, @-15m).`, { code: 'BAD_OFFSET' })
}

/**
 * The offset to start at, given the partition's first and end offsets and (for time specs) the offset the
 * broker returned for the timestamp (-1 when no record is that recent). Out-of-range offsets are clamped
 * into [low, high], where the Java consumer would reset (to latest by default) instead.
 */
export function startOffset(spec: StartSpec, low: string, high: string, offsetForTime?: string): string {
  const lo = BigInt(low)
  const hi = BigInt(high)
  const clamp = (value: bigint) => (value < lo ? lo : value > hi ? hi : value).toString()
  switch (spec.kind) {
    case 'earliest': return lo.toString()
    case 'latest': return hi.toString()
    case 'offset': return clamp(BigInt(spec.offset))
    case 'fromEnd': return clamp(hi - BigInt(spec.count))
    case 'time': return offsetForTime === undefined || BigInt(offsetForTime) < 0n ? hi.toString() : clamp(BigInt(offsetForTime))
  }
}
