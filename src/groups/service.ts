/**
 * What `kafkit consumer-groups`, `kafkit groups` and `kafkit lag` do, one function per action. Each opens one
 * connection (kafkit's own client through src/cluster/groups.ts, imported lazily; no kafkajs), gathers what the pure
 * modules need, and returns a typed result that is both the --json output and what the views render. Interaction
 * (picking a group, confirming) comes in as hooks so these functions never read a terminal themselves.
 */
import { readFileSync } from 'node:fs'
import type { GroupsClient } from '../cluster/groups.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError, UsageError } from '../errors.js'
import { sleep } from '../util/sleep.js'
import { javaHashMapOrder, javaStringHash } from '../output/java-format.js'
import type { Reporter } from '../output/reporter.js'
import { backupLocation, latestBackup, markUndone, writeBackup, type BackupLocation } from './backup.js'
import { parseCsv } from './csv.js'
import { lagByTopic, offsetRows, stateNotice, totalLag, type OffsetRow, type TopicLag } from './lag.js'
import {
  describeMode,
  modeFromFlags,
  parseTopicScopes,
  planReset,
  resolveScopes,
  sortTps,
  type ResetMode,
  type ResetModeFlags,
  type ResetRow,
  type TopicScope,
} from './reset.js'
import { parseDateTime, parseIsoDuration } from './time.js'
import {
  GROUP_STATES,
  INACTIVE_STATES,
  GROUP_TYPES,
  groupTypeLabel,
  type GroupListing,
  type GroupType,
  type Coordinator,
  type GroupDescription,
  type GroupMember,
  type TopicPartition,
  tpKey,
} from '../model/groups.js'
import { lagFrame, missingGroups, trimHistory, type LagFrame, type Sample } from './watch.js'

export interface GroupsContext {
  connection: ConnectionSettings
  /** The --stack flag, to find where offset backups go when --bootstrap-server names a local stack. */
  stack?: string
  reporter: Reporter
  /** --timeout (ms), Kafka's tool's request timeout. */
  requestTimeoutMs?: number
  debug?: boolean
}

export interface Hooks {
  /** Offered when no --group is given; absent when there is no terminal. */
  pickGroup?: (groups: string[], purpose: string) => Promise<string>
  /**
   * Asked before an --execute changes offsets; absent means yes (no terminal, or --yes). Shows `plan` (what would
   * change, as a dry run's result) first, then asks; never the other way round.
   */
  confirm?: (question: string, plan: ResetResult | UndoResult) => Promise<boolean>
}

