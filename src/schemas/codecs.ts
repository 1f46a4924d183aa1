/**
 * Schemas compiled into encoders and decoders: Avro (avsc), Protobuf (protobufjs), JSON Schema (ajv). The libraries
 * are loaded with import() only when a record needs them. Input values are JSON (Avro's JSON encoding, with unions as
 * {"type": value}, as Confluent's kafka-avro-console-producer reads it; Protobuf's JSON mapping; plain JSON), and
 * decoded records print as the same JSON, so a consumer's output can be produced again.
 */
import { dirname, join } from 'node:path'
import { readFileSync, existsSync } from 'node:fs'
import { UsageError } from '../errors.js'
import type { SchemaType } from './registry.js'
import { decodeMessageIndexes } from './wire.js'

/** A schema with the text of every schema it references (transitively), by reference name. */
export interface SchemaBundle {
  type: SchemaType
  schema: string
  references: Array<{ name: string; schema: string }>
}

/** A value that failed its schema: where (a field path) and why. */
export class SchemaValidationError extends Error {
  constructor(
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(field ? `field "${field}": ${reason}` : reason)
  }
}

export interface CompiledSchema {
  /** JSON value -> payload (Protobuf: with its message indexes, which go after the wire header). */
  encode(value: unknown): { payload: Buffer; messageIndexes?: number[] }
  /** Payload after the wire header -> JSON value. */
  decode(payload: Buffer): unknown
  /** Protobuf: the message encode() writes. */
  message?: ProtobufMessage
}

export interface CompileOptions {
  /** Protobuf: the message records are encoded with (full or simple name); the file's first message by default. */
  message?: string
}

export async function compileSchema(bundle: SchemaBundle, options: CompileOptions = {}): Promise<CompiledSchema> {
  try {
    if (bundle.type === 'AVRO') return await compileAvro(bundle)
    if (bundle.type === 'PROTOBUF') return await compileProtobuf(bundle, options.message)
    return await compileJsonSchema(bundle)
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`Invalid ${bundle.type} schema: ${(error as Error).message}`, { code: 'BAD_SCHEMA' })
  }
}

async function compileAvro(bundle: SchemaBundle): Promise<CompiledSchema> {
  const avro = (await import('avsc')).default
  const registry = {}
  for (const reference of bundle.references) avro.Type.forSchema(JSON.parse(reference.schema), { registry })
  const type = avro.Type.forSchema(JSON.parse(bundle.schema), { registry })
  return {
    encode(value) {
      let typed: unknown
      try {
        typed = type.fromString(JSON.stringify(value))
      } catch (error) {
        // Not Avro's JSON encoding; the plain form (unions unwrapped: "note": "x" for ["null","string"]) is taken too.
        if (!type.isValid(value)) throw avroError(type, value, (error as Error).message)
        typed = value
      }
      if (!type.isValid(typed)) throw avroError(type, value, 'does not match the schema')
      return { payload: type.toBuffer(typed) }
    },
    decode(payload) {
      return JSON.parse(type.toString(type.fromBuffer(payload)))
    },
  }
}

function avroError(type: import('avsc').Type, value: unknown, fallback: string): SchemaValidationError {
  let found: SchemaValidationError | undefined
  type.isValid(value, {
    errorHook(path, any, at) {
      found ??= new SchemaValidationError(
        path.join('.') || undefined,
        `expected ${describeAvro(at)}, got ${JSON.stringify(any) ?? 'nothing'}`,
      )
    },
  })
  return found ?? new SchemaValidationError(undefined, fallback)
}

function describeAvro(type: import('avsc').Type): string {
  const schema = type.schema() as unknown
  if (typeof schema === 'string') return schema
  const s = schema as { type?: string; logicalType?: string; name?: string }
  return s.logicalType ? `${s.type} (${s.logicalType})` : (s.name ?? s.type ?? JSON.stringify(schema))
}

