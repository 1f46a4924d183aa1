/**
 * The live-lag screen on a terminal: every frame fits the terminal (lines and columns), the largest lag comes first,
 * what does not fit is folded into one line, no word is cut, and the alternate screen is entered, redrawn on resize and
 * left again.
 */
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { describe, it } from 'node:test'
import { layoutLagFrame, type ScreenSize } from '../../src/groups/lag-layout.js'
import { LagScreen } from '../../src/groups/screen.js'
import { renderLagFrame } from '../../src/groups/views.js'
import { lagFrame, type LagFrame, type Sample } from '../../src/groups/watch.js'

interface GroupSpec {
  group: string
  topic: string
  partitions: number
  lag: (p: number) => number
  members?: number
}

/**
 * Two samples 2 s apart: the committed offsets stand still while 10 records per partition arrive, so every partition
 * with lag is `falling-behind` (the longest status word); members join between them (long event lines).
 */
function frameOf(specs: GroupSpec[]): LagFrame {
  const sample = (time: number, grown: number): Sample => ({
    time,
    groups: specs.map((s) => ({
      group: s.group,
      state: 'Stable',
      members: Array.from({ length: time === 0 ? 0 : (s.members ?? 1) }, (_, i) => ({
        memberId: `${s.group}-consumer-${i}-3f6c2a4e-9b1d-4c8e-a0f2-7d5e1b9c3a68`,
        clientId: `${s.group}-client-${i}`,
        host: `/10.20.30.${40 + i}`,
      })),
      partitions: new Map(
        Array.from({ length: s.partitions }, (_, p) => {
          const end = 1_000_000 + grown
          return [`${s.topic}:${p}`, { topic: s.topic, partition: p, committed: end - grown - s.lag(p), end, start: 0 }]
        }),
      ),
    })),
  })
  return lagFrame([sample(0, 0), sample(2000, 10)], 10_000)
}

const eventsOf = (frame: LagFrame) =>
  new Map(frame.groups.map((g) => [g.group, g.events.map((e) => `${e.time.slice(11, 19)} ${e.message}`)]))

// Alphabetical order is the opposite of lag order, so sorting shows.
const MANY = frameOf(
  Array.from({ length: 8 }, (_, i) => ({
    group: `group-${String.fromCharCode(97 + i)}-payments-service`,
    topic: `payments-events-${i}`,
    partitions: 6,
    lag: (p: number) => (i + 1) * 1000 + p * 7,
  })),
)
const ONE_BIG = frameOf([
  { group: 'orders-app', topic: 'orders', partitions: 40, lag: (p) => (p % 2 === 0 ? 10 * p : 5) },
])
const HUGE = frameOf([
  { group: 'events-sink', topic: 'clickstream', partitions: 120, lag: (p) => (p * 37) % 1000 },
  { group: 'audit', topic: 'audit-log', partitions: 3, lag: () => 1 },
])
const FEW = frameOf([
  { group: 'small-app', topic: 'clicks', partitions: 2, lag: (p) => p * 3 },
  { group: 'big-app', topic: 'views', partitions: 1, lag: () => 500 },
])

const SIZES: ScreenSize[] = [
  { columns: 80, rows: 15 },
  { columns: 80, rows: 24 },
  { columns: 160, rows: 45 },
]

// [name, frame, the fold line expected at 80x15, 80x24, 160x45 (null: everything fits)]
const CASES: Array<[string, LagFrame, Array<RegExp | null>]> = [
  ['8 groups of 6 partitions', MANY, [/^ {2}… \d more partitions$/m, null, null]],
  ['one group of 40 partitions', ONE_BIG, [/^ {2}… 29 more partitions$/m, /^ {2}… 20 more partitions$/m, null]],
  [
    'a group of 120 partitions and a small one',
    HUGE,
    [/^ {2}… 1\d\d more partitions$/m, /^ {2}… 1\d\d more partitions$/m, /^ {2}… \d\d more partitions$/m],
  ],
  ['two small groups', FEW, [null, null, null]],
]

/** Every word that may appear on a screen: the words of the unlimited frame, and the short forms and fold lines. */
function allowedWords(frame: LagFrame): Set<string> {
  const words = new Set(renderLagFrame(frame, { intervalMs: 2000, recentEvents: eventsOf(frame) }).split(/\s+/))
  for (const w of ['done', 'steady', 'behind', '…', 'more', 'group', 'groups', 'partition', 'partitions']) words.add(w)
  return words
}

