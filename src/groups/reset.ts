/**
 * Planning an offset reset, as kafka-consumer-groups.sh's GroupOffsetsResetter does it, without touching Kafka:
 * the service gathers committed offsets, log start/end offsets and timestamp lookups, this module decides.
 */
import { KafkitError, UsageError } from '../errors.js'
import type { CsvOffset } from './csv.js'
import { lagOf } from './lag.js'
import { type CommittedOffsets, type LogOffsets, type TopicPartition, tpKey } from '../model/groups.js'

export type ResetMode =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'current' }
  | { kind: 'offset'; offset: number }
  | { kind: 'shift'; by: number }
  /** --to-datetime and --by-duration both end up as a timestamp. */
  | { kind: 'timestamp'; timestamp: number; source: 'datetime' | 'duration' }
  | { kind: 'file'; rows: CsvOffset[] }

export interface TopicScope {
  topic: string
  /** Undefined: every partition of the topic. */
  partitions?: number[]
}

/** `--topic t` and `--topic t:0,2` (the script's reset-offsets syntax). */
export function parseTopicScopes(values: string[]): TopicScope[] {
  return values.map((value) => {
    if (!value.includes(':')) {
      if (!value.trim())
        throw new UsageError('Invalid --topic "": expected a topic name, or topic:0,1,2 for some partitions.', {
          code: 'BAD_TOPIC',
        })
      return { topic: value }
    }
    const parts = value.split(':')
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new UsageError(
        `Invalid --topic "${value}": expected a topic name and partitions, like ${parts[0] || 'topic'}:0,1,2.`,
        { code: 'BAD_TOPIC' },
      )
    }
    const partitions = parts[1].split(',').map((p) => {
      if (!/^\d+$/.test(p.trim()))
        throw new UsageError(`Invalid partition "${p}" in --topic "${value}".`, { code: 'BAD_TOPIC' })
      return Number(p)
    })
    return { topic: parts[0], partitions: [...new Set(partitions)] }
  })
}

/** Scopes → partitions, refusing unknown topics and partitions (the script: "The partitions ... do not exist"). */
export function resolveScopes(scopes: TopicScope[], topics: Map<string, number[]>): TopicPartition[] {
  const result = new Map<string, TopicPartition>()
  for (const scope of scopes) {
    const existing = topics.get(scope.topic)
    if (!existing) {
      throw new KafkitError(`Unknown topic '${scope.topic}'.`, {
        code: 'UNKNOWN_TOPIC',
        suggestions: ['List topics with: kafkit topics --list'],
      })
    }
    const wanted = scope.partitions ?? existing
    const missing = wanted.filter((p) => !existing.includes(p))
    if (missing.length > 0) {
      throw new KafkitError(
        `The partitions "${missing.map((p) => `${scope.topic}-${p}`).join(',')}" do not exist (topic '${scope.topic}' has ${existing.length} partition${existing.length === 1 ? '' : 's'}).`,
        {
          code: 'UNKNOWN_PARTITION',
        },
      )
    }
    for (const partition of wanted) result.set(tpKey(scope.topic, partition), { topic: scope.topic, partition })
  }
  return sortTps([...result.values()])
}

export function sortTps<T extends TopicPartition>(tps: T[]): T[] {
  return tps.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
}

export interface ResetRow {
  group: string
  topic: string
  partition: number
  /** Committed before the reset; null when nothing was committed. */
  currentOffset: number | null
  newOffset: number
  /** What was asked before clamping to the log start/end, when it differs. */
  requestedOffset?: number
  logStartOffset: number
  logEndOffset: number
  lagBefore: number | null
  lagAfter: number
}

interface PlanInput {
  group: string
  partitions: TopicPartition[]
  mode: ResetMode
  committed: CommittedOffsets
  logOffsets: LogOffsets
  /** For timestamp modes: the first offset at or after the timestamp, null when there is none. */
  timestampOffsets?: Map<string, number | null>
}

interface Plan {
  rows: ResetRow[]
  warnings: string[]
}

