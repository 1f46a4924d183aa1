/**
 * Generates kafkit's Kafka protocol codec (src/protocol/messages/, apis.ts, errors.ts) from the message definitions
 * inside the pinned kafka-clients jar: the same common/message/*.json files Kafka's own build turns into Java.
 *
 *   npm run gen:protocol            regenerate from .cache/kafka/<pinned>/libs/kafka-clients-<pinned>.jar
 *   npm run gen:protocol -- --check fail (exit 1) when the committed output differs from a fresh generation
 *
 * Needs Java (the error table exists only as the Errors enum; scripts/protocol/DumpProtocol.java reads both). The
 * output is committed, so building kafkit needs neither Java nor the jar; test/unit/protocol-generated.test.ts runs
 * --check. Written here rather than taken from a library: no maintained npm package generates from these files (the
 * JS Kafka clients hand-write each version), and the format is small (see the jar's common/message/README.md).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { format, resolveConfig } from 'prettier'

const repo = new URL('..', import.meta.url).pathname
/** The kafka-clients version the codec is generated from: the newest Kafka kafkit runs (model/versions.ts). */
export const PROTOCOL_KAFKA_VERSION = '4.4.0'

// ---- definitions --------------------------------------------------------------------------------------------

interface FieldSpec {
  name: string
  type: string
  versions: string
  nullableVersions?: string
  taggedVersions?: string
  tag?: number
  default?: string
  ignorable?: boolean
  flexibleVersions?: string
  about?: string
  fields?: FieldSpec[]
}

interface MessageSpec {
  apiKey?: number
  type: 'request' | 'response' | 'data' | 'header'
  name: string
  validVersions: string
  flexibleVersions: string
  latestVersionUnstable?: boolean
  fields: FieldSpec[]
  commonStructs?: Array<{ name: string; versions: string; fields: FieldSpec[] }>
}

interface Range {
  min: number
  max: number
}
const NONE: Range = { min: 0, max: -1 }

function parseRange(text: string | undefined): Range {
  if (text === undefined || text === 'none') return NONE
  if (text.endsWith('+')) return { min: Number(text.slice(0, -1)), max: Infinity }
  const [a, b] = text.split('-')
  return { min: Number(a), max: Number(b ?? a) }
}
const isEmpty = (r: Range) => r.max < r.min
const intersect = (a: Range, b: Range): Range => ({ min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) })
const covers = (outer: Range, inner: Range) => isEmpty(inner) || (outer.min <= inner.min && outer.max >= inner.max)

/** Strips // comments (outside strings): the definitions are JSON with comments. */
function stripComments(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') out += text[++i]
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      out += c
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else out += c
  }
  return out
}

// ---- code generation ----------------------------------------------------------------------------------------

const PRIMITIVES: Record<string, { ts: string; write: string; read: string }> = {
  bool: { ts: 'boolean', write: 'bool', read: 'bool' },
  int8: { ts: 'number', write: 'int8', read: 'int8' },
  int16: { ts: 'number', write: 'int16', read: 'int16' },
  uint16: { ts: 'number', write: 'uint16', read: 'uint16' },
  int32: { ts: 'number', write: 'int32', read: 'int32' },
  uint32: { ts: 'number', write: 'uint32', read: 'uint32' },
  int64: { ts: 'bigint', write: 'int64', read: 'int64' },
  float64: { ts: 'number', write: 'float64', read: 'float64' },
  uuid: { ts: 'Uuid', write: 'uuid', read: 'uuid' },
  string: { ts: 'string', write: 'string', read: 'string' },
  bytes: { ts: 'Buffer', write: 'bytes', read: 'bytes' },
  records: { ts: 'Buffer', write: 'bytes', read: 'bytes' },
}
const LENGTH_PREFIXED = new Set(['string', 'bytes', 'records'])

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

/** A condition on `v` for a version range within the message's valid versions (`true` when it covers them all). */
function condition(range: Range, valid: Range): string {
  const r = intersect(range, valid)
  if (isEmpty(r)) return 'false'
  const above = r.min > valid.min
  const below = r.max < valid.max
  if (above && below) return r.min === r.max ? `v === ${r.min}` : `v >= ${r.min} && v <= ${r.max}`
  if (above) return `v >= ${r.min}`
  if (below) return `v <= ${r.max}`
  return 'true'
}

