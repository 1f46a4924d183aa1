/**
 * One partition's log on disk, following Kafka's UnifiedLog/LocalLog: batches kept as the producer sent them (only
 * the base offset and leader epoch filled in, and for LogAppendTime topics the max timestamp, as Kafka's LogValidator
 * does in place), segments rolled at segment.bytes, sparse indexes, producer state for idempotent producers.
 * Appends and reads work on batch headers only: records are decoded (and decompressed) only to answer ListOffsets by
 * timestamp, where Kafka decodes them too.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { decodeRecordBatches } from '../../records/batch-decoder.js'
import {
  ATTR_COMPRESSION,
  ATTR_CONTROL,
  ATTR_LOG_APPEND_TIME,
  ATTR_TRANSACTIONAL,
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_SEQUENCE,
  BATCH_LENGTH,
  CRC,
  HEADER_SIZE_UP_TO_MAGIC,
  incrementSequence,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAX_TIMESTAMP,
  MIN_RECORD_OVERHEAD,
  PARTITION_LEADER_EPOCH,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RECORDS_COUNT,
  V2_HEADER,
} from '../../records/batch-layout.js'
import { crc32c } from '../../records/crc32c.js'
import { BrokerError, type AppendResult, type LogConfig, type PartitionLog } from '../contracts.js'
import { ERRORS } from './errors.js'
import { ProducerState } from './producer-state.js'
import { readAt, Segment, segmentName, writeFully } from './segment.js'

/** A single node is the leader from epoch 0 on and stays so: Kafka writes the leader's epoch into each batch. */
const LEADER_EPOCH = 0
const EMPTY = Buffer.alloc(0)
const WINDOW = 64 * 1024
const INT32_MAX = 0x7fffffff
/**
 * Left by close() after the last fsync (Kafka's `.kafka_cleanshutdown`, per partition here): its presence on open
 * means no write was torn, so the active segment's CRCs need not be checked. Removed on open, so a later crash is seen.
 */
const CLEAN_SHUTDOWN = '.kafkit_cleanshutdown'

export interface LogHooks {
  /** The log start offset moved by DeleteRecords: persist it before segments go. */
  persistStartOffset(offset: number): void
  warn(message: string): void
}

/**
 * Reads from segment files through one 64 KiB window, so walking batch headers costs a read per window, not per
 * batch; bytes below a segment's size never change, so the window stays valid until the segment is truncated or goes.
 */
class WindowReader {
  data = Buffer.allocUnsafe(WINDOW)
  private segment: Segment | undefined
  private start = 0
  private length = 0

  /** Makes log bytes [position, position + length) of `segment` available in `data`; returns their offset there. */
  at(segment: Segment, position: number, length: number): number {
    if (segment === this.segment && position >= this.start && position + length <= this.start + this.length)
      return position - this.start
    if (length > this.data.length) this.data = Buffer.allocUnsafe(length)
    else if (this.data.length > WINDOW && length <= WINDOW) this.data = Buffer.allocUnsafe(WINDOW)
    this.segment = segment
    this.start = position
    this.length = readAt(segment.fd, this.data, Math.min(this.data.length, segment.size - position), position)
    return 0
  }

  forget(segment: Segment): void {
    if (this.segment === segment) this.segment = undefined
  }
}

export class FilePartitionLog implements PartitionLog {
  private segments: Segment[] = []
  private startOffset = 0
  private endOffset = 0
  private readonly producers = new ProducerState()
  private readonly reader = new WindowReader()
  /** Where the last read() ended: a consumer's next fetch starts there, so no index lookup or scan is needed. */
  private next: { segment: Segment; offset: number; position: number } | undefined
  private closed = false

  constructor(
    readonly dir: string,
    public config: LogConfig,
    checkpointedStart: number | undefined,
    private readonly hooks: LogHooks,
  ) {
    mkdirSync(dir, { recursive: true })
    this.load(checkpointedStart ?? 0)
  }

  get logStartOffset(): bigint {
    return BigInt(this.startOffset)
  }

  get logEndOffset(): bigint {
    return BigInt(this.endOffset)
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!
  }

  // ---- open: recovery ----