async function withClient<T>(ctx: GroupsContext, fn: (client: GroupsClient) => Promise<T>): Promise<T> {
  const { GroupsClient } = await import('../cluster/groups.js')
  const client = await GroupsClient.connect(ctx.connection, {
    ...(ctx.debug ? { reporter: ctx.reporter } : {}),
    ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
  })
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

/** --group values, --all-groups, or a pick from the list on a terminal; never an empty selection. */
async function selectGroups(
  client: GroupsClient,
  options: { groups: string[]; allGroups?: boolean },
  hooks: Hooks,
  purpose: string,
): Promise<string[]> {
  if (options.groups.length > 0 && options.allGroups)
    throw new UsageError('Use either --group or --all-groups, not both.', { code: 'CONFLICTING_FLAGS' })
  if (options.groups.length > 0) return [...new Set(options.groups)]
  const all = (await client.listGroups()).map((g) => g.group)
  if (options.allGroups) return all
  if (!hooks.pickGroup) {
    throw new UsageError(
      `No --group given and no terminal to pick one from: pass --group <group>${purpose === 'delete-offsets' ? '' : ' (or --all-groups)'}.`,
      {
        code: 'GROUP_REQUIRED',
        suggestions: ['List the groups with: kafkit consumer-groups --list'],
      },
    )
  }
  if (all.length === 0) throw new KafkitError('There are no consumer groups to pick from.', { code: 'NO_GROUPS' })
  return [await hooks.pickGroup(all, purpose)]
}

// ---------------------------------------------------------------- list

export interface ListResult {
  /** States are included when --state was given (with or without a filter). */
  withState: boolean
  /** Types (Classic, Consumer) are included when --type was given (with or without a filter). */
  withType?: boolean
  groups: Array<{ group: string; state?: string; type?: string }>
}

/** `--state stable,empty` → Kafka's state names; case-insensitive like the script. */
export function parseStates(value: string): string[] {
  const states = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return states.map((s) => {
    const found = GROUP_STATES.find((known) => known.toLowerCase() === s.toLowerCase())
    if (!found)
      throw new UsageError(`Invalid state list '${value}'. Valid states are: ${GROUP_STATES.join(', ')}.`, {
        code: 'BAD_STATE',
      })
    return found
  })
}

/** The types kafka-consumer-groups.sh's --type takes (share and streams groups are other tools' business). */
const CONSUMER_GROUP_TYPES = ['consumer', 'classic'] as const

/** `--type consumer,classic` → group types; case-insensitive like the script. */
export function parseTypes(value: string): GroupType[] {
  const types = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
  for (const t of types) {
    if (!(CONSUMER_GROUP_TYPES as readonly string[]).includes(t))
      throw new UsageError(
        `Invalid types list '${value}'. Valid types are: ${CONSUMER_GROUP_TYPES.map(groupTypeLabel).join(', ')}.`,
        { code: 'BAD_TYPE' },
      )
  }
  return types as GroupType[]
}

export async function listGroups(ctx: GroupsContext, options: { state?: string; type?: string }): Promise<ListResult> {
  const stateFilter = options.state ? parseStates(options.state) : []
  const typeFilter = options.type ? parseTypes(options.type) : []
  return withClient(ctx, async (client) => {
    const listed = (await client.listGroups()).filter((g) => typeFilter.length === 0 || typeFilter.includes(g.type))
    const withState = options.state !== undefined
    const withType = options.type !== undefined
    if (!withState && !withType) return { withState: false, groups: listed.map((g) => ({ group: g.group })) }
    // ListGroups says the state from v4 on; before, DescribeGroups does.
    const states = new Map(listed.map((g) => [g.group, g.state]))
    const unknown = withState ? listed.filter((g) => !g.state).map((g) => g.group) : []
    for (const d of await client.describeGroups(unknown)) states.set(d.group, d.state)
    const groups = listed
      .filter((g) => stateFilter.length === 0 || stateFilter.includes(states.get(g.group)!))
      .map((g) => ({
        group: g.group,
        ...(withType ? { type: groupTypeLabel(g.type) } : {}),
        ...(withState ? { state: states.get(g.group)! } : {}),
      }))
    return { withState, ...(withType ? { withType } : {}), groups }
  })
}

// ---------------------------------------------------------------- kafka-groups --list

/** `kafkit groups` (kafka-groups.sh): groups of every type, filtered as the script filters them. */
export interface GroupsFilter {
  /** --group-type: one of GROUP_TYPES, any case. */
  groupType?: string
  /** --protocol: the protocol type exactly (`consumer` for classic consumer groups and KIP-848 ones). */
  protocol?: string
  consumer?: boolean
  share?: boolean
  streams?: boolean
}

export interface AllGroupsResult {
  groups: Array<{ group: string; type: string; protocol: string; state: string }>
}

/** The script's rules: --consumer, --share and --streams exclude each other and --group-type and --protocol. */
export function checkGroupsFilter(filter: GroupsFilter): GroupType | undefined {
  const kinds = (['consumer', 'share', 'streams'] as const).filter((k) => filter[k])
  const others = [
    ...kinds.slice(1),
    ...(filter.groupType !== undefined ? ['group-type'] : []),
    ...(filter.protocol !== undefined ? ['protocol'] : []),
  ]
  if (kinds.length > 0 && others.length > 0)
    throw new UsageError(`Option "[${kinds[0]}]" can't be used with option "[${others[0]}]"`, {
      code: 'CONFLICTING_FLAGS',
    })
  if (filter.groupType === undefined) return undefined
  const type = filter.groupType.toLowerCase()
  if (!(GROUP_TYPES as readonly string[]).includes(type))
    throw new UsageError('--group-type must be a valid group type.', {
      code: 'BAD_TYPE',
      suggestions: [`Valid types are: ${GROUP_TYPES.map((t) => `'${t}'`).join(', ')}.`],
    })
  return type as GroupType
}

export function matchesGroupsFilter(g: GroupListing, filter: GroupsFilter, type: GroupType | undefined): boolean {
  if (type !== undefined && g.type !== type) return false
  if (filter.protocol !== undefined && g.protocolType !== filter.protocol) return false
  if (filter.consumer) {
    const consumerProtocol = g.protocolType === 'consumer' || g.protocolType === ''
    if (!(g.type === 'consumer' || (g.type === 'classic' && consumerProtocol))) return false
  }
  if (filter.share && g.type !== 'share') return false
  if (filter.streams && g.type !== 'streams') return false
  return true
}

export async function listAllGroups(ctx: GroupsContext, filter: GroupsFilter): Promise<AllGroupsResult> {
  const type = checkGroupsFilter(filter)
  return withClient(ctx, async (client) => ({
    // In the script's order, which is not the brokers': Kafka's Admin.listGroups() gathers the answers in a
    // HashMap<String, GroupListing> by group id (KafkaAdminClient.ListGroupsResults) and GroupsCommand prints its
    // values() as they come, so whatever order the brokers answer in, the tool prints the map's hash order.
    groups: javaHashMapOrder(await client.listAllGroups(), (g) => javaStringHash(g.group))
      .filter((g) => matchesGroupsFilter(g, filter, type))
      .map((g) => ({
        group: g.group,
        type: g.type === 'unknown' ? '' : groupTypeLabel(g.type),
        protocol: g.protocolType,
        state: g.state,
      })),
  }))
}

// ---------------------------------------------------------------- describe

export type DescribeView = 'offsets' | 'members' | 'state'

interface MemberReport extends GroupMember {
  partitions: number
}

export interface GroupReport {
  group: string
  state: string
  exists: boolean
  /** `consumer` for a KIP-848 group, else `classic`. */
  type: 'classic' | 'consumer'
  protocolType: string
  assignmentStrategy: string
  /** Consumer-protocol groups only. */
  groupEpoch?: number
  assignmentEpoch?: number
  /** A group that exists but is of another type (share, streams): Kafka's words. */
  error?: string
  coordinator?: Coordinator
  members: MemberReport[]
  /** offsets view only */
  partitions?: OffsetRow[]
  totalLag?: number
  topics?: TopicLag[]
}

export interface DescribeResult {
  view: DescribeView
  verbose: boolean
  groups: GroupReport[]
}

export async function describeGroups(
  ctx: GroupsContext,
  options: { groups: string[]; allGroups?: boolean; view: DescribeView; verbose?: boolean },
  hooks: Hooks = {},
): Promise<DescribeResult> {
  return withClient(ctx, async (client) => {
    const groups = await selectGroups(client, options, hooks, 'describe')
    const descriptions = await client.describeGroups(groups)
    const reports: GroupReport[] = []
    for (const d of descriptions.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))) {
      const report: GroupReport = {
        group: d.group,
        state: d.state,
        exists: d.state !== 'Dead',
        type: d.type,
        protocolType: d.protocolType,
        assignmentStrategy: d.assignmentStrategy,
        ...(d.groupEpoch !== undefined ? { groupEpoch: d.groupEpoch } : {}),
        ...(d.assignmentEpoch !== undefined ? { assignmentEpoch: d.assignmentEpoch } : {}),
        ...(d.notConsumerGroup ? { error: d.notConsumerGroup } : {}),
        members: d.members.map((m) => ({ ...m, partitions: m.assignment.length })),
      }
      if (options.view === 'state' && report.exists) report.coordinator = await client.coordinator(d.group)
      if (options.view === 'offsets' && report.exists) {
        const committed = await client.committedOffsets(d.group)
        const tps = partitionsOf(d, committed)
        const rows = offsetRows(d, committed, await client.logOffsets(tps))
        report.partitions = rows
        report.totalLag = totalLag(rows)
        report.topics = lagByTopic(rows)
      }
      reports.push(report)
    }
    return { view: options.view, verbose: Boolean(options.verbose), groups: reports }
  })
}

