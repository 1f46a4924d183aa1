/**
 * Reset plans as CSV in the format of `kafka-consumer-groups.sh --reset-offsets --export` and `--from-file`:
 * `topic,partition,offset` per line for one group, `group,topic,partition,offset` when several groups are involved.
 * No header line. Quoting follows the script's writer (Jackson's CsvMapper with default settings), see `field`.
 */
import { KafkitError, UsageError } from '../errors.js'

export interface CsvOffset {
  group: string
  topic: string
  partition: number
  offset: number
}

/**
 * Jackson's CsvEncoder quotes loosely by default (STRICT_CHECK_FOR_QUOTING is off): a string longer than 24 characters
 * (MAX_QUOTE_CHECK, counted in UTF-16 units like Java) is always quoted, and a shorter one as soon as it holds a character
 * below '-' (one above the highest of ',', '"' and '\n'): space, '!', '#', '&', '(', '+', tab... Quotes inside are doubled.
 * Numbers are never quoted. So `has space` and a 25-character topic name are quoted although no CSV reader needs it;
 * writing exactly this keeps `--export` byte-identical to the script's (checked against Kafka 3.9 and 4.4).
 */
const JACKSON_MAX_QUOTE_CHECK = 24
const JACKSON_MIN_SAFE_CHAR = Math.max(','.charCodeAt(0), '"'.charCodeAt(0), '\n'.charCodeAt(0)) + 1

function field(value: string | number): string {
  if (typeof value === 'number') return String(value)
  const needsQuotes =
    value.length > JACKSON_MAX_QUOTE_CHECK || [...value].some((c) => c.charCodeAt(0) < JACKSON_MIN_SAFE_CHAR)
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value
}

export function exportCsv(rows: CsvOffset[], withGroup: boolean): string {
  return rows
    .map(
      (r) =>
        (withGroup ? [r.group, r.topic, r.partition, r.offset] : [r.topic, r.partition, r.offset])
          .map(field)
          .join(',') + '\n',
    )
    .join('')
}

/** Splits one CSV line into fields (RFC 4180 quoting). Returns null for an unterminated quote. */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = []
  let current = ''
  let quoted = false
  let i = 0
  let fieldStart = true
  while (i < line.length) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"'
        i += 2
        continue
      }
      if (c === '"') {
        quoted = false
        i++
        continue
      }
      current += c
    } else if (c === '"' && fieldStart) {
      quoted = true
      fieldStart = false
    } else if (c === ',') {
      fields.push(current)
      current = ''
      fieldStart = true
      i++
      continue
    } else {
      current += c
      fieldStart = false
    }
    i++
  }
  if (quoted) return null
  fields.push(current)
  return fields
}

/**
 * Reads a plan. Three columns need exactly one group (`groups` from --group), four carry their own group, as the
 * script decides from the first line. `file` (the --from-file path) names the file in the offset refusal.
 */
export function parseCsv(text: string, groups: string[], file?: string): CsvOffset[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  const result: CsvOffset[] = []
  let columns: number | undefined
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    const bad = (why: string) =>
      new UsageError(`Invalid --from-file CSV at line ${index + 1}: ${why}.`, {
        code: 'BAD_CSV',
        suggestions: [
          'Each line is topic,partition,offset (one --group) or group,topic,partition,offset, as --export writes it.',
        ],
      })
    const fields = splitCsvLine(line)
    if (!fields) throw bad('unterminated quote')
    if (fields.length !== 3 && fields.length !== 4)
      throw bad(`expected 3 or 4 comma-separated fields, found ${fields.length}`)
    columns ??= fields.length
    if (fields.length !== columns) throw bad(`expected ${columns} fields like the first line, found ${fields.length}`)
    const [group, topic, partition, offset] = fields.length === 4 ? fields : [undefined, ...fields]
    if (fields.length === 3 && groups.length !== 1) {
      throw new UsageError(
        `The --from-file CSV has no group column, so it needs exactly one --group (got ${groups.length}).`,
        { code: 'BAD_CSV' },
      )
    }
    if (!topic) throw bad('empty topic')
    if (!/^\d+$/.test(partition!.trim())) throw bad(`partition "${partition}" is not a number`)
    result.push({
      group: group ?? groups[0]!,
      topic,
      partition: Number(partition),
      offset: planOffset(offset!, `${file ?? 'The --from-file CSV'} line ${index + 1}`),
    })
  })
  if (result.length === 0) throw new UsageError('The --from-file CSV is empty.', { code: 'BAD_CSV' })
  return result
}

/**
 * An offset of a plan. The script refuses the whole file for a negative offset ("Invalid negative offset", exit 1)
 * rather than clamping it to the log start as it clamps a too-low positive one: a negative offset is a broken plan,
 * not a position. kafkit refuses it the same way (exit 1, before connecting, so nothing is changed) and names the line;
 * a non-numeric offset is refused alike (the script fails on it too, though with a Jackson stack trace and exit 0).
 */
function planOffset(text: string, where: string): number {
  const value = text.trim()
  const refuse = (why: string) =>
    new KafkitError(`${where}: invalid offset "${text}" (${why})`, {
      code: 'BAD_CSV_OFFSET',
      suggestions: [
        'Fix or remove that line: nothing was changed. An offset is a position in the partition, 0 or more (too low ones are clamped to the log start).',
      ],
    })
  if (!/^\d+$/.test(value)) throw refuse('offsets must be non-negative integers')
  // Kafka's offsets are int64; beyond 2^53 a JavaScript number would silently round to another offset.
  if (!Number.isSafeInteger(Number(value))) throw refuse(`offsets above ${Number.MAX_SAFE_INTEGER} are not supported`)
  return Number(value)
}