async function compileJsonSchema(bundle: SchemaBundle): Promise<CompiledSchema> {
  const schema = JSON.parse(bundle.schema) as Record<string, unknown>
  const draft = typeof schema.$schema === 'string' ? schema.$schema : ''
  const AjvClass = /2020-12|2019-09/.test(draft)
    ? (await import('ajv/dist/2020.js')).Ajv2020
    : (await import('ajv')).Ajv
  const ajv = new AjvClass({ strict: false, allErrors: false, validateFormats: false })
  for (const reference of bundle.references) ajv.addSchema(JSON.parse(reference.schema), reference.name)
  const validate = ajv.compile(schema)
  return {
    encode(value) {
      if (!validate(value)) {
        const error = validate.errors?.[0]
        const path = error?.instancePath.replace(/^\//, '').replace(/\//g, '.')
        const missing = (error?.params as { missingProperty?: string } | undefined)?.missingProperty
        const field = missing ? [path, missing].filter(Boolean).join('.') : path
        throw new SchemaValidationError(field || undefined, error?.message ?? 'does not match the schema')
      }
      return { payload: Buffer.from(JSON.stringify(value)) }
    },
    decode(payload) {
      return JSON.parse(payload.toString('utf8'))
    },
  }
}

async function compileProtobuf(bundle: SchemaBundle, messageName?: string): Promise<CompiledSchema> {
  const protobuf = (await import('protobufjs')).default
  const root = new protobuf.Root()
  const seen = new Set<string>()
  const addFile = (name: string, text: string) => {
    if (seen.has(name)) return
    seen.add(name)
    const parsed = protobuf.parse(text, root, { keepCase: false })
    for (const imported of parsed.imports ?? []) addWellKnown(imported)
  }
  // google/protobuf/*.proto are built into every registry and into protobufjs; they are never references.
  const addWellKnown = (name: string) => {
    const common = protobuf.common.get(name)
    if (common && !seen.has(name)) {
      seen.add(name)
      root.addJSON(common.nested!)
    }
  }
  for (const reference of bundle.references) addFile(reference.name, reference.schema)
  // The main file alone gives its own top-level messages in order: message indexes count in it.
  const main = protobuf.parse(bundle.schema, new protobuf.Root(), { keepCase: false })
  addFile('<main>', bundle.schema)
  root.resolveAll()
  const prefix = main.package ? `${main.package}.` : ''
  const scope = main.package ? main.root.lookup(main.package) : main.root
  const topLevel = (scope as import('protobufjs').Namespace | null)?.nestedArray.filter(
    (n): n is import('protobufjs').Type => n instanceof protobuf.Type,
  )
  if (!topLevel || topLevel.length === 0)
    throw new UsageError('The Protobuf schema defines no message.', { code: 'BAD_SCHEMA' })
  const typeAt = (indexes: number[]): import('protobufjs').Type => {
    let candidates = topLevel.map((t) => root.lookupType(prefix + t.name))
    let type: import('protobufjs').Type | undefined
    for (const index of indexes) {
      type = candidates[index]
      if (!type)
        throw new UsageError(`No message at index path [${indexes.join(', ')}] in the schema.`, { code: 'BAD_SCHEMA' })
      candidates = type.nestedArray.filter((n): n is import('protobufjs').Type => n instanceof protobuf.Type)
    }
    return type!
  }
  const messages = protobufMessages(main)
  const indexes = messageName === undefined ? [0] : messageIndexesOf(messages, messageName)
  const chosen = typeAt(indexes)
  const message = messages.find((m) => m.indexes.join() === indexes.join())!
  return {
    message,
    encode(value) {
      const checked = checkProtobuf(chosen, value, '')
      return { payload: Buffer.from(chosen.encode(chosen.fromObject(checked)).finish()), messageIndexes: indexes }
    },
    decode(payload) {
      const { indexes, offset } = decodeMessageIndexes(payload)
      const type = typeAt(indexes)
      const object = type.toObject(type.decode(payload.subarray(offset)), {
        longs: String,
        enums: String,
        bytes: String,
        defaults: true,
        json: true,
      })
      return presentProtobuf(type, object)
    },
  }
}

/** A message of a .proto file: its full name (package included, no leading dot) and its message indexes. */
export interface ProtobufMessage {
  name: string
  indexes: number[]
}

/**
 * Every message a .proto file defines (nested ones too), in declaration order, with the index path Confluent's
 * serializers write: the position among the file's top-level messages, then among each parent's nested messages
 * (enums and the other kinds of declaration do not count).
 */
export function protobufMessages(parsed: import('protobufjs').IParserResult): ProtobufMessage[] {
  const scope = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root
  const out: ProtobufMessage[] = []
  const walk = (namespace: import('protobufjs').NamespaceBase | null, path: number[], prefix: string) => {
    const types = (namespace?.nestedArray ?? []).filter((n): n is import('protobufjs').Type => 'fieldsArray' in n)
    types.forEach((type, index) => {
      const name = `${prefix}${type.name}`
      out.push({ name, indexes: [...path, index] })
      walk(type, [...path, index], `${name}.`)
    })
  }
  walk(scope as import('protobufjs').NamespaceBase | null, [], parsed.package ? `${parsed.package}.` : '')
  return out
}

/**
 * The index path of a message named by its full name (`shop.Order`, `.shop.Order`), its name inside the package
 * (`Order`, `Order.Line` for a nested one) or its simple name (`Line`) when only one message has it.
 */
export function messageIndexesOf(messages: readonly ProtobufMessage[], wanted: string): number[] {
  const name = wanted.trim().replace(/^\./, '')
  const exact = messages.find((m) => m.name === name || (m.name.endsWith(`.${name}`) && isPackageSuffix(m, name)))
  if (exact) return exact.indexes
  const simple = messages.filter((m) => m.name.split('.').at(-1) === name)
  if (simple.length === 1) return simple[0]!.indexes
  const list = messages.map((m) => m.name).join(', ')
  if (simple.length > 1)
    throw new UsageError(
      `Message "${wanted}" is ambiguous in the Protobuf schema: ${simple.map((m) => m.name).join(', ')}.`,
      {
        code: 'BAD_MESSAGE',
        suggestions: ['Give its full name.'],
      },
    )
  throw new UsageError(`The Protobuf schema has no message "${wanted}".`, {
    code: 'BAD_MESSAGE',
    suggestions: [`Its messages: ${list}.`],
  })
}

function isPackageSuffix(message: ProtobufMessage, name: string): boolean {
  // "Order.Line" names shop.Order.Line; it must start at a top-level message, not in the middle of the package.
  const depth = name.split('.').length
  return message.indexes.length === depth
}

/** Fields in declaration order (toObject puts repeated ones first), Timestamps as RFC 3339 text as the JSON mapping does. */
function presentProtobuf(type: import('protobufjs').Type, object: Record<string, unknown>): unknown {
  if (type.fullName === '.google.protobuf.Timestamp') {
    const millis = Number(object.seconds ?? 0) * 1000
    const nanos = Number(object.nanos ?? 0)
    const iso = new Date(millis).toISOString().replace(/\.\d{3}Z$/, '')
    return `${iso}${nanos ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : ''}Z`
  }
  const out: Record<string, unknown> = {}
  for (const field of type.fieldsArray) {
    if (!(field.name in object)) continue
    const value = object[field.name]
    const nested = field.resolvedType
    if (nested && 'fields' in nested && value !== null && typeof value === 'object') {
      const present = (v: unknown) => presentProtobuf(nested, v as Record<string, unknown>)
      out[field.name] = field.map
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, present(v)]))
        : Array.isArray(value)
          ? value.map(present)
          : present(value)
    } else out[field.name] = value
  }
  return out
}