function partitionsOf(d: GroupDescription, committed: Map<string, number>): TopicPartition[] {
  const all = new Map<string, TopicPartition>()
  for (const m of d.members) for (const tp of m.assignment) all.set(tpKey(tp.topic, tp.partition), tp)
  for (const key of committed.keys()) {
    const index = key.lastIndexOf(':')
    all.set(key, { topic: key.slice(0, index), partition: Number(key.slice(index + 1)) })
  }
  return [...all.values()]
}

/** The script's notices for describe (empty, rebalancing, missing), for the command to print on stderr. */
export function describeNotices(
  result: DescribeResult,
): Array<{ level: 'error' | 'notice' | 'warning'; message: string }> {
  return result.groups
    .map((g) =>
      g.error
        ? { level: 'error' as const, message: `${g.error} (see its type with: kafkit groups --list)` }
        : stateNotice(g.group, g.state),
    )
    .filter((n): n is NonNullable<typeof n> => n !== null)
}

// ---------------------------------------------------------------- reset

interface ResetOptions {
  groups: string[]
  allGroups?: boolean
  topics: string[]
  allTopics?: boolean
  modeFlags: ResetModeInput
  execute: boolean
}

/** The reset flags as given; parsed here so bad values fail before connecting. */
type ResetModeInput = ResetModeFlags

