/**
 * A group of the classic rebalance protocol, after Kafka's ClassicGroup and ClassicGroupMember
 * (group-coordinator/.../classic/): members, the protocols they support, leader, generation, state, and the parked
 * JoinGroup/SyncGroup responses. The rules that move it between states live in coordinator.ts.
 */
import type { JoinGroupResponseInput } from '../../protocol/messages/join-group.js'
import type { SyncGroupResponseInput } from '../../protocol/messages/sync-group.js'

export type ClassicState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

/** Kafka's ClassicGroupState.validPreviousStates. */
const VALID_PREVIOUS: Record<ClassicState, ClassicState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
}

export type JoinReply = Omit<JoinGroupResponseInput, 'throttleTimeMs'>
export type SyncReply = Omit<SyncGroupResponseInput, 'throttleTimeMs'>

export interface Protocol {
  name: string
  metadata: Buffer
}

export class ClassicMember {
  assignment: Buffer = Buffer.alloc(0)
  awaitingJoin: ((reply: JoinReply) => void) | undefined
  awaitingSync: ((reply: SyncReply) => void) | undefined
  isNew = false

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public protocols: Protocol[],
  ) {}

  metadata(protocol: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0)
  }

  /** Same protocols with the same metadata, in the same order (Kafka's ClassicGroupMember.matches). */
  matches(protocols: Protocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata))
    )
  }

  /** The member's first preference among the candidates. */
  vote(candidates: Set<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name
  }

  /** New members may expire while awaiting join; others awaiting a rebalance satisfy the heartbeat. */
  hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false
    return this.awaitingJoin !== undefined || this.awaitingSync !== undefined
  }
}

export class ClassicGroup {
  readonly type = 'classic' as const
  state: ClassicState = 'Empty'
  previousState: ClassicState = 'Empty'
  generationId = 0
  protocolType: string | null = null
  protocolName: string | null = null
  leaderId: string | null = null
  newMemberAdded = false
  readonly members = new Map<string, ClassicMember>()
  readonly staticMembers = new Map<string, string>()
  readonly pendingJoinMembers = new Set<string>()
  readonly pendingSyncMembers = new Set<string>()
  private readonly supportedProtocols = new Map<string, number>()
  numAwaitingJoin = 0

  constructor(readonly groupId: string) {}

  transitionTo(next: ClassicState): void {
    if (!VALID_PREVIOUS[next].includes(this.state))
      throw new Error(`Group ${this.groupId}: invalid transition from ${this.state} to ${next}`)
    this.previousState = this.state
    this.state = next
  }

