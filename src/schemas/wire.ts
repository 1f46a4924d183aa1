/**
 * Confluent's wire format, shared by every Schema Registry serde (Confluent's, Apicurio's ccompat mode, kafkajs's):
 *   byte 0: magic 0; bytes 1-4: the schema id, big-endian; then the payload.
 * Protobuf payloads start with the message indexes (the path of the message type in its .proto file) as zigzag
 * varints: their count, then each index; the common case [0] (the file's first message) is the single byte 0.
 * Small and fixed, so kafkit owns it rather than taking a registry client library for it.
 */
import { KafkitError } from '../errors.js'

export const MAGIC_BYTE = 0

export class WireFormatError extends KafkitError {
  constructor(message: string) {
    super(message, { code: 'WIRE_FORMAT' })
  }
}

export function encodeWire(id: number, payload: Buffer, messageIndexes?: readonly number[]): Buffer {
  const header = Buffer.alloc(5)
  header[0] = MAGIC_BYTE
  header.writeUInt32BE(id, 1)
  if (messageIndexes === undefined) return Buffer.concat([header, payload])
  return Buffer.concat([header, encodeMessageIndexes(messageIndexes), payload])
}

export interface WireRecord {
  id: number
  /** Everything after the 5-byte header (for Protobuf: the message indexes, then the message). */
  payload: Buffer
}

export function decodeWire(bytes: Buffer): WireRecord {
  if (bytes.length < 5 || bytes[0] !== MAGIC_BYTE) {
    throw new WireFormatError(
      bytes.length < 5
        ? `not in the Schema Registry wire format (${bytes.length} byte(s), less than the 5-byte header)`
        : `not in the Schema Registry wire format (first byte ${bytes[0]}, expected the magic byte 0)`,
    )
  }
  return { id: bytes.readUInt32BE(1), payload: bytes.subarray(5) }
}

export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0])
  const bytes: number[] = []
  for (const value of [indexes.length, ...indexes]) writeZigzag(value, bytes)
  return Buffer.from(bytes)
}

/** The message indexes at the start of a Protobuf payload, and where the message itself starts. */
export function decodeMessageIndexes(payload: Buffer): { indexes: number[]; offset: number } {
  const cursor = { offset: 0 }
  const count = readZigzag(payload, cursor)
  if (count === 0) return { indexes: [0], offset: cursor.offset }
  if (count < 0 || count > 100) throw new WireFormatError(`invalid Protobuf message index count ${count}`)
  const indexes: number[] = []
  for (let i = 0; i < count; i++) indexes.push(readZigzag(payload, cursor))
  return { indexes, offset: cursor.offset }
}

function writeZigzag(value: number, out: number[]): void {
  let n = value >= 0 ? value * 2 : -value * 2 - 1
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
}

function readZigzag(bytes: Buffer, cursor: { offset: number }): number {
  let result = 0
  let factor = 1
  for (let i = 0; i < 5; i++) {
    if (cursor.offset >= bytes.length) throw new WireFormatError('truncated Protobuf message indexes')
    const byte = bytes[cursor.offset++]!
    result += (byte & 0x7f) * factor
    if ((byte & 0x80) === 0) return result % 2 === 0 ? result / 2 : -(result + 1) / 2
    factor *= 128
  }
  throw new WireFormatError('invalid varint in Protobuf message indexes')
}
