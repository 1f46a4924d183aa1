/**
 * The live-lag screen as a pure function: a frame and a terminal size in, at most `rows` lines of at most `columns`
 * visible characters out. What matters most survives a small terminal: the header, then groups and partitions by lag
 * (largest first); what does not fit is folded into one line (`… 6 more groups`). Cells are never cut mid-word: a
 * narrow layout drops columns and uses short status words instead.
 */
import { formatDuration, renderTable, visibleLength, type Cell } from '../output/table.js'
import type { GroupLag, LagFrame, PartitionLag } from './watch.js'

export interface ScreenSize {
  columns: number
  rows: number
}

export interface LagLayoutOptions {
  intervalMs: number
  /** Recent events per group, oldest first, already formatted (`12:00:02 member joined: ...`). */
  recentEvents: Map<string, string[]>
}

const formatRate = (r: number | null) => (r === null ? null : r >= 100 ? r.toFixed(0) : r.toFixed(1))

/** Status words in a table cell or a summary; `short` for narrow layouts (no word is cut: a shorter word is used). */
function etaText(status: string, eta: number | null, short = false): string {
  switch (status) {
    case 'caught-up':
      return short ? 'done' : 'caught up'
    // No estimate (some partition's end offset unknown) is shown as unknown, never as a too-small number.
    case 'catching-up':
      return eta === null ? '-' : formatDuration(eta * 1000)
    case 'keeping-up':
      return short ? 'steady' : 'keeping up'
    case 'falling-behind':
      return short ? 'behind' : 'falling behind'
    case 'stalled':
      return 'stalled'
    case 'no-commit':
      return '-'
    default:
      return '...'
  }
}

/** Largest lag first; a group's uncommitted records count after its lag; ties by name so frames do not jump. */
function groupsByLag(groups: GroupLag[]): GroupLag[] {
  return [...groups].sort(
    (a, b) =>
      b.totalLag - a.totalLag ||
      b.uncommittedRecords - a.uncommittedRecords ||
      (a.group < b.group ? -1 : a.group > b.group ? 1 : 0),
  )
}

/** Largest lag first; partitions with nothing committed (no lag to rank) last; ties in topic-partition order. */
function partitionsByLag(partitions: PartitionLag[]): PartitionLag[] {
  return [...partitions].sort(
    (a, b) =>
      (b.lag ?? -1) - (a.lag ?? -1) || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition),
  )
}

/**
 * Whole words of `text` within `width`, followed by ` …` when some were left out. A single word longer than the width
 * (a very long group name) is the one case that must be shortened inside: its middle becomes `…`.
 */
function fitWords(text: string, width: number): string {
  if (visibleLength(text) <= width) return text
  const words = text.split(' ')
  for (let n = words.length - 1; n > 0; n--) {
    const kept = `${words.slice(0, n).join(' ').trimEnd()} …`
    if (kept.length <= width) return kept
  }
  return shortenMiddle(text, width)
}

