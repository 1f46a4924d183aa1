/**
 * Every API at every version, and every data message: sample data built from Kafka's definitions (the generator's
 * fixture, test/fixtures/protocol-schema.json) is written with the generated codec, read back, and must come back
 * equal, field by field, and re-encode to the same bytes. The samples use non-default values everywhere, nulls where
 * a version allows them, and every tagged field, so a field written in the wrong version, order or encoding shows.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Reader, Writer } from '../../src/protocol/primitives.js'
import type { AnyApi, DataCodec } from '../../src/protocol/api.js'
import { kebab, loadMessageModules, range, sample, specs } from './protocol-samples.js'

/** Checks that every sampled field came back equal (fields the version lacks hold defaults and are not compared). */
function assertContains(actual: unknown, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Buffer.isBuffer(expected)) {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object or array`)
    if (Array.isArray(expected)) {
      assert.ok(Array.isArray(actual), `${path}: expected an array`)
      assert.equal(actual.length, expected.length, `${path}: length`)
    }
    for (const [key, value] of Object.entries(expected))
      assertContains((actual as Record<string, unknown>)[key], value, `${path}.${key}`)
    return
  }
  if (Buffer.isBuffer(expected)) {
    assert.ok(Buffer.isBuffer(actual), `${path}: expected bytes`)
    assert.ok(expected.equals(actual), `${path}: bytes differ`)
    return
  }
  assert.deepEqual(actual, expected, path)
}

const modules = await loadMessageModules()

function roundTrip(
  label: string,
  write: (w: Writer, v: number, d: unknown) => void,
  read: (r: Reader, v: number) => unknown,
  data: Record<string, unknown>,
  v: number,
): void {
  const w = new Writer(16)
  write(w, v, data)
  const bytes = Buffer.from(w.finish())
  const reader = new Reader(bytes)
  const decoded = read(reader, v)
  assert.equal(reader.remaining, 0, `${label}: ${reader.remaining} bytes left unread`)
  assertContains(decoded, data, label)
  const again = new Writer(16)
  write(again, v, decoded)
  assert.ok(bytes.equals(again.finish()), `${label}: re-encoding the decoded message gives different bytes`)
}

describe('generated protocol codec round-trips', () => {
  const apis = specs.filter((s) => s.type === 'request' || s.type === 'response')
  it('covers every API of the definitions (request and response)', () => {
    const keys = new Set(apis.map((s) => s.apiKey))
    assert.ok(keys.size > 90, `only ${keys.size} APIs`)
    for (const spec of apis) {
      const base = spec.name.replace(/(Request|Response)$/, '')
      const api = modules.get(`${kebab(base)}.ts`)?.[base] as AnyApi | undefined
      assert.ok(api, `no generated API for ${spec.name}`)
      assert.equal(api.apiKey, spec.apiKey, spec.name)
    }
  })

  for (const spec of apis) {
    const base = spec.name.replace(/(Request|Response)$/, '')
    it(`${spec.name} v${spec.validVersions}`, () => {
      const api = modules.get(`${kebab(base)}.ts`)![base] as AnyApi
      const request = spec.type === 'request'
      for (const v of range(spec.validVersions)) {
        const data = sample(spec, spec.fields, v, { n: v * 7 })
        roundTrip(
          `${spec.name} v${v}`,
          (w, ver, d) => (request ? api.writeRequest(w, ver, d) : api.writeResponse(w, ver, d)),
          (r, ver) => (request ? api.readRequest(r, ver) : api.readResponse(r, ver)),
          data,
          v,
        )
      }
    })
  }

  for (const spec of specs.filter((s) => s.type === 'data' || s.type === 'header')) {
    it(`${spec.name} v${spec.validVersions}`, () => {
      const codec = modules.get(`${kebab(spec.name)}.ts`)![`${spec.name}Codec`] as DataCodec<unknown, unknown>
      for (const v of range(spec.validVersions))
        roundTrip(`${spec.name} v${v}`, codec.write, codec.read, sample(spec, spec.fields, v, { n: v }), v)
    })
  }
})
