/**
 * The group coordinator's rules, after Kafka's GroupMetadataManager and OffsetMetadataManager
 * (group-coordinator/src/main/java/org/apache/kafka/coordinator/group/): the classic protocol's state machine
 * (JoinGroup parked until every member rejoined or the rebalance timeout passed, SyncGroup parked until the leader
 * sends the assignment, session timeouts), the consumer protocol of KIP-848, and committed offsets. Handlers in
 * index.ts translate requests of every version into these calls.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { BrokerView } from '../contracts.js'
import { Reader } from '../../protocol/primitives.js'
import { ConsumerProtocolSubscriptionCodec } from '../../protocol/messages/consumer-protocol-subscription.js'
import { ClassicGroup, ClassicMember, type JoinReply, type Protocol, type SyncReply } from './classic.js'
import { ConsumerGroup, ConsumerMember, assignmentKey, type Assignment } from './consumer.js'
import { ASSIGNORS, assign, type AssignorTopic } from './assignor.js'
import { E } from './errors.js'
import { GroupStore, type CommittedOffset } from './store.js'
import { Timers } from './timers.js'

export type Group = ClassicGroup | ConsumerGroup

export interface CoordinatorSettings {
  now: () => number
  /** group.initial.rebalance.delay.ms: kafkit's stacks set 0 (templates/kraft.properties), so does this broker. */
  initialRebalanceDelayMs: number
  /** group.min.session.timeout.ms / group.max.session.timeout.ms (Kafka's defaults). */
  minSessionTimeoutMs: number
  maxSessionTimeoutMs: number
  /** group.classic.new.member.join.timeout.ms: a new member parked in JoinGroup is dropped after this. */
  newMemberJoinTimeoutMs: number
  /** group.consumer.session.timeout.ms and group.consumer.heartbeat.interval.ms (KIP-848). */
  consumerSessionTimeoutMs: number
  consumerHeartbeatIntervalMs: number
  /**
   * The interval given while a group reconciles (not Stable). Kafka keeps 5 s throughout, so a member learns of a
   * revocation, and then of the partitions freed for it, up to 5 s late each; on a local broker a rebalance should
   * take well under a second, and a group at rest still heartbeats every 5 s.
   */
  consumerReconcilingHeartbeatIntervalMs: number
  /** Timers fire on their own (unref'd setTimeout); false in tests, which call tick() after moving the clock. */
  automaticTimers: boolean
}

export const DEFAULT_SETTINGS: Omit<CoordinatorSettings, 'now'> = {
  initialRebalanceDelayMs: 0,
  minSessionTimeoutMs: 6_000,
  maxSessionTimeoutMs: 1_800_000,
  newMemberJoinTimeoutMs: 300_000,
  consumerSessionTimeoutMs: 45_000,
  consumerHeartbeatIntervalMs: 5_000,
  consumerReconcilingHeartbeatIntervalMs: 500,
  automaticTimers: true,
}

/** Kafka's OffsetConfig.maxMetadataSize (offset.metadata.max.bytes). */
const MAX_METADATA_SIZE = 4096

export interface JoinParams {
  groupId: string
  memberId: string
  groupInstanceId: string | null
  protocolType: string
  protocols: Protocol[]
  sessionTimeoutMs: number
  rebalanceTimeoutMs: number
  /** JoinGroup v4+: a new dynamic member must first be given its id (MEMBER_ID_REQUIRED). */
  requireKnownMemberId: boolean
  /** JoinGroup v9+: a rejoining static leader of a stable group may skip the assignment. */
  supportsSkipAssignment: boolean
  clientId: string
  clientHost: string
}

const EMPTY = Buffer.alloc(0)

const joinError = (errorCode: number, memberId = ''): JoinReply => ({
  errorCode,
  generationId: -1,
  memberId,
  protocolName: null,
  protocolType: null,
  leader: '',
  members: [],
})

/** How Kafka prints a client address: InetAddress.toString(), "/127.0.0.1" (no host name, no port). */
export function clientHostOf(address: string): string {
  let host = address
  const colon = address.lastIndexOf(':')
  if (colon > 0) host = address.slice(0, colon)
  host = host.replace(/^\[|\]$/g, '')
  if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice(7)
  return `/${host}`
}

export class Coordinator {
  readonly groups = new Map<string, Group>()
  readonly store: GroupStore
  readonly timers: Timers

  constructor(
    readonly broker: BrokerView,
    readonly settings: CoordinatorSettings,
    dataDir: string | undefined,
  ) {
    this.store = new GroupStore(dataDir)
    this.timers = new Timers(settings.now, settings.automaticTimers)
    for (const [groupId, stored] of this.store.groups) {
      if (stored.type === 'consumer') {
        const group = new ConsumerGroup(groupId)
        group.groupEpoch = group.assignmentEpoch = stored.generation
        this.groups.set(groupId, group)
      } else {
        const group = new ClassicGroup(groupId)
        group.generationId = stored.generation
        group.protocolType = stored.protocolType === '' ? null : stored.protocolType
        this.groups.set(groupId, group)
      }
    }
    // Offsets of a group whose metadata line was never written (older files) still need a group to be listed.
    for (const groupId of this.store.offsets.keys())
      if (!this.groups.has(groupId)) this.groups.set(groupId, new ClassicGroup(groupId))
  }

