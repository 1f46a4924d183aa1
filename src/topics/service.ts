/**
 * `kafkit topics`: list, describe, create, delete and add partitions, with kafka-topics.sh's semantics
 * (regex topic selection, "does not exist as expected", the describe report filters). The requests are kafkit's own
 * client's (../cluster/admin.ts); no kafkajs is loaded.
 */
import { KafkitError, UsageError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import {
  applyDescribeFilters,
  type DescribeView,
  type PartitionView,
  type TopicView,
  partitionReplicationFactor,
} from './describe.js'
import { selectTopics } from './filter.js'
import type { TopicsRequest } from './options.js'
import type { ConnectionSettings } from '../connection/settings.js'
import {
  createPartitions,
  createTopic,
  deleteTopic,
  describeCluster,
  describeConfigs,
  describeTopics,
  kafkaError,
  listPartitionReassignments,
  listTopics,
  ResourceType,
  topicMetadata,
  type Reassignment,
} from '../cluster/admin.js'
import { withClient } from '../cluster/connect.js'
import type { KafkaClient } from '../client/kafka-client.js'
import { KafkaProtocolError } from '../client/errors.js'

interface TopicOperationResult {
  topic: string
  status: 'created' | 'exists' | 'deleted' | 'altered' | 'failed'
  /** Partition count after the operation (create, alter). */
  partitions?: number
  /** Partition count before --alter. */
  previousPartitions?: number
  error?: string
}

export type TopicsResult =
  | { action: 'list'; topics: string[] }
  | ({ action: 'describe' } & DescribeView)
  | { action: 'create' | 'delete' | 'alter'; results: TopicOperationResult[] }

interface TopicsRunOptions {
  reporter?: Reporter
  /** Asked before deleting several topics; undefined when there is nobody to ask (no terminal). */
  confirmDelete?: (topics: string[], pattern: string) => Promise<boolean>
}

export async function runTopics(
  settings: ConnectionSettings,
  request: TopicsRequest,
  options: TopicsRunOptions = {},
): Promise<TopicsResult> {
  return withClient(settings, { reporter: options.reporter }, async (client) => {
    switch (request.action) {
      case 'list':
        return {
          action: 'list',
          topics: selectTopics(await listTopics(client), request.filter, request.excludeInternal),
        }
      case 'describe':
        return { action: 'describe', ...(await describe(client, request)) }
      case 'create':
        return { action: 'create', results: [await create(client, request, options.reporter)] }
      case 'delete':
        return { action: 'delete', results: await remove(client, request, options) }
      case 'alter':
        return { action: 'alter', results: await alter(client, request) }
    }
  })
}

/** The script's error for a --topic (regex) that matches nothing. */
function noSuchTopic(pattern: string): KafkitError {
  return new KafkitError(`Topic '${pattern}' does not exist as expected.`, {
    code: 'UNKNOWN_TOPIC',
    suggestions: ['kafkit topics --list'],
  })
}

async function matching(
  client: KafkaClient,
  filter: RegExp,
  pattern: string,
  ifExists: boolean,
  excludeInternal = false,
): Promise<string[]> {
  const names = selectTopics(await listTopics(client), filter, excludeInternal)
  if (names.length === 0 && !ifExists) throw noSuchTopic(pattern)
  return names
}

async function describe(
  client: KafkaClient,
  request: Extract<TopicsRequest, { action: 'describe' }>,
): Promise<DescribeView> {
  const all = await listTopics(client)
  const names = selectTopics(all, request.filter, request.excludeInternal)
  if (names.length === 0) {
    if (request.topic !== undefined && !request.ifExists) throw noSuchTopic(request.topic)
    return applyDescribeFilters([], request.filters, [])
  }
  const [partitions, configs, cluster, reassignments] = await Promise.all([
    fetchPartitions(client, names, request.partitionLimit),
    describeConfigs(
      client,
      'any',
      names.map((name) => ({ type: ResourceType.topic, name })),
      { synonyms: false },
    ),
    describeCluster(client),
    // Like the script: reassignments are extra detail, not worth failing for (older brokers, no ACL).
    listPartitionReassignments(client).catch((): Reassignment[] => []),
  ])
  const moving = new Map<string, { addingReplicas: number[]; removingReplicas: number[] }>()
  for (const r of reassignments)
    moving.set(`${r.topic}:${r.partition}`, { addingReplicas: r.addingReplicas, removingReplicas: r.removingReplicas })
  const configsByTopic = new Map(configs.map((r) => [r.name, r]))
  const topics: TopicView[] = []
  for (const name of names) {
    const info = partitions.get(name)
    if (!info) continue // deleted between listing and describing
    const resource = configsByTopic.get(name)
    if (resource && resource.errorCode !== 0)
      throw new KafkitError(
        `Cannot read the configs of topic ${name}: ${resource.errorMessage ?? kafkaError(resource.errorCode).message}`,
      )
    const entries = resource?.configs ?? []
    const nonDefault: Record<string, string | null> = {}
    // Java's ConfigEntry.isDefault() is "source is DEFAULT_CONFIG": static broker settings count as overrides.
    for (const entry of entries) if (entry.source !== 'DEFAULT_CONFIG') nonDefault[entry.name] = entry.value
    const minIsr = entries.find((e) => e.name === 'min.insync.replicas')?.value
    const parts = info.partitions
      .map((p) => ({ ...p, ...moving.get(`${name}:${p.partition}`) }))
      .sort((a, b) => a.partition - b.partition)
    topics.push({
      name,
      topicId: info.topicId,
      internal: info.internal,
      partitionCount: parts.length,
      replicationFactor: parts[0] ? partitionReplicationFactor(parts[0]) : 0,
      configs: nonDefault,
      minInsyncReplicas: minIsr ? Number(minIsr) : null,
      partitions: parts,
    })
  }
  return applyDescribeFilters(
    topics,
    request.filters,
    cluster.brokers.map((b) => b.nodeId),
  )
}

interface TopicPartitions {
  topicId: string | null
  internal: boolean
  partitions: PartitionView[]
}

/** Partition details (../cluster/admin.ts describeTopics: DescribeTopicPartitions, or Metadata on older brokers). */
async function fetchPartitions(
  client: KafkaClient,
  names: string[],
  limit = 2000,
): Promise<Map<string, TopicPartitions>> {
  const result = new Map<string, TopicPartitions>()
  for (const t of await describeTopics(client, names, limit)) {
    if (t.errorCode === 3) continue // UNKNOWN_TOPIC_OR_PARTITION: deleted meanwhile
    if (t.errorCode !== 0)
      throw new KafkitError(`Cannot describe topic ${t.name}: ${kafkaError(t.errorCode).message}`, {
        code: kafkaError(t.errorCode).type,
      })
    result.set(t.name, {
      topicId: t.topicId,
      internal: t.internal,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        leader: p.leader >= 0 ? p.leader : null,
        replicas: p.replicas,
        isr: p.isr,
        elr: p.elr,
        lastKnownElr: p.lastKnownElr,
        offlineReplicas: p.offlineReplicas,
      })),
    })
  }
  return result
}