interface GroupResetReport {
  group: string
  state: string
  rows: ResetRow[]
  /** Written before --execute changed anything. */
  backupFile?: string
}

export interface ResetResult {
  dryRun: boolean
  mode: string
  groups: GroupResetReport[]
  warnings: string[]
  backupDir?: string
}

function buildResetMode(
  flags: ResetModeInput,
  groups: string[],
  now = Date.now(),
  warn?: (message: string) => void,
): ResetMode {
  return modeFromFlags(flags, groups, {
    readFile: (path) => readFileSync(path, 'utf8'),
    now: () => now,
    parseCsv,
    parseDateTime,
    parseIsoDuration,
    ...(warn ? { warn } : {}),
  })
}

/** The refusal the script gives for a group with members, naming them. */
export function activeGroupError(descriptions: GroupDescription[], action: string): KafkitError | undefined {
  const active = descriptions.filter((d) => !INACTIVE_STATES.has(d.state))
  if (active.length === 0) return undefined
  const details = active.flatMap((d) => [
    `Group '${d.group}' is ${d.state} with ${d.members.length} member${d.members.length === 1 ? '' : 's'}:`,
    ...d.members.map((m) => `  ${m.memberId} (client ${m.clientId}, host ${m.host})`),
  ])
  const first = active[0]!
  return new KafkitError(
    `Assignments can only be ${action} if the group '${first.group}' is inactive, but the current state is ${first.state}.`,
    {
      code: 'GROUP_ACTIVE',
      details,
      suggestions: ['Stop the consumers of the group first (offsets can only be changed while the group is empty).'],
    },
  )
}

