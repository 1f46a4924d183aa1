/**
 * kafkajs 2.2.4 hot spots replaced before kafkajs loads (CommonJS modules seeded into the require cache),
 * because they dominate bulk produce and consume:
 *  - producer/groupMessagesPerPartition.js copies the partition's array for every message (quadratic:
 *    a 10,000-record batch costs 50 million element copies);
 *  - protocol/recordBatch/record/v0 allocates a zero-filled 512-byte encoder per record and encodes
 *    varlongs through Long objects;
 *  - protocol/recordBatch/record/v0/decoder.js and consumer/batch.js do two or three 64-bit Long
 *    conversions per record read (offset, timestamp, the fetched-offset filter).
 * The producer goes further: its records are encoded as they are read (src/records/record-batch.ts) and reach
 * kafkajs as one message per partition batch carrying the encoded batch (PRE_ENCODED): kafkajs still does the
 * routing, the idempotent sequence numbers (advanced by the batch's record count) and the retries, and
 *  - protocol/requests/produce/v3/request.js writes the request into one buffer, batch headers and CRC in place;
 *  - protocol/request.js writes the request header into room left before that buffer (kafkajs copied the whole
 *    request twice into fresh zero-filled buffers).
 * The replacements produce the same bytes and objects (checked by the unit tests against the originals); the
 * encoder also accepts headers as a list of {key, value} so order, repeated keys and null header values
 * survive (kafkajs's object form cannot express them). Only builders live here: ./kafkajs-internals.ts, the one
 * module that loads kafkajs, seeds them into the require cache before kafkajs loads (`fastModules`).
 */
import {
  ENTRY_OVERHEAD,
  PRE_ENCODED,
  sizeOfUVarInt,
  writePartitionEntry,
  writeUVarInt,
  zigzag,
  type RecordBatchBuilder,
} from '../records/record-batch.js'

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
export function encodeRecord({ offsetDelta = 0, timestampDelta = 0, key, value, headers }: RecordInput): {
  buf: Buffer
  offset: number
  buffer: Buffer
} {
  const keyBytes = toBuffer(key)
  const valueBytes = toBuffer(value)
  const list = headerList(headers)
  const timestamp = zigzag(Number(timestampDelta))
  const offsetZ = zigzag(offsetDelta)
  let body =
    1 +
    sizeOfUVarInt(timestamp) +
    sizeOfUVarInt(offsetZ) +
    sizeOfBytes(keyBytes) +
    sizeOfBytes(valueBytes) +
    sizeOfUVarInt(zigzag(list.length))
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
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: {
  topic: string
  partitionMetadata: unknown[]
  messages: Array<{ partition?: number }>
  partitioner: (args: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number
}): Record<number, unknown[]> {
  const result: Record<number, unknown[]> = {}
  if (partitionMetadata.length === 0) return result
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message })
    const builder = (message as { [PRE_ENCODED]?: RecordBatchBuilder })[PRE_ENCODED]
    if (builder) {
      // A whole encoded batch stands for its records: kafkajs advances the sequence by `length`.
      if (result[partition]) throw new Error(`two batches for partition ${partition} in one request`)
      result[partition] = preEncodedList(builder)
    } else {
      const list = (result[partition] ??= [])
      if (PRE_ENCODED in list) throw new Error(`two batches for partition ${partition} in one request`)
      list.push(message)
    }
  }
  return result
}

/**
 * What kafkajs sees as a partition's messages for a pre-encoded batch: sendMessages only reads `length` (to
 * advance the idempotent sequence by the record count); our Produce request encoder takes the batch.
 */
function preEncodedList(builder: RecordBatchBuilder): unknown[] {
  return { [PRE_ENCODED]: builder, length: builder.count } as unknown as unknown[]
}

interface Decoder {
  buffer: Buffer
  offset: number
}
interface BatchContext {
  firstOffset?: string
  firstTimestamp?: string
  magicByte?: number
  isControlBatch?: boolean
  timestampType?: number
  maxTimestamp?: string
}

/** Zigzag varint at decoder.offset, as a Number (exact up to 2^53, far beyond any delta in a batch). */
function readVarNumber(decoder: Decoder): number {
  const buffer = decoder.buffer
  let offset = decoder.offset
  let result = 0
  let multiplier = 1
  let byte: number
  do {
    byte = buffer[offset++]!
    result += (byte & 0x7f) * multiplier
    multiplier *= 128
  } while (byte & 0x80)
  decoder.offset = offset
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2
}

function readBytes(decoder: Decoder): Buffer | null {
  const length = readVarNumber(decoder)
  if (length < 0) return null
  const value = decoder.buffer.subarray(decoder.offset, decoder.offset + length)
  decoder.offset += length
  return value
}

