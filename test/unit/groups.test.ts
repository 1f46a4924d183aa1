import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ExitCode } from '../../src/errors.js'
import {
  backupLocation,
  latestBackup,
  listBackups,
  markUndone,
  writeBackup,
  type OffsetBackup,
} from '../../src/groups/backup.js'
import { exportCsv, parseCsv, splitCsvLine } from '../../src/groups/csv.js'
import { lagByTopic, lagOf, offsetRows, stateNotice, totalLag } from '../../src/groups/lag.js'
import {
  clamp,
  modeFromFlags,
  parseTopicScopes,
  planReset,
  resolveScopes,
  type ResetMode,
} from '../../src/groups/reset.js'
import {
  activeGroupError,
  checkGroupsFilter,
  matchesGroupsFilter,
  parseStates,
  parseTypes,
  type GroupsFilter,
} from '../../src/groups/service.js'
import { parseDateTime, parseIsoDuration } from '../../src/groups/time.js'
import type { GroupDescription, GroupListing, LogOffsets } from '../../src/model/groups.js'
import {
  assignmentString,
  renderAllGroups,
  renderDescribe,
  renderLagFrame,
  renderList,
  renderResetCsv,
} from '../../src/groups/views.js'
import { groupEvents, lagFrame, status, trimHistory, type Sample } from '../../src/groups/watch.js'

const log = (entries: Array<[string, number, number]>): LogOffsets =>
  new Map(entries.map(([k, start, end]) => [k, { start, end }]))

describe('lagOf', () => {
  const cases: Array<[number | null, number | null, number | null, string]> = [
    [5, 10, 5, 'end minus committed'],
    [10, 10, 0, 'caught up'],
    [12, 10, 0, 'commit above the end (topic recreated, records deleted) is 0, never negative'],
    [null, 10, null, 'nothing committed: unknown, not 0'],
    [-1, 10, null, 'Kafka\'s "no offset" marker'],
    [3, null, null, 'end unknown (no leader)'],
  ]
  for (const [committed, end, expected, why] of cases) it(why, () => assert.equal(lagOf(committed, end), expected))
})

describe('offsetRows', () => {
  const description: GroupDescription = {
    group: 'g',
    state: 'Stable',
    type: 'classic',
    protocolType: 'consumer',
    assignmentStrategy: 'range',
    members: [
      { memberId: 'small', clientId: 'c1', host: '/h1', assignment: [{ topic: 't', partition: 2 }] },
      {
        memberId: 'big',
        clientId: 'c2',
        host: '/h2',
        assignment: [
          { topic: 't', partition: 1 },
          { topic: 't', partition: 0 },
        ],
      },
      { memberId: 'idle', clientId: 'c3', host: '/h3', assignment: [] },
    ],
  }
  const committed = new Map([
    ['t:0', 4],
    ['t:2', 9],
    ['u:0', 1],
  ])
  const rows = offsetRows(
    description,
    committed,
    log([
      ['t:0', 0, 10],
      ['t:1', 0, 5],
      ['t:2', 3, 8],
      ['u:0', 0, 7],
    ]),
  )
  it('orders members by assignment size, then partitions, then unassigned commits', () => {
    assert.deepEqual(
      rows.map((r) => `${r.topic}-${r.partition}:${r.consumerId ?? '-'}`),
      ['t-0:big', 't-1:big', 't-2:small', 'u-0:-'],
    )
  })
  it('shows null (printed -) for a partition without a commit, and clamps negative lag', () => {
    assert.equal(rows[1]!.currentOffset, null)
    assert.equal(rows[1]!.lag, null)
    assert.equal(rows[2]!.lag, 0)
  })
  it('totals lag overall and per topic, counting partitions without a commit separately', () => {
    assert.equal(totalLag(rows), 6 + 0 + 6)
    assert.deepEqual(lagByTopic(rows), [
      { topic: 't', lag: 6, partitions: 3, uncommitted: 1 },
      { topic: 'u', lag: 6, partitions: 1, uncommitted: 0 },
    ])
  })
  it('renders - for missing values and the total', () => {
    const text = renderDescribe(
      {
        view: 'offsets',
        verbose: false,
        groups: [
          {
            group: 'g',
            state: 'Stable',
            type: 'classic',
            exists: true,
            protocolType: 'consumer',
            assignmentStrategy: 'range',
            members: [],
            partitions: rows,
            totalLag: 12,
            topics: lagByTopic(rows),
          },
        ],
      },
      { byTopic: true },
    )
    const line = text.split('\n').find((l) => l.startsWith('g') && l.includes(' 1 '))!
    assert.match(line, /^g\s+t\s+1\s+-\s+5\s+-\s+big/)
    assert.match(text, /TOTAL LAG {2}12/)
    assert.match(text, /^u\s+6\s+1\s+0$/m)
  })
})

describe('stateNotice', () => {
  const cases: Array<[string, RegExp | null]> = [
    ['Empty', /has no active members/],
    ['Dead', /does not exist/],
    ['PreparingRebalance', /is rebalancing/],
    ['CompletingRebalance', /is rebalancing/],
    ['Stable', null],
  ]
  for (const [state, expected] of cases) {
    it(state, () => {
      const notice = stateNotice('g', state)
      if (expected === null) assert.equal(notice, null)
      else assert.match(notice!.message, expected)
    })
  }
})

