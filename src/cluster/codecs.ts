/**
 * Registers snappy, lz4 and zstd with kafkajs (it ships only gzip). Needed by the producer to compress and
 * by the consumer to read topics other clients compressed. The codec modules load on first use.
 */
import { kafkajs } from './kafkajs-internals.js'
import { UsageError } from '../errors.js'
import type { CodecName } from '../records/compression.js'

const { CompressionCodecs, CompressionTypes } = kafkajs

type Encoder = { buffer: Buffer }

let registered = false

export function registerCodecs(): void {
  if (registered) return
  registered = true
  // Loaded on first use: the consumer registers them on every run, most topics are never compressed.
  const load = () => import('../records/compression.js')
  const codec = (name: 'snappy' | 'lz4' | 'zstd') => () => ({
    compress: async (encoder: Encoder) => {
      const module = await load()
      return name === 'snappy'
        ? module.snappyCompress(encoder.buffer)
        : name === 'lz4'
          ? module.lz4Compress(encoder.buffer)
          : module.zstdCompress(encoder.buffer)
    },
    decompress: async (buffer: Buffer) => {
      const module = await load()
      return name === 'snappy'
        ? module.snappyDecompress(buffer)
        : name === 'lz4'
          ? module.lz4Decompress(buffer)
          : module.zstdDecompress(buffer)
    },
  })
  CompressionCodecs[CompressionTypes.Snappy] = codec('snappy')
  CompressionCodecs[CompressionTypes.LZ4] = codec('lz4')
  CompressionCodecs[CompressionTypes.ZSTD] = codec('zstd')
}

/** --compression-codec to kafkajs's type: none, gzip, snappy, lz4, zstd (case-insensitive). */
export function compressionType(name: string | undefined): number {
  const value = (name ?? 'none').trim().toLowerCase()
  const types: Record<string, number> = {
    none: CompressionTypes.None,
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  }
  const type = types[value]
  if (type === undefined) {
    throw new UsageError(`Unknown compression codec "${name}".`, {
      code: 'BAD_CODEC',
      suggestions: ['Supported: none, gzip, snappy, lz4, zstd.'],
    })
  }
  return type
}

export type { CodecName }