interface StructInfo {
  name: string
  fields: FieldSpec[]
  versions: Range
}

class MessageGenerator {
  private structs = new Map<string, StructInfo>()
  private out: string[] = []
  private readonly valid: Range
  private readonly flexible: Range

  constructor(
    private spec: MessageSpec,
    private emittedStructs: Set<string>,
  ) {
    this.valid = parseRange(spec.validVersions)
    this.flexible = intersect(parseRange(spec.flexibleVersions), this.valid)
    for (const common of spec.commonStructs ?? [])
      this.structs.set(common.name, { name: common.name, fields: common.fields, versions: parseRange(common.versions) })
    this.collect(spec.fields)
  }

  private collect(fields: FieldSpec[]): void {
    for (const f of fields) {
      if (!f.fields) continue
      const struct = f.type.replace(/^\[\]/, '')
      if (!this.structs.has(struct))
        this.structs.set(struct, { name: struct, fields: f.fields, versions: parseRange(f.versions) })
      this.collect(f.fields)
    }
  }

  typeName(struct: string): string {
    return struct.startsWith(this.spec.name) ? struct : `${this.spec.name}${struct}`
  }

  private elementType(type: string): string {
    return type.replace(/^\[\]/, '')
  }

  private isArray(type: string): boolean {
    return type.startsWith('[]')
  }

  private tsType(f: FieldSpec, input: boolean): string {
    const element = this.elementType(f.type)
    const base = PRIMITIVES[element]?.ts ?? (input ? `${this.typeName(element)}Input` : this.typeName(element))
    let ts = this.isArray(f.type) ? `${base}[]` : base
    if (!isEmpty(intersect(parseRange(f.nullableVersions), this.valid))) ts += ' | null'
    return ts
  }

  /** The field's default as a TypeScript expression. */
  defaultValue(f: FieldSpec): string {
    const d = f.default
    if (d === 'null') return 'null'
    if (this.isArray(f.type)) return '[]'
    switch (f.type) {
      case 'bool':
        return d === 'true' ? 'true' : 'false'
      case 'int8':
      case 'int16':
      case 'uint16':
      case 'int32':
      case 'uint32':
        return d ? String(Number(d)) : '0'
      case 'int64':
        return d ? `${BigInt(d)}n` : '0n'
      case 'float64':
        return d ? String(Number(d)) : '0'
      case 'string':
        return JSON.stringify(d ?? '')
      case 'bytes':
      case 'records':
        return 'Buffer.alloc(0)'
      case 'uuid':
        return 'ZERO_UUID'
      default:
        return `default${this.typeName(f.type)}()`
    }
  }

  /** True when a value differs from the field's default (for fields a version lacks). */
  private nonDefault(f: FieldSpec, value: string): string {
    const d = this.defaultValue(f)
    const nullable = !isEmpty(intersect(parseRange(f.nullableVersions), this.valid))
    const notEmpty = nullable ? `(${value} !== null && ${value}.length > 0)` : `${value}.length > 0`
    if (this.isArray(f.type)) return d === 'null' ? `${value} !== null` : notEmpty
    if (d.startsWith('default')) return 'false'
    if (f.type === 'bytes' || f.type === 'records') return d === 'null' ? `${value} !== null` : notEmpty
    return `${value} !== ${d}`
  }

  private compact(f: FieldSpec): string {
    if (f.flexibleVersions !== undefined) return condition(parseRange(f.flexibleVersions), this.valid)
    return 'flexible'
  }

