/**
 * `kafkit replica-verification` (kafka-replica-verification.sh): one fetcher per broker asks, as the debugging
 * consumer (replica id -2, which may read from followers), for every partition that broker holds a replica of; once
 * every broker answered, the round is verified (./verify.ts) and the next round starts from the verified offsets.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type { ReplicaVerificationSettings } from './options.js'
import {
  ReplicaBuffer,
  batchHeaders,
  toolDate,
  tpName,
  type Report,
  type ReplicaFetch,
  type TopicPartition,
} from './verify.js'

export interface ReplicaVerificationOptions extends ReplicaVerificationSettings {
  connection: ConnectionSettings
  reporter: Reporter
  debug: boolean
}

export interface ReplicaVerificationResult {
  topics: string[]
  partitions: number
  brokers: number[]
  reports: Array<{ time: string; maxLag: number; partition: string | null; offset: number; partitions: number }>
  /** Lines about replicas that disagree (checksums; an offset mismatch ends the run). */
  mismatches: string[]
  offsetMismatch: boolean
  stopped: boolean
}

export interface ReplicaVerificationControl {
  stop(): void
}

interface Plan {
  topics: string[]
  partitions: TopicPartition[]
  topicIds: Map<string, string>
  /** Broker id -> the partitions it holds a replica of, brokers in the order the tool starts its fetchers. */
  fetchers: Map<number, TopicPartition[]>
}

async function plan(client: KafkaClient, options: ReplicaVerificationOptions): Promise<Plan> {
  const { topicMetadata } = await import('../cluster/admin.js')
  const all = await topicMetadata(client, null)
  const chosen = all.filter((t) => t.errorCode === 0 && options.include.test(t.name))
  if (chosen.length === 0)
    throw new KafkitError(
      'No topics found. [topics-include] if specified, is either filtering out all topics or there is no topic.',
      { code: 'NO_TOPICS', suggestions: ['List the topics: kafkit topics --list'] },
    )
  const partitions: TopicPartition[] = []
  const fetchers = new Map<number, TopicPartition[]>()
  const topicIds = new Map<string, string>()
  for (const topic of chosen) {
    if (topic.topicId) topicIds.set(topic.name, topic.topicId)
    for (const p of [...topic.partitions].sort((a, b) => a.partition - b.partition)) {
      const tp = { topic: topic.name, partition: p.partition }
      partitions.push(tp)
      for (const replica of p.replicas) fetchers.set(replica, [...(fetchers.get(replica) ?? []), tp])
    }
  }
  return {
    topics: chosen.map((t) => t.name).sort(),
    partitions,
    topicIds,
    fetchers: new Map([...fetchers].sort(([a], [b]) => a - b)),
  }
}

/** The initial offsets, as the tool's consumer finds them (endOffsets, beginningOffsets or offsetsForTimes). */
async function initialOffsets(
  client: KafkaClient,
  partitions: TopicPartition[],
  time: bigint,
): Promise<Map<string, bigint>> {
  const { topicMetadata, listOffsets } = await import('../cluster/admin.js')
  const leaders = new Map<number, TopicPartition[]>()
  const metadata = await topicMetadata(client, [...new Set(partitions.map((p) => p.topic))])
  for (const t of metadata)
    for (const p of t.partitions)
      if (partitions.some((tp) => tp.topic === t.name && tp.partition === p.partition))
        leaders.set(p.leader, [...(leaders.get(p.leader) ?? []), { topic: t.name, partition: p.partition }])
  const offsets = new Map<string, bigint>()
  const ask = async (leader: number, tps: TopicPartition[], ts: bigint) =>
    (await listOffsets(client, leader, tps, ts)).map((a) => ({ name: tpName(a), ...a }))
  for (const [leader, tps] of leaders) {
    if (leader < 0)
      throw new KafkitError(`Partition ${tpName(tps[0]!)} has no leader: its initial offset cannot be read.`, {
        code: 'NO_LEADER',
      })
    const answers = await ask(leader, tps, time)
    // offsetsForTimes finds nothing past the last record: kafkit starts those partitions at their end.
    const missing = answers.filter((a) => a.offset < 0n)
    const ends = missing.length > 0 ? await ask(leader, missing, -1n) : []
    for (const a of [...answers, ...ends]) if (a.offset >= 0n) offsets.set(a.name, a.offset)
  }
  return offsets
}