export async function resetOffsets(ctx: GroupsContext, options: ResetOptions, hooks: Hooks = {}): Promise<ResetResult> {
  if (options.topics.length > 0 && options.allTopics)
    throw new UsageError('Use either --topic or --all-topics, not both.', { code: 'CONFLICTING_FLAGS' })
  const fromFile = options.modeFlags['from-file'] !== undefined
  if (!fromFile && options.topics.length === 0 && !options.allTopics) {
    throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.', {
      code: 'SCOPE_REQUIRED',
      suggestions: [
        'Example: --topic orders (every partition), --topic orders:0,2, or --all-topics (every topic the group has committed).',
      ],
    })
  }
  const scopes = parseTopicScopes(options.topics)
  // Parse the mode before connecting (a bad --to-datetime or --from-file fails fast, before anything can change); file
  // plans need the group list, checked again below. Remarks on the input are shown now and kept for --json.
  const warnings: string[] = []
  const earlyMode = buildResetMode(
    options.modeFlags,
    options.groups.length > 0 ? options.groups : ['?'],
    Date.now(),
    (w) => {
      warnings.push(w)
      ctx.reporter.warn(w)
    },
  )
  return withClient(ctx, async (client) => {
    const groups = await selectGroups(client, options, hooks, 'reset-offsets')
    const mode = earlyMode.kind === 'file' ? buildResetMode(options.modeFlags, groups) : earlyMode
    const descriptions = await client.describeGroups(groups)
    const refused = activeGroupError(descriptions, 'reset')
    if (refused) throw refused
    for (const d of descriptions)
      if (d.state === 'Dead')
        ctx.reporter.info(`Group '${d.group}' does not exist yet: --execute creates it with these offsets.`)

    const scopeTopics = mode.kind === 'file' ? [...new Set(mode.rows.map((r) => r.topic))] : scopes.map((s) => s.topic)
    const topicMap = await client.topicPartitions(scopeTopics.length > 0 ? scopeTopics : undefined)
    const scopedTps =
      mode.kind === 'file'
        ? resolveScopes(groupFileScopes(mode), topicMap)
        : options.allTopics
          ? undefined
          : resolveScopes(scopes, topicMap)

    const planWarnings: string[] = []
    const reports: GroupResetReport[] = []
    for (const d of descriptions) {
      const committed = await client.committedOffsets(d.group)
      const partitions =
        scopedTps ??
        sortTps(
          [...committed.keys()].map((key) => {
            const index = key.lastIndexOf(':')
            return { topic: key.slice(0, index), partition: Number(key.slice(index + 1)) }
          }),
        )
      const planTps = mode.kind === 'file' ? mode.rows.filter((r) => r.group === d.group) : partitions
      const logOffsets = await client.logOffsets(planTps)
      const timestampOffsets =
        mode.kind === 'timestamp' ? await client.offsetsForTimes(partitions, mode.timestamp) : undefined
      const plan = planReset({
        group: d.group,
        partitions,
        mode,
        committed,
        logOffsets,
        ...(timestampOffsets ? { timestampOffsets } : {}),
      })
      planWarnings.push(...plan.warnings)
      reports.push({ group: d.group, state: d.state, rows: plan.rows })
    }
    for (const w of planWarnings) ctx.reporter.warn(w)
    const result: ResetResult = {
      dryRun: !options.execute,
      mode: describeMode(mode),
      groups: reports,
      warnings: [...warnings, ...planWarnings],
    }
    if (!options.execute) return result

    const changes = reports.reduce((n, r) => n + r.rows.length, 0)
    if (changes === 0) return result
    if (
      hooks.confirm &&
      !(await hooks.confirm(
        `Reset ${changes} partition offset${changes === 1 ? '' : 's'} of ${reports
          .filter((r) => r.rows.length)
          .map((r) => `'${r.group}'`)
          .join(', ')}?`,
        { ...result, dryRun: true },
      ))
    ) {
      throw new KafkitError('Cancelled: no offsets were changed.', { code: 'CANCELLED' })
    }
    const location = backupLocation(ctx.connection, ctx.stack)
    const clusterId = await client.clusterId()
    result.backupDir = location.dir
    for (const report of reports) {
      if (report.rows.length === 0) continue
      report.backupFile = writeBackup(location, {
        kind: 'kafkit-offset-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        group: report.group,
        clusterId,
        bootstrap: client.servers.join(','),
        reason: `reset-offsets ${result.mode}`,
        offsets: report.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.currentOffset })),
        applied: report.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.newOffset })),
      })
      await client.commitOffsets(
        report.group,
        report.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.newOffset })),
      )
    }
    return result
  })
}

function groupFileScopes(mode: Extract<ResetMode, { kind: 'file' }>): TopicScope[] {
  const byTopic = new Map<string, Set<number>>()
  for (const r of mode.rows) byTopic.set(r.topic, (byTopic.get(r.topic) ?? new Set()).add(r.partition))
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }))
}

// ---------------------------------------------------------------- undo

