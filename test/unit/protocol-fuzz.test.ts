/**
 * Fuzzes the generated request decoders, which the embedded broker runs on every byte a client sends: every request
 * API at every version, starting from a valid sample (protocol-samples.ts) and mutated (bytes flipped, cut short,
 * lengths blown up, random bytes appended or put in front). A decoder must either return or throw the codec's own
 * ProtocolError, which the server turns into closing that one connection; anything else (a RangeError, a TypeError,
 * a hang, a huge allocation from a length prefix) would be a way for one client to take the broker down.
 * The random source is seeded, so a failure names the case that reproduces it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ProtocolError, Reader, Writer } from '../../src/protocol/primitives.js'
import type { AnyApi } from '../../src/protocol/api.js'
import { kebab, loadMessageModules, range, sample, specs } from './protocol-samples.js'

const MUTATIONS_PER_VERSION = 40

/** A small seeded generator (mulberry32): the same cases on every run. */
function seeded(seed: number): (n: number) => number {
  let state = seed >>> 0
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0
  }
}

/** One mutation of a valid encoding, chosen by `random`. */
function mutate(valid: Buffer, random: (n: number) => number): Buffer {
  const bytes = Buffer.from(valid)
  switch (random(5)) {
    case 0: // flip a few bits
      for (let flips = 1 + random(4); flips > 0 && bytes.length > 0; flips--)
        bytes[random(bytes.length)]! ^= 1 << random(8)
      return bytes
    case 1: // cut short
      return bytes.subarray(0, random(bytes.length + 1))
    case 2: {
      // a length or count blown up: 0x7fffffff or 0xff... over four bytes somewhere
      if (bytes.length < 4) return bytes
      const at = random(bytes.length - 3)
      bytes.writeUInt32BE(random(2) === 0 ? 0x7fffffff : 0xffffffff, at)
      return bytes
    }
    case 3: // random bytes appended
      return Buffer.concat([bytes, Buffer.from(Array.from({ length: 1 + random(16) }, () => random(256)))])
    default: // random bytes only
      return Buffer.from(Array.from({ length: random(64) }, () => random(256)))
  }
}

const modules = await loadMessageModules()

describe('generated request decoders under fuzzing', () => {
  const requests = specs.filter((s) => s.type === 'request')

  it('fuzzes every request API', () => {
    assert.ok(requests.length > 90, `only ${requests.length} request APIs`)
  })

  for (const spec of requests) {
    const base = spec.name.replace(/Request$/, '')
    it(`${spec.name} v${spec.validVersions}: returns or throws ProtocolError, nothing else`, () => {
      const api = modules.get(`${kebab(base)}.ts`)![base] as AnyApi
      const random = seeded((spec.apiKey ?? 0) + 1)
      let rejected = 0
      for (const version of range(spec.validVersions)) {
        const writer = new Writer(64)
        api.writeRequest(writer, version, sample(spec, spec.fields, version, { n: version * 3 }))
        const valid = Buffer.from(writer.finish())
        for (let i = 0; i < MUTATIONS_PER_VERSION; i++) {
          const input = mutate(valid, random)
          try {
            api.readRequest(new Reader(input), version)
          } catch (error) {
            if (!(error instanceof ProtocolError))
              assert.fail(
                `${spec.name} v${version}, mutation ${i} (${input.toString('hex').slice(0, 120)}): ` +
                  `${(error as Error).name}: ${(error as Error).message}`,
              )
            rejected++
          }
        }
      }
      // The mutations must reach the decoder's checks, not all slip through as valid messages.
      assert.ok(rejected > 0, `${spec.name}: no mutation was rejected`)
    })
  }
})
