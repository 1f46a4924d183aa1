import { KafkitError, UsageError } from '../errors.js'
import { recordToJson } from './json-records.js'
import { booleanProperty, parseToolProperties } from './properties.js'
import type { Bytes, IncomingRecord } from './types.js'

/** Turns a record into output bytes, appended to `out` (joined and written once per fetched batch). */
export interface RecordFormatter {
  format(record: IncomingRecord, out: Buffer[]): void
  /** Counts records without formatting or writing them (consumer-perf-test measures reading, not printing). */
  readonly discard?: boolean
  /** Work a batch needs before format() runs (fetching the schemas of the ids it holds: src/schemas/serde.ts). */
  prepare?(records: Array<{ key: Buffer | null; value: Buffer | null }>): Promise<void>
}

/** Keys of Kafka's DefaultMessageFormatter (`--property` / `--formatter-property`). */
const FORMATTER_PROPERTIES = [
  'print.timestamp',
  'print.key',
  'print.offset',
  'print.partition',
  'print.headers',
  'print.value',
  'print.epoch',
  'print.delivery',
  'key.separator',
  'line.separator',
  'headers.separator',
  'null.literal',
  'key.deserializer',
  'value.deserializer',
  'headers.deserializer',
  'header.deserializer',
] as const
const DESERIALIZER_PREFIXES = ['key.deserializer.', 'value.deserializer.', 'headers.deserializer.']

type Deserializer = (bytes: Buffer) => Buffer

const raw: Deserializer = (bytes) => bytes
const fixed =
  (size: number, name: string, read: (b: Buffer) => string): Deserializer =>
  (bytes) => {
    if (bytes.length !== size)
      throw new KafkitError(`Size of data received by ${name} is not ${size}`, { code: 'DESERIALIZE' })
    return Buffer.from(read(bytes))
  }

/** Kafka's built-in deserializers, by class name, so `--key-deserializer ...LongDeserializer` prints numbers like the script. */
const DESERIALIZERS: Record<string, Deserializer> = {
  StringDeserializer: raw,
  ByteArrayDeserializer: raw,
  ByteBufferDeserializer: raw,
  BytesDeserializer: raw,
  UUIDDeserializer: raw,
  IntegerDeserializer: fixed(4, 'IntegerDeserializer', (b) => String(b.readInt32BE(0))),
  LongDeserializer: fixed(8, 'LongDeserializer', (b) => b.readBigInt64BE(0).toString()),
  ShortDeserializer: fixed(2, 'ShortDeserializer', (b) => String(b.readInt16BE(0))),
  FloatDeserializer: fixed(4, 'FloatDeserializer', (b) => javaDouble(b.readFloatBE(0))),
  DoubleDeserializer: fixed(8, 'DoubleDeserializer', (b) => javaDouble(b.readDoubleBE(0))),
  BooleanDeserializer: fixed(1, 'BooleanDeserializer', (b) => String(b[0] !== 0)),
}

/** Java prints whole doubles as "1.0". */
function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value)
}

export function deserializerFor(className: string | undefined): Deserializer | undefined {
  if (className === undefined || className === '') return undefined
  const simple = className.split('.').pop()!
  const deserializer = DESERIALIZERS[simple]
  if (!deserializer) {
    throw new UsageError(`Unsupported deserializer ${className}.`, {
      code: 'BAD_PROPERTY',
      suggestions: [`Supported: ${Object.keys(DESERIALIZERS).join(', ')} (org.apache.kafka.common.serialization.*)`],
    })
  }
  return deserializer === raw ? undefined : deserializer
}

interface DefaultFormatOptions {
  properties?: readonly string[]
  flag?: string
  keyDeserializer?: string
  valueDeserializer?: string
}

/**
 * Kafka's DefaultMessageFormatter, byte for byte: fields in the order timestamp, partition, offset,
 * headers, key, value, each followed by key.separator, the last by line.separator, e.g.
 * `CreateTime:1700000000000\tPartition:0\tOffset:5\tkey\tvalue\n`; null prints null.literal.
 */
