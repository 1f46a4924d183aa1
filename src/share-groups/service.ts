/**
 * What `kafkit share-groups` does (KIP-932 share groups, kafka-share-groups.sh 4.4), one function per action, on
 * kafkit's own client. Each returns a typed result that is the --json output and what ./views.ts prints. The pure
 * pieces of consumer-groups are reused: reset planning and clamping (groups/reset.ts), --to-datetime parsing
 * (groups/time.ts), the CSV plan format (groups/csv.ts) and offset backups (groups/backup.ts, in a folder of their own
 * so consumer-groups --undo-reset never picks a share group's backup).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { KafkaClient } from '../client/kafka-client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { javaHashMapOrder, javaStringHash, topicPartitionHash } from '../output/java-format.js'
import { backupLocation, latestBackup, markUndone, writeBackup, type BackupLocation } from '../groups/backup.js'
import { parseCsv } from '../groups/csv.js'
import { describeMode, modeFromFlags, parseTopicScopes, planReset, resolveScopes, sortTps } from '../groups/reset.js'
import { parseDateTime, parseIsoDuration } from '../groups/time.js'
import { SHARE_GROUP_STATES, parseGroupStates } from './options.js'
import type * as Admin from '../cluster/group-admin.js'
import { withGroupAdmin } from '../cluster/with-group-admin.js'

export interface ShareGroupsContext {
  connection: ConnectionSettings
  stack?: string
  reporter: Reporter
  requestTimeoutMs?: number
  debug?: boolean
}

interface TopicPartition {
  topic: string
  partition: number
}

const key = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`

export interface ShareHooks {
  /** Asked before an --execute changes offsets, with the plan (as a dry run's result); absent means yes. */
  confirm?: (question: string, plan: ShareResetResult | ShareUndoResult) => Promise<boolean>
}

const cancelled = () => new KafkitError('Cancelled: no offsets were changed.', { code: 'CANCELLED' })

/**
 * The error for a group ShareGroupDescribe does not know: missing altogether, or a group of another type (the broker
 * says "Group g is not a share group."; ListGroups tells which type it is).
 */
export async function missingGroupError(
  client: KafkaClient,
  admin: typeof Admin,
  group: string,
  kind: 'share' | 'streams',
): Promise<KafkitError> {
  const other = (await admin.listGroups(client)).find((g) => g.group === group)
  const list = `kafkit ${kind}-groups --list`
  if (other) {
    const type = other.type ? other.type.toLowerCase() : other.protocolType || 'classic'
    return new KafkitError(`Group '${group}' is a ${type} group, not a ${kind} group.`, {
      code: 'WRONG_GROUP_TYPE',
      suggestions: [
        type === 'share' || type === 'streams'
          ? `kafkit ${type}-groups --describe --group ${group}`
          : `kafkit consumer-groups --describe --group ${group}`,
      ],
    })
  }
  return new KafkitError(`${kind === 'share' ? 'Share' : 'Streams'} group '${group}' does not exist.`, {
    code: 'GROUP_NOT_FOUND',
    suggestions: [list],
  })
}

// ---------------------------------------------------------------- list

export interface ShareListResult {
  withState: boolean
  groups: Array<{ group: string; state?: string }>
}

export async function listShareGroups(ctx: ShareGroupsContext, options: { state?: string }): Promise<ShareListResult> {
  const states = options.state ? parseGroupStates(options.state, SHARE_GROUP_STATES) : []
  return withGroupAdmin(ctx, async (client, admin) => {
    const groups = await admin.listGroups(client, { types: ['Share'], states })
    return options.state === undefined
      ? { withState: false, groups: groups.map((g) => ({ group: g.group })) }
      : { withState: true, groups: groups.map((g) => ({ group: g.group, state: g.state })) }
  })
}

// ---------------------------------------------------------------- describe

export type ShareDescribeView = 'offsets' | 'members' | 'state'

