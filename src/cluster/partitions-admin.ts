/**
 * The requests behind kafka-delete-records.sh, kafka-leader-election.sh, kafka-reassign-partitions.sh and
 * kafka-log-dirs.sh, on kafkit's own client (../client/): DeleteRecords (to each partition's leader), ElectLeaders,
 * AlterPartitionReassignments and ListPartitionReassignments (to the controller; KRaft brokers forward them),
 * DescribeLogDirs (to each broker) and DescribeCluster (brokers with their racks). Per-partition errors come back as
 * codes beside the data, as the Java admin client reports them per future.
 */
import { check, ERROR, KafkaProtocolError, kafkaError } from '../client/errors.js'
import type { KafkaClient } from '../client/kafka-client.js'
import { AlterPartitionReassignments } from '../protocol/messages/alter-partition-reassignments.js'
import { DeleteRecords } from '../protocol/messages/delete-records.js'
import { DescribeCluster } from '../protocol/messages/describe-cluster.js'
import { DescribeLogDirs } from '../protocol/messages/describe-log-dirs.js'
import { ElectLeaders } from '../protocol/messages/elect-leaders.js'
import { ListPartitionReassignments } from '../protocol/messages/list-partition-reassignments.js'

export interface PartitionRef {
  topic: string
  partition: number
}

/** A partition's outcome: errorCode 0, or Kafka's error name and message. */
export interface PartitionError {
  errorCode: number
  error: string | null
  errorMessage: string | null
}

function partitionError(code: number, message?: string | null): PartitionError {
  if (code === 0) return { errorCode: 0, error: null, errorMessage: null }
  const known = kafkaError(code, message)
  return { errorCode: code, error: known.type, errorMessage: known.message }
}

const REQUEST_TIMEOUT_MS = 30_000

function groupByTopic<T extends PartitionRef>(items: T[]): Map<string, T[]> {
  const byTopic = new Map<string, T[]>()
  for (const item of items) byTopic.set(item.topic, [...(byTopic.get(item.topic) ?? []), item])
  return byTopic
}

// ---------------------------------------------------------------- brokers

export interface BrokerNode {
  id: number
  host: string
  port: number
  rack: string | null
}

/** The cluster's brokers with their racks (DescribeCluster, else Metadata), in id order. */
export async function clusterBrokers(client: KafkaClient): Promise<BrokerNode[]> {
  if (await client.supports(DescribeCluster)) {
    const answer = await client.send('any', DescribeCluster, { includeClusterAuthorizedOperations: false })
    check(answer.errorCode, 'DescribeCluster', answer.errorMessage)
    return answer.brokers
      .map((b) => ({ id: b.brokerId, host: b.host, port: b.port, rack: b.rack }))
      .sort((a, b) => a.id - b.id)
  }
  await client.metadata([])
  return [...client.brokers.values()]
    .map((b) => ({ id: b.nodeId, host: b.host, port: b.port, rack: b.rack }))
    .sort((a, b) => a.id - b.id)
}

// ---------------------------------------------------------------- delete records

export interface DeleteRecordsTarget extends PartitionRef {
  /** Records before this offset go; -1 is the high watermark (everything). */
  offset: number
}

export interface DeleteRecordsOutcome extends PartitionRef, PartitionError {
  lowWatermark: number | null
}

/**
 * DeleteRecords, one request per leader. A leader that moved (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE) is looked
 * up again and asked again, as the Java admin client does; other errors are answers.
 */
