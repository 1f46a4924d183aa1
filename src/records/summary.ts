/** The one-line summaries the console tools print to stderr (on a terminal, or with --stats). */

const number = (n: number) => n.toLocaleString('en-US')

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`
}

function rate(count: number, bytes: number, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs, 1) / 1000
  return `${number(Math.round(count / seconds))} records/s, ${formatBytes(Math.round(bytes / seconds))}/s`
}

export function formatProduceSummary(r: {
  topic: string
  records: number
  acknowledged: number
  failed: number
  notSent: number
  bytes: number
  elapsedMs: number
}): string {
  const problems = [
    r.failed > 0 ? `${number(r.failed)} failed` : '',
    r.notSent > 0 ? `${number(r.notSent)} not sent` : '',
  ].filter(Boolean)
  return (
    `Produced ${number(r.acknowledged)} of ${number(r.records)} records (${formatBytes(r.bytes)}) to ${r.topic} in ${(r.elapsedMs / 1000).toFixed(1)} s: ` +
    `${rate(r.acknowledged, r.bytes, r.elapsedMs)}${problems.length ? `; ${problems.join(', ')}` : ''}`
  )
}

export function formatConsumeSummary(r: { records: number; bytes: number; elapsedMs: number; reason: string }): string {
  return `Consumed ${number(r.records)} records (${formatBytes(r.bytes)}) in ${(r.elapsedMs / 1000).toFixed(1)} s: ${rate(r.records, r.bytes, r.elapsedMs)} (${r.reason})`
}

/** What a consumer cut short by a second Ctrl-C had done: records printed and, with a group, how far it committed. */
export function formatConsumeProgress(r: {
  records: number
  group?: string
  committed?: Array<{ topic: string; partition: number; offset: string }>
}): string {
  const printed = `${number(r.records)} record(s) printed`
  if (r.group === undefined) return printed
  const committed = r.committed ?? []
  if (committed.length === 0) return `${printed}, no offset committed by this run`
  const shown = committed
    .slice(0, 3)
    .map((c) => `${c.topic}-${c.partition} at ${c.offset}`)
    .join(', ')
  return `${printed}, offsets committed up to ${shown}${committed.length > 3 ? ` and ${committed.length - 3} more partition(s)` : ''}`
}

/** What a producer cut short by a second Ctrl-C leaves undelivered, and the input line to resend from. */
export function formatProduceProgress(r: {
  records: number
  acknowledged: number
  failed: number
  notSent: number
  firstUnacknowledgedLine?: number
}): string {
  const text = `${number(r.acknowledged)} of ${number(r.records)} record(s) acknowledged, ${number(r.notSent)} abandoned${r.failed > 0 ? `, ${number(r.failed)} failed` : ''}`
  return r.firstUnacknowledgedLine === undefined || r.notSent + r.failed === 0
    ? text
    : `${text}; resend from input line ${r.firstUnacknowledgedLine}`
}
