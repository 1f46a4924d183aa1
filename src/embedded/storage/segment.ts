/**
 * One log segment as Kafka lays it out: `<base offset, 20 digits>.log` holding record batches back to back, and the
 * sparse `.index` (relative offset, position: 8 bytes) and `.timeindex` (timestamp, relative offset: 12 bytes) beside
 * it. The index entries are also kept in memory (a few per 4 KiB of log), so lookups never touch the index files;
 * the files are written entry by entry, never preallocated, so Kafka's DumpLogSegments reads them as they are.
 */
import {
  closeSync,
  constants,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'

/** index.interval.bytes: Kafka's default spacing of index entries. */
export const INDEX_INTERVAL_BYTES = 4096

export const segmentName = (baseOffset: number, suffix: '.log' | '.index' | '.timeindex'): string =>
  String(baseOffset).padStart(20, '0') + suffix

export function writeFully(fd: number, data: Uint8Array, position: number): void {
  let done = 0
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done)
}

/** Reads exactly `length` bytes at `position` (short only at the end of the file). */
export function readAt(fd: number, target: Buffer, length: number, position: number): number {
  let done = 0
  while (done < length) {
    const n = readSync(fd, target, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done
}

/** An index entry is written as soon as it is made: the cost is one 8- and one 12-byte write per 4 KiB of log. */
class IndexFile {
  private fd: number | undefined
  private size = 0

  constructor(
    readonly path: string,
    private readonly entrySize: number,
  ) {}

  append(entry: Buffer): void {
    this.fd ??= openSync(this.path, constants.O_RDWR | constants.O_CREAT, 0o644)
    writeFully(this.fd, entry, this.size)
    this.size += this.entrySize
  }

  /** Replaces the file's content (an index rebuilt from the log on open) unless it is already that. */
  rewriteIfChanged(content: Buffer): void {
    let current: Buffer | undefined
    try {
      current = readFileSync(this.path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    this.size = content.length
    if (current?.equals(content)) return
    this.fd ??= openSync(this.path, constants.O_RDWR | constants.O_CREAT, 0o644)
    ftruncateSync(this.fd, 0)
    writeFully(this.fd, content, 0)
  }

  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd)
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

export class Segment {
  readonly fd: number
  /** Bytes of whole batches in the .log. */
  size = 0
  /** The offset after the last batch (= baseOffset while empty). */
  nextOffset: number
  /** Largest batch max timestamp so far and the last offset of that batch (LogSegment.maxTimestampAndOffsetSoFar). */
  maxTimestamp = -1
  offsetOfMaxTimestamp = -1
  /** Offset index: entry i maps the last offset baseOffset + indexOffsets[i] of a batch to its position. */
  readonly indexOffsets: number[] = []
  readonly indexPositions: number[] = []
  readonly timeIndexTimestamps: number[] = []
  readonly timeIndexOffsets: number[] = []
  private bytesSinceLastIndexEntry = 0
  private readonly index: IndexFile
  private readonly timeIndex: IndexFile
  private readonly entry = Buffer.alloc(12)

  constructor(
    readonly dir: string,
    readonly baseOffset: number,
  ) {
    this.nextOffset = baseOffset
    this.fd = openSync(join(dir, segmentName(baseOffset, '.log')), constants.O_RDWR | constants.O_CREAT, 0o644)
    this.index = new IndexFile(join(dir, segmentName(baseOffset, '.index')), 8)
    this.timeIndex = new IndexFile(join(dir, segmentName(baseOffset, '.timeindex')), 12)
  }

  /**
   * Accounts for a batch written at `position` (LogSegment.append): the index entry goes before the batch's own size
   * is counted, so a segment's first batch never has one, as in Kafka.
   */
  onBatch(position: number, size: number, lastOffset: number, maxTimestamp: number, writeIndex: boolean): void {
    if (maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = maxTimestamp
      this.offsetOfMaxTimestamp = lastOffset
    }
    if (this.bytesSinceLastIndexEntry > INDEX_INTERVAL_BYTES) {
      this.indexOffsets.push(lastOffset - this.baseOffset)
      this.indexPositions.push(position)
      if (writeIndex) {
        this.entry.writeInt32BE(lastOffset - this.baseOffset, 0)
        this.entry.writeInt32BE(position, 4)
        this.index.append(this.entry.subarray(0, 8))
      }
      this.maybeAppendTimeIndex(writeIndex)
      this.bytesSinceLastIndexEntry = 0
    }
    this.bytesSinceLastIndexEntry += size
    this.size = position + size
    this.nextOffset = lastOffset + 1
  }

  /** TimeIndex.maybeAppend: only a timestamp larger than the last entry's makes an entry. */
  maybeAppendTimeIndex(write: boolean): void {
    const last = this.timeIndexTimestamps.length
    if (this.maxTimestamp <= (last === 0 ? -1 : this.timeIndexTimestamps[last - 1]!)) return
    this.timeIndexTimestamps.push(this.maxTimestamp)
    this.timeIndexOffsets.push(this.offsetOfMaxTimestamp - this.baseOffset)
    if (write) {
      this.entry.writeBigInt64BE(BigInt(this.maxTimestamp), 0)
      this.entry.writeInt32BE(this.offsetOfMaxTimestamp - this.baseOffset, 8)
      this.timeIndex.append(this.entry)
    }
  }

  /**
   * The index files as Kafka would have them, from the in-memory entries (after a scan of the log on open); files
   * that already hold exactly that are left alone.
   */
  writeIndexes(): void {
    const index = Buffer.alloc(this.indexOffsets.length * 8)
    for (let i = 0; i < this.indexOffsets.length; i++) {
      index.writeInt32BE(this.indexOffsets[i]!, i * 8)
      index.writeInt32BE(this.indexPositions[i]!, i * 8 + 4)
    }
    const timeIndex = Buffer.alloc(this.timeIndexTimestamps.length * 12)
    for (let i = 0; i < this.timeIndexTimestamps.length; i++) {
      timeIndex.writeBigInt64BE(BigInt(this.timeIndexTimestamps[i]!), i * 12)
      timeIndex.writeInt32BE(this.timeIndexOffsets[i]!, i * 12 + 8)
    }
    this.index.rewriteIfChanged(index)
    this.timeIndex.rewriteIfChanged(timeIndex)
  }

  /** Position of the last indexed batch whose last offset is <= offset (OffsetIndex.lookup), or 0. */
  lookup(offset: number): number {
    const relative = offset - this.baseOffset
    let lo = 0
    let hi = this.indexOffsets.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.indexOffsets[mid]! <= relative) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found < 0 ? 0 : this.indexPositions[found]!
  }

  /** Offset of the last time index entry with timestamp <= ts (TimeIndex.lookup), or the base offset. */
  timeLookup(timestamp: number): number {
    let lo = 0
    let hi = this.timeIndexTimestamps.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.timeIndexTimestamps[mid]! <= timestamp) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return this.baseOffset + (found < 0 ? 0 : this.timeIndexOffsets[found]!)
  }

  truncate(size: number): void {
    ftruncateSync(this.fd, size)
    this.size = size
  }

  /** Called when the segment stops being the active one (LogSegment.onBecomeInactiveSegment). */
  onBecomeInactive(): void {
    // The final time index entry carries the segment's max timestamp (Kafka reads it back on load).
    this.maybeAppendTimeIndex(true)
    this.flush()
    this.index.close()
    this.timeIndex.close()
  }

  flush(): void {
    fsyncSync(this.fd)
    this.index.flush()
    this.timeIndex.flush()
  }

  close(): void {
    closeSync(this.fd)
    this.index.close()
    this.timeIndex.close()
  }

  delete(): void {
    this.close()
    for (const suffix of ['.log', '.index', '.timeindex'] as const) {
      try {
        unlinkSync(join(this.dir, segmentName(this.baseOffset, suffix)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
    }
  }
}
