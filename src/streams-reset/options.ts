/**
 * The flag rules and pure decisions of `kafkit streams-application-reset`, as org.apache.kafka.tools.StreamsResetter
 * (kafka-streams-application-reset.sh, Kafka 4.4) makes them: one reset specification at most, which topics are the
 * application's internal topics, the reset-plan CSV, clamping targets into the log, and the HashMap/HashSet orders
 * the tool prints partitions and topics in.
 */
import { UsageError } from '../errors.js'
import { javaStringHash, topicPartitionHash } from '../output/java-format.js'
import { readPlanFile, timestampMode, wholeNumber, type TimestampDeps } from '../groups/reset.js'

export type StreamsResetMode =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number }
  | { kind: 'shift'; by: number }
  /** --to-datetime and --by-duration both end up as a timestamp. */
  | { kind: 'timestamp'; timestamp: number; source: 'datetime' | 'duration' }
  | { kind: 'file'; rows: PlanRow[] }

export interface PlanRow {
  topic: string
  partition: number
  offset: number
}

export interface StreamsResetOptions {
  applicationId: string
  inputTopics: string[]
  intermediateTopics: string[]
  internalTopics: string[]
  mode: StreamsResetMode
  dryRun: boolean
  force: boolean
}

export interface StreamsResetFlags {
  'application-id': string
  'input-topics'?: string[]
  'intermediate-topics'?: string[]
  'internal-topics'?: string[]
  'to-offset'?: string
  'to-datetime'?: string
  'by-duration'?: string
  'to-earliest'?: boolean
  'to-latest'?: boolean
  'from-file'?: string
  'shift-by'?: string
  'dry-run'?: boolean
  force?: boolean
}

/** The reset specifications, in the order of the tool's checkInvalidArgs calls. */
const MODE_FLAGS = [
  'to-offset',
  'to-datetime',
  'by-duration',
  'to-earliest',
  'to-latest',
  'from-file',
  'shift-by',
] as const

/** joptsimple's withValuesSeparatedBy(','): each occurrence split at commas, all occurrences kept in order. */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '')
}

export interface ModeDeps extends TimestampDeps {
  readFile: (path: string) => string
}

export function checkStreamsResetFlags(flags: StreamsResetFlags, deps: ModeDeps): StreamsResetOptions {
  const given = MODE_FLAGS.filter((f) => flags[f] !== undefined && flags[f] !== false)
  if (given.length > 1)
    // The tool's CommandLineUtils.checkInvalidArgs wording.
    throw new UsageError(`Option "[${given[0]}]" can't be used with option "[${given[1]}]"`, {
      code: 'CONFLICTING_RESET_SPEC',
    })
  return {
    applicationId: flags['application-id'],
    inputTopics: splitList(flags['input-topics']),
    intermediateTopics: splitList(flags['intermediate-topics']),
    internalTopics: splitList(flags['internal-topics']),
    mode: modeOf(given[0], flags, deps),
    dryRun: flags['dry-run'] ?? false,
    force: flags.force ?? false,
  }
}

function modeOf(
  flag: (typeof MODE_FLAGS)[number] | undefined,
  flags: StreamsResetFlags,
  deps: ModeDeps,
): StreamsResetMode {
  switch (flag) {
    case undefined:
    case 'to-earliest':
      return { kind: 'earliest' }
    case 'to-latest':
      return { kind: 'latest' }
    case 'to-offset':
      return { kind: 'offset', offset: wholeNumber('to-offset', flags['to-offset']!) }
    case 'shift-by':
      return { kind: 'shift', by: wholeNumber('shift-by', flags['shift-by']!) }
    case 'to-datetime':
    case 'by-duration':
      return timestampMode(flag, flags[flag]!, deps)
    case 'from-file':
      return { kind: 'file', rows: parseResetPlan(readPlanFile(flags['from-file']!, deps)) }
  }
}

/** The tool's reset plan: `TOPIC,PARTITION,OFFSET` per line (no group column, unlike kafka-consumer-groups.sh). */
export function parseResetPlan(text: string): PlanRow[] {
  if (text === '') throw new UsageError('Error parsing reset plan CSV file. It is empty,', { code: 'BAD_CSV' })
  const rows = new Map<string, PlanRow>()
  // Java's String.split drops trailing empty strings: a final newline (or trailing commas) is fine, an empty line
  // inside is not.
  const lines = text.split('\n')
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  for (const line of lines) {
    const parts = line.replace(/\r$/, '').split(',')
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
    if (parts.length !== 3 || !/^[-+]?\d+$/.test(parts[1]!) || !/^[-+]?\d+$/.test(parts[2]!))
      throw new UsageError('Reset plan CSV file is not following the format `TOPIC,PARTITION,OFFSET`.', {
        code: 'BAD_CSV',
      })
    const row = { topic: parts[0]!, partition: Number(parts[1]), offset: Number(parts[2]) }
    // Later lines win, as the tool's HashMap.put.
    rows.set(`${row.topic}:${row.partition}`, row)
  }
  return [...rows.values()]
}

/**
 * StreamsResetter.matchesInternalTopicFormat plus isInferredInternalTopic: `<application.id>-...` ending in
 * -changelog, -repartition, or a foreign-key join's subscription topics; never a topic given as input or intermediate.
 */
export function isInternalTopic(
  topic: string,
  options: Pick<StreamsResetOptions, 'applicationId' | 'inputTopics' | 'intermediateTopics'>,
): boolean {
  if (options.inputTopics.includes(topic) || options.intermediateTopics.includes(topic)) return false
  if (!topic.startsWith(`${options.applicationId}-`)) return false
  return (
    topic.endsWith('-changelog') ||
    topic.endsWith('-repartition') ||
    topic.endsWith('-subscription-registration-topic') ||
    topic.endsWith('-subscription-response-topic') ||
    /^.+-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-\d+-topic$/.test(topic) ||
    /^.+-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-\d+-topic$/.test(topic)
  )
}

/**
 * The iteration order of a java.util.HashMap (or HashSet) built with `new HashMap<>(initialCapacity)` (16 when not
 * given) and filled with `items` in this order: by hash bucket of the final table, then insertion order.
 */
export function javaHashOrder<T>(items: T[], hash: (item: T) => number, initialCapacity = 16): T[] {
  // HashMap.tableSizeFor, then a doubling whenever the size passes 3/4 of the table.
  let capacity = 1
  while (capacity < initialCapacity) capacity *= 2
  while (items.length > Math.floor(capacity * 0.75)) capacity *= 2
  const bucket = (item: T) => {
    const h = hash(item)
    return (h ^ (h >>> 16)) & (capacity - 1)
  }
  return items
    .map((item, index) => ({ item, index, bucket: bucket(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.item)
}

export const tpHash = (tp: { topic: string; partition: number }) => topicPartitionHash(tp.topic, tp.partition)
export const topicHash = javaStringHash

/**
 * StreamsResetter.checkOffsetRange: a target below the log end is kept when above the log start, else set to the start;
 * one at or past the end is set to the end. The tool says so even when the target equals the bound.
 */
export function checkOffsetRange(
  offset: number,
  log: { start: number; end: number },
): { offset: number; message?: string } {
  if (offset < log.end) {
    if (offset > log.start) return { offset }
    return {
      offset: log.start,
      message: `New offset (${offset}) is lower than earliest offset. Value will be set to ${log.start}`,
    }
  }
  return {
    offset: log.end,
    message: `New offset (${offset}) is higher than latest offset. Value will be set to ${log.end}`,
  }
}

/** Java's List.toString: `[a, b]`. */
export const javaList = (items: readonly string[]) => `[${items.join(', ')}]`
