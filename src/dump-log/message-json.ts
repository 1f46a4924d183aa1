/**
 * Reads a Kafka message from its definition (the common/message JSON format) and prints it as Kafka's generated
 * JsonConverter classes do: fields in definition order, camelCase names, only the fields of the record's version,
 * tagged fields only when they differ from their default, int64 as numbers, uuids in Kafka's base64 form, bytes as
 * standard base64. DumpLogSegments prints metadata and coordinator records with those converters.
 */
import { ProtocolError, Reader, ZERO_UUID } from '../protocol/primitives.js'

export interface FieldSpec {
  name: string
  type: string
  versions: string
  nullableVersions?: string
  taggedVersions?: string
  tag?: number
  default?: string | number | boolean
  fields?: FieldSpec[]
}

export interface MessageSpec {
  apiKey?: number
  type: string
  name: string
  validVersions: string
  flexibleVersions: string
  fields: FieldSpec[]
  commonStructs?: Array<{ name: string; versions: string; fields: FieldSpec[] }>
}

export type Value = boolean | number | bigint | string | null | Buffer | Value[] | Struct
export type Struct = Map<string, Value>
/** Prints a field differently (the JSON text), or undefined for the usual form. */
export type JsonReplace = (field: FieldSpec, value: Value, parent: Struct) => string | undefined

interface Range {
  min: number
  max: number
}

function parseRange(text: string | undefined): Range {
  if (text === undefined || text === 'none' || text === '') return { min: 0, max: -1 }
  if (text.endsWith('+')) return { min: Number(text.slice(0, -1)), max: Infinity }
  const [a, b] = text.split('-')
  return { min: Number(a), max: Number(b ?? a) }
}
const within = (text: string | undefined, v: number) => {
  const r = parseRange(text)
  return v >= r.min && v <= r.max
}

const INTS = new Set(['int8', 'int16', 'uint16', 'int32', 'uint32'])

/** A message's versioned reader and JSON writer. */
export class MessageSchema {
  private readonly structs = new Map<string, FieldSpec[]>()

  constructor(readonly spec: MessageSpec) {
    for (const s of spec.commonStructs ?? []) this.structs.set(s.name, s.fields)
    const collect = (fields: FieldSpec[]) => {
      for (const f of fields)
        if (f.fields) {
          this.structs.set(f.type.replace(/^\[\]/, ''), f.fields)
          collect(f.fields)
        }
    }
    collect(spec.fields)
  }

  get name(): string {
    return this.spec.name
  }

  read(reader: Reader, version: number): Struct {
    return this.readStruct(this.spec.fields, reader, version, within(this.spec.flexibleVersions, version))
  }

  /** The JSON text Kafka's `<Name>JsonConverter.write(message, version)` prints. */
  json(value: Struct, version: number, replace?: JsonReplace): string {
    return this.structJson(this.spec.fields, value, version, replace)
  }

  private readStruct(fields: FieldSpec[], r: Reader, v: number, flexible: boolean): Struct {
    const out: Struct = new Map()
    for (const f of fields) {
      if (within(f.versions, v) && !(flexible && within(f.taggedVersions, v)))
        out.set(f.name, this.readValue(f, f.type, r, v, flexible))
      else out.set(f.name, this.defaultValue(f, v))
    }
    if (flexible)
      r.taggedFields((tag, sub) => {
        const f = fields.find((x) => x.tag === tag && within(x.taggedVersions, v))
        if (f) out.set(f.name, this.readValue(f, f.type, sub, v, flexible))
      })
    return out
  }