  /**
   * Opens every segment, walking its batch headers to rebuild the in-memory indexes and the producer state; after an
   * unclean shutdown the last segment's batches are also CRC-checked, since only the active segment can hold a torn
   * write (a rolled one was fsynced when it rolled). Whatever follows the first bad batch is truncated away, as
   * Kafka's recovery does.
   */
  private load(checkpointedStart: number): void {
    const clean = existsSync(join(this.dir, CLEAN_SHUTDOWN))
    if (clean) unlinkSync(join(this.dir, CLEAN_SHUTDOWN))
    const names = readdirSync(this.dir)
    const bases = names
      .filter((n) => /^\d{20}\.log$/.test(n))
      .map((n) => Number(n.slice(0, 20)))
      .sort((a, b) => a - b)
    const present = new Set(bases.map((b) => segmentName(b, '.log')))
    for (const name of names) {
      const match = /^(\d{20})\.(index|timeindex)$/.exec(name)
      if (match && !present.has(`${match[1]}.log`)) unlinkSync(join(this.dir, name))
    }
    if (bases.length === 0) {
      this.segments = [new Segment(this.dir, checkpointedStart)]
      this.startOffset = this.endOffset = checkpointedStart
      this.active.writeIndexes()
      return
    }
    for (let i = 0; i < bases.length; i++) {
      const segment = new Segment(this.dir, bases[i]!)
      this.segments.push(segment)
      const last = i === bases.length - 1
      const expected = i === 0 ? segment.baseOffset : this.segments[i - 1]!.nextOffset
      const fileSize = statSync(join(this.dir, segmentName(segment.baseOffset, '.log'))).size
      const problem =
        segment.baseOffset !== expected
          ? `segment ${segmentName(segment.baseOffset, '.log')} does not start at offset ${expected}`
          : this.recover(segment, fileSize, last && !clean)
      if (problem !== undefined) {
        this.hooks.warn(`${this.dir}: ${problem}; truncating the log there`)
        for (const later of this.segments.splice(i + 1)) later.delete()
        for (const base of bases.slice(i + 1)) new Segment(this.dir, base).delete()
        if (segment.baseOffset !== expected) {
          this.segments.pop()!.delete()
          if (this.segments.length === 0) this.segments.push(new Segment(this.dir, expected))
        }
        break
      }
      // A rolled segment got a last time index entry with its max timestamp (LogSegment.onBecomeInactiveSegment).
      if (!last) segment.maybeAppendTimeIndex(false)
    }
    for (const segment of this.segments) segment.writeIndexes()
    this.endOffset = this.active.nextOffset
    this.startOffset = Math.min(Math.max(checkpointedStart, this.segments[0]!.baseOffset), this.endOffset)
  }

  /** Walks a segment's batches; returns why it stopped early (after truncating there), or undefined. */
  private recover(segment: Segment, fileSize: number, verifyCrc: boolean): string | undefined {
    let position = 0
    let expected = segment.baseOffset
    const reader = this.reader
    let problem: string | undefined
    while (position < fileSize) {
      if (fileSize - position < V2_HEADER) {
        problem = `${fileSize - position} trailing bytes at position ${position} (a torn write)`
        break
      }
      segment.size = fileSize // lets the reader see the bytes being recovered
      let at = reader.at(segment, position, V2_HEADER)
      let data = reader.data
      const size = data.readInt32BE(at + BATCH_LENGTH) + LOG_OVERHEAD
      const baseOffset = Number(data.readBigInt64BE(at + BASE_OFFSET))
      const lastOffsetDelta = data.readInt32BE(at + LAST_OFFSET_DELTA)
      if (size < V2_HEADER || data.readInt8(at + MAGIC) !== 2 || baseOffset !== expected || lastOffsetDelta < 0) {
        problem = `invalid batch header at position ${position}`
        break
      }
      if (position + size > fileSize) {
        problem = `a batch of ${size} bytes at position ${position} runs past the end of the file (a torn write)`
        break
      }
      const maxTimestamp = Number(data.readBigInt64BE(at + MAX_TIMESTAMP))
      const producerId = data.readBigInt64BE(at + PRODUCER_ID)
      const epoch = data.readInt16BE(at + PRODUCER_EPOCH)
      const firstSeq = data.readInt32BE(at + BASE_SEQUENCE)
      if (verifyCrc) {
        at = reader.at(segment, position, size)
        data = reader.data
        if (data.readUInt32BE(at + CRC) !== crc32c(data, at + ATTRIBUTES, at + size)) {
          problem = `a batch with a bad CRC at position ${position}`
          break
        }
      }
      const lastOffset = baseOffset + lastOffsetDelta
      segment.onBatch(position, size, lastOffset, maxTimestamp, false)
      if (producerId >= 0n)
        this.producers.update(producerId, epoch, {
          firstSeq,
          lastSeq: incrementSequence(firstSeq, lastOffsetDelta),
          firstOffset: baseOffset,
          lastOffset,
          timestamp: maxTimestamp,
        })
      expected = lastOffset + 1
      position += size
    }
    segment.size = position
    segment.nextOffset = expected
    this.reader.forget(segment)
    if (problem !== undefined || position !== fileSize) segment.truncate(position)
    return problem
  }

