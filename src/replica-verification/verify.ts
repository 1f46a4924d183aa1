/**
 * ReplicaVerificationTool's ReplicaBuffer, ported: each round every replica's fetch of a partition is walked batch by
 * batch in step, up to each replica's high watermark; the offsets must agree (else the tool stops) and the checksums
 * should (else a line says where not); the verified offset moves on to the next batch; the round's largest lag
 * (highest high watermark minus verified offset) is reported once the report interval has passed. Pure: the caller
 * fetches and prints.
 */
import { javaHashMapOrder, topicPartitionHash } from '../output/java-format.js'

export interface BatchHeader {
  lastOffset: bigint
  nextOffset: bigint
  /** The batch's CRC-32C, unsigned, as RecordBatch.checksum() gives it. */
  checksum: number
}

/** The record batches of a fetched record set, header only (magic v2; a truncated last batch is left out). */
export function batchHeaders(set: Buffer | null): BatchHeader[] {
  const headers: BatchHeader[] = []
  if (!set) return headers
  let position = 0
  while (position + 12 <= set.length) {
    const end = position + 12 + set.readInt32BE(position + 8)
    if (end > set.length || end < position + 27) break
    const baseOffset = set.readBigInt64BE(position)
    const lastOffset = baseOffset + BigInt(set.readInt32BE(position + 23))
    headers.push({ lastOffset, nextOffset: lastOffset + 1n, checksum: set.readUInt32BE(position + 17) })
    position = end
  }
  return headers
}

export interface TopicPartition {
  topic: string
  partition: number
}

export const tpName = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`

export interface ReplicaFetch {
  highWatermark: bigint
  batches: BatchHeader[]
}

export interface Report {
  timeMs: number
  maxLag: bigint
  /** null when no partition was verified (the tool prints "null"). */
  partition: string | null
  offset: bigint
  partitions: number
}

export interface RoundResult {
  /** Lines in the order the tool prints them (checksum mismatches, then the report, or the offset mismatch). */
  lines: string[]
  report?: Report
  /** Replicas disagree on an offset: the tool prints the line and exits with 1. */
  fatal: boolean
}

/** SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS") in the local time zone. */
export function toolDate(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`
}

export function reportLine(r: Report): string {
  return `${toolDate(r.timeMs)}: max lag is ${r.maxLag} for partition ${r.partition ?? 'null'} at offset ${r.offset} among ${r.partitions} partitions`
}

export class ReplicaBuffer {
  /** Partitions in the iteration order of the tool's HashMap<TopicPartition, ...>. */
  private readonly partitions: TopicPartition[]
  private readonly offsets = new Map<string, bigint>()
  private readonly fetched = new Map<string, Map<number, ReplicaFetch>>()
  private lastReportTime: number

  constructor(
    partitions: TopicPartition[],
    initialOffsets: Map<string, bigint>,
    private readonly reportIntervalMs: number,
    now: number,
  ) {
    this.partitions = javaHashMapOrder(partitions, (tp) => topicPartitionHash(tp.topic, tp.partition))
    for (const tp of partitions) this.fetched.set(tpName(tp), new Map())
    for (const [name, offset] of initialOffsets) this.offsets.set(name, offset)
    this.lastReportTime = now
  }

  offset(tp: TopicPartition): bigint {
    return this.offsets.get(tpName(tp)) ?? -1n
  }

  add(tp: TopicPartition, replica: number, data: ReplicaFetch): void {
    this.fetched.get(tpName(tp))?.set(replica, data)
  }

  verify(now: number): RoundResult {
    const lines: string[] = []
    let maxLag = -1n
    let offsetWithMaxLag = -1n
    let maxLagPartition: string | null = null
    for (const tp of this.partitions) {
      const name = tpName(tp)
      const perReplica = this.fetched.get(name)!
      // HashMap<Integer, ...>: replica ids in bucket order.
      const replicas = javaHashMapOrder([...perReplica.keys()], (id) => id)
      const iterators = new Map(replicas.map((id) => [id, { data: perReplica.get(id)!, next: 0 }]))
      let maxHw = -1n
      for (const { data } of iterators.values()) if (data.highWatermark > maxHw) maxHw = data.highWatermark
      let inAll = true
      while (inAll) {
        let first: { replica: number; offset: bigint; nextOffset: bigint; checksum: number } | undefined
        for (const [replica, it] of iterators) {
          const batch = it.data.batches[it.next]
          if (batch === undefined) {
            inAll = false
            continue
          }
          it.next++
          if (batch.lastOffset >= it.data.highWatermark) {
            inAll = false
          } else if (first === undefined) {
            first = { replica, offset: batch.lastOffset, nextOffset: batch.nextOffset, checksum: batch.checksum }
          } else {
            if (first.offset !== batch.lastOffset) {
              lines.push(
                `${toolDate(now)}: partition ${name}: replica ${first.replica}'s offset ${first.offset} doesn't match replica ${replica}'s offset ${batch.lastOffset}`,
              )
              return { lines, fatal: true }
            }
            if (first.checksum !== batch.checksum)
              lines.push(
                `${toolDate(now)}: partition ${name} has unmatched checksum at offset ${batch.lastOffset}; replica ${first.replica}'s checksum ${first.checksum}; replica ${replica}'s checksum ${batch.checksum}`,
              )
          }
        }
        if (inAll) this.offsets.set(name, first?.nextOffset ?? -1n)
      }
      const offset = this.offsets.get(name) ?? -1n
      if (maxHw - offset > maxLag) {
        offsetWithMaxLag = offset
        maxLag = maxHw - offset
        maxLagPartition = name
      }
      perReplica.clear()
    }
    if (now - this.lastReportTime > this.reportIntervalMs) {
      const report: Report = {
        timeMs: now,
        maxLag,
        partition: maxLagPartition,
        offset: offsetWithMaxLag,
        partitions: this.partitions.length,
      }
      lines.push(reportLine(report))
      this.lastReportTime = now
      return { lines, report, fatal: false }
    }
    return { lines, fatal: false }
  }
}
