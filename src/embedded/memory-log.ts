/**
 * An in-memory LogStore: the batches of each partition kept as received in an array. It serves `startBroker()`
 * without a data directory (tests that want nothing on disk) and stands in for the segment-file store until that
 * lands; both sit behind the same PartitionLog contract, so the broker cannot tell them apart.
 */
import { decodeRecordBatches } from '../records/batch-decoder.js'
import { crc32c } from '../records/crc32c.js'
import { BrokerError, type AppendResult, type LogConfig, type LogStore, type PartitionLog } from './contracts.js'

const CORRUPT_MESSAGE = 2
const MESSAGE_TOO_LARGE = 10
const INVALID_RECORD = 87
const UNSUPPORTED_FOR_MESSAGE_FORMAT = 43
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45
const INVALID_PRODUCER_EPOCH = 47
/** Kafka keeps the last five batches per producer for duplicate detection (max.in.flight.requests is at most 5). */
const RECENT_BATCHES = 5

/** baseOffset (8) and batchLength (4) precede what batchLength counts. */
const LOG_OVERHEAD = 12
/** Batch header through the record count (magic v2). */
const BATCH_HEADER = 61
/** The CRC covers the batch from the attributes to its end. */
const CRC_START = 21
const TIMESTAMP_TYPE_BIT = 0x08

interface StoredBatch {
  baseOffset: bigint
  lastOffset: bigint
  maxTimestamp: bigint
  bytes: Buffer
}

/** Splits a Produce record set into whole v2 batches, checking sizes, magic and CRC as Kafka's LogValidator does. */
export function splitBatches(records: Buffer, maxMessageBytes: number): Buffer[] {
  const batches: Buffer[] = []
  let position = 0
  while (position < records.length) {
    if (position + LOG_OVERHEAD > records.length) throw new BrokerError(CORRUPT_MESSAGE, 'Truncated record batch')
    const length = records.readInt32BE(position + 8)
    const end = position + LOG_OVERHEAD + length
    if (length < BATCH_HEADER - LOG_OVERHEAD || end > records.length)
      throw new BrokerError(CORRUPT_MESSAGE, `Record batch size ${length} is invalid`)
    const batch = records.subarray(position, end)
    if (batch.readInt8(16) !== 2)
      throw new BrokerError(UNSUPPORTED_FOR_MESSAGE_FORMAT, 'Only magic v2 record batches are accepted')
    if (batch.readUInt32BE(17) !== crc32c(batch, CRC_START))
      throw new BrokerError(CORRUPT_MESSAGE, 'Record batch CRC-32C mismatch')
    if (batch.length > maxMessageBytes)
      throw new BrokerError(
        MESSAGE_TOO_LARGE,
        `The batch is ${batch.length} bytes, larger than max.message.bytes ${maxMessageBytes}`,
      )
    if (batch.readInt32BE(57) <= 0) throw new BrokerError(INVALID_RECORD, 'A record batch must hold records')
    batches.push(batch)
    position = end
  }
  if (batches.length === 0) throw new BrokerError(CORRUPT_MESSAGE, 'Empty record set')
  return batches
}

interface ProducerState {
  epoch: number
  lastSequence: number
  recent: Array<{ firstSequence: number; lastSequence: number; baseOffset: bigint; lastOffset: bigint }>
}

class MemoryPartitionLog implements PartitionLog {
  private batches: StoredBatch[] = []
  /** Idempotent producers' sequences, as Kafka's ProducerStateManager keeps them. */
  private producers = new Map<bigint, ProducerState>()
  logStartOffset = 0n
  logEndOffset = 0n

  constructor(private readonly config: LogConfig) {}

  append(records: Buffer, nowMs: bigint): AppendResult {
    const incoming = splitBatches(records, this.config.maxMessageBytes)
    // A retried batch the log already holds is answered with its original offsets, not written twice.
    if (incoming.length === 1) {
      const duplicate = this.findDuplicate(incoming[0]!)
      if (duplicate) return { ...duplicate, logAppendTimeMs: -1n, logStartOffset: this.logStartOffset, duplicate: true }
    }
    for (const batch of incoming) this.checkSequence(batch)
    const baseOffset = this.logEndOffset
    const logAppend = this.config.timestampType === 'LogAppendTime'
    for (const original of incoming) {
      // Copied: the request's buffer belongs to the socket's frame, which must not be pinned by the log.
      const batch = Buffer.from(original)
      const offset = this.logEndOffset
      const lastOffsetDelta = batch.readInt32BE(23)
      batch.writeBigInt64BE(offset, 0)
      batch.writeInt32BE(0, 12)
      if (logAppend) {
        batch.writeInt16BE(batch.readInt16BE(21) | TIMESTAMP_TYPE_BIT, 21)
        batch.writeBigInt64BE(nowMs, 35)
        batch.writeUInt32BE(crc32c(batch, CRC_START), 17)
      }
      const lastOffset = offset + BigInt(lastOffsetDelta)
      this.batches.push({ baseOffset: offset, lastOffset, maxTimestamp: batch.readBigInt64BE(35), bytes: batch })
      this.recordSequence(batch, offset, lastOffset)
      this.logEndOffset = lastOffset + 1n
    }
    return {
      baseOffset,
      lastOffset: this.logEndOffset - 1n,
      logAppendTimeMs: logAppend ? nowMs : -1n,
      logStartOffset: this.logStartOffset,
      duplicate: false,
    }
  }

