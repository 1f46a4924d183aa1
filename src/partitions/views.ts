/**
 * What kafka-delete-records.sh, kafka-leader-election.sh, kafka-reassign-partitions.sh and kafka-log-dirs.sh print,
 * byte for byte: their lines, the Java HashMap/HashSet orders they print partitions in, the compact JSON of the
 * reassignment tool and the Jackson-serialised HashMaps of the log-dirs tool. Plus kafkit's own tables. Pure.
 */
import { javaHashMapOrder, javaStringHash, topicPartitionHash } from '../output/java-format.js'
import { formatBytes, renderTable } from '../output/table.js'
import { compareTopicPartitions, tpName, type TopicPartition } from './options.js'
import type { ReassignResult } from './reassign.js'

const tpHashOrder = <T extends TopicPartition>(items: T[]) =>
  javaHashMapOrder(items, (p) => topicPartitionHash(p.topic, p.partition))

/** A Kafka error as Java's Throwable.toString() shows it: "org.apache.kafka.common.errors.XyzException: message". */
export function javaErrorString(type: string | null, message: string | null): string {
  const name = (type ?? 'UNKNOWN_SERVER_ERROR').replace(/_ERROR$/, '')
  const camel = name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
  return `org.apache.kafka.common.errors.${camel}Exception: ${message ?? ''}`
}

// ---------------------------------------------------------------- delete-records

export interface LowWatermarkLine extends TopicPartition {
  lowWatermark: number | null
  error: string | null
  errorMessage: string | null
}

/**
 * kafka-delete-records.sh's output after the delete. The script's partition order comes from an immutable Java map
 * whose iteration order changes with every JVM run (Map.ofEntries' random salt); kafkit sorts by topic and partition.
 */
export function deleteRecordsText(results: LowWatermarkLine[]): string {
  const lines = ['Executing records delete operation', 'Records delete operation completed:']
  for (const r of [...results].sort(compareTopicPartitions)) {
    lines.push(
      r.error === null
        ? `partition: ${tpName(r)}\tlow_watermark: ${r.lowWatermark}`
        : `partition: ${tpName(r)}\terror: ${javaErrorString(r.error, r.errorMessage)}`,
    )
  }
  return lines.join('\n')
}

export interface PlannedDelete extends TopicPartition {
  /** The partition's low watermark now. */
  lowWatermark: number
  /** The low watermark after the delete (the offset records are deleted before). */
  newLowWatermark: number
  highWatermark: number
}

/** kafkit's dry run: what the delete would do, partition by partition. */
export function plannedDeletesTable(plan: PlannedDelete[]): string {
  return renderTable(
    ['TOPIC', 'PARTITION', 'LOW-WATERMARK', 'NEW-LOW-WATERMARK', 'HIGH-WATERMARK', 'RECORDS-DELETED'],
    [...plan]
      .sort(compareTopicPartitions)
      .map((p) => [
        p.topic,
        p.partition,
        p.lowWatermark,
        p.newLowWatermark,
        p.highWatermark,
        Math.max(0, p.newLowWatermark - p.lowWatermark),
      ]),
  )
}

// ---------------------------------------------------------------- leader-election

export interface ElectionLine extends TopicPartition {
  error: string | null
  errorMessage: string | null
}

/** kafka-leader-election.sh's lines: elected, already elected, then one line per failure. */
export function electionText(type: string, results: ElectionLine[]): string {
  const ordered = tpHashOrder(results)
  const succeeded = ordered.filter((r) => r.error === null)
  const noop = ordered.filter((r) => r.error === 'ELECTION_NOT_NEEDED')
  const failed = ordered.filter((r) => r.error !== null && r.error !== 'ELECTION_NOT_NEEDED')
  const lines: string[] = []
  if (succeeded.length > 0)
    lines.push(`Successfully completed leader election (${type}) for partitions ${succeeded.map(tpName).join(', ')}`)
  if (noop.length > 0) lines.push(`Valid replica already elected for partitions ${noop.map(tpName).join(', ')}`)
  for (const f of failed)
    lines.push(
      `Error completing leader election (${type}) for partition: ${tpName(f)}: ${javaErrorString(f.error, f.errorMessage)}`,
    )
  return lines.join('\n')
}

// ---------------------------------------------------------------- reassign-partitions

export interface AssignmentEntry extends TopicPartition {
  replicas: number[]
  logDirs?: string[]
}

/** formatAsReassignmentJson: compact, sorted by topic then partition, "log_dirs" always written. */
export function reassignmentJson(entries: AssignmentEntry[]): string {
  const partitions = [...entries].sort(compareTopicPartitions).map((e) => ({
    topic: e.topic,
    partition: e.partition,
    replicas: e.replicas,
    log_dirs: e.logDirs ?? e.replicas.map(() => 'any'),
  }))
  return JSON.stringify({ version: 1, partitions })
}

