/**
 * Group operations against Kafka on kafkit's own client (../client/; no kafkajs): ListGroups from every broker,
 * ConsumerGroupDescribe for KIP-848 groups with DescribeGroups as the fallback for classic ones, OffsetFetch,
 * "simple" OffsetCommits (generation -1, no member id, as Kafka's AdminClient), OffsetDelete, DeleteGroups and
 * READ_UNCOMMITTED ListOffsets, as kafka-consumer-groups.sh sends them.
 */
import { KafkitError, errorMessage } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type {
  CommittedOffsets,
  Coordinator,
  GroupDescription,
  GroupListing,
  GroupMember,
  GroupType,
  LogOffsets,
  TopicPartition,
} from '../model/groups.js'
import { GROUP_TYPES, tpKey } from '../model/groups.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { ERROR, KafkaProtocolError, check, errorName, kafkaError } from '../client/errors.js'
import { CoordinatorType, type KafkaClient } from '../client/kafka-client.js'
import { ConsumerGroupDescribe } from '../protocol/messages/consumer-group-describe.js'
import type { ConsumerGroupDescribeResponseDescribedGroup } from '../protocol/messages/consumer-group-describe.js'
import { ConsumerProtocolAssignmentCodec } from '../protocol/messages/consumer-protocol-assignment.js'
import { DeleteGroups } from '../protocol/messages/delete-groups.js'
import { DescribeGroups } from '../protocol/messages/describe-groups.js'
import { ListGroups } from '../protocol/messages/list-groups.js'
import { LeaveGroup } from '../protocol/messages/leave-group.js'
import { ListOffsets } from '../protocol/messages/list-offsets.js'
import { OffsetCommit } from '../protocol/messages/offset-commit.js'
import { OffsetDelete } from '../protocol/messages/offset-delete.js'
import { OffsetFetch } from '../protocol/messages/offset-fetch.js'
import { Reader } from '../protocol/primitives.js'
import { connectClient } from './connect.js'

interface GroupOpResult {
  group: string
  ok: boolean
  errorType?: string
  error?: string
}

interface PartitionOpResult {
  topic: string
  partition: number
  ok: boolean
  error?: string
}

/** ListOffsets timestamps with a meaning. */
const LATEST = -1n
const EARLIEST = -2n
const READ_UNCOMMITTED = 0
/**
 * OffsetFetch v10 and OffsetCommit v10 name topics by id only; kafkit's results are by name, so it stays at v9 (every
 * Kafka 4.x broker still speaks it).
 */
const OFFSET_FETCH_MAX = 9
const OFFSET_COMMIT_MAX = 9

/** ConsumerGroupDescribe answers after which DescribeGroups is asked. */
const FALL_BACK_TO_CLASSIC = new Set<number>([ERROR.GROUP_ID_NOT_FOUND, ERROR.UNSUPPORTED_VERSION])

/** One connection for a whole command, so --watch does not reconnect every interval. */
export class GroupsClient {
  /** Brokers that list ConsumerGroupDescribe but answer UNSUPPORTED_VERSION (Kafka 3.x without KIP-848): asked once. */
  private readonly noConsumerDescribe = new Set<number>()

  private constructor(
    private readonly client: KafkaClient,
    readonly servers: string[],
  ) {}

  static async connect(
    connection: ConnectionSettings,
    options: { reporter?: Reporter; requestTimeoutMs?: number } = {},
  ): Promise<GroupsClient> {
    // A fresh cluster answers NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE while it creates and loads
    // __consumer_offsets; Kafka's tool waits it out. --timeout (the tool's request timeout) also bounds the first connect.
    const client = await connectClient(connection, {
      retries: 8,
      ...(options.reporter ? { reporter: options.reporter } : {}),
      ...(options.requestTimeoutMs
        ? { requestTimeoutMs: options.requestTimeoutMs, connectionTimeoutMs: options.requestTimeoutMs }
        : {}),
    })
    return new GroupsClient(client, connection.servers)
  }

  async close(): Promise<void> {
    this.client.close()
  }

