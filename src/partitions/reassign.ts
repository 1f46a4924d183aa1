/**
 * `kafkit reassign-partitions`: kafka-reassign-partitions.sh's five actions on kafkit's client. --generate proposes a
 * layout (Kafka's own placement, ./assign.ts), --execute starts AlterPartitionReassignments (with the throttles the
 * script sets through IncrementalAlterConfigs), --verify compares with ListPartitionReassignments and the replicas in
 * Metadata and then clears the throttles, --cancel reverts ongoing reassignments, --list shows them.
 * Replica moves between log directories are not done by kafkit: a named directory must be where the replica already
 * is, or its broker's only one (see docs/partitions.md).
 */
import { KafkitError, UsageError } from '../errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type { KafkaClient } from '../client/kafka-client.js'
import { alterConfigs, ConfigOperation, ResourceType, topicMetadata } from '../cluster/admin.js'
import { withClient } from '../cluster/connect.js'
import {
  alterReassignments,
  clusterBrokers,
  listReassignments,
  replicaLogDirs,
  describeLogDirs,
  type OngoingReassignment,
} from '../cluster/partitions-admin.js'
import {
  assignReplicasToBrokers,
  followerThrottles,
  leaderThrottles,
  proposedMoves,
  reassigningBrokers,
} from './assign.js'
import { tpName, type ReplicaAssignment, type TopicPartition } from './options.js'
import type { AssignmentEntry, PartitionState } from './views.js'

const BROKER_THROTTLES = [
  'leader.replication.throttled.rate',
  'follower.replication.throttled.rate',
  'replica.alter.log.dirs.io.max.bytes.per.second',
]
const TOPIC_THROTTLES = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']

export interface ThrottleClearing {
  brokers: number[]
  topics: string[]
}

export type ReassignResult =
  | { action: 'generate'; current: AssignmentEntry[]; proposed: AssignmentEntry[] }
  | {
      action: 'execute'
      current: AssignmentEntry[]
      /** B/s set on the brokers, when --throttle was given. */
      interBrokerThrottle: number | null
      logDirThrottle: number | null
      throttledReplicas: Array<{ topic: string; leader: string; follower: string }>
      started: TopicPartition[]
      errors: Array<TopicPartition & { error: string | null; errorMessage: string | null }>
    }
  | {
      action: 'verify'
      partitions: PartitionState[]
      /** Reassignments still running anywhere in the cluster (throttles stay while there are any). */
      ongoing: boolean
      clearedThrottles: ThrottleClearing | null
    }
  | {
      action: 'cancel'
      cancelled: TopicPartition[]
      errors: Array<TopicPartition & { error: string | null; errorMessage: string | null }>
      clearedThrottles: ThrottleClearing | null
    }
  | { action: 'list'; reassignments: OngoingReassignment[] }

export type ReassignRequest =
  | { action: 'generate'; topics: string[]; brokers: number[]; rackAware: boolean }
  | {
      action: 'execute'
      assignment: ReplicaAssignment[]
      additional: boolean
      throttle: number | null
      logDirThrottle: number | null
      allowReplicationFactorChange: boolean
    }
  | { action: 'verify'; assignment: ReplicaAssignment[]; preserveThrottles: boolean }
  | { action: 'cancel'; assignment: ReplicaAssignment[]; preserveThrottles: boolean }
  | { action: 'list' }

/**
 * kafkit does not move replicas between log directories. A directory named in log_dirs is fine when no move is needed:
 * it is the replica's current directory, or the broker's only one. That is the case for the rollback layouts 4.4's
 * script and kafkit print (each replica's current directory), given back on a stack with one log dir per broker.
 */
