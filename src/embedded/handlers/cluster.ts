/**
 * Metadata and DescribeCluster: one broker that leads every partition (replicas and ISR are just this node, leader
 * epoch 0), and auto-creation of unknown topics as Kafka does with auto.create.topics.enable=true (its default).
 */
import type { MetadataResponseTopicInput } from '../../protocol/messages/metadata.js'
import { Metadata } from '../../protocol/messages/metadata.js'
import { DescribeCluster } from '../../protocol/messages/describe-cluster.js'
import { BrokerError, handler, type HandlerEntry, type TopicInfo } from '../contracts.js'
import { UNKNOWN_TOPIC_OR_PARTITION, validateTopicName, type BrokerCore } from '../core.js'

/** num.partitions, Kafka's default, for topics created by Metadata requests. */
export const AUTO_CREATE_PARTITIONS = 1
const UNKNOWN_TOPIC_ID = 100

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

export function clusterHandlers(core: BrokerCore, autoCreateTopics: boolean): HandlerEntry[] {
  return [
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
