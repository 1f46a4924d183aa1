/**
 * Serde for the console tools: producer lines (JSON) into Schema Registry records (and the plain formats into their
 * bytes), consumer records decoded by the schema id each carries. Schemas are resolved (and registered) before the
 * first record, so per-record work is synchronous; the consumer fetches ids it has not seen once per batch.
 */
import { readFileSync } from 'node:fs'
import { KafkitError, UsageError } from '../errors.js'
import { resolveServiceUrl } from '../connection/services.js'
import type { IncomingRecord, OutgoingRecord } from '../records/types.js'
import { RecordParseError } from '../records/line-reader.js'
import { bytesToJson, recordToJson } from '../records/json-records.js'
import type { RecordFormatter } from '../records/formatter.js'
import { compileSchema, protoImports, SchemaValidationError, type CompiledSchema, type SchemaBundle } from './codecs.js'
import {
  defaultSubject,
  FORMAT_OF,
  isSchemaFormat,
  SCHEMA_TYPE_OF,
  schemaTypeOf,
  type Format,
  type SerdeSpec,
  type SideSpec,
} from './formats.js'
import {
  RegistryClient,
  RegistryError,
  type RegisteredSchema,
  type SchemaReference,
  type SchemaType,
} from './registry.js'
import { decodeWire, encodeWire, WireFormatError } from './wire.js'

/** Apicurio Registry, which `up --with schema-registry` runs, serves Confluent's API under this path. */
export const CCOMPAT_PATH = '/apis/ccompat/v7'

export function registryClient(options: { url?: string; userInfo?: string; stack?: string }): RegistryClient {
  const resolved = resolveServiceUrl('schema-registry', {
    ...(options.url === undefined ? {} : { url: options.url }),
    flag: '--schema-registry-url',
    ...(options.stack === undefined ? {} : { stack: options.stack }),
  })
  const url = resolved.source.kind === 'stack' ? `${resolved.url}${CCOMPAT_PATH}` : resolved.url
  // Confluent's clients also take the credentials from the URL (basic.auth.credentials.source=URL).
  const parsed = new URL(url)
  const fromUrl = parsed.username
    ? `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`
    : undefined
  parsed.username = ''
  parsed.password = ''
  const userInfo = options.userInfo ?? fromUrl
  return new RegistryClient({
    url: parsed.toString().replace(/\/+$/, ''),
    ...(userInfo === undefined ? {} : { userInfo }),
  })
}

/** A registered schema with the text of everything it references, fetched from the registry. */
export async function bundleOf(
  client: RegistryClient,
  schema: RegisteredSchema | { schemaType: SchemaType; schema: string; references: SchemaReference[] },
): Promise<SchemaBundle> {
  const references: SchemaBundle['references'] = []
  const seen = new Set<string>()
  const visit = async (refs: SchemaReference[]) => {
    for (const ref of refs) {
      if (seen.has(ref.name)) continue
      seen.add(ref.name)
      const found = await client.version(ref.subject, ref.version)
      await visit(found.references)
      references.push({ name: ref.name, schema: found.schema })
    }
  }
  await visit(schema.references)
  return { type: schema.schemaType, schema: schema.schema, references }
}

// ---------------------------------------------------------------- producing

export type RecordSerializer = (record: OutgoingRecord, lineNumber: number) => OutgoingRecord

export interface ResolvedSide {
  format: Format
  subject?: string
  id?: number
  version?: number
  registered?: boolean
  /** Protobuf: the message records are encoded with, and its message indexes. */
  message?: string
  messageIndexes?: number[]
}

/** Resolves both sides (registering schemas when asked) and returns the per-record serializer. */
export async function producerSerde(
  spec: SerdeSpec,
  topic: string,
  options: { stack?: string; info: (message: string) => void },
): Promise<{ serialize: RecordSerializer; key: ResolvedSide; value: ResolvedSide }> {
  let client: RegistryClient | undefined
  const registry = () =>
    (client ??= registryClient({ url: spec.registryUrl, userInfo: spec.userInfo, stack: options.stack }))
  const key = await sideEncoder(spec.key, 'key', topic, spec.autoRegister, registry, options.info)
  const value = await sideEncoder(spec.value, 'value', topic, spec.autoRegister, registry, options.info)
  const serialize: RecordSerializer = (record, lineNumber) => ({
    ...record,
    key: record.key === null ? null : key.encode(record.key, lineNumber, 'key'),
    value: record.value === null ? null : value.encode(record.value, lineNumber, 'value'),
  })
  return { serialize, key: key.resolved, value: value.resolved }
}

interface SideEncoder {
  resolved: ResolvedSide
  encode(bytes: Buffer, lineNumber: number, side: 'key' | 'value'): Buffer
}