  // ---- append ----

  append(records: Buffer, nowMs: bigint): AppendResult {
    this.ensureOpen()
    const size = this.validateRequest(records)
    const batch = records.subarray(0, size)
    const attributes = batch.readInt16BE(ATTRIBUTES)
    const lastOffsetDelta = batch.readInt32BE(LAST_OFFSET_DELTA)
    // LogValidator.validateBatch: a client's batch carries a consistent count, no control records, a sequence.
    const count = batch.readInt32BE(RECORDS_COUNT)
    if (lastOffsetDelta < 0 || count <= 0 || count !== lastOffsetDelta + 1)
      throw new BrokerError(ERRORS.INVALID_RECORD, `Inconsistent batch offset range or record count (${count})`)
    if (attributes & ATTR_CONTROL)
      throw new BrokerError(ERRORS.INVALID_RECORD, 'Clients are not allowed to write control records')
    if ((attributes & ATTR_COMPRESSION) > 4)
      throw new BrokerError(ERRORS.UNKNOWN_SERVER_ERROR, `Unknown compression type id ${attributes & ATTR_COMPRESSION}`)
    const producerId = batch.readBigInt64BE(PRODUCER_ID)
    const epoch = batch.readInt16BE(PRODUCER_EPOCH)
    const firstSeq = batch.readInt32BE(BASE_SEQUENCE)
    const idempotent = producerId >= 0n
    if (idempotent && firstSeq < 0)
      throw new BrokerError(ERRORS.INVALID_RECORD, `Invalid sequence number ${firstSeq} with producerId ${producerId}`)
    // Transactions are out of scope: without a transaction coordinator no write can be part of a verified one.
    if (attributes & ATTR_TRANSACTIONAL)
      throw new BrokerError(ERRORS.INVALID_TXN_STATE, 'Transactions are not supported by the embedded broker')
    if (size > this.config.segmentBytes)
      throw new BrokerError(
        ERRORS.RECORD_LIST_TOO_LARGE,
        `Message batch size is ${size} bytes which exceeds the maximum configured segment size of ${this.config.segmentBytes}.`,
      )

    const logAppendTime = this.config.timestampType === 'LogAppendTime'
    const lastSeq = idempotent ? incrementSequence(firstSeq, lastOffsetDelta) : -1
    if (idempotent) {
      const duplicate = this.producers.findDuplicate(producerId, epoch, firstSeq, lastSeq)
      if (duplicate)
        return {
          baseOffset: BigInt(duplicate.firstOffset),
          lastOffset: BigInt(duplicate.lastOffset),
          logAppendTimeMs: logAppendTime ? BigInt(duplicate.timestamp) : -1n,
          logStartOffset: BigInt(this.startOffset),
          duplicate: true,
        }
      this.producers.validate(producerId, epoch, firstSeq)
    }

    const baseOffset = this.endOffset
    const lastOffset = baseOffset + lastOffsetDelta
    // LogSegment.shouldRoll: the batch would overflow segment.bytes, or its offsets the index's relative int32.
    const full = this.active.size + size > this.config.segmentBytes
    if (this.active.size > 0 && (full || lastOffset - this.active.baseOffset > INT32_MAX)) this.roll()
    // Neither field is covered by the CRC.
    batch.writeBigInt64BE(BigInt(baseOffset), BASE_OFFSET)
    batch.writeInt32BE(LEADER_EPOCH, PARTITION_LEADER_EPOCH)
    if (logAppendTime) {
      // LogValidator sets the batch's timestamp type and max timestamp to the broker's time; the CRC follows.
      batch.writeInt16BE(attributes | ATTR_LOG_APPEND_TIME, ATTRIBUTES)
      batch.writeBigInt64BE(nowMs, MAX_TIMESTAMP)
      batch.writeUInt32BE(crc32c(batch, ATTRIBUTES, size), CRC)
    }
    const maxTimestamp = Number(batch.readBigInt64BE(MAX_TIMESTAMP))
    const segment = this.active
    const position = segment.size
    writeFully(segment.fd, batch, position)
    segment.onBatch(position, size, lastOffset, maxTimestamp, true)
    this.endOffset = lastOffset + 1
    if (idempotent)
      this.producers.update(producerId, epoch, {
        firstSeq,
        lastSeq,
        firstOffset: baseOffset,
        lastOffset,
        timestamp: maxTimestamp,
      })
    return {
      baseOffset: BigInt(baseOffset),
      lastOffset: BigInt(lastOffset),
      logAppendTimeMs: logAppendTime ? nowMs : -1n,
      logStartOffset: BigInt(this.startOffset),
      duplicate: false,
    }
  }

