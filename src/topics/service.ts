/**
 * `kafkit topics`: list, describe, create, delete and add partitions, with kafka-topics.sh's semantics
 * (regex topic selection, "does not exist as expected", the describe report filters). kafkajs does the
 * admin requests; DescribeTopicPartitions (topic ids, ELR) goes through the session's raw requests.
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
  ApiKey,
  describeTopicPartitions,
  metadata,
  type DescribeTopicPartitionsResult,
  type TopicPartitionsInfo,
} from '../cluster/protocol/messages.js'
import { type ClusterSession, withSession } from '../cluster/session.js'
import { kafkaError } from '../cluster/kafkajs-internals.js'

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
  return withSession(settings, options.reporter, async (session) => {
    switch (request.action) {
      case 'list':
        return {
          action: 'list',
          topics: selectTopics(await session.admin.listTopics(), request.filter, request.excludeInternal),
        }
      case 'describe':
        return { action: 'describe', ...(await describe(session, request)) }
      case 'create':
        return { action: 'create', results: [await create(session, request, options.reporter)] }
      case 'delete':
        return { action: 'delete', results: await remove(session, request, options) }
      case 'alter':
        return { action: 'alter', results: await alter(session, request) }
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
  session: ClusterSession,
  filter: RegExp,
  pattern: string,
  ifExists: boolean,
  excludeInternal = false,
): Promise<string[]> {
  const names = selectTopics(await session.admin.listTopics(), filter, excludeInternal)
  if (names.length === 0 && !ifExists) throw noSuchTopic(pattern)
  return names
}

async function describe(
  session: ClusterSession,
  request: Extract<TopicsRequest, { action: 'describe' }>,
): Promise<DescribeView> {
  const all = await session.admin.listTopics()
  const names = selectTopics(all, request.filter, request.excludeInternal)
  if (names.length === 0) {
    if (request.topic !== undefined && !request.ifExists) throw noSuchTopic(request.topic)
    return applyDescribeFilters([], request.filters, [])
  }
  const [partitions, configs, cluster, reassignments] = await Promise.all([
    fetchPartitions(session, names, request.partitionLimit),
    session.admin.describeConfigs({ resources: names.map((name) => ({ type: 2, name })), includeSynonyms: false }),
    session.admin.describeCluster(),
    // Like the script: reassignments are extra detail, not worth failing for (older brokers, no ACL).
    session.admin.listPartitionReassignments({}).catch(() => ({
      topics: [] as Array<{
        name?: string
        topic?: string
        partitions: Array<{
          partition?: number
          partitionIndex?: number
          addingReplicas: number[]
          removingReplicas: number[]
        }>
      }>,
    })),
  ])
  const moving = new Map<string, { addingReplicas: number[]; removingReplicas: number[] }>()
  for (const t of reassignments.topics as Array<{
    name?: string
    topic?: string
    partitions: Array<{
      partition?: number
      partitionIndex?: number
      addingReplicas: number[]
      removingReplicas: number[]
    }>
  }>) {
    for (const p of t.partitions)
      moving.set(`${t.name ?? t.topic}:${p.partition ?? p.partitionIndex}`, {
        addingReplicas: p.addingReplicas,
        removingReplicas: p.removingReplicas,
      })
  }
  const configsByTopic = new Map(configs.resources.map((r) => [r.resourceName, r]))
  const topics: TopicView[] = []
  for (const name of names) {
    const info = partitions.get(name)
    if (!info) continue // deleted between listing and describing
    const resource = configsByTopic.get(name)
    if (resource && resource.errorCode !== 0)
      throw new KafkitError(
        `Cannot read the configs of topic ${name}: ${resource.errorMessage ?? kafkaError(resource.errorCode).message}`,
      )
    const entries = resource?.configEntries ?? []
    const nonDefault: Record<string, string | null> = {}
    // Java's ConfigEntry.isDefault() is "source is DEFAULT_CONFIG": static broker settings count as overrides.
    for (const entry of entries) if (entry.configSource !== 5) nonDefault[entry.configName] = entry.configValue
    const minIsr = entries.find((e) => e.configName === 'min.insync.replicas')?.configValue
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

/**
 * Partition details. DescribeTopicPartitions (KRaft brokers 3.8+) is what the Java tool uses when it can:
 * it carries the topic id and the eligible leader replicas. Older brokers get Metadata v10+ (topic ids, no
 * ELR: the script prints "Elr: N/A" for them, as do we), and brokers older than 2.8 kafkajs's Metadata.
 */
