/**
 * Two kafkajs 2.2.4 producer hot spots replaced before kafkajs loads (CommonJS modules seeded into the
 * require cache), because they dominate a bulk produce:
 *  - producer/groupMessagesPerPartition.js copies the partition's array for every message (quadratic:
 *    a 10,000-record batch costs 50 million element copies);
 *  - protocol/recordBatch/record/v0 allocates a zero-filled 512-byte encoder per record and encodes
 *    varlongs through Long objects.
 * The replacements produce the same bytes (checked by the unit tests against the originals) and also accept
 * headers as a list of {key, value} so order, repeated keys and null header values survive (kafkajs's
 * object form cannot express them). Import this module before anything imports kafkajs; if kafkajs was
 * already loaded, `installed` says so and nothing changes.
 */
import Module, { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

type HeaderList = Array<{ key: string | Buffer; value: string | Buffer | null }>
type HeaderInput = HeaderList | Record<string, string | Buffer | null | Array<string | Buffer | null>> | undefined

interface RecordInput {
  offsetDelta?: number
  timestampDelta?: number
  key?: string | Buffer | null
  value?: string | Buffer | null
  headers?: HeaderInput
}

const toBuffer = (value: string | Buffer | null | undefined): Buffer | null =>
  value === null || value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(String(value))

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1)

function sizeOfUVarInt(value: number): number {
  let size = 1
  while (value >= 0x80) {
    value = Math.floor(value / 128)
    size++
  }
  return size
}

function writeUVarInt(buffer: Buffer, offset: number, value: number): number {
  while (value >= 0x80) {
    buffer[offset++] = (value % 128) | 0x80
    value = Math.floor(value / 128)
  }
  buffer[offset++] = value
  return offset
}

const sizeOfBytes = (bytes: Buffer | null) => (bytes === null ? 1 : sizeOfUVarInt(zigzag(bytes.length)) + bytes.length)

function writeBytes(buffer: Buffer, offset: number, bytes: Buffer | null): number {
  if (bytes === null) return writeUVarInt(buffer, offset, 1) // zigzag(-1)
  offset = writeUVarInt(buffer, offset, zigzag(bytes.length))
  bytes.copy(buffer, offset)
  return offset + bytes.length
}

function headerList(headers: HeaderInput): Array<[Buffer, Buffer | null]> {
  if (!headers) return []
  if (Array.isArray(headers)) return headers.map((h) => [toBuffer(h.key)!, toBuffer(h.value)])
  const list: Array<[Buffer, Buffer | null]> = []
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    const keyBytes = Buffer.from(key)
    if (Array.isArray(value)) for (const item of value) list.push([keyBytes, toBuffer(item)])
    else list.push([keyBytes, toBuffer(value ?? null)])
  }
  return list
}

/** An object kafkajs's Encoder.writeEncoderArray accepts: a `buf` Buffer and a `buffer` getter. */
export function encodeRecord({ offsetDelta = 0, timestampDelta = 0, key, value, headers }: RecordInput): { buf: Buffer; offset: number; buffer: Buffer } {
  const keyBytes = toBuffer(key)
  const valueBytes = toBuffer(value)
  const list = headerList(headers)
  const timestamp = zigzag(Number(timestampDelta))
  const offsetZ = zigzag(offsetDelta)
  let body = 1 + sizeOfUVarInt(timestamp) + sizeOfUVarInt(offsetZ) + sizeOfBytes(keyBytes) + sizeOfBytes(valueBytes) + sizeOfUVarInt(zigzag(list.length))
  for (const [k, v] of list) body += sizeOfBytes(k) + sizeOfBytes(v)
  const total = sizeOfUVarInt(zigzag(body)) + body
  const buf = Buffer.allocUnsafe(total)
  let offset = writeUVarInt(buf, 0, zigzag(body))
  buf[offset++] = 0 // record attributes (unused)
  offset = writeUVarInt(buf, offset, timestamp)
  offset = writeUVarInt(buf, offset, offsetZ)
  offset = writeBytes(buf, offset, keyBytes)
  offset = writeBytes(buf, offset, valueBytes)
  offset = writeUVarInt(buf, offset, zigzag(list.length))
  for (const [k, v] of list) {
    offset = writeBytes(buf, offset, k)
    offset = writeBytes(buf, offset, v)
  }
  return { buf, offset, buffer: buf }
}

/** Same grouping as kafkajs (partition → messages in input order), in one pass. */
export function groupMessagesPerPartition({ topic, partitionMetadata, messages, partitioner }: {
  topic: string
  partitionMetadata: unknown[]
  messages: Array<{ partition?: number }>
  partitioner: (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number
}): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {}
  if (partitionMetadata.length === 0) return result
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message })
    ;(result[partition] ??= []).push(message)
  }
  return result
}

function seed(request: string, exports: unknown): boolean {
  const filename = require.resolve(request)
  if (require.cache[filename]) return false
  const module = new Module(filename)
  module.filename = filename
  module.loaded = true
  module.exports = exports
  require.cache[filename] = module
  return true
}

/** False when kafkajs was loaded before this module (the originals stay in use; only slower). */
export const installed =
  seed('kafkajs/src/producer/groupMessagesPerPartition.js', groupMessagesPerPartition) &&
  seed('kafkajs/src/protocol/recordBatch/record/v0/index.js', encodeRecord)
