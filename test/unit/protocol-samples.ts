/**
 * Sample data for the generated protocol codec, built from Kafka's definitions (the generator's fixture,
 * test/fixtures/protocol-schema.json): for a version, every field the version has gets a deterministic non-default
 * value (or null, where the version allows it), nested structs and arrays included.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'

export interface FieldSpec {
  name: string
  type: string
  versions: string
  nullableVersions?: string
  taggedVersions?: string
  default?: string
  fields?: FieldSpec[]
}
export interface MessageSpec {
  name: string
  type: string
  apiKey?: number
  validVersions: string
  fields: FieldSpec[]
  commonStructs?: Array<{ name: string; fields: FieldSpec[] }>
}

export const specs = JSON.parse(
  readFileSync(new URL('../fixtures/protocol-schema.json', import.meta.url), 'utf8'),
) as MessageSpec[]

function inRange(text: string | undefined, v: number): boolean {
  if (!text || text === 'none') return false
  if (text.endsWith('+')) return v >= Number(text.slice(0, -1))
  const [a, b] = text.split('-')
  return v >= Number(a) && v <= Number(b ?? a)
}
export function range(text: string): number[] {
  const [a, b] = text.split('-')
  const out: number[] = []
  for (let v = Number(a); v <= Number(b ?? a); v++) out.push(v)
  return out
}
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

/** A deterministic, non-default value for each field present in version v (null for every other nullable one). */
export function sample(
  spec: MessageSpec,
  fields: FieldSpec[],
  v: number,
  seed: { n: number },
): Record<string, unknown> {
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

export const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

/** The generated modules by file name. */
export async function loadMessageModules(): Promise<Map<string, Record<string, unknown>>> {
  const modules = new Map<string, Record<string, unknown>>()
  const messagesDir = new URL('../../src/protocol/messages/', import.meta.url)
  for (const file of readdirSync(messagesDir))
    modules.set(file, (await import(new URL(file, messagesDir).href)) as Record<string, unknown>)
  return modules
}