const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'])
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'])

/**
 * protobufjs's fromObject coerces anything (a string into an int32 becomes 0): the JSON mapping's rules, checked first.
 * Returns the value with google.protobuf.Timestamp strings (RFC 3339, as the JSON mapping writes them) as seconds/nanos.
 */
function checkProtobuf(type: import('protobufjs').Type, value: unknown, path: string): Record<string, unknown> {
  if (type.fullName === '.google.protobuf.Timestamp' && typeof value === 'string') {
    const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(value)
    const millis = match ? Date.parse(`${match[1]}${match[3]}`) : NaN
    if (!match || Number.isNaN(millis))
      throw new SchemaValidationError(
        path || undefined,
        `expected an RFC 3339 time like 2024-05-01T10:00:00Z, got ${JSON.stringify(value)}`,
      )
    return { seconds: Math.floor(millis / 1000), nanos: Number((match[2] ?? '').padEnd(9, '0')) }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SchemaValidationError(path || undefined, `expected a ${type.name} object, got ${JSON.stringify(value)}`)
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    const field =
      type.fields[name] ??
      Object.values(type.fields).find((f) => f.options?.json_name === name || snake(f.name) === name)
    const at = path ? `${path}.${name}` : name
    if (!field) throw new SchemaValidationError(at, `no such field in ${type.name}`)
    if (item === null) continue
    field.resolve()
    if (field.map) {
      if (typeof item !== 'object' || Array.isArray(item))
        throw new SchemaValidationError(at, 'expected an object (a map)')
      out[field.name] = Object.fromEntries(
        Object.entries(item as object).map(([k, v]) => [k, checkScalar(field, v, `${at}.${k}`)]),
      )
    } else if (field.repeated) {
      if (!Array.isArray(item)) throw new SchemaValidationError(at, 'expected an array (repeated field)')
      out[field.name] = item.map((v, i) => checkScalar(field, v, `${at}[${i}]`))
    } else out[field.name] = checkScalar(field, item, at)
  }
  return out
}

