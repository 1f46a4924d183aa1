/**
 * Reset plans as CSV in the format of `kafka-consumer-groups.sh --reset-offsets --export` and `--from-file`:
 * `topic,partition,offset` per line for one group, `group,topic,partition,offset` when several groups are involved.
 * No header line. Fields are quoted only when they must be (the script's Jackson CSV writer does the same).
 */
import { UsageError } from '../errors.js'

export interface CsvOffset {
  group: string
  topic: string
  partition: number
  offset: number
}

function field(value: string | number): string {
  const text = String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function exportCsv(rows: CsvOffset[], withGroup: boolean): string {
  return rows.map((r) => (withGroup ? [r.group, r.topic, r.partition, r.offset] : [r.topic, r.partition, r.offset]).map(field).join(',') + '\n').join('')
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
      if (c === '"' && line[i + 1] === '"') { current += '"'; i += 2; continue }
      if (c === '"') { quoted = false; i++; continue }
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
 * script decides from the first line.
 */
export function parseCsv(text: string, groups: string[], source = '--from-file'): CsvOffset[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  const result: CsvOffset[] = []
  let columns: number | undefined
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    const bad = (why: string) => new UsageError(`Invalid ${source} CSV at line ${index + 1}: ${why}.`, {
      code: 'BAD_CSV',
      suggestions: ['Each line is topic,partition,offset (one --group) or group,topic,partition,offset, as --export writes it.'],
    })
    const fields = splitCsvLine(line)
    if (!fields) throw bad('unterminated quote')
    if (fields.length !== 3 && fields.length !== 4) throw bad(`expected 3 or 4 comma-separated fields, found ${fields.length}`)
    columns ??= fields.length
    if (fields.length !== columns) throw bad(`expected ${columns} fields like the first line, found ${fields.length}`)
    const [group, topic, partition, offset] = fields.length === 4 ? fields : [undefined, ...fields]
    if (fields.length === 3 && groups.length !== 1) {
      throw new UsageError(`The ${source} CSV has no group column, so it needs exactly one --group (got ${groups.length}).`, { code: 'BAD_CSV' })
    }
    if (!topic) throw bad('empty topic')
    if (!/^\d+$/.test(partition!.trim())) throw bad(`partition "${partition}" is not a number`)
    if (!/^-?\d+$/.test(offset!.trim())) throw bad(`offset "${offset}" is not a number`)
    result.push({ group: group ?? groups[0]!, topic, partition: Number(partition), offset: Number(offset) })
  })
  if (result.length === 0) throw new UsageError(`The ${source} CSV is empty.`, { code: 'BAD_CSV' })
  return result
}
