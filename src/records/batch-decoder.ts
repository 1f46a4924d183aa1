/**
 * Reads the records of a fetched record set (magic v2 batches, as Fetch and ShareFetch return them) without kafkajs:
 * batch header, compression (./compression.ts; gzip with node's zlib), CreateTime/LogAppendTime, headers, control
 * batches. A truncated last batch (a broker may cut the set at its byte limit) is left out, as every client does.
 */
import { gunzipSync } from 'node:zlib'
import { KafkitError } from '../errors.js'
import { lz4Decompress, snappyDecompress, zstdDecompress } from './compression.js'
import type { Header } from './types.js'

export interface DecodedRecord {
  offset: bigint
  /** CreateTime, or the batch's LogAppendTime, in ms. */
  timestamp: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Header[]
}

export interface DecodedBatch {
  baseOffset: bigint
  lastOffset: bigint
  partitionLeaderEpoch: number
  timestampType: 'CreateTime' | 'LogAppendTime'
  transactional: boolean
  /** Transaction markers: never shown to a consumer. */
  control: boolean
  records: DecodedRecord[]
}

/** Batch header bytes up to and including the record count (magic v2). */
const HEADER_SIZE = 61
/** baseOffset (8) and batchLength (4) precede what batchLength counts. */
const LOG_OVERHEAD = 12

export function decodeRecordBatches(set: Buffer): DecodedBatch[] {
  const batches: DecodedBatch[] = []
  let position = 0
  while (position + LOG_OVERHEAD <= set.length) {
    const batchLength = set.readInt32BE(position + 8)
    const end = position + LOG_OVERHEAD + batchLength
    if (end > set.length) break
    const magic = set.readInt8(position + 16)
    if (magic !== 2) {
      throw new KafkitError(`Unsupported record batch format (magic ${magic}): only v2 batches are read.`, {
        code: 'RECORD_FORMAT',
      })
    }
    batches.push(decodeBatch(set.subarray(position, end)))
    position = end
  }
  return batches
}

function decodeBatch(batch: Buffer): DecodedBatch {
  const baseOffset = batch.readBigInt64BE(0)
  const partitionLeaderEpoch = batch.readInt32BE(12)
  const attributes = batch.readInt16BE(21)
  const lastOffsetDelta = batch.readInt32BE(23)
  const baseTimestamp = batch.readBigInt64BE(27)
  const maxTimestamp = batch.readBigInt64BE(35)
  const count = batch.readInt32BE(57)
  const logAppendTime = (attributes & 0x08) !== 0
  const body = decompress(attributes & 0x07, batch.subarray(HEADER_SIZE))
  const reader = { buffer: body, offset: 0 }
  const records: DecodedRecord[] = []
  for (let i = 0; i < count && reader.offset < body.length; i++) {
    readVarint(reader) // record length
    reader.offset += 1 // record attributes (unused)
    const timestampDelta = readVarint(reader)
    const offsetDelta = readVarint(reader)
    const key = readBytes(reader)
    const value = readBytes(reader)
    const headerCount = readVarint(reader)
    const headers: Header[] = []
    for (let h = 0; h < headerCount; h++) {
      const name = readBytes(reader)
      headers.push({ key: name === null ? '' : name.toString('utf8'), value: readBytes(reader) })
    }
    records.push({
      offset: baseOffset + BigInt(offsetDelta),
      timestamp: logAppendTime ? maxTimestamp : baseTimestamp + BigInt(timestampDelta),
      key,
      value,
      headers,
    })
  }
  return {
    baseOffset,
    lastOffset: baseOffset + BigInt(lastOffsetDelta),
    partitionLeaderEpoch,
    timestampType: logAppendTime ? 'LogAppendTime' : 'CreateTime',
    transactional: (attributes & 0x10) !== 0,
    control: (attributes & 0x20) !== 0,
    records,
  }
}

function decompress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case 0:
      return data
    case 1:
      return gunzipSync(data)
    case 2:
      return snappyDecompress(data)
    case 3:
      return lz4Decompress(data)
    case 4:
      return zstdDecompress(data)
    default:
      throw new KafkitError(`Unknown compression codec ${codec} in a record batch.`, { code: 'RECORD_FORMAT' })
  }
}

interface Reader {
  buffer: Buffer
  offset: number
}

/** Zigzag varint (or varlong) as a Number: exact up to 2^53, far beyond any delta or length in a batch. */
function readVarint(reader: Reader): number {
  let value = 0
  let multiplier = 1
  for (;;) {
    if (reader.offset >= reader.buffer.length)
      throw new KafkitError('Truncated record in a record batch.', { code: 'RECORD_FORMAT' })
    const byte = reader.buffer[reader.offset++]!
    value += (byte & 0x7f) * multiplier
    if ((byte & 0x80) === 0) break
    multiplier *= 128
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2
}

function readBytes(reader: Reader): Buffer | null {
  const length = readVarint(reader)
  if (length < 0) return null
  const value = reader.buffer.subarray(reader.offset, reader.offset + length)
  reader.offset += length
  return value
}
