/**
 * Record batches as they lie in a segment file, read the way Kafka's FileLogInputStream walks them (DumpLogSegments
 * prints what it sees, valid or not): the batch header without decompressing, and the records on demand.
 * Magic v2 in full; v0/v1 (message sets, written by Kafka before 0.11) at the batch level and, uncompressed, per record.
 */
import { gunzipSync } from 'node:zlib'
import { incrementSequence } from '../records/batch-layout.js'
import { crc32c } from '../records/crc32c.js'

/** offset (8) + size (4) precede what the size counts. */
export const LOG_OVERHEAD = 12
/** Bytes up to and including the magic byte. */
const HEADER_SIZE_UP_TO_MAGIC = 17
/** LegacyRecord.RECORD_OVERHEAD_V0: the smallest size FileLogInputStream accepts. */
const MIN_RECORD_OVERHEAD = 14
const V2_HEADER = 61
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
export type CompressionName = (typeof CODECS)[number] | `unknown(${number})`

export class CorruptRecordError extends Error {}

export interface FileBatch {
  position: number
  /** The whole batch, LOG_OVERHEAD included. */
  bytes: Buffer
  magic: number
  baseOffset: bigint
  lastOffset: bigint
  count: number
  baseSequence: number
  lastSequence: number
  producerId: bigint
  producerEpoch: number
  partitionLeaderEpoch: number
  isTransactional: boolean
  isControl: boolean
  deleteHorizonMs: bigint | undefined
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType'
  maxTimestamp: bigint
  baseTimestamp: bigint
  compression: CompressionName
  crc: number
  isValid: boolean
}

export interface FileRecord {
  offset: bigint
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  sequence: number
  headerKeys: string[]
  /** v0/v1 only: the record's own CRC and whether it matches. */
  legacy?: { crc: number; isValid: boolean }
}

/** Batches of data[0, end): stops before a batch that does not fit, as the broker's reader does. */
export function* fileBatches(data: Buffer, end = data.length, file = ''): Generator<FileBatch> {
  let position = 0
  const limit = Math.min(end, data.length)
  while (position + HEADER_SIZE_UP_TO_MAGIC < limit) {
    const size = data.readInt32BE(position + 8)
    if (size < MIN_RECORD_OVERHEAD)
      throw new CorruptRecordError(
        `Found record size ${size} smaller than minimum record overhead (${MIN_RECORD_OVERHEAD}) in file ${file}.`,
      )
    if (position + LOG_OVERHEAD + size > limit) return
    yield batchAt(data.subarray(position, position + LOG_OVERHEAD + size), position)
    position += LOG_OVERHEAD + size
  }
}

function batchAt(bytes: Buffer, position: number): FileBatch {
  const magic = bytes.readInt8(16)
  if (magic >= 2 && bytes.length >= V2_HEADER) {
    const attributes = bytes.readInt16BE(21)
    const baseOffset = bytes.readBigInt64BE(0)
    const lastOffsetDelta = bytes.readInt32BE(23)
    const baseSequence = bytes.readInt32BE(53)
    const crc = bytes.readUInt32BE(17)
    const baseTimestamp = bytes.readBigInt64BE(27)
    return {
      position,
      bytes,
      magic,
      baseOffset,
      lastOffset: baseOffset + BigInt(lastOffsetDelta),
      count: bytes.readInt32BE(57),
      baseSequence,
      lastSequence: baseSequence === -1 ? -1 : incrementSequence(baseSequence, lastOffsetDelta),
      producerId: bytes.readBigInt64BE(43),
      producerEpoch: bytes.readInt16BE(51),
      partitionLeaderEpoch: bytes.readInt32BE(12),
      isTransactional: (attributes & 0x10) !== 0,
      isControl: (attributes & 0x20) !== 0,
      deleteHorizonMs: (attributes & 0x40) !== 0 ? baseTimestamp : undefined,
      timestampType: (attributes & 0x08) !== 0 ? 'LogAppendTime' : 'CreateTime',
      maxTimestamp: bytes.readBigInt64BE(35),
      baseTimestamp,
      compression: codecName(attributes & 0x07),
      crc,
      isValid: crc === crc32c(bytes, 21, bytes.length),
    }
  }
  // v0/v1: a single (possibly wrapper) message; offset is the last offset of what it wraps.
  const attributes = bytes.readInt8(17)
  const crc = bytes.readUInt32BE(12)
  const offset = bytes.readBigInt64BE(0)
  const timestamp = magic >= 1 ? bytes.readBigInt64BE(18) : -1n
  return {
    position,
    bytes,
    magic,
    baseOffset: offset,
    lastOffset: offset,
    count: 1,
    baseSequence: -1,
    lastSequence: -1,
    producerId: -1n,
    producerEpoch: -1,
    partitionLeaderEpoch: -1,
    isTransactional: false,
    isControl: false,
    deleteHorizonMs: undefined,
    timestampType: magic === 0 ? 'NoTimestampType' : (attributes & 0x08) !== 0 ? 'LogAppendTime' : 'CreateTime',
    maxTimestamp: timestamp,
    baseTimestamp: timestamp,
    compression: codecName(attributes & 0x07),
    crc,
    isValid: bytes.length >= LOG_OVERHEAD + 14 && crc === crc32(bytes.subarray(16)),
  }
}

