// Pure-JS compression libraries without bundled type declarations (used by src/records/compression.ts).
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array
}

declare module 'lz4js' {
  export function compressBound(size: number): number
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array
}

declare module 'lz4js/xxh32.js' {
  export function hash(seed: number, src: Uint8Array, index: number, length: number): number
}
