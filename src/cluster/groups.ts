/**
 * Consumer-group operations against Kafka. Public kafkajs admin calls where kafkajs has them; the group coordinator's
 * connection (see kafkajs-internals.ts) for what kafkajs lacks or does differently from Kafka's tool: simple offset
 * commits, OffsetDelete, READ_UNCOMMITTED end offsets. Import lazily: this module loads kafkajs.
 */
import { kafkajs } from './kafkajs-internals.js'
import type { Admin } from 'kafkajs'
import { KafkitError, errorMessage } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type {
  CommittedOffsets,
  Coordinator,
  GroupDescription,
  GroupMember,
  LogOffsets,
  TopicPartition,
} from '../model/groups.js'
import { tpKey } from '../model/groups.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { kafkaError, sendOffsetDelete, type RawCluster } from './kafkajs-internals.js'
import { connectAdminAndCluster } from './client.js'

const { AssignerProtocol } = kafkajs

interface GroupListing {
  group: string
  protocolType: string
}

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

/** One connection (admin + raw cluster) for a whole command, so --watch does not reconnect every interval. */
export class GroupsClient {
  private constructor(
    private readonly admin: Admin,
    private readonly cluster: RawCluster,
    readonly servers: string[],
  ) {}

  static async connect(
    connection: ConnectionSettings,
    options: { reporter?: Reporter; requestTimeoutMs?: number } = {},
  ): Promise<GroupsClient> {
    // A fresh cluster answers NOT_COORDINATOR while it creates and loads __consumer_offsets; Kafka's tool waits it out.
    // --timeout (Kafka's tool's request timeout) also bounds the wait for the first connection.
    const { admin, cluster } = await connectAdminAndCluster(connection, {
      retries: 8,
      reporter: options.reporter,
      requestTimeoutMs: options.requestTimeoutMs,
      ...(options.requestTimeoutMs ? { connectionTimeoutMs: options.requestTimeoutMs } : {}),
    })
    return new GroupsClient(admin, cluster, connection.servers)
  }

  async close(): Promise<void> {
    await Promise.all([this.admin.disconnect().catch(() => {}), this.cluster.disconnect().catch(() => {})])
  }

  async clusterId(): Promise<string> {
    return (await this.admin.describeCluster()).clusterId
  }