export interface ShareMember {
  memberId: string
  clientId: string
  /** As the broker saw the client ("/127.0.0.1"). */
  host: string
  memberEpoch: number
  assignment: TopicPartition[]
}

export interface SharePartitionOffset {
  topic: string
  partition: number
  /** null: no share-partition state yet. */
  startOffset: number | null
  leaderEpoch: number | null
  /** Computed by the broker: records after the start offset not yet acknowledged (not log end minus start). */
  lag: number | null
}

export interface ShareGroupReport {
  group: string
  state: string
  groupEpoch: number
  assignmentEpoch: number
  assignor: string
  coordinator?: { id: number; host: string; port: number }
  members: ShareMember[]
  /** offsets view only; sorted by topic and partition. */
  offsets?: SharePartitionOffset[]
}

export interface ShareDescribeResult {
  view: ShareDescribeView
  verbose: boolean
  groups: ShareGroupReport[]
}

async function describeOne(client: KafkaClient, admin: typeof Admin, group: string): Promise<ShareGroupReport> {
  const d = await admin.describeShareGroup(client, group)
  if (d.errorCode === 69) throw await missingGroupError(client, admin, group, 'share')
  if (d.errorCode !== 0) {
    const e = admin.groupError(d.errorCode, d.errorMessage)
    throw new KafkitError(`Cannot describe share group '${group}': ${e.message}`, { code: e.type })
  }
  return {
    group: d.groupId,
    state: d.groupState,
    groupEpoch: d.groupEpoch,
    assignmentEpoch: d.assignmentEpoch,
    assignor: d.assignorName,
    members: d.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      memberEpoch: m.memberEpoch,
      assignment: sortTps(
        m.assignment.topicPartitions.flatMap((t) =>
          t.partitions.map((partition) => ({ topic: t.topicName, partition })),
        ),
      ),
    })),
  }
}

export async function describeShareGroups(
  ctx: ShareGroupsContext,
  options: { groups: string[]; allGroups?: boolean; view: ShareDescribeView; verbose?: boolean },
): Promise<ShareDescribeResult> {
  return withGroupAdmin(ctx, async (client, admin) => {
    const ids = options.allGroups
      ? (await admin.listGroups(client, { types: ['Share'] })).map((g) => g.group)
      : [...new Set(options.groups)]
    // The script keeps its groups in a TreeMap: sorted by id.
    const reports: ShareGroupReport[] = []
    for (const group of ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const report = await describeOne(client, admin, group)
      if (options.view === 'state') report.coordinator = await admin.coordinatorOf(client, group)
      if (options.view === 'offsets') {
        const answer = await admin.shareGroupOffsets(client, group)
        if (answer.error)
          throw new KafkitError(`Cannot read the offsets of share group '${group}': ${answer.error.message}`, {
            code: answer.error.type,
          })
        report.offsets = sortTps(
          answer.offsets.map((o) => ({
            topic: o.topic,
            partition: o.partition,
            startOffset: o.startOffset,
            leaderEpoch: o.leaderEpoch,
            lag: o.lag,
          })),
        )
      }
      reports.push(report)
    }
    return { view: options.view, verbose: Boolean(options.verbose), groups: reports }
  })
}

// ---------------------------------------------------------------- reset

export interface ShareResetModeFlags {
  'to-earliest'?: boolean
  'to-latest'?: boolean
  'to-current'?: boolean
  'to-offset'?: string
  'to-datetime'?: string
  'from-file'?: string
}

export interface ShareResetRow {
  topic: string
  partition: number
  newOffset: number
  /** The share-partition start offset before the reset; null when the group had no state for the partition. */
  currentOffset: number | null
  /** What --to-offset / --from-file asked before it was clamped to the log. */
  requestedOffset?: number
}

export interface ShareResetResult {
  dryRun: boolean
  mode: string
  group: string
  /** Dead: the group does not exist yet; --execute creates it with these start offsets (as the script does). */
  state: string
  /** In the order the script prints them (its HashMap's). */
  rows: ShareResetRow[]
  /** --to-datetime: partitions with no record at or after the time (reset to their log end, as the script does). */
  emptyPartitions: TopicPartition[]
  warnings: string[]
  backupFile?: string
}

