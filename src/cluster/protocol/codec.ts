/**
 * A minimal Kafka wire codec for the few requests kafkajs does not speak (it stops at 2019-era protocol
 * versions): classic and "flexible" (KIP-482: compact strings/arrays, tagged fields) encodings of the
 * primitive types. Pure: buffers in, buffers out; the transport lives in ../raw.ts.
 */

export class Writer {
  private chunks: Buffer[] = []
  constructor(readonly flexible: boolean) {}

  int8(v: number): this {
    return this.push(Buffer.from([v & 0xff]))
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0)
  }
  int16(v: number): this {
    const b = Buffer.alloc(2)
    b.writeInt16BE(v)
    return this.push(b)
  }
  int32(v: number): this {
    const b = Buffer.alloc(4)
    b.writeInt32BE(v)
    return this.push(b)
  }
  int64(v: bigint | number): this {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(BigInt(v))
    return this.push(b)
  }

  uvarint(v: number): this {
    const bytes: number[] = []
    let value = v >>> 0
    while (value > 0x7f) {
      bytes.push((value & 0x7f) | 0x80)
      value >>>= 7
    }
    bytes.push(value)
    return this.push(Buffer.from(bytes))
  }

  string(v: string | null): this {
    if (v === null) return this.flexible ? this.uvarint(0) : this.int16(-1)
    const bytes = Buffer.from(v, 'utf8')
    if (this.flexible) this.uvarint(bytes.length + 1)
    else this.int16(bytes.length)
    return this.push(bytes)
  }

  array<T>(items: readonly T[] | null, write: (w: this, item: T) => void): this {
    if (items === null) return this.flexible ? this.uvarint(0) : this.int32(-1)
    if (this.flexible) this.uvarint(items.length + 1)
    else this.int32(items.length)
    for (const item of items) write(this, item)
    return this
  }

  /** An empty tagged-field section: only flexible versions have one. */
  tags(): this {
    return this.flexible ? this.uvarint(0) : this
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks)
  }

  private push(b: Buffer): this {
    this.chunks.push(b)
    return this
  }
}

export class Reader {
  private offset = 0
  constructor(
    private readonly buffer: Buffer,
    readonly flexible: boolean,
  ) {}

  int8(): number {
    return this.take(1).readInt8(0)
  }
  bool(): boolean {
    return this.int8() !== 0
  }
  int16(): number {
    return this.take(2).readInt16BE(0)
  }
  int32(): number {
    return this.take(4).readInt32BE(0)
  }
  int64(): bigint {
    return this.take(8).readBigInt64BE(0)
  }

  uvarint(): number {
    let result = 0
    let shift = 0
    for (;;) {
      const byte = this.take(1)[0]!
      result += (byte & 0x7f) * 2 ** shift
      if ((byte & 0x80) === 0) return result
      shift += 7
      if (shift > 28) throw new Error('Malformed varint in Kafka response')
    }
  }

  string(): string | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int16()
    if (length < 0) return null
    return this.take(length).toString('utf8')
  }

  /** Kafka's Uuid, printed like Java's Uuid.toString(): URL-safe base64 without padding. */
  uuid(): string {
    return this.take(16).toString('base64url')
  }

  array<T>(read: (r: this) => T): T[] | null {
    const length = this.flexible ? this.uvarint() - 1 : this.int32()
    if (length < 0) return null
    const items: T[] = []
    for (let i = 0; i < length; i++) items.push(read(this))
    return items
  }

  /** Skips a tagged-field section (we use none of the optional fields). */
  tags(): void {
    if (!this.flexible) return
    const count = this.uvarint()
    for (let i = 0; i < count; i++) {
      this.uvarint()
      this.take(this.uvarint())
    }
  }

  get remaining(): number {
    return this.buffer.length - this.offset
  }

  private take(n: number): Buffer {
    if (this.offset + n > this.buffer.length) throw new Error('Truncated Kafka response')
    const slice = this.buffer.subarray(this.offset, this.offset + n)
    this.offset += n
    return slice
  }
}