async function refuseLogDirMoves(client: KafkaClient, assignment: ReplicaAssignment[]): Promise<void> {
  const named = assignment.flatMap((a) =>
    a.replicas.flatMap((broker, i) => (a.logDirs[i] === 'any' ? [] : [{ ...a, broker, dir: a.logDirs[i]! }])),
  )
  if (named.length === 0) return
  const brokers = [...new Set(named.map((n) => n.broker))]
  const [current, dirsOf] = await Promise.all([
    replicaLogDirs(client, named),
    Promise.all(
      brokers.map(
        async (b) => [b, (await describeLogDirs(client, b, []).catch(() => [])).map((d) => d.logDir)] as const,
      ),
    ).then((entries) => new Map(entries)),
  ])
  const moving = named.find((n) => {
    const only = dirsOf.get(n.broker) ?? []
    return current.get(`${tpName(n)}@${n.broker}`) !== n.dir && !(only.length === 1 && only[0] === n.dir)
  })
  if (moving) {
    throw new UsageError(
      `kafkit does not move replicas between log directories (partition ${tpName(moving)} names ${moving.logDirs.join(', ')}).`,
      {
        code: 'UNSUPPORTED_LOG_DIR_MOVE',
        suggestions: ['Use "any" in log_dirs, or Kafka\'s own kafka-reassign-partitions.sh for log directory moves.'],
      },
    )
  }
}

/** The replicas of every partition of some topics; a missing topic is an error, as in the script. */
async function replicasOf(client: KafkaClient, topics: string[]): Promise<Map<string, AssignmentEntry[]>> {
  const unique = [...new Set(topics)]
  const info = unique.length === 0 ? [] : await topicMetadata(client, unique)
  const result = new Map<string, AssignmentEntry[]>()
  for (const t of info) {
    if (t.errorCode !== 0) continue
    result.set(
      t.name,
      t.partitions
        .map((p) => ({ topic: t.name, partition: p.partition, replicas: p.replicas }))
        .sort((a, b) => a.partition - b.partition),
    )
  }
  return result
}

/**
 * 4.4's script writes each replica's current directory in the layouts it prints ("any" where unknown); 3.9's writes
 * "any" for every replica. kafkit prints what the broker's own script prints, as `acls` does: a rollback file saved
 * from a 3.9 stack then moves no replica between directories when given back to either tool.
 */
async function withLogDirs(client: KafkaClient, entries: AssignmentEntry[]): Promise<AssignmentEntry[]> {
  if (await client.brokerBeforeKafka4()) return entries.map((e) => ({ ...e, logDirs: e.replicas.map(() => 'any') }))
  const dirs = await replicaLogDirs(
    client,
    entries.flatMap((e) => e.replicas.map((broker) => ({ topic: e.topic, partition: e.partition, broker }))),
  )
  return entries.map((e) => ({ ...e, logDirs: e.replicas.map((b) => dirs.get(`${tpName(e)}@${b}`) ?? 'any') }))
}

async function clearThrottles(client: KafkaClient, assignment: ReplicaAssignment[]): Promise<ThrottleClearing> {
  const brokers = new Set((await clusterBrokers(client)).map((b) => b.id))
  for (const a of assignment) for (const r of a.replicas) brokers.add(r)
  const topics = [...new Set(assignment.map((a) => a.topic))]
  for (const broker of brokers) {
    const result = await alterConfigs(
      client,
      broker,
      { type: ResourceType.broker, name: String(broker) },
      BROKER_THROTTLES.map((name) => ({ name, operation: ConfigOperation.delete, value: null })),
    )
    if (result.errorCode !== 0)
      throw new KafkitError(
        `Could not clear the throttles of broker ${broker}: ${result.errorMessage ?? result.errorCode}`,
      )
  }
  for (const topic of topics) {
    const result = await alterConfigs(
      client,
      'any',
      { type: ResourceType.topic, name: topic },
      TOPIC_THROTTLES.map((name) => ({ name, operation: ConfigOperation.delete, value: null })),
    )
    if (result.errorCode !== 0)
      throw new KafkitError(
        `Could not clear the throttles of topic ${topic}: ${result.errorMessage ?? result.errorCode}`,
      )
  }
  return { brokers: [...brokers].sort((a, b) => a - b), topics }
}