  private writeValue(f: FieldSpec, value: string, writer: string): string[] {
    const element = this.elementType(f.type)
    const nullable = parseRange(f.nullableVersions)
    const lines: string[] = []
    const nullCheck = (what: string) => {
      const c = condition(nullable, this.valid)
      if (c === 'true') return
      lines.push(
        `if (${what} === null${c === 'false' ? '' : ` && !(${c})`}) throw new ProtocolError('${this.spec.name}: ${f.name} is not nullable in v' + v)`,
      )
    }
    if (this.isArray(f.type)) {
      nullCheck(value)
      lines.push(`${writer}.arrayLength(${value} === null ? null : ${value}.length, ${this.compact(f)})`)
      lines.push(`if (${value} !== null) for (const item of ${value}) {`)
      const prim = PRIMITIVES[element]
      if (prim) {
        lines.push(
          LENGTH_PREFIXED.has(element)
            ? `${writer}.${prim.write}(item, ${this.compact(f)})`
            : `${writer}.${prim.write}(item)`,
        )
      } else lines.push(`write${this.typeName(element)}(${writer}, v, item)`)
      lines.push('}')
      return lines
    }
    const prim = PRIMITIVES[element]
    if (prim) {
      if (LENGTH_PREFIXED.has(element)) {
        nullCheck(value)
        lines.push(`${writer}.${prim.write}(${value}, ${this.compact(f)})`)
      } else lines.push(`${writer}.${prim.write}(${value})`)
      return lines
    }
    // A struct: nullable ones carry a leading int8, -1 for null and 1 for present.
    const c = condition(nullable, this.valid)
    if (c !== 'false') {
      lines.push(`if (${c}) ${writer}.int8(${value} === null ? -1 : 1)`)
      lines.push(
        `else if (${value} === null) throw new ProtocolError('${this.spec.name}: ${f.name} is not nullable in v' + v)`,
      )
      lines.push(`if (${value} !== null) write${this.typeName(element)}(${writer}, v, ${value})`)
    } else lines.push(`write${this.typeName(element)}(${writer}, v, ${value}${f.nullableVersions ? '!' : ''})`)
    return lines
  }

  private readValue(f: FieldSpec, reader: string): string {
    const element = this.elementType(f.type)
    const prim = PRIMITIVES[element]
    if (this.isArray(f.type)) {
      const item = prim
        ? LENGTH_PREFIXED.has(element)
          ? `${reader}.${prim.read}(${this.compact(f)})!`
          : `${reader}.${prim.read}()`
        : `read${this.typeName(element)}(${reader}, v)`
      const nullable = !isEmpty(intersect(parseRange(f.nullableVersions), this.valid))
      return `readArray(${reader}, ${this.compact(f)}, () => ${item})${nullable ? '' : ' ?? []'}`
    }
    if (prim) {
      if (LENGTH_PREFIXED.has(element)) {
        const nullable = !isEmpty(intersect(parseRange(f.nullableVersions), this.valid))
        return `${reader}.${prim.read}(${this.compact(f)})${nullable ? '' : '!'}`
      }
      return `${reader}.${prim.read}()`
    }
    const c = condition(parseRange(f.nullableVersions), this.valid)
    if (c !== 'false') return `(${c}) && ${reader}.int8() < 0 ? null : read${this.typeName(element)}(${reader}, v)`
    return `read${this.typeName(element)}(${reader}, v)`
  }

