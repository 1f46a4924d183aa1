/**
 * Kafka's compression framings on top of pure-JS codecs (no native builds): the exact byte layouts the
 * Java client writes and reads, so records kafkit compresses are readable by every Kafka client and the
 * broker accepts them (it decompresses each batch to validate it).
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export type CodecName = 'gzip' | 'snappy' | 'lz4' | 'zstd'

// ---- snappy: the Java client's snappy-java "xerial" stream framing ----------------------------------
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_HEADER_SIZE = 16
const SNAPPY_CHUNK = 32 * 1024

export function snappyCompress(input: Buffer): Buffer {
  const snappy = require('snappyjs') as typeof import('snappyjs')
  const header = Buffer.alloc(XERIAL_HEADER_SIZE)
  XERIAL_MAGIC.copy(header, 0)
  header.writeInt32BE(1, 8) // version
  header.writeInt32BE(1, 12) // minimum compatible version
  const parts: Buffer[] = [header]
  for (let offset = 0; offset < input.length; offset += SNAPPY_CHUNK) {
    const block = snappy.compress(input.subarray(offset, Math.min(offset + SNAPPY_CHUNK, input.length)))
    const length = Buffer.alloc(4)
    length.writeInt32BE(block.length, 0)
    parts.push(length, Buffer.from(block.buffer, block.byteOffset, block.length))
  }
  return Buffer.concat(parts)
}

/** Xerial-framed (Java, librdkafka) or raw snappy (some other clients). */
export function snappyDecompress(input: Buffer): Buffer {
  const snappy = require('snappyjs') as typeof import('snappyjs')
  if (input.length >= XERIAL_HEADER_SIZE && input.subarray(0, 8).equals(XERIAL_MAGIC)) {
    const parts: Buffer[] = []
    let offset = XERIAL_HEADER_SIZE
    while (offset + 4 <= input.length) {
      const size = input.readInt32BE(offset)
      offset += 4
      const block = snappy.uncompress(input.subarray(offset, offset + size))
      parts.push(Buffer.from(block.buffer, block.byteOffset, block.length))
      offset += size
    }
    return Buffer.concat(parts)
  }
  const block = snappy.uncompress(input)
  return Buffer.from(block.buffer, block.byteOffset, block.length)
}

// ---- lz4: the LZ4 frame format with independent blocks (Kafka rejects dependent ones) ---------------
const LZ4_MAGIC = 0x184d2204
const LZ4_BLOCK = 64 * 1024

export function lz4Compress(input: Buffer): Buffer {
  const lz4 = require('lz4js') as typeof import('lz4js')
  const xxh32 = require('lz4js/xxh32.js') as typeof import('lz4js/xxh32.js')
  const header = Buffer.alloc(7)
  header.writeUInt32LE(LZ4_MAGIC, 0)
  header[4] = 0x60 // FLG: version 01, block independence; no checksums, no content size
  header[5] = 0x40 // BD: 64 KB maximum block size
  header[6] = (xxh32.hash(0, header, 4, 2) >>> 8) & 0xff
  const parts: Buffer[] = [header]
  const scratch = new Uint8Array(lz4.compressBound(LZ4_BLOCK))
  const hashTable = new Uint32Array(1 << 16)
  for (let offset = 0; offset < input.length; offset += LZ4_BLOCK) {
    const size = Math.min(LZ4_BLOCK, input.length - offset)
    // A fresh hash table per block keeps every match inside its block: that is what "independent" means.
    hashTable.fill(0)
    const compressed = lz4.compressBlock(input, scratch, offset, size, hashTable)
    const length = Buffer.alloc(4)
    if (compressed === 0 || compressed >= size) {
      length.writeUInt32LE((0x80000000 | size) >>> 0, 0)
      parts.push(length, Buffer.from(input.subarray(offset, offset + size)))
    } else {
      length.writeUInt32LE(compressed, 0)
      parts.push(length, Buffer.from(scratch.subarray(0, compressed)))
    }
  }
  parts.push(Buffer.alloc(4)) // end mark
  return Buffer.concat(parts)
}

export function lz4Decompress(input: Buffer): Buffer {
  const lz4 = require('lz4js') as typeof import('lz4js')
  const output = lz4.decompress(input)
  return Buffer.from(output.buffer, output.byteOffset, output.length)
}

// ---- zstd: WebAssembly build of the reference library to compress, pure JS to decompress -----------
let zstdReady: Promise<typeof import('@bokuweb/zstd-wasm')> | undefined

export async function zstdCompress(input: Buffer, level = 3): Promise<Buffer> {
  zstdReady ??= (async () => {
    const zstd = require('@bokuweb/zstd-wasm') as typeof import('@bokuweb/zstd-wasm')
    await zstd.init()
    return zstd
  })()
  const zstd = await zstdReady
  const output = zstd.compress(input, level)
  return Buffer.from(output.buffer, output.byteOffset, output.length)
}

/** fzstd streams frames without a declared content size, which the Java client writes. */
export function zstdDecompress(input: Buffer): Buffer {
  const fzstd = require('fzstd') as typeof import('fzstd')
  const output = fzstd.decompress(input)
  return Buffer.from(output.buffer, output.byteOffset, output.length)
}
