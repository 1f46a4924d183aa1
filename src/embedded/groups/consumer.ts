/**
 * A group of the consumer rebalance protocol (KIP-848), after Kafka's ConsumerGroup, ConsumerGroupMember and
 * CurrentAssignmentBuilder: the broker computes the target assignment (assignor.ts) whenever the group epoch moves,
 * and each heartbeat moves its member towards its target, revoking partitions before another member gets them.
 */
export type ConsumerState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable'

/** topicId -> partitions */
export type Assignment = Map<string, Set<number>>

export class ConsumerMember {
  memberEpoch = 0
  previousMemberEpoch = -1
  assigned: Assignment = new Map()
  pendingRevocation: Assignment = new Map()
  subscribedTopicNames: string[] = []
  subscribedTopicRegex: string | null = null
  serverAssignor: string | null = null
  rackId: string | null = null
  rebalanceTimeoutMs = 300_000
  /** The assignment last sent, so an unchanged one is not sent again (Kafka sends it only when it changes). */
  lastSent = ''

  constructor(
    readonly memberId: string,
    public instanceId: string | null,
    public clientId: string,
    public clientHost: string,
  ) {}
}

export class ConsumerGroup {
  readonly type = 'consumer' as const
  groupEpoch = 0
  assignmentEpoch = 0
  readonly members = new Map<string, ConsumerMember>()
  target = new Map<string, Assignment>()
  /** Topic names, ids and partition counts the current target was computed from. */
  metadataSignature = ''

  constructor(readonly groupId: string) {}

  get state(): ConsumerState {
    if (this.members.size === 0) return 'Empty'
    if (this.assignmentEpoch < this.groupEpoch) return 'Assigning'
    for (const m of this.members.values())
      if (m.memberEpoch !== this.assignmentEpoch || m.pendingRevocation.size > 0) return 'Reconciling'
    return 'Stable'
  }

  staticMember(instanceId: string): ConsumerMember | undefined {
    for (const m of this.members.values()) if (m.instanceId === instanceId) return m
    return undefined
  }

  /** Partitions another member still holds (assigned or being revoked): a member may not take them yet. */
  ownedByOthers(memberId: string): Set<string> {
    const owned = new Set<string>()
    for (const m of this.members.values()) {
      if (m.memberId === memberId) continue
      for (const a of [m.assigned, m.pendingRevocation])
        for (const [topicId, partitions] of a) for (const p of partitions) owned.add(`${topicId}:${p}`)
    }
    return owned
  }

  /**
   * One step of Kafka's CurrentAssignmentBuilder for a member: first revoke what is no longer in its target (the epoch
   * stays until the client confirms, by the partitions it reports as owned, that it let them go), then move to the
   * target epoch with the target minus the partitions other members have not released yet.
   */
  reconcile(member: ConsumerMember, owned: Assignment | null): void {
    const target = this.target.get(member.memberId) ?? new Map<string, Set<number>>()
    if (member.pendingRevocation.size > 0) {
      if (owned === null || intersects(owned, member.pendingRevocation)) return
      member.pendingRevocation = new Map()
    }
    const toRevoke = minus(member.assigned, target)
    if (toRevoke.size > 0) {
      member.assigned = intersect(member.assigned, target)
      member.pendingRevocation = toRevoke
      return
    }
    const others = this.ownedByOthers(member.memberId)
    const next: Assignment = new Map()
    for (const [topicId, partitions] of target) {
      const free = [...partitions].filter((p) => !others.has(`${topicId}:${p}`))
      if (free.length) next.set(topicId, new Set(free))
    }
    member.assigned = next
    if (member.memberEpoch !== this.assignmentEpoch) {
      member.previousMemberEpoch = member.memberEpoch
      member.memberEpoch = this.assignmentEpoch
    }
  }
}

export function assignmentKey(a: Assignment): string {
  return [...a.entries()]
    .filter(([, ps]) => ps.size > 0)
    .map(([t, ps]) => `${t}:${[...ps].sort((x, y) => x - y).join(',')}`)
    .sort()
    .join(';')
}

function intersects(a: Assignment, b: Assignment): boolean {
  for (const [t, ps] of b) {
    const other = a.get(t)
    if (other) for (const p of ps) if (other.has(p)) return true
  }
  return false
}

function minus(a: Assignment, b: Assignment): Assignment {
  const out: Assignment = new Map()
  for (const [t, ps] of a) {
    const keep = [...ps].filter((p) => !b.get(t)?.has(p))
    if (keep.length) out.set(t, new Set(keep))
  }
  return out
}

function intersect(a: Assignment, b: Assignment): Assignment {
  const out: Assignment = new Map()
  for (const [t, ps] of a) {
    const keep = [...ps].filter((p) => b.get(t)?.has(p))
    if (keep.length) out.set(t, new Set(keep))
  }
  return out
}