  private emitStruct(typeName: string, fields: FieldSpec[], message: boolean): void {
    if (this.emittedStructs.has(typeName)) return
    this.emittedStructs.add(typeName)
    const all = this.valid
    const o = this.out
    // Types: the full shape (what a read returns) and the input shape (what a write takes: defaults optional).
    o.push(`export interface ${typeName} {`)
    for (const f of fields) {
      if (f.about) o.push(`  /** ${f.about.replace(/\*\//g, '* /')} (versions ${f.versions}) */`)
      o.push(`  ${camel(f.name)}: ${this.tsType(f, false)}`)
    }
    o.push('}')
    o.push(`export interface ${typeName}Input {`)
    for (const f of fields) {
      const always = covers(parseRange(f.versions), all) && f.taggedVersions === undefined && f.default === undefined
      o.push(`  ${camel(f.name)}${always ? '' : '?'}: ${this.tsType(f, true)}`)
    }
    o.push('}')

    // Default instance (for struct fields a version lacks).
    o.push(`export function default${typeName}(): ${typeName} {`)
    o.push(`  return { ${fields.map((f) => `${camel(f.name)}: ${this.defaultValue(f)}`).join(', ')} }`)
    o.push('}')

    const tagged = fields.filter((f) => f.taggedVersions !== undefined).sort((a, b) => a.tag! - b.tag!)
    const flexibleCondition = condition(this.flexible, all)

    // Writer.
    o.push(`${message ? '' : ''}function write${typeName}(w: Writer, v: number, d: ${typeName}Input): void {`)
    o.push(`  const flexible = ${flexibleCondition}`)
    for (const f of fields) {
      if (f.taggedVersions !== undefined) continue
      const value = `d.${camel(f.name)}`
      const present = condition(parseRange(f.versions), all)
      const needsDefault = !(covers(parseRange(f.versions), all) && f.default === undefined)
      const local = `_${camel(f.name)}`
      o.push(`  {`)
      // `undefined` (not set) takes the default; null is a value of its own for nullable fields.
      o.push(
        `    const ${local} = ${needsDefault ? `${value} === undefined ? ${this.defaultValue(f)} : ${value}` : value}`,
      )
      if (present === 'true') o.push(...this.writeValue(f, local, 'w').map((l) => `    ${l}`))
      else {
        o.push(`    if (${present}) {`)
        o.push(...this.writeValue(f, local, 'w').map((l) => `      ${l}`))
        if (!f.ignorable && this.nonDefault(f, local) !== 'false')
          o.push(`    } else if (${this.nonDefault(f, local)}) unsupported('${this.spec.name}', '${f.name}', v)`)
        else o.push('    }')
      }
      o.push('  }')
    }
    if (tagged.length === 0) o.push('  if (flexible) w.uvarint(0)')
    else {
      o.push('  if (flexible) {')
      o.push('    const tagged: Array<[number, Buffer]> = []')
      for (const f of tagged) {
        const local = `_${camel(f.name)}`
        o.push(`    {`)
        o.push(`      const ${local} = d.${camel(f.name)} === undefined ? ${this.defaultValue(f)} : d.${camel(f.name)}`)
        o.push(
          `      if ((${condition(parseRange(f.taggedVersions), all)}) && ${this.nonDefault(f, local) === 'false' ? 'true' : this.nonDefault(f, local)}) {`,
        )
        o.push('        const tw = new Writer(64)')
        o.push(...this.writeValue(f, local, 'tw').map((l) => `        ${l}`))
        o.push(`        tagged.push([${f.tag}, tw.finish()])`)
        o.push('      }')
        o.push('    }')
      }
      o.push('    w.taggedFields(tagged)')
      o.push('  }')
    }
    o.push('}')

    // Reader.
    o.push(`function read${typeName}(r: Reader, v: number): ${typeName} {`)
    o.push(`  const flexible = ${flexibleCondition}`)
    o.push(`  const d = default${typeName}()`)
    for (const f of fields) {
      if (f.taggedVersions !== undefined) continue
      const present = condition(parseRange(f.versions), all)
      const read = `d.${camel(f.name)} = ${this.readValue(f, 'r')}`
      o.push(present === 'true' ? `  ${read}` : `  if (${present}) ${read}`)
    }
    if (tagged.length === 0) o.push('  if (flexible) r.taggedFields(() => {})')
    else {
      o.push('  if (flexible)')
      o.push('    r.taggedFields((tag, tr) => {')
      o.push('      switch (tag) {')
      for (const f of tagged) {
        o.push(`        case ${f.tag}:`)
        o.push(
          `          if (${condition(parseRange(f.taggedVersions), all)}) d.${camel(f.name)} = ${this.readValue(f, 'tr')}`,
        )
        o.push('          break')
      }
      o.push('      }')
      o.push('    })')
    }
    o.push('  return d')
    o.push('}')
  }

  generate(): string[] {
    const spec = this.spec
    for (const [name, struct] of this.structs) this.emitStruct(this.typeName(name), struct.fields, false)
    this.emitStruct(spec.name, spec.fields, true)
    return this.out
  }
}

export const SCHEMA_FIXTURE = 'test/fixtures/protocol-schema.json'