async function fetchPartitions(
  session: ClusterSession,
  names: string[],
  limit = 2000,
): Promise<Map<string, TopicPartitions>> {
  const result = new Map<string, TopicPartitions>()
  const add = (t: TopicPartitionsInfo) => {
    if (t.errorCode === 3) return // UNKNOWN_TOPIC_OR_PARTITION: deleted meanwhile
    if (t.errorCode !== 0)
      throw new KafkitError(`Cannot describe topic ${t.name}: ${kafkaError(t.errorCode).message}`, {
        code: kafkaError(t.errorCode).type,
      })
    const entry: TopicPartitions = result.get(t.name) ?? { topicId: t.topicId, internal: t.isInternal, partitions: [] }
    for (const p of t.partitions) {
      entry.partitions.push({
        partition: p.partition,
        leader: p.leader >= 0 ? p.leader : null,
        replicas: p.replicas,
        isr: p.isr,
        elr: p.elr,
        lastKnownElr: p.lastKnownElr,
        offlineReplicas: p.offlineReplicas,
      })
    }
    result.set(t.name, entry)
  }
  if (session.maxVersion(ApiKey.DescribeTopicPartitions) !== undefined) {
    let cursor: { topic: string; partition: number } | null = null
    do {
      const page: DescribeTopicPartitionsResult = await session.send(
        'any',
        describeTopicPartitions(names, cursor, limit),
      )
      page.topics.forEach(add)
      cursor = page.nextCursor
    } while (cursor)
    return result
  }
  const metadataVersion = Math.min(session.maxVersion(ApiKey.Metadata) ?? 0, 12)
  if (metadataVersion >= 10) {
    ;(await session.send('any', metadata(metadataVersion, names))).forEach(add)
    return result
  }
  const legacy = await session.admin.fetchTopicMetadata({ topics: names })
  for (const t of legacy.topics) {
    result.set(t.name, {
      topicId: null,
      internal: false,
      partitions: t.partitions.map((p) => ({
        partition: p.partitionId,
        leader: p.leader >= 0 ? p.leader : null,
        replicas: p.replicas,
        isr: p.isr,
        elr: null,
        lastKnownElr: null,
        offlineReplicas: p.offlineReplicas ?? [],
      })),
    })
  }
  return result
}

async function create(
  session: ClusterSession,
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
    created = await session.admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: request.topic,
          // -1 asks the broker for its defaults (num.partitions, default.replication.factor), as the script does.
          numPartitions: request.replicaAssignment ? undefined : (request.partitions ?? -1),
          replicationFactor: request.replicaAssignment ? undefined : (request.replicationFactor ?? -1),
          replicaAssignment: request.replicaAssignment?.map((replicas, partition) => ({ partition, replicas })),
          configEntries: Object.entries(request.configs).map(([name, value]) => ({ name, value })),
        },
      ],
    })
  } catch (error) {
    throw new KafkitError(`Cannot create topic ${request.topic}: ${kafkaErrorText(error)}`, {
      code: 'CREATE_FAILED',
      cause: error,
      details: await replicationExplanation(session, request, error),
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
  session: ClusterSession,
  request: Extract<TopicsRequest, { action: 'delete' }>,
  options: TopicsRunOptions,
): Promise<TopicOperationResult[]> {
  const names = await matching(session, request.filter, request.topic, request.ifExists)
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
        await session.admin.deleteTopics({ topics: [topic] })
        return { topic, status: 'deleted' }
      } catch (error) {
        return { topic, status: 'failed', error: kafkaErrorText(error) }
      }
    }),
  )
}

async function alter(
  session: ClusterSession,
  request: Extract<TopicsRequest, { action: 'alter' }>,
): Promise<TopicOperationResult[]> {
  const names = await matching(session, request.filter, request.topic, request.ifExists)
  if (names.length === 0) return []
  const metadata = await session.admin.fetchTopicMetadata({ topics: names })
  const current = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]))
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
        await session.admin.createPartitions({
          topicPartitions: [{ topic, count: request.partitions, ...(assignments ? { assignments } : {}) }],
        })
        return { ...base, status: 'altered', partitions: request.partitions }
      } catch (error) {
        return { ...base, status: 'failed', error: kafkaErrorText(error) }
      }
    }),
  )
}

/** kafkajs errors as one line: the broker's error names and messages, aggregated ones included. */
/**
 * kafkajs drops the broker's error_message of CreateTopics; for the common local case (more replicas than brokers)
 * say what the broker says: how many brokers there are.
 */
async function replicationExplanation(
  session: ClusterSession,
  request: { replicationFactor?: number },
  error: unknown,
): Promise<string[]> {
  if (!kafkaErrorText(error).includes('INVALID_REPLICATION_FACTOR') || request.replicationFactor === undefined)
    return []
  const brokers = await session.admin.describeCluster().then(
    (c) => c.brokers.length,
    () => undefined,
  )
  if (brokers === undefined || request.replicationFactor <= brokers) return []
  return [
    `The target replication factor of ${request.replicationFactor} cannot be reached because only ${brokers} broker(s) are registered.`,
  ]
}

function kafkaErrorText(error: unknown): string {
  const e = error as { message?: string; type?: string; errors?: Array<{ message?: string; type?: string }> }
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.map((x) => kafkaErrorText(x)).join('; ')
  const message = e.message ?? String(error)
  return e.type && !message.includes(e.type) ? `${message} (${e.type})` : message
}