/** Share-group backups: beside consumer-groups', in a folder of their own. */
export function shareBackupLocation(connection: ConnectionSettings, stack: string | undefined): BackupLocation {
  const base = backupLocation(connection, stack)
  return { dir: join(base.dir, 'share-groups'), label: `${base.label} (share groups)` }
}

function notEmptyError(report: ShareGroupReport, action: string): KafkitError {
  return new KafkitError(`Share group '${report.group}' is not empty.`, {
    code: 'GROUP_NOT_EMPTY',
    details: [
      `It is ${report.state} with ${report.members.length} member${report.members.length === 1 ? '' : 's'}:`,
      ...report.members.map((m) => `  ${m.memberId} (client ${m.clientId}, host ${m.host})`),
    ],
    suggestions: [`Stop the share consumers of '${report.group}' first: ${action} only work on an empty group.`],
  })
}

/** The group's description, or a Dead placeholder when it does not exist (reset creates it, as the script does). */
async function describeForChange(client: KafkaClient, admin: typeof Admin, group: string): Promise<ShareGroupReport> {
  const d = await admin.describeShareGroup(client, group)
  if (d.errorCode === 69) {
    const other = (await admin.listGroups(client)).find((g) => g.group === group)
    if (other) throw await missingGroupError(client, admin, group, 'share')
    return { group, state: 'Dead', groupEpoch: -1, assignmentEpoch: -1, assignor: '', members: [] }
  }
  return describeOne(client, admin, group)
}

