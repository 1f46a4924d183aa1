/**
 * The JSON files of kafka-delete-records.sh (--offset-json-file), kafka-leader-election.sh (--path-to-json-file) and
 * kafka-reassign-partitions.sh (--reassignment-json-file, --topics-to-move-json-file), with the scripts' checks and
 * messages (duplicates, missing fields, version 1 only), and the flag rules of the four commands. Pure.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'

export interface TopicPartition {
  topic: string
  partition: number
}

/** TopicPartition.toString(): "orders-0". */
export const tpName = (p: TopicPartition) => `${p.topic}-${p.partition}`

/** The reassignment tool's order: topic, then partition as a number. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition
}

/** The text of a file a flag names; a missing or unreadable file is a usage error naming the flag. */
export function readInputFile(
  path: string,
  flag: string,
  read: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): string {
  try {
    return read(path)
  } catch (error) {
    throw new UsageError(
      `Cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      {
        code: 'UNREADABLE_FILE',
      },
    )
  }
}

function parseJson(text: string, file: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`, { code: 'BAD_JSON_FILE' })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${file} must hold a JSON object.`, { code: 'BAD_JSON_FILE' })
  return value as Record<string, unknown>
}

function checkVersion(json: Record<string, unknown>, file: string): void {
  const version = json.version ?? 1
  if (version !== 1)
    throw new UsageError(`Not supported version field value ${JSON.stringify(version)} in ${file}.`, {
      code: 'BAD_JSON_FILE',
    })
}

function field<T>(entry: unknown, name: string, kind: 'string' | 'int', file: string, index: number): T {
  const value = (entry as Record<string, unknown> | null)?.[name]
  const ok = kind === 'string' ? typeof value === 'string' : Number.isSafeInteger(value)
  if (!ok) {
    throw new UsageError(
      `${file}: entry ${index} of "partitions" needs "${name}" as ${kind === 'string' ? 'a string' : 'an integer'}.`,
      { code: 'BAD_JSON_FILE' },
    )
  }
  return value as T
}

function entries(json: Record<string, unknown>, key: string, file: string, required: boolean): unknown[] {
  const list = json[key]
  if (list === undefined && !required) return []
  if (!Array.isArray(list)) throw new UsageError(`${file}: missing "${key}" field (a list).`, { code: 'BAD_JSON_FILE' })
  return list
}

function duplicates<T>(items: T[], key: (item: T) => string): string[] {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const item of items) {
    const k = key(item)
    if (seen.has(k)) dup.add(k)
    seen.add(k)
  }
  return [...dup]
}

// ---------------------------------------------------------------- delete-records

export interface OffsetTarget extends TopicPartition {
  offset: number
}

/** --offset-json-file: {"partitions":[{"topic":"t","partition":0,"offset":5}],"version":1}. */
export function parseOffsetJson(text: string, file = '--offset-json-file'): OffsetTarget[] {
  const json = parseJson(text, file)
  checkVersion(json, file)
  const list = entries(json, 'partitions', file, true).map((e, i) => ({
    topic: field<string>(e, 'topic', 'string', file, i),
    partition: field<number>(e, 'partition', 'int', file, i),
    offset: field<number>(e, 'offset', 'int', file, i),
  }))
  const dup = duplicates(list, tpName)
  if (dup.length > 0)
    throw new UsageError(`Offset json file contains duplicate topic partitions: ${dup.join(',')}`, {
      code: 'DUPLICATE_PARTITIONS',
    })
  return list
}

// ---------------------------------------------------------------- leader-election

export type ElectionTypeName = 'PREFERRED' | 'UNCLEAN'

/** --election-type: preferred or unclean in any case (joptsimple's enum converter ignores case). */
export function parseElectionType(value: string): ElectionTypeName {
  const upper = value.trim().toUpperCase()
  if (upper === 'PREFERRED' || upper === 'UNCLEAN') return upper
  throw new UsageError(`Invalid --election-type "${value}": expected preferred or unclean.`, {
    code: 'BAD_ELECTION_TYPE',
  })
}

/** --path-to-json-file: {"partitions":[{"topic":"t","partition":0}]}. */
export function parseElectionJson(text: string, file = '--path-to-json-file'): TopicPartition[] {
  const json = parseJson(text, file)
  if (!Array.isArray(json.partitions))
    throw new UsageError('Replica election data is missing "partitions" field', { code: 'BAD_JSON_FILE' })
  const list = json.partitions.map((e: unknown, i: number) => ({
    topic: field<string>(e, 'topic', 'string', file, i),
    partition: field<number>(e, 'partition', 'int', file, i),
  }))
  const dup = duplicates(list, tpName)
  if (dup.length > 0)
    throw new UsageError(`Replica election data contains duplicate partitions: ${dup.join(',')}`, {
      code: 'DUPLICATE_PARTITIONS',
    })
  return list
}

export interface ElectionFlags {
  topic?: string
  partition?: number
  allTopicPartitions: boolean
  pathToJsonFile?: string
}

/** One and only one of --topic, --all-topic-partitions, --path-to-json-file; --partition exactly with --topic. */
export function checkElectionFlags(flags: ElectionFlags): void {
  const given = [flags.topic !== undefined, flags.allTopicPartitions, flags.pathToJsonFile !== undefined]
  if (given.filter(Boolean).length !== 1) {
    throw new UsageError(
      'One and only one of the following options is required: --topic, --all-topic-partitions, --path-to-json-file',
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  if (flags.topic !== undefined && flags.partition === undefined)
    throw new UsageError('Missing required option(s): --partition', { code: 'MISSING_FLAG' })
  if (flags.topic === undefined && flags.partition !== undefined)
    throw new UsageError('Option --partition is only allowed if --topic is used', { code: 'CONFLICTING_FLAGS' })
}

// ---------------------------------------------------------------- reassign-partitions

export interface ReplicaAssignment extends TopicPartition {
  replicas: number[]
  /** One per replica: "any" or an absolute log directory. */
  logDirs: string[]
}

/** --reassignment-json-file: {"version":1,"partitions":[{"topic","partition","replicas":[..],"log_dirs":[..]}]}. */
export function parseReassignmentJson(text: string, file = '--reassignment-json-file'): ReplicaAssignment[] {
  const json = parseJson(text, file)
  checkVersion(json, file)
  return entries(json, 'partitions', file, false).map((e, i) => {
    const topic = field<string>(e, 'topic', 'string', file, i)
    const partition = field<number>(e, 'partition', 'int', file, i)
    const raw = e as Record<string, unknown>
    if (!Array.isArray(raw.replicas) || !raw.replicas.every((r) => Number.isSafeInteger(r)))
      throw new UsageError(`${file}: entry ${i} of "partitions" needs "replicas" as a list of broker ids.`, {
        code: 'BAD_JSON_FILE',
      })
    const replicas = raw.replicas as number[]
    let logDirs = replicas.map(() => 'any')
    if (raw.log_dirs !== undefined) {
      if (!Array.isArray(raw.log_dirs) || !raw.log_dirs.every((d) => typeof d === 'string'))
        throw new UsageError(`${file}: "log_dirs" of entry ${i} must be a list of strings.`, { code: 'BAD_JSON_FILE' })
      logDirs = raw.log_dirs as string[]
    }
    if (logDirs.length !== replicas.length) {
      throw new UsageError(
        `Size of replicas list [${replicas.join(', ')}] is different from size of log dirs list [${logDirs.join(', ')}] for partition ${topic}-${partition}`,
        { code: 'BAD_JSON_FILE' },
      )
    }
    return { topic, partition, replicas, logDirs }
  })
}

/** The checks of --execute: something to do, no empty replica list, no duplicate partition or replica. */
export function checkExecuteAssignment(assignment: ReplicaAssignment[]): void {
  if (assignment.length === 0)
    throw new UsageError('Partition reassignment list cannot be empty', { code: 'BAD_JSON_FILE' })
  if (assignment.some((a) => a.replicas.length === 0))
    throw new UsageError('Partition replica list cannot be empty', { code: 'BAD_JSON_FILE' })
  const dup = duplicates(assignment, tpName)
  if (dup.length > 0)
    throw new UsageError(`Partition reassignment contains duplicate topic partitions: ${dup.join(',')}`, {
      code: 'DUPLICATE_PARTITIONS',
    })
  const dupReplicas = assignment
    .map((a) => ({ a, dup: duplicates(a.replicas, String) }))
    .filter((d) => d.dup.length > 0)
    .map((d) => `${tpName(d.a)} contains multiple entries for ${d.dup.join(',')}`)
  if (dupReplicas.length > 0)
    throw new UsageError(`Partition replica lists may not contain duplicate entries: ${dupReplicas.join('. ')}`, {
      code: 'DUPLICATE_REPLICAS',
    })
}

/** --topics-to-move-json-file: {"topics":[{"topic":"foo"}],"version":1}. */
export function parseTopicsToMoveJson(text: string, file = '--topics-to-move-json-file'): string[] {
  const json = parseJson(text, file)
  checkVersion(json, file)
  const topics = entries(json, 'topics', file, false).map((e, i) => {
    const topic = (e as Record<string, unknown> | null)?.topic
    if (typeof topic !== 'string')
      throw new UsageError(`${file}: entry ${i} of "topics" needs "topic" as a string.`, { code: 'BAD_JSON_FILE' })
    return topic
  })
  const dup = duplicates(topics, String)
  if (dup.length > 0)
    throw new UsageError(`List of topics to reassign contains duplicate entries: [${dup.join(', ')}]`, {
      code: 'DUPLICATE_TOPICS',
    })
  return topics
}

/** --broker-list "1,2,3" (the brokers to move partitions to, or to query). */
export function parseBrokerIds(value: string, flag = '--broker-list'): number[] {
  const ids = value.split(',').filter((s) => s.trim() !== '')
  if (ids.some((id) => !/^\s*\d+\s*$/.test(id)))
    throw new UsageError(`Invalid ${flag} "${value}": expected broker ids like 1,2,3.`, { code: 'BAD_BROKER_LIST' })
  return ids.map((id) => Number(id.trim()))
}

export function checkBrokerListUnique(brokers: number[]): void {
  const dup = duplicates(brokers, String)
  if (dup.length > 0)
    throw new UsageError(`Broker list contains duplicate entries: [${dup.join(', ')}]`, { code: 'BAD_BROKER_LIST' })
}

export type ReassignAction = 'generate' | 'execute' | 'verify' | 'cancel' | 'list'

export interface ReassignFlags {
  generate: boolean
  execute: boolean
  verify: boolean
  cancel: boolean
  list: boolean
  'reassignment-json-file'?: string
  'topics-to-move-json-file'?: string
  'broker-list'?: string
  throttle?: number
  'replica-alter-log-dirs-throttle'?: number
  additional: boolean
  'preserve-throttles': boolean
  'disable-rack-aware': boolean
  'disallow-replication-factor-change': boolean
  timeout?: number
}

const ACTIONS: ReassignAction[] = ['generate', 'execute', 'verify', 'cancel', 'list']
const REQUIRED: Record<ReassignAction, Array<keyof ReassignFlags>> = {
  generate: ['topics-to-move-json-file', 'broker-list'],
  execute: ['reassignment-json-file'],
  verify: ['reassignment-json-file'],
  cancel: ['reassignment-json-file'],
  list: [],
}
const PERMITTED: Record<ReassignAction, Array<keyof ReassignFlags>> = {
  generate: ['disable-rack-aware'],
  execute: [
    'additional',
    'throttle',
    'replica-alter-log-dirs-throttle',
    'timeout',
    'disallow-replication-factor-change',
  ],
  verify: ['preserve-throttles'],
  cancel: ['preserve-throttles', 'timeout'],
  list: [],
}
const OPTIONAL: Array<keyof ReassignFlags> = [
  'reassignment-json-file',
  'topics-to-move-json-file',
  'broker-list',
  'throttle',
  'replica-alter-log-dirs-throttle',
  'additional',
  'preserve-throttles',
  'disable-rack-aware',
  'disallow-replication-factor-change',
  'timeout',
]

/** Exactly one action, its required options, and no option another action owns (the script's messages). */
export function reassignAction(flags: ReassignFlags): ReassignAction {
  const actions = ACTIONS.filter((a) => flags[a])
  if (actions.length !== 1) {
    throw new UsageError(`Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}`, {
      code: 'CONFLICTING_FLAGS',
    })
  }
  const action = actions[0]!
  const given = (name: keyof ReassignFlags) => flags[name] !== undefined && flags[name] !== false
  const missing = REQUIRED[action].filter((name) => !given(name))
  if (missing.length > 0)
    throw new UsageError(`Missing required argument "[${missing.join(', ')}]"`, { code: 'MISSING_FLAG' })
  for (const name of OPTIONAL) {
    if (given(name) && !REQUIRED[action].includes(name) && !PERMITTED[action].includes(name))
      throw new UsageError(`Option "[${name}]" can't be used with action "[${action}]"`, { code: 'CONFLICTING_FLAGS' })
  }
  return action
}

