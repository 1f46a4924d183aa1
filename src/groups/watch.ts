/**
 * Live lag: samples of committed and end offsets over time, turned into produce/consume rates over a sliding window,
 * an estimated time to catch up, and the group's state and member changes between samples.
 */
import { lagOf } from './lag.js'

interface MemberInfo {
  memberId: string
  clientId: string
  host: string
}

interface GroupSample {
  group: string
  state: string
  members: MemberInfo[]
  /** `topic:partition` → offsets. */
  partitions: Map<
    string,
    { topic: string; partition: number; committed: number | null; end: number | null; start?: number | null }
  >
}

export interface Sample {
  time: number
  groups: GroupSample[]
}

/**
 * `caught-up`: no lag. `catching-up`: the lag shrank over the window (ETA known). `falling-behind`: the lag grew over
 * the window. `keeping-up`: the lag is steady while the consumer commits (consumes as fast as records arrive, never
 * catches up). `stalled`: lag but nothing moves. `measuring`: only one sample so far. `no-commit`: nothing committed.
 */
type LagStatus = 'caught-up' | 'catching-up' | 'keeping-up' | 'falling-behind' | 'stalled' | 'measuring' | 'no-commit'

export interface PartitionLag {
  topic: string
  partition: number
  committed: number | null
  end: number | null
  lag: number | null
  /** Messages per second over the window; null until there are two samples. */
  produceRate: number | null
  consumeRate: number | null
  etaSeconds: number | null
  status: LagStatus
}

interface GroupEvent {
  time: string
  message: string
}

export interface GroupLag {
  group: string
  state: string
  members: MemberInfo[]
  /** Sum of the known lags (partitions with a commit), as --describe totals it. */
  totalLag: number
  /**
   * Records in partitions with no commit, counted from the log start offset: a consumer that starts there reads them
   * all, so they are in the group's status and ETA (never a too-small ETA), but not in totalLag.
   */
  uncommittedRecords: number
  produceRate: number | null
  consumeRate: number | null
  etaSeconds: number | null
  status: LagStatus
  /** Changes since the previous sample: members joining/leaving, state transitions. */
  events: GroupEvent[]
  partitions: PartitionLag[]
}

export interface LagFrame {
  time: string
  windowSeconds: number | null
  groups: GroupLag[]
}

/**
 * Status from how the lag changed over the window (`change`: lag now minus lag at the window's oldest sample; null when
 * there is nothing to compare with). Deciding on the lag itself rather than on produce minus consume rates keeps equal
 * rates steady: two float sums of the same records need not be equal. `consumeRate` tells a steady lag that is being
 * worked on from a stalled one.
 */
export function status(
  lag: number | null,
  change: number | null,
  seconds: number,
  consumeRate: number | null,
): { status: LagStatus; eta: number | null } {
  if (lag === null) return { status: 'no-commit', eta: null }
  if (lag === 0) return { status: 'caught-up', eta: 0 }
  if (change === null || seconds <= 0) return { status: 'measuring', eta: null }
  if (change < 0) return { status: 'catching-up', eta: lag / (-change / seconds) }
  if (change > 0) return { status: 'falling-behind', eta: null }
  return { status: (consumeRate ?? 0) > 0 ? 'keeping-up' : 'stalled', eta: null }
}

const rate = (now: number | null | undefined, then: number | null | undefined, seconds: number): number | null =>
  now === null || now === undefined || then === null || then === undefined || seconds <= 0
    ? null
    : Math.max(0, (now - then) / seconds)

/**
 * Builds the frame for the newest sample. `history` is oldest first and ends with the newest sample; rates use the
 * oldest sample still inside `windowMs`, events compare with the sample just before.
 */