interface UndoRow {
  topic: string
  partition: number
  currentOffset: number | null
  /** null: the partition had no commit before the reset, so undo deletes the commit. */
  restoreOffset: number | null
}

export interface UndoResult {
  dryRun: boolean
  group: string
  backupFile: string
  backupCreatedAt: string
  reason: string
  rows: UndoRow[]
  /** Partitions whose offsets moved since the reset (a consumer ran, or another reset). */
  changedSince: string[]
}

export async function undoReset(
  ctx: GroupsContext,
  options: { group?: string; execute: boolean },
  hooks: Hooks = {},
): Promise<UndoResult> {
  const location: BackupLocation = backupLocation(ctx.connection, ctx.stack)
  const stored = latestBackup(location, options.group)
  const { backup } = stored
  return withClient(ctx, async (client) => {
    const clusterId = await client.clusterId()
    if (backup.clusterId && backup.clusterId !== clusterId) {
      throw new KafkitError(
        `The backup ${stored.path} was taken on cluster ${backup.clusterId}, but ${client.servers.join(',')} is cluster ${clusterId}.`,
        {
          code: 'WRONG_CLUSTER',
        },
      )
    }
    const [description] = await client.describeGroups([backup.group])
    const refused = activeGroupError([description!], 'restored')
    if (refused) throw refused
    const committed = await client.committedOffsets(backup.group)
    const rows: UndoRow[] = sortTps(
      backup.offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        currentOffset: committed.get(tpKey(o.topic, o.partition)) ?? null,
        restoreOffset: o.offset,
      })),
    )
    const changedSince = backup.applied
      .filter((a) => (committed.get(tpKey(a.topic, a.partition)) ?? null) !== a.offset)
      .map((a) => `${a.topic}-${a.partition}`)
    if (changedSince.length > 0) {
      ctx.reporter.warn(
        `Offsets of ${changedSince.join(', ')} changed since the reset of ${backup.createdAt}; undo sets them back to before that reset anyway.`,
      )
    }
    const result: UndoResult = {
      dryRun: !options.execute,
      group: backup.group,
      backupFile: stored.path,
      backupCreatedAt: backup.createdAt,
      reason: backup.reason,
      rows,
      changedSince,
    }
    if (!options.execute) return result
    if (
      hooks.confirm &&
      !(await hooks.confirm(
        `Restore ${rows.length} offset${rows.length === 1 ? '' : 's'} of '${backup.group}' from ${backup.createdAt}?`,
        { ...result, dryRun: true },
      ))
    ) {
      throw new KafkitError('Cancelled: no offsets were changed.', { code: 'CANCELLED' })
    }
    const restore = rows
      .filter((r) => r.restoreOffset !== null)
      .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.restoreOffset! }))
    await client.commitOffsets(backup.group, restore)
    const uncommit = rows.filter((r) => r.restoreOffset === null && r.currentOffset !== null)
    if (uncommit.length > 0) {
      const deleted = await client.deleteOffsets(backup.group, uncommit)
      const failed = deleted.error
        ? [deleted.error.message]
        : deleted.partitions.filter((p) => !p.ok).map((p) => `${p.topic}-${p.partition}: ${p.error}`)
      if (failed.length > 0)
        throw new KafkitError(
          `Restored the commits, but removing the ones that did not exist before failed: ${failed.join('; ')}`,
          { code: 'UNDO_PARTIAL' },
        )
    }
    markUndone(stored)
    return result
  })
}

// ---------------------------------------------------------------- delete

export interface DeleteResult {
  groups: Array<{ group: string; deleted: boolean; error?: string }>
}

