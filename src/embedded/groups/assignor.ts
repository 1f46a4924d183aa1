/**
 * Server-side assignors of KIP-848 (`uniform`, Kafka's default, and `range`), simplified for a single node: the
 * uniform one keeps a partition with its previous owner while that owner is under its share, then gives each
 * remaining partition to the subscribed member with the fewest; range gives each member a contiguous run per topic.
 */
import type { Assignment } from './consumer.js'

export interface AssignorTopic {
  topicId: string
  partitions: number
}

export interface AssignorMember {
  memberId: string
  /** Topic ids the member subscribes to (existing topics only). */
  topics: string[]
}

export const ASSIGNORS = ['uniform', 'range'] as const

export function assign(
  assignor: string,
  members: AssignorMember[],
  topics: Map<string, AssignorTopic>,
  previous: Map<string, Assignment>,
): Map<string, Assignment> {
  const sorted = [...members].sort((a, b) => a.memberId.localeCompare(b.memberId))
  const result = new Map<string, Assignment>(sorted.map((m) => [m.memberId, new Map()]))
  const give = (memberId: string, topicId: string, p: number): void => {
    const a = result.get(memberId)!
    let ps = a.get(topicId)
    if (!ps) a.set(topicId, (ps = new Set()))
    ps.add(p)
  }
  const subscribers = new Map<string, string[]>()
  for (const m of sorted)
    for (const t of m.topics) {
      if (!topics.has(t)) continue
      const list = subscribers.get(t) ?? []
      list.push(m.memberId)
      subscribers.set(t, list)
    }
  if (assignor === 'range') {
    for (const [topicId, memberIds] of subscribers) {
      const n = topics.get(topicId)!.partitions
      const per = Math.floor(n / memberIds.length)
      const extra = n % memberIds.length
      let p = 0
      memberIds.forEach((memberId, i) => {
        for (let k = 0; k < per + (i < extra ? 1 : 0); k++) give(memberId, topicId, p++)
      })
    }
    return result
  }
  const all: [string, number][] = []
  for (const topicId of [...subscribers.keys()].sort())
    for (let p = 0; p < topics.get(topicId)!.partitions; p++) all.push([topicId, p])
  const quota = sorted.length ? Math.ceil(all.length / sorted.length) : 0
  const counts = new Map<string, number>(sorted.map((m) => [m.memberId, 0]))
  const left: [string, number][] = []
  const owner = new Map<string, string>()
  for (const [memberId, a] of previous) for (const [t, ps] of a) for (const p of ps) owner.set(`${t}:${p}`, memberId)
  for (const [topicId, p] of all) {
    const prev = owner.get(`${topicId}:${p}`)
    if (prev !== undefined && subscribers.get(topicId)!.includes(prev) && counts.get(prev)! < quota) {
      give(prev, topicId, p)
      counts.set(prev, counts.get(prev)! + 1)
    } else left.push([topicId, p])
  }
  for (const [topicId, p] of left) {
    let best: string | undefined
    for (const memberId of subscribers.get(topicId)!)
      if (best === undefined || counts.get(memberId)! < counts.get(best)!) best = memberId
    give(best!, topicId, p)
    counts.set(best!, counts.get(best!)! + 1)
  }
  return result
}