  private readValue(f: FieldSpec, type: string, r: Reader, v: number, flexible: boolean): Value {
    switch (type) {
      case 'bool':
        return r.bool()
      case 'int8':
        return r.int8()
      case 'int16':
        return r.int16()
      case 'uint16':
        return r.uint16()
      case 'int32':
        return r.int32()
      case 'uint32':
        return r.uint32()
      case 'int64':
        return r.int64()
      case 'float64':
        return r.float64()
      case 'uuid':
        return r.uuid()
      case 'string':
        return r.string(flexible)
      case 'bytes':
      case 'records':
        return r.bytes(flexible)
    }
    if (type.startsWith('[]')) {
      const length = r.arrayLength(flexible)
      if (length === null) return null
      const element = type.slice(2)
      const items: Value[] = []
      for (let i = 0; i < length; i++) items.push(this.readValue(f, element, r, v, flexible))
      return items
    }
    const fields = this.structs.get(type)
    if (!fields) throw new ProtocolError(`${this.name}: unknown type ${type}`)
    // A nullable struct carries a presence byte.
    if (within(f.nullableVersions, v) && !f.type.startsWith('[]') && r.int8() < 0) return null
    return this.readStruct(fields, r, v, flexible)
  }

  private defaultValue(f: FieldSpec, v: number): Value {
    const d = f.default
    if (d === 'null') return null
    if (f.type.startsWith('[]')) return []
    switch (f.type) {
      case 'bool':
        return d === true || d === 'true'
      case 'int64':
        return BigInt(d ?? 0)
      case 'float64':
        return Number(d ?? 0)
      case 'uuid':
        return ZERO_UUID
      case 'string':
        return d === undefined ? '' : String(d)
      case 'bytes':
      case 'records':
        return Buffer.alloc(0)
    }
    if (INTS.has(f.type)) return Number(d ?? 0)
    const fields = this.structs.get(f.type)
    return fields ? new Map(fields.map((x) => [x.name, this.defaultValue(x, v)])) : null
  }

  private isDefault(f: FieldSpec, value: Value, v: number): boolean {
    const d = this.defaultValue(f, v)
    if (d === null) return value === null
    if (value === null) return false
    if (Array.isArray(value)) return value.length === 0
    if (Buffer.isBuffer(value)) return value.length === 0
    if (value instanceof Map) return this.structJson(this.structs.get(f.type) ?? [], value, v) === this.json0(f, d, v)
    return value === d
  }

  private json0(f: FieldSpec, d: Value, v: number): string {
    return d instanceof Map ? this.structJson(this.structs.get(f.type) ?? [], d, v) : ''
  }

  private structJson(fields: FieldSpec[], value: Struct, v: number, replace?: JsonReplace): string {
    const parts: string[] = []
    for (const f of fields) {
      if (!within(f.versions, v)) continue
      const x = value.get(f.name) ?? null
      if (within(f.taggedVersions, v) && this.isDefault(f, x, v)) continue
      const text = replace?.(f, x, value) ?? this.valueJson(f, f.type, x, v, replace)
      parts.push(`${JSON.stringify(camel(f.name))}:${text}`)
    }
    return `{${parts.join(',')}}`
  }

  private valueJson(f: FieldSpec, type: string, x: Value, v: number, replace?: JsonReplace): string {
    if (x === null) return 'null'
    if (typeof x === 'boolean' || typeof x === 'bigint') return String(x)
    if (typeof x === 'number') return type === 'float64' ? javaDouble(x) : String(x)
    if (typeof x === 'string') return jsonString(x)
    if (Buffer.isBuffer(x)) return type === 'records' ? '""' : `"${x.toString('base64')}"`
    if (Array.isArray(x)) return `[${x.map((e) => this.valueJson(f, type.slice(2), e, v, replace)).join(',')}]`
    return this.structJson(this.structs.get(type) ?? [], x, v, replace)
  }
}

export const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)

/** Jackson's escaping: JSON.stringify's, with upper-case hex in \u escapes. */
export function jsonString(text: string): string {
  return JSON.stringify(text).replace(/\\u00([0-9a-f]{2})/g, (_, hex: string) => `\\u00${hex.toUpperCase()}`)
}

/** Java's Double.toString, which Jackson's DoubleNode prints: 1.0, 0.5, 1.0E7, 1.0E-4. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity'
  const abs = Math.abs(x)
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0'
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(x)
    return text.includes('.') ? text : `${text}.0`
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string]
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`
}

/** Kafka's enum name of a metadata record type: TopicRecord -> TOPIC_RECORD. */
export function snakeUpper(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
}