export async function deleteGroups(
  ctx: GroupsContext,
  options: { groups: string[]; allGroups?: boolean },
  hooks: Hooks = {},
): Promise<DeleteResult> {
  return withClient(ctx, async (client) => {
    const groups = await selectGroups(client, options, hooks, 'delete')
    const results = await client.deleteGroups(groups)
    const nonEmpty = results.filter((r) => r.errorType === 'NON_EMPTY_GROUP').map((r) => r.group)
    const described = new Map((await client.describeGroups(nonEmpty)).map((d) => [d.group, d]))
    return {
      groups: results.map((r) => {
        if (r.ok) return { group: r.group, deleted: true }
        if (r.errorType === 'GROUP_ID_NOT_FOUND')
          return { group: r.group, deleted: false, error: `Consumer group '${r.group}' does not exist.` }
        if (r.errorType === 'NON_EMPTY_GROUP') {
          const d = described.get(r.group)
          const members = d?.members.map((m) => m.memberId) ?? []
          return {
            group: r.group,
            deleted: false,
            error: `The group is not empty: it has ${members.length} active member${members.length === 1 ? '' : 's'}${members.length ? ` (${members.join(', ')})` : ''}.`,
          }
        }
        return { group: r.group, deleted: false, error: r.error ?? 'unknown error' }
      }),
    }
  })
}

// ---------------------------------------------------------------- delete-offsets

export interface DeleteOffsetsResult {
  group: string
  ok: boolean
  error?: string
  partitions: Array<{ topic: string; partition: number; ok: boolean; error?: string }>
}

export async function deleteOffsets(
  ctx: GroupsContext,
  options: { groups: string[]; topics: string[] },
  hooks: Hooks = {},
): Promise<DeleteOffsetsResult> {
  if (options.groups.length > 1)
    throw new UsageError('--delete-offsets supports one consumer group at a time.', { code: 'ONE_GROUP' })
  if (options.topics.length === 0)
    throw new UsageError('--delete-offsets needs --topic (topic, or topic:0,1 for some partitions).', {
      code: 'SCOPE_REQUIRED',
    })
  const scopes = parseTopicScopes(options.topics)
  return withClient(ctx, async (client) => {
    const [group] = await selectGroups(client, options, hooks, 'delete-offsets')
    // Explicit partitions are taken as given (the offsets of a deleted topic can still be removed), plain names must exist.
    const topicMap = await client.topicPartitions(scopes.filter((s) => !s.partitions).map((s) => s.topic))
    const tps: TopicPartition[] = []
    for (const s of scopes) {
      if (s.partitions) tps.push(...s.partitions.map((partition) => ({ topic: s.topic, partition })))
      else tps.push(...resolveScopes([s], topicMap))
    }
    const answer = await client.deleteOffsets(group!, sortTps(tps))
    const partitions = answer.partitions.length > 0 || answer.error ? sortTps(answer.partitions) : []
    const error = answer.error
      ? answer.error.type === 'GROUP_ID_NOT_FOUND'
        ? `Consumer group '${group}' does not exist.`
        : answer.error.type === 'NON_EMPTY_GROUP'
          ? `${answer.error.message}.`
          : answer.error.message
      : partitions.some((p) => !p.ok)
        ? 'Encountered some partition-level error, see the details.'
        : undefined
    return { group: group!, ok: !error, ...(error ? { error } : {}), partitions }
  })
}

// ---------------------------------------------------------------- watch

interface WatchOptions {
  groups: string[]
  allGroups?: boolean
  intervalMs: number
  /** Stop after this many frames (scripts and tests); run until aborted otherwise. */
  count?: number
  signal: AbortSignal
}

