/**
 * The admin and metadata requests of `topics`, `configs`, `get-offsets` and the stack's readiness and status, on
 * kafkit's own client (../client/) and the generated codec: typed calls, so that domain code never builds a raw
 * request. Each module of ../protocol/messages/ is imported by name, so a command's chunk holds only the APIs it uses.
 * Loads no kafkajs.
 */
import { DEFAULT_STACK } from '../output/commands.js'
import type { Reporter } from '../output/reporter.js'
import { CreatePartitions } from '../protocol/messages/create-partitions.js'
import { CreateTopics } from '../protocol/messages/create-topics.js'
import { DeleteTopics } from '../protocol/messages/delete-topics.js'
import { DescribeConfigs } from '../protocol/messages/describe-configs.js'
import {
  DescribeTopicPartitions,
  type DescribeTopicPartitionsResponse,
} from '../protocol/messages/describe-topic-partitions.js'
import { IncrementalAlterConfigs } from '../protocol/messages/incremental-alter-configs.js'
import { ListOffsets } from '../protocol/messages/list-offsets.js'
import { ListPartitionReassignments } from '../protocol/messages/list-partition-reassignments.js'
import { ERROR, UnsupportedApiError, check, kafkaError } from '../client/errors.js'
import { KafkaClient, type Target } from '../client/kafka-client.js'
import { sleep } from '../util/sleep.js'
import { unreachable } from './unreachable.js'
import { monotonicMs } from '../util/time.js'

export { kafkaError }

// ---------------------------------------------------------------- cluster and topics

export interface ClusterView {
  clusterId: string
  controller: number | null
  brokers: Array<{ nodeId: number; host: string; port: number }>
}

/** The cluster as Metadata shows it (what the Java admin client's describeCluster reports for old brokers too). */
export async function describeCluster(client: KafkaClient): Promise<ClusterView> {
  await client.metadata([])
  return clusterView(client)
}

function clusterView(client: KafkaClient): ClusterView {
  return {
    clusterId: client.clusterId ?? '',
    controller: client.controllerId,
    brokers: [...client.brokers.values()]
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port }))
      .sort((a, b) => a.nodeId - b.nodeId),
  }
}

/** Every topic name, internal ones included, in the broker's order. */
export async function listTopics(client: KafkaClient): Promise<string[]> {
  const metadata = await client.metadata(null)
  return metadata.topics.flatMap((t) => (t.name === null ? [] : [t.name]))
}

export interface PartitionInfo {
  partition: number
  /** -1 when the partition has no leader. */
  leader: number
  replicas: number[]
  isr: number[]
  /** Eligible leader replicas; null when the broker does not report them. */
  elr: number[] | null
  lastKnownElr: number[] | null
  offlineReplicas: number[]
}

