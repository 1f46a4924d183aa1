/**
 * CreateTopics, DeleteTopics and CreatePartitions with Kafka's validation and error codes. A single node cannot
 * hold more than one replica, so a replication factor above 1 is refused the way a one-broker Kafka refuses it.
 */
import { CreatePartitions } from '../../protocol/messages/create-partitions.js'
import {
  CreateTopics,
  type CreateTopicsResponseCreatableTopicResultInput,
} from '../../protocol/messages/create-topics.js'
import {
  DeleteTopics,
  type DeleteTopicsResponseDeletableTopicResultInput,
} from '../../protocol/messages/delete-topics.js'
import { ZERO_UUID } from '../../protocol/primitives.js'
import { TOPIC_CONFIG_DEFAULTS, validateTopicConfig } from '../configs.js'
import { BrokerError, handler, type HandlerEntry } from '../contracts.js'
import { UNKNOWN_TOPIC_OR_PARTITION, validateTopicName, type BrokerCore } from '../core.js'

const TOPIC_ALREADY_EXISTS = 36
const INVALID_PARTITIONS = 37
const INVALID_REPLICATION_FACTOR = 38
const INVALID_REPLICA_ASSIGNMENT = 39
const INVALID_REQUEST = 42
const UNKNOWN_TOPIC_ID = 100
const CONFIG_SOURCE_DYNAMIC_TOPIC = 1
const CONFIG_SOURCE_DEFAULT = 5

/** num.partitions and default.replication.factor of a Kafka broker with the default server.properties. */
const DEFAULT_PARTITIONS = 1

function checkReplicas(core: BrokerCore, brokerIds: number[]): void {
  if (brokerIds.length !== 1 || brokerIds[0] !== core.nodeId)
    throw new BrokerError(
      INVALID_REPLICA_ASSIGNMENT,
      `The manual partition assignment includes broker(s) other than the only one, ${core.nodeId}: [${brokerIds.join(', ')}].`,
    )
}

function errorResult(error: unknown): { errorCode: number; errorMessage: string } {
  if (error instanceof BrokerError) return { errorCode: error.errorCode, errorMessage: error.message }
  throw error
}

export function topicHandlers(core: BrokerCore): HandlerEntry[] {
  return [
    handler(CreateTopics, (request) => {
      const seen = new Map<string, number>()
      for (const t of request.topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1)
      const topics: CreateTopicsResponseCreatableTopicResultInput[] = request.topics.map((t) => {
        try {
          if ((seen.get(t.name) ?? 0) > 1)
            throw new BrokerError(INVALID_REQUEST, `Duplicate topic name ${t.name} in the request.`)
          validateTopicName(t.name)
          if (core.topic(t.name)) throw new BrokerError(TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`)
          let partitions = t.numPartitions
          let replicas = t.replicationFactor
          if (t.assignments.length > 0) {
            if (partitions !== -1 || replicas !== -1)
              throw new BrokerError(
                INVALID_REQUEST,
                'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
              )
            t.assignments.forEach((a, i) => {
              if (a.partitionIndex !== i)
                throw new BrokerError(
                  INVALID_REPLICA_ASSIGNMENT,
                  'Partitions should be a consecutive 0-based integer sequence',
                )
              checkReplicas(core, a.brokerIds)
            })
            partitions = t.assignments.length
            replicas = 1
          }
          if (partitions === -1) partitions = DEFAULT_PARTITIONS
          if (replicas === -1) replicas = 1
          if (partitions <= 0)
            throw new BrokerError(INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.')
          if (replicas <= 0)
            throw new BrokerError(
              INVALID_REPLICATION_FACTOR,
              'Replication factor must be larger than 0, or -1 to use the default value.',
            )
          if (replicas > 1)
            throw new BrokerError(
              INVALID_REPLICATION_FACTOR,
              `Unable to replicate the partition ${replicas} time(s): The target replication factor of ${replicas} cannot be reached because only 1 broker(s) are registered.`,
            )
          const configs: Record<string, string> = {}
          for (const c of t.configs) {
            validateTopicConfig(c.name, c.value)
            if (c.value !== null) configs[c.name] = c.value
          }
          const topicId = request.validateOnly ? ZERO_UUID : core.createTopic(t.name, partitions, configs).topicId
          return {
            name: t.name,
            topicId,
            errorCode: 0,
            errorMessage: null,
            numPartitions: partitions,
            replicationFactor: replicas,
            configs: Object.keys(TOPIC_CONFIG_DEFAULTS)
              .sort()
              .map((name) => ({
                name,
                value: configs[name] ?? TOPIC_CONFIG_DEFAULTS[name]!,
                readOnly: false,
                configSource: name in configs ? CONFIG_SOURCE_DYNAMIC_TOPIC : CONFIG_SOURCE_DEFAULT,
                isSensitive: false,
              })),
          }
        } catch (error) {
          return { name: t.name, ...errorResult(error), numPartitions: -1, replicationFactor: -1, configs: null }
        }
      })
      return { throttleTimeMs: 0, topics }
    }),

    handler(DeleteTopics, (request, context) => {
      const responses: DeleteTopicsResponseDeletableTopicResultInput[] = []
      // v0-5 name topics in topicNames; v6 names or ids in topics.
      const wanted =
        context.apiVersion >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }))
      for (const t of wanted) {
        const topic = t.name !== null && t.name !== '' ? core.topic(t.name) : core.topicById(t.topicId)
        if (!topic) {
          const byId = t.name === null || t.name === ''
          responses.push({
            name: t.name,
            topicId: t.topicId,
            errorCode: byId ? UNKNOWN_TOPIC_ID : UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: byId
              ? 'This server does not host this topic ID.'
              : 'This server does not host this topic-partition.',
          })
          continue
        }
        core.deleteTopic(topic.name)
        responses.push({ name: topic.name, topicId: topic.topicId, errorCode: 0, errorMessage: null })
      }
      return { throttleTimeMs: 0, responses }
    }),

    handler(CreatePartitions, (request) => ({
      throttleTimeMs: 0,
      results: request.topics.map((t) => {
        try {
          const topic = core.topic(t.name)
          if (!topic) throw new BrokerError(UNKNOWN_TOPIC_OR_PARTITION, `The topic '${t.name}' does not exist.`)
          if (t.count < topic.partitions)
            throw new BrokerError(
              INVALID_PARTITIONS,
              `Topic currently has ${topic.partitions} partitions, which is higher than the requested ${t.count}.`,
            )
          if (t.count === topic.partitions)
            throw new BrokerError(INVALID_PARTITIONS, `Topic already has ${topic.partitions} partitions.`)
          if (t.assignments) {
            if (t.assignments.length !== t.count - topic.partitions)
              throw new BrokerError(
                INVALID_REPLICA_ASSIGNMENT,
                `Attempted to add ${t.count - topic.partitions} additional partition(s), but only ${t.assignments.length} assignment(s) were specified.`,
              )
            for (const a of t.assignments) checkReplicas(core, a.brokerIds)
          }
          if (!request.validateOnly) core.addPartitions(t.name, t.count)
          return { name: t.name, errorCode: 0, errorMessage: null }
        } catch (error) {
          return { name: t.name, ...errorResult(error) }
        }
      }),
    })),
  ]
}
