/**
 * A client of the Confluent Schema Registry REST API (Confluent's registry, Apicurio's /apis/ccompat/v7, Redpanda's),
 * on Node's fetch: the dozen calls kafkit needs, with the registry's error codes turned into one clear line.
 */
import { KafkitError } from '../errors.js'

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON'

export interface SchemaReference {
  name: string
  subject: string
  version: number
}

export interface RegisteredSchema {
  subject?: string
  version?: number
  id: number
  schemaType: SchemaType
  schema: string
  references: SchemaReference[]
}

export interface NewSchema {
  schema: string
  schemaType: SchemaType
  references?: SchemaReference[]
}

/** An error answer of the registry: its HTTP status and error_code (40401 subject not found ...). */
export class RegistryError extends KafkitError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | undefined,
    suggestions: string[] = [],
  ) {
    super(message, { code: 'SCHEMA_REGISTRY', suggestions })
  }
}

export interface RegistryOptions {
  /** Base URL of the Confluent API, without a trailing slash. */
  url: string
  /** "user:password" for HTTP basic auth (basic.auth.user.info). */
  userInfo?: string
  timeoutMs?: number
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

export class RegistryClient {
  private readonly byId = new Map<number, Promise<RegisteredSchema>>()

  constructor(readonly options: RegistryOptions) {}

  get url(): string {
    return this.options.url
  }

  subjects(deleted = false): Promise<string[]> {
    return this.call('GET', `/subjects${deleted ? '?deleted=true' : ''}`)
  }

  versions(subject: string): Promise<number[]> {
    return this.call('GET', `/subjects/${enc(subject)}/versions`)
  }

  async version(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const answer = await this.call<RawSchema>('GET', `/subjects/${enc(subject)}/versions/${version}`)
    return normalize(answer, subject)
  }

  /** The schema with this id, fetched once per run (ids never change meaning). */
  schemaById(id: number): Promise<RegisteredSchema> {
    let found = this.byId.get(id)
    if (!found) {
      found = this.call<RawSchema>('GET', `/schemas/ids/${id}`).then((raw) => normalize({ ...raw, id }))
      found.catch(() => this.byId.delete(id))
      this.byId.set(id, found)
    }
    return found
  }

  async register(subject: string, schema: NewSchema): Promise<number> {
    const answer = await this.call<{ id: number }>('POST', `/subjects/${enc(subject)}/versions`, body(schema))
    return answer.id
  }

  /** The version of `subject` holding exactly this schema (404 when none). */
  async lookup(subject: string, schema: NewSchema): Promise<RegisteredSchema> {
    return normalize(await this.call<RawSchema>('POST', `/subjects/${enc(subject)}`, body(schema)), subject)
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.call('DELETE', `/subjects/${enc(subject)}${permanent ? '?permanent=true' : ''}`)
  }

  deleteVersion(subject: string, version: number | 'latest', permanent: boolean): Promise<number> {
    return this.call('DELETE', `/subjects/${enc(subject)}/versions/${version}${permanent ? '?permanent=true' : ''}`)
  }

  /** The subject's compatibility level, or the global one without a subject (defaultToGlobal for a subject without its own). */
  async compatibility(subject?: string): Promise<string> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}?defaultToGlobal=true`
    const answer = await this.call<{ compatibilityLevel?: string; compatibility?: string }>('GET', path)
    return answer.compatibilityLevel ?? answer.compatibility ?? 'BACKWARD'
  }

  async setCompatibility(level: string, subject?: string): Promise<string> {
    const path = subject === undefined ? '/config' : `/config/${enc(subject)}`
    const answer = await this.call<{ compatibility?: string; compatibilityLevel?: string }>('PUT', path, {
      compatibility: level,
    })
    return answer.compatibility ?? answer.compatibilityLevel ?? level
  }

  async check(
    subject: string,
    schema: NewSchema,
    version: number | 'latest' = 'latest',
  ): Promise<{ compatible: boolean; messages: string[] }> {
    const answer = await this.call<{ is_compatible: boolean; messages?: unknown }>(
      'POST',
      `/compatibility/subjects/${enc(subject)}/versions/${version}?verbose=true`,
      body(schema),
    )
    const messages = Array.isArray(answer.messages) ? answer.messages.map((m) => String(m)) : []
    return { compatible: answer.is_compatible, messages }
  }

  private async call<T>(method: string, path: string, payload?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: `${CONTENT_TYPE}, application/json` }
    if (payload !== undefined) headers['Content-Type'] = CONTENT_TYPE
    if (this.options.userInfo) headers.Authorization = `Basic ${Buffer.from(this.options.userInfo).toString('base64')}`
    let response: Response
    try {
      response = await fetch(`${this.options.url}${path}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      })
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message
      throw new KafkitError(`Cannot reach the Schema Registry at ${this.options.url}: ${cause}`, {
        code: 'SCHEMA_REGISTRY_UNREACHABLE',
        suggestions: [
          'Check --schema-registry-url (or KAFKIT_SCHEMA_REGISTRY_URL), or start one: kafkit up --with schema-registry',
        ],
        cause: error,
      })
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    if (!response.ok) {
      const answer = (parsed ?? {}) as { error_code?: number; message?: string }
      const message = answer.message ?? (text.trim().slice(0, 200) || response.statusText)
      throw new RegistryError(
        `Schema Registry: ${message} (HTTP ${response.status}${answer.error_code ? `, error ${answer.error_code}` : ''})`,
        response.status,
        answer.error_code,
        response.status === 401 || response.status === 403
          ? [
              'Give credentials: basic.auth.user.info=USER:PASSWORD in --command-config, or --schema-registry-api-key/--schema-registry-api-secret.',
            ]
          : [],
      )
    }
    return parsed as T
  }
}

interface RawSchema {
  subject?: string
  version?: number
  id: number
  schemaType?: string
  schema: string
  references?: SchemaReference[]
}

function normalize(raw: RawSchema, subject?: string): RegisteredSchema {
  return {
    ...((raw.subject ?? subject) ? { subject: raw.subject ?? subject } : {}),
    ...(raw.version === undefined ? {} : { version: raw.version }),
    id: raw.id,
    schemaType: (raw.schemaType?.toUpperCase() as SchemaType | undefined) ?? 'AVRO',
    schema: raw.schema,
    references: raw.references ?? [],
  }
}

function body(schema: NewSchema): Record<string, unknown> {
  return {
    schema: schema.schema,
    // Confluent's registry treats a missing schemaType as AVRO; some versions refuse "AVRO" spelled out, none refuse it missing.
    ...(schema.schemaType === 'AVRO' ? {} : { schemaType: schema.schemaType }),
    ...(schema.references && schema.references.length > 0 ? { references: schema.references } : {}),
  }
}

const enc = encodeURIComponent