export function lagFrame(history: Sample[], windowMs: number): LagFrame {
  const current = history[history.length - 1]
  if (!current) throw new Error('lagFrame needs at least one sample')
  const previous = history.length > 1 ? history[history.length - 2] : undefined
  const oldest = history.find((s) => current.time - s.time <= windowMs && s !== current) ?? previous
  const seconds = oldest ? (current.time - oldest.time) / 1000 : 0
  const groups = current.groups.map((g): GroupLag => {
    const before = oldest?.groups.find((o) => o.group === g.group)
    // What is still to read per partition: the lag, or the whole retained log where nothing is committed.
    const unread = (
      p: { committed: number | null; end: number | null; start?: number | null } | undefined,
    ): number | null => {
      if (!p) return null
      const lag = lagOf(p.committed, p.end)
      if (lag !== null) return lag
      return p.end === null || p.start === null || p.start === undefined ? null : Math.max(0, p.end - p.start)
    }
    let pending = 0
    let pendingKnown = true
    let change: number | null = null
    const partitions = [...g.partitions.values()]
      .map((p): PartitionLag => {
        const old = before?.partitions.get(`${p.topic}:${p.partition}`)
        const lag = lagOf(p.committed, p.end)
        const oldLag = old ? lagOf(old.committed, old.end) : null
        const produceRate = old ? rate(p.end, old.end, seconds) : null
        const consumeRate = old ? rate(p.committed, old.committed, seconds) : null
        const s = status(lag, lag !== null && oldLag !== null ? lag - oldLag : null, seconds, consumeRate)
        const now = unread(p)
        const then = unread(old)
        if (now === null) pendingKnown = false
        else pending += now
        if (now !== null && then !== null) change = (change ?? 0) + now - then
        return {
          topic: p.topic,
          partition: p.partition,
          committed: p.committed,
          end: p.end,
          lag,
          produceRate,
          consumeRate,
          etaSeconds: s.eta,
          status: s.status,
        }
      })
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
    const sum = (values: Array<number | null>) =>
      values.every((v) => v === null) ? null : values.reduce<number>((t, v) => t + (v ?? 0), 0)
    const committedAny = partitions.some((p) => p.lag !== null)
    const totalLag = partitions.reduce((t, p) => t + (p.lag ?? 0), 0)
    const produceRate = partitions.length ? sum(partitions.map((p) => p.produceRate)) : null
    const consumeRate = partitions.length ? sum(partitions.map((p) => p.consumeRate)) : null
    const s = status(committedAny ? pending : null, change, seconds, consumeRate)
    const prior = previous?.groups.find((o) => o.group === g.group)
    return {
      group: g.group,
      state: g.state,
      members: g.members,
      totalLag,
      uncommittedRecords: pending - totalLag,
      produceRate,
      consumeRate,
      // A partition whose end offset is unknown makes any estimate too small: no ETA rather than a wrong one.
      etaSeconds: pendingKnown || s.status === 'caught-up' ? s.eta : null,
      status: s.status,
      events: prior ? groupEvents(prior, g, new Date(current.time)) : [],
      partitions,
    }
  })
  return { time: new Date(current.time).toISOString(), windowSeconds: oldest ? seconds : null, groups }
}

export function groupEvents(
  before: Pick<GroupSample, 'state' | 'members'>,
  after: Pick<GroupSample, 'state' | 'members'>,
  at: Date,
): GroupEvent[] {
  const time = at.toISOString()
  const events: GroupEvent[] = []
  if (before.state !== after.state) events.push({ time, message: `state ${before.state} -> ${after.state}` })
  const was = new Set(before.members.map((m) => m.memberId))
  const is = new Set(after.members.map((m) => m.memberId))
  for (const m of after.members)
    if (!was.has(m.memberId)) events.push({ time, message: `member joined: ${m.memberId} (${m.clientId}, ${m.host})` })
  for (const m of before.members)
    if (!is.has(m.memberId)) events.push({ time, message: `member left: ${m.memberId} (${m.clientId}, ${m.host})` })
  return events
}

/** The groups asked for by name that Kafka reports as Dead: they do not exist (an existing group with no members is Empty). */
export function missingGroups(sample: Sample, named: string[]): string[] {
  return sample.groups.filter((g) => g.state === 'Dead' && named.includes(g.group)).map((g) => g.group)
}

/** Keeps the samples inside the window (the newest is always kept). */
export function trimHistory(history: Sample[], windowMs: number): Sample[] {
  const newest = history[history.length - 1]
  if (!newest) return history
  const firstInside = history.findIndex((s) => newest.time - s.time <= windowMs)
  return history.slice(firstInside)
}