/**
 * `base + delta` for int64 decimal strings: Number arithmetic while exact, BigInt beyond. The base is the
 * same for every record of a batch, so its conversion is cached (one cache for offsets, one for timestamps).
 */
function int64Adder(): (base: string, delta: number) => string {
  let cachedBase = ''
  let cachedNumber = 0
  let safe = false
  return (base, delta) => {
    if (base !== cachedBase) {
      cachedBase = base
      cachedNumber = Number(base)
      safe = Number.isSafeInteger(cachedNumber)
    }
    const sum = cachedNumber + delta
    return safe && Number.isSafeInteger(sum) ? String(sum) : (BigInt(base) + BigInt(delta)).toString()
  }
}
const addOffset = int64Adder()
const addTimestamp = int64Adder()

/** kafkajs's record v0 decoder, same result object. */
export function decodeRecord(decoder: Decoder, batchContext: BatchContext = {}): Record<string, unknown> {
  const { firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext
  const attributes = decoder.buffer.readInt8(decoder.offset)
  decoder.offset += 1
  const timestampDelta = readVarNumber(decoder)
  const timestamp =
    timestampType === 1 && maxTimestamp ? maxTimestamp : addTimestamp(String(firstTimestamp), timestampDelta)
  const offset = addOffset(String(firstOffset), readVarNumber(decoder))
  const key = readBytes(decoder)
  const value = readBytes(decoder)
  const count = readVarNumber(decoder)
  const headers: Record<string, Buffer | null | Array<Buffer | null>> = {}
  for (let i = 0; i < count; i++) {
    const name = readBytes(decoder)!.toString('utf8')
    const headerValue = readBytes(decoder)
    const existing = headers[name]
    headers[name] =
      existing === undefined
        ? headerValue
        : Array.isArray(existing)
          ? existing.concat([headerValue])
          : [existing, headerValue]
  }
  return {
    magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext,
  }
}

/** a >= b for non-negative int64 decimal strings, without 64-bit arithmetic. */
const offsetAtLeast = (a: string, b: string) => (a.length !== b.length ? a.length > b.length : a >= b)

type Message = { offset: string; isControlRecord?: boolean }

/** kafkajs's consumer Batch with string comparisons instead of a Long per message; same fields and methods. */
export function createBatchClass(
  filterAbortedMessages: (args: { messages: Message[]; abortedTransactions: unknown }) => Message[],
) {
  return class Batch {
    fetchedOffset: string
    topic: string
    partition: number
    highWatermark: string
    rawMessages: Message[]
    messagesWithinOffset: Message[]
    messages: Message[]

    constructor(
      topic: string,
      fetchedOffset: string | number,
      partitionData: { partition: number; highWatermark: string; messages: Message[]; abortedTransactions: unknown },
    ) {
      this.fetchedOffset = String(fetchedOffset)
      this.topic = topic
      this.partition = partitionData.partition
      this.highWatermark = partitionData.highWatermark
      this.rawMessages = partitionData.messages
      const from = this.fetchedOffset
      this.messagesWithinOffset =
        this.rawMessages.length > 0 && offsetAtLeast(this.rawMessages[0]!.offset, from)
          ? this.rawMessages
          : this.rawMessages.filter((m) => offsetAtLeast(m.offset, from))
      this.messages = filterAbortedMessages({
        messages: this.messagesWithinOffset,
        abortedTransactions: partitionData.abortedTransactions,
      }).filter((m) => !m.isControlRecord)
    }

    isEmpty() {
      return this.messages.length === 0
    }
    isEmptyIncludingFiltered() {
      return this.messagesWithinOffset.length === 0
    }
    isEmptyDueToFiltering() {
      return this.isEmpty() && this.rawMessages.length > 0
    }
    isEmptyControlRecord() {
      return this.isEmpty() && this.messagesWithinOffset.some(({ isControlRecord }) => isControlRecord)
    }
    isEmptyDueToLogCompactedMessages() {
      return this.rawMessages.length > 0 && this.isEmptyIncludingFiltered()
    }
    firstOffset() {
      return this.isEmptyIncludingFiltered() ? null : this.messagesWithinOffset[0]!.offset
    }
    lastOffset() {
      if (this.isEmptyDueToLogCompactedMessages()) return this.fetchedOffset
      if (this.isEmptyIncludingFiltered()) return (BigInt(this.highWatermark) - 1n).toString()
      return this.messagesWithinOffset[this.messagesWithinOffset.length - 1]!.offset
    }
    offsetLag() {
      return (BigInt(this.highWatermark) - 1n - BigInt(this.lastOffset())).toString()
    }
    offsetLagLow() {
      if (this.isEmptyIncludingFiltered()) return '0'
      return (BigInt(this.highWatermark) - 1n - BigInt(this.firstOffset()!)).toString()
    }
  }
}

type ProduceMessage = {
  key?: string | Buffer | null
  value?: string | Buffer | null
  headers?: HeaderInput
  timestamp?: string | number
}
type KafkajsEncoder = {
  writeString(v: string | null): KafkajsEncoder
  writeInt16(v: number): KafkajsEncoder
  writeInt32(v: number): KafkajsEncoder
  writeArray(v: unknown[]): KafkajsEncoder
  writeEncoder(v: unknown): KafkajsEncoder
  size(): number
}

/**
 * kafkajs's Produce request v3 (v4 to v7 build on it) with the per-record work of partitionsEncoder done
 * without an object spread per record and without sorting the timestamps as strings.
 */
/** The kafkajs modules the Produce request builder uses, handed over by ./kafkajs-internals.ts. */
export interface ProduceRequestParts {
  Long: { fromInt(n: number): unknown }
  Encoder: new () => KafkajsEncoder
  apiKey: number
  Types: { None: number }
  RecordBatch: (args: Record<string, unknown>) => Promise<KafkajsEncoder>
  lookupCodec(type: number): { compress(encoder: { buffer: Buffer }): Promise<Buffer> } | null
}

export function createProduceRequestV3({
  Long,
  Encoder,
  apiKey,
  Types,
  RecordBatch,
  lookupCodec,
}: ProduceRequestParts): unknown {
  const encodePartition = async (
    compression: number,
    data: { partition: number; messages: ProduceMessage[]; firstSequence?: number },
    transactionalId: string | null,
    producerId: unknown,
    producerEpoch: number,
  ) => {
    const now = Date.now()
    const { messages } = data
    let first = Infinity
    let max = -Infinity
    for (const message of messages) {
      if (message.timestamp == null) continue
      const t = Number(message.timestamp)
      if (t < first) first = t
      if (t > max) max = t
    }
    if (first === Infinity) first = max = now
    const records = new Array(messages.length)
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!
      records[i] = encodeRecord({
        key: m.key,
        value: m.value,
        headers: m.headers,
        offsetDelta: i,
        timestampDelta: (m.timestamp == null ? now : Number(m.timestamp)) - first,
      })
    }
    const recordBatch = await RecordBatch({
      compression,
      records,
      firstTimestamp: first,
      maxTimestamp: max,
      producerId,
      producerEpoch,
      firstSequence: data.firstSequence,
      transactional: !!transactionalId,
      lastOffsetDelta: records.length - 1,
    })
    return new Encoder().writeInt32(data.partition).writeInt32(recordBatch.size()).writeEncoder(recordBatch)
  }

  type Entry = {
    size: number
    buffer?: Buffer
    builder?: RecordBatchBuilder
    records?: Uint8Array
    recordsCrc?: number
    partition: number
    firstSequence: number
  }

  return ({
    acks,
    timeout,
    transactionalId = null,
    producerId = Long.fromInt(-1),
    producerEpoch = 0,
    compression = Types.None,
    topicData,
  }: {
    acks: number
    timeout: number
    transactionalId?: string | null
    producerId?: unknown
    producerEpoch?: number
    compression?: number
    topicData: Array<{
      topic: string
      partitions: Array<{ partition: number; messages: ProduceMessage[]; firstSequence?: number }>
    }>
  }) => ({
    apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    // One buffer for the whole request, with room before it for the request header (see createRequest).
    encode: async () => {
      const topics: Array<{ topic: string; entries: Entry[] }> = []
      let size = stringSize(transactionalId) + 2 + 4 + 4
      for (const { topic, partitions } of topicData) {
        const entries: Entry[] = []
        for (const data of partitions) {
          const builder = (data.messages as unknown as { [PRE_ENCODED]?: RecordBatchBuilder })[PRE_ENCODED]
          if (builder) {
            let records: Uint8Array = builder.records
            let recordsCrc: number | undefined
            if (compression === Types.None) {
              recordsCrc = builder.recordsCrc()
            } else {
              const codec = lookupCodec(compression)
              if (!codec) throw new Error(`no codec for compression ${compression}`)
              records = await codec.compress({ buffer: builder.records })
            }
            entries.push({
              size: ENTRY_OVERHEAD + records.length,
              builder,
              records,
              recordsCrc,
              partition: data.partition,
              firstSequence: data.firstSequence ?? 0,
            })
          } else {
            const buffer = (
              (await encodePartition(compression, data, transactionalId, producerId, producerEpoch)) as unknown as {
                buffer: Buffer
              }
            ).buffer
            entries.push({ size: buffer.length, buffer, partition: data.partition, firstSequence: 0 })
          }
        }
        topics.push({ topic, entries })
        size += stringSize(topic) + 4
        for (const entry of entries) size += entry.size
      }
      const whole = requestBuffer(REQUEST_HEADROOM + size)
      const buf = whole.subarray(0, REQUEST_HEADROOM + size)
      for (const { entries } of topics) for (const entry of entries) entry.builder?.encodedInto.push(whole)
      let o = writeString(buf, REQUEST_HEADROOM, transactionalId)
      o = buf.writeInt16BE(acks, o)
      o = buf.writeInt32BE(timeout, o)
      o = buf.writeInt32BE(topics.length, o)
      const id = producerIdValue(producerId)
      for (const { topic, entries } of topics) {
        o = writeString(buf, o, topic)
        o = buf.writeInt32BE(entries.length, o)
        for (const entry of entries) {
          if (entry.buffer) {
            buf.set(entry.buffer, o)
            o += entry.buffer.length
          } else {
            o = writePartitionEntry(
              buf,
              o,
              {
                partition: entry.partition,
                producerId: id,
                producerEpoch,
                firstSequence: entry.firstSequence,
                transactional: !!transactionalId,
                compression,
              },
              entry.builder!,
              entry.records!,
              entry.recordsCrc,
            )
          }
        }
      }
      return {
        buf,
        offset: buf.length,
        get buffer() {
          return buf.subarray(REQUEST_HEADROOM)
        },
        [HEADROOM]: REQUEST_HEADROOM,
      }
    },
  })
}