describe('live lag layout (frame + terminal size -> lines)', () => {
  for (const [name, frame, folds] of CASES) {
    SIZES.forEach((size, i) => {
      it(`${name} at ${size.columns}x${size.rows}`, () => {
        const lines = layoutLagFrame(frame, size, { intervalMs: 2000, recentEvents: eventsOf(frame) })
        const text = lines.join('\n')
        assert.ok(lines.length <= size.rows, `${lines.length} lines on ${size.rows} rows:\n${text}`)
        for (const line of lines) assert.ok(line.length <= size.columns, `${line.length} > ${size.columns}: ${line}`)
        assert.match(lines[0]!, /^kafkit lag\b/)
        // The largest lag first: the first group line is the group with the largest total lag, and its first row is
        // its partition with the largest lag.
        const largest = [...frame.groups].sort((a, b) => b.totalLag - a.totalLag)[0]!
        const firstGroup = lines.find((l) => l.startsWith('GROUP '))!
        assert.ok(firstGroup.startsWith(`GROUP ${largest.group} `), firstGroup)
        const top = [...largest.partitions].sort((a, b) => b.lag! - a.lag!)[0]!
        const firstRow = lines[lines.indexOf(firstGroup) + 2]!
        assert.match(firstRow, new RegExp(`^${top.topic}\\s+${top.partition}\\s`), text)
        const fold = folds[i]
        if (fold) assert.match(text, fold)
        else assert.doesNotMatch(text, /… \d+ more/)
        // No cell cut mid-word (the newcomer saw `falling behin`): every word is a whole word of the full frame.
        const allowed = allowedWords(frame)
        for (const word of text.split(/\s+/).filter(Boolean)) {
          assert.ok(
            allowed.has(word) || /^\d+$/.test(word) || /^\(\+\d+\)$/.test(word),
            `cut word "${word}" in:\n${text}`,
          )
        }
      })
    })
  }

  it('folds groups that do not fit into one line', () => {
    const frame = frameOf(
      Array.from({ length: 30 }, (_, i) => ({
        group: `g${String(i).padStart(2, '0')}`,
        topic: 't',
        partitions: 1,
        lag: () => i,
      })),
    )
    const lines = layoutLagFrame(frame, { columns: 80, rows: 15 }, { intervalMs: 2000, recentEvents: new Map() })
    assert.equal(lines.length, 15)
    assert.equal(lines.at(-1), '… 17 more groups')
    assert.match(lines[1]!, /^GROUP g29 /)
  })

  it('narrow layouts drop columns and use short status words rather than cut them', () => {
    const narrow = layoutLagFrame(MANY, { columns: 80, rows: 15 }, { intervalMs: 2000, recentEvents: new Map() }).join(
      '\n',
    )
    const wide = layoutLagFrame(MANY, { columns: 160, rows: 45 }, { intervalMs: 2000, recentEvents: new Map() }).join(
      '\n',
    )
    assert.match(wide, /^TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG\s+PRODUCE\/s\s+CONSUME\/s\s+ETA$/m)
    assert.match(wide, /falling behind$/m)
    assert.doesNotMatch(narrow, /COMMITTED|falling/)
    assert.match(narrow, /\bbehind$/m)
  })

  it('keeps the header on a screen too small for anything else', () => {
    assert.deepEqual(
      layoutLagFrame(MANY, { columns: 80, rows: 1 }, { intervalMs: 2000, recentEvents: new Map() }).length,
      1,
    )
    const two = layoutLagFrame(MANY, { columns: 40, rows: 2 }, { intervalMs: 2000, recentEvents: new Map() })
    assert.match(two[0]!, /^kafkit lag/)
    assert.ok(
      two.every((l) => l.length <= 40),
      two.join('\n'),
    )
  })
})

/** A stand-in for process.stdout on a terminal: size, 'resize' events and everything written. */
class FakeTerminal extends EventEmitter {
  isTTY = true
  written = ''
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super()
  }
  write(chunk: string): boolean {
    this.written += chunk
    return true
  }
}

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '')

describe('LagScreen on a terminal', () => {
  it('draws on the alternate screen within the size, redraws at once on resize, and gives the screen back', () => {
    const terminal = new FakeTerminal(80, 15)
    const screen = new LagScreen(terminal as unknown as NodeJS.WriteStream, { intervalMs: 2000, json: false })
    screen.show(MANY)
    screen.show(MANY)
    assert.ok(terminal.written.startsWith('\u001B[?1049h'), JSON.stringify(terminal.written.slice(0, 40)))
    const frames = terminal.written.split('\u001B[H').slice(1)
    assert.equal(frames.length, 2)
    for (const frame of frames) {
      const lines = plain(frame).split('\n')
      assert.ok(lines.length <= 15, `${lines.length} lines`)
      assert.ok(
        lines.every((l) => l.length <= 80),
        lines.join('\n'),
      )
    }
    terminal.written = ''
    terminal.columns = 160
    terminal.rows = 45
    terminal.emit('resize')
    assert.match(plain(terminal.written), /COMMITTED/)
    terminal.written = ''
    screen.close()
    assert.ok(terminal.written.endsWith('\u001B[?1049l'), JSON.stringify(terminal.written))
    assert.equal(terminal.listenerCount('resize'), 0)
    screen.close()
    assert.ok(
      terminal.written.endsWith('\u001B[?1049l') && terminal.written.split('\u001B[?1049l').length === 2,
      'left once',
    )
  })

  it('without a terminal prints one JSON line per frame, exactly the frame', () => {
    const pipe = new FakeTerminal(80, 15)
    pipe.isTTY = false
    const screen = new LagScreen(pipe as unknown as NodeJS.WriteStream, { intervalMs: 2000, json: false })
    screen.show(FEW)
    screen.close()
    assert.equal(pipe.written, `${JSON.stringify(FEW)}\n`)
  })
})