async function sideEncoder(
  spec: SideSpec,
  side: 'key' | 'value',
  topic: string,
  autoRegister: boolean,
  registry: () => RegistryClient,
  info: (message: string) => void,
): Promise<SideEncoder> {
  const hasSchema =
    spec.file !== undefined ||
    spec.text !== undefined ||
    spec.id !== undefined ||
    spec.subject !== undefined ||
    spec.version !== undefined
  const format = spec.format ?? (hasSchema ? undefined : 'string')
  if (format !== undefined && !isSchemaFormat(format)) return { resolved: { format }, encode: plainEncoder(format) }
  const client = registry()
  const subject = spec.subject ?? defaultSubject(topic, side)
  let registered: RegisteredSchema
  let bundle: SchemaBundle
  let didRegister = false
  if (spec.id !== undefined) {
    registered = await client.schemaById(spec.id).catch(notFound(`schema id ${spec.id}`))
    bundle = await bundleOf(client, registered)
  } else if (spec.file !== undefined || spec.text !== undefined) {
    const text = spec.file === undefined ? spec.text! : readSchemaFile(spec.file)
    const schemaType = format ? SCHEMA_TYPE_OF[format] : schemaTypeOf(text, spec.file)
    const references: SchemaReference[] = []
    const local: SchemaBundle['references'] = []
    if (schemaType === 'PROTOBUF' && spec.file !== undefined) {
      // Imports are registered under their import path (Confluent's default reference subject name strategy).
      for (const imported of protoImports(spec.file)) {
        const refSchema = { schema: imported.schema, schemaType, references: [...references] }
        const version = autoRegister
          ? (await client.register(imported.name, refSchema), (await client.lookup(imported.name, refSchema)).version!)
          : (
              await client
                .lookup(imported.name, refSchema)
                .catch(notFound(`the import ${imported.name} under its subject`))
            ).version!
        references.push({ name: imported.name, subject: imported.name, version })
        local.push(imported)
      }
    }
    const schema = { schema: text, schemaType, references }
    bundle = { type: schemaType, schema: text, references: local }
    // Compiled before registering: a schema the library refuses (or without the message asked for) is not left behind.
    await compileSchema(bundle, messageOption(spec, schemaType))
    if (autoRegister) {
      const id = await client.register(subject, schema)
      registered = { id, subject, schemaType, schema: text, references }
      didRegister = true
    } else {
      registered = await client.lookup(subject, schema).catch((error: unknown) => {
        if (error instanceof RegistryError && error.status === 404)
          throw new KafkitError(
            `The ${side} schema is not registered under subject "${subject}" (auto-registration is off).`,
            {
              code: 'SCHEMA_NOT_REGISTERED',
              suggestions: [
                `Register it: kafkit schema-registry register ${subject} ${spec.file ?? 'SCHEMA_FILE'}`,
                'Or leave out --no-auto-register.',
              ],
            },
          )
        throw error
      })
    }
  } else {
    registered = await client.version(subject, spec.version ?? 'latest').catch(notFound(`subject "${subject}"`))
    bundle = await bundleOf(client, registered)
  }
  if (format !== undefined && SCHEMA_TYPE_OF[format] !== registered.schemaType) {
    throw new UsageError(
      `--${side}-format ${format}, but schema id ${registered.id} is ${FORMAT_OF[registered.schemaType]} (${registered.schemaType}).`,
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  const compiled = await compileSchema(bundle, messageOption(spec, registered.schemaType))
  const message = compiled.message
  info(
    `${side}: ${FORMAT_OF[registered.schemaType]} schema id ${registered.id}${registered.subject ? ` (subject ${registered.subject}${registered.version ? ` version ${registered.version}` : ''})` : ''}${message ? `, message ${message.name} [${message.indexes.join(', ')}]` : ''}${didRegister ? ', registered' : ''}`,
  )
  return {
    resolved: {
      format: FORMAT_OF[registered.schemaType],
      ...(registered.subject ? { subject: registered.subject } : {}),
      id: registered.id,
      ...(registered.version ? { version: registered.version } : {}),
      ...(didRegister ? { registered: true } : {}),
      ...(message ? { message: message.name, messageIndexes: message.indexes } : {}),
    },
    encode: schemaEncoder(compiled, registered.id),
  }
}

function schemaEncoder(compiled: CompiledSchema, id: number): SideEncoder['encode'] {
  return (bytes, lineNumber, side) => {
    let value: unknown
    try {
      value = JSON.parse(bytes.toString('utf8'))
    } catch (error) {
      throw new RecordParseError(
        `Line ${lineNumber}: the ${side} is not valid JSON: ${(error as Error).message}`,
        lineNumber,
      )
    }
    try {
      const { payload, messageIndexes } = compiled.encode(value)
      return encodeWire(id, payload, messageIndexes)
    } catch (error) {
      if (error instanceof SchemaValidationError)
        throw new RecordParseError(
          `Line ${lineNumber}: the ${side} does not match schema id ${id}: ${error.message}`,
          lineNumber,
        )
      throw new RecordParseError(
        `Line ${lineNumber}: the ${side} does not match schema id ${id}: ${(error as Error).message}`,
        lineNumber,
      )
    }
  }
}

/** Kafka's own serializers for the plain formats: IntegerSerializer (4 bytes big-endian), LongSerializer, DoubleSerializer. */
export function plainEncoder(format: Format): SideEncoder['encode'] {
  const number = (text: string, lineNumber: number, side: string, what: string) => {
    const trimmed = text.trim()
    if (trimmed === '' || Number.isNaN(Number(trimmed)))
      throw new RecordParseError(`Line ${lineNumber}: the ${side} "${text}" is not ${what}.`, lineNumber)
    return trimmed
  }
  switch (format) {
    case 'int':
      return (bytes, line, side) => {
        const n = Number(number(bytes.toString(), line, side, 'an int'))
        if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)
          throw new RecordParseError(`Line ${line}: the ${side} "${bytes.toString()}" is not an int (32 bits).`, line)
        const out = Buffer.alloc(4)
        out.writeInt32BE(n)
        return out
      }
    case 'long':
      return (bytes, line, side) => {
        const text = number(bytes.toString(), line, side, 'a long')
        if (!/^-?\d+$/.test(text))
          throw new RecordParseError(`Line ${line}: the ${side} "${text}" is not a long.`, line)
        const n = BigInt(text)
        if (n < -(2n ** 63n) || n >= 2n ** 63n)
          throw new RecordParseError(`Line ${line}: the ${side} "${text}" is out of a long's range.`, line)
        const out = Buffer.alloc(8)
        out.writeBigInt64BE(n)
        return out
      }
    case 'double':
      return (bytes, line, side) => {
        const out = Buffer.alloc(8)
        out.writeDoubleBE(Number(number(bytes.toString(), line, side, 'a double')))
        return out
      }
    case 'json':
      return (bytes, line, side) => {
        try {
          JSON.parse(bytes.toString('utf8'))
        } catch (error) {
          throw new RecordParseError(`Line ${line}: the ${side} is not valid JSON: ${(error as Error).message}`, line)
        }
        return bytes
      }
    default:
      return (bytes) => bytes
  }
}

/** --value-message is for Protobuf schemas only; found out once the schema (maybe fetched by id) is known. */
function messageOption(spec: SideSpec, type: SchemaType): { message?: string } {
  if (spec.message === undefined) return {}
  if (type !== 'PROTOBUF')
    throw new UsageError(`A message name is for Protobuf schemas; this schema is ${FORMAT_OF[type]} (${type}).`, {
      code: 'CONFLICTING_FLAGS',
    })
  return { message: spec.message }
}

function readSchemaFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`Cannot read the schema file ${file}: ${(error as Error).message}`, { code: 'BAD_SCHEMA' })
  }
}