/**
 * Request buffers back from acknowledged requests, for the next ones: a 100 MB produce no longer allocates (and
 * the garbage collector no longer sweeps) 100 MB of request buffers.
 */
const spareRequestBuffers: Buffer[] = []

function requestBuffer(size: number): Buffer {
  const index = spareRequestBuffers.findIndex((b) => b.length >= size)
  if (index !== -1) return spareRequestBuffers.splice(index, 1)[0]!
  // Rounded up so a buffer also fits the next, slightly larger request.
  return Buffer.allocUnsafe(Math.ceil(size / (256 * 1024)) * 256 * 1024)
}

/**
 * Gives a request buffer back for reuse. Only for a request the broker answered (it has read every byte, so no
 * socket still writes from it) and that was encoded once (no earlier attempt may still be queued on a socket).
 */
export function recycleRequestBuffer(buffer: Buffer): void {
  if (spareRequestBuffers.length < 2 && !spareRequestBuffers.includes(buffer)) spareRequestBuffers.push(buffer)
}

/** Bytes kept free before an encoded Produce request for the request header (size, api key and version, correlation id, client id). */
const REQUEST_HEADROOM = 512
const HEADROOM = Symbol('headroom')

const stringSize = (value: string | null) => 2 + (value == null ? 0 : Buffer.byteLength(value))