  close(): void {
    this.timers.close()
    for (const group of this.groups.values()) {
      if (group.type !== 'classic') continue
      for (const m of group.members.values()) {
        group.completeJoin(m, joinError(E.COORDINATOR_NOT_AVAILABLE, m.memberId))
        group.completeSync(m, { errorCode: E.COORDINATOR_NOT_AVAILABLE, assignment: EMPTY })
      }
    }
  }

  private persist(group: Group): void {
    if (group.type === 'classic')
      this.store.saveGroup(group.groupId, {
        type: 'classic',
        protocolType: group.protocolType ?? '',
        generation: group.generationId,
      })
    else
      this.store.saveGroup(group.groupId, { type: 'consumer', protocolType: 'consumer', generation: group.groupEpoch })
  }

  private hbKey = (groupId: string, memberId: string): string => `heartbeat ${groupId} ${memberId}`
  private joinKey = (groupId: string): string => `join ${groupId}`
  private syncKey = (groupId: string): string => `sync ${groupId}`

  // ---------------------------------------------------------------- classic protocol

  join(p: JoinParams): Promise<JoinReply> | JoinReply {
    if (p.groupId === '') return joinError(E.INVALID_GROUP_ID, p.memberId)
    if (
      p.sessionTimeoutMs < this.settings.minSessionTimeoutMs ||
      p.sessionTimeoutMs > this.settings.maxSessionTimeoutMs
    )
      return joinError(E.INVALID_SESSION_TIMEOUT, p.memberId)
    let group = this.groups.get(p.groupId)
    if (group?.type === 'consumer') {
      // Kafka converts a non-empty consumer group to take classic members (KIP-848 migration); not here.
      if (group.members.size > 0) return joinError(E.INCONSISTENT_GROUP_PROTOCOL, '')
      this.groups.delete(p.groupId)
      group = undefined
    }
    const isUnknown = p.memberId === ''
    if (!group) {
      if (!isUnknown) return joinError(E.UNKNOWN_MEMBER_ID, p.memberId)
      group = new ClassicGroup(p.groupId)
      this.groups.set(p.groupId, group)
      this.persist(group)
    }
    const g = group
    return new Promise<JoinReply>((resolve) => {
      if (isUnknown) this.joinNewMember(g, p, resolve)
      else this.joinExistingMember(g, p, resolve)
    })
  }