function notFound(what: string) {
  return (error: unknown): never => {
    if (error instanceof RegistryError && error.status === 404)
      throw new KafkitError(`The Schema Registry has no ${what}.`, {
        code: 'SCHEMA_NOT_FOUND',
        suggestions: ['List what it has: kafkit schema-registry subjects'],
      })
    throw error
  }
}

// ---------------------------------------------------------------- consuming

type SideDecoder = (bytes: Buffer) => { text: string; json: unknown }

/**
 * Wraps the console consumer's formatter: keys and values in the schema formats are decoded by the id in each record
 * (schemas fetched once, in prepare(), before a batch is formatted) and printed as JSON; plain formats as Kafka's
 * deserializers print them. A record that cannot be decoded (unknown id, not in the wire format) is reported on stderr
 * with its position and left out, and the others go on.
 */
export class SchemaFormatter implements RecordFormatter {
  private readonly schemas = new Map<number, CompiledSchema | Error>()
  private readonly client: RegistryClient | undefined
  errors = 0

  constructor(
    private readonly inner: RecordFormatter,
    private readonly json: boolean,
    private readonly keyFormat: Format,
    private readonly valueFormat: Format,
    client: RegistryClient | undefined,
    private readonly warn: (message: string) => void,
  ) {
    this.client = client
  }