async function fetchRound(
  client: KafkaClient,
  broker: number,
  partitions: TopicPartition[],
  buffer: ReplicaBuffer,
  topicIds: Map<string, string>,
  options: ReplicaVerificationOptions,
): Promise<void> {
  const empty: ReplicaFetch = { highWatermark: -1n, batches: [] }
  const { fetchFromReplica } = await import('../cluster/replica-fetch.js')
  try {
    const answers = await fetchFromReplica(
      client,
      broker,
      partitions.map((tp) => ({ ...tp, fetchOffset: buffer.offset(tp) })),
      topicIds,
      { maxWaitMs: options.maxWaitMs, partitionMaxBytes: options.fetchSize },
    )
    const seen = new Set<string>()
    for (const a of answers) {
      seen.add(tpName(a))
      buffer.add(a, broker, { highWatermark: a.highWatermark, batches: batchHeaders(a.records) })
    }
    for (const tp of partitions) if (!seen.has(tpName(tp))) buffer.add(tp, broker, empty)
  } catch (error) {
    // As the tool: a failed fetch counts as an empty answer (the partition's verification waits for the broker).
    options.reporter.debug(`fetch from broker ${broker} failed: ${(error as Error).message}`)
    for (const tp of partitions) buffer.add(tp, broker, empty)
  }
}

export async function runReplicaVerification(
  options: ReplicaVerificationOptions,
  print: (line: string) => void,
  control?: (c: ReplicaVerificationControl) => void,
): Promise<ReplicaVerificationResult> {
  const { withClient } = await import('../cluster/connect.js')
  const stopper = new AbortController()
  control?.({ stop: () => stopper.abort() })
  const connect = {
    ...(options.debug ? { reporter: options.reporter } : {}),
    requestTimeoutMs: Math.max(30_000, options.maxWaitMs + 10_000),
  }
  return withClient(options.connection, connect, async (client) => {
    const { topics, partitions, topicIds, fetchers } = await plan(client, options)
    const buffer = new ReplicaBuffer(
      partitions,
      await initialOffsets(client, partitions, options.time),
      options.reportIntervalMs,
      Date.now(),
    )
    print(`${toolDate(Date.now())}: verification process is started`)
    const result: ReplicaVerificationResult = {
      topics,
      partitions: partitions.length,
      brokers: [...fetchers.keys()],
      reports: [],
      mismatches: [],
      offsetMismatch: false,
      stopped: false,
    }
    while (!stopper.signal.aborted) {
      await Promise.all(
        [...fetchers].map(([broker, tps]) => fetchRound(client, broker, tps, buffer, topicIds, options)),
      )
      if (stopper.signal.aborted) break
      const round = buffer.verify(Date.now())
      for (const line of round.lines) print(line)
      if (round.report) result.reports.push(jsonReport(round.report))
      result.mismatches.push(...(round.report ? round.lines.slice(0, -1) : round.lines))
      if (round.fatal) {
        result.offsetMismatch = true
        return result
      }
      if (options.maxReports !== undefined && result.reports.length >= options.maxReports) return result
    }
    result.stopped = true
    return result
  })
}

function jsonReport(r: Report): ReplicaVerificationResult['reports'][number] {
  return {
    time: new Date(r.timeMs).toISOString(),
    maxLag: Number(r.maxLag),
    partition: r.partition,
    offset: Number(r.offset),
    partitions: r.partitions,
  }
}