  private joinNewMember(group: ClassicGroup, p: JoinParams, resolve: (r: JoinReply) => void): void {
    if (group.state === 'Dead') return resolve(joinError(E.COORDINATOR_NOT_AVAILABLE))
    if (!group.supportsProtocols(p.protocolType, protocolNames(p)))
      return resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL))
    const newMemberId = `${p.groupInstanceId ?? p.clientId}-${randomUUID()}`
    if (p.groupInstanceId !== null) {
      const existing = group.staticMembers.get(p.groupInstanceId)
      if (existing !== undefined) return this.replaceStaticMember(group, p, existing, newMemberId, resolve)
      return this.addMemberAndRebalance(group, p, newMemberId, resolve)
    }
    if (p.requireKnownMemberId) {
      // The member is told its id and must join again with it; until then it is pending (and expires like a member).
      group.pendingJoinMembers.add(newMemberId)
      this.timers.schedule(this.hbKey(group.groupId, newMemberId), p.sessionTimeoutMs, () =>
        this.expireHeartbeat(group.groupId, newMemberId),
      )
      return resolve(joinError(E.MEMBER_ID_REQUIRED, newMemberId))
    }
    this.addMemberAndRebalance(group, p, newMemberId, resolve)
  }

  private joinExistingMember(group: ClassicGroup, p: JoinParams, resolve: (r: JoinReply) => void): void {
    const memberId = p.memberId
    if (group.state === 'Dead') return resolve(joinError(E.COORDINATOR_NOT_AVAILABLE, memberId))
    if (!group.supportsProtocols(p.protocolType, protocolNames(p)))
      return resolve(joinError(E.INCONSISTENT_GROUP_PROTOCOL, memberId))
    if (group.pendingJoinMembers.has(memberId)) return this.addMemberAndRebalance(group, p, memberId, resolve)
    const error = group.validateMember(memberId, p.groupInstanceId)
    if (error !== E.NONE) return resolve(joinError(error, memberId))
    const member = group.members.get(memberId)!
    const current = (members: JoinReply['members']): JoinReply => ({
      errorCode: E.NONE,
      generationId: group.generationId,
      protocolName: group.protocolName,
      protocolType: group.protocolType,
      leader: group.leaderId ?? '',
      memberId,
      members,
    })
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, p, resolve)
      case 'CompletingRebalance':
        if (member.matches(p.protocols)) return resolve(current(group.isLeader(memberId) ? group.joinMembers() : []))
        return this.updateMemberAndRebalance(group, member, p, resolve)
      case 'Stable':
        // A leader's JoinGroup forces a rebalance: that is how it reacts to topic metadata changes.
        if (group.isLeader(memberId) || !member.matches(p.protocols))
          return this.updateMemberAndRebalance(group, member, p, resolve)
        return resolve(current([]))
      default:
        return resolve(joinError(E.UNKNOWN_MEMBER_ID, memberId))
    }
  }

  private addMemberAndRebalance(
    group: ClassicGroup,
    p: JoinParams,
    memberId: string,
    resolve: (r: JoinReply) => void,
  ): void {
    const member = new ClassicMember(
      memberId,
      p.groupInstanceId,
      p.clientId,
      p.clientHost,
      p.rebalanceTimeoutMs,
      p.sessionTimeoutMs,
      p.protocolType,
      p.protocols,
    )
    member.isNew = true
    if (group.state === 'PreparingRebalance' && group.previousState === 'Empty') group.newMemberAdded = true
    group.add(member, resolve)
    this.timers.schedule(this.hbKey(group.groupId, memberId), this.settings.newMemberJoinTimeoutMs, () =>
      this.expireHeartbeat(group.groupId, memberId),
    )
    this.maybePrepareRebalanceOrCompleteJoin(group)
  }

  private updateMemberAndRebalance(
    group: ClassicGroup,
    member: ClassicMember,
    p: JoinParams,
    resolve: (r: JoinReply) => void,
  ): void {
    // A second JoinGroup from the same member replaces its parked one (the client gave up on the first). The first
    // still gets an answer, since responses on its connection go out in order; one that keeps the member id.
    if (member.awaitingJoin) group.completeJoin(member, joinError(E.REBALANCE_IN_PROGRESS, member.memberId))
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, resolve)
    this.maybePrepareRebalanceOrCompleteJoin(group)
  }

  private replaceStaticMember(
    group: ClassicGroup,
    p: JoinParams,
    oldMemberId: string,
    newMemberId: string,
    resolve: (r: JoinReply) => void,
  ): void {
    this.timers.cancel(this.hbKey(group.groupId, oldMemberId))
    const member = group.replaceStaticMember(p.groupInstanceId!, oldMemberId, newMemberId)
    this.rescheduleHeartbeat(group, member)
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, resolve)
    if (group.state === 'Stable') {
      if (group.protocolName === group.selectProtocol()) {
        // Same protocol: the static member takes its place without a rebalance.
        const isLeader = group.isLeader(newMemberId)
        const skip = p.supportsSkipAssignment && isLeader
        group.completeJoin(member, {
          errorCode: E.NONE,
          generationId: group.generationId,
          protocolName: group.protocolName,
          protocolType: group.protocolType,
          leader: group.leaderId ?? '',
          skipAssignment: skip,
          memberId: newMemberId,
          members: skip ? group.joinMembers() : [],
        })
        return
      }
      return this.maybePrepareRebalanceOrCompleteJoin(group)
    }
    if (group.state === 'CompletingRebalance') return this.prepareRebalance(group)
    this.maybeCompleteJoinPhase(group)
  }

  private maybePrepareRebalanceOrCompleteJoin(group: ClassicGroup): void {
    if (group.canRebalance()) this.prepareRebalance(group)
    else this.maybeCompleteJoinPhase(group)
  }

  private prepareRebalance(group: ClassicGroup): void {
    if (group.state === 'CompletingRebalance') this.resetAndPropagateAssignment(group, E.REBALANCE_IN_PROGRESS)
    group.pendingSyncMembers.clear()
    this.timers.cancel(this.syncKey(group.groupId))
    const initial = group.state === 'Empty'
    if (initial) {
      // group.initial.rebalance.delay.ms: a new group waits for more members, extended while members keep coming,
      // up to the rebalance timeout.
      const delayMs = this.settings.initialRebalanceDelayMs
      const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0)
      this.timers.schedule(this.joinKey(group.groupId), delayMs, () =>
        this.tryCompleteInitialRebalance(group.groupId, delayMs, remainingMs),
      )
    }
    group.transitionTo('PreparingRebalance')
    if (!initial) this.maybeCompleteJoinElseSchedule(group)
  }

  private tryCompleteInitialRebalance(groupId: string, delayMs: number, remainingMs: number): void {
    const group = this.groups.get(groupId)
    if (group?.type !== 'classic') return
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false
      const newDelayMs = Math.min(this.settings.initialRebalanceDelayMs, remainingMs)
      const newRemainingMs = Math.max(remainingMs - delayMs, 0)
      this.timers.schedule(this.joinKey(groupId), newDelayMs, () =>
        this.tryCompleteInitialRebalance(groupId, newDelayMs, newRemainingMs),
      )
    } else this.completeJoin(group)
  }

  private maybeCompleteJoinElseSchedule(group: ClassicGroup): void {
    if (group.hasAllMembersJoined()) this.completeJoin(group)
    else
      this.timers.schedule(this.joinKey(group.groupId), group.rebalanceTimeoutMs(), () => {
        const g = this.groups.get(group.groupId)
        if (g?.type === 'classic') this.completeJoin(g)
      })
  }

  private maybeCompleteJoinPhase(group: ClassicGroup): void {
    // The first rebalance of a new group completes on its initial-delay timer, never earlier.
    if (group.state !== 'PreparingRebalance' || group.previousState === 'Empty') return
    if (group.hasAllMembersJoined()) this.completeJoin(group)
  }

  private completeJoin(group: ClassicGroup): void {
    this.timers.cancel(this.joinKey(group.groupId))
    for (const member of [...group.members.values()])
      if (!member.awaitingJoin && member.groupInstanceId === null) {
        group.remove(member.memberId)
        this.timers.cancel(this.hbKey(group.groupId, member.memberId))
      }
    if (group.state === 'Dead') return
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Nobody rejoined (only static members left): wait another rebalance timeout for them.
      this.timers.schedule(this.joinKey(group.groupId), group.rebalanceTimeoutMs(), () => this.completeJoin(group))
      return
    }
    group.initNextGeneration()
    this.persist(group)
    if (group.state === 'Empty') return
    for (const member of group.members.values()) {
      group.completeJoin(member, {
        errorCode: E.NONE,
        generationId: group.generationId,
        protocolName: group.protocolName,
        protocolType: group.protocolType,
        leader: group.leaderId ?? '',
        memberId: member.memberId,
        members: group.isLeader(member.memberId) ? group.joinMembers() : [],
      })
      this.rescheduleHeartbeat(group, member)
      member.isNew = false
      group.pendingSyncMembers.add(member.memberId)
    }
    const generation = group.generationId
    this.timers.schedule(this.syncKey(group.groupId), group.rebalanceTimeoutMs(), () =>
      this.expirePendingSync(group, generation),
    )
  }

  private expirePendingSync(group: ClassicGroup, generation: number): void {
    if (generation !== group.generationId) return
    if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return
    if (group.pendingSyncMembers.size === 0) return
    for (const memberId of [...group.pendingSyncMembers]) {
      group.remove(memberId)
      this.timers.cancel(this.hbKey(group.groupId, memberId))
    }
    this.prepareRebalance(group)
  }

  private rescheduleHeartbeat(group: ClassicGroup, member: ClassicMember, timeoutMs = member.sessionTimeoutMs): void {
    const memberId = member.memberId
    this.timers.schedule(this.hbKey(group.groupId, memberId), timeoutMs, () =>
      this.expireHeartbeat(group.groupId, memberId),
    )
  }

  private expireHeartbeat(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId)
    if (group?.type !== 'classic' || group.state === 'Dead') return
    if (group.pendingJoinMembers.has(memberId)) {
      group.remove(memberId)
      if (group.state === 'PreparingRebalance' && group.hasAllMembersJoined()) this.completeJoin(group)
      return
    }
    const member = group.members.get(memberId)
    if (!member || member.hasSatisfiedHeartbeat()) return
    this.removeMember(group, member)
    if (group.state === 'Stable' || group.state === 'CompletingRebalance')
      this.maybePrepareRebalanceOrCompleteJoin(group)
    else if (group.state === 'PreparingRebalance' && group.hasAllMembersJoined()) this.completeJoin(group)
  }

  private removeMember(group: ClassicGroup, member: ClassicMember): void {
    this.timers.cancel(this.hbKey(group.groupId, member.memberId))
    // A member parked in JoinGroup is told to rejoin (it may still be alive).
    group.completeJoin(member, joinError(E.UNKNOWN_MEMBER_ID))
    group.remove(member.memberId)
  }

  private resetAndPropagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = EMPTY
    this.propagateAssignment(group, errorCode)
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const member of group.members.values()) {
      const sent = group.completeSync(member, {
        errorCode,
        protocolName: errorCode === E.NONE ? group.protocolName : null,
        protocolType: errorCode === E.NONE ? group.protocolType : null,
        assignment: member.assignment,
      })
      if (sent) this.rescheduleHeartbeat(group, member)
    }
  }

  sync(p: {
    groupId: string
    generationId: number
    memberId: string
    groupInstanceId: string | null
    protocolType: string | null
    protocolName: string | null
    assignments: { memberId: string; assignment: Buffer }[]
  }): Promise<SyncReply> | SyncReply {
    const fail = (errorCode: number): SyncReply => ({ errorCode, assignment: EMPTY })
    if (p.groupId === '') return fail(E.INVALID_GROUP_ID)
    const group = this.groups.get(p.groupId)
    if (!group || group.type !== 'classic' || group.isEmpty()) return fail(E.UNKNOWN_MEMBER_ID)
    if (group.state === 'Dead') return fail(E.COORDINATOR_NOT_AVAILABLE)
    const error = group.validateMember(p.memberId, p.groupInstanceId)
    if (error !== E.NONE) return fail(error)
    if (p.generationId !== group.generationId) return fail(E.ILLEGAL_GENERATION)
    const inconsistent = (given: string | null, expected: string | null): boolean =>
      given !== null && expected !== null && given !== expected
    if (inconsistent(p.protocolType, group.protocolType) || inconsistent(p.protocolName, group.protocolName))
      return fail(E.INCONSISTENT_GROUP_PROTOCOL)
    if (group.state === 'PreparingRebalance') return fail(E.REBALANCE_IN_PROGRESS)
    const member = group.members.get(p.memberId)!
    if (group.state === 'Stable') {
      this.removePendingSync(group, p.memberId)
      return {
        errorCode: E.NONE,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        assignment: member.assignment,
      }
    }
    // CompletingRebalance: parked until the leader's assignment arrives.
    return new Promise<SyncReply>((resolve) => {
      if (member.awaitingSync) group.completeSync(member, fail(E.REBALANCE_IN_PROGRESS))
      member.awaitingSync = resolve
      this.removePendingSync(group, p.memberId)
      if (!group.isLeader(p.memberId)) return
      const assignment = new Map(p.assignments.map((a) => [a.memberId, a.assignment]))
      for (const m of group.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY
      this.propagateAssignment(group, E.NONE)
      group.transitionTo('Stable')
      this.persist(group)
    })
  }

  private removePendingSync(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId)
    if (group.pendingSyncMembers.size === 0) this.timers.cancel(this.syncKey(group.groupId))
  }

  heartbeat(p: { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }): number {
    if (p.groupId === '') return E.INVALID_GROUP_ID
    const group = this.groups.get(p.groupId)
    if (!group || group.type !== 'classic') return E.UNKNOWN_MEMBER_ID
    if (group.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE
    const error = group.validateMember(p.memberId, p.groupInstanceId)
    if (error !== E.NONE) return error
    if (p.generationId !== group.generationId) return E.ILLEGAL_GENERATION
    const member = group.members.get(p.memberId)!
    switch (group.state) {
      case 'Empty':
        return E.UNKNOWN_MEMBER_ID
      case 'PreparingRebalance':
        this.rescheduleHeartbeat(group, member)
        return E.REBALANCE_IN_PROGRESS
      default:
        this.rescheduleHeartbeat(group, member)
        return E.NONE
    }
  }

  leave(
    groupId: string,
    members: { memberId: string; groupInstanceId: string | null }[],
  ): { errorCode: number; members: { memberId: string; groupInstanceId: string | null; errorCode: number }[] } {
    const group = this.groups.get(groupId)
    if (!group || group.type !== 'classic') return { errorCode: E.UNKNOWN_MEMBER_ID, members: [] }
    if (group.state === 'Dead') return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] }
    const results = members.map((m) => {
      let errorCode: number = E.NONE
      if (m.memberId === '') {
        // Removal by group.instance.id alone: the Admin client's removeMembersFromConsumerGroup.
        const existing = m.groupInstanceId === null ? undefined : group.staticMembers.get(m.groupInstanceId)
        if (existing === undefined) errorCode = E.UNKNOWN_MEMBER_ID
        else this.removeMember(group, group.members.get(existing)!)
      } else if (group.pendingJoinMembers.has(m.memberId)) {
        group.remove(m.memberId)
        this.timers.cancel(this.hbKey(groupId, m.memberId))
      } else {
        errorCode = group.validateMember(m.memberId, m.groupInstanceId)
        if (errorCode === E.NONE) this.removeMember(group, group.members.get(m.memberId)!)
      }
      return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode }
    })
    if (results.some((r) => r.errorCode === E.NONE)) {
      if (group.state === 'Stable' || group.state === 'CompletingRebalance')
        this.maybePrepareRebalanceOrCompleteJoin(group)
      else if (group.state === 'PreparingRebalance') this.maybeCompleteJoinPhase(group)
    }
    return { errorCode: E.NONE, members: results }
  }

  /** The topics a classic consumer group's members subscribe to; undefined when not known (not the consumer protocol). */
  private classicSubscribedTopics(group: ClassicGroup): Set<string> | undefined {
    if (group.protocolType !== 'consumer') return undefined
    if (group.members.size === 0) return new Set()
    if (group.protocolName === null) return undefined
    const topics = new Set<string>()
    try {
      for (const m of group.members.values()) {
        const r = new Reader(m.metadata(group.protocolName))
        r.int16()
        // Version 0 is the prefix of every version, so any client's subscription reads as v0 (as Kafka does).
        for (const t of ConsumerProtocolSubscriptionCodec.read(r, 0).topics) topics.add(t)
      }
    } catch {
      return undefined
    }
    return topics
  }

  isSubscribedToTopic(group: Group, topic: string): boolean {
    if (group.type === 'consumer') {
      for (const m of group.members.values()) if (this.memberTopics(m).includes(topic)) return true
      return false
    }
    const topics = this.classicSubscribedTopics(group)
    return topics ? topics.has(topic) : group.protocolType === 'consumer'
  }

  // ---------------------------------------------------------------- offsets

  /** Returns an error for the whole request, or undefined when its partitions may be committed. */
  validateCommit(p: {
    groupId: string
    memberId: string
    groupInstanceId: string | null
    generationIdOrMemberEpoch: number
    apiVersion: number
  }): number | undefined {
    if (p.groupId === '') return E.INVALID_GROUP_ID
    let group = this.groups.get(p.groupId)
    if (!group) {
      // A commit outside group management (admin offset reset, assign()+commit) creates a simple, empty group.
      if (p.generationIdOrMemberEpoch >= 0) return p.apiVersion >= 9 ? E.GROUP_ID_NOT_FOUND : E.ILLEGAL_GENERATION
      group = new ClassicGroup(p.groupId)
      this.groups.set(p.groupId, group)
      this.persist(group)
      return undefined
    }
    if (group.type === 'consumer') {
      if (p.generationIdOrMemberEpoch < 0 && group.members.size === 0) return undefined
      const member = group.members.get(p.memberId)
      if (!member) return E.UNKNOWN_MEMBER_ID
      if (p.generationIdOrMemberEpoch !== member.memberEpoch) return E.STALE_MEMBER_EPOCH
      return undefined
    }
    if (group.state === 'Dead') return E.COORDINATOR_NOT_AVAILABLE
    if (p.generationIdOrMemberEpoch < 0 && group.state === 'Empty') return undefined
    if (p.generationIdOrMemberEpoch >= 0 || p.memberId !== '' || p.groupInstanceId !== null) {
      const error = group.validateMember(p.memberId, p.groupInstanceId)
      if (error !== E.NONE) return error
      if (p.generationIdOrMemberEpoch !== group.generationId) return E.ILLEGAL_GENERATION
    } else if (group.state !== 'Empty') return E.UNKNOWN_MEMBER_ID
    if (group.state === 'CompletingRebalance') return E.REBALANCE_IN_PROGRESS
    return undefined
  }

  /** One partition of a validated commit. */
  commit(
    groupId: string,
    topic: string,
    partition: number,
    offset: bigint,
    leaderEpoch: number,
    metadata: string | null,
  ): number {
    const info = this.broker.topic(topic)
    if (!info || partition < 0 || partition >= info.partitions) return E.UNKNOWN_TOPIC_OR_PARTITION
    if (metadata !== null && Buffer.byteLength(metadata) > MAX_METADATA_SIZE) return E.OFFSET_METADATA_TOO_LARGE
    this.store.commit(groupId, topic, partition, {
      offset,
      leaderEpoch,
      metadata: metadata ?? '',
      commitTimestamp: this.settings.now(),
    })
    return E.NONE
  }

  /** Validates an OffsetFetch of a KIP-848 member (v9+); classic groups accept any reader. */
  validateFetch(groupId: string, memberId: string | null, memberEpoch: number): number {
    const group = this.groups.get(groupId)
    if (!group || group.type !== 'consumer' || memberId === null || memberId === '') return E.NONE
    const member = group.members.get(memberId)
    if (!member) return E.UNKNOWN_MEMBER_ID
    if (memberEpoch !== member.memberEpoch) return E.STALE_MEMBER_EPOCH
    return E.NONE
  }

  committed(groupId: string): Map<string, Map<number, CommittedOffset>> {
    return this.store.groupOffsets(groupId) ?? new Map()
  }

  /** OffsetDelete: a group error, or the error of each partition. */
  deleteOffsets(
    groupId: string,
    topics: { name: string; partitions: number[] }[],
  ): number | Map<string, Map<number, number>> {
    const group = this.groups.get(groupId)
    if (!group) return E.GROUP_ID_NOT_FOUND
    if (group.type === 'classic' && group.state !== 'Empty' && group.protocolType !== 'consumer')
      return E.NON_EMPTY_GROUP
    const result = new Map<string, Map<number, number>>()
    for (const t of topics) {
      const errors = new Map<number, number>()
      result.set(t.name, errors)
      const info = this.broker.topic(t.name)
      const subscribed = this.isSubscribedToTopic(group, t.name)
      for (const p of t.partitions) {
        if (!info || p < 0 || p >= info.partitions) errors.set(p, E.UNKNOWN_TOPIC_OR_PARTITION)
        else if (subscribed) errors.set(p, E.GROUP_SUBSCRIBED_TO_TOPIC)
        else {
          if (this.store.groupOffsets(groupId)?.get(t.name)?.has(p)) this.store.deleteOffset(groupId, t.name, p)
          errors.set(p, E.NONE)
        }
      }
    }
    return result
  }

  deleteGroup(groupId: string): number {
    const group = this.groups.get(groupId)
    if (!group) return E.GROUP_ID_NOT_FOUND
    if (group.type === 'classic' ? group.state !== 'Empty' : group.members.size > 0) return E.NON_EMPTY_GROUP
    this.groups.delete(groupId)
    this.timers.cancel(this.joinKey(groupId))
    this.timers.cancel(this.syncKey(groupId))
    this.store.deleteGroup(groupId)
    return E.NONE
  }

  onTopicDeleted(topic: string): void {
    for (const [groupId, topics] of [...this.store.offsets])
      for (const p of [...(topics.get(topic)?.keys() ?? [])]) this.store.deleteOffset(groupId, topic, p)
  }

  // ---------------------------------------------------------------- consumer protocol (KIP-848)

  private memberTopics(m: ConsumerMember): string[] {
    const names = new Set(m.subscribedTopicNames)
    if (m.subscribedTopicRegex !== null) {
      let re: RegExp | undefined
      try {
        re = new RegExp(`^(?:${m.subscribedTopicRegex})$`)
      } catch {
        re = undefined
      }
      if (re) for (const t of this.broker.topics()) if (re.test(t.name) && !t.name.startsWith('__')) names.add(t.name)
    }
    return [...names]
  }

  /** Names, ids and sizes of the topics the group subscribes to: when they change, the group epoch moves. */
  private subscriptionMetadata(group: ConsumerGroup): { signature: string; topics: Map<string, AssignorTopic> } {
    const topics = new Map<string, AssignorTopic>()
    const names = new Set<string>()
    for (const m of group.members.values()) for (const t of this.memberTopics(m)) names.add(t)
    const parts: string[] = []
    for (const name of [...names].sort()) {
      const info = this.broker.topic(name)
      if (!info) continue
      topics.set(info.topicId, { topicId: info.topicId, partitions: info.partitions })
      parts.push(`${name}/${info.topicId}/${info.partitions}`)
    }
    return { signature: parts.join(','), topics }
  }

  private computeTargetAssignment(group: ConsumerGroup): void {
    const { signature, topics } = this.subscriptionMetadata(group)
    group.metadataSignature = signature
    const members = [...group.members.values()]
    const assignor = members.find((m) => m.serverAssignor !== null)?.serverAssignor ?? 'uniform'
    group.target = assign(
      assignor,
      members.map((m) => ({
        memberId: m.memberId,
        topics: this.memberTopics(m)
          .map((name) => this.broker.topic(name)?.topicId)
          .filter((id): id is string => id !== undefined),
      })),
      topics,
      group.target,
    )
    group.assignmentEpoch = group.groupEpoch
  }

  private bumpGroupEpoch(group: ConsumerGroup): void {
    group.groupEpoch++
    this.persist(group)
  }

  consumerHeartbeat(
    p: {
      groupId: string
      memberId: string
      memberEpoch: number
      instanceId: string | null
      rackId: string | null
      rebalanceTimeoutMs: number
      subscribedTopicNames: string[] | null
      subscribedTopicRegex: string | null
      serverAssignor: string | null
      topicPartitions: { topicId: string; partitions: number[] }[] | null
      clientId: string
      clientHost: string
    },
    apiVersion: number,
  ): {
    errorCode: number
    errorMessage: string | null
    memberId: string | null
    memberEpoch: number
    heartbeatIntervalMs: number
    assignment: { topicPartitions: { topicId: string; partitions: number[] }[] } | null
  } {
    const interval = this.settings.consumerHeartbeatIntervalMs
    const fail = (errorCode: number, errorMessage: string | null = null) => ({
      errorCode,
      errorMessage,
      memberId: null,
      memberEpoch: 0,
      heartbeatIntervalMs: 0,
      assignment: null,
    })
    // Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid.
    if (p.groupId.trim() === '') return fail(E.INVALID_REQUEST, "GroupId can't be empty.")
    if (apiVersion >= 1 && p.memberId.trim() === '') return fail(E.INVALID_REQUEST, "MemberId can't be empty.")
    if (p.memberEpoch === 0) {
      if (p.rebalanceTimeoutMs === -1)
        return fail(E.INVALID_REQUEST, 'RebalanceTimeoutMs must be provided in first request.')
      if (p.topicPartitions === null || p.topicPartitions.length > 0)
        return fail(E.INVALID_REQUEST, 'TopicPartitions must be empty when (re-)joining.')
      if (p.subscribedTopicNames === null && p.subscribedTopicRegex === null)
        return fail(E.INVALID_REQUEST, 'SubscribedTopicNames or SubscribedTopicRegex must be set in first request.')
    } else if (p.memberEpoch < -2) return fail(E.INVALID_REQUEST, `MemberEpoch is invalid.`)
    if (p.serverAssignor !== null && !(ASSIGNORS as readonly string[]).includes(p.serverAssignor))
      return fail(
        E.UNSUPPORTED_ASSIGNOR,
        `ServerAssignor ${p.serverAssignor} is not supported. Supported assignors: ${ASSIGNORS.join(', ')}.`,
      )
    if (p.subscribedTopicRegex !== null) {
      try {
        new RegExp(p.subscribedTopicRegex)
      } catch {
        return fail(
          E.INVALID_REGULAR_EXPRESSION,
          `SubscribedTopicRegex ${p.subscribedTopicRegex} is not a valid regular expression.`,
        )
      }
    }

    let group = this.groups.get(p.groupId)
    if (group?.type === 'classic') {
      // An empty classic group (for example one that only has committed offsets) becomes a consumer group.
      if (group.state !== 'Empty') return fail(E.GROUP_ID_NOT_FOUND, `Group ${p.groupId} is not a consumer group.`)
      this.groups.delete(p.groupId)
      group = undefined
    }
    if (!group) {
      if (p.memberEpoch !== 0) return fail(E.GROUP_ID_NOT_FOUND, `Group ${p.groupId} not found.`)
      group = new ConsumerGroup(p.groupId)
      this.groups.set(p.groupId, group)
      this.persist(group)
    }
    const g = group
    const sessionKey = (memberId: string): string => `consumer ${g.groupId} ${memberId}`

    if (p.memberEpoch === -1 || p.memberEpoch === -2) {
      const member = g.members.get(p.memberId)
      if (!member) return fail(E.UNKNOWN_MEMBER_ID, `Member ${p.memberId} is not a member of group ${p.groupId}.`)
      this.removeConsumerMember(g, member)
      this.timers.cancel(sessionKey(member.memberId))
      return {
        errorCode: E.NONE,
        errorMessage: null,
        memberId: p.memberId,
        memberEpoch: p.memberEpoch,
        heartbeatIntervalMs: 0,
        assignment: null,
      }
    }

    let member: ConsumerMember | undefined
    let full = false
    if (p.memberEpoch === 0) {
      const memberId = p.memberId !== '' ? p.memberId : randomBytes(16).toString('base64url')
      if (p.instanceId !== null) {
        const existing = g.staticMember(p.instanceId)
        if (existing && existing.memberId !== memberId) {
          if (existing.memberEpoch !== -2)
            return fail(
              E.UNRELEASED_INSTANCE_ID,
              `Static member ${p.instanceId} is still in use by ${existing.memberId}.`,
            )
          g.members.delete(existing.memberId)
          g.target.delete(existing.memberId)
          this.timers.cancel(sessionKey(existing.memberId))
        }
      }
      member = g.members.get(memberId)
      if (member) {
        // A member rejoining with epoch 0 (after being fenced) starts over with nothing assigned.
        member.assigned = new Map()
        member.pendingRevocation = new Map()
      } else {
        member = new ConsumerMember(memberId, p.instanceId, p.clientId, p.clientHost)
        g.members.set(memberId, member)
        this.bumpGroupEpoch(g)
      }
      member.memberEpoch = 0
      member.lastSent = '-'
      full = true
    } else {
      member = g.members.get(p.memberId)
      if (!member) return fail(E.UNKNOWN_MEMBER_ID, `Member ${p.memberId} is not a member of group ${p.groupId}.`)
      if (p.memberEpoch !== member.memberEpoch) {
        // A client that missed a response may come back with the previous epoch and no more than it was given.
        const owned = toAssignment(p.topicPartitions)
        const ok =
          p.memberEpoch === member.previousMemberEpoch &&
          owned !== null &&
          [...owned].every(([t, ps]) => [...ps].every((x) => member!.assigned.get(t)?.has(x)))
        if (!ok)
          return fail(
            E.FENCED_MEMBER_EPOCH,
            `The consumer group member has a smaller member epoch (${p.memberEpoch}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`,
          )
      }
    }
    member.clientId = p.clientId
    member.clientHost = p.clientHost
    if (p.rackId !== null) member.rackId = p.rackId
    if (p.rebalanceTimeoutMs !== -1) member.rebalanceTimeoutMs = p.rebalanceTimeoutMs
    if (p.serverAssignor !== null) member.serverAssignor = p.serverAssignor
    let changed = false
    if (p.subscribedTopicNames !== null) {
      const names = [...p.subscribedTopicNames].sort()
      if (names.join('\n') !== [...member.subscribedTopicNames].sort().join('\n')) changed = true
      member.subscribedTopicNames = names
    }
    if (p.subscribedTopicRegex !== null && p.subscribedTopicRegex !== member.subscribedTopicRegex) {
      member.subscribedTopicRegex = p.subscribedTopicRegex === '' ? null : p.subscribedTopicRegex
      changed = true
    }
    if (changed && p.memberEpoch !== 0) this.bumpGroupEpoch(g)
    if (this.subscriptionMetadata(g).signature !== g.metadataSignature && g.assignmentEpoch === g.groupEpoch)
      this.bumpGroupEpoch(g)
    if (g.assignmentEpoch < g.groupEpoch) this.computeTargetAssignment(g)
    g.reconcile(member, toAssignment(p.topicPartitions))

    const m = member
    // A member that does not give its revoked partitions up within its rebalance timeout is fenced, so the others
    // are not kept waiting for them (Kafka's consumer group rebalance timeout).
    const revokeKey = `revoke ${g.groupId} ${m.memberId}`
    if (m.pendingRevocation.size === 0) this.timers.cancel(revokeKey)
    else if (!this.timers.has(revokeKey))
      this.timers.schedule(revokeKey, m.rebalanceTimeoutMs, () => {
        if (g.members.get(m.memberId) === m && m.pendingRevocation.size > 0) this.removeConsumerMember(g, m)
      })
    this.timers.schedule(sessionKey(m.memberId), this.settings.consumerSessionTimeoutMs, () => {
      if (g.members.get(m.memberId) === m) this.removeConsumerMember(g, m)
    })
    const key = assignmentKey(m.assigned)
    const send = full || key !== m.lastSent || p.topicPartitions !== null
    m.lastSent = key
    return {
      errorCode: E.NONE,
      errorMessage: null,
      memberId: m.memberId,
      memberEpoch: m.memberEpoch,
      heartbeatIntervalMs: g.state === 'Stable' ? interval : this.settings.consumerReconcilingHeartbeatIntervalMs,
      assignment: send
        ? {
            topicPartitions: [...m.assigned].map(([topicId, ps]) => ({
              topicId,
              partitions: [...ps].sort((a, b) => a - b),
            })),
          }
        : null,
    }
  }

  private removeConsumerMember(group: ConsumerGroup, member: ConsumerMember): void {
    group.members.delete(member.memberId)
    group.target.delete(member.memberId)
    this.bumpGroupEpoch(group)
    // The others' targets are recomputed at their next heartbeat; an empty group is settled at once.
    if (group.members.size === 0) this.computeTargetAssignment(group)
  }

  /** Moves every timer whose deadline passed (tests move the injected clock, then call this). */
  tick(): void {
    this.timers.runDue()
  }
}

const protocolNames = (p: JoinParams): string[] => p.protocols.map((x) => x.name)

function toAssignment(tps: { topicId: string; partitions: number[] }[] | null): Assignment | null {
  if (tps === null) return null
  const a: Assignment = new Map()
  for (const t of tps) if (t.partitions.length) a.set(t.topicId, new Set(t.partitions))
  return a
}