function shortenMiddle(text: string, width: number): string {
  if (text.length <= width) return text
  if (width <= 1) return '…'.slice(0, Math.max(0, width))
  const head = Math.ceil((width - 1) / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`
}

function headerLine(frame: LagFrame, options: LagLayoutOptions, width: number): string {
  const time = frame.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
  const every = formatDuration(options.intervalMs)
  const candidates = [
    `kafkit lag  every ${every}  ${time}  (Ctrl-C to stop)`,
    `kafkit lag  every ${every}  ${time}`,
    `kafkit lag  ${time.slice(11)}`,
    `kafkit lag`,
  ]
  return candidates.find((c) => c.length <= width) ?? fitWords(candidates.at(-1)!, width)
}

/**
 * The group's summary line, from the full one down to the name and the lag: the least useful parts go first
 * (rates, members, state), then the status gets its short word.
 */
function summaryLine(g: GroupLag, width: number): string {
  const uncommitted = (short: boolean) =>
    g.uncommittedRecords > 0 ? ` (+${g.uncommittedRecords}${short ? '' : ' uncommitted'})` : ''
  const parts = (level: number) => {
    const short = level >= 2
    return [
      `GROUP ${g.group}`,
      level < 4 ? `state ${g.state}` : '',
      level < 3 ? `members ${g.members.length}` : '',
      `lag ${g.totalLag}${uncommitted(level >= 1)}`,
      level < 1 ? `produce ${formatRate(g.produceRate) ?? '-'}/s` : '',
      level < 1 ? `consume ${formatRate(g.consumeRate) ?? '-'}/s` : '',
      `eta ${etaText(g.status, g.etaSeconds, short)}`,
    ]
      .filter(Boolean)
      .join('  ')
  }
  for (let level = 0; level <= 4; level++) {
    const line = parts(level)
    if (line.length <= width) return line
  }
  return fitWords(parts(4), width)
}

interface Column {
  header: string
  cell: (p: PartitionLag, short: boolean) => Cell
}

const COLUMNS: Record<string, Column> = {
  topic: { header: 'TOPIC', cell: (p) => p.topic },
  partition: { header: 'PARTITION', cell: (p) => p.partition },
  committed: { header: 'COMMITTED', cell: (p) => p.committed },
  end: { header: 'END', cell: (p) => p.end },
  lag: { header: 'LAG', cell: (p) => p.lag },
  produce: { header: 'PRODUCE/s', cell: (p) => formatRate(p.produceRate) },
  consume: { header: 'CONSUME/s', cell: (p) => formatRate(p.consumeRate) },
  eta: { header: 'ETA', cell: (p, short) => etaText(p.status, p.etaSeconds, short) },
}

/** Table layouts from the widest to the narrowest: first the status words get short, then offsets, then rates go. */
const TABLE_LAYOUTS: Array<{ columns: string[]; short: boolean }> = [
  { columns: ['topic', 'partition', 'committed', 'end', 'lag', 'produce', 'consume', 'eta'], short: false },
  { columns: ['topic', 'partition', 'committed', 'end', 'lag', 'produce', 'consume', 'eta'], short: true },
  { columns: ['topic', 'partition', 'lag', 'produce', 'consume', 'eta'], short: true },
  { columns: ['topic', 'partition', 'lag', 'eta'], short: true },
  { columns: ['topic', 'partition', 'lag'], short: true },
]

function table(partitions: PartitionLag[], columns: string[], short: boolean, topicWidth?: number): string[] {
  const cols = columns.map((c) => COLUMNS[c]!)
  const rows = partitions.map((p) =>
    cols.map((c, i) => {
      const cell = c.cell(p, short)
      return topicWidth !== undefined && columns[i] === 'topic' ? shortenMiddle(String(cell), topicWidth) : cell
    }),
  )
  return renderTable(
    cols.map((c) => c.header),
    rows,
  ).split('\n')
}

/** The widest table layout whose every line fits; the same layout for every group, so the columns read alike. */
function chooseTable(groups: GroupLag[], width: number): (partitions: PartitionLag[]) => string[] {
  const all = groups.flatMap((g) => g.partitions)
  for (const layout of TABLE_LAYOUTS) {
    if (table(all, layout.columns, layout.short).every((l) => l.length <= width))
      return (ps) => table(ps, layout.columns, layout.short)
  }
  // Even TOPIC PARTITION LAG is too wide: a topic name longer than the screen. Only then is a name shortened (…).
  const last = TABLE_LAYOUTS.at(-1)!
  const others = table(
    all.map((p) => ({ ...p, topic: '' })),
    last.columns,
    true,
  )
  const room = Math.max(5, width - Math.max(...others.map((l) => l.length)) - 1)
  return (ps) => table(ps, last.columns, true, room).map((l) => fitWords(l, width))
}

const more = (n: number, what: string) => `… ${n} more ${what}${n === 1 ? '' : 's'}`

/** One screen of `kafkit lag`: at most `size.rows` lines, none longer than `size.columns`. */
export function layoutLagFrame(frame: LagFrame, size: ScreenSize, options: LagLayoutOptions): string[] {
  const width = Math.max(1, size.columns)
  const rows = Math.max(1, size.rows)
  const header = headerLine(frame, options, width)
  const fit = (lines: string[]) => lines.slice(0, rows).map((l) => (l.length <= width ? l : fitWords(l, width)))
  if (frame.groups.length === 0) return fit([header, '', 'No consumer groups.'])
  const groups = groupsByLag(frame.groups)
  const tableOf = chooseTable(groups, width)
  const eventsOf = (g: GroupLag) => (options.recentEvents.get(g.group) ?? []).map((e) => fitWords(`  ${e}`, width))
  const full = (g: GroupLag, events: boolean) => {
    const partitions = partitionsByLag(g.partitions)
    return [
      summaryLine(g, width),
      ...(partitions.length > 0 ? tableOf(partitions) : []),
      ...(events ? eventsOf(g) : []),
    ]
  }

  // Everything fits: as roomy as it can be (a blank line between groups, events), else without the blank lines and
  // events, before anything is folded away.
  for (const [gap, events] of [
    [true, true],
    [false, true],
    [false, false],
  ] as const) {
    const lines = [header, ...groups.flatMap((g) => [...(gap ? [''] : []), ...full(g, events)])]
    if (lines.length <= rows) return fit(lines)
  }

  // Not everything fits: groups in lag order, each with as many of its partitions as fit; the rest folded.
  const lines = [header]
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!
    const later = groups.length - i - 1
    // A line stays free for `… N more groups` while later groups are still waiting.
    const left = rows - lines.length - (later > 0 ? 1 : 0)
    if (left < 1) {
      if (lines.length < rows) lines.push(more(groups.length - i, 'group'))
      break
    }
    lines.push(summaryLine(g, width))
    const partitions = partitionsByLag(g.partitions)
    // A table needs its header and at least one row; partitions shown share the room with the groups still to come.
    const room = left - 1 - later
    if (partitions.length === 0 || room < 2) continue
    if (partitions.length + 1 <= room) {
      lines.push(...tableOf(partitions))
    } else {
      const shown = partitions.slice(0, room - 2)
      if (shown.length > 0) lines.push(...tableOf(shown))
      lines.push(`  ${more(partitions.length - shown.length, 'partition')}`)
    }
  }
  return fit(lines)
}
