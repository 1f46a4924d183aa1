/**
 * Plain aligned tables like Kafka's own tools print (space separated, header row), so the output reads
 * the same as `kafka-consumer-groups.sh --describe` and is easy to cut/awk.
 */
export type Cell = string | number | boolean | null | undefined

export function renderTable(
  headers: string[],
  rows: Cell[][],
  options: { gap?: number; maxWidth?: number } = {},
): string {
  const gapWidth = options.gap ?? 2
  const gap = ' '.repeat(gapWidth)
  const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))))
  const natural = headers.map((h, i) => Math.max(visibleLength(h), ...text.map((r) => visibleLength(r[i] ?? ''))))
  const widths = fitWidths(
    natural,
    headers.map(visibleLength),
    options.maxWidth === undefined ? undefined : options.maxWidth - gapWidth * (headers.length - 1),
  )
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - visibleLength(c)))))
      .join(gap)
      .trimEnd()
  // A row whose cells were wrapped takes several lines; the other cells stay on its first line.
  const rowLines = (cells: string[]) => {
    const wrapped = cells.map((c, i) => (visibleLength(c) > widths[i]! ? wrapText(c, widths[i]!) : [c]))
    const height = Math.max(...wrapped.map((w) => w.length))
    return Array.from({ length: height }, (_, k) => line(wrapped.map((w) => w[k] ?? '')))
  }
  return [line(headers), ...text.flatMap(rowLines)].join('\n')
}

/**
 * Column widths within `total` (a terminal's width): the widest columns give way first, none below its header or 12
 * characters. Without a limit, or when the table fits, every column keeps its natural width.
 */
export function fitWidths(natural: number[], minimum: number[], total: number | undefined): number[] {
  const widths = [...natural]
  if (total === undefined) return widths
  const floor = widths.map((w, i) => Math.min(w, Math.max(minimum[i] ?? 0, 12)))
  let excess = widths.reduce((a, b) => a + b, 0) - total
  while (excess > 0) {
    let widest = -1
    for (let i = 0; i < widths.length; i++)
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i
    if (widest < 0) break
    widths[widest]!--
    excess--
  }
  return widths
}

/** Word wrap to `width` visible characters (words longer than that are cut). Plain text only: no colours inside. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = []
  let current = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length > 0;) {
      const room = current ? width - current.length - 1 : width
      if (rest.length <= room) {
        current = current ? `${current} ${rest}` : rest
        rest = ''
      } else if (current) {
        lines.push(current)
        current = ''
      } else {
        lines.push(rest.slice(0, width))
        rest = rest.slice(width)
      }
    }
  }
  if (current || lines.length === 0) lines.push(current)
  return lines
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