export interface TopicInfo {
  name: string
  errorCode: number
  /** null when the broker does not report topic ids (Metadata before v10). */
  topicId: string | null
  internal: boolean
  partitions: PartitionInfo[]
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** Partitions of some topics (all when `null`) from Metadata: leaders, replicas, ISR; no ELR. */
export async function topicMetadata(client: KafkaClient, topics: string[] | null): Promise<TopicInfo[]> {
  const metadata = await client.metadata(topics)
  return metadata.topics.map((t) => ({
    name: t.name ?? '',
    errorCode: t.errorCode,
    topicId: t.topicId && t.topicId !== ZERO_UUID ? t.topicId : null,
    internal: t.isInternal,
    partitions: t.partitions.map((p) => ({
      partition: p.partitionIndex,
      leader: p.leaderId,
      replicas: p.replicaNodes,
      isr: p.isrNodes,
      elr: null,
      lastKnownElr: null,
      offlineReplicas: p.offlineReplicas,
    })),
  }))
}

/**
 * What `kafka-topics --describe` shows of a topic's partitions. DescribeTopicPartitions (KRaft brokers 3.8+), which
 * the Java tool uses when it can, carries the eligible leader replicas and pages through big topics; older brokers
 * get Metadata (topic ids from v10, no ELR: the script prints "Elr: N/A" for them).
 */
export async function describeTopics(
  client: KafkaClient,
  topics: string[],
  partitionLimit = 2000,
): Promise<TopicInfo[]> {
  if (!(await client.supports(DescribeTopicPartitions))) return topicMetadata(client, topics)
  const result: TopicInfo[] = []
  let cursor: { topicName: string; partitionIndex: number } | null = null
  do {
    const page: DescribeTopicPartitionsResponse = await client.send('any', DescribeTopicPartitions, {
      topics: topics.map((name) => ({ name })),
      responsePartitionLimit: partitionLimit,
      cursor,
    })
    for (const t of page.topics) {
      const partitions = t.partitions.map((p) => ({
        partition: p.partitionIndex,
        leader: p.leaderId,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        elr: p.eligibleLeaderReplicas,
        lastKnownElr: p.lastKnownElr,
        offlineReplicas: p.offlineReplicas,
      }))
      // A topic cut by the partition limit goes on in the next page.
      const previous = result.find((r) => r.name === t.name)
      if (previous) previous.partitions.push(...partitions)
      else
        result.push({
          name: t.name ?? '',
          errorCode: t.errorCode,
          topicId: t.topicId !== ZERO_UUID ? t.topicId : null,
          internal: t.isInternal,
          partitions,
        })
    }
    cursor = page.nextCursor
  } while (cursor)
  return result
}

export interface NewTopic {
  name: string
  /** -1: the broker's num.partitions. */
  partitions: number
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number
  /** Replicas per partition, in partition order (then partitions and replication factor are -1). */
  assignment?: number[][]
  configs: Record<string, string>
}

/** How long a created topic may take to have a leader for every partition. */
const LEADERS_TIMEOUT_MS = 15_000
const POLL_MS = 100

/**
 * Creates one topic and waits until every partition has a leader (so the next command can use it). Answers
 * 'exists' for TOPIC_ALREADY_EXISTS; any other error is thrown as a KafkaProtocolError carrying the broker's message.
 */
export async function createTopic(client: KafkaClient, topic: NewTopic): Promise<'created' | 'exists'> {
  const response = await client.retry(`CreateTopics ${topic.name}`, async () => {
    const answer = await client.send('controller', CreateTopics, {
      topics: [
        {
          name: topic.name,
          numPartitions: topic.assignment ? -1 : topic.partitions,
          replicationFactor: topic.assignment ? -1 : topic.replicationFactor,
          assignments: (topic.assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
          configs: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
        },
      ],
    })
    const result = answer.topics.find((t) => t.name === topic.name)
    // NOT_CONTROLLER (the controller moved) is retriable: look it up again.
    if (result?.errorCode === ERROR.NOT_CONTROLLER) await client.metadata([])
    if (result && result.errorCode !== ERROR.TOPIC_ALREADY_EXISTS)
      check(result.errorCode, `CreateTopics ${topic.name}`, result.errorMessage)
    return result
  })
  if (response?.errorCode === ERROR.TOPIC_ALREADY_EXISTS) return 'exists'
  await waitForLeaders(client, topic.name)
  return 'created'
}

async function waitForLeaders(client: KafkaClient, topic: string): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS
  for (;;) {
    const [info] = await topicMetadata(client, [topic])
    if (info && info.errorCode === 0 && info.partitions.length > 0 && info.partitions.every((p) => p.leader >= 0))
      return
    if (Date.now() > deadline) throw new Error(`Timed out while waiting for the leaders of topic ${topic}`)
    await sleep(POLL_MS)
  }
}

/** Deletes one topic; an error is thrown as a KafkaProtocolError. */
export async function deleteTopic(client: KafkaClient, topic: string): Promise<void> {
  await client.retry(`DeleteTopics ${topic}`, async () => {
    const answer = await client.send('controller', DeleteTopics, {
      topics: [{ name: topic }],
      topicNames: [topic],
      timeoutMs: 30_000,
    })
    const result = answer.responses.find((r) => r.name === topic) ?? answer.responses[0]
    if (result?.errorCode === ERROR.NOT_CONTROLLER) await client.metadata([])
    if (result) check(result.errorCode, `DeleteTopics ${topic}`, result.errorMessage)
  })
}

/** Grows a topic to `count` partitions; `assignment` lists the replicas of the new partitions only. */
export async function createPartitions(
  client: KafkaClient,
  topic: string,
  count: number,
  assignment?: number[][],
): Promise<void> {
  await client.retry(`CreatePartitions ${topic}`, async () => {
    const answer = await client.send('controller', CreatePartitions, {
      topics: [{ name: topic, count, assignments: assignment ? assignment.map((brokerIds) => ({ brokerIds })) : null }],
      timeoutMs: 30_000,
      validateOnly: false,
    })
    const result = answer.results.find((r) => r.name === topic)
    if (result?.errorCode === ERROR.NOT_CONTROLLER) await client.metadata([])
    if (result) check(result.errorCode, `CreatePartitions ${topic}`, result.errorMessage)
  })
}

export interface Reassignment {
  topic: string
  partition: number
  addingReplicas: number[]
  removingReplicas: number[]
}

/** Ongoing partition reassignments of the whole cluster. */
export async function listPartitionReassignments(client: KafkaClient): Promise<Reassignment[]> {
  const answer = await client.send('controller', ListPartitionReassignments, { topics: null })
  check(answer.errorCode, 'ListPartitionReassignments', answer.errorMessage)
  return answer.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      addingReplicas: p.addingReplicas,
      removingReplicas: p.removingReplicas,
    })),
  )
}