async function create(
  client: KafkaClient,
  request: Extract<TopicsRequest, { action: 'create' }>,
  reporter?: Reporter,
): Promise<TopicOperationResult> {
  if (request.collisionWarning) {
    reporter?.warn(
      "Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.",
    )
  }
  let created: boolean
  try {
    created =
      (await createTopic(client, {
        name: request.topic,
        // -1 asks the broker for its defaults (num.partitions, default.replication.factor), as the script does.
        partitions: request.partitions ?? -1,
        replicationFactor: request.replicationFactor ?? -1,
        assignment: request.replicaAssignment,
        configs: request.configs,
      })) === 'created'
  } catch (error) {
    throw new KafkitError(`Cannot create topic ${request.topic}: ${kafkaErrorText(error)}`, {
      code: 'CREATE_FAILED',
      cause: error,
      details: await replicationExplanation(client, request, error),
    })
  }
  if (!created) {
    if (request.ifNotExists) return { topic: request.topic, status: 'exists' }
    throw new KafkitError(`Topic '${request.topic}' already exists.`, {
      code: 'TOPIC_EXISTS',
      suggestions: ['Add --if-not-exists to make this a no-op when the topic exists.'],
    })
  }
  const partitions =
    request.replicaAssignment?.length ?? (request.partitions && request.partitions > 0 ? request.partitions : undefined)
  return { topic: request.topic, status: 'created', ...(partitions ? { partitions } : {}) }
}