export function generateText(current: AssignmentEntry[], proposed: AssignmentEntry[]): string {
  return [
    'Current partition replica assignment',
    reassignmentJson(current),
    '',
    'Proposed partition reassignment configuration',
    reassignmentJson(proposed),
  ].join('\n')
}

/** The rollback block --execute prints before starting. */
export function rollbackText(current: AssignmentEntry[]): string {
  return [
    'Current partition replica assignment',
    '',
    reassignmentJson(current),
    '',
    'Save this to use as the --reassignment-json-file option during rollback',
  ].join('\n')
}

export const VERIFY_WARNING =
  'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.'

export const EXISTING_REASSIGNMENT =
  'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.'

export function startedText(partitions: TopicPartition[]): string {
  return `Successfully started partition reassignment${partitions.length === 1 ? '' : 's'} for ${[...partitions]
    .sort(compareTopicPartitions)
    .map(tpName)
    .join(',')}`
}

export function reassignErrorsText(errors: Array<TopicPartition & { errorMessage: string | null }>): string {
  return `Error reassigning partition(s):\n${[...errors]
    .sort(compareTopicPartitions)
    .map((e) => `${tpName(e)}: ${e.errorMessage ?? ''}`)
    .join('\n')}`
}

export interface PartitionState extends TopicPartition {
  currentReplicas: number[]
  targetReplicas: number[]
  done: boolean
}

/** partitionReassignmentStatesToString. */
export function verifyStatesText(states: PartitionState[]): string {
  const lines = ['Status of partition reassignment:']
  for (const s of [...states].sort(compareTopicPartitions)) {
    if (!s.done) lines.push(`Reassignment of partition ${tpName(s)} is still in progress.`)
    else if (s.currentReplicas.join(',') === s.targetReplicas.join(','))
      lines.push(`Reassignment of partition ${tpName(s)} is completed.`)
    else
      lines.push(
        `There is no active reassignment of partition ${tpName(s)}, but replica set is ${s.currentReplicas.join(',')} rather than ${s.targetReplicas.join(',')}.`,
      )
  }
  return lines.join('\n')
}

/** The two lines of clearAllThrottles: brokers in HashSet order (ascending ids), topics in HashSet order. */
export function clearingThrottlesText(brokers: number[], topics: string[]): string {
  const brokerOrder = javaHashMapOrder(
    [...new Set(brokers)].sort((a, b) => a - b),
    (id) => id,
  )
  const topicOrder = javaHashMapOrder([...new Set(topics)], javaStringHash)
  return [
    `Clearing broker-level throttles on broker${brokerOrder.length === 1 ? '' : 's'} ${brokerOrder.join(',')}`,
    `Clearing topic-level throttles on topic${topicOrder.length === 1 ? '' : 's'} ${topicOrder.join(',')}`,
  ].join('\n')
}

export interface OngoingLine extends TopicPartition {
  replicas: number[]
  addingReplicas: number[]
  removingReplicas: number[]
}

/** --list: curReassignmentsToString. */
export function listText(ongoing: OngoingLine[]): string {
  if (ongoing.length === 0) return 'No partition reassignments found.'
  const lines = [...ongoing]
    .sort(compareTopicPartitions)
    .map(
      (r) =>
        `${tpName(r)}: replicas: ${r.replicas.join(',')}.` +
        (r.addingReplicas.length > 0 ? ` adding: ${r.addingReplicas.join(',')}.` : '') +
        (r.removingReplicas.length > 0 ? ` removing: ${r.removingReplicas.join(',')}.` : ''),
    )
  return `Current partition reassignments:\n${lines.join('\n')}`
}

export function cancelledText(cancelled: TopicPartition[]): string {
  if (cancelled.length === 0) return 'None of the specified partition reassignments are active.'
  return `Successfully cancelled partition reassignment${cancelled.length === 1 ? '' : 's'} for: ${[...cancelled]
    .sort(compareTopicPartitions)
    .map(tpName)
    .join(',')}`
}

/** --cancel prints this with System.out.print, so the next line (clearing throttles) follows on the same line. */
export const NO_MOVES_ACTIVE = 'None of the specified partition moves are active.'

// ---------------------------------------------------------------- log-dirs

export interface LogDirsBroker {
  broker: number
  logDirs: Array<{
    logDir: string
    error: string | null
    totalBytes: number
    usableBytes: number
    partitions: Array<TopicPartition & { size: number; offsetLag: number; isFuture: boolean }>
  }>
}

/** Jackson's serialisation of a java.util.HashMap: keys in bucket order. */
function hashMapJson(entries: Array<[string, string]>): string {
  return `{${javaHashMapOrder(entries, ([k]) => javaStringHash(k))
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`
}

/** The error column as the script writes it: the Java exception class name. */
function logDirErrorClass(error: string | null): string | null {
  if (error === null) return null
  return javaErrorString(error, '').replace(/: $/, '')
}

