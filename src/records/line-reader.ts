import { UsageError } from '../errors.js'
import { booleanProperty, parseToolProperties } from './properties.js'
import type { Header, OutgoingRecord } from './types.js'

/** The keys Kafka's LineMessageReader understands (`--property` / `--reader-property`). */
const READER_PROPERTIES = [
  'parse.key',
  'key.separator',
  'parse.headers',
  'headers.delimiter',
  'headers.separator',
  'headers.key.separator',
  'null.marker',
  'ignore.error',
] as const

export interface LineReaderOptions {
  parseKey: boolean
  keySeparator: Buffer
  parseHeaders: boolean
  headersDelimiter: Buffer
  headersSeparator: Buffer
  headersKeySeparator: Buffer
  ignoreError: boolean
  nullMarker?: Buffer
}

/** A line the reader cannot parse; the producer stops reading, flushes what came before and reports it. */
export class RecordParseError extends UsageError {
  constructor(
    message: string,
    readonly lineNumber: number,
  ) {
    super(message, { code: 'BAD_RECORD' })
  }
}

/**
 * The reader configuration with LineMessageReader's defaults and its consistency checks (same messages).
 * Separators are used literally; Kafka compiles headers.separator as a Java regex, which only matters for
 * separators like "|" or "." that nobody means as a pattern.
 */
export function lineReaderOptions(values: readonly string[] | undefined, flag = '--property'): LineReaderOptions {
  const props = parseToolProperties(values, flag, READER_PROPERTIES)
  const text = (key: string, fallback: string) => props[key] ?? fallback
  const keySeparator = text('key.separator', '\t')
  const headersDelimiter = text('headers.delimiter', '\t')
  const headersSeparator = text('headers.separator', ',')
  const headersKeySeparator = text('headers.key.separator', ':')
  const nullMarker = props['null.marker']
  const fail = (message: string) => {
    throw new UsageError(`Invalid ${flag}: ${message}.`, { code: 'BAD_PROPERTY' })
  }
  for (const [name, value] of [
    ['key.separator', keySeparator],
    ['headers.delimiter', headersDelimiter],
    ['headers.separator', headersSeparator],
    ['headers.key.separator', headersKeySeparator],
  ] as const) {
    if (value === '') fail(`${name} may not be empty`)
  }
  if (headersDelimiter === headersSeparator) fail('headers.delimiter and headers.separator may not be equal')
  if (headersDelimiter === headersKeySeparator) fail('headers.delimiter and headers.key.separator may not be equal')
  if (headersSeparator === headersKeySeparator) fail('headers.separator and headers.key.separator may not be equal')
  if (nullMarker !== undefined) {
    if (keySeparator === nullMarker) fail('null.marker and key.separator may not be equal')
    if (headersSeparator === nullMarker) fail('null.marker and headers.separator may not be equal')
    if (headersDelimiter === nullMarker) fail('null.marker and headers.delimiter may not be equal')
    if (headersKeySeparator === nullMarker) fail('null.marker and headers.key.separator may not be equal')
  }
  return {
    parseKey: booleanProperty(props, 'parse.key', false),
    keySeparator: Buffer.from(keySeparator),
    parseHeaders: booleanProperty(props, 'parse.headers', false),
    headersDelimiter: Buffer.from(headersDelimiter),
    headersSeparator: Buffer.from(headersSeparator),
    headersKeySeparator: Buffer.from(headersKeySeparator),
    ignoreError: booleanProperty(props, 'ignore.error', false),
    ...(nullMarker === undefined ? {} : { nullMarker: Buffer.from(nullMarker) }),
  }
}

/**
 * Kafka's LineMessageReader on bytes: "[headers<delimiter>][key<separator>]value". Working on bytes
 * rather than decoded text gives the same split for UTF-8 input (separators are UTF-8 too) and keeps
 * any other bytes exactly as they were.
 */
