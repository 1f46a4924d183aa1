/**
 * The console tools' record formats and how a schema is chosen, from kafkit's flags (the Confluent CLI's names:
 * `confluent kafka topic produce --value-format avro --schema file.avsc`) and from the `--property` spellings of
 * Confluent's kafka-avro-console-producer and friends (`--property schema.registry.url=... value.schema=...`).
 * Pure: no registry, no files.
 */
import { UsageError } from '../errors.js'
import type { SchemaType } from './registry.js'

export const FORMATS = ['avro', 'protobuf', 'json-schema', 'json', 'string', 'bytes', 'int', 'long', 'double'] as const
export type Format = (typeof FORMATS)[number]
export type SchemaFormat = 'avro' | 'protobuf' | 'json-schema'

export const SCHEMA_TYPE_OF: Record<SchemaFormat, SchemaType> = {
  avro: 'AVRO',
  protobuf: 'PROTOBUF',
  'json-schema': 'JSON',
}
export const FORMAT_OF: Record<SchemaType, SchemaFormat> = { AVRO: 'avro', PROTOBUF: 'protobuf', JSON: 'json-schema' }

export function isSchemaFormat(format: Format | undefined): format is SchemaFormat {
  return format === 'avro' || format === 'protobuf' || format === 'json-schema'
}

/** Where one side's (key or value) schema comes from; at most one of file, text, id, subject. */
export interface SideSpec {
  format?: Format
  /** A schema file (.avsc, .proto, .json). */
  file?: string
  /** The schema itself (Confluent's value.schema=...). */
  text?: string
  id?: number
  subject?: string
  version?: number | 'latest'
  /** Protobuf: the message to encode (the schema's first one by default). */
  message?: string
}

export interface SerdeSpec {
  key: SideSpec
  value: SideSpec
  /** Register a schema given as a file or text under its subject (the Confluent serializer's auto.register.schemas). */
  autoRegister: boolean
  registryUrl?: string
  /** basic.auth.user.info: "user:password". */
  userInfo?: string
}

/** Keys of Confluent's schema-aware console tools, taken out of --property before the line reader or formatter sees it. */
export const SCHEMA_PROPERTIES = [
  'schema.registry.url',
  'value.schema',
  'key.schema',
  'value.schema.id',
  'key.schema.id',
  'value.schema.file',
  'key.schema.file',
  'auto.register.schemas',
  'basic.auth.user.info',
  'basic.auth.credentials.source',
  'schema.registry.basic.auth.user.info',
  'print.schema.ids',
] as const

/** Splits --property values into the schema ones (a map) and the rest (for LineMessageReader / the formatter). */
export function splitSchemaProperties(values: readonly string[] | undefined): {
  schema: Record<string, string>
  rest: string[]
} {
  const schema: Record<string, string> = {}
  const rest: string[] = []
  for (const item of values ?? []) {
    const at = item.indexOf('=')
    const key = at === -1 ? item : item.slice(0, at)
    if ((SCHEMA_PROPERTIES as readonly string[]).includes(key.trim())) schema[key.trim()] = item.slice(at + 1)
    else rest.push(item)
  }
  return { schema, rest }
}

export function parseFormat(value: string | undefined, flag: string): Format | undefined {
  if (value === undefined) return undefined
  const format = value.trim().toLowerCase()
  const known = format === 'jsonschema' ? 'json-schema' : format
  if (!(FORMATS as readonly string[]).includes(known)) {
    throw new UsageError(`Unknown ${flag} "${value}".`, {
      code: 'BAD_FORMAT',
      suggestions: [`Formats: ${FORMATS.join(', ')}.`],
    })
  }
  return known as Format
}

export interface SerdeFlagValues {
  'value-format'?: string
  'key-format'?: string
  'value-schema'?: string
  'key-schema'?: string
  'value-schema-id'?: number
  'key-schema-id'?: number
  'value-subject'?: string
  'key-subject'?: string
  'value-schema-version'?: string
  'key-schema-version'?: string
  'value-message'?: string
  'key-message'?: string
  'auto-register'?: boolean
  'schema-registry-url'?: string
  'schema-registry-api-key'?: string
  'schema-registry-api-secret'?: string
}