export class DefaultFormatter implements RecordFormatter {
  private readonly printTimestamp: boolean
  private readonly printKey: boolean
  private readonly printValue: boolean
  private readonly printPartition: boolean
  private readonly printOffset: boolean
  private readonly printEpoch: boolean
  private readonly printDelivery: boolean
  private readonly printHeaders: boolean
  private readonly keySeparator: Buffer
  private readonly lineSeparator: Buffer
  private readonly headersSeparator: Buffer
  private readonly nullLiteral: Buffer
  private readonly keyDeserializer?: Deserializer
  private readonly valueDeserializer?: Deserializer
  private readonly headersDeserializer?: Deserializer

  constructor(options: DefaultFormatOptions = {}) {
    const props = parseToolProperties(
      options.properties,
      options.flag ?? '--property',
      FORMATTER_PROPERTIES,
      DESERIALIZER_PREFIXES,
    )
    this.printTimestamp = booleanProperty(props, 'print.timestamp', false)
    this.printKey = booleanProperty(props, 'print.key', false)
    this.printValue = booleanProperty(props, 'print.value', true)
    this.printPartition = booleanProperty(props, 'print.partition', false)
    this.printOffset = booleanProperty(props, 'print.offset', false)
    this.printEpoch = booleanProperty(props, 'print.epoch', false)
    this.printDelivery = booleanProperty(props, 'print.delivery', false)
    this.printHeaders = booleanProperty(props, 'print.headers', false)
    this.keySeparator = Buffer.from(props['key.separator'] ?? '\t')
    this.lineSeparator = Buffer.from(props['line.separator'] ?? '\n')
    this.headersSeparator = Buffer.from(props['headers.separator'] ?? ',')
    this.nullLiteral = Buffer.from(props['null.literal'] ?? 'null')
    this.keyDeserializer = deserializerFor(props['key.deserializer'] ?? options.keyDeserializer)
    this.valueDeserializer = deserializerFor(props['value.deserializer'] ?? options.valueDeserializer)
    this.headersDeserializer = deserializerFor(props['headers.deserializer'] ?? props['header.deserializer'])
  }

  /** The common case (values only): lets the consumer skip per-record work. */
  get valueOnly(): boolean {
    return (
      this.printValue &&
      !this.printTimestamp &&
      !this.printKey &&
      !this.printPartition &&
      !this.printOffset &&
      !this.printEpoch &&
      !this.printDelivery &&
      !this.printHeaders &&
      !this.valueDeserializer
    )
  }

  /** The value-only output (see valueOnly): value or null.literal, then line.separator. */
  formatValue(value: Bytes, out: Buffer[]): void {
    out.push(value === null ? this.nullLiteral : value, this.lineSeparator)
  }

  format(record: IncomingRecord, out: Buffer[]): void {
    const { printPartition, printOffset, printEpoch, printDelivery, printHeaders, printKey, printValue } = this
    if (this.printTimestamp) {
      out.push(
        Buffer.from(
          record.timestampType === 'NO_TIMESTAMP' ? 'NO_TIMESTAMP' : `${record.timestampType}:${record.timestamp}`,
        ),
      )
      this.separator(
        out,
        printPartition || printOffset || printEpoch || printDelivery || printHeaders || printKey || printValue,
      )
    }
    if (printPartition) {
      out.push(Buffer.from(`Partition:${record.partition}`))
      this.separator(out, printOffset || printEpoch || printDelivery || printHeaders || printKey || printValue)
    }
    if (printOffset) {
      out.push(Buffer.from(`Offset:${record.offset}`))
      this.separator(out, printDelivery || printEpoch || printHeaders || printKey || printValue)
    }
    // Kafka 4.x's console consumer prints these for share groups only; a classic consumer shows NOT_PRESENT
    // (its records are rebuilt without a leader epoch), so kafkit prints the same bytes. The share consumer's records
    // carry both.
    if (printDelivery) {
      out.push(Buffer.from(`Delivery:${record.deliveryCount ?? 'NOT_PRESENT'}`))
      this.separator(out, printEpoch || printHeaders || printKey || printValue)
    }
    if (printEpoch) {
      out.push(Buffer.from(`Epoch:${record.leaderEpoch ?? 'NOT_PRESENT'}`))
      this.separator(out, printHeaders || printKey || printValue)
    }
    if (printHeaders) {
      if (record.headers.length === 0) {
        out.push(Buffer.from('NO_HEADERS'))
      } else {
        record.headers.forEach((header, index) => {
          out.push(Buffer.from(`${header.key}:`), this.bytes(header.value, this.headersDeserializer))
          if (index < record.headers.length - 1) out.push(this.headersSeparator)
        })
      }
      this.separator(out, printKey || printValue)
    }
    if (printKey) {
      out.push(this.bytes(record.key, this.keyDeserializer))
      this.separator(out, printValue)
    }
    if (printValue) {
      out.push(this.bytes(record.value, this.valueDeserializer), this.lineSeparator)
    }
  }