export async function deleteRecords(
  client: KafkaClient,
  targets: DeleteRecordsTarget[],
): Promise<DeleteRecordsOutcome[]> {
  const outcomes = new Map<string, DeleteRecordsOutcome>()
  const key = (p: PartitionRef) => `${p.topic}\u0000${p.partition}`
  let pending = targets
  for (let attempt = 0; pending.length > 0; attempt++) {
    const byLeader = await client.byLeader(pending, (t) => t)
    const retry: DeleteRecordsTarget[] = []
    await Promise.all(
      [...byLeader].map(async ([leader, items]) => {
        if (leader < 0) {
          for (const t of items) {
            if (attempt < 5) retry.push(t)
            else outcomes.set(key(t), { ...t, lowWatermark: null, ...partitionError(ERROR.LEADER_NOT_AVAILABLE) })
          }
          return
        }
        const answer = await client.send(leader, DeleteRecords, {
          topics: [...groupByTopic(items)].map(([name, parts]) => ({
            name,
            partitions: parts.map((p) => ({ partitionIndex: p.partition, offset: BigInt(p.offset) })),
          })),
          timeoutMs: REQUEST_TIMEOUT_MS,
        })
        for (const t of answer.topics)
          for (const p of t.partitions) {
            const ref = { topic: t.name, partition: p.partitionIndex }
            const moved = p.errorCode === ERROR.NOT_LEADER_OR_FOLLOWER || p.errorCode === ERROR.LEADER_NOT_AVAILABLE
            if (moved && attempt < 5) {
              const target = items.find((i) => i.topic === ref.topic && i.partition === ref.partition)
              if (target) retry.push(target)
              continue
            }
            outcomes.set(key(ref), {
              ...ref,
              lowWatermark: p.errorCode === 0 ? Number(p.lowWatermark) : null,
              ...partitionError(p.errorCode),
            })
          }
      }),
    )
    pending = retry
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 100 * (attempt + 1)))
  }
  return targets.map(
    (t) => outcomes.get(key(t)) ?? { ...t, lowWatermark: null, ...partitionError(ERROR.UNKNOWN_TOPIC_OR_PARTITION) },
  )
}

// ---------------------------------------------------------------- leader election

export const ElectionType = { preferred: 0, unclean: 1 } as const

export type ElectionOutcome = PartitionRef & PartitionError

/** ElectLeaders for some partitions, or (null) every partition the controller finds eligible. */
export async function electLeaders(
  client: KafkaClient,
  type: number,
  partitions: PartitionRef[] | null,
): Promise<ElectionOutcome[]> {
  const answer = await client.retry('ElectLeaders', async () => {
    const response = await client.send('controller', ElectLeaders, {
      electionType: type,
      topicPartitions:
        partitions === null
          ? null
          : [...groupByTopic(partitions)].map(([topic, parts]) => ({
              topic,
              partitions: parts.map((p) => p.partition),
            })),
      timeoutMs: REQUEST_TIMEOUT_MS,
    })
    if (response.errorCode === ERROR.NOT_CONTROLLER) {
      await client.metadata([])
      throw new KafkaProtocolError(response.errorCode, 'ElectLeaders')
    }
    return response
  })
  // A top-level error (not authorized, ...) fails every partition asked for, as in the Java admin client.
  if (answer.errorCode !== 0) {
    if (partitions === null) check(answer.errorCode, 'ElectLeaders')
    return partitions!.map((p) => ({ ...p, ...partitionError(answer.errorCode) }))
  }
  return answer.replicaElectionResults.flatMap((t) =>
    t.partitionResult.map((p) => ({
      topic: t.topic,
      partition: p.partitionId,
      ...partitionError(p.errorCode, p.errorMessage),
    })),
  )
}

// ---------------------------------------------------------------- reassignments

export interface OngoingReassignment extends PartitionRef {
  replicas: number[]
  addingReplicas: number[]
  removingReplicas: number[]
}

/** Ongoing reassignments of some partitions, or (null) of the whole cluster. */
export async function listReassignments(
  client: KafkaClient,
  partitions: PartitionRef[] | null = null,
): Promise<OngoingReassignment[]> {
  const answer = await client.retry('ListPartitionReassignments', async () => {
    const response = await client.send('controller', ListPartitionReassignments, {
      timeoutMs: REQUEST_TIMEOUT_MS,
      topics:
        partitions === null
          ? null
          : [...groupByTopic(partitions)].map(([name, parts]) => ({
              name,
              partitionIndexes: parts.map((p) => p.partition),
            })),
    })
    if (response.errorCode === ERROR.NOT_CONTROLLER) await client.metadata([])
    check(response.errorCode, 'ListPartitionReassignments', response.errorMessage)
    return response
  })
  return answer.topics.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      replicas: p.replicas,
      addingReplicas: p.addingReplicas,
      removingReplicas: p.removingReplicas,
    })),
  )
}