/**
 * The serde settings from the flags, the schema --property keys and the client properties (--command-config), or
 * undefined when neither side needs anything but the tools' plain bytes (then nothing changes for the console tools).
 * Flags win over properties; a schema property alone (value.schema=...) means its format, as in Confluent's scripts.
 */
export function serdeSpec(
  flags: SerdeFlagValues,
  properties: Record<string, string>,
  clientProperties: Record<string, string> = {},
  /** The value format of the Confluent script name kafkit runs as (scriptFormat). */
  defaultValueFormat?: SchemaFormat,
): SerdeSpec | undefined {
  const side = (name: 'key' | 'value'): SideSpec => {
    const format =
      parseFormat(flags[`${name}-format`], `--${name}-format`) ?? (name === 'value' ? defaultValueFormat : undefined)
    const id = flags[`${name}-schema-id`] ?? intProperty(properties, `${name}.schema.id`)
    const text = properties[`${name}.schema`]
    const file = flags[`${name}-schema`] ?? properties[`${name}.schema.file`]
    const subject = flags[`${name}-subject`]
    const given = [
      id === undefined ? undefined : `--${name}-schema-id`,
      text === undefined ? undefined : `${name}.schema`,
      file === undefined ? undefined : `--${name}-schema`,
    ].filter((x) => x !== undefined)
    if (given.length > 1) {
      throw new UsageError(`Give one schema for the ${name}, not ${given.join(' and ')}.`, {
        code: 'CONFLICTING_FLAGS',
      })
    }
    if (id !== undefined && subject !== undefined && flags[`${name}-schema-version`] !== undefined) {
      throw new UsageError(`--${name}-schema-id and --${name}-schema-version both choose a schema: give one.`, {
        code: 'CONFLICTING_FLAGS',
      })
    }
    const version = parseVersion(flags[`${name}-schema-version`], `--${name}-schema-version`)
    const message = flags[`${name}-message`]
    if (message !== undefined && format !== undefined && format !== 'protobuf') {
      throw new UsageError(`--${name}-message names a Protobuf message; --${name}-format is ${format}.`, {
        code: 'CONFLICTING_FLAGS',
      })
    }
    if (
      (given.length > 0 || version !== undefined || subject !== undefined) &&
      format !== undefined &&
      !isSchemaFormat(format)
    ) {
      throw new UsageError(`--${name}-format ${format} takes no schema: use avro, protobuf or json-schema.`, {
        code: 'CONFLICTING_FLAGS',
      })
    }
    return {
      ...(format === undefined ? {} : { format }),
      ...(file === undefined ? {} : { file }),
      ...(text === undefined ? {} : { text }),
      ...(id === undefined ? {} : { id }),
      ...(subject === undefined ? {} : { subject }),
      ...(version === undefined ? {} : { version }),
      ...(message === undefined ? {} : { message }),
    }
  }
  const key = side('key')
  const value = side('value')
  const registryUrl = flags['schema-registry-url'] ?? properties['schema.registry.url']
  const needed = (s: SideSpec) => Object.keys(s).length > 0 && !(Object.keys(s).length === 1 && s.format === 'string')
  if (!needed(key) && !needed(value) && registryUrl === undefined) return undefined
  const autoRegisterProperty = properties['auto.register.schemas'] ?? clientProperties['auto.register.schemas']
  const autoRegister =
    flags['auto-register'] ??
    (autoRegisterProperty === undefined ? true : parseBoolean(autoRegisterProperty, 'auto.register.schemas'))
  const userInfo = basicAuth(flags, { ...clientProperties, ...properties })
  return {
    key,
    value,
    autoRegister,
    ...(registryUrl === undefined ? {} : { registryUrl }),
    ...(userInfo === undefined ? {} : { userInfo }),
  }
}

