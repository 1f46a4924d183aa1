/**
 * Plain aligned tables like Kafka's own tools print (space separated, header row), so the output reads
 * the same as `kafka-consumer-groups.sh --describe` and is easy to cut/awk.
 */
export type Cell = string | number | boolean | null | undefined

export function renderTable(headers: string[], rows: Cell[][], options: { gap?: number } = {}): string {
  const gap = ' '.repeat(options.gap ?? 2)
  const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))))
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...text.map((r) => visibleLength(r[i] ?? ''))))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
      .join(gap)
      .trimEnd()
  return [line(headers), ...text.map(line)].join('\n')
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}