function codecName(id: number): CompressionName {
  return CODECS[id] ?? `unknown(${id})`
}

/** Decompressors by codec: snappy, lz4 and zstd are loaded only when a batch needs them. */
export type Decompress = (codec: CompressionName, data: Buffer) => Buffer

export async function loadDecompressors(): Promise<Decompress> {
  const codecs = await import('../records/compression.js')
  return (codec, data) => {
    switch (codec) {
      case 'none':
        return data
      case 'gzip':
        return gunzipSync(data)
      case 'snappy':
        return codecs.snappyDecompress(data)
      case 'lz4':
        return codecs.lz4Decompress(data)
      case 'zstd':
        return codecs.zstdDecompress(data)
      default:
        throw new Error(`Unknown compression type ${codec}`)
    }
  }
}

/** The records of a batch (decompressed with `decompress`). */
export function batchRecords(batch: FileBatch, decompress: Decompress): FileRecord[] {
  if (batch.magic < 2) return legacyRecords(batch)
  const body = decompress(batch.compression, batch.bytes.subarray(V2_HEADER))
  const cursor = { buffer: body, offset: 0 }
  const records: FileRecord[] = []
  for (let i = 0; i < batch.count; i++) {
    varint(cursor) // length
    cursor.offset += 1 // attributes
    const timestampDelta = varlong(cursor)
    const offsetDelta = varint(cursor)
    const key = bytesOf(cursor)
    const value = bytesOf(cursor)
    const headerCount = varint(cursor)
    const headerKeys: string[] = []
    for (let h = 0; h < headerCount; h++) {
      headerKeys.push(bytesOf(cursor)?.toString('utf8') ?? '')
      bytesOf(cursor)
    }
    records.push({
      offset: batch.baseOffset + BigInt(offsetDelta),
      timestamp: batch.timestampType === 'LogAppendTime' ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta,
      key,
      value,
      sequence: batch.baseSequence === -1 ? -1 : incrementSequence(batch.baseSequence, offsetDelta),
      headerKeys,
    })
  }
  return records
}

function legacyRecords(batch: FileBatch): FileRecord[] {
  if (batch.compression !== 'none')
    throw new Error(`compressed message sets (magic ${batch.magic}) are not decoded by kafkit`)
  const b = batch.bytes
  let at = batch.magic >= 1 ? 26 : 18
  const read = () => {
    const length = b.readInt32BE(at)
    at += 4
    if (length < 0) return null
    const bytes = b.subarray(at, at + length)
    at += length
    return bytes
  }
  const key = read()
  const value = read()
  return [
    {
      offset: batch.lastOffset,
      timestamp: batch.maxTimestamp,
      key,
      value,
      sequence: -1,
      headerKeys: [],
      legacy: { crc: batch.crc, isValid: batch.isValid },
    },
  ]
}

interface Cursor {
  buffer: Buffer
  offset: number
}

function varlong(c: Cursor): bigint {
  let raw = 0n
  let shift = 0n
  for (;;) {
    const byte = c.buffer[c.offset++]
    if (byte === undefined) throw new CorruptRecordError('Truncated record')
    raw |= BigInt(byte & 0x7f) << shift
    if ((byte & 0x80) === 0) break
    shift += 7n
  }
  return (raw >> 1n) ^ -(raw & 1n)
}

function varint(c: Cursor): number {
  return Number(varlong(c))
}

function bytesOf(c: Cursor): Buffer | null {
  const length = varint(c)
  if (length < 0) return null
  const bytes = c.buffer.subarray(c.offset, c.offset + length)
  c.offset += length
  return bytes
}

/** CRC-32 (zlib's, as v0/v1 messages use), from a small table: node's zlib.crc32 needs Node 22. */
let CRC32_TABLE: Uint32Array | undefined
function crc32(data: Uint8Array): number {
  if (!CRC32_TABLE) {
    CRC32_TABLE = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      CRC32_TABLE[n] = c >>> 0
    }
  }
  let crc = -1
  for (const byte of data) crc = CRC32_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}
