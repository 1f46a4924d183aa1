/**
 * The text of `kafkit share-groups`, byte for byte what kafka-share-groups.sh 4.4 prints (its printf formats are copied
 * below): a leading newline before each table, no trailing spaces, "-" for unknown values. Output is a list of chunks
 * because the script writes some notices to stderr between its tables.
 */
import { exportCsv } from '../groups/csv.js'
import { assignmentString } from '../groups/views.js'
import { javaFormat, javaHashMapOrder, javaStringHash } from '../output/java-format.js'
import type {
  ShareDeleteOffsetsResult,
  ShareDeleteResult,
  ShareDescribeResult,
  ShareGroupReport,
  ShareListResult,
  ShareResetResult,
} from './service.js'

export interface Chunk {
  stream: 'stdout' | 'stderr'
  text: string
}

const out = (text: string): Chunk => ({ stream: 'stdout', text })
const err = (text: string): Chunk => ({ stream: 'stderr', text })
const dash = (value: number | string | null | undefined) => (value === null || value === undefined ? '-' : value)

/** `--list`: one name a line; with --state a GROUP/STATE table (the group column at least 15 wide). */
export function renderShareList(result: ShareListResult): string {
  if (!result.withState) return result.groups.map((g) => `${g.group}\n`).join('')
  const width = Math.max(15, ...result.groups.map((g) => g.group.length))
  const fmt = `%-${width}s %s\n`
  return (
    javaFormat(fmt, 'GROUP', 'STATE') +
    result.groups.map((g) => javaFormat(fmt, g.group, g.state ?? 'Unknown')).join('')
  )
}

/** ShareGroupService.maybePrintEmptyGroupState: the notice, and whether a table follows. */
function emptyNotice(g: ShareGroupReport, rows: number): { chunks: Chunk[]; print: boolean } {
  const chunks: Chunk[] = []
  if (g.state === 'Dead') chunks.push(out(`\nError: Share group '${g.group}' does not exist.\n`))
  else if (g.state === 'Empty') chunks.push(err(`\nShare group '${g.group}' has no active members.\n`))
  return { chunks, print: g.state !== 'Dead' && rows > 0 }
}

export function renderShareDescribe(result: ShareDescribeResult): Chunk[] {
  return result.groups.flatMap((g) =>
    result.view === 'members'
      ? membersChunks(g, result.verbose)
      : result.view === 'state'
        ? stateChunks(g, result.verbose)
        : offsetsChunks(g, result.verbose),
  )
}

function offsetsChunks(g: ShareGroupReport, verbose: boolean): Chunk[] {
  const rows = g.offsets ?? []
  if (rows.length === 0) return [out(`\nShare group '${g.group}' has no offset information.\n`)]
  const groupLen = Math.max(15, g.group.length)
  const topicLen = Math.max(15, ...rows.map((r) => r.topic.length))
  const fmt = verbose
    ? `\n%-${groupLen}s %-${topicLen}s %-10s %-13s %-13s %s`
    : `\n%-${groupLen}s %-${topicLen}s %-10s %-13s %s`
  const lines = [
    verbose
      ? javaFormat(fmt, 'GROUP', 'TOPIC', 'PARTITION', 'LEADER-EPOCH', 'START-OFFSET', 'LAG')
      : javaFormat(fmt, 'GROUP', 'TOPIC', 'PARTITION', 'START-OFFSET', 'LAG'),
    ...rows.map((r) =>
      verbose
        ? javaFormat(fmt, g.group, r.topic, r.partition, dash(r.leaderEpoch), dash(r.startOffset), dash(r.lag))
        : javaFormat(fmt, g.group, r.topic, r.partition, dash(r.startOffset), dash(r.lag)),
    ),
  ]
  return [out(`${lines.join('')}\n`)]
}

function stateChunks(g: ShareGroupReport, verbose: boolean): Chunk[] {
  const { chunks } = emptyNotice(g, 1)
  const groupLen = Math.max(15, g.group.length)
  const c = g.coordinator
  const coordinator = c ? `${c.host}:${c.port}  (${c.id})` : '-'
  const coordinatorLen = Math.max(25, coordinator.length)
  let text: string
  if (verbose) {
    const fmt = `\n%-${groupLen}s %-${coordinatorLen}s %-15s %-12s %-17s %s`
    text =
      javaFormat(fmt, 'GROUP', 'COORDINATOR (ID)', 'STATE', 'GROUP-EPOCH', 'ASSIGNMENT-EPOCH', '#MEMBERS') +
      javaFormat(fmt, g.group, coordinator, g.state, g.groupEpoch, g.assignmentEpoch, g.members.length)
  } else {
    const fmt = `\n%-${groupLen}s %-${coordinatorLen}s %-15s %s`
    text =
      javaFormat(fmt, 'GROUP', 'COORDINATOR (ID)', 'STATE', '#MEMBERS') +
      javaFormat(fmt, g.group, coordinator, g.state, g.members.length)
  }
  return [...chunks, out(`${text}\n`)]
}