describe('parseIsoDuration', () => {
  const cases: Array<[string, number]> = [
    ['PT30M', 30 * 60_000],
    ['PT1H30M', 90 * 60_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT0.5S', 500],
    ['PT10S', 10_000],
    ['pt2h', 7_200_000],
    ['-PT1M', -60_000],
    ['PT-1M', -60_000],
  ]
  for (const [input, ms] of cases) it(`${input} = ${ms}ms`, () => assert.equal(parseIsoDuration(input), ms))
  for (const bad of ['P', 'PT', '30m', 'P1H', 'PT1D', '1 day', 'P1Y', '']) {
    it(`rejects ${JSON.stringify(bad)} with a usage error`, () =>
      assert.throws(
        () => parseIsoDuration(bad),
        (e: any) => e.exitCode === ExitCode.usage && /PnDTnHnMnS/.test(e.message),
      ))
  }
})

describe('parseDateTime', () => {
  const cases: Array<[string, string]> = [
    ['2024-05-01T12:00:00.000', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T12:00:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T12:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T12:00:00.5Z', '2024-05-01T12:00:00.500Z'],
    ['2024-05-01T14:00:00.000+02:00', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T07:30:00.000-0430', '2024-05-01T12:00:00.000Z'],
    ['2024-05-01T13:00:00.000+01', '2024-05-01T12:00:00.000Z'],
  ]
  for (const [input, iso] of cases)
    it(`${input} (no zone = UTC, as the script)`, () => assert.equal(new Date(parseDateTime(input)).toISOString(), iso))
  for (const bad of ['2024-05-01', 'yesterday', '2024-02-30T00:00:00', '2024-05-01T25:00:00', '2024/05/01T12:00:00']) {
    it(`rejects ${bad}`, () =>
      assert.throws(
        () => parseDateTime(bad),
        (e: any) => e.exitCode === ExitCode.usage && /--to-datetime/.test(e.message),
      ))
  }
  // Kafka's script reads the fraction as a count of milliseconds (SimpleDateFormat "SSS"): kafkit keeps ISO and warns.
  const fractions: Array<[string, string, string | null]> = [
    [
      '2026-11-29T10:00:00.5',
      '2026-11-29T10:00:00.500Z',
      '--to-datetime 2026-11-29T10:00:00.5: kafkit reads the fraction as .500 s (ISO 8601); kafka-consumer-groups.sh reads it as 5 ms. Write three digits to be unambiguous.',
    ],
    [
      '2026-11-29T10:00:00.05Z',
      '2026-11-29T10:00:00.050Z',
      '--to-datetime 2026-11-29T10:00:00.05Z: kafkit reads the fraction as .050 s (ISO 8601); kafka-consumer-groups.sh reads it as 5 ms. Write three digits to be unambiguous.',
    ],
    [
      '2026-11-29T12:00:00.50+02:00',
      '2026-11-29T10:00:00.500Z',
      '--to-datetime 2026-11-29T12:00:00.50+02:00: kafkit reads the fraction as .500 s (ISO 8601); kafka-consumer-groups.sh reads it as 50 ms. Write three digits to be unambiguous.',
    ],
    ['2026-11-29T10:00:00.005', '2026-11-29T10:00:00.005Z', null],
    ['2026-11-29T10:00:00.500', '2026-11-29T10:00:00.500Z', null],
    ['2026-11-29T10:00:00', '2026-11-29T10:00:00.000Z', null],
    ['2026-11-29T10:00', '2026-11-29T10:00:00.000Z', null],
  ]
  for (const [input, iso, warning] of fractions) {
    it(`${input}: ${warning ? 'warns how Kafka reads the fraction' : 'no warning'}`, () => {
      const warnings: string[] = []
      assert.equal(new Date(parseDateTime(input, (w) => warnings.push(w))).toISOString(), iso)
      assert.deepEqual(warnings, warning ? [warning] : [])
    })
  }
})

describe("CSV (the script's --export / --from-file format)", () => {
  it('exports topic,partition,offset for one group and adds the group column for several', () => {
    const rows = [
      { group: 'g', topic: 't', partition: 0, offset: 5 },
      { group: 'g', topic: 't', partition: 1, offset: 7 },
    ]
    assert.equal(exportCsv(rows, false), 't,0,5\nt,1,7\n')
    assert.equal(exportCsv(rows, true), 'g,t,0,5\ng,t,1,7\n')
  })
  it('quotes fields that need it and reads them back', () => {
    const csv = exportCsv([{ group: 'a,"b"', topic: 't', partition: 0, offset: 1 }], true)
    assert.equal(csv, '"a,""b""",t,0,1\n')
    assert.deepEqual(parseCsv(csv, []), [{ group: 'a,"b"', topic: 't', partition: 0, offset: 1 }])
  })
  // As kafka-consumer-groups.sh --export (Jackson CsvMapper) wrote them on Kafka 3.9.2 and 4.4.0: longer than 24
  // characters, or any character below '-', means quotes; numbers never.
  const quoting: Array<[string, string, string]> = [
    ['exactly-24-chars-group-x', 't', 'exactly-24-chars-group-x,t,0,7\n'],
    ['exactly-25-chars-group-xy', 't', '"exactly-25-chars-group-xy",t,0,7\n'],
    ['g', 'a-very-long-topic-name-over-24-chars', 'g,"a-very-long-topic-name-over-24-chars",0,7\n'],
    ['has space', 't', '"has space",t,0,7\n'],
    ['has#hash', 't', '"has#hash",t,0,7\n'],
    ['tab\tin', 't', '"tab\tin",t,0,7\n'],
    ['bang!', 'x+y', '"bang!","x+y",0,7\n'],
    ['has "quote"', 't', '"has ""quote""",t,0,7\n'],
    ['has,comma', 't', '"has,comma",t,0,7\n'],
    ['dots.dash-under_score', 'Topic.v2', 'dots.dash-under_score,Topic.v2,0,7\n'],
    ['grüße/€:=;?', 't', 'grüße/€:=;?,t,0,7\n'],
  ]
  for (const [group, topic, expected] of quoting) {
    it(`exports ${JSON.stringify(group)} / ${JSON.stringify(topic)} as the script does, and reads it back`, () => {
      const row = { group, topic, partition: 0, offset: 7 }
      assert.equal(exportCsv([row], true), expected)
      assert.deepEqual(parseCsv(expected, []), [row])
      assert.equal(
        exportCsv([row], false),
        expected.replace(/^("(?:[^"]|"")*"|[^,]*),/, ''),
        'same quoting without the group column',
      )
    })
  }
  it("reads the script's quoted form and a hand-written unquoted form alike", () => {
    const quoted = parseCsv('"has space","a-very-long-topic-name-over-24-chars",0,7\n', [])
    const unquoted = parseCsv('has space,a-very-long-topic-name-over-24-chars,0,7\n', [])
    assert.deepEqual(quoted, unquoted)
    assert.deepEqual(quoted, [
      { group: 'has space', topic: 'a-very-long-topic-name-over-24-chars', partition: 0, offset: 7 },
    ])
  })
  const parsing: Array<[string, string[], unknown]> = [
    [
      't,0,5\nt,1,7\n',
      ['g'],
      [
        { group: 'g', topic: 't', partition: 0, offset: 5 },
        { group: 'g', topic: 't', partition: 1, offset: 7 },
      ],
    ],
    [
      'g1,t,0,5\r\ng2,t,0,6\r\n\n',
      [],
      [
        { group: 'g1', topic: 't', partition: 0, offset: 5 },
        { group: 'g2', topic: 't', partition: 0, offset: 6 },
      ],
    ],
  ]
  for (const [text, groups, expected] of parsing)
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseCsv(text, groups), expected))
  const bad: Array<[string, string[], RegExp]> = [
    ['t,0\n', ['g'], /line 1: expected 3 or 4/],
    ['t,x,5\n', ['g'], /line 1: partition "x"/],
    ['t,0,5\ng,t,1,5\n', ['g'], /line 2: expected 3 fields/],
    ['t,0,5\n', ['a', 'b'], /no group column/],
    ['"t,0,5\n', ['g'], /unterminated quote/],
    ['\n\n', ['g'], /is empty/],
  ]
  for (const [text, groups, message] of bad) {
    it(`rejects ${JSON.stringify(text)}`, () =>
      assert.throws(
        () => parseCsv(text, groups),
        (e: any) => e.exitCode === ExitCode.usage && message.test(e.message),
      ))
  }
  it('splits quoted fields', () => assert.deepEqual(splitCsvLine('a,"b,c",d'), ['a', 'b,c', 'd']))
  // The script refuses the whole file for a negative offset (exit 1) instead of clamping it: so does kafkit, naming the line.
  const badOffsets: Array<[string, string]> = [
    ['t,0,2\nt,1,4\nt,2,-5\n', 'orders.csv line 3: invalid offset "-5" (offsets must be non-negative integers)'],
    ['g,t,0,-1\n', 'orders.csv line 1: invalid offset "-1" (offsets must be non-negative integers)'],
    ['t,0,5\n\nt,1,five\n', 'orders.csv line 3: invalid offset "five" (offsets must be non-negative integers)'],
    ['t,0,1.5\n', 'orders.csv line 1: invalid offset "1.5" (offsets must be non-negative integers)'],
    ['t,0,\n', 'orders.csv line 1: invalid offset "" (offsets must be non-negative integers)'],
    ['t,0,"-5"\n', 'orders.csv line 1: invalid offset "-5" (offsets must be non-negative integers)'],
    [
      't,0,9007199254740993\n',
      'orders.csv line 1: invalid offset "9007199254740993" (offsets above 9007199254740991 are not supported)',
    ],
  ]
  for (const [text, message] of badOffsets) {
    it(`refuses the whole plan ${JSON.stringify(text)} with exit 1`, () => {
      const groups = text.startsWith('g,') ? [] : ['g']
      assert.throws(
        () => parseCsv(text, groups, 'orders.csv'),
        (e: any) => e.exitCode === ExitCode.failure && e.code === 'BAD_CSV_OFFSET' && e.message === message,
      )
    })
  }
  it('accepts offset 0 and leaves too-low positive offsets to the clamp', () => {
    assert.deepEqual(parseCsv('t,0,0\n', ['g'], 'orders.csv'), [{ group: 'g', topic: 't', partition: 0, offset: 0 }])
  })
})

describe('parseTopicScopes / resolveScopes', () => {
  const topics = new Map([
    ['t', [0, 1, 2]],
    ['u', [0]],
  ])
  it('reads topic and topic:0,2', () => {
    assert.deepEqual(parseTopicScopes(['t', 'u:0', 't:0,2']), [
      { topic: 't' },
      { topic: 'u', partitions: [0] },
      { topic: 't', partitions: [0, 2] },
    ])
  })
  it('resolves to sorted, distinct partitions', () => {
    assert.deepEqual(resolveScopes(parseTopicScopes(['t:2', 'u', 't:0,2']), topics), [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
      { topic: 'u', partition: 0 },
    ])
  })
  const bad: Array<[string[], RegExp, number]> = [
    [['t:x'], /Invalid partition "x"/, ExitCode.usage],
    [['t:'], /expected a topic name and partitions/, ExitCode.usage],
    [['a:b:c'], /expected a topic name and partitions/, ExitCode.usage],
    [['nope'], /Unknown topic 'nope'/, ExitCode.failure],
    [['t:7'], /The partitions "t-7" do not exist/, ExitCode.failure],
  ]
  for (const [values, message, code] of bad) {
    it(`refuses ${values.join(' ')} (exit ${code})`, () =>
      assert.throws(
        () => resolveScopes(parseTopicScopes(values), topics),
        (e: any) => e.exitCode === code && message.test(e.message),
      ))
  }
})

describe('planReset', () => {
  const tps = [
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]
  const committed = new Map([['t:0', 5]])
  const logOffsets = log([
    ['t:0', 2, 10],
    ['t:1', 0, 8],
  ])
  const plan = (mode: ResetMode, timestampOffsets?: Map<string, number | null>) =>
    planReset({
      group: 'g',
      partitions: tps,
      mode,
      committed,
      logOffsets,
      ...(timestampOffsets ? { timestampOffsets } : {}),
    })
  const cases: Array<[string, ResetMode, number[], number]> = [
    ['--to-earliest', { kind: 'earliest' }, [2, 0], 0],
    ['--to-latest', { kind: 'latest' }, [10, 8], 0],
    ['--to-current (log end without a commit, as the script)', { kind: 'current' }, [5, 8], 0],
    ['--to-offset within range', { kind: 'offset', offset: 4 }, [4, 4], 0],
    ['--to-offset above the end is clamped', { kind: 'offset', offset: 9 }, [9, 8], 1],
    ['--to-offset below the start is clamped', { kind: 'offset', offset: 1 }, [2, 1], 1],
  ]
  for (const [name, mode, offsets, warnings] of cases) {
    it(name, () => {
      const result = plan(mode)
      assert.deepEqual(
        result.rows.map((r) => r.newOffset),
        offsets,
      )
      assert.equal(result.warnings.length, warnings)
    })
  }
  it('--shift-by clamps and reports lag before/after', () => {
    const result = planReset({
      group: 'g',
      partitions: [tps[0]!],
      mode: { kind: 'shift', by: -10 },
      committed,
      logOffsets,
    })
    assert.deepEqual(result.rows[0], {
      group: 'g',
      topic: 't',
      partition: 0,
      currentOffset: 5,
      newOffset: 2,
      requestedOffset: -5,
      logStartOffset: 2,
      logEndOffset: 10,
      lagBefore: 5,
      lagAfter: 8,
    })
    assert.match(
      result.warnings[0]!,
      /New offset \(-5\) is lower than earliest offset for topic partition t-0\. Value will be set to 2\./,
    )
  })
  it('--shift-by refuses a partition without a commit', () => {
    assert.throws(
      () => plan({ kind: 'shift', by: 1 }),
      /Cannot shift offset for partition t-1 since there is no current committed offset/,
    )
  })
  it('timestamp modes fall back to the log end with a warning', () => {
    const result = plan(
      { kind: 'timestamp', timestamp: 0, source: 'datetime' },
      new Map([
        ['t:0', 3],
        ['t:1', null],
      ]),
    )
    assert.deepEqual(
      result.rows.map((r) => r.newOffset),
      [3, 8],
    )
    assert.match(result.warnings[0]!, /Partition 1 of topic t has no message at or after/)
  })
  it("--from-file takes the group's rows, clamped", () => {
    const rows = [
      { group: 'g', topic: 't', partition: 1, offset: 99 },
      { group: 'other', topic: 't', partition: 0, offset: 1 },
    ]
    const result = planReset({ group: 'g', partitions: [], mode: { kind: 'file', rows }, committed, logOffsets })
    assert.deepEqual(
      result.rows.map((r) => [r.partition, r.newOffset]),
      [[1, 8]],
    )
    assert.throws(
      () => planReset({ group: 'missing', partitions: [], mode: { kind: 'file', rows }, committed, logOffsets }),
      /No reset plan for group missing/,
    )
  })
  it('clamp leaves in-range offsets alone', () =>
    assert.deepEqual(clamp(5, { start: 0, end: 10 }, tps[0]!), { offset: 5 }))
  it('exports the plan as CSV with the new offsets', () => {
    const result = plan({ kind: 'earliest' })
    // The script's println adds an empty line after the CSV.
    assert.equal(
      renderResetCsv(
        {
          dryRun: true,
          mode: '--to-earliest',
          groups: [{ group: 'g', state: 'Empty', rows: result.rows }],
          warnings: [],
        },
        1,
      ),
      't,0,2\nt,1,0\n\n',
    )
  })
})

describe('modeFromFlags', () => {
  const files: Record<string, string> = { 'plan.csv': 't,0,5\n', 'orders.csv': 't,0,5\nt,1,6\nt,2,-5\n' }
  const deps = {
    readFile: (p: string) =>
      files[p] ??
      (() => {
        throw new Error('ENOENT')
      })(),
    now: () => 1_000_000_000,
    parseCsv,
    parseDateTime,
    parseIsoDuration,
  }
  const cases: Array<[Record<string, unknown>, unknown]> = [
    [{ 'to-earliest': true }, { kind: 'earliest' }],
    [{ 'to-offset': '42' }, { kind: 'offset', offset: 42 }],
    [{ 'shift-by': '-3' }, { kind: 'shift', by: -3 }],
    [{ 'by-duration': 'PT1S' }, { kind: 'timestamp', timestamp: 999_999_000, source: 'duration' }],
    [{ 'to-datetime': '1970-01-01T00:00:01.000' }, { kind: 'timestamp', timestamp: 1000, source: 'datetime' }],
    [{ 'from-file': 'plan.csv' }, { kind: 'file', rows: [{ group: 'g', topic: 't', partition: 0, offset: 5 }] }],
  ]
  for (const [flags, expected] of cases)
    it(JSON.stringify(flags), () => assert.deepEqual(modeFromFlags(flags, ['g'], deps), expected))
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{}, /needs one reset specification/],
    [{ 'to-earliest': true, 'to-latest': true }, /Choose one reset specification, not --to-earliest and --to-latest/],
    [{ 'to-offset': 'ten' }, /Invalid --to-offset "ten"/],
    [{ 'shift-by': '1.5' }, /Invalid --shift-by/],
    [{ 'from-file': 'missing.csv' }, /Cannot read --from-file missing.csv/],
  ]
  for (const [flags, message] of bad) {
    it(`refuses ${JSON.stringify(flags)}`, () =>
      assert.throws(
        () => modeFromFlags(flags, ['g'], deps),
        (e: any) => e.exitCode === ExitCode.usage && message.test(e.message),
      ))
  }
  it('refuses a --from-file plan with a negative offset, naming the file and line (exit 1)', () => {
    assert.throws(
      () => modeFromFlags({ 'from-file': 'orders.csv' }, ['g'], deps),
      (e: any) =>
        e.exitCode === ExitCode.failure &&
        e.message === 'orders.csv line 3: invalid offset "-5" (offsets must be non-negative integers)',
    )
  })
  const datetimeWarnings: Array<[string, number]> = [
    ['2026-11-29T10:00:00.5', 1],
    ['2026-11-29T10:00:00.500', 0],
  ]
  for (const [value, count] of datetimeWarnings) {
    it(`passes --to-datetime ${value} warnings to warn (${count})`, () => {
      const warnings: string[] = []
      const mode = modeFromFlags({ 'to-datetime': value }, ['g'], { ...deps, warn: (w) => warnings.push(w) })
      assert.deepEqual(mode, {
        kind: 'timestamp',
        timestamp: Date.UTC(2026, 10, 29, 10, 0, 0, 500),
        source: 'datetime',
      })
      assert.equal(warnings.length, count)
      if (count) assert.match(warnings[0]!, /kafka-consumer-groups\.sh reads it as 5 ms/)
    })
  }
})