  async prepare(records: Array<{ key: Buffer | null; value: Buffer | null }>): Promise<void> {
    const ids = new Set<number>()
    for (const record of records) {
      for (const [bytes, format] of [
        [record.key, this.keyFormat],
        [record.value, this.valueFormat],
      ] as const) {
        if (bytes && isSchemaFormat(format) && bytes.length >= 5 && bytes[0] === 0) {
          const id = bytes.readUInt32BE(1)
          if (!this.schemas.has(id)) ids.add(id)
        }
      }
    }
    await Promise.all(
      [...ids].map(async (id) => {
        try {
          const registered = await this.client!.schemaById(id)
          this.schemas.set(id, await compileSchema(await bundleOf(this.client!, registered)))
        } catch (error) {
          if (error instanceof RegistryError && error.status === 404)
            this.schemas.set(id, new Error(`schema id ${id} is not in the Schema Registry at ${this.client!.url}`))
          else if (error instanceof KafkitError && error.code === 'SCHEMA_REGISTRY_UNREACHABLE') throw error
          else this.schemas.set(id, error as Error)
        }
      }),
    )
  }

  format(record: IncomingRecord, out: Buffer[]): void {
    let key: ReturnType<SideDecoder> | null
    let value: ReturnType<SideDecoder> | null
    try {
      key = record.key === null ? null : this.decode(record.key, this.keyFormat)
    } catch (error) {
      return this.skip(record, 'key', error as Error)
    }
    try {
      value = record.value === null ? null : this.decode(record.value, this.valueFormat)
    } catch (error) {
      return this.skip(record, 'value', error as Error)
    }
    if (this.json) {
      const json = recordToJson(record) as unknown as Record<string, unknown>
      json.key = key === null ? null : key.json
      json.value = value === null ? null : value.json
      out.push(Buffer.from(`${JSON.stringify(json)}\n`))
      return
    }
    this.inner.format(
      {
        ...record,
        key: key === null ? null : Buffer.from(key.text),
        value: value === null ? null : Buffer.from(value.text),
      },
      out,
    )
  }

  private skip(record: IncomingRecord, side: string, error: Error): void {
    this.errors++
    this.warn(
      `${record.topic}-${record.partition} offset ${record.offset}: cannot decode the ${side}: ${error.message} (record skipped)`,
    )
  }

  private decode(bytes: Buffer, format: Format): { text: string; json: unknown } {
    if (isSchemaFormat(format)) {
      const { id, payload } = decodeWire(bytes)
      const schema = this.schemas.get(id)
      if (schema === undefined) throw new Error(`schema id ${id} was not fetched`)
      if (schema instanceof Error) throw schema
      const json = schema.decode(payload)
      return { text: JSON.stringify(json), json }
    }
    return plainDecode(bytes, format)
  }
}

export function plainDecode(bytes: Buffer, format: Format): { text: string; json: unknown } {
  const fixed = (size: number) => {
    if (bytes.length !== size) throw new WireFormatError(`${bytes.length} byte(s), a ${format} has ${size}`)
  }
  switch (format) {
    case 'int':
      fixed(4)
      return { text: String(bytes.readInt32BE(0)), json: bytes.readInt32BE(0) }
    case 'long': {
      fixed(8)
      const n = bytes.readBigInt64BE(0)
      return { text: n.toString(), json: Number.isSafeInteger(Number(n)) ? Number(n) : n.toString() }
    }
    case 'double':
      fixed(8)
      return { text: String(bytes.readDoubleBE(0)), json: bytes.readDoubleBE(0) }
    case 'json': {
      const text = bytes.toString('utf8')
      try {
        return { text, json: JSON.parse(text) }
      } catch {
        throw new WireFormatError('not valid JSON')
      }
    }
    default:
      return { text: bytes.toString('utf8'), json: bytesToJson(bytes) }
  }
}

/** The consumer's formatter for a serde spec (the registry client only when a side is in a schema format). */
export function consumerFormatter(
  spec: SerdeSpec,
  inner: RecordFormatter,
  options: { json: boolean; stack?: string; warn: (message: string) => void },
): SchemaFormatter {
  // Confluent's schema console consumers decode values by the registry; a registry URL alone means the same here.
  const valueFormat =
    spec.value.format ?? (spec.registryUrl !== undefined || spec.value.text || spec.value.id ? 'avro' : 'string')
  const keyFormat = spec.key.format ?? 'string'
  const client =
    isSchemaFormat(valueFormat) || isSchemaFormat(keyFormat)
      ? registryClient({ url: spec.registryUrl, userInfo: spec.userInfo, stack: options.stack })
      : undefined
  return new SchemaFormatter(inner, options.json, keyFormat, valueFormat, client, options.warn)
}