export async function resetShareOffsets(
  ctx: ShareGroupsContext,
  options: { group: string; topics: string[]; allTopics?: boolean; execute: boolean; modeFlags: ShareResetModeFlags },
  hooks: ShareHooks = {},
): Promise<ShareResetResult> {
  const scopes = parseTopicScopes(options.topics)
  const warnings: string[] = []
  const mode = modeFromFlags(options.modeFlags, [options.group], {
    readFile: (path) => readFileSync(path, 'utf8'),
    now: () => Date.now(),
    parseCsv,
    parseDateTime,
    parseIsoDuration,
    warn: (w) => {
      warnings.push(w.replace('kafka-consumer-groups.sh', 'kafka-share-groups.sh'))
      ctx.reporter.warn(w.replace('kafka-consumer-groups.sh', 'kafka-share-groups.sh'))
    },
  })
  return withGroupAdmin(ctx, async (client, admin) => {
    const report = await describeForChange(client, admin, options.group)
    if (report.state !== 'Empty' && report.state !== 'Dead') throw notEmptyError(report, 'offset resets')
    if (report.state === 'Dead')
      ctx.reporter.info(`Share group '${options.group}' does not exist yet: --execute creates it with these offsets.`)
    const current =
      report.state === 'Dead'
        ? { offsets: [] as Admin.ShareOffset[] }
        : await admin.shareGroupOffsets(client, options.group)
    if (current.error)
      throw new KafkitError(`Cannot read the offsets of share group '${options.group}': ${current.error.message}`, {
        code: current.error.type,
      })
    const startOffsets = new Map<string, number>()
    for (const o of current.offsets) if (o.startOffset !== null) startOffsets.set(key(o), o.startOffset)

    // The partitions in the order the script inserts them into its HashMap (it prints in that map's order).
    let partitions: TopicPartition[]
    if (mode.kind === 'file') {
      partitions = mode.rows
        .filter((r) => r.group === options.group)
        .map((r) => ({ topic: r.topic, partition: r.partition }))
      resolveScopes(
        [...new Set(partitions.map((p) => p.topic))].map((topic) => ({
          topic,
          partitions: partitions.filter((p) => p.topic === topic).map((p) => p.partition),
        })),
        await admin.topicPartitions(client, [...new Set(partitions.map((p) => p.topic))]),
      )
    } else if (options.allTopics) {
      partitions = current.offsets.map((o) => ({ topic: o.topic, partition: o.partition }))
    } else {
      const layout = await admin.topicPartitions(client, [...new Set(scopes.map((s) => s.topic))])
      resolveScopes(scopes, layout) // unknown topics and partitions are refused before anything else
      const specified = scopes.flatMap((s) => (s.partitions ?? []).map((partition) => ({ topic: s.topic, partition })))
      const whole = javaHashMapOrder(
        [...new Set(scopes.filter((s) => !s.partitions).map((s) => s.topic))],
        javaStringHash,
      ).flatMap((topic) => (layout.get(topic) ?? []).map((partition) => ({ topic, partition })))
      partitions = [...specified, ...whole]
    }
    const seen = new Set<string>()
    partitions = partitions.filter((tp) => !seen.has(key(tp)) && seen.add(key(tp)))
    // --to-current: partitions with a start offset first, then the others at their log end (resetToCurrentForShareGroup).
    if (mode.kind === 'current')
      partitions = [
        ...partitions.filter((tp) => startOffsets.has(key(tp))),
        ...partitions.filter((tp) => !startOffsets.has(key(tp))),
      ]

    const [starts, ends] = await Promise.all([
      admin.partitionOffsets(client, partitions, admin.EARLIEST),
      admin.partitionOffsets(client, partitions, admin.LATEST),
    ])
    const logOffsets = new Map(
      partitions.map((tp) => [key(tp), { start: starts.get(key(tp)) ?? 0, end: ends.get(key(tp)) ?? 0 }]),
    )
    const timestampOffsets =
      mode.kind === 'timestamp' ? await admin.partitionOffsets(client, partitions, mode.timestamp) : undefined
    const plan = planReset({
      group: options.group,
      partitions,
      mode,
      committed: startOffsets,
      logOffsets,
      ...(timestampOffsets ? { timestampOffsets } : {}),
    })
    const planWarnings = plan.warnings.filter((w) => !w.startsWith('Partition '))
    for (const w of planWarnings) ctx.reporter.warn(w)
    const byKey = new Map(plan.rows.map((r) => [key(r), r]))
    const ordered = javaHashMapOrder(partitions, (tp) => topicPartitionHash(tp.topic, tp.partition))
    const rows: ShareResetRow[] = ordered.map((tp) => {
      const r = byKey.get(key(tp))!
      return {
        topic: r.topic,
        partition: r.partition,
        newOffset: r.newOffset,
        currentOffset: r.currentOffset,
        ...(r.requestedOffset !== undefined ? { requestedOffset: r.requestedOffset } : {}),
      }
    })
    const emptyPartitions =
      timestampOffsets === undefined
        ? []
        : javaHashMapOrder(
            partitions.filter((tp) => timestampOffsets.get(key(tp)) === null),
            (tp) => topicPartitionHash(tp.topic, tp.partition),
          )
    const result: ShareResetResult = {
      dryRun: !options.execute,
      mode: describeMode(mode),
      group: options.group,
      state: report.state,
      rows,
      emptyPartitions,
      warnings: [...warnings, ...planWarnings],
    }
    if (!options.execute || rows.length === 0) return result
    if (
      hooks.confirm &&
      !(await hooks.confirm(
        `Reset ${rows.length} start offset${rows.length === 1 ? '' : 's'} of share group '${options.group}'?`,
        { ...result, dryRun: true },
      ))
    )
      throw cancelled()

    const location = shareBackupLocation(ctx.connection, ctx.stack)
    result.backupFile = writeBackup(location, {
      kind: 'kafkit-offset-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      group: options.group,
      clusterId: client.clusterId ?? '',
      bootstrap: client.settings.servers.join(','),
      reason: `share-groups --reset-offsets ${result.mode}`,
      offsets: sortTps(rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.currentOffset }))),
      applied: sortTps(rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.newOffset }))),
    })
    await alterOrFail(
      client,
      admin,
      options.group,
      rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.newOffset })),
    )
    return result
  })
}