/** The script clamps explicit targets (--to-offset, --shift-by, --from-file) into [log start, log end] with a warning. */
export function clamp(
  requested: number,
  log: { start: number; end: number },
  tp: TopicPartition,
): { offset: number; warning?: string } {
  const name = `${tp.topic}-${tp.partition}`
  if (requested > log.end) {
    return {
      offset: log.end,
      warning: `New offset (${requested}) is higher than latest offset for topic partition ${name}. Value will be set to ${log.end}.`,
    }
  }
  if (requested < log.start) {
    return {
      offset: log.start,
      warning: `New offset (${requested}) is lower than earliest offset for topic partition ${name}. Value will be set to ${log.start}.`,
    }
  }
  return { offset: requested }
}

export function planReset(input: PlanInput): Plan {
  const { group, mode, committed, logOffsets } = input
  const warnings: string[] = []
  const partitions = mode.kind === 'file' ? fileTps(mode.rows, group) : input.partitions
  const fileOffsets =
    mode.kind === 'file'
      ? new Map(mode.rows.filter((r) => r.group === group).map((r) => [tpKey(r.topic, r.partition), r.offset]))
      : undefined
  const rows = partitions.map((tp): ResetRow => {
    const key = tpKey(tp.topic, tp.partition)
    const log = logOffsets.get(key)
    if (!log)
      throw new KafkitError(`No log offsets for ${tp.topic}-${tp.partition} (does the partition have a leader?).`, {
        code: 'NO_LOG_OFFSETS',
      })
    const current = committed.get(key) ?? null
    let target: number
    let explicit = false
    switch (mode.kind) {
      case 'earliest':
        target = log.start
        break
      case 'latest':
        target = log.end
        break
      // Like the script: a partition without a commit is "current" at the log end.
      case 'current':
        target = current ?? log.end
        break
      case 'offset':
        target = mode.offset
        explicit = true
        break
      case 'shift':
        if (current === null) {
          throw new KafkitError(
            `Cannot shift offset for partition ${tp.topic}-${tp.partition} since there is no current committed offset.`,
            {
              code: 'NO_COMMITTED_OFFSET',
              suggestions: [
                'Use --to-offset, --to-earliest or --to-latest for partitions without a commit, or narrow --topic to t:partitions.',
              ],
            },
          )
        }
        target = current + mode.by
        explicit = true
        break
      case 'timestamp': {
        const found = input.timestampOffsets?.get(key)
        if (found === null || found === undefined) {
          warnings.push(
            `Partition ${tp.partition} of topic ${tp.topic} has no message at or after the given time: using its log end offset ${log.end}, as Kafka's tool does.`,
          )
          target = log.end
        } else target = found
        break
      }
      case 'file':
        target = fileOffsets!.get(key)!
        explicit = true
        break
    }
    let newOffset = target
    let requestedOffset: number | undefined
    if (explicit) {
      const clamped = clamp(target, log, tp)
      if (clamped.warning) {
        warnings.push(clamped.warning)
        requestedOffset = target
      }
      newOffset = clamped.offset
    }
    return {
      group,
      topic: tp.topic,
      partition: tp.partition,
      currentOffset: current,
      newOffset,
      ...(requestedOffset !== undefined ? { requestedOffset } : {}),
      logStartOffset: log.start,
      logEndOffset: log.end,
      lagBefore: lagOf(current, log.end),
      lagAfter: lagOf(newOffset, log.end) ?? 0,
    }
  })
  return { rows, warnings }
}

function fileTps(rows: CsvOffset[], group: string): TopicPartition[] {
  const mine = rows.filter((r) => r.group === group)
  if (mine.length === 0)
    throw new KafkitError(`No reset plan for group ${group} found in the --from-file CSV.`, {
      code: 'NO_PLAN_FOR_GROUP',
    })
  return sortTps(mine.map((r) => ({ topic: r.topic, partition: r.partition })))
}

/** Checks the mode flags: exactly one reset specification, and the values parse. */
export function describeMode(mode: ResetMode): string {
  switch (mode.kind) {
    case 'earliest':
      return '--to-earliest'
    case 'latest':
      return '--to-latest'
    case 'current':
      return '--to-current'
    case 'offset':
      return `--to-offset ${mode.offset}`
    case 'shift':
      return `--shift-by ${mode.by}`
    case 'timestamp':
      return `${mode.source === 'datetime' ? '--to-datetime' : '--by-duration'} (${new Date(mode.timestamp).toISOString()})`
    case 'file':
      return '--from-file'
  }
}

