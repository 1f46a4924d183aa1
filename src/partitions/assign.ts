/**
 * The arithmetic of kafka-reassign-partitions.sh, pure: Kafka's replica placement for --generate
 * (AdminUtils.assignReplicasToBrokers: round robin from a random start, rack-alternated when every broker has a
 * rack) and the throttled-replica lists --execute writes (leader.replication.throttled.replicas = "partition:source"
 * entries, follower.replication.throttled.replicas = "partition:destination" entries).
 */
import { UsageError } from '../errors.js'

export interface BrokerRack {
  id: number
  rack: string | null
}

function replicaIndex(first: number, secondShift: number, index: number, brokers: number): number {
  const shift = 1 + ((secondShift + index) % (brokers - 1))
  return (first + shift) % brokers
}

/** Brokers ordered rack by rack (racks sorted, brokers in id order within a rack): AdminUtils.getRackAlternatedBrokerList. */
export function rackAlternatedBrokers(brokers: Array<{ id: number; rack: string }>): number[] {
  const byRack = new Map<string, number[]>()
  for (const b of brokers) byRack.set(b.rack, [...(byRack.get(b.rack) ?? []), b.id])
  const racks = [...byRack.keys()].sort()
  const queues = racks.map((r) => [...byRack.get(r)!].sort((a, b) => a - b))
  const result: number[] = []
  for (let i = 0; result.length < brokers.length; i = (i + 1) % racks.length) {
    const next = queues[i]!.shift()
    if (next !== undefined) result.push(next)
  }
  return result
}

/**
 * Replicas for partitions 0..n-1 of one topic. `random(n)` picks the start index and the replica shift, as Kafka's
 * AdminUtils does (so two runs propose different layouts, as the script's do); tests pass a fixed one.
 */
export function assignReplicasToBrokers(
  brokers: BrokerRack[],
  partitions: number,
  replicationFactor: number,
  random: (n: number) => number = (n) => Math.floor(Math.random() * n),
): number[][] {
  if (partitions <= 0) throw new UsageError('Number of partitions must be larger than 0.', { code: 'BAD_ASSIGNMENT' })
  if (replicationFactor <= 0)
    throw new UsageError('Replication factor must be larger than 0.', { code: 'BAD_ASSIGNMENT' })
  if (replicationFactor > brokers.length) {
    throw new UsageError(`Replication factor: ${replicationFactor} larger than available brokers: ${brokers.length}.`, {
      code: 'BAD_ASSIGNMENT',
    })
  }
  const racked = brokers.every((b) => b.rack !== null)
  const list = racked ? rackAlternatedBrokers(brokers as Array<{ id: number; rack: string }>) : brokers.map((b) => b.id)
  const rackOf = new Map(brokers.map((b) => [b.id, b.rack]))
  const numRacks = new Set(brokers.map((b) => b.rack)).size
  const n = list.length
  const startIndex = random(n)
  let nextReplicaShift = random(n)
  const result: number[][] = []
  for (let partition = 0; partition < partitions; partition++) {
    if (partition > 0 && partition % n === 0) nextReplicaShift += 1
    const first = (partition + startIndex) % n
    const replicas = [list[first]!]
    if (!racked) {
      for (let j = 0; j < replicationFactor - 1; j++) replicas.push(list[replicaIndex(first, nextReplicaShift, j, n)]!)
    } else {
      const racks = new Set([rackOf.get(list[first]!)])
      const used = new Set([list[first]!])
      let k = 0
      for (let j = 0; j < replicationFactor - 1; j++) {
        for (;;) {
          const broker = list[replicaIndex(first, nextReplicaShift * numRacks, k, n)]!
          const rack = rackOf.get(broker)
          k += 1
          // A broker on a rack that already has a replica, or already holding one, is skipped while others remain.
          if ((!racks.has(rack) || racks.size === numRacks) && (!used.has(broker) || used.size === n)) {
            replicas.push(broker)
            racks.add(rack)
            used.add(broker)
            break
          }
        }
      }
    }
    result.push(replicas)
  }
  return result
}

/** One partition's move: the replicas it has (sources) and the ones it gains (destinations). */
export interface PartitionMove {
  topic: string
  partition: number
  sources: number[]
  destinations: number[]
}

/**
 * ReassignPartitionsCommand.calculateProposedMoveMap: the ongoing reassignments' moves, overridden by the proposed
 * ones (whose sources are the ongoing move's sources, else the current replicas).
 */
export function proposedMoves(
  ongoing: Array<{ topic: string; partition: number; replicas: number[]; addingReplicas: number[] }>,
  proposed: Array<{ topic: string; partition: number; replicas: number[] }>,
  current: Map<string, number[]>,
): PartitionMove[] {
  const moves = new Map<string, PartitionMove>()
  const key = (t: string, p: number) => `${t}\u0000${p}`
  for (const o of ongoing) {
    moves.set(key(o.topic, o.partition), {
      topic: o.topic,
      partition: o.partition,
      sources: o.replicas.filter((r) => !o.addingReplicas.includes(r)),
      destinations: [...o.addingReplicas],
    })
  }
  for (const p of proposed) {
    const k = key(p.topic, p.partition)
    const sources = moves.get(k)?.sources ?? current.get(k)
    if (!sources) throw new Error(`Trying to reassign a topic partition ${p.topic}-${p.partition} with 0 replicas`)
    moves.set(k, {
      topic: p.topic,
      partition: p.partition,
      sources: [...sources],
      destinations: p.replicas.filter((r) => !sources.includes(r)),
    })
  }
  return [...moves.values()]
}

/** Topic -> "partition:broker,..." (entries sorted as strings, like the Java TreeSet). */
function throttleLists(moves: PartitionMove[], brokersOf: (m: PartitionMove) => number[]): Map<string, string> {
  const byTopic = new Map<string, Set<string>>()
  for (const m of moves) {
    const set = byTopic.get(m.topic) ?? new Set<string>()
    for (const b of brokersOf(m)) set.add(`${m.partition}:${b}`)
    byTopic.set(m.topic, set)
  }
  return new Map([...byTopic].map(([topic, set]) => [topic, [...set].sort().join(',')]))
}

export function leaderThrottles(moves: PartitionMove[]): Map<string, string> {
  return throttleLists(moves, (m) => m.sources)
}

export function followerThrottles(moves: PartitionMove[]): Map<string, string> {
  return throttleLists(moves, (m) => m.destinations.filter((d) => !m.sources.includes(d)))
}

/** Every broker a move reads from or writes to, ascending. */
export function reassigningBrokers(moves: PartitionMove[]): number[] {
  return [...new Set(moves.flatMap((m) => [...m.sources, ...m.destinations]))].sort((a, b) => a - b)
}
