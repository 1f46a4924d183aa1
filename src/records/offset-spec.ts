import { UsageError } from '../errors.js'
import { parsePointInTime } from '../util/time.js'

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

/**
 * --offset values: Kafka's `earliest`, `latest` and a non-negative offset, plus `@TIME` (see parsePointInTime)
 * and `-N` (the last N records).
 */
export function parseOffsetSpec(value: string, now = Date.now()): StartSpec {
  const text = value.trim()
  const lower = text.toLowerCase()
  if (lower === 'earliest' || lower === 'beginning') return { kind: 'earliest' }
  if (lower === 'latest' || lower === 'end') return { kind: 'latest' }
  if (/^\d+$/.test(text)) return { kind: 'offset', offset: BigInt(text).toString() }
  if (/^-\d+$/.test(text)) return { kind: 'fromEnd', count: Number(text.slice(1)) }
  if (text.startsWith('@')) return { kind: 'time', timestamp: parsePointInTime(text.slice(1), '--offset', now) }
  throw new UsageError(
    `The provided offset value '${value}' is incorrect. Valid values are 'earliest', 'latest', a non-negative offset, -N (the last N records) or @TIME (e.g. @2024-05-01T10:00:00Z, @-15m).`,
    { code: 'BAD_OFFSET' },
  )
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
    case 'earliest':
      return lo.toString()
    case 'latest':
      return hi.toString()
    case 'offset':
      return clamp(BigInt(spec.offset))
    case 'fromEnd':
      return clamp(hi - BigInt(spec.count))
    case 'time':
      return offsetForTime === undefined || BigInt(offsetForTime) < 0n ? hi.toString() : clamp(BigInt(offsetForTime))
  }
}
