/**
 * Committed offsets and group metadata on disk: an append-only file of JSON lines (`<dataDir>/groups.log`), replayed
 * and compacted on open (written to a temporary file, then renamed over the old one, so a crash during compaction
 * leaves either the old or the new file). Kafka keeps the same facts as records in __consumer_offsets; a line that
 * was torn by a crash is the last one and is dropped, like a torn batch at the tail of a log.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'

export interface CommittedOffset {
  offset: bigint
  leaderEpoch: number
  metadata: string | null
  commitTimestamp: number
}

/** What survives a restart about a group (its members do not: they rejoin, as after a coordinator failover). */
export interface StoredGroup {
  type: 'classic' | 'consumer'
  protocolType: string
  /** Generation (classic) or group epoch (consumer). */
  generation: number
}

const COMPACT_AFTER_LINES = 10_000

type Line =
  | { t: 'o'; g: string; topic: string; p: number; o: string; e: number; m: string | null; ts: number }
  | { t: 'od'; g: string; topic: string; p: number }
  | { t: 'g'; g: string; type: StoredGroup['type']; pt: string; gen: number }
  | { t: 'gd'; g: string }

export class GroupStore {
  /** group -> topic -> partition -> offset */
  readonly offsets = new Map<string, Map<string, Map<number, CommittedOffset>>>()
  readonly groups = new Map<string, StoredGroup>()
  private readonly file: string | undefined
  /** Lines appended since the last compaction. */
  private appended = 0

  /** Without a directory (an in-memory broker: undefined or '') nothing is written. */
  constructor(dataDir: string | undefined) {
    if (!dataDir) return
    mkdirSync(dataDir, { recursive: true })
    this.file = join(dataDir, 'groups.log')
    if (existsSync(this.file)) {
      for (const text of readFileSync(this.file, 'utf8').split('\n')) {
        if (text === '') continue
        let line: Line
        try {
          line = JSON.parse(text) as Line
        } catch {
          break // a torn tail: everything before it is whole
        }
        this.apply(line)
      }
    }
    this.compact()
  }

  commit(group: string, topic: string, partition: number, value: CommittedOffset): void {
    this.write({
      t: 'o',
      g: group,
      topic,
      p: partition,
      o: value.offset.toString(),
      e: value.leaderEpoch,
      m: value.metadata,
      ts: value.commitTimestamp,
    })
  }

  deleteOffset(group: string, topic: string, partition: number): void {
    this.write({ t: 'od', g: group, topic, p: partition })
  }

  saveGroup(group: string, value: StoredGroup): void {
    const old = this.groups.get(group)
    if (
      old &&
      old.type === value.type &&
      old.protocolType === value.protocolType &&
      old.generation === value.generation
    )
      return
    this.write({ t: 'g', g: group, type: value.type, pt: value.protocolType, gen: value.generation })
  }

  /** Drops the group and its offsets. */
  deleteGroup(group: string): void {
    if (!this.groups.has(group) && !this.offsets.has(group)) return
    this.write({ t: 'gd', g: group })
  }

  groupOffsets(group: string): Map<string, Map<number, CommittedOffset>> | undefined {
    return this.offsets.get(group)
  }

  private write(line: Line): void {
    this.apply(line)
    if (this.file === undefined) return
    appendFileSync(this.file, JSON.stringify(line) + '\n')
    // Consumers commit the same partitions over and over: rewrite the file once it is mostly superseded lines.
    if (++this.appended > COMPACT_AFTER_LINES && this.appended > 4 * this.liveLines()) this.compact()
  }

  private liveLines(): number {
    let n = this.groups.size
    for (const topics of this.offsets.values()) for (const partitions of topics.values()) n += partitions.size
    return n
  }

  private apply(line: Line): void {
    switch (line.t) {
      case 'o': {
        let topics = this.offsets.get(line.g)
        if (!topics) this.offsets.set(line.g, (topics = new Map()))
        let partitions = topics.get(line.topic)
        if (!partitions) topics.set(line.topic, (partitions = new Map()))
        partitions.set(line.p, {
          offset: BigInt(line.o),
          leaderEpoch: line.e,
          metadata: line.m,
          commitTimestamp: line.ts,
        })
        break
      }
      case 'od': {
        const topics = this.offsets.get(line.g)
        const partitions = topics?.get(line.topic)
        partitions?.delete(line.p)
        if (partitions?.size === 0) topics?.delete(line.topic)
        if (topics?.size === 0) this.offsets.delete(line.g)
        break
      }
      case 'g':
        this.groups.set(line.g, { type: line.type, protocolType: line.pt, generation: line.gen })
        break
      case 'gd':
        this.groups.delete(line.g)
        this.offsets.delete(line.g)
        break
    }
  }

  private compact(): void {
    if (this.file === undefined) return
    const lines: string[] = []
    for (const [g, value] of this.groups)
      lines.push(JSON.stringify({ t: 'g', g, type: value.type, pt: value.protocolType, gen: value.generation }))
    for (const [g, topics] of this.offsets)
      for (const [topic, partitions] of topics)
        for (const [p, v] of partitions)
          lines.push(
            JSON.stringify({
              t: 'o',
              g,
              topic,
              p,
              o: v.offset.toString(),
              e: v.leaderEpoch,
              m: v.metadata,
              ts: v.commitTimestamp,
            }),
          )
    const temp = `${this.file}.tmp`
    const fd = openSync(temp, 'w')
    try {
      writeSync(fd, lines.length ? lines.join('\n') + '\n' : '')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, this.file)
    this.appended = 0
  }
}
