/**
 * CRC-32C (Castagnoli), the checksum of Kafka's record batches, slicing by 8 bytes per step: about four
 * times faster than kafkajs's byte-at-a-time table, and it runs over every byte the producer sends.
 */
const POLY = 0x82f63b78
const TABLES: Uint32Array[] = []
for (let t = 0; t < 8; t++) TABLES.push(new Uint32Array(256))
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1
  TABLES[0]![n] = c >>> 0
}
for (let n = 0; n < 256; n++) {
  let c = TABLES[0]![n]!
  for (let t = 1; t < 8; t++) {
    c = TABLES[0]![c & 0xff]! ^ (c >>> 8)
    TABLES[t]![n] = c >>> 0
  }
}
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
]

/** CRC-32C of data[start, end), as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  let crc = -1
  let i = start
  const end8 = start + ((end - start) & ~7)
  while (i < end8) {
    const a = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))
    crc =
      T7[a & 0xff]! ^
      T6[(a >>> 8) & 0xff]! ^
      T5[(a >>> 16) & 0xff]! ^
      T4[a >>> 24]! ^
      T3[data[i + 4]!]! ^
      T2[data[i + 5]!]! ^
      T1[data[i + 6]!]! ^
      T0[data[i + 7]!]!
    i += 8
  }
  while (i < end) crc = T0[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i]!
  return sum >>> 0
}

function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]!)
}

/**
 * crc32c(A + B) from crc32c(A), crc32c(B) and B's length (zlib's crc32_combine): a batch's records are
 * checksummed while the previous request is in flight, and only the 40-byte header when the batch is sent.
 */
export function crc32cCombine(crc1: number, crc2: number, length2: number): number {
  if (length2 <= 0) return crc1 >>> 0
  const even = new Uint32Array(32)
  const odd = new Uint32Array(32)
  odd[0] = POLY
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row
  gf2Square(even, odd) // two zero bits
  gf2Square(odd, even) // four zero bits
  let crc = crc1 >>> 0
  let length = length2
  do {
    gf2Square(even, odd)
    if (length & 1) crc = gf2Times(even, crc)
    length = Math.floor(length / 2)
    if (length === 0) break
    gf2Square(odd, even)
    if (length & 1) crc = gf2Times(odd, crc)
    length = Math.floor(length / 2)
  } while (length !== 0)
  return (crc ^ crc2) >>> 0
}