function membersChunks(g: ShareGroupReport, verbose: boolean): Chunk[] {
  const { chunks, print } = emptyNotice(g, g.members.length)
  if (!print) return chunks
  const members = [...g.members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
  const groupLen = Math.max(15, g.group.length)
  const idLen = Math.max(15, ...members.map((m) => m.memberId.length))
  const hostLen = Math.max(15, ...members.map((m) => m.host.length))
  const clientLen = Math.max(15, ...members.map((m) => m.clientId.length))
  const head = `\n%-${groupLen}s %-${idLen}s %-${hostLen}s %-${clientLen}s %-12s`
  const fmt = verbose ? `${head} %-13s %s` : `${head} %s`
  const lines = [
    verbose
      ? javaFormat(fmt, 'GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'MEMBER-EPOCH', 'ASSIGNMENT')
      : javaFormat(fmt, 'GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT'),
    ...members.map((m) =>
      verbose
        ? javaFormat(
            fmt,
            g.group,
            m.memberId,
            m.host,
            m.clientId,
            m.assignment.length,
            m.memberEpoch,
            assignmentString(m.assignment),
          )
        : javaFormat(fmt, g.group, m.memberId, m.host, m.clientId, m.assignment.length, assignmentString(m.assignment)),
    ),
  ]
  return [...chunks, out(`${lines.join('')}\n`)]
}

/**
 * GroupOffsetsResetter.printOffsetsToReset: the plan in the order the script's HashMap holds it, after the script's
 * stdout warnings for partitions with no record at or after --to-datetime.
 */
export function renderShareReset(result: ShareResetResult): string {
  const warnings = result.emptyPartitions
    .map(
      (tp) =>
        `\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`,
    )
    .join('')
  if (result.rows.length === 0) return `${warnings}\n`
  const groupLen = Math.max(15, result.group.length)
  const topicLen = Math.max(15, ...result.rows.map((r) => r.topic.length))
  const fmt = `%n%-${groupLen}s %-${topicLen}s %-10s %s`
  return (
    warnings +
    javaFormat(fmt, 'GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET') +
    result.rows.map((r) => javaFormat(fmt, result.group, r.topic, r.partition, r.newOffset)).join('') +
    '\n'
  )
}

/** `--export`: the plan as the script's CSV (topic,partition,offset), printed with println. */
export function renderShareResetCsv(result: ShareResetResult): string {
  return `${result.emptyPartitions
    .map(
      (tp) =>
        `\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`,
    )
    .join('')}${exportCsv(
    result.rows.map((r) => ({ group: result.group, topic: r.topic, partition: r.partition, offset: r.newOffset })),
    false,
  )}\n`
}

export function renderShareDeleteOffsets(result: ShareDeleteOffsetsResult): string {
  const topics = [...result.topics].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
  const topicLen = Math.max(15, ...topics.map((t) => t.topic.length))
  const fmt = `%n%-${topicLen}s %s`
  return (
    javaFormat(fmt, 'TOPIC', 'STATUS') +
    topics.map((t) => javaFormat(fmt, t.topic, t.error ? `Error: ${t.error}` : 'Successful')).join('') +
    '\n'
  )
}

/** The script's success line; failures are the command's error (stderr, exit 1). */
export function renderShareDelete(result: ShareDeleteResult): Chunk[] {
  // The script collects the deleted groups in a HashMap and prints its keys.
  const deleted = javaHashMapOrder(
    result.groups.filter((g) => g.deleted).map((g) => g.group),
    javaStringHash,
  ).map((g) => `'${g}'`)
  const failed = result.groups.filter((g) => !g.deleted)
  if (failed.length === 0) return [out(`Deletion of requested share groups (${deleted.join(', ')}) was successful.\n`)]
  return [
    err(
      `Error: Deletion of some share groups failed:\n${failed.map((g) => `* Group '${g.group}' could not be deleted: ${g.error}`).join('\n')}\n`,
    ),
    ...(deleted.length > 0 ? [out(`These share groups were deleted successfully: ${deleted.join(', ')}\n`)] : []),
  ]
}
