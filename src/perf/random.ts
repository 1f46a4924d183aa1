/**
 * A small seeded generator (mulberry32) for payloads and keys: the same seed gives the same run, as --random-seed
 * promises. It is not Java's SplittableRandom, so the sequence differs from the Java tool's.
 */
export function seededRandom(seed: number): () => number {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