/** Generated files by path (relative to the repository). */
export function generate(messages: Record<string, string>, errors: ErrorDef[]): Map<string, string> {
  const specs = Object.entries(messages)
    .map(([file, text]) => ({ file, spec: JSON.parse(stripComments(text)) as MessageSpec }))
    .filter(({ spec }) => !isEmpty(parseRange(spec.validVersions)))
  const files = new Map<string, string>()
  const header = (source: string) =>
    `// Generated by scripts/gen-protocol.ts from ${source} in kafka-clients-${PROTOCOL_KAFKA_VERSION}.jar. Do not edit.\n`

  // One module per API (its request and response) and per data/header message.
  const byApi = new Map<string, MessageSpec[]>()
  for (const { spec } of specs) {
    const base =
      spec.type === 'request' || spec.type === 'response' ? spec.name.replace(/(Request|Response)$/, '') : spec.name
    byApi.set(base, [...(byApi.get(base) ?? []), spec])
  }
  const apis: Array<{ key: number; name: string; min: number; max: number; flexible: number; stable: number }> = []
  for (const [base, group] of [...byApi].sort(([a], [b]) => a.localeCompare(b))) {
    const emitted = new Set<string>()
    const body: string[] = []
    const usesUuid = group.some(
      (spec) => JSON.stringify(spec).includes('"uuid"') || JSON.stringify(spec).includes('"[]uuid"'),
    )
    const sources = group.map((s) => `common/message/${s.name}.json`).join(' and ')
    for (const spec of group) body.push(...new MessageGenerator(spec, emitted).generate())
    const request = group.find((s) => s.type === 'request')
    const response = group.find((s) => s.type === 'response')
    if (request && response) {
      const valid = parseRange(request.validVersions)
      const flexible = parseRange(request.flexibleVersions)
      const stable = request.latestVersionUnstable ? valid.max - 1 : valid.max
      apis.push({
        key: request.apiKey!,
        name: base,
        min: valid.min,
        max: valid.max,
        flexible: isEmpty(flexible) ? -1 : flexible.min,
        stable,
      })
      body.push(
        `/** ${base} (API key ${request.apiKey}): versions ${valid.min}-${valid.max}${request.latestVersionUnstable ? ` (v${valid.max} unstable)` : ''}, flexible from ${isEmpty(flexible) ? 'none' : flexible.min}. */`,
        `export const ${base}: Api<${request.name}Input, ${request.name}, ${response.name}Input, ${response.name}> = {`,
        `  apiKey: ${request.apiKey}, name: '${base}', minVersion: ${valid.min}, maxVersion: ${valid.max}, maxStableVersion: ${stable}, flexibleVersion: ${isEmpty(flexible) ? -1 : flexible.min},`,
        `  writeRequest: write${request.name}, readRequest: read${request.name},`,
        `  writeResponse: write${response.name}, readResponse: read${response.name},`,
        '}',
      )
    } else {
      for (const spec of group) {
        const valid = parseRange(spec.validVersions)
        body.push(
          `/** ${spec.name} (${spec.type}): versions ${valid.min}-${valid.max}. */`,
          `export const ${spec.name}Codec: DataCodec<${spec.name}Input, ${spec.name}> = {`,
          `  name: '${spec.name}', minVersion: ${valid.min}, maxVersion: ${valid.max},`,
          `  write: write${spec.name}, read: read${spec.name},`,
          '}',
        )
      }
    }
    const imports = ['ProtocolError', 'Reader', 'Writer', 'unsupported', 'readArray']
    const text = [
      header(sources),
      '/* eslint-disable */',
      `import { ${imports.filter((i) => i !== 'readArray').join(', ')}${usesUuid ? ', ZERO_UUID, type Uuid' : ''} } from '../primitives.js'`,
      `import { readArray, type ${request && response ? 'Api' : 'DataCodec'} } from '../api.js'`,
      '',
      ...body,
    ].join('\n')
    files.set(`src/protocol/messages/${kebab(base)}.ts`, text)
  }

  // The definitions themselves (without prose) for test/unit/protocol-roundtrip.test.ts, which builds sample data of
  // every version from them without needing the jar.
  const strip = (key: string, value: unknown) =>
    key === 'about' || key === 'entityType' || key === 'mapKey' ? undefined : value
  files.set(
    SCHEMA_FIXTURE,
    JSON.stringify(
      specs.map(({ spec }) => spec).sort((a, b) => a.name.localeCompare(b.name)),
      strip,
    ) + '\n',
  )

  apis.sort((a, b) => a.key - b.key)
  files.set(
    'src/protocol/apis.ts',
    [
      header('common/message/*Request.json'),
      '/** Every API of the protocol: key, name, version range, first flexible version (-1: none), newest stable version. */',
      'export const APIS = [',
      ...apis.map(
        (a) =>
          `  { apiKey: ${a.key}, name: '${a.name}', minVersion: ${a.min}, maxVersion: ${a.max}, flexibleVersion: ${a.flexible}, maxStableVersion: ${a.stable} },`,
      ),
      '] as const',
      '',
      "export type ApiName = (typeof APIS)[number]['name']",
      'export const API_KEYS = Object.fromEntries(APIS.map((a) => [a.name, a.apiKey])) as { [N in ApiName]: number }',
      'export const API_NAMES: ReadonlyMap<number, ApiName> = new Map(APIS.map((a) => [a.apiKey, a.name]))',
    ].join('\n'),
  )
  files.set(
    'src/protocol/errors.ts',
    [
      header('org.apache.kafka.common.protocol.Errors'),
      "/** Kafka error codes: name, whether the client may retry, and the broker's default message. */",
      'export interface KafkaErrorCode {',
      '  code: number',
      '  name: string',
      '  retriable: boolean',
      '  message: string',
      '}',
      '',
      'export const ERROR_CODES: ReadonlyMap<number, KafkaErrorCode> = new Map(',
      '  (',
      '    [',
      ...errors.map(
        (e) => `      [${e.code}, ${JSON.stringify(e.name)}, ${e.retriable}, ${JSON.stringify(e.message ?? '')}],`,
      ),
      '    ] as const',
      '  ).map(([code, name, retriable, message]) => [code, { code, name, retriable, message }]),',
      ')',
    ].join('\n'),
  )
  return files
}