export interface ResetModeFlags {
  'to-earliest'?: boolean
  'to-latest'?: boolean
  'to-current'?: boolean
  'to-offset'?: string
  'shift-by'?: string
  'to-datetime'?: string
  'by-duration'?: string
  'from-file'?: string
}

/** An offset or a shift as the scripts take it (a Java long; here a safe integer). */
export function wholeNumber(flag: string, value: string): number {
  if (!/^[-+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`Invalid --${flag} "${value}": expected a whole number.`, { code: 'BAD_OFFSET' })
  return Number(value)
}

/** What --to-datetime and --by-duration read, for the group tools and streams-application-reset alike. */
export interface TimestampDeps {
  now: () => number
  parseDateTime: (value: string, warn: (message: string) => void) => number
  parseIsoDuration: (value: string) => number
  warn?: (message: string) => void
}

/** --to-datetime and --by-duration both come down to a timestamp, remembering which flag gave it. */
export function timestampMode(
  flag: 'to-datetime' | 'by-duration',
  value: string,
  deps: TimestampDeps,
): { kind: 'timestamp'; timestamp: number; source: 'datetime' | 'duration' } {
  return flag === 'to-datetime'
    ? { kind: 'timestamp', timestamp: deps.parseDateTime(value, deps.warn ?? (() => {})), source: 'datetime' }
    : { kind: 'timestamp', timestamp: deps.now() - deps.parseIsoDuration(value), source: 'duration' }
}

/** --from-file's text, or the one-line error the tools give for a file they cannot read. */
export function readPlanFile(path: string, deps: { readFile: (path: string) => string }): string {
  try {
    return deps.readFile(path)
  } catch {
    throw new UsageError(`Cannot read --from-file ${path}.`, { code: 'NO_SUCH_FILE' })
  }
}

const MODE_FLAGS = [
  'to-datetime',
  'by-duration',
  'to-earliest',
  'to-latest',
  'shift-by',
  'from-file',
  'to-current',
  'to-offset',
] as const

/**
 * The one reset specification given (the script insists on exactly one). `readFile` and `now` are injected for tests;
 * `warn` receives remarks on values that are accepted but read differently by Kafka's script (see parseDateTime).
 */
export function modeFromFlags(
  flags: ResetModeFlags,
  groups: string[],
  deps: {
    readFile: (path: string) => string
    now: () => number
    parseCsv: (text: string, groups: string[], file: string) => CsvOffset[]
    parseDateTime: (value: string, warn: (message: string) => void) => number
    parseIsoDuration: (value: string) => number
    warn?: (message: string) => void
  },
): ResetMode {
  const given = MODE_FLAGS.filter((f) => flags[f] !== undefined && flags[f] !== false)
  if (given.length === 0) {
    throw new UsageError(
      `--reset-offsets needs one reset specification: ${MODE_FLAGS.map((f) => `--${f}`).join(', ')}.`,
      { code: 'NO_RESET_SPEC' },
    )
  }
  if (given.length > 1) {
    throw new UsageError(`Choose one reset specification, not ${given.map((f) => `--${f}`).join(' and ')}.`, {
      code: 'CONFLICTING_RESET_SPEC',
    })
  }
  const flag = given[0]!
  switch (flag) {
    case 'to-earliest':
      return { kind: 'earliest' }
    case 'to-latest':
      return { kind: 'latest' }
    case 'to-current':
      return { kind: 'current' }
    case 'to-offset':
      return { kind: 'offset', offset: wholeNumber('to-offset', flags['to-offset']!) }
    case 'shift-by':
      return { kind: 'shift', by: wholeNumber('shift-by', flags['shift-by']!) }
    case 'to-datetime':
    case 'by-duration':
      return timestampMode(flag, flags[flag]!, deps)
    case 'from-file':
      return { kind: 'file', rows: deps.parseCsv(readPlanFile(flags['from-file']!, deps), groups, flags['from-file']!) }
  }
}