  isEmpty(): boolean {
    return this.state === 'Empty'
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  add(member: ClassicMember, onJoin?: (reply: JoinReply) => void): void {
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId)
    if (this.members.size === 0) this.protocolType = member.protocolType
    if (this.leaderId === null) this.leaderId = member.memberId
    this.members.set(member.memberId, member)
    this.countProtocols(member, 1)
    member.awaitingJoin = onJoin
    if (onJoin) this.numAwaitingJoin++
    this.pendingJoinMembers.delete(member.memberId)
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId)
    if (member) {
      this.members.delete(memberId)
      this.countProtocols(member, -1)
      if (member.awaitingJoin) this.numAwaitingJoin--
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId)
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null
    this.pendingJoinMembers.delete(memberId)
    this.pendingSyncMembers.delete(memberId)
  }

  updateMember(
    member: ClassicMember,
    protocols: Protocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    onJoin: ((reply: JoinReply) => void) | undefined,
  ): void {
    this.countProtocols(member, -1)
    member.protocols = protocols
    this.countProtocols(member, 1)
    member.rebalanceTimeoutMs = rebalanceTimeoutMs
    member.sessionTimeoutMs = sessionTimeoutMs
    if (onJoin && !member.awaitingJoin) this.numAwaitingJoin++
    else if (!onJoin && member.awaitingJoin) this.numAwaitingJoin--
    member.awaitingJoin = onJoin
  }

  /** A static member rejoining with a new member id takes the old one's place; a parked request of the old id is fenced. */
  replaceStaticMember(instanceId: string, oldMemberId: string, newMemberId: string): ClassicMember {
    const member = this.members.get(oldMemberId)
    if (!member) throw new Error(`Cannot replace non-existing member id ${oldMemberId}`)
    this.members.delete(oldMemberId)
    if (member.awaitingJoin) {
      member.awaitingJoin({
        errorCode: 82, // FENCED_INSTANCE_ID
        memberId: oldMemberId,
        protocolName: null,
        protocolType: null,
        leader: '',
        members: [],
      })
      member.awaitingJoin = undefined
      this.numAwaitingJoin--
    }
    if (member.awaitingSync) {
      member.awaitingSync({ errorCode: 82, assignment: Buffer.alloc(0) })
      member.awaitingSync = undefined
    }
    member.memberId = newMemberId
    this.members.set(newMemberId, member)
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId
    this.staticMembers.set(instanceId, newMemberId)
    return member
  }

  completeJoin(member: ClassicMember, reply: JoinReply): boolean {
    if (!member.awaitingJoin) return false
    const resolve = member.awaitingJoin
    member.awaitingJoin = undefined
    this.numAwaitingJoin--
    resolve(reply)
    return true
  }

  completeSync(member: ClassicMember, reply: SyncReply): boolean {
    if (!member.awaitingSync) return false
    const resolve = member.awaitingSync
    member.awaitingSync = undefined
    resolve(reply)
    return true
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.numAwaitingJoin && this.pendingJoinMembers.size === 0
  }

  rebalanceTimeoutMs(): number {
    let max = 0
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs)
    return max
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS.PreparingRebalance.includes(this.state)
  }

  /** Kafka's validateMember: a static member's id must match the one the instance id maps to. */
  validateMember(memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const existing = this.staticMembers.get(groupInstanceId)
      if (existing === undefined) return 25 // UNKNOWN_MEMBER_ID
      if (existing !== memberId) return 82 // FENCED_INSTANCE_ID
    }
    return this.members.has(memberId) ? 0 : 25
  }

  /** An empty group accepts any non-empty protocol set; otherwise one protocol every member supports is needed. */
  supportsProtocols(protocolType: string, names: string[]): boolean {
    if (this.state === 'Empty') return protocolType !== '' && names.length > 0
    return (
      this.protocolType === protocolType &&
      names.some((name) => (this.supportedProtocols.get(name) ?? 0) === this.members.size)
    )
  }

  /** The protocol every member supports with the most first-preference votes (Kafka's selectProtocol). */
  selectProtocol(): string {
    const candidates = new Set<string>()
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) candidates.add(name)
    const votes = new Map<string, number>()
    for (const member of this.members.values()) {
      const vote = member.vote(candidates)
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1)
    }
    let best: string | undefined
    let bestVotes = -1
    for (const [name, count] of votes)
      if (count > bestVotes) {
        best = name
        bestVotes = count
      }
    if (best === undefined) throw new Error(`Group ${this.groupId}: no protocol supported by every member`)
    return best
  }

  /** Keeps the leader if it rejoined, else picks a member that did; false if nobody rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false
    const leader = this.members.get(this.leaderId)
    if (leader?.awaitingJoin) return true
    for (const member of this.members.values())
      if (member.awaitingJoin) {
        this.leaderId = member.memberId
        return true
      }
    return false
  }

  initNextGeneration(): void {
    this.generationId++
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol()
      this.transitionTo('CompletingRebalance')
    } else {
      this.protocolName = null
      this.transitionTo('Empty')
    }
    this.pendingSyncMembers.clear()
  }

  joinMembers(): { memberId: string; groupInstanceId: string | null; metadata: Buffer }[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(this.protocolName),
    }))
  }

  private countProtocols(member: ClassicMember, delta: number): void {
    for (const p of member.protocols)
      this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + delta)
  }
}
