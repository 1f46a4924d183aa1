/**
 * share-groups and streams-groups without Kafka: the Java printf and HashMap ordering the views rely on, and the views
 * themselves against what kafka-share-groups.sh / kafka-streams-groups.sh 4.4 printed (captured in the research notes).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { javaFormat, javaHashMapOrder, javaStringHash, topicPartitionHash } from '../../src/output/java-format.js'
import { checkShareFlags, parseGroupStates, SHARE_GROUP_STATES } from '../../src/share-groups/options.js'
import type { ShareDescribeResult, ShareGroupReport, ShareResetResult } from '../../src/share-groups/service.js'
import {
  renderShareDelete,
  renderShareDeleteOffsets,
  renderShareDescribe,
  renderShareList,
  renderShareReset,
  renderShareResetCsv,
} from '../../src/share-groups/views.js'
import { checkStreamsFlags } from '../../src/streams-groups/options.js'
import type { StreamsGroupReport } from '../../src/streams-groups/service.js'
import { renderStreamsDescribe, renderStreamsList } from '../../src/streams-groups/views.js'

const tpOrder = (tps: Array<[string, number]>) =>
  javaHashMapOrder(tps, ([t, p]) => topicPartitionHash(t, p)).map(([t, p]) => `${t}-${p}`)

describe('Java printf and HashMap order', () => {
  it('formats %-Ns, %s, %d and %n as String.format does (padding, never cutting)', () => {
    assert.equal(javaFormat('%-5s|%s%n', 'ab', 'c'), 'ab   |c\n')
    assert.equal(javaFormat('%-3s|', 'abcdef'), 'abcdef|')
    assert.equal(javaFormat('%4s|%d', 'x', 12), '   x|12')
  })

  it('hashes strings and topic partitions as Java does', () => {
    assert.equal(javaStringHash(''), 0)
    assert.equal(javaStringHash('t2'), 3646)
    assert.equal(javaStringHash('hello world, this overflows'), 161437415)
    assert.equal(topicPartitionHash('t2', 0), 4607)
  })

  it('orders rows as the scripts printed them from their HashMaps', () => {
    // kafka-share-groups.sh --reset-offsets: "partition 1 before 0".
    assert.deepEqual(
      tpOrder([
        ['t2', 0],
        ['t2', 1],
      ]),
      ['t2-1', 't2-0'],
    )
    // kafka-streams-groups.sh --describe of the word-count app (notes §4).
    assert.deepEqual(
      tpOrder([
        ['t2', 0],
        ['t2', 1],
        ['wc1-counts-repartition', 0],
        ['wc1-counts-repartition', 1],
      ]),
      ['wc1-counts-repartition-0', 'wc1-counts-repartition-1', 't2-1', 't2-0'],
    )
  })

  it('keeps insertion order within a bucket and grows the table past 3/4 full (as java.util.HashMap printed)', () => {
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i)
    const identity = (n: number) => n
    assert.deepEqual(javaHashMapOrder([16, 0], identity), [16, 0])
    // 12 entries: still a table of 16, where 16 and 0 share bucket 0.
    assert.deepEqual(javaHashMapOrder([16, ...upTo(11)], identity), [16, ...upTo(11)])
    // 13 and 14 entries: a table of 32, 16 has a bucket of its own.
    assert.deepEqual(javaHashMapOrder([16, ...upTo(12)], identity), [...upTo(12), 16])
    assert.deepEqual(javaHashMapOrder([16, ...upTo(13)], identity), [...upTo(13), 16])
  })
})

describe('share-groups flags', () => {
  it('parses states case-insensitively and refuses others with the script message', () => {
    assert.deepEqual(parseGroupStates('stable,EMPTY', SHARE_GROUP_STATES), ['Stable', 'Empty'])
    assert.throws(() => parseGroupStates('foo', SHARE_GROUP_STATES), {
      message: "Invalid state list 'foo'. Valid states are: Empty, Stable, Dead",
    })
  })

  const cases: Array<[string, Parameters<typeof checkShareFlags>, string | RegExp]> = [
    ['one action', [['list'], {}], 'list'],
    ['no action', [[], {}], /exactly one action/],
    ['describe needs a group', [['describe'], {}], /takes one of these options: \[all-groups\], \[group\]/],
    ['describe views exclusive', [['describe'], { group: ['g'], members: true, state: '' }], /at most one/],
    ['describe --state takes no value', [['describe'], { group: ['g'], state: 'Stable' }], /does not take a value/],
    ['reset needs a scope', [['reset-offsets'], { group: ['g'] }], /takes one of these options/],
    ['reset one group', [['reset-offsets'], { group: ['a', 'b'], topic: ['t'] }], /one \[group\]/],
    [
      'reset --execute or --dry-run',
      [['reset-offsets'], { group: ['g'], topic: ['t'], execute: true, 'dry-run': true }],
      /only accepts one/,
    ],
    ['reset ok', [['reset-offsets'], { group: ['g'], 'all-topics': true }], 'reset-offsets'],
    ['delete-offsets needs a topic', [['delete-offsets'], { group: ['g'] }], /at least one \[topic\]/],
    ['--topic not with --describe', [['describe'], { group: ['g'], topic: ['t'] }], /--topic goes with/],
  ]
  for (const [name, args, expected] of cases)
    it(name, () => {
      if (typeof expected === 'string') assert.equal(checkShareFlags(...args), expected)
      else assert.throws(() => checkShareFlags(...args), { message: expected })
    })

  it('streams-groups takes --list or --describe', () => {
    assert.equal(checkStreamsFlags(['describe'], { 'all-groups': true }), 'describe')
    assert.throws(() => checkStreamsFlags(['list', 'describe'], {}), /exactly one action/)
    assert.throws(() => checkStreamsFlags(['describe'], {}), /takes one of these options/)
  })
})

const s1: ShareGroupReport = {
  group: 's1',
  state: 'Stable',
  groupEpoch: 3,
  assignmentEpoch: 3,
  assignor: 'simple',
  coordinator: { id: 1, host: '127.0.0.1', port: 39092 },
  members: [
    {
      memberId: 'rZH6WYp3Q5CIyMuHjN9Nkw',
      clientId: 'console-share-consumer',
      host: '/127.0.0.1',
      memberEpoch: 3,
      assignment: [
        { topic: 't2', partition: 1 },
        { topic: 't2', partition: 0 },
      ],
    },
  ],
  offsets: [
    { topic: 't2', partition: 0, startOffset: 15, leaderEpoch: 0, lag: 0 },
    { topic: 't2', partition: 1, startOffset: 10, leaderEpoch: 0, lag: 0 },
  ],
}
const describe1 = (view: ShareDescribeResult['view'], verbose: boolean, group = s1) =>
  renderShareDescribe({ view, verbose, groups: [group] })
const stdout = (chunks: Array<{ stream: string; text: string }>) =>
  chunks
    .filter((c) => c.stream === 'stdout')
    .map((c) => c.text)
    .join('')

describe('share-groups views, as kafka-share-groups.sh 4.4 printed them', () => {
  it('--list', () => {
    assert.equal(renderShareList({ withState: false, groups: [{ group: 's1' }] }), 's1\n')
    assert.equal(
      renderShareList({ withState: true, groups: [{ group: 's1', state: 'Stable' }] }),
      'GROUP           STATE\ns1              Stable\n',
    )
  })

  it('--describe (offsets, verbose)', () => {
    assert.equal(
      stdout(describe1('offsets', false)),
      '\nGROUP           TOPIC           PARTITION  START-OFFSET  LAG\n' +
        's1              t2              0          15            0\n' +
        's1              t2              1          10            0\n',
    )
    assert.equal(
      stdout(describe1('offsets', true)),
      '\nGROUP           TOPIC           PARTITION  LEADER-EPOCH  START-OFFSET  LAG\n' +
        's1              t2              0          0             15            0\n' +
        's1              t2              1          0             10            0\n',
    )
    assert.equal(
      stdout(describe1('offsets', false, { ...s1, offsets: [] })),
      "\nShare group 's1' has no offset information.\n",
    )
  })

  it('--members (verbose)', () => {
    assert.equal(
      stdout(describe1('members', false)),
      '\nGROUP           CONSUMER-ID            HOST            CLIENT-ID              #PARTITIONS  ASSIGNMENT\n' +
        's1              rZH6WYp3Q5CIyMuHjN9Nkw /127.0.0.1      console-share-consumer 2            t2:0,1\n',
    )
    assert.equal(
      stdout(describe1('members', true)),
      '\nGROUP           CONSUMER-ID            HOST            CLIENT-ID              #PARTITIONS  MEMBER-EPOCH  ASSIGNMENT\n' +
        's1              rZH6WYp3Q5CIyMuHjN9Nkw /127.0.0.1      console-share-consumer 2            3             t2:0,1\n',
    )
    // An empty group: no table at all, the notice on stderr.
    assert.deepEqual(describe1('members', false, { ...s1, state: 'Empty', members: [] }), [
      { stream: 'stderr', text: "\nShare group 's1' has no active members.\n" },
    ])
  })

  it('--state (verbose)', () => {
    assert.equal(
      stdout(describe1('state', false)),
      '\nGROUP           COORDINATOR (ID)          STATE           #MEMBERS\n' +
        's1              127.0.0.1:39092  (1)      Stable          1\n',
    )
    assert.equal(
      stdout(describe1('state', true, { ...s1, state: 'Empty', members: [], groupEpoch: 4, assignmentEpoch: 4 })),
      '\nGROUP           COORDINATOR (ID)          STATE           GROUP-EPOCH  ASSIGNMENT-EPOCH  #MEMBERS\n' +
        's1              127.0.0.1:39092  (1)      Empty           4            4                 0\n',
    )
  })

  const reset: ShareResetResult = {
    dryRun: true,
    mode: '--to-earliest',
    group: 's1',
    state: 'Empty',
    rows: [
      { topic: 't2', partition: 1, newOffset: 0, currentOffset: 10 },
      { topic: 't2', partition: 0, newOffset: 0, currentOffset: 15 },
    ],
    emptyPartitions: [],
    warnings: [],
  }

  it('--reset-offsets, --export', () => {
    assert.equal(
      renderShareReset(reset),
      '\nGROUP           TOPIC           PARTITION  NEW-OFFSET\ns1              t2              1          0\ns1              t2              0          0\n',
    )
    assert.equal(renderShareResetCsv(reset), 't2,1,0\nt2,0,0\n\n')
    assert.equal(renderShareReset({ ...reset, rows: [] }), '\n')
    assert.equal(
      renderShareReset({ ...reset, rows: [reset.rows[1]!], emptyPartitions: [{ topic: 't2', partition: 0 }] }),
      '\nWarn: Partition 0 from topic t2 is empty. Falling back to latest known offset.\n' +
        '\nGROUP           TOPIC           PARTITION  NEW-OFFSET\ns1              t2              0          0\n',
    )
  })

  it('--delete-offsets, --delete', () => {
    assert.equal(
      renderShareDeleteOffsets({
        group: 's1',
        ok: false,
        topics: [{ topic: 't2' }, { topic: 'nosuchtopic', error: 'This server does not host this topic-partition.' }],
      }),
      '\nTOPIC           STATUS\nnosuchtopic     Error: This server does not host this topic-partition.\nt2              Successful\n',
    )
    assert.deepEqual(renderShareDelete({ groups: [{ group: 's1', deleted: true }] }), [
      { stream: 'stdout', text: "Deletion of requested share groups ('s1') was successful.\n" },
    ])
  })
})

describe('streams-groups views, as kafka-streams-groups.sh 4.4 printed them', () => {
  const wc1: StreamsGroupReport = {
    group: 'wc1',
    state: 'Stable',
    groupEpoch: 3,
    targetAssignmentEpoch: 3,
    topologyEpoch: 0,
    assignor: 'sticky',
    coordinator: { id: 1, host: '127.0.0.1', port: 39092 },
    members: [
      {
        memberId: '4QeIpWdHTPuFIVLyGV6VtA',
        processId: '745d817a-c73a-4f14-aa60-abad71fa0e06',
        clientId: 'wc1-745d817a-c73a-4f14-aa60-abad71fa0e06-StreamThread-1-consumer',
        host: '/127.0.0.1',
        memberEpoch: 3,
        isClassic: false,
        assignment: {
          active: [
            { subtopologyId: '0', partitions: [0, 1] },
            { subtopologyId: '1', partitions: [0, 1] },
          ],
          standby: [],
          warmup: [],
        },
        targetAssignment: {
          active: [
            { subtopologyId: '0', partitions: [0, 1] },
            { subtopologyId: '1', partitions: [0, 1] },
          ],
          standby: [],
          warmup: [],
        },
      },
    ],
    offsets: [
      { topic: 'wc1-counts-repartition', partition: 0, currentOffset: 25, leaderEpoch: 0, logEndOffset: 25, lag: 0 },
      { topic: 't2', partition: 1, currentOffset: null, leaderEpoch: null, logEndOffset: 18, lag: 18 },
    ],
  }
  const render = (view: 'offsets' | 'members' | 'state', verbose: boolean, group = wc1) =>
    renderStreamsDescribe({ view, verbose, groups: [group] })

  it('--list --state', () => {
    assert.equal(
      renderStreamsList({ withState: true, groups: [{ group: 'wc1', state: 'Stable' }] }),
      'GROUP           STATE\nwc1             Stable\n',
    )
  })

  it('--describe (verbose pads its last column)', () => {
    assert.equal(
      render('offsets', false),
      'GROUP           TOPIC                  PARTITION  OFFSET-LAG\n' +
        'wc1             wc1-counts-repartition 0          0\n' +
        'wc1             t2                     1          18\n',
    )
    assert.equal(
      render('offsets', true),
      'GROUP           TOPIC                  PARTITION  CURRENT-OFFSET  LEADER-EPOCH    LOG-END-OFFSET  OFFSET-LAG     \n' +
        'wc1             wc1-counts-repartition 0          25              0               25              0              \n' +
        'wc1             t2                     1          -               -               18              18             \n',
    )
  })

  it('--members (verbose)', () => {
    assert.equal(
      render('members', false),
      'GROUP           MEMBER                 PROCESS                              CLIENT-ID                                                        ASSIGNMENTS\n' +
        'wc1             4QeIpWdHTPuFIVLyGV6VtA 745d817a-c73a-4f14-aa60-abad71fa0e06 wc1-745d817a-c73a-4f14-aa60-abad71fa0e06-StreamThread-1-consumer ACTIVE: 0:[0,1]; 1:[0,1]; \n',
    )
    assert.equal(
      render('members', true),
      'GROUP           TARGET-ASSIGNMENT-EPOCH   TOPOLOGY-EPOCH MEMBER                 MEMBER-PROTOCOL MEMBER-EPOCH    PROCESS                              CLIENT-ID                                                        ASSIGNMENTS\n' +
        'wc1             3                         0              4QeIpWdHTPuFIVLyGV6VtA streams         3               745d817a-c73a-4f14-aa60-abad71fa0e06 wc1-745d817a-c73a-4f14-aa60-abad71fa0e06-StreamThread-1-consumer ACTIVE: 0:[0,1]; 1:[0,1]; TARGET-ACTIVE: 0:[0,1]; 1:[0,1]; \n',
    )
  })

  it('--state (the empty notice on stdout, before the table)', () => {
    assert.equal(
      render('state', false),
      'GROUP           COORDINATOR (ID)          ASSIGNOR        STATE                     #MEMBERS\n' +
        'wc1             127.0.0.1:39092 (1)       sticky          Stable                    1\n',
    )
    assert.equal(
      render('state', true, { ...wc1, state: 'Empty', members: [], groupEpoch: 4, targetAssignmentEpoch: 4 }),
      "\nError: Streams group 'wc1' has no active members.\n" +
        'GROUP           COORDINATOR (ID)          ASSIGNOR        STATE                     GROUP-EPOCH     TARGET-ASSIGNMENT-EPOCH   #MEMBERS\n' +
        'wc1             127.0.0.1:39092 (1)       sticky          Empty                     4               4                         0\n',
    )
    // An empty group's offsets and members: nothing at all.
    assert.equal(render('offsets', false, { ...wc1, state: 'Empty', members: [] }), '')
  })
})
