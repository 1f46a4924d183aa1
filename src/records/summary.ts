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

export function formatProduceSummary(r: { topic: string; records: number; acknowledged: number; failed: number; notSent: number; bytes: number; elapsedMs: number }): string {
  const problems = [r.failed > 0 ? `${number(r.failed)} failed` : '', r.notSent > 0 ? `${number(r.notSent)} not sent` : ''].filter(Boolean)
  return `Produced ${number(r.acknowledged)} of ${number(r.records)} records (${formatBytes(r.bytes)}) to ${r.topic} in ${(r.elapsedMs / 1000).toFixed(1)} s: ` +
    `${rate(r.acknowledged, r.bytes, r.elapsedMs)}${problems.length ? `; ${problems.join(', ')}` : ''}`
}

export function formatConsumeSummary(r: { records: number; bytes: number; elapsedMs: number; reason: string }): string {
  return `Consumed ${number(r.records)} records (${formatBytes(r.bytes)}) in ${(r.elapsedMs / 1000).toFixed(1)} s: ${rate(r.records, r.bytes, r.elapsedMs)} (${r.reason})`
}
