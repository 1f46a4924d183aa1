/**
 * Offsets and lag of a group, row by row as `kafka-consumer-groups.sh --describe` prints them, but with two rules
 * the script does not keep: a partition with nothing committed has no lag (null, shown `-`, never a fake 0), and lag
 * is never negative (a commit above the end offset, e.g. after the topic was recreated, shows 0).
 */
import {
  type CommittedOffsets,
  type GroupDescription,
  type LogOffsets,
  type TopicPartition,
  tpKey,
} from '../model/groups.js'

export interface OffsetRow {
  group: string
  topic: string
  partition: number
  currentOffset: number | null
  logStartOffset: number | null
  logEndOffset: number | null
  lag: number | null
  consumerId: string | null
  host: string | null
  clientId: string | null
}

export function lagOf(committed: number | null | undefined, end: number | null | undefined): number | null {
  if (committed === null || committed === undefined || committed < 0) return null
  if (end === null || end === undefined) return null
  return Math.max(0, end - committed)
}

const byTopicPartition = (a: TopicPartition, b: TopicPartition) =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition

/**
 * The rows of `--describe --offsets`: first each member's assigned partitions (members with the most partitions first,
 * as the script orders them), then committed partitions that no member owns, with `-` as consumer.
 */
export function offsetRows(
  description: GroupDescription,
  committed: CommittedOffsets,
  logOffsets: LogOffsets,
): OffsetRow[] {
  const rows: OffsetRow[] = []
  const assigned = new Set<string>()
  const row = (tp: TopicPartition, member?: { memberId: string; host: string; clientId: string }): OffsetRow => {
    const key = tpKey(tp.topic, tp.partition)
    const current = committed.get(key) ?? null
    const log = logOffsets.get(key)
    return {
      group: description.group,
      topic: tp.topic,
      partition: tp.partition,
      currentOffset: current,
      logStartOffset: log?.start ?? null,
      logEndOffset: log?.end ?? null,
      lag: lagOf(current, log?.end),
      consumerId: member?.memberId ?? null,
      host: member?.host ?? null,
      clientId: member?.clientId ?? null,
    }
  }
  const members = [...description.members]
    .filter((m) => m.assignment.length > 0)
    .sort((a, b) => b.assignment.length - a.assignment.length)
  for (const member of members) {
    for (const tp of [...member.assignment].sort(byTopicPartition)) {
      assigned.add(tpKey(tp.topic, tp.partition))
      rows.push(row(tp, member))
    }
  }
  const unassigned = [...committed.keys()]
    .filter((key) => !assigned.has(key))
    .map((key) => {
      const index = key.lastIndexOf(':')
      return { topic: key.slice(0, index), partition: Number(key.slice(index + 1)) }
    })
  for (const tp of unassigned.sort(byTopicPartition)) rows.push(row(tp))
  return rows
}

export interface TopicLag {
  topic: string
  /** Sum of the known lags; partitions without a commit do not count. */
  lag: number
  partitions: number
  /** Partitions with no committed offset (their lag is unknown). */
  uncommitted: number
}

export function totalLag(rows: Array<{ lag: number | null }>): number {
  return rows.reduce((sum, r) => sum + (r.lag ?? 0), 0)
}

export function lagByTopic(rows: OffsetRow[]): TopicLag[] {
  const topics = new Map<string, TopicLag>()
  for (const r of rows) {
    const t = topics.get(r.topic) ?? { topic: r.topic, lag: 0, partitions: 0, uncommitted: 0 }
    t.partitions++
    if (r.lag === null) t.uncommitted++
    else t.lag += r.lag
    topics.set(r.topic, t)
  }
  return [...topics.values()].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
}

/** The script's one-line notices for a group that is not stable; null when the group is stable. */
export function stateNotice(
  group: string,
  state: string,
): { level: 'error' | 'notice' | 'warning'; message: string } | null {
  switch (state) {
    case 'Dead':
      return { level: 'error', message: `Consumer group '${group}' does not exist.` }
    case 'Empty':
      return { level: 'notice', message: `Consumer group '${group}' has no active members.` }
    case 'PreparingRebalance':
    case 'CompletingRebalance':
    case 'Assigning':
    case 'Reconciling':
      return { level: 'warning', message: `Consumer group '${group}' is rebalancing.` }
    default:
      return null
  }
}