export async function watchLag(
  ctx: GroupsContext,
  options: WatchOptions,
  onFrame: (frame: LagFrame) => void,
  hooks: Hooks = {},
): Promise<{ frames: number }> {
  const { GroupsClient } = await import('../cluster/groups.js')
  const open = () =>
    GroupsClient.connect(ctx.connection, {
      ...(ctx.debug ? { reporter: ctx.reporter } : {}),
      ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
    })
  // The first connection fails fast (a wrong address is an error); later losses are waited out.
  let client: GroupsClient | undefined = await open()
  let lostAt: number | undefined
  try {
    // Without --group: every group, re-listed each time so new groups show up.
    const fixed =
      options.groups.length > 0 || !hooks.pickGroup || options.allGroups
        ? undefined
        : await selectGroups(client, options, hooks, 'watch')
    const windowMs = Math.max(options.intervalMs * 5, 10_000)
    let history: Sample[] = []
    let frames = 0
    while (!options.signal.aborted) {
      const started = Date.now()
      let sample: Sample
      try {
        // kafkajs's nested retries can hold a request for minutes while Kafka is away; a tick gets a bounded time.
        sample = await withDeadline(SAMPLE_DEADLINE_MS, async () => {
          client ??= await open()
          const groups =
            fixed ??
            (options.groups.length > 0 ? [...new Set(options.groups)] : (await client.listGroups()).map((g) => g.group))
          return takeSample(client, groups)
        })
      } catch (error) {
        if (options.signal.aborted) break
        if (error instanceof KafkitError && !isConnectionLoss(error)) throw error
        // Kafka went away (a broker restart): say so once on stderr, reconnect on every tick until it is back.
        if (lostAt === undefined)
          ctx.reporter.warn(`Lost the connection to Kafka (${(error as Error).message.split('\n')[0]}); reconnecting…`)
        lostAt ??= Date.now()
        await client?.close().catch(() => {})
        client = undefined
        await sleep(Math.min(options.intervalMs, RECONNECT_INTERVAL_MS), { signal: options.signal })
        continue
      }
      // A group asked for by name that does not exist is an error at once (as --describe), not a frame of Dead forever.
      const missing = frames === 0 ? missingGroups(sample, options.groups) : []
      if (missing.length > 0) {
        throw new KafkitError(missing.map((g) => `Consumer group '${g}' does not exist.`).join(' '), {
          code: 'GROUP_NOT_FOUND',
          suggestions: ['kafkit consumer-groups --list'],
        })
      }
      if (lostAt !== undefined)
        ctx.reporter.info(`Reconnected to Kafka after ${((Date.now() - lostAt) / 1000).toFixed(1)} s.`)
      lostAt = undefined
      if (options.signal.aborted) break
      history = trimHistory([...history, sample], windowMs)
      onFrame(lagFrame(history, windowMs))
      frames++
      if (options.count !== undefined && frames >= options.count) break
      await sleep(Math.max(0, options.intervalMs - (Date.now() - started)), { signal: options.signal })
    }
    return { frames }
  } finally {
    await client?.close().catch(() => {})
  }
}

/** How often a watch whose connection was lost tries again. */
const RECONNECT_INTERVAL_MS = 1000
/** The longest one watch tick may wait for Kafka before the connection counts as lost. */
const SAMPLE_DEADLINE_MS = 8000

function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const work = fn()
  work.catch(() => {}) // abandoned after the deadline: its late failure is not news
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KafkitError(`no answer from Kafka within ${ms / 1000} s`, { code: 'UNREACHABLE' })),
      ms,
    )
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

/** Errors that mean "Kafka is not there right now", as opposed to a wrong group or a refused request. */
function isConnectionLoss(error: KafkitError): boolean {
  return (
    error.code === 'UNREACHABLE' ||
    /connect|connection|timed out|ECONNREFUSED|ECONNRESET|coordinator/i.test(error.message)
  )
}

async function takeSample(client: GroupsClient, groups: string[]): Promise<Sample> {
  const time = Date.now()
  const descriptions = await client.describeGroups(groups)
  const committedByGroup = await Promise.all(descriptions.map((d) => client.committedOffsets(d.group)))
  const all = new Map<string, TopicPartition>()
  descriptions.forEach((d, i) =>
    partitionsOf(d, committedByGroup[i]!).forEach((tp) => all.set(tpKey(tp.topic, tp.partition), tp)),
  )
  const log = await client.logOffsets([...all.values()])
  return {
    time,
    groups: descriptions.map((d, i) => {
      const committed = committedByGroup[i]!
      const partitions = new Map(
        partitionsOf(d, committed).map((tp) => {
          const key = tpKey(tp.topic, tp.partition)
          return [
            key,
            {
              topic: tp.topic,
              partition: tp.partition,
              committed: committed.get(key) ?? null,
              end: log.get(key)?.end ?? null,
              start: log.get(key)?.start ?? null,
            },
          ]
        }),
      )
      return {
        group: d.group,
        state: d.state,
        members: d.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.host })),
        partitions,
      }
    }),
  }
}
