/**
 * The requests behind kafka-share-groups.sh and kafka-streams-groups.sh, on kafkit's own client (../client/): groups
 * by type (ListGroups v5), ShareGroupDescribe, StreamsGroupDescribe, the share-group offset APIs (KIP-932:
 * DescribeShareGroupOffsets, AlterShareGroupOffsets, DeleteShareGroupOffsets), DeleteGroups, OffsetFetch, and the
 * partition offsets (ListOffsets) and topic layouts (Metadata) around them. Share and streams groups live on the group
 * coordinator, like consumer groups. Answers come back as plain data; Kafka's errors as KafkaProtocolError (or, where
 * a group may legitimately be missing, as an error code beside the data).
 */
import { CoordinatorType, type KafkaClient } from '../client/kafka-client.js'
import { ERROR, KafkaProtocolError, kafkaError } from '../client/errors.js'
import { AlterShareGroupOffsets } from '../protocol/messages/alter-share-group-offsets.js'
import { DeleteGroups } from '../protocol/messages/delete-groups.js'
import { DeleteShareGroupOffsets } from '../protocol/messages/delete-share-group-offsets.js'
import { DescribeShareGroupOffsets } from '../protocol/messages/describe-share-group-offsets.js'
import { ListGroups } from '../protocol/messages/list-groups.js'
import { ListOffsets } from '../protocol/messages/list-offsets.js'
import { OffsetFetch } from '../protocol/messages/offset-fetch.js'
import {
  ShareGroupDescribe,
  type ShareGroupDescribeResponseDescribedGroup,
} from '../protocol/messages/share-group-describe.js'
import {
  StreamsGroupDescribe,
  type StreamsGroupDescribeResponseDescribedGroup,
} from '../protocol/messages/streams-group-describe.js'

export interface TopicPartitionRef {
  topic: string
  partition: number
}

export interface ListedGroup {
  group: string
  state: string
  type: string
  protocolType: string
}

/** A Kafka error as the Java admin client words it: the broker's message, else the code's default message. */
export interface GroupError {
  code: number
  type: string
  message: string
}

export function groupError(code: number, message?: string | null): GroupError {
  return { code, ...kafkaError(code, message) }
}

/** ListGroups on every broker (each answers for the groups it coordinates), filtered by type and state as asked. */
export async function listGroups(
  client: KafkaClient,
  options: { types?: string[]; states?: string[] } = {},
): Promise<ListedGroup[]> {
  if (client.brokers.size === 0) await client.metadata([])
  const groups: ListedGroup[] = []
  for (const nodeId of [...client.brokers.keys()].sort((a, b) => a - b)) {
    const response = await client.retry('ListGroups', async () => {
      const answer = await client.send(nodeId, ListGroups, {
        statesFilter: options.states ?? [],
        typesFilter: options.types ?? [],
      })
      if (answer.errorCode !== 0) throw new KafkaProtocolError(answer.errorCode, 'ListGroups')
      return answer
    })
    for (const g of response.groups)
      groups.push({ group: g.groupId, state: g.groupState, type: g.groupType, protocolType: g.protocolType })
  }
  return groups
}

export interface CoordinatorNode {
  id: number
  host: string
  port: number
}

export async function coordinatorOf(client: KafkaClient, group: string): Promise<CoordinatorNode> {
  const id = await client.coordinator(group, CoordinatorType.Group)
  const broker = client.brokers.get(id)
  return { id, host: broker?.host ?? '', port: broker?.port ?? -1 }
}

/** Retriable coordinator answers (loading, moved) are thrown so withCoordinator looks again; others are returned. */
function retryIfCoordinatorMoved(code: number, context: string, message: string | null): void {
  if (
    code === ERROR.COORDINATOR_LOAD_IN_PROGRESS ||
    code === ERROR.COORDINATOR_NOT_AVAILABLE ||
    code === ERROR.NOT_COORDINATOR
  )
    throw new KafkaProtocolError(code, context, message)
}

export type ShareGroupDescription = ShareGroupDescribeResponseDescribedGroup

/** ShareGroupDescribe of one group; errorCode is set (GROUP_ID_NOT_FOUND) for a missing group or one of another type. */
export async function describeShareGroup(client: KafkaClient, group: string): Promise<ShareGroupDescription> {
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const response = await client.send(nodeId, ShareGroupDescribe, {
      groupIds: [group],
      includeAuthorizedOperations: false,
    })
    const described = response.groups[0]
    if (!described) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `ShareGroupDescribe ${group}`)
    retryIfCoordinatorMoved(described.errorCode, `ShareGroupDescribe ${group}`, described.errorMessage)
    return described
  })
}