async function remove(
  client: KafkaClient,
  request: Extract<TopicsRequest, { action: 'delete' }>,
  options: TopicsRunOptions,
): Promise<TopicOperationResult[]> {
  const names = await matching(client, request.filter, request.topic, request.ifExists)
  if (names.length > 1 && !request.yes) {
    if (!options.confirmDelete) {
      throw new UsageError(
        `Refusing to delete ${names.length} topics matching "${request.topic}" (${names.join(', ')}) without confirmation: no terminal to ask on.`,
        {
          code: 'CONFIRMATION_REQUIRED',
          suggestions: ['Add --yes to delete them all.'],
        },
      )
    }
    if (!(await options.confirmDelete(names, request.topic)))
      throw new UsageError('Deletion cancelled; no topic was deleted.', { code: 'CANCELLED' })
  }
  // One request per topic, so that one failure (an internal topic, a missing ACL) does not hide the others.
  return Promise.all(
    names.map(async (topic): Promise<TopicOperationResult> => {
      try {
        await deleteTopic(client, topic)
        return { topic, status: 'deleted' }
      } catch (error) {
        return { topic, status: 'failed', error: kafkaErrorText(error) }
      }
    }),
  )
}

async function alter(
  client: KafkaClient,
  request: Extract<TopicsRequest, { action: 'alter' }>,
): Promise<TopicOperationResult[]> {
  const names = await matching(client, request.filter, request.topic, request.ifExists)
  if (names.length === 0) return []
  const current = new Map((await topicMetadata(client, names)).map((t) => [t.name, t.partitions.length]))
  return Promise.all(
    names.map(async (topic): Promise<TopicOperationResult> => {
      const before = current.get(topic) ?? 0
      const base = { topic, previousPartitions: before }
      if (request.partitions <= before) {
        const why =
          request.partitions === before
            ? `it already has ${before} partitions`
            : `it has ${before} partitions and Kafka can only add partitions, never remove them`
        return { ...base, status: 'failed', error: `Cannot set ${topic} to ${request.partitions} partitions: ${why}.` }
      }
      // Like the script, an assignment lists every partition; only the entries of the new ones are sent.
      const assignments = request.replicaAssignment?.slice(before)
      if (request.replicaAssignment && assignments!.length !== request.partitions - before) {
        return {
          ...base,
          status: 'failed',
          error: `--replica-assignment has ${request.replicaAssignment.length} partitions, expected ${request.partitions} (existing ones included).`,
        }
      }
      try {
        await createPartitions(client, topic, request.partitions, assignments)
        return { ...base, status: 'altered', partitions: request.partitions }
      } catch (error) {
        return { ...base, status: 'failed', error: kafkaErrorText(error) }
      }
    }),
  )
}

/**
 * For the common local case (more replicas than brokers) say what kafka-topics.sh says: how many brokers there are.
 * Brokers put it in CreateTopics' error message, shown as is; only when one does not is it worked out here.
 */
async function replicationExplanation(
  client: KafkaClient,
  request: { replicationFactor?: number },
  error: unknown,
): Promise<string[]> {
  if (
    !(error instanceof KafkaProtocolError) ||
    error.type !== 'INVALID_REPLICATION_FACTOR' ||
    /registered/.test(error.message) ||
    request.replicationFactor === undefined
  )
    return []
  const brokers = await describeCluster(client).then(
    (c) => c.brokers.length,
    () => undefined,
  )
  if (brokers === undefined || request.replicationFactor <= brokers) return []
  return [
    `The target replication factor of ${request.replicationFactor} cannot be reached because only ${brokers} broker(s) are registered.`,
  ]
}

/** A Kafka error as one line: the broker's message (or Kafka's default one for the code) and the error's name. */
function kafkaErrorText(error: unknown): string {
  if (error instanceof KafkaProtocolError) {
    const message = error.message.slice(error.context.length + 2)
    return message.includes(error.type) ? message : `${message} (${error.type})`
  }
  return error instanceof Error ? error.message : String(error)
}