async function generate(
  client: KafkaClient,
  request: Extract<ReassignRequest, { action: 'generate' }>,
): Promise<ReassignResult> {
  const layouts = await replicasOf(client, request.topics)
  const missing = request.topics.find((t) => !layouts.has(t))
  if (missing !== undefined)
    throw new KafkitError(`Topic ${missing} not found.`, {
      code: 'UNKNOWN_TOPIC',
      suggestions: ['kafkit topics --list'],
    })
  const wanted = new Set(request.brokers)
  const brokers = (await clusterBrokers(client))
    .filter((b) => wanted.has(b.id))
    .map((b) => ({ id: b.id, rack: request.rackAware ? b.rack : null }))
  const rackless = brokers.filter((b) => b.rack === null).length
  if (request.rackAware && rackless !== 0 && rackless !== brokers.length) {
    throw new UsageError(
      'Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.',
      { code: 'PARTIAL_RACKS' },
    )
  }
  const current = await withLogDirs(client, [...layouts.values()].flat())
  const proposed: AssignmentEntry[] = []
  for (const [topic, partitions] of layouts) {
    const replicas = assignReplicasToBrokers(brokers, partitions.length, partitions[0]!.replicas.length)
    replicas.forEach((r, partition) => proposed.push({ topic, partition, replicas: r }))
  }
  return { action: 'generate', current, proposed }
}

async function execute(
  client: KafkaClient,
  request: Extract<ReassignRequest, { action: 'execute' }>,
): Promise<ReassignResult> {
  await refuseLogDirMoves(client, request.assignment)
  const ongoing = await listReassignments(client)
  if (!request.additional && ongoing.length > 0) {
    throw new KafkitError(
      'Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.',
      { code: 'REASSIGNMENT_IN_PROGRESS', suggestions: ['kafkit reassign-partitions --list'] },
    )
  }
  const known = new Set((await clusterBrokers(client)).map((b) => b.id))
  const unknown = request.assignment.flatMap((a) => a.replicas).find((r) => !known.has(r))
  if (unknown !== undefined) throw new KafkitError(`Unknown broker id ${unknown}`, { code: 'UNKNOWN_BROKER' })

  const layouts = await replicasOf(
    client,
    request.assignment.map((a) => a.topic),
  )
  const currentByKey = new Map(
    [...layouts.values()].flat().map((e) => [`${e.topic}\u0000${e.partition}`, e.replicas] as const),
  )
  const missing = request.assignment.filter((a) => !currentByKey.has(`${a.topic}\u0000${a.partition}`))
  if (missing.length > 0)
    throw new KafkitError(`Unable to find partition: ${missing.map(tpName).join(', ')}`, { code: 'UNKNOWN_PARTITION' })
  const current = await withLogDirs(
    client,
    request.assignment.map((a) => ({
      topic: a.topic,
      partition: a.partition,
      replicas: currentByKey.get(`${a.topic}\u0000${a.partition}`)!,
    })),
  )

  const throttledReplicas: Array<{ topic: string; leader: string; follower: string }> = []
  if (request.throttle !== null) {
    const moves = proposedMoves(ongoing, request.assignment, currentByKey)
    const leaders = leaderThrottles(moves)
    const followers = followerThrottles(moves)
    for (const topic of new Set([...leaders.keys(), ...followers.keys()])) {
      const leader = leaders.get(topic) ?? ''
      const follower = followers.get(topic) ?? ''
      throttledReplicas.push({ topic, leader, follower })
      const result = await alterConfigs(client, 'any', { type: ResourceType.topic, name: topic }, [
        { name: TOPIC_THROTTLES[0]!, operation: ConfigOperation.set, value: leader },
        { name: TOPIC_THROTTLES[1]!, operation: ConfigOperation.set, value: follower },
      ])
      if (result.errorCode !== 0)
        throw new KafkitError(
          `Could not set the throttled replicas of ${topic}: ${result.errorMessage ?? result.errorCode}`,
        )
    }
    for (const broker of reassigningBrokers(moves)) {
      const rate = String(request.throttle)
      const result = await alterConfigs(client, broker, { type: ResourceType.broker, name: String(broker) }, [
        { name: BROKER_THROTTLES[0]!, operation: ConfigOperation.set, value: rate },
        { name: BROKER_THROTTLES[1]!, operation: ConfigOperation.set, value: rate },
      ])
      if (result.errorCode !== 0)
        throw new KafkitError(
          `Could not set the throttle of broker ${broker}: ${result.errorMessage ?? result.errorCode}`,
        )
    }
  }

  const outcomes = await alterReassignments(
    client,
    request.assignment.map((a) => ({ topic: a.topic, partition: a.partition, replicas: a.replicas })),
    { allowReplicationFactorChange: request.allowReplicationFactorChange },
  )
  const errors = outcomes
    .filter((o) => o.errorCode !== 0)
    .map((o) => ({ topic: o.topic, partition: o.partition, error: o.error, errorMessage: o.errorMessage }))
  return {
    action: 'execute',
    current,
    interBrokerThrottle: request.throttle,
    logDirThrottle: request.logDirThrottle,
    throttledReplicas,
    started: errors.length > 0 ? [] : request.assignment.map((a) => ({ topic: a.topic, partition: a.partition })),
    errors,
  }
}

