/**
 * `kafkit schema-registry ...` (rpk registry's verbs on Confluent's REST API): subjects, versions, get, register,
 * delete, compatibility, check. Every call goes through RegistryClient; files are read here, rendering is views.ts.
 */
import { readFileSync } from 'node:fs'
import { KafkitError, UsageError } from '../errors.js'
import { protoImports } from './codecs.js'
import { basicAuth, schemaTypeOf, parseVersion } from './formats.js'
import { readPropertiesFile } from '../util/properties.js'
import {
  RegistryError,
  type RegisteredSchema,
  type RegistryClient,
  type SchemaReference,
  type SchemaType,
} from './registry.js'
import { registryClient } from './serde.js'

export interface RegistryTarget {
  url?: string
  userInfo?: string
  stack?: string
}

export function connectRegistry(target: RegistryTarget): RegistryClient {
  return registryClient(target)
}

export interface SubjectsResult {
  url: string
  subjects: string[]
}

export async function listSubjects(
  client: RegistryClient,
  options: { deleted?: boolean; prefix?: string },
): Promise<SubjectsResult> {
  const subjects = (await client.subjects(options.deleted)).filter(
    (s) => !options.prefix || s.startsWith(options.prefix),
  )
  return { url: client.url, subjects: subjects.sort() }
}

export interface VersionsResult {
  subject: string
  versions: number[]
}

export async function listVersions(client: RegistryClient, subject: string): Promise<VersionsResult> {
  return { subject, versions: await client.versions(subject).catch(explain404(`subject "${subject}"`)) }
}

export async function getSchema(
  client: RegistryClient,
  options: { subject?: string; version?: string; id?: number },
): Promise<RegisteredSchema> {
  if (options.id !== undefined) {
    if (options.subject !== undefined)
      throw new UsageError('Give a subject (and version) or --id, not both.', { code: 'CONFLICTING_FLAGS' })
    return client.schemaById(options.id).catch(explain404(`schema id ${options.id}`))
  }
  if (options.subject === undefined)
    throw new UsageError('Give a SUBJECT (and VERSION, default latest) or --id N.', { code: 'MISSING_ARGUMENT' })
  const version = parseVersion(options.version ?? 'latest', 'VERSION')!
  return client
    .version(options.subject, version)
    .catch(explain404(`version ${version} of subject "${options.subject}"`))
}

export interface SchemaFile {
  schema: string
  schemaType: SchemaType
  references: SchemaReference[]
}

const TYPES: Record<string, SchemaType> = {
  avro: 'AVRO',
  protobuf: 'PROTOBUF',
  proto: 'PROTOBUF',
  json: 'JSON',
  'json-schema': 'JSON',
}

/** A schema file with its type (--type, else the extension or the text) and references (--reference NAME=SUBJECT:VERSION). */
export function readSchemaFile(file: string, type: string | undefined, references: readonly string[] = []): SchemaFile {
  let schema: string
  try {
    schema = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`Cannot read the schema file ${file}: ${(error as Error).message}`, { code: 'BAD_SCHEMA' })
  }
  let schemaType: SchemaType
  if (type !== undefined) {
    const known = TYPES[type.toLowerCase()]
    if (!known)
      throw new UsageError(`Unknown --type "${type}": expected avro, protobuf or json.`, { code: 'BAD_FORMAT' })
    schemaType = known
  } else schemaType = schemaTypeOf(schema, file)
  return { schema, schemaType, references: references.map(parseReference) }
}

export function parseReference(value: string): SchemaReference {
  const match = /^([^=]+)=(.+):(\d+)$/.exec(value)
  if (!match)
    throw new UsageError(
      `Invalid --reference "${value}": expected NAME=SUBJECT:VERSION (e.g. common.proto=common.proto:1).`,
      {
        code: 'BAD_REFERENCE',
      },
    )
  return { name: match[1]!, subject: match[2]!, version: Number(match[3]) }
}

export interface RegisterResult {
  subject: string
  id: number
  version?: number
  schemaType: SchemaType
  /** Imports of a .proto file registered first, under their import paths. */
  references: SchemaReference[]
}

export async function registerSchema(
  client: RegistryClient,
  subject: string,
  file: string,
  options: { type?: string; references?: string[] },
): Promise<RegisterResult> {
  const schema = readSchemaFile(file, options.type, options.references)
  if (schema.schemaType === 'PROTOBUF' && file.endsWith('.proto') && schema.references.length === 0) {
    for (const imported of protoImports(file)) {
      const ref = { schema: imported.schema, schemaType: schema.schemaType, references: [...schema.references] }
      await client.register(imported.name, ref)
      const found = await client.lookup(imported.name, ref)
      schema.references.push({ name: imported.name, subject: imported.name, version: found.version! })
    }
  }
  const id = await client.register(subject, schema).catch(explainIncompatible(subject))
  const found = await client.lookup(subject, schema).catch(() => undefined)
  return {
    subject,
    id,
    ...(found?.version === undefined ? {} : { version: found.version }),
    schemaType: schema.schemaType,
    references: schema.references,
  }
}