export class LineParser {
  constructor(private readonly options: LineReaderOptions) {}

  /** True when a line is the whole value: no key, no headers, so the bytes can be used as they are. */
  get plain(): boolean {
    return !this.options.parseKey && !this.options.parseHeaders && this.options.nullMarker === undefined
  }

  /** True when a line is at most a key and a value (no headers, no null marker): see keySeparatorIndex. */
  get simple(): boolean {
    return !this.options.parseHeaders && this.options.nullMarker === undefined
  }

  /**
   * Where the key separator starts in the line data[start, end), -1 when it has none; for `simple` readers
   * this is all of parse (key before it, value after it) without allocating anything.
   */
  keySeparatorIndex(data: Buffer, start: number, end: number): number {
    const separator = this.options.keySeparator
    if (separator.length === 1) {
      const byte = separator[0]!
      for (let i = start; i < end; i++) if (data[i] === byte) return i
      return -1
    }
    const index = data.subarray(start, end).indexOf(separator)
    return index === -1 ? -1 : start + index
  }

  parse(line: Buffer, lineNumber: number): OutgoingRecord {
    const o = this.options
    let offset = 0
    let headersPart: Buffer | undefined
    if (o.parseHeaders) {
      const index = line.indexOf(o.headersDelimiter)
      if (index === -1) {
        if (!o.ignoreError)
          throw new RecordParseError(
            `No headers delimiter found on line number ${lineNumber}: '${line.toString()}'`,
            lineNumber,
          )
      } else {
        headersPart = line.subarray(0, index)
        offset = index + o.headersDelimiter.length
      }
    }
    let key: Buffer | null = null
    if (o.parseKey) {
      const index = line.indexOf(o.keySeparator, offset)
      if (index === -1) {
        if (!o.ignoreError)
          throw new RecordParseError(
            `No key separator found on line number ${lineNumber}: '${line.toString()}'`,
            lineNumber,
          )
      } else {
        key = line.subarray(offset, index)
        offset = index + o.keySeparator.length
      }
    }
    const value = line.subarray(offset)
    return {
      key: this.nullable(key),
      value: this.nullable(value),
      headers: headersPart === undefined || this.isNull(headersPart) ? [] : this.splitHeaders(headersPart, lineNumber),
    }
  }

  private isNull(bytes: Buffer): boolean {
    return this.options.nullMarker !== undefined && bytes.equals(this.options.nullMarker)
  }

  private nullable(bytes: Buffer | null): Buffer | null {
    return bytes === null || this.isNull(bytes) ? null : bytes
  }

  private splitHeaders(part: Buffer, lineNumber: number): Header[] {
    const o = this.options
    const pairs: Buffer[] = []
    let start = 0
    for (;;) {
      const index = part.indexOf(o.headersSeparator, start)
      if (index === -1) {
        pairs.push(part.subarray(start))
        break
      }
      pairs.push(part.subarray(start, index))
      start = index + o.headersSeparator.length
    }
    // Java's String.split drops trailing empty pieces ("a:1," is one header); an empty section is no headers.
    while (pairs.length > 0 && pairs[pairs.length - 1]!.length === 0) pairs.pop()
    return pairs.map((pair) => {
      const index = pair.indexOf(o.headersKeySeparator)
      if (index === -1) {
        if (o.ignoreError) return { key: pair.toString(), value: null }
        throw new RecordParseError(
          `No header key separator found in pair '${pair.toString()}' on line number ${lineNumber}`,
          lineNumber,
        )
      }
      const key = pair.subarray(0, index)
      if (this.isNull(key)) {
        throw new RecordParseError(
          `Header keys should not be equal to the null marker '${o.nullMarker!.toString()}' as they can't be null (line number ${lineNumber})`,
          lineNumber,
        )
      }
      return { key: key.toString(), value: this.nullable(pair.subarray(index + o.headersKeySeparator.length)) }
    })
  }
}