async function alterOrFail(
  client: KafkaClient,
  admin: typeof Admin,
  group: string,
  offsets: Array<TopicPartition & { offset: number }>,
): Promise<void> {
  const answer = await admin.alterShareGroupOffsets(client, group, offsets)
  const failures = [
    ...(answer.error ? [answer.error.message] : []),
    ...answer.partitions.filter((p) => p.error).map((p) => `${p.topic}-${p.partition}: ${p.error!.message}`),
  ]
  if (failures.length > 0)
    throw new KafkitError(`Kafka refused to set the start offsets of share group '${group}': ${failures.join('; ')}`, {
      code: answer.error?.type ?? 'ALTER_FAILED',
    })
}

// ---------------------------------------------------------------- undo

export interface ShareUndoResult {
  dryRun: boolean
  group: string
  backupFile: string
  backupCreatedAt: string
  reason: string
  rows: Array<{ topic: string; partition: number; currentOffset: number | null; restoreOffset: number | null }>
  changedSince: string[]
  /** Topics whose share state undo removes (the reset created it: no partition of the topic had state before). */
  deletedTopics: string[]
  /** Partitions that had no state before the reset, in topics where others had: DeleteShareGroupOffsets is per topic. */
  kept: string[]
}

export async function undoShareReset(
  ctx: ShareGroupsContext,
  options: { group?: string; execute: boolean },
  hooks: ShareHooks = {},
): Promise<ShareUndoResult> {
  const stored = latestBackup(shareBackupLocation(ctx.connection, ctx.stack), options.group)
  const { backup } = stored
  return withGroupAdmin(ctx, async (client, admin) => {
    if (backup.clusterId && client.clusterId && backup.clusterId !== client.clusterId)
      throw new KafkitError(
        `The backup ${stored.path} was taken on cluster ${backup.clusterId}, but ${client.settings.servers.join(',')} is cluster ${client.clusterId}.`,
        { code: 'WRONG_CLUSTER' },
      )
    const report = await describeForChange(client, admin, backup.group)
    if (report.state !== 'Empty' && report.state !== 'Dead') throw notEmptyError(report, 'undoing a reset')
    const current =
      report.state === 'Dead'
        ? { offsets: [] as Admin.ShareOffset[] }
        : await admin.shareGroupOffsets(client, backup.group)
    const now = new Map<string, number>()
    for (const o of current.offsets) if (o.startOffset !== null) now.set(key(o), o.startOffset)
    const rows = sortTps(
      backup.offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        currentOffset: now.get(key(o)) ?? null,
        restoreOffset: o.offset,
      })),
    )
    const changedSince = backup.applied
      .filter((a) => (now.get(key(a)) ?? null) !== a.offset)
      .map((a) => `${a.topic}-${a.partition}`)
    if (changedSince.length > 0)
      ctx.reporter.warn(
        `Offsets of ${changedSince.join(', ')} changed since the reset of ${backup.createdAt}; undo sets them back to before that reset anyway.`,
      )
    const topics = [...new Set(rows.map((r) => r.topic))]
    const deletedTopics = topics.filter((t) => rows.filter((r) => r.topic === t).every((r) => r.restoreOffset === null))
    const kept = rows
      .filter((r) => r.restoreOffset === null && !deletedTopics.includes(r.topic))
      .map((r) => `${r.topic}-${r.partition}`)
    if (kept.length > 0)
      ctx.reporter.warn(
        `${kept.join(', ')} had no share state before the reset; share state can only be removed per topic, so they keep the reset's offsets.`,
      )
    const result: ShareUndoResult = {
      dryRun: !options.execute,
      group: backup.group,
      backupFile: stored.path,
      backupCreatedAt: backup.createdAt,
      reason: backup.reason,
      rows,
      changedSince,
      deletedTopics,
      kept,
    }
    ctx.reporter.warn(
      'Undo restores start offsets only: the reset cleared the states of the records after them, so records acknowledged before the reset will be delivered again.',
    )
    if (!options.execute) return result
    if (
      hooks.confirm &&
      !(await hooks.confirm(`Restore the start offsets of '${backup.group}' from ${backup.createdAt}?`, {
        ...result,
        dryRun: true,
      }))
    )
      throw cancelled()
    const restore = rows
      .filter((r) => r.restoreOffset !== null)
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.restoreOffset! }))
    if (restore.length > 0) await alterOrFail(client, admin, backup.group, restore)
    if (deletedTopics.length > 0) {
      const answer = await admin.deleteShareGroupOffsets(client, backup.group, deletedTopics)
      const failed = [
        ...(answer.error ? [answer.error.message] : []),
        ...answer.topics.filter((t) => t.error).map((t) => `${t.topic}: ${t.error!.message}`),
      ]
      if (failed.length > 0)
        throw new KafkitError(
          `Restored the start offsets, but removing the state the reset created failed: ${failed.join('; ')}`,
          {
            code: 'UNDO_PARTIAL',
          },
        )
    }
    markUndone(stored)
    return result
  })
}