// ---------------------------------------------------------------- configs

/** Java's ConfigResource.Type ids. */
export const ResourceType = { topic: 2, broker: 4, group: 32 } as const

/** Java's AlterConfigOp.OpType ids. */
export const ConfigOperation = { set: 0, delete: 1 } as const

/** Java's ConfigEntry.ConfigSource names, by the id the protocol carries. */
const CONFIG_SOURCES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
}

export function configSourceName(id: number): string {
  return CONFIG_SOURCES[id] ?? 'UNKNOWN'
}

export interface ConfigEntry {
  name: string
  value: string | null
  /** Java's ConfigEntry.ConfigSource name. */
  source: string
  sensitive: boolean
  readOnly: boolean
  synonyms: Array<{ name: string; value: string | null; source: string }>
}

export interface ResourceConfigs {
  type: number
  name: string
  errorCode: number
  errorMessage: string | null
  configs: ConfigEntry[]
}

/**
 * DescribeConfigs of some resources, asked of `target` (a broker's own configs must be asked of that broker; the
 * empty broker name stands for the cluster-wide defaults).
 */
export async function describeConfigs(
  client: KafkaClient,
  target: Target,
  resources: Array<{ type: number; name: string }>,
  options: { synonyms: boolean },
): Promise<ResourceConfigs[]> {
  const answer = await client.send(target, DescribeConfigs, {
    resources: resources.map((r) => ({ resourceType: r.type, resourceName: r.name, configurationKeys: null })),
    includeSynonyms: options.synonyms,
  })
  return answer.results.map((r) => ({
    type: r.resourceType,
    name: r.resourceName,
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    configs: r.configs.map((c) => ({
      name: c.name,
      value: c.value,
      source: configSourceName(c.configSource),
      sensitive: c.isSensitive,
      readOnly: c.readOnly,
      synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: configSourceName(s.source) })),
    })),
  }))
}

/** Whether a broker speaks DescribeConfigs v1+ (Kafka 1.1+) and IncrementalAlterConfigs (Kafka 2.3+). */
export async function configApisSupported(
  client: KafkaClient,
  target: Target,
): Promise<{ describe: boolean; alter: boolean }> {
  return {
    describe: await client.supports(DescribeConfigs, 1, target),
    alter: await client.supports(IncrementalAlterConfigs, 0, target),
  }
}

export interface ConfigChange {
  name: string
  operation: number
  value: string | null
}

/**
 * IncrementalAlterConfigs of one resource: changes exactly the keys given (the legacy AlterConfigs replaces every
 * dynamic config of the resource). Answers the resource's error code and message (0 when done).
 */