  /** Consumer groups (protocol type `consumer`, or empty for groups that only ever committed offsets), sorted. */
  async listGroups(): Promise<GroupListing[]> {
    const { groups } = await this.admin.listGroups()
    const seen = new Map<string, GroupListing>()
    for (const g of groups) {
      if (g.protocolType === 'consumer' || g.protocolType === '')
        seen.set(g.groupId, { group: g.groupId, protocolType: g.protocolType })
    }
    return [...seen.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
  }

  async describeGroups(groups: string[]): Promise<GroupDescription[]> {
    if (groups.length === 0) return []
    const { groups: described } = await this.admin.describeGroups(groups)
    const byId = new Map(described.map((g) => [g.groupId, g]))
    return groups.map((group) => {
      const g = byId.get(group)
      if (!g) return { group, state: 'Dead', protocolType: '', assignmentStrategy: '', members: [] }
      const members: GroupMember[] = g.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: g.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : [],
      }))
      return { group, state: g.state, protocolType: g.protocolType, assignmentStrategy: g.protocol, members }
    })
  }

  async coordinator(group: string): Promise<Coordinator> {
    const { coordinator } = await this.cluster.findGroupCoordinatorMetadata({ groupId: group })
    return { id: coordinator.nodeId, host: coordinator.host, port: coordinator.port }
  }

  /** Every partition the group has a commit for (OffsetFetch for all topics). */
  async committedOffsets(group: string): Promise<CommittedOffsets> {
    const topics = await this.admin.fetchOffsets({ groupId: group })
    const result: CommittedOffsets = new Map()
    for (const { topic, partitions } of topics) {
      for (const { partition, offset } of partitions) {
        const value = Number(offset)
        if (value >= 0) result.set(tpKey(topic, partition), value)
      }
    }
    return result
  }

  /** Topic → partition ids, for the given topics that exist (or every topic). */
  async topicPartitions(topics?: string[]): Promise<Map<string, number[]>> {
    const existing = new Set(await this.admin.listTopics())
    const wanted = (topics ?? [...existing]).filter((t) => existing.has(t))
    const result = new Map<string, number[]>()
    if (wanted.length === 0) return result
    const metadata = await this.admin.fetchTopicMetadata({ topics: wanted })
    for (const t of metadata.topics)
      result.set(
        t.name,
        t.partitions.map((p) => p.partitionId).sort((a, b) => a - b),
      )
    return result
  }

  /** Log start and end (high watermark, READ_UNCOMMITTED, as the script reports) of each partition. */
  async logOffsets(tps: TopicPartition[]): Promise<LogOffsets> {
    const result: LogOffsets = new Map()
    if (tps.length === 0) return result
    const byTopic = groupByTopic(tps)
    await this.cluster.addMultipleTargetTopics([...byTopic.keys()])
    const request = (fromBeginning: boolean) =>
      this.cluster.fetchTopicsOffset(
        [...byTopic].map(([topic, partitions]) => ({
          topic,
          fromBeginning,
          partitions: partitions.map((partition) => ({ partition })),
        })),
      )
    const [starts, ends] = await Promise.all([request(true), request(false)])
    for (const { topic, partitions } of ends) {
      for (const { partition, offset } of partitions)
        result.set(tpKey(topic, partition), { start: 0, end: Number(offset) })
    }
    for (const { topic, partitions } of starts) {
      for (const { partition, offset } of partitions) {
        const entry = result.get(tpKey(topic, partition))
        if (entry) entry.start = Number(offset)
      }
    }
    return result
  }

  /** The first offset with a timestamp at or after `timestamp` per partition; null when there is none. */
  async offsetsForTimes(tps: TopicPartition[], timestamp: number): Promise<Map<string, number | null>> {
    const result = new Map<string, number | null>()
    if (tps.length === 0) return result
    const byTopic = groupByTopic(tps)
    await this.cluster.addMultipleTargetTopics([...byTopic.keys()])
    const answers = await this.cluster.fetchTopicsOffset(
      [...byTopic].map(([topic, partitions]) => ({
        topic,
        fromTimestamp: timestamp,
        partitions: partitions.map((partition) => ({ partition })),
      })),
    )
    for (const { topic, partitions } of answers) {
      for (const { partition, offset } of partitions) {
        const value = Number(offset)
        result.set(tpKey(topic, partition), value >= 0 ? value : null)
      }
    }
    return result
  }

  /**
   * Commits offsets as a client outside the group (generation -1, no member id), as AdminClient's
   * alterConsumerGroupOffsets does; the coordinator accepts that only while the group has no members.
   */
  async commitOffsets(group: string, offsets: Array<TopicPartition & { offset: number }>): Promise<void> {
    if (offsets.length === 0) return
    const broker = await this.cluster.findGroupCoordinator({ groupId: group })
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>()
    for (const o of offsets)
      byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }])
    try {
      await broker.offsetCommit({
        groupId: group,
        groupGenerationId: -1,
        memberId: '',
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      })
    } catch (error) {
      const type = (error as { type?: string }).type
      const hint =
        type === 'UNKNOWN_MEMBER_ID' || type === 'ILLEGAL_GENERATION' || type === 'REBALANCE_IN_PROGRESS'
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
    const broker = await this.cluster.findGroupCoordinator({ groupId: group })
    const byTopic = groupByTopic(tps)
    const response = await sendOffsetDelete(
      broker,
      group,
      [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    )
    const partitions: PartitionOpResult[] = []
    for (const t of response.topics) {
      for (const p of t.partitions) {
        partitions.push({
          topic: t.topic,
          partition: p.partition,
          ok: p.errorCode === 0,
          ...(p.errorCode ? { error: kafkaError(p.errorCode).message } : {}),
        })
      }
    }
    return { ...(response.errorCode ? { error: kafkaError(response.errorCode) } : {}), partitions }
  }

  /** DeleteGroups to each group's coordinator; one result per group, never throws for a group-level error. */
  async deleteGroups(groups: string[]): Promise<GroupOpResult[]> {
    const results: GroupOpResult[] = []
    for (const group of groups) {
      const broker = await this.cluster.findGroupCoordinator({ groupId: group })
      const { results: answers } = await broker.deleteGroups([group])
      const answer = answers.find((a) => a.groupId === group)
      if (!answer || answer.errorCode === 0) results.push({ group, ok: true })
      else {
        const error = kafkaError(answer.errorCode)
        results.push({ group, ok: false, errorType: error.type, error: error.message })
      }
    }
    return results
  }

  /** Moves the log start of partitions (DeleteRecords), for scripted set-ups that need a trimmed log. */
  async deleteRecords(topic: string, partitions: Array<{ partition: number; offset: number }>): Promise<void> {
    // kafkajs looks the leaders up in its metadata cache without loading it.
    await this.admin.fetchTopicMetadata({ topics: [topic] })
    await this.admin.deleteTopicRecords({
      topic,
      partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })),
    })
  }
}

function groupByTopic(tps: TopicPartition[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>()
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
  return byTopic
}

/**
 * The consumer protocol's assignment (ConsumerProtocolAssignment v0-v3 all start with version, [topic [partition]],
 * user data); kafkajs's decoder reads that prefix, which is all we need.
 */
function decodeAssignment(buffer: Buffer | null | undefined): TopicPartition[] {
  if (!buffer || buffer.length === 0) return []
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(buffer)
    if (!decoded) return []
    return Object.entries(decoded.assignment).flatMap(([topic, partitions]) =>
      (partitions as number[]).map((partition) => ({ topic, partition })),
    )
  } catch {
    return []
  }
}