// ---------------------------------------------------------------- delete-offsets

export interface ShareDeleteOffsetsResult {
  group: string
  ok: boolean
  /** Per topic as asked; error is Kafka's message. */
  topics: Array<{ topic: string; error?: string }>
}

export async function deleteShareOffsets(
  ctx: ShareGroupsContext,
  options: { group: string; topics: string[] },
): Promise<ShareDeleteOffsetsResult> {
  const topics = [...new Set(options.topics)]
  return withGroupAdmin(ctx, async (client, admin) => {
    const answer = await admin.deleteShareGroupOffsets(client, options.group, topics)
    if (answer.error?.code === 69) throw await missingGroupError(client, admin, options.group, 'share')
    if (answer.error?.code === 68)
      throw notEmptyError(await describeOne(client, admin, options.group), 'deleting offsets')
    const byTopic = new Map(answer.topics.map((t) => [t.topic, t.error]))
    const result = topics.map((topic) => {
      const error = answer.error ?? byTopic.get(topic)
      return { topic, ...(error ? { error: error.message } : {}) }
    })
    return { group: options.group, ok: result.every((t) => !t.error), topics: result }
  })
}

// ---------------------------------------------------------------- delete

export interface ShareDeleteResult {
  groups: Array<{ group: string; deleted: boolean; error?: string; code?: string }>
}

export async function deleteShareGroups(
  ctx: ShareGroupsContext,
  options: { groups: string[]; allGroups?: boolean },
): Promise<ShareDeleteResult> {
  return withGroupAdmin(ctx, async (client, admin) => {
    const shareGroups = await admin.listGroups(client, { types: ['Share'] })
    const ids = options.allGroups ? shareGroups.map((g) => g.group) : [...new Set(options.groups)]
    const results: ShareDeleteResult['groups'] = []
    for (const group of ids) {
      const listed = shareGroups.find((g) => g.group === group)
      if (!listed) {
        const e = await missingGroupError(client, admin, group, 'share')
        results.push({ group, deleted: false, error: e.message, code: e.code })
        continue
      }
      if (listed.state !== 'Empty') {
        const report = await describeOne(client, admin, group)
        const members = report.members.map((m) => m.memberId)
        results.push({
          group,
          deleted: false,
          code: 'GROUP_NOT_EMPTY',
          error: `Share group '${group}' is not empty: it has ${members.length} active member${members.length === 1 ? '' : 's'}${members.length ? ` (${members.join(', ')})` : ''}.`,
        })
        continue
      }
      const error = await admin.deleteGroup(client, group)
      results.push(error ? { group, deleted: false, error: error.message, code: error.type } : { group, deleted: true })
    }
    return { groups: results }
  })
}