describe('parseStates / activeGroupError', () => {
  it("accepts Kafka's state names in any case", () =>
    assert.deepEqual(parseStates('stable,EMPTY'), ['Stable', 'Empty']))
  it('rejects unknown states', () =>
    assert.throws(() => parseStates('sleepy'), /Invalid state list 'sleepy'\. Valid states are/))
  it('names the active members', () => {
    const error = activeGroupError(
      [
        {
          group: 'g',
          state: 'Stable',
          type: 'classic',
          protocolType: 'consumer',
          assignmentStrategy: 'range',
          members: [{ memberId: 'm-1', clientId: 'c', host: '/h', assignment: [] }],
        },
      ],
      'reset',
    )
    assert.match(
      error!.message,
      /Assignments can only be reset if the group 'g' is inactive, but the current state is Stable/,
    )
    assert.match(error!.details.join('\n'), /m-1 \(client c, host \/h\)/)
    assert.equal(
      activeGroupError(
        [{ group: 'g', state: 'Empty', protocolType: '', assignmentStrategy: '', members: [], type: 'classic' }],
        'reset',
      ),
      undefined,
    )
  })
})

describe('live lag maths', () => {
  // [lag, change of the lag over the window, window seconds, consume rate, status, eta]
  const statuses: Array<[number | null, number | null, number, number | null, string, number | null]> = [
    [0, -10, 2, 5, 'caught-up', 0],
    [100, -40, 2, 30, 'catching-up', 5],
    [100, 40, 2, 10, 'falling-behind', null],
    [100, 0, 2, 20, 'keeping-up', null],
    [100, 0, 2, 0, 'stalled', null],
    [100, null, 0, null, 'measuring', null],
    [null, 0, 2, 1, 'no-commit', null],
  ]
  for (const [lag, change, seconds, consume, expected, eta] of statuses) {
    it(`lag ${lag}, change ${change} in ${seconds}s, consume ${consume}/s → ${expected}`, () =>
      assert.deepEqual(status(lag, change, seconds, consume), { status: expected, eta }))
  }
  const sample = (time: number, committed: number, end: number, members: string[], state = 'Stable'): Sample => ({
    time,
    groups: [
      {
        group: 'g',
        state,
        members: members.map((m) => ({ memberId: m, clientId: 'c', host: '/h' })),
        partitions: new Map([['t:0', { topic: 't', partition: 0, committed, end }]]),
      },
    ],
  })
  it('measures rates over the window and estimates the time to catch up', () => {
    const history = [sample(0, 0, 100, ['a']), sample(2000, 40, 120, ['a']), sample(4000, 80, 140, ['a', 'b'])]
    const frame = lagFrame(history, 10_000)
    const p = frame.groups[0]!.partitions[0]!
    assert.equal(p.produceRate, 10)
    assert.equal(p.consumeRate, 20)
    assert.equal(p.lag, 60)
    assert.equal(p.etaSeconds, 6)
    assert.equal(frame.windowSeconds, 4)
    assert.deepEqual(
      frame.groups[0]!.events.map((e) => e.message),
      ['member joined: b (c, /h)'],
    )
  })
  it('uses only samples inside the window', () => {
    const history = [sample(0, 0, 0, []), sample(10_000, 0, 100, []), sample(12_000, 0, 110, [])]
    assert.equal(lagFrame(history, 5_000).groups[0]!.partitions[0]!.produceRate, 5)
    assert.equal(trimHistory(history, 5_000).length, 2)
  })
  it('reports state changes and members leaving', () => {
    const events = groupEvents(
      { state: 'Stable', members: [{ memberId: 'a', clientId: 'c', host: '/h' }] },
      { state: 'Empty', members: [] },
      new Date(0),
    )
    assert.deepEqual(
      events.map((e) => e.message),
      ['state Stable -> Empty', 'member left: a (c, /h)'],
    )
  })
  it('renders a frame with ETA and events', () => {
    const frame = lagFrame([sample(0, 0, 100, ['a']), sample(2000, 40, 100, ['a'])], 10_000)
    const text = renderLagFrame(frame, {
      intervalMs: 2000,
      recentEvents: new Map([['g', ['00:00:02 member joined: a']]]),
    })
    assert.match(
      text,
      /GROUP g {2}state Stable {2}members 1 {2}lag 60 {2}produce 0\.0\/s {2}consume 20\.0\/s {2}eta 3\.0s/,
    )
    assert.match(text, /^t\s+0\s+40\s+100\s+60\s+0\.0\s+20\.0\s+3\.0s$/m)
    assert.match(text, /member joined: a/)
  })
  it('equal produce and consume rates with a steady lag keep up, not fall behind', () => {
    const frame = lagFrame(
      [sample(0, 0, 100, ['a']), sample(2000, 40, 140, ['a']), sample(4000, 80, 180, ['a'])],
      10_000,
    )
    const g = frame.groups[0]!
    assert.equal(g.partitions[0]!.produceRate, g.partitions[0]!.consumeRate)
    assert.deepEqual([g.partitions[0]!.status, g.status, g.etaSeconds], ['keeping-up', 'keeping-up', null])
    assert.match(renderLagFrame(frame, { intervalMs: 2000, recentEvents: new Map() }), /lag 100 .* eta keeping up$/m)
  })
  it('equal rates spread over partitions (float sums that differ) still keep up', () => {
    const two = (time: number, c0: number, e0: number, c1: number, e1: number): Sample => ({
      time,
      groups: [
        {
          group: 'g',
          state: 'Stable',
          members: [],
          partitions: new Map([
            ['t:0', { topic: 't', partition: 0, committed: c0, end: e0 }],
            ['t:1', { topic: 't', partition: 1, committed: c1, end: e1 }],
          ]),
        },
      ],
    })
    // 0.1 + 0.2 !== 0.3: produce 1+2 records and consume 3+0 over 10 s; the lag stays 10.
    const g = lagFrame([two(0, 0, 5, 0, 5), two(10_000, 3, 6, 0, 7)], 60_000).groups[0]!
    assert.equal(g.totalLag, 10)
    assert.equal(g.status, 'keeping-up')
  })
  it('counts a partition with no commit from its log start in the ETA, never a too-small ETA', () => {
    const mixed = (time: number, committed: number, end: number): Sample => ({
      time,
      groups: [
        {
          group: 'g',
          state: 'Stable',
          members: [],
          partitions: new Map([
            ['t:0', { topic: 't', partition: 0, committed, end, start: 0 }],
            ['t:1', { topic: 't', partition: 1, committed: null, end: 73_748, start: 0 }],
          ]),
        },
      ],
    })
    const frame = lagFrame([mixed(0, 0, 100), mixed(2000, 40, 100)], 10_000)
    const g = frame.groups[0]!
    assert.equal(g.totalLag, 60)
    assert.equal(g.uncommittedRecords, 73_748)
    assert.equal(g.status, 'catching-up')
    assert.equal(g.etaSeconds, (60 + 73_748) / 20)
    assert.match(renderLagFrame(frame, { intervalMs: 2000, recentEvents: new Map() }), /lag 60 \(\+73748 uncommitted\)/)
    // Every committed partition caught up while one has no commit: not caught up.
    const idle = lagFrame([mixed(0, 100, 100), mixed(2000, 100, 100)], 10_000).groups[0]!
    assert.deepEqual([idle.totalLag, idle.status, idle.etaSeconds], [0, 'stalled', null])
  })
  it('shows an unknown ETA as -, not 0, when a partition cannot be counted', () => {
    const unknownEnd = (time: number, committed: number): Sample => ({
      time,
      groups: [
        {
          group: 'g',
          state: 'Stable',
          members: [],
          partitions: new Map([
            ['t:0', { topic: 't', partition: 0, committed, end: 100, start: 0 }],
            ['t:1', { topic: 't', partition: 1, committed: null, end: null, start: null }],
          ]),
        },
      ],
    })
    const frame = lagFrame([unknownEnd(0, 0), unknownEnd(2000, 40)], 10_000)
    assert.deepEqual([frame.groups[0]!.status, frame.groups[0]!.etaSeconds], ['catching-up', null])
    assert.match(renderLagFrame(frame, { intervalMs: 2000, recentEvents: new Map() }), /eta -$/m)
  })
  it('formats assignments like the script', () =>
    assert.equal(
      assignmentString([
        { topic: 'b', partition: 1 },
        { topic: 'a', partition: 2 },
        { topic: 'a', partition: 0 },
      ]),
      'a:0,2;b:1',
    ))
})

