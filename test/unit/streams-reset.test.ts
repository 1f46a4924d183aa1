import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  checkOffsetRange,
  checkStreamsResetFlags,
  isInternalTopic,
  javaHashOrder,
  parseResetPlan,
  splitList,
  tpHash,
} from '../../src/streams-reset/options.js'
import { javaStringHash } from '../../src/output/java-format.js'
import { renderStreamsReset } from '../../src/streams-reset/views.js'
import type { StreamsResetResult } from '../../src/streams-reset/service.js'

const deps = {
  readFile: (path: string) => (path === 'plan.csv' ? 'in,0,5\nin,1,7\n' : ''),
  now: () => 1_000_000,
  parseDateTime: () => 42,
  parseIsoDuration: () => 1000,
}

describe('streams-application-reset options', () => {
  it('lists split at commas and accumulate, as joptsimple', () => {
    assert.deepEqual(splitList(['a,b', 'c']), ['a', 'b', 'c'])
    assert.deepEqual(splitList(undefined), [])
  })
  it('one reset specification at most, earliest by default, with the tool words', () => {
    const base = { 'application-id': 'app', 'input-topics': ['in'] }
    assert.deepEqual(checkStreamsResetFlags(base, deps).mode, { kind: 'earliest' })
    assert.deepEqual(checkStreamsResetFlags({ ...base, 'to-offset': '3' }, deps).mode, { kind: 'offset', offset: 3 })
    assert.deepEqual(checkStreamsResetFlags({ ...base, 'shift-by': '-2' }, deps).mode, { kind: 'shift', by: -2 })
    assert.deepEqual(checkStreamsResetFlags({ ...base, 'by-duration': 'PT1S' }, deps).mode, {
      kind: 'timestamp',
      timestamp: 999_000,
      source: 'duration',
    })
    assert.deepEqual(checkStreamsResetFlags({ ...base, 'to-datetime': '2026-01-01T00:00:00.000' }, deps).mode, {
      kind: 'timestamp',
      timestamp: 42,
      source: 'datetime',
    })
    // The same one-line errors as the group tools' (shared in groups/reset.ts).
    assert.throws(() => checkStreamsResetFlags({ ...base, 'to-offset': 'x' }, deps), { code: 'BAD_OFFSET' })
    const unreadable = {
      ...deps,
      readFile: () => {
        throw new Error('ENOENT')
      },
    }
    assert.throws(() => checkStreamsResetFlags({ ...base, 'from-file': 'gone.csv' }, unreadable), {
      code: 'NO_SUCH_FILE',
      message: 'Cannot read --from-file gone.csv.',
    })
    assert.deepEqual(checkStreamsResetFlags({ ...base, 'from-file': 'plan.csv' }, deps).mode, {
      kind: 'file',
      rows: [
        { topic: 'in', partition: 0, offset: 5 },
        { topic: 'in', partition: 1, offset: 7 },
      ],
    })
    assert.throws(
      () => checkStreamsResetFlags({ ...base, 'to-latest': true, 'to-offset': '1' }, deps),
      /Option "\[to-offset\]" can't be used with option "\[to-latest\]"/,
    )
    assert.throws(() => checkStreamsResetFlags({ ...base, 'to-offset': 'x' }, deps), /Invalid --to-offset "x"/)
  })
  it('reads the reset plan as the tool: TOPIC,PARTITION,OFFSET, a final newline allowed, later lines win', () => {
    assert.deepEqual(parseResetPlan('t,1,2\nt,1,3'), [{ topic: 't', partition: 1, offset: 3 }])
    assert.throws(() => parseResetPlan(''), /It is empty/)
    assert.throws(() => parseResetPlan('t,1\n'), /not following the format `TOPIC,PARTITION,OFFSET`/)
    assert.throws(() => parseResetPlan('t,1,2\n\nt,2,2'), /not following the format/)
  })
  it('internal topics: <application-id>-...-changelog / -repartition / foreign-key join topics, not inputs', () => {
    const o = { applicationId: 'app', inputTopics: ['app-x-changelog'], intermediateTopics: [] }
    for (const t of [
      'app-counts-changelog',
      'app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition',
      'app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic',
      'app-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic',
      'app-x-subscription-registration-topic',
    ])
      assert.ok(isInternalTopic(t, o), t)
    for (const t of ['app-x-changelog', 'other-counts-changelog', 'app-counts', 'appcounts-changelog', 'app-'])
      assert.ok(!isInternalTopic(t, o), t)
  })
  it("orders partitions and topics as the tool's HashSets and HashMaps iterate them", () => {
    const tps = [0, 1, 2].map((partition) => ({ topic: 'in', partition }))
    assert.deepEqual(
      javaHashOrder(tps, tpHash).map((tp) => tp.partition),
      [2, 1, 0],
    )
    // A default HashMap has 16 buckets; new HashSet<>(2) with two topics grows to 4: 'd' (100) then lands first.
    assert.deepEqual(javaHashOrder(['a', 'd'], javaStringHash), ['a', 'd'])
    assert.deepEqual(javaHashOrder(['a', 'd'], javaStringHash, 2), ['d', 'a'])
  })
  it('moves targets into the log with the tool remarks, also at the bounds', () => {
    assert.deepEqual(checkOffsetRange(5, { start: 2, end: 9 }), { offset: 5 })
    assert.deepEqual(checkOffsetRange(2, { start: 2, end: 9 }), {
      offset: 2,
      message: 'New offset (2) is lower than earliest offset. Value will be set to 2',
    })
    assert.deepEqual(checkOffsetRange(9, { start: 2, end: 9 }), {
      offset: 9,
      message: 'New offset (9) is higher than latest offset. Value will be set to 9',
    })
  })
})

