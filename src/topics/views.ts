/** Text for the results of topics --create/--delete/--alter: a sentence for one topic, a table for several. Pure. */
import { renderTable } from '../output/table.js'

interface OperationRow {
  topic: string
  status: string
  partitions?: number
  previousPartitions?: number
  error?: string
}

const verbs: Record<string, string> = { created: 'Created', deleted: 'Deleted', altered: 'Altered' }

export function renderOperationResults(rows: OperationRow[]): string[] {
  if (rows.length === 1) {
    const row = rows[0]!
    if (row.status === 'failed') return []
    if (row.status === 'exists') return []
    if (row.status === 'altered')
      return [`Altered topic ${row.topic}: ${row.previousPartitions} -> ${row.partitions} partitions.`]
    // "Created topic x." is kafka-topics.sh's own line; scripts grep for it.
    return [`${verbs[row.status] ?? row.status} topic ${row.topic}.`]
  }
  if (rows.length === 0) return []
  return renderTable(
    ['TOPIC', 'STATUS', 'DETAIL'],
    rows.map((r) => [r.topic, r.status, detail(r)]),
  ).split('\n')
}

function detail(row: OperationRow): string {
  if (row.error) return row.error
  if (row.status === 'altered') return `${row.previousPartitions} -> ${row.partitions} partitions`
  return ''
}