export type StreamsGroupDescription = StreamsGroupDescribeResponseDescribedGroup

export async function describeStreamsGroup(client: KafkaClient, group: string): Promise<StreamsGroupDescription> {
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const response = await client.send(nodeId, StreamsGroupDescribe, {
      groupIds: [group],
      includeAuthorizedOperations: false,
    })
    const described = response.groups[0]
    if (!described) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `StreamsGroupDescribe ${group}`)
    retryIfCoordinatorMoved(described.errorCode, `StreamsGroupDescribe ${group}`, described.errorMessage)
    return described
  })
}

export interface ShareOffset extends TopicPartitionRef {
  /** null: the partition has no share-partition state (the Java tool prints "-"). */
  startOffset: number | null
  leaderEpoch: number | null
  lag: number | null
  error?: GroupError
}

/** DescribeShareGroupOffsets for every partition the group has state for, in the broker's order. */
export async function shareGroupOffsets(
  client: KafkaClient,
  group: string,
): Promise<{ error?: GroupError; offsets: ShareOffset[] }> {
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const response = await client.send(nodeId, DescribeShareGroupOffsets, {
      groups: [{ groupId: group, topics: null }],
    })
    const answer = response.groups[0]
    if (!answer) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `DescribeShareGroupOffsets ${group}`)
    retryIfCoordinatorMoved(answer.errorCode, `DescribeShareGroupOffsets ${group}`, answer.errorMessage)
    if (answer.errorCode !== 0) return { error: groupError(answer.errorCode, answer.errorMessage), offsets: [] }
    const offsets: ShareOffset[] = []
    for (const t of answer.topics)
      for (const p of t.partitions) {
        // As the admin client reads it: a negative start offset is "no state", a negative epoch or lag is unknown.
        const none = p.errorCode !== 0 || p.startOffset < 0n
        offsets.push({
          topic: t.topicName,
          partition: p.partitionIndex,
          startOffset: none ? null : Number(p.startOffset),
          leaderEpoch: none || p.leaderEpoch < 0 ? null : p.leaderEpoch,
          lag: none || p.lag < 0n ? null : Number(p.lag),
          ...(p.errorCode !== 0 ? { error: groupError(p.errorCode, p.errorMessage) } : {}),
        })
      }
    return { offsets }
  })
}

export interface PartitionResult extends TopicPartitionRef {
  error?: GroupError
}

export async function alterShareGroupOffsets(
  client: KafkaClient,
  group: string,
  offsets: Array<TopicPartitionRef & { offset: number }>,
): Promise<{ error?: GroupError; partitions: PartitionResult[] }> {
  const byTopic = new Map<string, Array<{ partitionIndex: number; startOffset: bigint }>>()
  for (const o of offsets)
    byTopic.set(o.topic, [
      ...(byTopic.get(o.topic) ?? []),
      { partitionIndex: o.partition, startOffset: BigInt(o.offset) },
    ])
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const response = await client.send(nodeId, AlterShareGroupOffsets, {
      groupId: group,
      topics: [...byTopic].map(([topicName, partitions]) => ({ topicName, partitions })),
    })
    retryIfCoordinatorMoved(response.errorCode, `AlterShareGroupOffsets ${group}`, response.errorMessage)
    return {
      ...(response.errorCode !== 0 ? { error: groupError(response.errorCode, response.errorMessage) } : {}),
      partitions: response.responses.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.topicName,
          partition: p.partitionIndex,
          ...(p.errorCode !== 0 ? { error: groupError(p.errorCode, p.errorMessage) } : {}),
        })),
      ),
    }
  })
}

export async function deleteShareGroupOffsets(
  client: KafkaClient,
  group: string,
  topics: string[],
): Promise<{ error?: GroupError; topics: Array<{ topic: string; error?: GroupError }> }> {
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const response = await client.send(nodeId, DeleteShareGroupOffsets, {
      groupId: group,
      topics: topics.map((topicName) => ({ topicName })),
    })
    retryIfCoordinatorMoved(response.errorCode, `DeleteShareGroupOffsets ${group}`, response.errorMessage)
    return {
      ...(response.errorCode !== 0 ? { error: groupError(response.errorCode, response.errorMessage) } : {}),
      topics: response.responses.map((t) => ({
        topic: t.topicName,
        ...(t.errorCode !== 0 ? { error: groupError(t.errorCode, t.errorMessage) } : {}),
      })),
    }
  })
}

