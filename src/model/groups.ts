/** Plain data shapes of the consumer-groups domain (no kafkajs types leak out of src/cluster/). */

export interface TopicPartition {
  topic: string
  partition: number
}

export interface GroupMember {
  memberId: string
  clientId: string
  host: string
  /** Decoded consumer-protocol assignment; empty for members of non-consumer groups or before the first sync. */
  assignment: TopicPartition[]
}

/** What DescribeGroups says about a group. `Dead` means it does not exist (or was just deleted). */
export interface GroupDescription {
  group: string
  state: string
  protocolType: string
  /** The assignor the group agreed on (range, roundrobin, cooperative-sticky ...); empty when no member. */
  assignmentStrategy: string
  members: GroupMember[]
}

export interface Coordinator {
  id: number
  host: string
  port: number
}

/** Committed offsets of a group: key `topic:partition`. Only partitions with a commit are present. */
export type CommittedOffsets = Map<string, number>

/** Earliest and latest offsets of a partition (log start, high watermark). */
interface PartitionOffsets {
  start: number
  end: number
}

export type LogOffsets = Map<string, PartitionOffsets>

export const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`

/** Kafka's group states that mean "nobody consumes": offsets may be changed only then. */
export const INACTIVE_STATES = new Set(['Empty', 'Dead'])
export const GROUP_STATES = [
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
  'Empty',
  'Assigning',
  'Reconciling',
]