function checkScalar(field: import('protobufjs').Field, value: unknown, at: string): unknown {
  const kind = field.type
  const fail = (expected: string) => {
    throw new SchemaValidationError(at, `expected ${expected}, got ${JSON.stringify(value)}`)
  }
  const resolved = field.resolvedType as import('protobufjs').Type | import('protobufjs').Enum | null
  if (resolved && 'fields' in resolved) return checkProtobuf(resolved, value, at)
  if (resolved && 'values' in resolved) {
    if (typeof value === 'string' ? !(value in resolved.values) : !Number.isInteger(value))
      fail(`one of ${Object.keys(resolved.values).join(', ')}`)
    return value
  }
  if (INT32.has(kind)) {
    if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) fail(`an integer (${kind})`)
  } else if (INT64.has(kind)) {
    if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) fail(`an integer (${kind})`)
  } else if (kind === 'double' || kind === 'float') {
    if (typeof value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(String(value)))
      fail(`a number (${kind})`)
  } else if (kind === 'bool') {
    if (typeof value !== 'boolean') fail('true or false')
  } else if (kind === 'string') {
    if (typeof value !== 'string') fail('a string')
  } else if (kind === 'bytes') {
    if (typeof value !== 'string') fail('base64 text (bytes)')
  }
  return value
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/** A .proto file's imports found beside it (relative to its folder), transitively, imported ones first; well-known types excluded. */
export function protoImports(file: string): Array<{ name: string; schema: string }> {
  const found: Array<{ name: string; schema: string }> = []
  const seen = new Set<string>()
  const root = dirname(file)
  const visit = (text: string) => {
    for (const match of text.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)) {
      const name = match[1]!
      if (seen.has(name) || name.startsWith('google/protobuf/')) continue
      seen.add(name)
      const path = join(root, name)
      if (!existsSync(path))
        throw new UsageError(`The Protobuf schema imports "${name}", not found at ${path}.`, { code: 'BAD_SCHEMA' })
      const schema = readFileSync(path, 'utf8')
      visit(schema)
      found.push({ name, schema })
    }
  }
  visit(readFileSync(file, 'utf8'))
  return found
}
