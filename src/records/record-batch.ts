/**
 * Kafka record batches (magic 2) built as records are read: each record is encoded once, straight into its
 * partition's buffer, from the bytes of the input chunk it came from (no per-record objects, strings or
 * Buffers). The batch header (producer id, epoch, sequence, CRC) is written when the batch is sent, because
 * the idempotent sequence is only known then. Byte for byte what kafkajs (and the Java client) write.
 */
import { crc32c, crc32cCombine } from './crc32c.js'
import type { Header } from './types.js'

/** Marks a kafkajs message that carries a whole pre-encoded batch (see kafkajs-fast.ts). */
export const PRE_ENCODED = Symbol.for('kafkit.preEncodedBatch')

/** Bytes of a partition entry in a Produce request before its records: partition, size, batch header, count. */
export const ENTRY_OVERHEAD = 69

export const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1)

export function sizeOfUVarInt(value: number): number {
  if (value < 0x80) return 1
  if (value < 0x4000) return 2
  let size = 1
  while (value >= 0x80) {
    value = Math.floor(value / 128)
    size++
  }
  return size
}

export function writeUVarInt(buffer: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    buffer[offset++] = (value % 128) | 0x80
    value = Math.floor(value / 128)
  }
  buffer[offset++] = value
  return offset
}

function readUVarInt(buffer: Uint8Array, at: { offset: number }): number {
  let result = 0
  let multiplier = 1
  let byte: number
  do {
    byte = buffer[at.offset++]!
    result += (byte & 0x7f) * multiplier
    multiplier *= 128
  } while (byte & 0x80)
  return result
}

const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2)

/** Short copies in a loop (a view plus a native copy costs more below a few dozen bytes); longer ones natively. */
function copyBytes(source: Uint8Array, start: number, end: number, target: Buffer, offset: number): number {
  const length = end - start
  if (length < 32) {
    for (let i = start; i < end; i++) target[offset++] = source[i]!
    return offset
  }
  // A plain Uint8Array view: cheaper to make than Buffer#subarray's.
  target.set(new Uint8Array(source.buffer, source.byteOffset + start, length), offset)
  return offset + length
}

interface DecodedRecord {
  key: Buffer | null
  value: Buffer | null
  headers: Header[]
  timestamp: number
}

export class RecordBatchBuilder {
  private buf: Buffer
  /** Encoded bytes of the records so far. */
  size = 0
  count = 0
  /** The first record's timestamp (the batch's base); deltas may be negative, as in the Java client. */
  baseTimestamp = 0
  maxTimestamp = 0
  private crc = 0
  private crcSize = -1
  /** The request buffers this batch was encoded into, one per attempt (see recycleRequestBuffer in kafkajs-fast.ts). */
  readonly encodedInto: Buffer[] = []

  /** `capacity` to start with; it grows fourfold, to `limit` (the batch size plus a record) at most unless a record needs more. */
  constructor(
    capacity = 16 * 1024,
    private readonly limit = Infinity,
    spare?: Buffer,
  ) {
    this.buf = spare ?? Buffer.allocUnsafe(capacity)
  }

  /** Gives up the buffer (for the next batch: fewer fresh allocations, fewer garbage collections); the builder is empty after it. */
  release(): Buffer {
    const buf = this.buf
    this.buf = Buffer.alloc(0)
    this.size = 0
    this.count = 0
    this.encodedInto.length = 0
    this.crcSize = -1
    return buf
  }

  /** The encoded records (a view; valid until the next append). */
  get records(): Buffer {
    return this.buf.subarray(0, this.size)
  }

  private reserve(bytes: number): void {
    if (this.size + bytes <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(Math.min(this.buf.length * 4, this.limit), this.size + bytes))
    this.buf.copy(next, 0, 0, this.size)
    this.buf = next
  }

  private timestampDelta(timestamp: number): number {
    if (this.count === 0) {
      this.baseTimestamp = this.maxTimestamp = timestamp
      return 0
    }
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp
    return timestamp - this.baseTimestamp
  }

  /**
   * A record without headers whose key (keyStart < 0: null) and value are ranges of `source`. Returns the
   * bytes it added.
   */
  appendRange(
    source: Uint8Array,
    keyStart: number,
    keyEnd: number,
    valueStart: number,
    valueEnd: number,
    timestamp: number,
  ): number {
    const timestampZ = zigzag(this.timestampDelta(timestamp))
    const offsetZ = this.count * 2
    const keyLength = keyEnd - keyStart
    const valueLength = valueEnd - valueStart
    const body =
      2 +
      sizeOfUVarInt(timestampZ) +
      sizeOfUVarInt(offsetZ) +
      (keyStart < 0 ? 1 : sizeOfUVarInt(keyLength * 2) + keyLength) +
      sizeOfUVarInt(valueLength * 2) +
      valueLength
    const total = sizeOfUVarInt(body * 2) + body
    this.reserve(total)
    const buf = this.buf
    let o = writeUVarInt(buf, this.size, body * 2)
    buf[o++] = 0 // attributes
    o = timestampZ < 0x80 ? ((buf[o] = timestampZ), o + 1) : writeUVarInt(buf, o, timestampZ)
    o = writeUVarInt(buf, o, offsetZ)
    if (keyStart < 0) {
      buf[o++] = 1 // null: zigzag(-1)
    } else {
      o = writeUVarInt(buf, o, keyLength * 2)
      o = copyBytes(source, keyStart, keyEnd, buf, o)
    }
    o = writeUVarInt(buf, o, valueLength * 2)
    o = copyBytes(source, valueStart, valueEnd, buf, o)
    buf[o++] = 0 // no headers
    this.size = o
    this.count++
    return total
  }