  /** The underlying client, for a command's other requests on the same connections (the console consumer's checks). */
  get kafka(): KafkaClient {
    return this.client
  }

  async clusterId(): Promise<string> {
    if (!this.client.clusterId) await this.client.metadata([])
    return this.client.clusterId ?? ''
  }

  /**
   * Every group of every type (ListGroups to each broker: a group lives on its coordinator), in the brokers' order
   * (kafka-groups.sh prints them in its Admin client's HashMap order instead: src/groups/service.ts).
   */
  async listAllGroups(): Promise<GroupListing[]> {
    await this.client.metadata([])
    const seen = new Map<string, GroupListing>()
    const answers = await Promise.all(
      [...this.client.brokers.keys()]
        .sort((a, b) => a - b)
        .map((node) =>
          this.client.retry(`ListGroups on broker ${node}`, async () => {
            const response = await this.client.send(node, ListGroups, {})
            check(response.errorCode, 'ListGroups')
            return response.groups
          }),
        ),
    )
    for (const groups of answers) {
      for (const g of groups) {
        if (seen.has(g.groupId)) continue
        const type = (GROUP_TYPES as readonly string[]).includes(g.groupType) ? (g.groupType as GroupType) : 'unknown'
        seen.set(g.groupId, { group: g.groupId, protocolType: g.protocolType, type, state: g.groupState })
      }
    }
    return [...seen.values()]
  }

  /**
   * Consumer groups as kafka-consumer-groups.sh sees them: classic groups of the consumer protocol (or empty, for
   * groups that only ever committed offsets) and KIP-848 consumer groups; share and streams groups are left out. Sorted.
   */
  async listGroups(): Promise<GroupListing[]> {
    return (await this.listAllGroups())
      .filter(
        (g) =>
          (g.type === 'classic' || g.type === 'consumer' || g.type === 'unknown') &&
          (g.protocolType === 'consumer' || g.protocolType === ''),
      )
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
  }

  async describeGroups(groups: string[]): Promise<GroupDescription[]> {
    return Promise.all(groups.map((group) => this.describeGroup(group)))
  }