/** Basic auth as Confluent's clients read it: basic.auth.credentials.source=USER_INFO with basic.auth.user.info, or the URL's user info. */
export function basicAuth(flags: SerdeFlagValues, properties: Record<string, string>): string | undefined {
  const key = flags['schema-registry-api-key']
  const secret = flags['schema-registry-api-secret']
  if ((key === undefined) !== (secret === undefined)) {
    throw new UsageError('--schema-registry-api-key and --schema-registry-api-secret go together.', {
      code: 'MISSING_FLAG',
    })
  }
  if (key !== undefined) return `${key}:${secret}`
  const source = (properties['basic.auth.credentials.source'] ?? 'USER_INFO').toUpperCase()
  const info = properties['basic.auth.user.info'] ?? properties['schema.registry.basic.auth.user.info']
  if (source === 'URL') return undefined
  if (source !== 'USER_INFO') {
    throw new UsageError(`Unsupported basic.auth.credentials.source=${source}: kafkit takes USER_INFO or URL.`, {
      code: 'BAD_PROPERTY',
    })
  }
  if (info !== undefined && !info.includes(':')) {
    throw new UsageError('basic.auth.user.info must be USER:PASSWORD.', { code: 'BAD_PROPERTY' })
  }
  return info
}

function intProperty(properties: Record<string, string>, key: string): number | undefined {
  const raw = properties[key]
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw.trim()))
    throw new UsageError(`Invalid property ${key}=${raw}: expected a schema id (a number).`, { code: 'BAD_PROPERTY' })
  return Number(raw.trim())
}

export function parseVersion(value: string | undefined, flag: string): number | 'latest' | undefined {
  if (value === undefined) return undefined
  if (value === 'latest' || value === '-1') return 'latest'
  if (!/^[1-9]\d*$/.test(value))
    throw new UsageError(`Invalid ${flag} "${value}": expected a version number or "latest".`, { code: 'BAD_VERSION' })
  return Number(value)
}

function parseBoolean(value: string, key: string): boolean {
  const v = value.trim().toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new UsageError(`Invalid property ${key}=${value}: expected true or false.`, { code: 'BAD_PROPERTY' })
}

/** The schema type of a file: by extension, else by its text (Protobuf syntax, Avro's "type", JSON Schema's keywords). */
export function schemaTypeOf(text: string, file?: string): SchemaType {
  if (file?.endsWith('.proto')) return 'PROTOBUF'
  if (file?.endsWith('.avsc')) return 'AVRO'
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[') && !trimmed.startsWith('"')) return 'PROTOBUF'
  try {
    const parsed = JSON.parse(trimmed) as unknown
    if (typeof parsed === 'string' || Array.isArray(parsed)) return 'AVRO'
    const object = parsed as Record<string, unknown>
    if ('$schema' in object || 'properties' in object || '$ref' in object || '$id' in object) return 'JSON'
    if (
      ['record', 'enum', 'fixed', 'array', 'map'].includes(String(object.type)) &&
      !('items' in object && typeof object.items === 'object' && !('type' in (object.items as object)))
    )
      return 'AVRO'
    if (typeof object.type === 'string' && ['object', 'integer', 'number', 'boolean', 'null'].includes(object.type))
      return 'JSON'
    return 'AVRO'
  } catch {
    return 'PROTOBUF'
  }
}

/** TopicNameStrategy, the default of every Confluent serializer: "<topic>-key" / "<topic>-value". */
export function defaultSubject(topic: string, side: 'key' | 'value'): string {
  return `${topic}-${side}`
}

/**
 * The value format Confluent's script name implies (kafka-avro-console-consumer: avro), when kafkit was started by
 * that name (`kafkit kafka-avro-console-consumer ...`, or its shim); oclif runs an alias without saying which name ran.
 */
export function scriptFormat(argv: readonly string[]): SchemaFormat | undefined {
  const word = argv.find((a) => !a.startsWith('-'))
  const match = /^kafka-(avro|protobuf|json-schema)-console-(?:producer|consumer)$/.exec(word ?? '')
  return match ? (match[1] as SchemaFormat) : undefined
}