  /**
   * The checks of ProduceRequest.validateRecords and UnifiedLog.analyzeAndValidateRecords, in their order: exactly
   * one whole batch, magic 2, base offset 0, not above max.message.bytes, a valid CRC. Returns the batch's size.
   */
  private validateRequest(records: Buffer): number {
    const first = nextBatchSize(records, 0)
    if (first === undefined)
      throw new BrokerError(ERRORS.INVALID_RECORD, 'Produce requests must have at least one record batch per partition')
    if (records.readInt8(MAGIC) !== 2)
      throw new BrokerError(
        ERRORS.INVALID_RECORD,
        'Produce requests are only allowed to contain record batches with magic version 2',
      )
    if (nextBatchSize(records, first) !== undefined)
      throw new BrokerError(
        ERRORS.INVALID_RECORD,
        'Produce requests are only allowed to contain exactly one record batch per partition',
      )
    if (records.readBigInt64BE(BASE_OFFSET) !== 0n)
      throw new BrokerError(ERRORS.INVALID_RECORD, 'The baseOffset of the record batch in the append should be 0')
    if (first > this.config.maxMessageBytes)
      throw new BrokerError(
        ERRORS.MESSAGE_TOO_LARGE,
        `The record batch size in the append is ${first} bytes which exceeds the maximum configured value of ${this.config.maxMessageBytes}.`,
      )
    if (first < V2_HEADER || records.readUInt32BE(CRC) !== crc32c(records, ATTRIBUTES, first))
      throw new BrokerError(ERRORS.CORRUPT_MESSAGE, 'Record is corrupt (CRC-32C mismatch)')
    return first
  }

  /** LocalLog.roll: the new segment starts at the log end offset; the old one is made durable first. */
  private roll(): void {
    this.active.onBecomeInactive()
    const segment = new Segment(this.dir, this.endOffset)
    segment.writeIndexes()
    this.segments.push(segment)
    this.syncDir()
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }

  // ---- read ----