  /**
   * ConsumerGroupDescribe first where the coordinator speaks it (a KIP-848 group is unknown to DescribeGroups, which
   * calls it Dead), then DescribeGroups for classic groups: the order of Kafka's AdminClient.
   */
  private async describeGroup(group: string): Promise<GroupDescription> {
    return this.client.withCoordinator(group, CoordinatorType.Group, async (node) => {
      let notConsumerGroup: string | undefined
      if (!this.noConsumerDescribe.has(node) && (await this.client.supports(ConsumerGroupDescribe, 0, node))) {
        const response = await this.client.send(node, ConsumerGroupDescribe, {
          groupIds: [group],
          includeAuthorizedOperations: false,
        })
        const described = response.groups.find((g) => g.groupId === group)
        if (described && described.errorCode === 0) return consumerGroupDescription(described)
        // GROUP_ID_NOT_FOUND: no such group, or a group of another type ("Group g is not a consumer group");
        // UNSUPPORTED_VERSION: Kafka 3.x lists the API but answers so while KIP-848 is not enabled.
        if (described && !FALL_BACK_TO_CLASSIC.has(described.errorCode))
          check(described.errorCode, `ConsumerGroupDescribe ${group}`, described.errorMessage)
        if (described?.errorCode === ERROR.UNSUPPORTED_VERSION) this.noConsumerDescribe.add(node)
        if (described?.errorMessage && /is not a consumer group/.test(described.errorMessage))
          notConsumerGroup = described.errorMessage
      }
      const response = await this.client.send(node, DescribeGroups, { groups: [group] })
      const g = response.groups.find((d) => d.groupId === group)
      const dead: GroupDescription = {
        group,
        state: 'Dead',
        protocolType: '',
        assignmentStrategy: '',
        members: [],
        type: 'classic',
        // A share or streams group: unknown to DescribeGroups too, but it exists.
        ...(notConsumerGroup ? { notConsumerGroup } : {}),
      }
      if (!g || g.errorCode === ERROR.GROUP_ID_NOT_FOUND || g.groupState === 'Dead') return dead
      check(g.errorCode, `DescribeGroups ${group}`, g.errorMessage)
      const members: GroupMember[] = g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: g.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : [],
      }))
      return {
        group,
        state: g.groupState,
        protocolType: g.protocolType,
        assignmentStrategy: g.protocolData,
        members,
        type: 'classic',
      }
    })
  }

  async coordinator(group: string): Promise<Coordinator> {
    const nodeId = await this.client.coordinator(group, CoordinatorType.Group)
    const broker = this.client.brokers.get(nodeId)
    return { id: nodeId, host: broker?.host ?? '', port: broker?.port ?? 0 }
  }

  /** Every partition the group has a commit for (OffsetFetch for all topics). */
  async committedOffsets(group: string): Promise<CommittedOffsets> {
    return this.client.withCoordinator(group, CoordinatorType.Group, async (node) => {
      const version = Math.min(await this.client.versionOf(OffsetFetch, node), OFFSET_FETCH_MAX)
      const result: CommittedOffsets = new Map()
      const add = (topic: string, partition: number, offset: bigint, errorCode: number) => {
        check(errorCode, `OffsetFetch ${group} ${topic}-${partition}`)
        if (offset >= 0n) result.set(tpKey(topic, partition), Number(offset))
      }
      if (version >= 8) {
        const response = await this.client.send(
          node,
          OffsetFetch,
          { groups: [{ groupId: group, memberId: null, memberEpoch: -1, topics: null }], requireStable: false },
          version,
        )
        const answer = response.groups.find((g) => g.groupId === group)
        if (!answer) return result
        check(answer.errorCode, `OffsetFetch ${group}`)
        for (const t of answer.topics)
          for (const p of t.partitions) add(t.name, p.partitionIndex, p.committedOffset, p.errorCode)
        return result
      }
      const response = await this.client.send(node, OffsetFetch, { groupId: group, topics: null }, version)
      check(response.errorCode, `OffsetFetch ${group}`)
      for (const t of response.topics)
        for (const p of t.partitions) add(t.name, p.partitionIndex, p.committedOffset, p.errorCode)
      return result
    })
  }

  /** Topic → partition ids, for the given topics that exist (or every topic). */
  async topicPartitions(topics?: string[]): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>()
    if (topics && topics.length === 0) return result
    const metadata = await this.client.metadata(topics ? [...new Set(topics)] : null)
    for (const t of metadata.topics) {
      if (t.errorCode !== 0 || t.name === null) continue
      result.set(
        t.name,
        t.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b),
      )
    }
    return result
  }

  /** Log start and end (high watermark, READ_UNCOMMITTED, as the script reports) of each partition. */
  async logOffsets(tps: TopicPartition[]): Promise<LogOffsets> {
    const [starts, ends] = await Promise.all([this.listOffsets(tps, EARLIEST), this.listOffsets(tps, LATEST)])
    const result: LogOffsets = new Map()
    for (const [key, end] of ends) {
      const start = starts.get(key)
      if (end !== null) result.set(key, { start: start ?? 0, end })
    }
    return result
  }

  /** The first offset with a timestamp at or after `timestamp` per partition; null when there is none. */
  async offsetsForTimes(tps: TopicPartition[], timestamp: number): Promise<Map<string, number | null>> {
    return this.listOffsets(tps, BigInt(timestamp))
  }

  /**
   * ListOffsets to each partition's leader. A partition whose topic is gone is left out (its rows show `-`); a moved
   * leader (NOT_LEADER_OR_FOLLOWER...) is looked up again.
   */
  private async listOffsets(tps: TopicPartition[], timestamp: bigint): Promise<Map<string, number | null>> {
    const result = new Map<string, number | null>()
    if (tps.length === 0) return result
    await this.client.retry('ListOffsets', async () => {
      const pending = tps.filter((tp) => !result.has(tpKey(tp.topic, tp.partition)))
      const byLeader = await this.client.byLeader(pending, (tp) => tp)
      let retriable: KafkaProtocolError | undefined
      await Promise.all(
        [...byLeader].map(async ([leader, items]) => {
          if (leader < 0) return
          const byTopic = groupByTopic(items)
          const response = await this.client.send(leader, ListOffsets, {
            replicaId: -1,
            isolationLevel: READ_UNCOMMITTED,
            topics: [...byTopic].map(([name, partitions]) => ({
              name,
              partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })),
            })),
          })
          for (const t of response.topics) {
            for (const p of t.partitions) {
              const error = p.errorCode
                ? new KafkaProtocolError(p.errorCode, `ListOffsets ${t.name}-${p.partitionIndex}`)
                : undefined
              if (error?.retriable) retriable ??= error
              else if (!error) result.set(tpKey(t.name, p.partitionIndex), p.offset >= 0n ? Number(p.offset) : null)
            }
          }
        }),
      )
      if (retriable) throw retriable
    })
    return result
  }

  /**
   * Commits offsets as a client outside the group (generation/member epoch -1, no member id), as AdminClient's
   * alterConsumerGroupOffsets does; the coordinator accepts that only while the group has no members (classic and
   * consumer-protocol groups alike).
   */
  /**
   * Removes members from a group now (LeaveGroup v3+ naming them), as Kafka's AdminClient.removeMembersFromConsumerGroup
   * does for stopped members whose session has not timed out yet.
   */
  async removeMembers(group: string, memberIds: string[]): Promise<void> {
    if (memberIds.length === 0) return
    await this.client.withCoordinator(group, CoordinatorType.Group, async (node) => {
      const version = Math.min(await this.client.versionOf(LeaveGroup, node), 5)
      if (version < 3)
        throw new KafkitError(`The broker cannot remove members of group '${group}' (LeaveGroup v3 needed).`, {
          code: 'UNSUPPORTED_VERSION',
        })
      const response = await this.client.send(
        node,
        LeaveGroup,
        { groupId: group, members: memberIds.map((memberId) => ({ memberId, groupInstanceId: null })) },
        version,
      )
      check(response.errorCode, `LeaveGroup ${group}`)
      for (const m of response.members) check(m.errorCode, `LeaveGroup ${group} member ${m.memberId}`)
    })
  }

  async commitOffsets(group: string, offsets: Array<TopicPartition & { offset: number }>): Promise<void> {
    if (offsets.length === 0) return
    const byTopic = new Map<string, Array<{ partition: number; offset: number }>>()
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o])
    try {
      await this.client.withCoordinator(group, CoordinatorType.Group, async (node) => {
        const version = Math.min(await this.client.versionOf(OffsetCommit, node), OFFSET_COMMIT_MAX)
        const response = await this.client.send(
          node,
          OffsetCommit,
          {
            groupId: group,
            generationIdOrMemberEpoch: -1,
            memberId: '',
            groupInstanceId: null,
            retentionTimeMs: -1n,
            topics: [...byTopic].map(([name, partitions]) => ({
              name,
              partitions: partitions.map((p) => ({
                partitionIndex: p.partition,
                committedOffset: BigInt(p.offset),
                committedLeaderEpoch: -1,
                committedMetadata: '',
              })),
            })),
          },
          version,
        )
        for (const t of response.topics)
          for (const p of t.partitions) check(p.errorCode, `OffsetCommit ${group} ${t.name}-${p.partitionIndex}`)
      })
    } catch (error) {
      const type = (error as { type?: string }).type
      const hint =
        type === 'UNKNOWN_MEMBER_ID' ||
        type === 'ILLEGAL_GENERATION' ||
        type === 'REBALANCE_IN_PROGRESS' ||
        type === 'STALE_MEMBER_EPOCH'
          ? ' (a consumer joined the group meanwhile)'
          : ''
      throw new KafkitError(`Committing offsets for group '${group}' failed: ${errorMessage(error)}${hint}`, {
        code: 'COMMIT_FAILED',
        cause: error,
      })
    }
  }

  /** OffsetDelete: removes the group's commits for these partitions (refused per partition while subscribed). */
  async deleteOffsets(
    group: string,
    tps: TopicPartition[],
  ): Promise<{ error?: { type: string; message: string }; partitions: PartitionOpResult[] }> {
    const byTopic = groupByTopic(tps)
    const response = await this.client.withCoordinator(group, CoordinatorType.Group, async (node) => {
      const answer = await this.client.send(node, OffsetDelete, {
        groupId: group,
        topics: [...byTopic].map(([name, partitions]) => ({
          name,
          partitions: partitions.map((partitionIndex) => ({ partitionIndex })),
        })),
      })
      // A moved or loading coordinator is retried by withCoordinator; other errors are the answer.
      if (answer.errorCode === ERROR.NOT_COORDINATOR || answer.errorCode === ERROR.COORDINATOR_LOAD_IN_PROGRESS)
        check(answer.errorCode, `OffsetDelete ${group}`)
      return answer
    })
    const partitions: PartitionOpResult[] = []
    for (const t of response.topics) {
      for (const p of t.partitions) {
        partitions.push({
          topic: t.name,
          partition: p.partitionIndex,
          ok: p.errorCode === 0,
          ...(p.errorCode ? { error: kafkaMessage(p.errorCode) } : {}),
        })
      }
    }
    return {
      ...(response.errorCode
        ? { error: { type: errorName(response.errorCode), message: kafkaMessage(response.errorCode) } }
        : {}),
      partitions,
    }
  }

  /** DeleteGroups to each group's coordinator; one result per group, never throws for a group-level error. */
  async deleteGroups(groups: string[]): Promise<GroupOpResult[]> {
    const results: GroupOpResult[] = []
    for (const group of groups) {
      const answer = await this.client.withCoordinator(group, CoordinatorType.Group, async (node) => {
        const response = await this.client.send(node, DeleteGroups, { groupsNames: [group] })
        const result = response.results.find((r) => r.groupId === group)
        if (
          result &&
          (result.errorCode === ERROR.NOT_COORDINATOR || result.errorCode === ERROR.COORDINATOR_LOAD_IN_PROGRESS)
        )
          check(result.errorCode, `DeleteGroups ${group}`)
        return result
      })
      if (!answer || answer.errorCode === 0) results.push({ group, ok: true })
      else {
        const error = { type: errorName(answer.errorCode), message: kafkaMessage(answer.errorCode) }
        results.push({ group, ok: false, errorType: error.type, error: error.message })
      }
    }
    return results
  }
}