async function verify(
  client: KafkaClient,
  request: Extract<ReassignRequest, { action: 'verify' }>,
): Promise<ReassignResult> {
  await refuseLogDirMoves(client, request.assignment)
  const ongoing = await listReassignments(client)
  const ongoingByKey = new Map(ongoing.map((o) => [tpName(o), o]))
  const layouts = await replicasOf(
    client,
    request.assignment.filter((a) => !ongoingByKey.has(tpName(a))).map((a) => a.topic),
  )
  const partitions: PartitionState[] = request.assignment.map((a) => {
    const running = ongoingByKey.get(tpName(a))
    if (running)
      return {
        topic: a.topic,
        partition: a.partition,
        currentReplicas: running.replicas,
        targetReplicas: a.replicas,
        done: false,
      }
    const replicas = layouts.get(a.topic)?.find((p) => p.partition === a.partition)?.replicas ?? []
    return { topic: a.topic, partition: a.partition, currentReplicas: replicas, targetReplicas: a.replicas, done: true }
  })
  const clearedThrottles =
    ongoing.length === 0 && !request.preserveThrottles ? await clearThrottles(client, request.assignment) : null
  return { action: 'verify', partitions, ongoing: ongoing.length > 0, clearedThrottles }
}

async function cancel(
  client: KafkaClient,
  request: Extract<ReassignRequest, { action: 'cancel' }>,
): Promise<ReassignResult> {
  await refuseLogDirMoves(client, request.assignment)
  const targets = request.assignment.map((a) => ({ topic: a.topic, partition: a.partition }))
  // The script's rule: a reassignment that only adds replicas (a replication factor increase) is left running.
  const running = (await listReassignments(client, targets)).filter(
    (r) => r.addingReplicas.length === 0 || r.removingReplicas.length > 0,
  )
  const outcomes =
    running.length === 0
      ? []
      : await alterReassignments(
          client,
          running.map((r) => ({ topic: r.topic, partition: r.partition, replicas: null })),
        )
  const errors = outcomes
    .filter((o) => o.errorCode !== 0)
    .map((o) => ({ topic: o.topic, partition: o.partition, error: o.error, errorMessage: o.errorMessage }))
  const cancelled = errors.length > 0 ? [] : running.map((r) => ({ topic: r.topic, partition: r.partition }))
  const clearedThrottles =
    errors.length === 0 && !request.preserveThrottles ? await clearThrottles(client, request.assignment) : null
  return { action: 'cancel', cancelled, errors, clearedThrottles }
}

export async function runReassign(
  settings: ConnectionSettings,
  request: ReassignRequest,
  reporter?: Reporter,
): Promise<ReassignResult> {
  return withClient(settings, { reporter, clientId: 'reassign-partitions-tool' }, async (client) => {
    switch (request.action) {
      case 'generate':
        return generate(client, request)
      case 'execute':
        return execute(client, request)
      case 'verify':
        return verify(client, request)
      case 'cancel':
        return cancel(client, request)
      case 'list':
        return { action: 'list', reassignments: await listReassignments(client) }
    }
  })
}
