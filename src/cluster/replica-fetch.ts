/**
 * Fetch as Kafka's debugging consumer (FetchRequest.DEBUGGING_CONSUMER_ID, -2): a broker answers it from any replica
 * it holds, follower or leader, which is what kafka-replica-verification.sh compares. Replica id -2 goes in
 * ReplicaState from Fetch v15, in the top-level ReplicaId before.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import { Fetch, type FetchRequestInput } from '../protocol/messages/fetch.js'

const DEBUGGING_CONSUMER_ID = -2
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

export interface ReplicaFetchPartition {
  topic: string
  partition: number
  fetchOffset: bigint
}

export interface ReplicaFetchAnswer {
  topic: string
  partition: number
  errorCode: number
  highWatermark: bigint
  /** The record set as fetched (raw batches). */
  records: Buffer | null
}

export async function fetchFromReplica(
  client: KafkaClient,
  broker: number,
  partitions: ReplicaFetchPartition[],
  topicIds: Map<string, string>,
  limits: { maxWaitMs: number; partitionMaxBytes: number },
): Promise<ReplicaFetchAnswer[]> {
  const version = await client.versionOf(Fetch, broker)
  const byTopic = new Map<string, ReplicaFetchPartition[]>()
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p])
  const request: FetchRequestInput = {
    maxWaitMs: limits.maxWaitMs,
    minBytes: 1,
    maxBytes: 0x7fffffff,
    isolationLevel: 0,
    ...(version >= 15 ? { replicaState: { replicaId: DEBUGGING_CONSUMER_ID } } : { replicaId: DEBUGGING_CONSUMER_ID }),
    topics: [...byTopic].map(([topic, ps]) => ({
      topic,
      topicId: topicIds.get(topic) ?? ZERO_UUID,
      partitions: ps.map((p) => ({
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        partitionMaxBytes: limits.partitionMaxBytes,
      })),
    })),
  }
  const response = await client.send(broker, Fetch, request, version)
  const names = new Map([...topicIds].map(([name, id]) => [id, name]))
  return response.responses.flatMap((t) => {
    const topic = version >= 13 ? names.get(t.topicId) : t.topic
    if (topic === undefined) return []
    return t.partitions.map((p) => ({
      topic,
      partition: p.partitionIndex,
      errorCode: p.errorCode,
      highWatermark: p.highWatermark,
      records: p.records,
    }))
  })
}