export interface DeleteResult {
  subject: string
  /** The versions deleted. */
  versions: number[]
  permanent: boolean
}

/** Soft delete (the registry keeps the schemas, ids still resolve); --permanent does the soft step first, as the registry requires. */
export async function deleteSchemas(
  client: RegistryClient,
  subject: string,
  options: { version?: string; permanent: boolean },
): Promise<DeleteResult> {
  const version = options.version === undefined ? undefined : parseVersion(options.version, '--version')!
  const soft = async () => {
    try {
      return version === undefined
        ? await client.deleteSubject(subject, false)
        : [await client.deleteVersion(subject, version, false)]
    } catch (error) {
      // Already soft-deleted (40404 subject, 40406 version): the permanent step follows.
      if (options.permanent && error instanceof RegistryError && [40404, 40406].includes(error.errorCode ?? 0))
        return undefined
      throw error
    }
  }
  let versions = await soft().catch(
    explain404(version === undefined ? `subject "${subject}"` : `version ${version} of subject "${subject}"`),
  )
  if (options.permanent) {
    const hard =
      version === undefined
        ? await client.deleteSubject(subject, true)
        : [await client.deleteVersion(subject, version, true)]
    versions = versions ?? hard
  }
  return { subject, versions: versions ?? [], permanent: options.permanent === true }
}

export interface CompatibilityResult {
  /** Absent: the registry's global level. */
  subject?: string
  compatibility: string
}

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const

export async function compatibility(
  client: RegistryClient,
  subject: string | undefined,
  set: string | undefined,
): Promise<CompatibilityResult> {
  if (set !== undefined) {
    const level = set.toUpperCase()
    if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(level))
      throw new UsageError(`Unknown compatibility level "${set}".`, {
        code: 'BAD_COMPATIBILITY',
        suggestions: [`Levels: ${COMPATIBILITY_LEVELS.join(', ')}.`],
      })
    return { ...(subject ? { subject } : {}), compatibility: await client.setCompatibility(level, subject) }
  }
  return { ...(subject ? { subject } : {}), compatibility: await client.compatibility(subject) }
}

export interface CheckResult {
  subject: string
  version: number | 'latest'
  compatible: boolean
  messages: string[]
}

export async function checkSchema(
  client: RegistryClient,
  subject: string,
  file: string,
  options: { type?: string; version?: string; references?: string[] },
): Promise<CheckResult> {
  const schema = readSchemaFile(file, options.type, options.references)
  const version = parseVersion(options.version ?? 'latest', '--version')!
  const answer = await client.check(subject, schema, version).catch((error: unknown) => {
    // Nothing to be compatible with: a new subject accepts any schema (Confluent's registry answers 404 here).
    if (
      error instanceof RegistryError &&
      error.status === 404 &&
      [40401, 40402].includes(error.errorCode ?? 0) &&
      version === 'latest'
    )
      return { compatible: true, messages: [`subject "${subject}" has no schema yet`] }
    throw error
  })
  return { subject, version, ...answer }
}

function explain404(what: string) {
  return (error: unknown): never => {
    if (error instanceof RegistryError && error.status === 404)
      throw new KafkitError(`The Schema Registry has no ${what}.`, {
        code: 'SCHEMA_NOT_FOUND',
        suggestions: ['List its subjects: kafkit schema-registry subjects'],
      })
    throw error
  }
}

function explainIncompatible(subject: string) {
  return (error: unknown): never => {
    if (error instanceof RegistryError && error.status === 409)
      throw new KafkitError(`The schema is not compatible with subject "${subject}": ${error.message}`, {
        code: 'SCHEMA_INCOMPATIBLE',
        suggestions: [
          `See why: kafkit schema-registry check ${subject} FILE`,
          `Or change the rule: kafkit schema-registry compatibility ${subject} --set NONE`,
        ],
      })
    throw error
  }
}

export interface RegistryFlagValues {
  'schema-registry-url'?: string
  'schema-registry-api-key'?: string
  'schema-registry-api-secret'?: string
  'command-config'?: string
  stack?: string
}

/** The registry from the flags: URL (flag, env, stack) and basic auth (flags, else --command-config as Confluent's clients read it). */
export function registryFromFlags(flags: RegistryFlagValues): RegistryClient {
  const properties = flags['command-config'] ? readPropertiesFile(flags['command-config'], '--command-config') : {}
  const userInfo = basicAuth(flags, properties)
  return connectRegistry({
    ...(flags['schema-registry-url'] === undefined ? {} : { url: flags['schema-registry-url'] }),
    ...(userInfo === undefined ? {} : { userInfo }),
    ...(flags.stack === undefined ? {} : { stack: flags.stack }),
  })
}