function writeString(buf: Buffer, offset: number, value: string | null): number {
  if (value == null) return buf.writeInt16BE(-1, offset)
  const length = buf.write(value, offset + 2, 'utf8')
  buf.writeInt16BE(length, offset)
  return offset + 2 + length
}

function producerIdValue(producerId: unknown): bigint {
  if (typeof producerId === 'bigint') return producerId
  if (typeof producerId === 'number' || typeof producerId === 'string') return BigInt(producerId)
  return (producerId as { value: bigint }).value
}

/**
 * kafkajs's protocol/request.js (size-prefixed request header + payload), writing the header into the room a
 * Produce request left before its payload instead of copying the payload twice into fresh zero-filled buffers.
 */
export function createRequest(Encoder: ProduceRequestParts['Encoder']): unknown {
  return async ({
    correlationId,
    clientId,
    request: { apiKey, apiVersion, encode },
  }: {
    correlationId: number
    clientId: string | null
    request: {
      apiKey: number
      apiVersion: number
      encode(): Promise<KafkajsEncoder & { buf: Buffer; [HEADROOM]?: number }>
    }
  }) => {
    const payload = await encode()
    const headroom = payload[HEADROOM]
    const header = 4 + 2 + 2 + 4 + stringSize(clientId)
    if (headroom !== undefined && header <= headroom) {
      const buf = payload.buf
      const start = headroom - header
      let o = buf.writeInt32BE(buf.length - start - 4, start)
      o = buf.writeInt16BE(apiKey, o)
      o = buf.writeInt16BE(apiVersion, o)
      o = buf.writeInt32BE(correlationId, o)
      writeString(buf, o, clientId)
      const buffer = buf.subarray(start)
      return { buf: buffer, offset: buffer.length, buffer }
    }
    const requestPayload = new Encoder()
      .writeInt16(apiKey)
      .writeInt16(apiVersion)
      .writeInt32(correlationId)
      .writeString(clientId)
      .writeEncoder(payload)
    return new Encoder().writeInt32(requestPayload.size()).writeEncoder(requestPayload)
  }
}
