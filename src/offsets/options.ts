/**
 * kafka-get-offsets.sh's selection and time arguments: `--topic-partitions t:0-2,u:1,:3`, `--partitions 0,1`,
 * `--time -1|latest|-2|earliest|-3|max-timestamp|...|TIMESTAMP`. Pure.
 */
import { UsageError } from '../errors.js'
import { parsePointInTime } from '../util/time.js'
import { compileTopicFilter } from '../topics/filter.js'

type OffsetSpecName = 'latest' | 'earliest' | 'max-timestamp' | 'earliest-local' | 'latest-tiered' | 'timestamp'

export interface TimeSpec {
  name: OffsetSpecName
  /** What ListOffsets carries: a special negative value, or milliseconds since the epoch. */
  timestamp: bigint
  /** First ListOffsets version that understands it. */
  minVersion: number
}

const SPECIAL: Array<{ code: bigint; name: Exclude<OffsetSpecName, 'timestamp'>; minVersion: number }> = [
  { code: -1n, name: 'latest', minVersion: 1 },
  { code: -2n, name: 'earliest', minVersion: 1 },
  { code: -3n, name: 'max-timestamp', minVersion: 7 },
  { code: -4n, name: 'earliest-local', minVersion: 8 },
  { code: -5n, name: 'latest-tiered', minVersion: 9 },
]

const TIME_HELP =
  '-1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, a timestamp in milliseconds, an ISO-8601 time or a time relative to now like -15m'

/** `--time`: one of Kafka's special offset specs by name or code, else a point in time (see parsePointInTime). */
export function parseListOffsetsTime(value: string, now = Date.now()): TimeSpec {
  const text = value.trim()
  const special = SPECIAL.find((s) => s.name === text || String(s.code) === text)
  if (special) return { name: special.name, timestamp: special.code, minVersion: special.minVersion }
  if (text === '-6' || text === 'earliest-pending-upload') {
    // Kafka 4.2's tiered-storage spec needs ListOffsets v11, whose layout kafkit does not encode yet.
    throw new UsageError(`--time ${text} (earliest-pending-upload) is not supported by kafkit yet.`, {
      code: 'UNSUPPORTED_TIME',
    })
  }
  // Epoch milliseconds as in the script; friendlier than it, an ISO-8601 time or one relative to now (-15m).
  try {
    if (/^\d+$/.test(text)) return { name: 'timestamp', timestamp: BigInt(text), minVersion: 1 }
    return { name: 'timestamp', timestamp: BigInt(parsePointInTime(text, '--time', now)), minVersion: 1 }
  } catch {
    throw new UsageError(`Malformed time argument ${value}. Please use ${TIME_HELP}.`, { code: 'BAD_TIME' })
  }
}

interface PartitionRule {
  /** null: any topic. */
  topic: RegExp | null
  /** Half-open range [from, to): kafka-get-offsets.sh's "0-3" means partitions 0, 1 and 2. */
  from: number
  to: number
}

export interface PartitionSelector {
  rules: PartitionRule[]
}

const RULE = /^([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?$/

/**
 * `--topic-partitions`: comma-separated rules TOPIC_REGEX[:PARTITIONS], PARTITIONS being N, N-M (M
 * exclusive), N- or -M; an empty topic means every topic. Exactly the script's grammar.
 */
export function parseTopicPartitions(value: string): PartitionSelector {
  // Java's String.split drops trailing empty strings; "t:0," is one rule.
  const specs = value.split(',')
  while (specs.length > 1 && specs[specs.length - 1] === '') specs.pop()
  const rules = specs.map((spec): PartitionRule => {
    const match = RULE.exec(spec)
    if (!match) {
      throw new UsageError(
        `Invalid --topic-partitions rule "${spec}": expected TOPIC[:PARTITIONS] with PARTITIONS one of N, N-M (M excluded), N- or -M.`,
        {
          code: 'BAD_TOPIC_PARTITIONS',
          suggestions: [
            'Example: --topic-partitions "orders:0-3,payments:1" (orders partitions 0, 1, 2 and payments partition 1)',
          ],
        },
      )
    }
    const group = (i: number) => (match[i] ? match[i] : undefined)
    const topic = group(1) === undefined ? null : compileTopicFilter(group(1)!, '--topic-partitions')
    if (group(2) !== undefined) return { topic, from: Number(group(2)), to: Number(group(2)) + 1 }
    return {
      topic,
      from: group(3) === undefined ? 0 : Number(group(3)),
      to: group(4) === undefined ? Number.MAX_SAFE_INTEGER : Number(group(4)),
    }
  })
  return { rules }
}

/** `--partitions 0,2,5`: the partition ids to include (all when absent). */
export function parsePartitionIds(value: string | undefined): number[] | undefined {
  if (value === undefined || value === '') return undefined
  const ids = value.split(',')
  if (ids.some((id) => !/^\s*\d+\s*$/.test(id))) {
    throw new UsageError(
      `--partitions expects a comma separated list of numeric partition ids, but received: ${value}`,
      { code: 'BAD_PARTITIONS' },
    )
  }
  return ids.map((id) => Number(id.trim()))
}

/** `--topic REGEX --partitions 0,1` as one rule per partition id (or one rule for every partition). */
export function selectorFromTopicAndPartitions(
  topic: string | undefined,
  partitions: number[] | undefined,
): PartitionSelector {
  const filter = topic === undefined ? null : compileTopicFilter(topic)
  if (!partitions) return { rules: [{ topic: filter, from: 0, to: Number.MAX_SAFE_INTEGER }] }
  return { rules: partitions.map((p) => ({ topic: filter, from: p, to: p + 1 })) }
}

export function topicSelected(selector: PartitionSelector, topic: string): boolean {
  return selector.rules.some((r) => !r.topic || r.topic.test(topic))
}

export function partitionSelected(selector: PartitionSelector, topic: string, partition: number): boolean {
  return selector.rules.some((r) => (!r.topic || r.topic.test(topic)) && partition >= r.from && partition < r.to)
}

/** The script prints partitions in TopicPartition.toString() order ("t-10" before "t-2"); so do we. */
export function compareTopicPartitions(
  a: { topic: string; partition: number },
  b: { topic: string; partition: number },
): number {
  const x = `${a.topic}-${a.partition}`
  const y = `${b.topic}-${b.partition}`
  return x < y ? -1 : x > y ? 1 : 0
}