/** kafka-log-dirs.sh --describe's output: two lines, then the JSON document. */
export function logDirsScriptText(brokers: LogDirsBroker[]): string {
  const ordered = javaHashMapOrder(brokers, (b) => b.broker)
  const brokersJson = ordered.map((b) =>
    hashMapJson([
      ['broker', String(b.broker)],
      [
        'logDirs',
        `[${javaHashMapOrder(b.logDirs, (d) => javaStringHash(d.logDir))
          .map((d) =>
            hashMapJson([
              ['logDir', JSON.stringify(d.logDir)],
              ['error', JSON.stringify(logDirErrorClass(d.error))],
              [
                'partitions',
                `[${tpHashOrder(d.partitions)
                  .map((p) =>
                    hashMapJson([
                      ['partition', JSON.stringify(tpName(p))],
                      ['size', String(p.size)],
                      ['offsetLag', String(p.offsetLag)],
                      ['isFuture', String(p.isFuture)],
                    ]),
                  )
                  .join(',')}]`,
              ],
            ]),
          )
          .join(',')}]`,
      ],
    ]),
  )
  return [
    'Querying brokers for log directories information',
    `Received log directory information from brokers ${ordered.map((b) => b.broker).join(',')}`,
    hashMapJson([
      ['version', '1'],
      ['brokers', `[${brokersJson.join(',')}]`],
    ]),
  ].join('\n')
}

/** kafkit's table: one row per replica, and per directory its used and free space. */
export function logDirsTable(brokers: LogDirsBroker[]): string {
  const dirs = renderTable(
    ['BROKER', 'LOG-DIR', 'REPLICAS', 'SIZE', 'TOTAL', 'USABLE', 'ERROR'],
    brokers.flatMap((b) =>
      b.logDirs.map((d) => [
        b.broker,
        d.logDir,
        d.partitions.length,
        formatBytes(d.partitions.reduce((sum, p) => sum + p.size, 0)),
        d.totalBytes >= 0 ? formatBytes(d.totalBytes) : '-',
        d.usableBytes >= 0 ? formatBytes(d.usableBytes) : '-',
        d.error ?? '',
      ]),
    ),
  )
  const replicas = brokers.flatMap((b) =>
    b.logDirs.flatMap((d) => d.partitions.map((p) => ({ broker: b.broker, logDir: d.logDir, ...p }))),
  )
  replicas.sort((a, b) => compareTopicPartitions(a, b) || a.broker - b.broker)
  const parts = renderTable(
    ['TOPIC', 'PARTITION', 'BROKER', 'LOG-DIR', 'SIZE', 'OFFSET-LAG', 'FUTURE'],
    replicas.map((r) => [
      r.topic,
      r.partition,
      r.broker,
      r.logDir,
      formatBytes(r.size),
      r.offsetLag,
      r.isFuture ? 'yes' : 'no',
    ]),
  )
  return `${dirs}\n\n${parts}`
}

/** Everything kafka-reassign-partitions.sh prints on stdout for one action, byte for byte (final newline included). */
export function reassignText(result: ReassignResult): string {
  switch (result.action) {
    case 'generate':
      return `${generateText(result.current, result.proposed)}\n`
    case 'execute': {
      const lines = [rollbackText(result.current)]
      if (result.interBrokerThrottle !== null || result.logDirThrottle !== null) lines.push(VERIFY_WARNING)
      if (result.interBrokerThrottle !== null)
        lines.push(`The inter-broker throttle limit was set to ${result.interBrokerThrottle} B/s`)
      if (result.logDirThrottle !== null)
        lines.push(`The replica-alter-dir throttle limit was set to ${result.logDirThrottle} B/s`)
      lines.push(result.errors.length > 0 ? reassignErrorsText(result.errors) : startedText(result.started))
      return `${lines.join('\n')}\n`
    }
    case 'verify': {
      // The script prints the (empty, without log_dirs) replica-move report as an empty line.
      const text = `${verifyStatesText(result.partitions)}\n\n`
      return result.clearedThrottles
        ? `${text}${clearingThrottlesText(result.clearedThrottles.brokers, result.clearedThrottles.topics)}\n`
        : text
    }
    case 'cancel': {
      if (result.errors.length > 0)
        return `Error cancelling partition reassignment${result.errors.length === 1 ? '' : 's'} for:\n${[
          ...result.errors,
        ]
          .sort(compareTopicPartitions)
          .map((e) => `${tpName(e)}: ${e.errorMessage ?? ''}`)
          .join('\n')}\n`
      // The script ends this line without a newline (System.out.print): the throttle lines follow on it.
      const text = `${cancelledText(result.cancelled)}\n${NO_MOVES_ACTIVE}`
      return result.clearedThrottles
        ? `${text}${clearingThrottlesText(result.clearedThrottles.brokers, result.clearedThrottles.topics)}\n`
        : text
    }
    case 'list':
      return `${listText(result.reassignments)}\n`
  }
}