export type ReassignmentOutcome = PartitionRef & PartitionError

/**
 * AlterPartitionReassignments: a replica list starts a reassignment, null cancels the ongoing one.
 * `allowReplicationFactorChange` false (4.4's --disallow-replication-factor-change) needs v1 (Kafka 4.1+).
 */
export async function alterReassignments(
  client: KafkaClient,
  changes: Array<PartitionRef & { replicas: number[] | null }>,
  options: { allowReplicationFactorChange?: boolean } = {},
): Promise<ReassignmentOutcome[]> {
  const allow = options.allowReplicationFactorChange ?? true
  const answer = await client.retry('AlterPartitionReassignments', async () => {
    const response = await client.send('controller', AlterPartitionReassignments, {
      timeoutMs: REQUEST_TIMEOUT_MS,
      allowReplicationFactorChange: allow,
      topics: [...groupByTopic(changes)].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) => ({ partitionIndex: p.partition, replicas: p.replicas })),
      })),
    })
    if (response.errorCode === ERROR.NOT_CONTROLLER) {
      await client.metadata([])
      throw new KafkaProtocolError(response.errorCode, 'AlterPartitionReassignments')
    }
    return response
  })
  if (answer.errorCode !== 0)
    return changes.map((c) => ({
      topic: c.topic,
      partition: c.partition,
      ...partitionError(answer.errorCode, answer.errorMessage),
    }))
  return answer.responses.flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.name,
      partition: p.partitionIndex,
      ...partitionError(p.errorCode, p.errorMessage),
    })),
  )
}

// ---------------------------------------------------------------- log directories

export interface ReplicaInDir extends PartitionRef {
  size: number
  offsetLag: number
  isFuture: boolean
}

export interface LogDirInfo {
  logDir: string
  /** Kafka's error name (KAFKA_STORAGE_ERROR for an offline directory), else null. */
  error: string | null
  replicas: ReplicaInDir[]
  /** -1 when the broker does not report it (before Kafka 3.3). */
  totalBytes: number
  usableBytes: number
}

/** DescribeLogDirs of one broker: every topic, or only some partitions. */
export async function describeLogDirs(
  client: KafkaClient,
  broker: number,
  partitions: PartitionRef[] | null = null,
): Promise<LogDirInfo[]> {
  const topics =
    partitions === null
      ? null
      : [...groupByTopic(partitions)].map(([topic, parts]) => ({ topic, partitions: parts.map((p) => p.partition) }))
  const answer = await client.retry(`DescribeLogDirs ${broker}`, async () => {
    const response = await client.send(broker, DescribeLogDirs, { topics })
    check(response.errorCode, `DescribeLogDirs ${broker}`)
    return response
  })
  return answer.results.map((r) => ({
    logDir: r.logDir,
    error: r.errorCode === 0 ? null : kafkaError(r.errorCode).type,
    replicas: r.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.name,
        partition: p.partitionIndex,
        size: Number(p.partitionSize),
        offsetLag: Number(p.offsetLag),
        isFuture: p.isFutureKey,
      })),
    ),
    totalBytes: Number(r.totalBytes),
    usableBytes: Number(r.usableBytes),
  }))
}

/**
 * The directory each replica lives in now (Admin.describeReplicaLogDirs: DescribeLogDirs of each broker, the
 * current, not the future, replica), keyed "topic-partition@broker". Brokers that do not answer are left out.
 */
export async function replicaLogDirs(
  client: KafkaClient,
  replicas: Array<PartitionRef & { broker: number }>,
): Promise<Map<string, string>> {
  const byBroker = new Map<number, PartitionRef[]>()
  for (const r of replicas)
    byBroker.set(r.broker, [...(byBroker.get(r.broker) ?? []), { topic: r.topic, partition: r.partition }])
  const result = new Map<string, string>()
  await Promise.all(
    [...byBroker].map(async ([broker, partitions]) => {
      const dirs = await describeLogDirs(client, broker, partitions).catch(() => [])
      for (const d of dirs)
        for (const r of d.replicas) if (!r.isFuture) result.set(`${r.topic}-${r.partition}@${broker}`, d.logDir)
    }),
  )
  return result
}