describe('streams-application-reset text', () => {
  const result: StreamsResetResult = {
    applicationId: 'app',
    dryRun: true,
    removedMembers: ['m1'],
    inputTopics: ['in', 'nope'],
    intermediateTopics: ['mid'],
    notFoundInputTopics: ['nope'],
    notFoundIntermediateTopics: [],
    inputPartitions: [{ topic: 'in', partition: 0, offset: 0, previousOffset: 4 }],
    intermediatePartitions: [
      { topic: 'mid', partition: 1, offset: 2, previousOffset: null },
      { topic: 'mid', partition: 0, offset: 2, previousOffset: null },
    ],
    notes: ['New offset (-1) is lower than earliest offset. Value will be set to 0'],
    committed: false,
    internalTopics: { source: 'inferred', topics: ['app-a-changelog', 'app-b-repartition'], deleted: false },
    exitCode: 1,
  }
  it('prints what StreamsResetter prints, in its order', () => {
    assert.equal(
      renderStreamsReset(result),
      [
        'Force deleting all active members in the group: app',
        '----Dry run displays the actions which will be performed when running Streams Reset Tool----',
        'WARN: `--intermediate-topics` is deprecated and will be removed in a future release',
        'Reset-offsets for input topics [in, nope]',
        'Seek-to-end for intermediate topics [mid]',
        'Following input topics are not found, skipping them',
        'Topic: nope',
        'Following input topics offsets will be reset to (for consumer group app)',
        'New offset (-1) is lower than earliest offset. Value will be set to 0',
        'Topic: in Partition: 0 Offset: 0',
        'Following intermediate topics offsets will be reset to end (for consumer group app)',
        'Topic: mid',
        'Topic: mid',
        'Done.',
        'Deleting inferred internal topics [app-a-changelog, app-b-repartition]',
        'Done.',
        '',
      ].join('\n'),
    )
  })
  it('without topics: no seek; with none found: no Done. for the offsets', () => {
    const none = { ...result, removedMembers: [], dryRun: false, inputTopics: [], intermediateTopics: [] }
    assert.equal(
      renderStreamsReset(none),
      'No input or intermediate topics specified. Skipping seek.\nDeleting inferred internal topics [app-a-changelog, app-b-repartition]\nDone.\n',
    )
    const missing = {
      ...none,
      inputTopics: ['x'],
      notFoundInputTopics: ['x'],
      intermediateTopics: ['y'],
      notFoundIntermediateTopics: ['y'],
      internalTopics: { source: 'specified' as const, topics: [], deleted: false },
    }
    assert.equal(
      renderStreamsReset(missing),
      'WARN: `--intermediate-topics` is deprecated and will be removed in a future release\nReset-offsets for input topics [x]\nSeek-to-end for intermediate topics [y]\nFollowing input topics are not found, skipping them\nTopic: x\nFollowing intermediate topics are not found, skipping them\nTopic:y\nDeleting specified internal topics []\nDone.\n',
    )
  })
})
