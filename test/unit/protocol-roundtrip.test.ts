/**
 * Every API at every version, and every data message: sample data built from Kafka's definitions (the generator's
 * fixture, test/fixtures/protocol-schema.json) is written with the generated codec, read back, and must come back
 * equal, field by field, and re-encode to the same bytes. The samples use non-default values everywhere, nulls where
 * a version allows them, and every tagged field, so a field written in the wrong version, order or encoding shows.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { Reader, Writer } from '../../src/protocol/primitives.js'
import type { AnyApi, DataCodec } from '../../src/protocol/api.js'

interface FieldSpec {
  name: string
  type: string
  versions: string
  nullableVersions?: string
  taggedVersions?: string
  default?: string
  fields?: FieldSpec[]
}
interface MessageSpec {
  name: string
  type: string
  apiKey?: number
  validVersions: string
  fields: FieldSpec[]
  commonStructs?: Array<{ name: string; fields: FieldSpec[] }>
}

const specs = JSON.parse(
  readFileSync(new URL('../fixtures/protocol-schema.json', import.meta.url), 'utf8'),
) as MessageSpec[]

function inRange(text: string | undefined, v: number): boolean {
  if (!text || text === 'none') return false
  if (text.endsWith('+')) return v >= Number(text.slice(0, -1))
  const [a, b] = text.split('-')
  return v >= Number(a) && v <= Number(b ?? a)
}
function range(text: string): number[] {
  const [a, b] = text.split('-')
  const out: number[] = []
  for (let v = Number(a); v <= Number(b ?? a); v++) out.push(v)
  return out
}
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

/** A deterministic, non-default value for each field present in version v (null for every other nullable one). */
function sample(spec: MessageSpec, fields: FieldSpec[], v: number, seed: { n: number }): Record<string, unknown> {
  const structs = new Map<string, FieldSpec[]>()
  const collect = (fs: FieldSpec[]) => {
    for (const f of fs)
      if (f.fields) {
        structs.set(f.type.replace(/^\[\]/, ''), f.fields)
        collect(f.fields)
      }
  }
  for (const c of spec.commonStructs ?? []) structs.set(c.name, c.fields)
  collect(spec.fields)

  const value = (type: string, n: number): unknown => {
    switch (type) {
      case 'bool':
        return n % 2 === 0
      case 'int8':
        return (n % 100) + 1
      case 'int16':
        return 300 + n
      case 'uint16':
        return 65000 + (n % 500)
      case 'int32':
        return 100_000 + n
      case 'uint32':
        return 3_000_000_000 + n
      case 'int64':
        return 2n ** 40n + BigInt(n)
      case 'float64':
        return n + 0.5
      case 'string':
        return `s${n}é`
      case 'bytes':
      case 'records':
        return Buffer.from([n & 0xff, 1, 2])
      case 'uuid': {
        const b = Buffer.alloc(16, n & 0xff)
        b[0] = 0x42
        return b.toString('base64url')
      }
      default: {
        const sub = structs.get(type)
        assert.ok(sub, `struct ${type} of ${spec.name}`)
        return build(sub)
      }
    }
  }
  const build = (fs: FieldSpec[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (const f of fs) {
      const present = inRange(f.versions, v) && (f.taggedVersions === undefined || inRange(f.taggedVersions, v))
      if (!present) continue
      const n = ++seed.n
      if (inRange(f.nullableVersions, v) && n % 3 === 0) out[camel(f.name)] = null
      else if (f.type.startsWith('[]')) {
        const element = f.type.slice(2)
        out[camel(f.name)] = [value(element, n), value(element, n + 1000)]
      } else out[camel(f.name)] = value(f.type, n)
    }
    return out
  }
  return build(fields)
}

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

const modules = new Map<string, Record<string, unknown>>()
const messagesDir = new URL('../../src/protocol/messages/', import.meta.url)
for (const file of readdirSync(messagesDir))
  modules.set(file, (await import(new URL(file, messagesDir).href)) as Record<string, unknown>)
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

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
