/**
 * Raw Kafka wire access for tests of the embedded broker (and of real Kafka beside it): a connection that writes bytes
 * as told and splits what comes back into frames, requests encoded by the generated codec, and a hand-built record
 * batch (so a test can corrupt exactly the bytes it means to).
 */
import { connect, type Socket } from 'node:net'
import {
  decodeResponseBody,
  encodeRequest,
  type AnyApi,
  type RequestInputOf,
  type ResponseOf,
} from '../../src/protocol/api.js'
import { Reader } from '../../src/protocol/primitives.js'
import { crc32c } from '../../src/records/crc32c.js'

/** A raw connection: writes bytes as told, and splits what comes back into frames. */
export class Wire {
  private buffered = Buffer.alloc(0)
  private waiting: Array<(frame: Buffer) => void> = []
  private frames: Buffer[] = []
  closed: Promise<void>

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk])
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0)
        const frame = this.buffered.subarray(4, 4 + size)
        this.buffered = this.buffered.subarray(4 + size)
        const next = this.waiting.shift()
        if (next) next(frame)
        else this.frames.push(frame)
      }
    })
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()))
  }

  static open(port: number): Promise<Wire> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Wire(socket)))
      socket.once('error', reject)
    })
  }

  frame(): Promise<Buffer> {
    const ready = this.frames.shift()
    if (ready) return Promise.resolve(ready)
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes)
  }

  close(): void {
    this.socket.destroy()
  }
}

export function sized(payload: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeInt32BE(payload.length)
  return Buffer.concat([size, payload])
}

export function request<A extends AnyApi>(
  api: A,
  version: number,
  correlationId: number,
  data: RequestInputOf<A>,
): Buffer {
  return sized(encodeRequest(api, version, correlationId, 'unit', data))
}

export function response<A extends AnyApi>(
  api: A,
  version: number,
  frame: Buffer,
): { correlationId: number; body: ResponseOf<A> } {
  const reader = new Reader(frame)
  const correlationId = reader.int32()
  return { correlationId, body: decodeResponseBody(api, version, reader) }
}

export async function call<A extends AnyApi>(
  wire: Wire,
  api: A,
  version: number,
  data: RequestInputOf<A>,
): Promise<ResponseOf<A>> {
  wire.write(request(api, version, 7, data))
  return response(api, version, await wire.frame()).body
}

export const within = <T>(promise: Promise<T>, ms = 2000): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ])

/** One uncompressed magic v2 batch of values (keys null), CRC-32C filled in, as a producer sends it. */
export function batch(
  values: string[],
  timestamps: number[] = values.map(() => Date.now()),
  producer: { id: bigint; epoch: number; sequence: number } = { id: -1n, epoch: -1, sequence: -1 },
): Buffer {
  const varint = (n: number): Buffer => {
    let z = n >= 0 ? n * 2 : -n * 2 - 1
    const bytes: number[] = []
    while (z >= 0x80) {
      bytes.push((z & 0x7f) | 0x80)
      z = Math.floor(z / 128)
    }
    bytes.push(z)
    return Buffer.from(bytes)
  }
  const base = timestamps[0]!
  const records = values.map((v, i) => {
    const value = Buffer.from(v)
    const body = Buffer.concat([
      Buffer.from([0]),
      varint(timestamps[i]! - base),
      varint(i),
      varint(-1),
      varint(value.length),
      value,
      varint(0),
    ])
    return Buffer.concat([varint(body.length), body])
  })
  const header = Buffer.alloc(61)
  const all = Buffer.concat([header, ...records])
  all.writeBigInt64BE(0n, 0)
  all.writeInt32BE(all.length - 12, 8)
  all.writeInt32BE(-1, 12)
  all.writeInt8(2, 16)
  all.writeInt16BE(0, 21)
  all.writeInt32BE(values.length - 1, 23)
  all.writeBigInt64BE(BigInt(base), 27)
  all.writeBigInt64BE(BigInt(Math.max(...timestamps)), 35)
  all.writeBigInt64BE(producer.id, 43)
  all.writeInt16BE(producer.epoch, 51)
  all.writeInt32BE(producer.sequence, 53)
  all.writeInt32BE(values.length, 57)
  all.writeUInt32BE(crc32c(all, 21), 17)
  return all
}