  read(fetchOffset: bigint, maxBytes: number): Buffer {
    this.ensureOpen()
    const offset = Number(fetchOffset)
    if (offset < this.startOffset || offset > this.endOffset)
      throw new BrokerError(
        ERRORS.OFFSET_OUT_OF_RANGE,
        `Offset ${fetchOffset} is out of range [${this.startOffset}, ${this.endOffset}]`,
      )
    if (offset === this.endOffset) return EMPTY
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const segment = this.segments[i]!
      const position = this.positionOf(segment, offset)
      if (position >= 0) return this.readFrom(segment, position, maxBytes)
    }
    return EMPTY
  }

  /** The last segment whose base offset is <= offset (or the first). */
  private segmentIndexFor(offset: number): number {
    let lo = 0
    let hi = this.segments.length - 1
    let found = 0
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  /** Position of the batch holding `offset` in `segment` (LogSegment.translateOffset), or -1. */
  private positionOf(segment: Segment, offset: number): number {
    let position = segment.lookup(offset)
    const next = this.next
    if (next?.segment === segment && next.offset <= offset && next.position > position) position = next.position
    const data = () => this.reader.data
    while (position < segment.size) {
      const at = this.reader.at(segment, position, LAST_OFFSET_DELTA + 4)
      const last = Number(data().readBigInt64BE(at + BASE_OFFSET)) + data().readInt32BE(at + LAST_OFFSET_DELTA)
      if (last >= offset) return position
      position += data().readInt32BE(at + BATCH_LENGTH) + LOG_OVERHEAD
    }
    return -1
  }

  /** Whole batches from `position`, at most maxBytes, but always the first one whole. */
  private readFrom(segment: Segment, position: number, maxBytes: number): Buffer {
    let want = Math.min(Math.max(maxBytes, 0), segment.size - position)
    if (want < V2_HEADER) {
      const at = this.reader.at(segment, position, LOG_OVERHEAD)
      want = Math.max(want, this.reader.data.readInt32BE(at + BATCH_LENGTH) + LOG_OVERHEAD)
    }
    let buffer = Buffer.allocUnsafe(want)
    readAt(segment.fd, buffer, want, position)
    let end = 0
    let lastStart = 0
    while (end + LOG_OVERHEAD <= want) {
      const size = buffer.readInt32BE(end + BATCH_LENGTH) + LOG_OVERHEAD
      if (end + size > want) break
      lastStart = end
      end += size
    }
    if (end === 0) {
      const size = buffer.readInt32BE(BATCH_LENGTH) + LOG_OVERHEAD
      buffer = Buffer.allocUnsafe(size)
      readAt(segment.fd, buffer, size, position)
      end = size
    }
    this.next = {
      segment,
      offset:
        Number(buffer.readBigInt64BE(lastStart + BASE_OFFSET)) + buffer.readInt32BE(lastStart + LAST_OFFSET_DELTA) + 1,
      position: position + end,
    }
    return end === buffer.length ? buffer : buffer.subarray(0, end)
  }

  // ---- timestamps ----

  /** UnifiedLog.fetchOffsetByTimestamp: the first segment whose largest timestamp reaches ts, then its time index. */
  offsetForTimestamp(timestampMs: bigint): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen()
    const target = Number(timestampMs)
    const segment = this.segments.find((s) => this.largestTimestamp(s) >= target)
    if (segment === undefined) return null
    const startingOffset = this.startOffset
    let position = segment.lookup(Math.max(segment.timeLookup(target), startingOffset))
    while (position < segment.size) {
      const at = this.reader.at(segment, position, V2_HEADER)
      const size = this.reader.data.readInt32BE(at + BATCH_LENGTH) + LOG_OVERHEAD
      if (Number(this.reader.data.readBigInt64BE(at + MAX_TIMESTAMP)) >= target) {
        for (const record of this.decode(segment, position, size))
          if (record.timestamp >= timestampMs && record.offset >= BigInt(startingOffset))
            return { offset: record.offset, timestamp: record.timestamp }
      }
      position += size
    }
    return null
  }

  /** ListOffsets MAX_TIMESTAMP: the first record carrying the largest timestamp (RecordBatch.offsetOfMaxTimestamp). */
  maxTimestamp(): { offset: bigint; timestamp: bigint } | null {
    this.ensureOpen()
    let best = this.segments[0]!
    for (const segment of this.segments) if (segment.maxTimestamp > best.maxTimestamp) best = segment
    if (best.maxTimestamp < 0) return null
    let position = best.lookup(best.offsetOfMaxTimestamp)
    while (position < best.size) {
      const at = this.reader.at(best, position, V2_HEADER)
      const size = this.reader.data.readInt32BE(at + BATCH_LENGTH) + LOG_OVERHEAD
      if (Number(this.reader.data.readBigInt64BE(at + MAX_TIMESTAMP)) === best.maxTimestamp) {
        const timestamp = BigInt(best.maxTimestamp)
        const record = this.decode(best, position, size).find((r) => r.timestamp === timestamp)
        return record ? { offset: record.offset, timestamp } : null
      }
      position += size
    }
    return null
  }

  private decode(segment: Segment, position: number, size: number) {
    const batch = Buffer.allocUnsafe(size)
    readAt(segment.fd, batch, size, position)
    return decodeRecordBatches(batch)[0]?.records ?? []
  }

  /** LogSegment.largestTimestamp: the max timestamp seen, else the file's modification time. */
  private largestTimestamp(segment: Segment): number {
    if (segment.maxTimestamp >= 0) return segment.maxTimestamp
    return statSync(join(this.dir, segmentName(segment.baseOffset, '.log'))).mtimeMs
  }

  // ---- deletion ----

  deleteRecordsBefore(offset: bigint): bigint {
    this.ensureOpen()
    // DeleteRecordsRequest.HIGH_WATERMARK (-1): everything up to the high watermark, the log end on a single node.
    const target = offset === -1n ? this.endOffset : Number(offset)
    if (target < 0 || target > this.endOffset)
      throw new BrokerError(
        ERRORS.OFFSET_OUT_OF_RANGE,
        `Cannot increment the log start offset to ${offset} of partition ${this.dir} since it is larger than the high watermark ${this.endOffset}`,
      )
    if (target > this.startOffset) {
      this.hooks.persistStartOffset(target)
      this.startOffset = target
    }
    this.deleteWhile((segment, next) => next !== undefined && next.baseOffset <= this.startOffset)
    return BigInt(this.startOffset)
  }

  applyRetention(nowMs: bigint): number {
    this.ensureOpen()
    const now = Number(nowMs)
    let deleted = this.deleteWhile((segment, next) => next !== undefined && next.baseOffset <= this.startOffset)
    const { retentionMs, retentionBytes } = this.config
    if (retentionMs >= 0) deleted += this.deleteWhile((segment) => now - this.largestTimestamp(segment) > retentionMs)
    if (retentionBytes >= 0) {
      let excess = this.segments.reduce((sum, s) => sum + s.size, 0) - retentionBytes
      deleted += this.deleteWhile((segment) => {
        if (excess - segment.size < 0) return false
        excess -= segment.size
        return true
      })
    }
    return deleted
  }

  /** Deletes the oldest segments while the predicate holds (UnifiedLog.deletableSegments), never the active one. */
  private deleteWhile(predicate: (segment: Segment, next: Segment | undefined) => boolean): number {
    let count = 0
    while (this.segments.length > 1 && predicate(this.segments[0]!, this.segments[1])) {
      const segment = this.segments.shift()!
      this.reader.forget(segment)
      if (this.next?.segment === segment) this.next = undefined
      segment.delete()
      count++
    }
    if (count > 0) this.startOffset = Math.max(this.startOffset, this.segments[0]!.baseOffset)
    return count
  }

  // ---- lifecycle ----

  flush(): void {
    if (!this.closed) this.active.flush()
  }

  close(): void {
    if (this.closed) return
    this.active.flush()
    for (const segment of this.segments) segment.close()
    this.closed = true
    writeFileSync(join(this.dir, CLEAN_SHUTDOWN), '')
  }

  /** Removes the partition's files (the store deletes the directory). */
  deleteAll(): void {
    if (!this.closed) for (const segment of this.segments) segment.close()
    this.closed = true
  }

  private ensureOpen(): void {
    if (this.closed) throw new BrokerError(ERRORS.UNKNOWN_SERVER_ERROR, `The log ${this.dir} is closed`)
  }
}

/**
 * Size of the batch at `position` as Kafka's ByteBufferLogInputStream.nextBatchSize reads it, or undefined when no
 * whole batch is there (a trailing partial batch is ignored, as Kafka ignores it). Throws CORRUPT_MESSAGE on a size
 * below the minimum or an unknown magic.
 */
function nextBatchSize(records: Buffer, position: number): number | undefined {
  const remaining = records.length - position
  if (remaining < LOG_OVERHEAD) return undefined
  const size = records.readInt32BE(position + BATCH_LENGTH)
  if (size < MIN_RECORD_OVERHEAD)
    throw new BrokerError(
      ERRORS.CORRUPT_MESSAGE,
      `Record size ${size} is less than the minimum record overhead (${MIN_RECORD_OVERHEAD})`,
    )
  if (remaining < HEADER_SIZE_UP_TO_MAGIC) return undefined
  const magic = records.readInt8(position + MAGIC)
  if (magic < 0 || magic > 2) throw new BrokerError(ERRORS.CORRUPT_MESSAGE, `Invalid magic found in record: ${magic}`)
  return remaining < size + LOG_OVERHEAD ? undefined : size + LOG_OVERHEAD
}