// ---------------------------------------------------------------- delete-records flags

export interface DeleteRecordsFlags {
  'offset-json-file'?: string
  topic?: string
  partition?: string
  offset?: string
  before?: string
  execute: boolean
}

export type DeleteRecordsPlan =
  | { kind: 'file'; path: string }
  | { kind: 'shortcut'; topic: string; partitions?: number[]; offset?: number; before?: string; execute: boolean }

/**
 * The script's --offset-json-file, or kafkit's --topic [--partition 0,1] with exactly one of --offset N (-1: the high
 * watermark, every record) and --before TIME.
 */
export function deleteRecordsPlan(flags: DeleteRecordsFlags): DeleteRecordsPlan {
  const shortcut = ['topic', 'partition', 'offset', 'before'] as const
  if (flags['offset-json-file'] !== undefined) {
    const mixed = shortcut.find((f) => flags[f] !== undefined)
    if (mixed) throw new UsageError(`--offset-json-file cannot be used with --${mixed}.`, { code: 'CONFLICTING_FLAGS' })
    return { kind: 'file', path: flags['offset-json-file'] }
  }
  if (flags.topic === undefined) {
    throw new UsageError('Missing required argument: --offset-json-file, or --topic with --offset or --before.', {
      code: 'MISSING_FLAG',
      suggestions: [
        'kafkit delete-records --topic orders --before -1d',
        'kafkit delete-records --topic orders --partition 0 --offset 100',
      ],
    })
  }
  if ((flags.offset === undefined) === (flags.before === undefined))
    throw new UsageError('--topic needs exactly one of --offset and --before.', { code: 'MISSING_FLAG' })
  let partitions: number[] | undefined
  if (flags.partition !== undefined) {
    if (!/^\s*\d+\s*(,\s*\d+\s*)*$/.test(flags.partition))
      throw new UsageError(`Invalid --partition "${flags.partition}": expected partition ids like 0 or 0,1,2.`, {
        code: 'BAD_PARTITIONS',
      })
    partitions = [...new Set(flags.partition.split(',').map((p) => Number(p.trim())))]
  }
  let offset: number | undefined
  if (flags.offset !== undefined) {
    const text = flags.offset.trim()
    if (!/^(-1|\d+)$/.test(text) || !Number.isSafeInteger(Number(text)))
      throw new UsageError(`Invalid --offset "${flags.offset}": expected an offset, or -1 for the high watermark.`, {
        code: 'BAD_OFFSET',
      })
    offset = Number(text)
  }
  return { kind: 'shortcut', topic: flags.topic, partitions, offset, before: flags.before, execute: flags.execute }
}
