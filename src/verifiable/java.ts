/**
 * What it takes to write what the Java tools write: Jackson's rendering of a `double` (Double.toString) and
 * java.util.Random, whose seeded sequence kafka-e2e-latency.sh uses for its record bytes.
 */

/** `Double.toString`: the shortest digits that round-trip (JDK 19+), "5.0" for integers, E notation outside [1e-3, 1e7). */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(value)
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value)
    return text.includes('.') ? text : `${text}.0`
  }
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string]
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`
}

const MULTIPLIER = 0x5deece66dn
const MASK = (1n << 48n) - 1n

/** java.util.Random: the 48-bit linear congruential generator, for nextInt(bound). */
export class JavaRandom {
  private seed: bigint

  constructor(seed: number | bigint) {
    this.seed = (BigInt(seed) ^ MULTIPLIER) & MASK
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + 0xbn) & MASK
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)))
  }

  nextInt(bound: number): number {
    let r = this.next(31)
    const m = bound - 1
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n)
    // Java's int arithmetic: the sum overflows (goes negative) for the biased top range, which is drawn again.
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r
  }
}

/** EndToEndLatency.randomBytesOfLen: `length` copies of one random capital letter (one draw even for length 0). */
export function randomBytesOfLen(random: JavaRandom, length: number): Buffer {
  const letter = random.nextInt(26) + 65
  return Buffer.alloc(length, letter)
}
