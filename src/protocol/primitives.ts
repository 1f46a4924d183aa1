/**
 * The Kafka wire protocol's primitive types, for the generated message codecs in ./messages/ (see
 * scripts/gen-protocol.ts): fixed-width integers (big-endian), varints, strings, bytes and arrays in their classic
 * (length-prefixed int16/int32, -1 for null) and compact (KIP-482: unsigned varint length + 1, 0 for null) forms,
 * UUIDs and tagged-field sections. Pure: buffers in, buffers out.
 */

/** A UUID as Kafka prints it (org.apache.kafka.common.Uuid#toString): URL-safe base64 of its 16 bytes, unpadded. */
export type Uuid = string
export const ZERO_UUID: Uuid = 'AAAAAAAAAAAAAAAAAAAAAA'

export class ProtocolError extends Error {}

/** A write into a field that the chosen version does not have (Java's UnsupportedVersionException). */
export class UnsupportedVersionError extends ProtocolError {}

/** Grows one buffer as it is written; `finish()` returns the bytes written. */
export class Writer {
  private buffer: Buffer
  private length = 0

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize)
  }

  private ensure(extra: number): void {
    const needed = this.length + extra
    if (needed <= this.buffer.length) return
    let size = this.buffer.length * 2
    while (size < needed) size *= 2
    const grown = Buffer.allocUnsafe(size)
    this.buffer.copy(grown, 0, 0, this.length)
    this.buffer = grown
  }

  get size(): number {
    return this.length
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.length)
  }

  bool(value: boolean): void {
    this.int8(value ? 1 : 0)
  }
  int8(value: number): void {
    this.ensure(1)
    this.length = this.buffer.writeInt8(value, this.length)
  }
  int16(value: number): void {
    this.ensure(2)
    this.length = this.buffer.writeInt16BE(value, this.length)
  }
  uint16(value: number): void {
    this.ensure(2)
    this.length = this.buffer.writeUInt16BE(value, this.length)
  }
  int32(value: number): void {
    this.ensure(4)
    this.length = this.buffer.writeInt32BE(value, this.length)
  }
  uint32(value: number): void {
    this.ensure(4)
    this.length = this.buffer.writeUInt32BE(value, this.length)
  }
  int64(value: bigint): void {
    this.ensure(8)
    this.length = this.buffer.writeBigInt64BE(BigInt.asIntN(64, value), this.length)
  }
  float64(value: number): void {
    this.ensure(8)
    this.length = this.buffer.writeDoubleBE(value, this.length)
  }
  uvarint(value: number): void {
    this.ensure(5)
    let v = value >>> 0
    while (v > 0x7f) {
      this.buffer[this.length++] = (v & 0x7f) | 0x80
      v >>>= 7
    }
    this.buffer[this.length++] = v
  }
  uuid(value: Uuid): void {
    const bytes = Buffer.from(value, 'base64url')
    if (bytes.length !== 16) throw new ProtocolError(`Invalid UUID ${value}`)
    this.raw(bytes)
  }
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.buffer.set(bytes, this.length)
    this.length += bytes.length
  }

  string(value: string | null, compact: boolean): void {
    if (value === null) return compact ? this.uvarint(0) : this.int16(-1)
    const bytes = Buffer.from(value, 'utf8')
    if (compact) this.uvarint(bytes.length + 1)
    else {
      if (bytes.length > 0x7fff) throw new ProtocolError(`String too long for the protocol: ${bytes.length} bytes`)
      this.int16(bytes.length)
    }
    this.raw(bytes)
  }
  bytes(value: Uint8Array | null, compact: boolean): void {
    if (value === null) return compact ? this.uvarint(0) : this.int32(-1)
    if (compact) this.uvarint(value.length + 1)
    else this.int32(value.length)
    this.raw(value)
  }
  /** An array's length prefix (-1 / 0 for null); the items follow. */
  arrayLength(length: number | null, compact: boolean): void {
    if (length === null) return compact ? this.uvarint(0) : this.int32(-1)
    if (compact) this.uvarint(length + 1)
    else this.int32(length)
  }
  /** A tagged-field section: sorted tags, each with its encoded bytes. */
  taggedFields(fields: Array<[tag: number, bytes: Buffer]>): void {
    this.uvarint(fields.length)
    for (const [tag, bytes] of fields) {
      this.uvarint(tag)
      this.uvarint(bytes.length)
      this.raw(bytes)
    }
  }
}

/** Reads a buffer front to back; every read checks the bounds. */
export class Reader {
  offset: number

  constructor(
    readonly buffer: Buffer,
    offset = 0,
  ) {
    this.offset = offset
  }

  get remaining(): number {
    return this.buffer.length - this.offset
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length)
      throw new ProtocolError(
        `Truncated message: needed ${bytes} bytes at offset ${this.offset} of ${this.buffer.length}`,
      )
  }

  bool(): boolean {
    return this.int8() !== 0
  }
  int8(): number {
    this.need(1)
    return this.buffer.readInt8(this.offset++)
  }
  int16(): number {
    this.need(2)
    const v = this.buffer.readInt16BE(this.offset)
    this.offset += 2
    return v
  }
  uint16(): number {
    this.need(2)
    const v = this.buffer.readUInt16BE(this.offset)
    this.offset += 2
    return v
  }
  int32(): number {
    this.need(4)
    const v = this.buffer.readInt32BE(this.offset)
    this.offset += 4
    return v
  }
  uint32(): number {
    this.need(4)
    const v = this.buffer.readUInt32BE(this.offset)
    this.offset += 4
    return v
  }
  int64(): bigint {
    this.need(8)
    const v = this.buffer.readBigInt64BE(this.offset)
    this.offset += 8
    return v
  }
  float64(): number {
    this.need(8)
    const v = this.buffer.readDoubleBE(this.offset)
    this.offset += 8
    return v
  }
  uvarint(): number {
    let result = 0
    let shift = 0
    for (;;) {
      this.need(1)
      const byte = this.buffer[this.offset++]!
      result += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) break
      shift += 7
      if (shift > 28) throw new ProtocolError('Varint is too long')
    }
    return result
  }
  uuid(): Uuid {
    return this.raw(16).toString('base64url')
  }
  raw(length: number): Buffer {
    this.need(length)
    const bytes = this.buffer.subarray(this.offset, this.offset + length)
    this.offset += length
    return bytes
  }

  string(compact: boolean): string | null {
    const length = compact ? this.uvarint() - 1 : this.int16()
    if (length < 0) return null
    return this.raw(length).toString('utf8')
  }
  bytes(compact: boolean): Buffer | null {
    const length = compact ? this.uvarint() - 1 : this.int32()
    if (length < 0) return null
    return this.raw(length)
  }
  arrayLength(compact: boolean): number | null {
    const length = compact ? this.uvarint() - 1 : this.int32()
    if (length < 0) return null
    if (length > this.remaining) throw new ProtocolError(`Array length ${length} exceeds the message`)
    return length
  }
  /** Reads a tagged-field section, handing each known tag's bytes to `read`; unknown tags are skipped. */
  taggedFields(read: (tag: number, reader: Reader) => void): void {
    const count = this.uvarint()
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint()
      const size = this.uvarint()
      const bytes = this.raw(size)
      read(tag, new Reader(bytes))
    }
  }
}

/** Throws on a non-default value in a field that the version lacks, as Kafka's generated Java code does. */
export function unsupported(message: string, field: string, version: number): never {
  throw new UnsupportedVersionError(`${message} v${version} has no field ${field}; it cannot be sent in that version.`)
}