  /** Any record: null key or value, headers in order (repeats and null values kept). Returns the bytes it added. */
  append(key: Buffer | null, value: Buffer | null, headers: readonly Header[], timestamp: number): number {
    const timestampZ = zigzag(this.timestampDelta(timestamp))
    const offsetZ = this.count * 2
    const fieldSize = (bytes: Uint8Array | null) =>
      bytes === null ? 1 : sizeOfUVarInt(bytes.length * 2) + bytes.length
    const headerKeys = headers.map((h) => Buffer.from(h.key))
    let body =
      1 +
      sizeOfUVarInt(timestampZ) +
      sizeOfUVarInt(offsetZ) +
      fieldSize(key) +
      fieldSize(value) +
      sizeOfUVarInt(headers.length * 2)
    for (let i = 0; i < headers.length; i++) body += fieldSize(headerKeys[i]!) + fieldSize(headers[i]!.value)
    const total = sizeOfUVarInt(body * 2) + body
    this.reserve(total)
    const buf = this.buf
    const field = (o: number, bytes: Uint8Array | null) => {
      if (bytes === null) {
        buf[o] = 1
        return o + 1
      }
      return copyBytes(bytes, 0, bytes.length, buf, writeUVarInt(buf, o, bytes.length * 2))
    }
    let o = writeUVarInt(buf, this.size, body * 2)
    buf[o++] = 0
    o = writeUVarInt(buf, o, timestampZ)
    o = writeUVarInt(buf, o, offsetZ)
    o = field(o, key)
    o = field(o, value)
    o = writeUVarInt(buf, o, headers.length * 2)
    for (let i = 0; i < headers.length; i++) {
      o = field(o, headerKeys[i]!)
      o = field(o, headers[i]!.value)
    }
    this.size = o
    this.count++
    return total
  }

  /** CRC-32C of the encoded records, kept until the next append (computed ahead of sending: see writePartitionEntry). */
  recordsCrc(): number {
    if (this.crcSize !== this.size) {
      this.crc = crc32c(this.buf, 0, this.size)
      this.crcSize = this.size
    }
    return this.crc
  }

  /** The records back as values (copies), for kafkajs's own encoder and for splitting a batch that is too large. */
  decode(): DecodedRecord[] {
    const buf = this.buf
    const at = { offset: 0 }
    const bytes = (): Buffer | null => {
      const length = unzigzag(readUVarInt(buf, at))
      if (length < 0) return null
      const value = Buffer.from(buf.subarray(at.offset, at.offset + length))
      at.offset += length
      return value
    }
    const records: DecodedRecord[] = []
    while (at.offset < this.size) {
      readUVarInt(buf, at) // length
      at.offset++ // attributes
      const timestamp = this.baseTimestamp + unzigzag(readUVarInt(buf, at))
      readUVarInt(buf, at) // offset delta
      const key = bytes()
      const value = bytes()
      const count = unzigzag(readUVarInt(buf, at))
      const headers: Header[] = []
      for (let i = 0; i < count; i++) {
        const name = bytes()!.toString('utf8')
        headers.push({ key: name, value: bytes() })
      }
      records.push({ key, value, headers, timestamp })
    }
    return records
  }
}

interface BatchHeader {
  partition: number
  producerId: bigint
  producerEpoch: number
  firstSequence: number
  transactional: boolean
  /** kafkajs's compression type (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  compression: number
}

/**
 * Writes a Produce request's partition entry (partition, size, record batch with CRC) at `offset` of `target`:
 * `records` are the builder's encoded records, or their compressed form; `recordsCrc` their CRC-32C when known
 * (then only the batch header is checksummed here). Returns the offset after it.
 */
export function writePartitionEntry(
  target: Buffer,
  offset: number,
  header: BatchHeader,
  builder: RecordBatchBuilder,
  records: Uint8Array,
  recordsCrc?: number,
): number {
  const start = offset
  const batchSize = ENTRY_OVERHEAD - 8 + records.length
  target.writeInt32BE(header.partition, offset)
  target.writeInt32BE(batchSize, offset + 4)
  target.writeBigInt64BE(0n, offset + 8) // base offset
  target.writeInt32BE(batchSize - 12, offset + 16) // batch length
  target.writeInt32BE(0, offset + 20) // partition leader epoch
  target[offset + 24] = 2 // magic
  target.writeInt16BE((header.compression & 0x07) | (header.transactional ? 0x10 : 0), offset + 29)
  target.writeInt32BE(builder.count - 1, offset + 31) // last offset delta
  target.writeBigInt64BE(BigInt(builder.baseTimestamp), offset + 35)
  target.writeBigInt64BE(BigInt(builder.maxTimestamp), offset + 43)
  target.writeBigInt64BE(BigInt.asIntN(64, header.producerId), offset + 51)
  target.writeInt16BE(header.producerEpoch, offset + 59)
  target.writeInt32BE(header.firstSequence, offset + 61)
  target.writeInt32BE(builder.count, offset + 65)
  target.set(records, offset + 69)
  const end = start + ENTRY_OVERHEAD + records.length
  const crc =
    recordsCrc === undefined
      ? crc32c(target, start + 29, end)
      : crc32cCombine(crc32c(target, start + 29, start + ENTRY_OVERHEAD), recordsCrc, records.length)
  target.writeUInt32BE(crc, start + 25)
  return end
}
