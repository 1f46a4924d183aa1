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
  /** Consumer-protocol (KIP-848) members only: the member's epoch and the assignment it is moving to. */
  memberEpoch?: number
  targetAssignment?: TopicPartition[]
}

/**
 * The group types of Kafka 4 (KIP-848 consumer groups, KIP-932 share groups, KIP-1071 streams groups); `classic` is
 * every group of the old rebalance protocol. Brokers before ListGroups v5 do not say (`unknown`).
 */
export const GROUP_TYPES = ['classic', 'consumer', 'share', 'streams'] as const
export type GroupType = (typeof GROUP_TYPES)[number] | 'unknown'

/** How Kafka's tools print a type: `Classic`, `Consumer`... */
export const groupTypeLabel = (type: GroupType): string => type.charAt(0).toUpperCase() + type.slice(1)

/** One row of ListGroups. */
export interface GroupListing {
  group: string
  protocolType: string
  type: GroupType
  /** Empty when the broker is older than ListGroups v4. */
  state: string
}

/** What DescribeGroups says about a group. `Dead` means it does not exist (or was just deleted). */
export interface GroupDescription {
  group: string
  state: string
  protocolType: string
  /** The assignor the group agreed on (range, roundrobin, cooperative-sticky ...); empty when no member. */
  assignmentStrategy: string
  members: GroupMember[]
  /** `consumer` for a KIP-848 group (described by ConsumerGroupDescribe), else `classic`. */
  type: 'classic' | 'consumer'
  /** Consumer-protocol groups only: the group epoch and the epoch of its target assignment. */
  groupEpoch?: number
  assignmentEpoch?: number
  /** Dead only: Kafka's reason when the group exists but is no consumer group ("Group s1 is not a consumer group."). */
  notConsumerGroup?: string
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