  private findDuplicate(batch: Buffer): { baseOffset: bigint; lastOffset: bigint } | undefined {
    const producerId = batch.readBigInt64BE(43)
    if (producerId < 0n) return undefined
    const state = this.producers.get(producerId)
    const firstSequence = batch.readInt32BE(53)
    if (!state || state.epoch !== batch.readInt16BE(51)) return undefined
    return state.recent.find((r) => r.firstSequence === firstSequence)
  }

  private checkSequence(batch: Buffer): void {
    const producerId = batch.readBigInt64BE(43)
    if (producerId < 0n) return
    const state = this.producers.get(producerId)
    if (!state) return
    const epoch = batch.readInt16BE(51)
    const firstSequence = batch.readInt32BE(53)
    if (epoch < state.epoch)
      throw new BrokerError(INVALID_PRODUCER_EPOCH, `Epoch ${epoch} is older than the current ${state.epoch}`)
    if (epoch > state.epoch) {
      if (firstSequence !== 0)
        throw new BrokerError(
          OUT_OF_ORDER_SEQUENCE_NUMBER,
          `A new epoch must start at sequence 0, not ${firstSequence}`,
        )
      return
    }
    const expected = state.lastSequence === 0x7fffffff ? 0 : state.lastSequence + 1
    if (firstSequence !== expected)
      throw new BrokerError(
        OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Out of order sequence number for producer ${producerId}: ${firstSequence} (expected ${expected})`,
      )
  }

  private recordSequence(batch: Buffer, baseOffset: bigint, lastOffset: bigint): void {
    const producerId = batch.readBigInt64BE(43)
    if (producerId < 0n) return
    const epoch = batch.readInt16BE(51)
    const firstSequence = batch.readInt32BE(53)
    const lastSequence = (firstSequence + batch.readInt32BE(23)) % 0x80000000
    let state = this.producers.get(producerId)
    if (!state || state.epoch !== epoch) {
      state = { epoch, lastSequence, recent: [] }
      this.producers.set(producerId, state)
    }
    state.lastSequence = lastSequence
    state.recent.push({ firstSequence, lastSequence, baseOffset, lastOffset })
    if (state.recent.length > RECENT_BATCHES) state.recent.shift()
  }

  read(fetchOffset: bigint, maxBytes: number): Buffer {
    const parts: Buffer[] = []
    let size = 0
    for (let i = this.firstBatchEndingAtOrAfter(fetchOffset); i < this.batches.length; i++) {
      const batch = this.batches[i]!
      if (parts.length > 0 && size + batch.bytes.length > maxBytes) break
      parts.push(batch.bytes)
      size += batch.bytes.length
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
  }

  /** Binary search: a consumer reading a long log must not scan it from the start at every fetch. */
  private firstBatchEndingAtOrAfter(offset: bigint): number {
    let low = 0
    let high = this.batches.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.batches[middle]!.lastOffset < offset) low = middle + 1
      else high = middle
    }
    return low
  }

  offsetForTimestamp(timestampMs: bigint): { offset: bigint; timestamp: bigint } | null {
    for (const batch of this.batches) {
      if (batch.maxTimestamp < timestampMs) continue
      for (const decoded of decodeRecordBatches(batch.bytes))
        for (const record of decoded.records)
          if (record.timestamp >= timestampMs && record.offset >= this.logStartOffset)
            return { offset: record.offset, timestamp: record.timestamp }
    }
    return null
  }

  maxTimestamp(): { offset: bigint; timestamp: bigint } | null {
    let best: { offset: bigint; timestamp: bigint } | null = null
    for (const batch of this.batches)
      for (const decoded of decodeRecordBatches(batch.bytes))
        for (const record of decoded.records)
          if (record.offset >= this.logStartOffset && (best === null || record.timestamp > best.timestamp))
            best = { offset: record.offset, timestamp: record.timestamp }
    return best
  }

  deleteRecordsBefore(offset: bigint): bigint {
    if (offset > this.logStartOffset) this.logStartOffset = offset
    this.batches = this.batches.filter((b) => b.lastOffset >= this.logStartOffset)
    return this.logStartOffset
  }

  applyRetention(nowMs: bigint): number {
    const before = this.batches.length
    if (this.config.retentionMs >= 0) {
      const cutoff = nowMs - BigInt(this.config.retentionMs)
      while (this.batches.length > 0 && this.batches[0]!.maxTimestamp < cutoff) this.dropFirst()
    }
    if (this.config.retentionBytes >= 0) {
      let total = this.batches.reduce((sum, b) => sum + b.bytes.length, 0)
      while (this.batches.length > 0 && total > this.config.retentionBytes) {
        total -= this.batches[0]!.bytes.length
        this.dropFirst()
      }
    }
    return before - this.batches.length
  }

  private dropFirst(): void {
    const first = this.batches.shift()!
    this.logStartOffset = first.lastOffset + 1n
  }

  flush(): void {}
  close(): void {}
}

export function openMemoryLogStore(): LogStore {
  const logs = new Map<string, MemoryPartitionLog>()
  return {
    open(topic, partition, config) {
      const key = `${topic}-${partition}`
      let log = logs.get(key)
      if (!log) {
        log = new MemoryPartitionLog(config)
        logs.set(key, log)
      }
      return log
    },
    remove(topic, partition) {
      logs.delete(`${topic}-${partition}`)
    },
    close() {
      logs.clear()
    },
  }
}