/** DeleteGroups of one group at its coordinator (the request does not look at the group's type). */
export async function deleteGroup(client: KafkaClient, group: string): Promise<GroupError | undefined> {
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const response = await client.send(nodeId, DeleteGroups, { groupsNames: [group] })
    const result = response.results.find((r) => r.groupId === group)
    if (!result) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `DeleteGroups ${group}`)
    retryIfCoordinatorMoved(result.errorCode, `DeleteGroups ${group}`, result.errorMessage)
    return result.errorCode !== 0 ? groupError(result.errorCode, result.errorMessage) : undefined
  })
}

export interface CommittedOffset extends TopicPartitionRef {
  offset: number
  leaderEpoch: number | null
}

/** OffsetFetch of every committed offset of a group (v9 at most: v10 names topics by id only). */
export async function committedOffsets(client: KafkaClient, group: string): Promise<CommittedOffset[]> {
  return client.withCoordinator(group, CoordinatorType.Group, async (nodeId) => {
    const connection = await client.connection(nodeId)
    const version = connection.versionFor(OffsetFetch, { min: 8, max: 9 })
    const response = await connection.send(
      OffsetFetch,
      { groups: [{ groupId: group, memberId: null, memberEpoch: -1, topics: null }], requireStable: false },
      version,
    )
    const answer = response.groups[0]
    if (!answer) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `OffsetFetch ${group}`)
    retryIfCoordinatorMoved(answer.errorCode, `OffsetFetch ${group}`, null)
    if (answer.errorCode !== 0 && answer.errorCode !== ERROR.GROUP_ID_NOT_FOUND)
      throw new KafkaProtocolError(answer.errorCode, `OffsetFetch ${group}`)
    const offsets: CommittedOffset[] = []
    for (const t of answer.topics)
      for (const p of t.partitions)
        if (p.errorCode === 0 && p.committedOffset >= 0n)
          offsets.push({
            topic: t.name,
            partition: p.partitionIndex,
            offset: Number(p.committedOffset),
            leaderEpoch: p.committedLeaderEpoch < 0 ? null : p.committedLeaderEpoch,
          })
    return offsets
  })
}

/** Partitions of the given topics (every topic when omitted); unknown topics are left out. */
export async function topicPartitions(client: KafkaClient, topics?: string[]): Promise<Map<string, number[]>> {
  const response = await client.metadata(topics ?? null)
  const result = new Map<string, number[]>()
  for (const t of response.topics) {
    if (t.errorCode !== 0 || t.name === null) continue
    result.set(
      t.name,
      t.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b),
    )
  }
  return result
}

export const EARLIEST = -2
export const LATEST = -1

/**
 * ListOffsets at each partition's leader: the earliest (-2), latest (-1) or first offset at or after a timestamp.
 * The answer maps `topic:partition` to the offset, null when Kafka has none (a timestamp after the last record).
 */
export async function partitionOffsets(
  client: KafkaClient,
  tps: TopicPartitionRef[],
  timestamp: number,
): Promise<Map<string, number | null>> {
  const result = new Map<string, number | null>()
  if (tps.length === 0) return result
  const byLeader = await client.byLeader(tps, (tp) => tp)
  for (const [leader, items] of byLeader) {
    if (leader < 0) {
      const tp = items[0]!
      throw new KafkaProtocolError(ERROR.LEADER_NOT_AVAILABLE, `ListOffsets ${tp.topic}-${tp.partition}`)
    }
    const byTopic = new Map<string, number[]>()
    for (const tp of items) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
    const response = await client.retry('ListOffsets', () =>
      client.send(leader, ListOffsets, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [...byTopic].map(([name, partitions]) => ({
          name,
          partitions: partitions.map((partitionIndex) => ({
            partitionIndex,
            currentLeaderEpoch: -1,
            timestamp: BigInt(timestamp),
          })),
        })),
      }),
    )
    for (const t of response.topics)
      for (const p of t.partitions) {
        if (p.errorCode !== 0) throw new KafkaProtocolError(p.errorCode, `ListOffsets ${t.name}-${p.partitionIndex}`)
        result.set(`${t.name}:${p.partitionIndex}`, p.offset < 0n ? null : Number(p.offset))
      }
  }
  return result
}
