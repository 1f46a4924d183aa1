/**
 * What `kafkit streams-groups` does (KIP-1071 streams groups, kafka-streams-groups.sh 4.4): --list and --describe, on
 * kafkit's own client. The offsets view follows StreamsGroupCommand.getOffsets: the partitions of the members' active
 * tasks (each task's subtopology's source and repartition-source topics), their committed offsets (OffsetFetch,
 * source topics only) and log offsets; lag is log end minus committed, or minus log start when nothing is committed.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import { javaHashMapOrder, topicPartitionHash } from '../output/java-format.js'
import type { Reporter } from '../output/reporter.js'
import { missingGroupError } from '../share-groups/service.js'
import { STREAMS_GROUP_STATES, parseGroupStates } from '../share-groups/options.js'
import type * as Admin from '../cluster/group-admin.js'
import { withGroupAdmin } from '../cluster/with-group-admin.js'

export interface StreamsGroupsContext {
  connection: ConnectionSettings
  reporter: Reporter
  requestTimeoutMs?: number
  debug?: boolean
}

export interface StreamsListResult {
  withState: boolean
  groups: Array<{ group: string; state?: string }>
}

export async function listStreamsGroups(
  ctx: StreamsGroupsContext,
  options: { state?: string },
): Promise<StreamsListResult> {
  const states = options.state ? parseGroupStates(options.state, STREAMS_GROUP_STATES) : []
  return withGroupAdmin(ctx, async (client, admin) => {
    const groups = await admin.listGroups(client, { types: ['Streams'], states })
    return options.state === undefined
      ? { withState: false, groups: groups.map((g) => ({ group: g.group })) }
      : { withState: true, groups: groups.map((g) => ({ group: g.group, state: g.state })) }
  })
}

export type StreamsDescribeView = 'offsets' | 'members' | 'state'

export interface StreamsTasks {
  subtopologyId: string
  partitions: number[]
}

export interface StreamsAssignment {
  active: StreamsTasks[]
  standby: StreamsTasks[]
  warmup: StreamsTasks[]
}

export interface StreamsMember {
  memberId: string
  processId: string
  clientId: string
  host: string
  memberEpoch: number
  /** The member still speaks the classic rebalance protocol. */
  isClassic: boolean
  assignment: StreamsAssignment
  targetAssignment: StreamsAssignment
}

export interface StreamsPartitionOffset {
  topic: string
  partition: number
  currentOffset: number | null
  leaderEpoch: number | null
  logEndOffset: number
  lag: number
}

export interface StreamsGroupReport {
  group: string
  state: string
  groupEpoch: number
  targetAssignmentEpoch: number
  topologyEpoch: number
  assignor: string | null
  coordinator?: { id: number; host: string; port: number }
  members: StreamsMember[]
  /** offsets view only, in the script's (HashMap) order. */
  offsets?: StreamsPartitionOffset[]
}

export interface StreamsDescribeResult {
  view: StreamsDescribeView
  verbose: boolean
  groups: StreamsGroupReport[]
}

const assignmentOf = (a: Admin.StreamsGroupDescription['members'][number]['assignment']): StreamsAssignment => ({
  active: a.activeTasks.map((t) => ({ subtopologyId: t.subtopologyId, partitions: t.partitions })),
  standby: a.standbyTasks.map((t) => ({ subtopologyId: t.subtopologyId, partitions: t.partitions })),
  warmup: a.warmupTasks.map((t) => ({ subtopologyId: t.subtopologyId, partitions: t.partitions })),
})

export async function describeStreamsGroups(
  ctx: StreamsGroupsContext,
  options: { groups: string[]; allGroups?: boolean; view: StreamsDescribeView; verbose?: boolean },
): Promise<StreamsDescribeResult> {
  return withGroupAdmin(ctx, async (client, admin) => {
    const ids = options.allGroups
      ? (await admin.listGroups(client, { types: ['Streams'] })).map((g) => g.group)
      : options.groups
    const reports: StreamsGroupReport[] = []
    for (const group of ids) {
      const d = await admin.describeStreamsGroup(client, group)
      if (d.errorCode === 69) throw await missingGroupError(client, admin, group, 'streams')
      if (d.errorCode !== 0) {
        const e = admin.groupError(d.errorCode, d.errorMessage)
        throw new KafkitError(`Cannot describe streams group '${group}': ${e.message}`, { code: e.type })
      }
      const report: StreamsGroupReport = {
        group: d.groupId,
        state: d.groupState,
        groupEpoch: d.groupEpoch,
        targetAssignmentEpoch: d.assignmentEpoch,
        topologyEpoch: d.topology?.epoch ?? -1,
        assignor: d.assignorName,
        members: d.members.map((m) => ({
          memberId: m.memberId,
          processId: m.processId,
          clientId: m.clientId,
          host: m.clientHost,
          memberEpoch: m.memberEpoch,
          isClassic: m.isClassic,
          assignment: assignmentOf(m.assignment),
          targetAssignment: assignmentOf(m.targetAssignment),
        })),
      }
      if (options.view === 'state') report.coordinator = await admin.coordinatorOf(client, group)
      if (options.view === 'offsets') report.offsets = await offsetsOf(client, admin, d)
      reports.push(report)
    }
    return { view: options.view, verbose: Boolean(options.verbose), groups: reports }
  })
}

async function offsetsOf(
  client: KafkaClient,
  admin: typeof Admin,
  d: Admin.StreamsGroupDescription,
): Promise<StreamsPartitionOffset[]> {
  const sourcesOf = new Map<string, string[]>()
  for (const s of d.topology?.subtopologies ?? [])
    sourcesOf.set(s.subtopologyId, [...s.sourceTopics, ...s.repartitionSourceTopics.map((t) => t.name)])
  const tps: Array<{ topic: string; partition: number }> = []
  const seen = new Set<string>()
  for (const m of d.members)
    for (const task of m.assignment.activeTasks) {
      const topics = sourcesOf.get(task.subtopologyId)
      if (!topics)
        throw new KafkitError(`Subtopology ${task.subtopologyId} not found in the description of '${d.groupId}'.`, {
          code: 'BAD_DESCRIPTION',
        })
      for (const topic of topics)
        for (const partition of task.partitions)
          if (!seen.has(`${topic}:${partition}`)) {
            seen.add(`${topic}:${partition}`)
            tps.push({ topic, partition })
          }
    }
  if (tps.length === 0) return []
  const sourceTopics = new Set([...sourcesOf.values()].flat())
  const [starts, ends, committed] = await Promise.all([
    admin.partitionOffsets(client, tps, admin.EARLIEST),
    admin.partitionOffsets(client, tps, admin.LATEST),
    admin.committedOffsets(client, d.groupId),
  ])
  const commits = new Map(
    committed.filter((c) => sourceTopics.has(c.topic)).map((c) => [`${c.topic}:${c.partition}`, c]),
  )
  return javaHashMapOrder(tps, (tp) => topicPartitionHash(tp.topic, tp.partition)).map((tp) => {
    const k = `${tp.topic}:${tp.partition}`
    const end = ends.get(k) ?? 0
    const commit = commits.get(k)
    return {
      topic: tp.topic,
      partition: tp.partition,
      currentOffset: commit?.offset ?? null,
      leaderEpoch: commit?.leaderEpoch ?? null,
      logEndOffset: end,
      lag: commit ? end - commit.offset : end - (starts.get(k) ?? 0),
    }
  })
}