  private separator(out: Buffer[], column: boolean): void {
    out.push(column ? this.keySeparator : this.lineSeparator)
  }

  private bytes(value: Bytes, deserializer: Deserializer | undefined): Buffer {
    if (value === null) return this.nullLiteral
    return deserializer ? deserializer(value) : value
  }
}

/** One JSON object per line (see json-records.ts). */
export class JsonFormatter implements RecordFormatter {
  format(record: IncomingRecord, out: Buffer[]): void {
    out.push(Buffer.from(`${JSON.stringify(recordToJson(record))}\n`))
  }
}

type Part = { text: Buffer } | { field: (record: IncomingRecord) => Buffer }

/**
 * `--format` templates, with kcat's -f tokens so existing kcat formats work unchanged:
 *   %s or %v value, %k key, %t topic, %p partition, %o offset, %T timestamp (ms), %d timestamp as ISO-8601,
 *   %h headers as k=v,k2=v2, %S value size, %K key size, %% a percent sign; \n \t \r \\ escapes.
 * A null key or value prints as nothing (or --property null.literal=... when given).
 */
export const FORMAT_TOKENS: Record<string, string> = {
  '%s': 'value',
  '%v': 'value',
  '%k': 'key',
  '%t': 'topic',
  '%p': 'partition',
  '%o': 'offset',
  '%T': 'timestamp (ms)',
  '%d': 'timestamp (ISO-8601)',
  '%h': 'headers (k=v,k2=v2)',
  '%S': 'value size in bytes',
  '%K': 'key size in bytes',
  '%%': '%',
}

export class TemplateFormatter implements RecordFormatter {
  private readonly parts: Part[]

  constructor(template: string, nullLiteral = '') {
    const nul = Buffer.from(nullLiteral)
    const bytes = (b: Bytes) => (b === null ? nul : b)
    const size = (b: Bytes) => Buffer.from(b === null ? '-1' : String(b.length))
    const fields: Record<string, (r: IncomingRecord) => Buffer> = {
      s: (r) => bytes(r.value),
      v: (r) => bytes(r.value),
      k: (r) => bytes(r.key),
      t: (r) => Buffer.from(r.topic),
      p: (r) => Buffer.from(String(r.partition)),
      o: (r) => Buffer.from(r.offset),
      T: (r) => Buffer.from(r.timestamp),
      d: (r) => Buffer.from(new Date(Number(r.timestamp)).toISOString()),
      h: (r) =>
        Buffer.concat(r.headers.flatMap((h, i) => [Buffer.from(`${i > 0 ? ',' : ''}${h.key}=`), bytes(h.value)])),
      S: (r) => size(r.value),
      K: (r) => size(r.key),
    }
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', 0: '\0' }
    this.parts = []
    let text = ''
    const flush = () => {
      if (text) this.parts.push({ text: Buffer.from(text) })
      text = ''
    }
    for (let i = 0; i < template.length; i++) {
      const char = template[i]!
      const next = template[i + 1]
      if (char === '\\' && next !== undefined && escapes[next] !== undefined) {
        text += escapes[next]
        i++
      } else if (char === '%') {
        if (next === '%') {
          text += '%'
        } else if (next !== undefined && fields[next]) {
          flush()
          this.parts.push({ field: fields[next]! })
        } else {
          throw new UsageError(`Unknown token %${next ?? ''} in --format.`, {
            code: 'BAD_FORMAT',
            suggestions: [`Tokens: ${Object.keys(FORMAT_TOKENS).join(' ')}`],
          })
        }
        i++
      } else {
        text += char
      }
    }
    flush()
  }

  format(record: IncomingRecord, out: Buffer[]): void {
    for (const part of this.parts) out.push('text' in part ? part.text : part.field(record))
  }
}
