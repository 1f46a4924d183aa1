/**
 * `topics --describe`: the typed view of a topic and the script's text rendering of it (TopicCommand's
 * `Topic: x\tTopicId: ..\tPartitionCount: ..` header and one tab-separated line per partition). Pure.
 */

export interface PartitionView {
  partition: number
  /** null when the partition has no leader (the script prints "none"). */
  leader: number | null
  replicas: number[]
  isr: number[]
  /** Eligible leader replicas; null when the broker does not report them (pre-3.8 or ZooKeeper: "N/A"). */
  elr: number[] | null
  lastKnownElr: number[] | null
  offlineReplicas: number[]
  /** Present while a reassignment is in progress. */
  addingReplicas?: number[]
  removingReplicas?: number[]
}

export interface TopicView {
  name: string
  /** null when the broker does not report topic ids. */
  topicId: string | null
  internal: boolean
  partitionCount: number
  replicationFactor: number
  /** Configs whose source is not the built-in default, in broker order (the script's "Configs:"). */
  configs: Record<string, string | null>
  /** min.insync.replicas in effect for the topic. */
  minInsyncReplicas: number | null
  partitions: PartitionView[]
}

export interface DescribeFilters {
  underReplicated?: boolean
  unavailable?: boolean
  underMinIsr?: boolean
  atMinIsr?: boolean
  topicsWithOverrides?: boolean
}

export interface DescribeView {
  /** Whether the topic header lines are shown (the script hides them when a partition report flag is set). */
  showTopicLines: boolean
  /** Whether partition lines are shown (hidden by --topics-with-overrides). */
  showPartitionLines: boolean
  topics: TopicView[]
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** A partition's replication factor, not counting replicas being added by an in-progress reassignment. */
export function partitionReplicationFactor(p: PartitionView): number {
  const changing = [...(p.addingReplicas ?? []), ...(p.removingReplicas ?? [])]
  const inProgress = p.replicas.some((id) => changing.includes(id))
  return inProgress ? p.replicas.length - (p.addingReplicas?.length ?? 0) : p.replicas.length
}

/** Applies the script's report flags: which topics and partitions `--describe` shows. */
export function applyDescribeFilters(
  topics: TopicView[],
  filters: DescribeFilters,
  liveBrokers: number[],
): DescribeView {
  const report = Boolean(filters.underReplicated || filters.unavailable || filters.underMinIsr || filters.atMinIsr)
  const showTopicLines = !report
  const showPartitionLines = !filters.topicsWithOverrides
  const keep = (t: TopicView, p: PartitionView): boolean => {
    if (!report) return true
    const minIsr = t.minInsyncReplicas ?? 1
    return (
      (Boolean(filters.underReplicated) && partitionReplicationFactor(p) - p.isr.length > 0) ||
      (Boolean(filters.unavailable) && (p.leader === null || !liveBrokers.includes(p.leader))) ||
      (Boolean(filters.underMinIsr) && (p.leader === null || p.isr.length < minIsr)) ||
      (Boolean(filters.atMinIsr) && p.isr.length === minIsr)
    )
  }
  const selected = topics
    .filter((t) => !filters.topicsWithOverrides || Object.keys(t.configs).length > 0)
    .map((t) => ({ ...t, partitions: showPartitionLines ? t.partitions.filter((p) => keep(t, p)) : [] }))
    // With a report flag only topics that have a partition to report are of interest.
    .filter((t) => !report || t.partitions.length > 0)
  return { showTopicLines, showPartitionLines, topics: selected }
}

const ids = (list: number[]) => list.join(',')

export function renderTopicLine(t: TopicView): string {
  const configs = Object.entries(t.configs)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  const id = t.topicId && t.topicId !== ZERO_UUID ? `\tTopicId: ${t.topicId}` : ''
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitionCount}\tReplicationFactor: ${t.replicationFactor}\tConfigs: ${configs}`
}

export function renderPartitionLine(topic: string, p: PartitionView): string {
  let line = `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${p.leader ?? 'none'}\tReplicas: ${ids(p.replicas)}\tIsr: ${ids(p.isr)}`
  if (p.addingReplicas || p.removingReplicas) {
    line += `\tAdding Replicas: ${ids(p.addingReplicas ?? [])}\tRemoving Replicas: ${ids(p.removingReplicas ?? [])}`
  }
  line += p.elr ? `\tElr: ${ids(p.elr)}` : '\tElr: N/A'
  line += p.lastKnownElr ? `\tLastKnownElr: ${ids(p.lastKnownElr)}` : '\tLastKnownElr: N/A'
  return line
}

/** The script's `--describe` text, line for line. */
export function renderDescribe(view: DescribeView): string[] {
  const lines: string[] = []
  for (const t of view.topics) {
    if (view.showTopicLines) lines.push(renderTopicLine(t))
    for (const p of t.partitions) lines.push(renderPartitionLine(t.name, p))
  }
  return lines
}