export interface ErrorDef {
  code: number
  name: string
  retriable: boolean
  message: string | null
}

/** Reads the definitions and the error table from the jar through the JVM. */
export function readJar(libs: string): { messages: Record<string, string>; errors: ErrorDef[] } {
  const jar = join(libs, `kafka-clients-${PROTOCOL_KAFKA_VERSION}.jar`)
  if (!existsSync(jar))
    throw new Error(
      `${jar} is missing: run 'npm run build && bash scripts/fetch-kafka.sh' (it installs Kafka ${PROTOCOL_KAFKA_VERSION}).`,
    )
  const slf4j = readdirSync(libs).find((f) => /^slf4j-api-.*\.jar$/.test(f))
  const classpath = [jar, ...(slf4j ? [join(libs, slf4j)] : [])].join(':')
  const json = execFileSync('java', ['-cp', classpath, join(repo, 'scripts/protocol/DumpProtocol.java'), jar], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return JSON.parse(json) as { messages: Record<string, string>; errors: ErrorDef[] }
}

/** Generates and formats every file (prettier with the repo's config, as `npm run format` would). */
export async function generateFormatted(libs: string): Promise<Map<string, string>> {
  const { messages, errors } = readJar(libs)
  const files = generate(messages, errors)
  const config = (await resolveConfig(join(repo, 'src/protocol/apis.ts'))) ?? {}
  const formatted = new Map<string, string>()
  for (const [path, text] of files)
    formatted.set(path, path.endsWith('.ts') ? await format(text, { ...config, parser: 'typescript' }) : text)
  return formatted
}

/** Directories whose every file is generated (a file the generator no longer writes is stale). */
export const GENERATED_DIRS = ['src/protocol/messages']
export const defaultLibs = () =>
  join(process.env.KAFKIT_CACHE ?? join(repo, '.cache'), 'kafka', PROTOCOL_KAFKA_VERSION, 'libs')

/** Paths whose committed text differs from `files`, or that should not exist. */
export function staleFiles(files: Map<string, string>): string[] {
  const stale: string[] = []
  for (const [path, text] of files) {
    const target = join(repo, path)
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) stale.push(path)
  }
  for (const dir of GENERATED_DIRS)
    for (const name of existsSync(join(repo, dir)) ? readdirSync(join(repo, dir)) : [])
      if (!files.has(`${dir}/${name}`)) stale.push(`${dir}/${name}`)
  return stale
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check')
  const files = await generateFormatted(defaultLibs())
  if (check) {
    const stale = staleFiles(files)
    if (stale.length > 0) {
      console.error(
        `The generated protocol code is stale (${stale.length} files, e.g. ${stale.slice(0, 3).join(', ')}): run npm run gen:protocol`,
      )
      process.exit(1)
    }
    console.log(`The generated protocol code is current (${files.size} files).`)
    return
  }
  for (const dir of GENERATED_DIRS) rmSync(join(repo, dir), { recursive: true, force: true })
  for (const [path, text] of files) {
    mkdirSync(join(repo, path, '..'), { recursive: true })
    writeFileSync(join(repo, path), text)
  }
  console.log(`Wrote ${files.size} files (src/protocol, ${SCHEMA_FIXTURE}).`)
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) await main()