export async function alterConfigs(
  client: KafkaClient,
  target: Target,
  resource: { type: number; name: string },
  changes: ConfigChange[],
): Promise<{ errorCode: number; errorMessage: string | null }> {
  const answer = await client.send(target, IncrementalAlterConfigs, {
    resources: [
      {
        resourceType: resource.type,
        resourceName: resource.name,
        configs: changes.map((c) => ({ name: c.name, configOperation: c.operation, value: c.value })),
      },
    ],
    validateOnly: false,
  })
  const result = answer.responses[0]
  return { errorCode: result?.errorCode ?? 0, errorMessage: result?.errorMessage ?? null }
}

// ---------------------------------------------------------------- offsets

/** The highest ListOffsets version the cluster and kafkit both speak (0 when none). */
export async function listOffsetsVersion(client: KafkaClient): Promise<number> {
  try {
    return await client.versionOf(ListOffsets)
  } catch (error) {
    if (error instanceof UnsupportedApiError) return 0
    throw error
  }
}

export interface OffsetAnswer {
  topic: string
  partition: number
  errorCode: number
  /** -1 when there is no offset (no record at or after the timestamp). */
  offset: bigint
  timestamp: bigint
}

/**
 * ListOffsets for partitions on one leader: -1 latest (high watermark), -2 earliest, -3 max timestamp, other
 * negatives as Kafka defines them, else the first offset at or after a timestamp. read_uncommitted, as
 * kafka-get-offsets does (the Java admin client's default).
 */
export async function listOffsets(
  client: KafkaClient,
  leader: number,
  partitions: Array<{ topic: string; partition: number }>,
  timestamp: bigint,
): Promise<OffsetAnswer[]> {
  const byTopic = new Map<string, number[]>()
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition])
  const answer = await client.send(leader, ListOffsets, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [...byTopic].map(([name, indexes]) => ({
      name,
      partitions: indexes.map((partitionIndex) => ({ partitionIndex, timestamp })),
    })),
  })
  return answer.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      errorCode: p.errorCode,
      offset: p.offset,
      timestamp: p.timestamp,
    })),
  )
}

// ---------------------------------------------------------------- the stack's readiness and status

export interface StackClientOptions {
  servers: string[]
  /** The local stack these servers belong to, for the unreachable message. */
  stack?: string
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
  reporter?: Reporter
}

/** A client for a local stack's brokers (no TLS, no SASL), without retries: readiness polls itself. */
async function stackClient(options: StackClientOptions): Promise<KafkaClient> {
  const started = monotonicMs()
  const client = await KafkaClient.connect({
    servers: options.servers,
    connectionTimeoutMs: options.connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    retries: 0,
  })
  options.reporter?.debug(
    `connected to ${options.servers.join(',')} in ${(monotonicMs() - started).toFixed(0)} ms (cluster ${client.clusterId})`,
  )
  return client
}

/** One Metadata round trip: the stack's cluster as the brokers see it; a failure is the "Cannot reach" error. */
export async function stackCluster(options: StackClientOptions): Promise<ClusterView> {
  let client: KafkaClient
  try {
    client = await stackClient(options)
  } catch (error) {
    throw unreachable(
      { servers: options.servers, source: { kind: 'stack', stack: options.stack ?? DEFAULT_STACK } },
      error,
    )
  }
  client.close()
  return clusterView(client)
}

/**
 * Topics whose every partition has a leader. Used by readiness after a restart: a broker can answer Metadata
 * (even name the controller) before it has learned about the existing topics.
 */
export async function topicsWithLeaders(options: StackClientOptions, topics: string[]): Promise<string[]> {
  if (topics.length === 0) return []
  const client = await stackClient(options)
  try {
    return (await topicMetadata(client, topics))
      .filter((t) => t.errorCode === 0 && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
      .map((t) => t.name)
  } finally {
    client.close()
  }
}

/** Every topic name (internal ones included), or undefined when the cluster does not answer in time. */
export async function listStackTopics(options: StackClientOptions): Promise<string[] | undefined> {
  let client: KafkaClient | undefined
  try {
    client = await stackClient(options)
    return await listTopics(client)
  } catch {
    return undefined
  } finally {
    client?.close()
  }
}
