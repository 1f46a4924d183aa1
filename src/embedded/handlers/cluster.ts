/**
 * Metadata, DescribeTopicPartitions and DescribeCluster: one broker that leads every partition (replicas and ISR are just this node, leader
 * epoch 0), and auto-creation of unknown topics as Kafka does with auto.create.topics.enable=true (its default).
 */
import type { MetadataResponseTopicInput } from '../../protocol/messages/metadata.js'
import { Metadata } from '../../protocol/messages/metadata.js'
import { DescribeCluster } from '../../protocol/messages/describe-cluster.js'
import {
  DescribeTopicPartitions,
  type DescribeTopicPartitionsRequest,
  type DescribeTopicPartitionsResponseInput,
  type DescribeTopicPartitionsResponseTopicInput,
} from '../../protocol/messages/describe-topic-partitions.js'
import { BrokerError, handler, type HandlerEntry, type TopicInfo } from '../contracts.js'
import { UNKNOWN_TOPIC_OR_PARTITION, validateTopicName, type BrokerCore } from '../core.js'

/** num.partitions, Kafka's default, for topics created by Metadata requests. */
export const AUTO_CREATE_PARTITIONS = 1
const UNKNOWN_TOPIC_ID = 100
const INVALID_REQUEST = 42
/** max.request.partition.size.limit, Kafka's default: the most partitions one DescribeTopicPartitions answer holds. */
const MAX_REQUEST_PARTITION_SIZE_LIMIT = 2000
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

export function describeTopic(core: BrokerCore, topic: TopicInfo): MetadataResponseTopicInput {
  const nodes = [core.nodeId]
  return {
    errorCode: 0,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: false,
    partitions: Array.from({ length: topic.partitions }, (_, partitionIndex) => ({
      errorCode: 0,
      partitionIndex,
      leaderId: core.nodeId,
      leaderEpoch: 0,
      replicaNodes: nodes,
      isrNodes: nodes,
      offlineReplicas: [],
    })),
  }
}

/**
 * DescribeTopicPartitions as Kafka's DescribeTopicPartitionsRequestHandler and KRaftMetadataCache answer it (what
 * Kafka 3.8+'s `kafka-topics --describe` asks, and kafkit's): the topics asked for (all of them for an empty list)
 * from the cursor on, in name order, at most min(limit, 2000) partitions, with a next cursor where the limit cut;
 * every partition with its (empty) eligible leader replicas, which Metadata does not carry. Unknown topics get an
 * error only when named. A cursor outside the topics asked for, or below partition 0, is an invalid request, which
 * Kafka answers with that error on every topic asked for.
 */
export function describeTopicPartitions(
  core: BrokerCore,
  request: DescribeTopicPartitionsRequest,
): DescribeTopicPartitionsResponseInput {
  const all = request.topics.length === 0
  const cursor = request.cursor
  const from = cursor?.topicName ?? ''
  const names = new Set(
    (all ? core.topics().map((t) => t.name) : request.topics.map((t) => t.name)).filter((name) => name >= from),
  )
  if (cursor && ((!all && !names.has(cursor.topicName)) || cursor.partitionIndex < 0))
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        errorCode: INVALID_REQUEST,
        name: t.name,
        topicId: ZERO_UUID,
        partitions: [],
      })),
      nextCursor: null,
    }
  let remaining = Math.max(Math.min(MAX_REQUEST_PARTITION_SIZE_LIMIT, request.responsePartitionLimit), 1)
  const topics: DescribeTopicPartitionsResponseTopicInput[] = []
  let nextCursor: { topicName: string; partitionIndex: number } | null = null
  for (const name of [...names].sort()) {
    if (remaining === 0) {
      // Every partition of the topics before fitted: the next answer starts at this one.
      nextCursor = { topicName: name, partitionIndex: 0 }
      break
    }
    const topic = core.topic(name)
    if (!topic) {
      if (all) continue
      let errorCode = UNKNOWN_TOPIC_OR_PARTITION
      try {
        validateTopicName(name)
      } catch (error) {
        if (!(error instanceof BrokerError)) throw error
        errorCode = error.errorCode
      }
      topics.push({ errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [] })
      continue
    }
    const start = cursor && name === cursor.topicName ? cursor.partitionIndex : 0
    const upper = Math.min(topic.partitions, start + remaining)
    const described = describeTopic(core, topic)
    topics.push({
      errorCode: 0,
      name,
      topicId: topic.topicId,
      isInternal: false,
      partitions: described.partitions.slice(start, upper).map((p) => ({
        errorCode: 0,
        partitionIndex: p.partitionIndex,
        leaderId: p.leaderId,
        leaderEpoch: p.leaderEpoch!,
        replicaNodes: p.replicaNodes,
        isrNodes: p.isrNodes,
        eligibleLeaderReplicas: [],
        lastKnownElr: [],
        offlineReplicas: p.offlineReplicas!,
      })),
    })
    if (upper < topic.partitions) {
      nextCursor = { topicName: name, partitionIndex: upper }
      break
    }
    remaining -= Math.max(0, upper - start)
  }
  return { throttleTimeMs: 0, topics, nextCursor }
}

export function clusterHandlers(core: BrokerCore, autoCreateTopics: boolean): HandlerEntry[] {
  return [
    handler(DescribeTopicPartitions, (request) => describeTopicPartitions(core, request)),
    handler(Metadata, (request, context) => {
      const version = context.apiVersion
      // v0 had no null: an empty list meant "all topics" there, and "none" from v1 on.
      const all = request.topics === null || (version === 0 && request.topics.length === 0)
      const topics: MetadataResponseTopicInput[] = []
      if (all) {
        for (const topic of core.topics()) topics.push(describeTopic(core, topic))
      } else {
        for (const wanted of request.topics!) {
          if (wanted.name === null) {
            const topic = core.topicById(wanted.topicId)
            topics.push(
              topic
                ? describeTopic(core, topic)
                : { errorCode: UNKNOWN_TOPIC_ID, name: null, topicId: wanted.topicId, partitions: [] },
            )
            continue
          }
          let topic = core.topic(wanted.name)
          if (!topic && autoCreateTopics && request.allowAutoTopicCreation) {
            try {
              validateTopicName(wanted.name)
              topic = core.createTopic(wanted.name, AUTO_CREATE_PARTITIONS, {})
            } catch (error) {
              if (!(error instanceof BrokerError)) throw error
              topics.push({ errorCode: error.errorCode, name: wanted.name, partitions: [] })
              continue
            }
          }
          topics.push(
            topic
              ? describeTopic(core, topic)
              : { errorCode: UNKNOWN_TOPIC_OR_PARTITION, name: wanted.name, partitions: [] },
          )
        }
      }
      return {
        throttleTimeMs: 0,
        brokers: [{ nodeId: core.nodeId, host: core.host, port: core.port, rack: null }],
        clusterId: core.clusterId,
        controllerId: core.nodeId,
        topics,
      }
    }),
    handler(DescribeCluster, () => ({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      clusterId: core.clusterId,
      controllerId: core.nodeId,
      brokers: [{ brokerId: core.nodeId, host: core.host, port: core.port, rack: null, isFenced: false }],
    })),
  ]
}