describe('offset backups', () => {
  it('are written privately, listed newest first per group, and skipped once undone', () => {
    const home = mkdtempSync(join(tmpdir(), 'kafkit-unit-'))
    const previous = process.env.KAFKIT_HOME
    process.env.KAFKIT_HOME = home
    try {
      const location = backupLocation({ servers: ['localhost:1'], source: { kind: 'flag' } }, undefined)
      assert.equal(location.dir, join(home, 'offset-backups', 'localhost_1'))
      assert.equal(
        backupLocation({ servers: ['x:1'], source: { kind: 'stack', stack: 'dev' } }, undefined).dir,
        join(home, 'stacks', 'dev', 'offset-backups'),
      )
      const backup = (group: string, createdAt: string): OffsetBackup => ({
        kind: 'kafkit-offset-backup',
        version: 1,
        createdAt,
        group,
        clusterId: 'c',
        bootstrap: 'localhost:1',
        reason: 'r',
        offsets: [{ topic: 't', partition: 0, offset: null }],
        applied: [{ topic: 't', partition: 0, offset: 3 }],
      })
      const first = writeBackup(location, backup('g', '2024-01-01T00:00:00.000Z'), new Date('2024-01-01T00:00:00Z'))
      const second = writeBackup(location, backup('g', '2024-01-02T00:00:00.000Z'), new Date('2024-01-02T00:00:00Z'))
      writeBackup(location, backup('h', '2024-01-03T00:00:00.000Z'), new Date('2024-01-03T00:00:00Z'))
      writeFileSync(join(location.dir, 'broken.json'), '{')
      assert.equal(latestBackup(location, 'g').path, second)
      assert.equal(latestBackup(location).backup.group, 'h')
      markUndone(latestBackup(location, 'g'))
      assert.equal(latestBackup(location, 'g').path, first)
      assert.equal(listBackups(location, 'g').length, 1)
      assert.throws(() => latestBackup(location, 'none'), /No offset backup to undo for group 'none'/)
    } finally {
      if (previous === undefined) delete process.env.KAFKIT_HOME
      else process.env.KAFKIT_HOME = previous
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('group types (Kafka 4)', () => {
  const listing = (group: string, type: GroupListing['type'], protocolType: string): GroupListing => ({
    group,
    type,
    protocolType,
    state: 'Stable',
  })
  const ALL = [
    listing('gclassic', 'classic', 'consumer'),
    listing('connect', 'classic', 'connect'),
    listing('simple', 'classic', ''),
    listing('g848', 'consumer', 'consumer'),
    listing('s1', 'share', 'share'),
    listing('wc1', 'streams', 'streams'),
  ]
  const cases: Array<[GroupsFilter, string[]]> = [
    [{}, ['gclassic', 'connect', 'simple', 'g848', 's1', 'wc1']],
    [{ groupType: 'Consumer' }, ['g848']], // any case, as GroupType.parse
    [{ groupType: 'classic' }, ['gclassic', 'connect', 'simple']],
    [{ consumer: true }, ['gclassic', 'simple', 'g848']], // classic only with protocol type consumer or empty
    [{ share: true }, ['s1']],
    [{ streams: true }, ['wc1']],
    [{ protocol: 'consumer' }, ['gclassic', 'g848']],
    [{ protocol: 'classic' }, []], // the protocol type, not the group type
    [{ groupType: 'classic', protocol: 'connect' }, ['connect']],
  ]
  for (const [filter, expected] of cases)
    it(`kafka-groups filter ${JSON.stringify(filter)}`, () => {
      const type = checkGroupsFilter(filter)
      assert.deepEqual(
        ALL.filter((g) => matchesGroupsFilter(g, filter, type)).map((g) => g.group),
        expected,
      )
    })

  it("refuses the script's conflicting filters and unknown types", () => {
    assert.throws(
      () => checkGroupsFilter({ consumer: true, protocol: 'x' }),
      /Option "\[consumer\]" can't be used with option "\[protocol\]"/,
    )
    assert.throws(
      () => checkGroupsFilter({ consumer: true, share: true }),
      /Option "\[consumer\]" can't be used with option "\[share\]"/,
    )
    assert.throws(() => checkGroupsFilter({ streams: true, groupType: 'share' }), /\[streams\].*\[group-type\]/)
    assert.throws(() => checkGroupsFilter({ groupType: 'foo' }), /--group-type must be a valid group type\./)
  })

  it('prints kafka-groups.sh byte for byte: columns at least 20 wide, every row cell followed by a space', () => {
    assert.equal(
      renderAllGroups({
        groups: [
          { group: 'gclassic', type: 'Classic', protocol: 'consumer', state: 'Stable' },
          { group: 's1', type: 'Share', protocol: 'share', state: 'Stable' },
        ],
      }),
      [
        'GROUP                TYPE                 PROTOCOL            ',
        'gclassic             Classic              consumer             ',
        's1                   Share                share                ',
      ].join('\n'),
    )
    // A longer group id widens every column, as the script's single width does.
    const long = 'a-group-id-of-25-letters!'
    const text = renderAllGroups({ groups: [{ group: long, type: 'Consumer', protocol: 'consumer', state: 'Empty' }] })
    assert.equal(text.split('\n')[1], `${long} ${'Consumer'.padEnd(25)} ${'consumer'.padEnd(25)} `)
    assert.equal(renderAllGroups({ groups: [] }), 'GROUP                TYPE                 PROTOCOL            ')
  })

  it('parses --type like the script (consumer, classic; any case)', () => {
    assert.deepEqual(parseTypes('Consumer,classic'), ['consumer', 'classic'])
    assert.throws(() => parseTypes('share'), /Invalid types list 'share'\. Valid types are: Consumer, Classic\./)
  })

  it('lists with TYPE and STATE columns', () => {
    assert.equal(
      renderList({
        withState: true,
        withType: true,
        groups: [
          { group: 'g848', type: 'Consumer', state: 'Stable' },
          { group: 'gclassic', type: 'Classic', state: 'Empty' },
        ],
      }),
      ['GROUP     TYPE      STATE', 'g848      Consumer  Stable', 'gclassic  Classic   Empty'].join('\n'),
    )
  })

  it("--members --verbose: a consumer group's epochs and target assignment, a classic group's ASSIGNMENT", () => {
    const member = {
      memberId: 'm1',
      clientId: 'c1',
      host: '/127.0.0.1',
      partitions: 2,
      assignment: [
        { topic: 't', partition: 1 },
        { topic: 't', partition: 0 },
      ],
    }
    const text = renderDescribe({
      view: 'members',
      verbose: true,
      groups: [
        {
          group: 'g848',
          state: 'Reconciling',
          exists: true,
          type: 'consumer',
          protocolType: 'consumer',
          assignmentStrategy: 'uniform',
          groupEpoch: 4,
          assignmentEpoch: 4,
          members: [{ ...member, memberEpoch: 3, targetAssignment: [{ topic: 't', partition: 0 }] }],
        },
        {
          group: 'gclassic',
          state: 'Stable',
          exists: true,
          type: 'classic',
          protocolType: 'consumer',
          assignmentStrategy: 'range',
          members: [member],
        },
      ],
    })
    assert.match(
      text,
      /^GROUP\s+CONSUMER-ID\s+HOST\s+CLIENT-ID\s+#PARTITIONS\s+CURRENT-EPOCH\s+CURRENT-ASSIGNMENT\s+TARGET-EPOCH\s+TARGET-ASSIGNMENT$/m,
    )
    assert.match(text, /^g848\s+m1\s+\/127\.0\.0\.1\s+c1\s+2\s+3\s+t:0,1\s+4\s+t:0$/m)
    assert.match(text, /^gclassic\s+m1\s+\/127\.0\.0\.1\s+c1\s+2\s+t:0,1$/m)
  })
})