function consumerGroupDescription(g: ConsumerGroupDescribeResponseDescribedGroup): GroupDescription {
  const partitions = (assignment: { topicPartitions: Array<{ topicName: string; partitions: number[] }> }) =>
    assignment.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topicName, partition })))
  return {
    group: g.groupId,
    state: g.groupState,
    protocolType: 'consumer',
    assignmentStrategy: g.assignorName,
    type: 'consumer',
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: partitions(m.assignment),
      memberEpoch: m.memberEpoch,
      targetAssignment: partitions(m.targetAssignment),
    })),
  }
}

/** Kafka's own wording of an error code, without a trailing full stop (callers add their own punctuation). */
function kafkaMessage(code: number): string {
  return kafkaError(code).message.replace(/\.$/, '')
}

function groupByTopic(tps: TopicPartition[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>()
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
  return byTopic
}

/** A classic consumer's assignment bytes: int16 version, then ConsumerProtocolAssignment of that version. */
function decodeAssignment(buffer: Buffer | null | undefined): TopicPartition[] {
  if (!buffer || buffer.length < 2) return []
  try {
    const reader = new Reader(buffer)
    const version = Math.min(reader.int16(), ConsumerProtocolAssignmentCodec.maxVersion)
    const decoded = ConsumerProtocolAssignmentCodec.read(reader, version)
    return decoded.assignedPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })))
  } catch {
    return []
  }
}
