/**
 * delete-records, leader-election, reassign-partitions and log-dirs without Kafka: the scripts' JSON files and flag
 * rules, Kafka's replica placement and throttle lists, and the views against what the 4.4 tools printed.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  assignReplicasToBrokers,
  followerThrottles,
  leaderThrottles,
  proposedMoves,
  rackAlternatedBrokers,
  reassigningBrokers,
} from '../../src/partitions/assign.js'
import {
  checkElectionFlags,
  checkExecuteAssignment,
  deleteRecordsPlan,
  parseBrokerIds,
  parseElectionJson,
  parseElectionType,
  parseOffsetJson,
  parseReassignmentJson,
  parseTopicsToMoveJson,
  readInputFile,
  reassignAction,
  type ReassignFlags,
} from '../../src/partitions/options.js'
import {
  clearingThrottlesText,
  deleteRecordsText,
  electionText,
  javaErrorString,
  logDirsScriptText,
  reassignText,
  reassignmentJson,
} from '../../src/partitions/views.js'

const usage = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: Error & { exitCode?: number }) => e.exitCode === 2 && message.test(e.message))

describe('delete-records: the offset JSON file and the shortcuts', () => {
  it('reads the script format, version 1 by default', () => {
    assert.deepEqual(
      parseOffsetJson(
        '{"partitions":[{"topic":"t","partition":1,"offset":5},{"topic":"u","partition":0,"offset":-1}]}',
      ),
      [
        { topic: 't', partition: 1, offset: 5 },
        { topic: 'u', partition: 0, offset: -1 },
      ],
    )
  })
  it('refuses duplicates, other versions, missing fields and bad JSON with the script words', () => {
    usage(
      () =>
        parseOffsetJson(
          '{"version":1,"partitions":[{"topic":"t","partition":1,"offset":5},{"topic":"t","partition":1,"offset":6}]}',
        ),
      /^Offset json file contains duplicate topic partitions: t-1$/,
    )
    usage(() => parseOffsetJson('{"version":2,"partitions":[]}'), /Not supported version field value 2/)
    usage(() => parseOffsetJson('{"version":1}'), /missing "partitions"/)
    usage(() => parseOffsetJson('{"partitions":[{"topic":"t","offset":1}]}'), /"partition" as an integer/)
    usage(() => parseOffsetJson('{"partitions":'), /not valid JSON/)
  })
  it('plans the shortcuts: exactly one of --offset and --before, partitions as a list', () => {
    assert.deepEqual(deleteRecordsPlan({ 'offset-json-file': 'f.json', execute: false }), {
      kind: 'file',
      path: 'f.json',
    })
    assert.deepEqual(deleteRecordsPlan({ topic: 't', partition: '0, 2', offset: '-1', execute: true }), {
      kind: 'shortcut',
      topic: 't',
      partitions: [0, 2],
      offset: -1,
      before: undefined,
      execute: true,
    })
    assert.equal(deleteRecordsPlan({ topic: 't', before: '-1d', execute: false }).kind, 'shortcut')
    usage(() => deleteRecordsPlan({ execute: false }), /--offset-json-file, or --topic/)
    usage(() => deleteRecordsPlan({ topic: 't', execute: false }), /exactly one of --offset and --before/)
    usage(() => deleteRecordsPlan({ topic: 't', offset: '1', before: 'now', execute: false }), /exactly one/)
    usage(() => deleteRecordsPlan({ topic: 't', offset: '-5', execute: false }), /Invalid --offset/)
    usage(() => deleteRecordsPlan({ topic: 't', partition: 'x', offset: '1', execute: false }), /Invalid --partition/)
    usage(
      () => deleteRecordsPlan({ 'offset-json-file': 'f', topic: 't', execute: false }),
      /cannot be used with --topic/,
    )
  })
  it('names the flag of a file it cannot read', () => {
    usage(() => readInputFile('/nonexistent/x.json', '--offset-json-file'), /Cannot read --offset-json-file .*ENOENT/)
  })
  it('prints the script lines, sorted, with Java exception names for errors', () => {
    assert.equal(
      deleteRecordsText([
        { topic: 't', partition: 10, lowWatermark: 4, error: null, errorMessage: null },
        {
          topic: 't',
          partition: 2,
          lowWatermark: null,
          error: 'OFFSET_OUT_OF_RANGE',
          errorMessage: 'The requested offset is not within the range of offsets maintained by the server.',
        },
      ]),
      [
        'Executing records delete operation',
        'Records delete operation completed:',
        'partition: t-2\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.',
        'partition: t-10\tlow_watermark: 4',
      ].join('\n'),
    )
    assert.equal(javaErrorString('KAFKA_STORAGE_ERROR', 'x'), 'org.apache.kafka.common.errors.KafkaStorageException: x')
  })
})

describe('leader-election: flags, JSON file, output', () => {
  it('takes the election type in any case', () => {
    assert.equal(parseElectionType('preferred'), 'PREFERRED')
    assert.equal(parseElectionType('UNCLEAN'), 'UNCLEAN')
    usage(() => parseElectionType('clean'), /expected preferred or unclean/)
  })
  it('wants exactly one of --topic, --all-topic-partitions, --path-to-json-file, and --partition with --topic', () => {
    checkElectionFlags({ allTopicPartitions: true })
    checkElectionFlags({ topic: 't', partition: 0, allTopicPartitions: false })
    usage(() => checkElectionFlags({ allTopicPartitions: false }), /One and only one/)
    usage(() => checkElectionFlags({ topic: 't', allTopicPartitions: true }), /One and only one/)
    usage(
      () => checkElectionFlags({ topic: 't', allTopicPartitions: false }),
      /Missing required option\(s\): --partition/,
    )
    usage(() => checkElectionFlags({ partition: 1, allTopicPartitions: true }), /only allowed if --topic/)
  })
  it('reads the partitions file and refuses duplicates', () => {
    assert.deepEqual(parseElectionJson('{"partitions":[{"topic":"a","partition":1}]}'), [{ topic: 'a', partition: 1 }])
    usage(() => parseElectionJson('{}'), /missing "partitions" field/)
    usage(
      () => parseElectionJson('{"partitions":[{"topic":"a","partition":1},{"topic":"a","partition":1}]}'),
      /duplicate partitions: a-1/,
    )
  })
  it('prints as kafka-leader-election.sh 4.4 did (HashSet order)', () => {
    const ok = { error: null, errorMessage: null }
    const noop = { error: 'ELECTION_NOT_NEEDED', errorMessage: 'Leader election not needed for topic partition.' }
    assert.equal(
      electionText('PREFERRED', [
        { topic: 't2', partition: 0, ...noop },
        { topic: 't1', partition: 0, ...noop },
        { topic: 't1', partition: 1, ...noop },
      ]),
      'Valid replica already elected for partitions t1-1, t1-0, t2-0',
    )
    assert.equal(
      electionText('UNCLEAN', [
        { topic: 't1', partition: 1, ...ok },
        { topic: 't1', partition: 7, error: 'UNKNOWN_TOPIC_OR_PARTITION', errorMessage: 'No such partition as t1-7' },
      ]),
      [
        'Successfully completed leader election (UNCLEAN) for partitions t1-1',
        'Error completing leader election (UNCLEAN) for partition: t1-7: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such partition as t1-7',
      ].join('\n'),
    )
  })
})

describe('reassign-partitions: files and flags', () => {
  const flags = (extra: Partial<ReassignFlags>): ReassignFlags => ({
    generate: false,
    execute: false,
    verify: false,
    cancel: false,
    list: false,
    additional: false,
    'preserve-throttles': false,
    'disable-rack-aware': false,
    'disallow-replication-factor-change': false,
    ...extra,
  })
  it('wants one action, its required options, and no option of another action', () => {
    assert.equal(reassignAction(flags({ list: true })), 'list')
    assert.equal(reassignAction(flags({ execute: true, 'reassignment-json-file': 'f', throttle: 1024 })), 'execute')
    usage(() => reassignAction(flags({})), /exactly one action: --generate, --execute, --verify, --cancel, --list/)
    usage(() => reassignAction(flags({ list: true, verify: true })), /exactly one action/)
    usage(() => reassignAction(flags({ generate: true, 'broker-list': '1' })), /topics-to-move-json-file/)
    usage(
      () => reassignAction(flags({ verify: true, 'reassignment-json-file': 'f', throttle: 5 })),
      /Option "\[throttle\]" can't be used with action "\[verify\]"/,
    )
  })
  it('reads the reassignment file ("any" log dirs by default) and checks it as --execute does', () => {
    const parsed = parseReassignmentJson('{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2]}]}')
    assert.deepEqual(parsed, [{ topic: 't', partition: 0, replicas: [1, 2], logDirs: ['any', 'any'] }])
    usage(
      () => parseReassignmentJson('{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}'),
      /Size of replicas list \[1, 2\] is different from size of log dirs list \[any\] for partition t-0/,
    )
    usage(() => checkExecuteAssignment([]), /Partition reassignment list cannot be empty/)
    usage(
      () => checkExecuteAssignment([{ topic: 't', partition: 0, replicas: [1, 1], logDirs: ['any', 'any'] }]),
      /t-0 contains multiple entries for 1/,
    )
    usage(
      () =>
        checkExecuteAssignment([
          { topic: 't', partition: 0, replicas: [1], logDirs: ['any'] },
          { topic: 't', partition: 0, replicas: [2], logDirs: ['any'] },
        ]),
      /duplicate topic partitions: t-0/,
    )
  })
  it('reads the topics file and the broker list', () => {
    assert.deepEqual(parseTopicsToMoveJson('{"topics":[{"topic":"a"},{"topic":"b"}],"version":1}'), ['a', 'b'])
    usage(() => parseTopicsToMoveJson('{"topics":[{"topic":"a"},{"topic":"a"}]}'), /duplicate entries: \[a\]/)
    assert.deepEqual(parseBrokerIds('1,2, 3'), [1, 2, 3])
    usage(() => parseBrokerIds('1,x'), /Invalid --broker-list/)
  })
})

describe("reassign-partitions: Kafka's placement and throttles", () => {
  it('places replicas as AdminUtils does for a fixed start (its own test case)', () => {
    const brokers = [0, 1, 2, 3, 4].map((id) => ({ id, rack: null }))
    assert.deepEqual(
      assignReplicasToBrokers(brokers, 10, 3, () => 0),
      [
        [0, 1, 2],
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 0],
        [4, 0, 1],
        [0, 2, 3],
        [1, 3, 4],
        [2, 4, 0],
        [3, 0, 1],
        [4, 1, 2],
      ],
    )
    assert.throws(() => assignReplicasToBrokers(brokers, 1, 6), /larger than available brokers: 5/)
  })
  it('alternates racks and never puts two replicas of a partition on one rack while another rack is free', () => {
    const racks = { 0: 'rack1', 1: 'rack3', 2: 'rack3', 3: 'rack2', 4: 'rack2', 5: 'rack1' } as Record<number, string>
    const brokers = Object.entries(racks).map(([id, rack]) => ({ id: Number(id), rack }))
    assert.deepEqual(rackAlternatedBrokers(brokers), [0, 3, 1, 5, 4, 2])
    for (const replicas of assignReplicasToBrokers(brokers, 6, 3, () => 0))
      assert.equal(new Set(replicas.map((r) => racks[r])).size, 3, JSON.stringify(replicas))
  })
  it('throttles the sources as leaders and the new replicas as followers', () => {
    const current = new Map([
      ['t\u00000', [1, 2]],
      ['t\u00002', [3, 1]],
    ])
    const moves = proposedMoves(
      [],
      [
        { topic: 't', partition: 0, replicas: [2, 3] },
        { topic: 't', partition: 2, replicas: [1, 2] },
      ],
      current,
    )
    assert.equal(leaderThrottles(moves).get('t'), '0:1,0:2,2:1,2:3')
    assert.equal(followerThrottles(moves).get('t'), '0:3,2:2')
    assert.deepEqual(reassigningBrokers(moves), [1, 2, 3])
  })
})

describe('reassign-partitions and log-dirs: the script output', () => {
  it('writes the reassignment JSON compactly, sorted by topic and partition number', () => {
    assert.equal(
      reassignmentJson([
        { topic: 't', partition: 10, replicas: [2] },
        { topic: 't', partition: 2, replicas: [1], logDirs: ['/d'] },
      ]),
      '{"version":1,"partitions":[{"topic":"t","partition":2,"replicas":[1],"log_dirs":["/d"]},{"topic":"t","partition":10,"replicas":[2],"log_dirs":["any"]}]}',
    )
  })
  it('prints --list, --verify and --cancel as the 4.4 tool did (byte for byte)', () => {
    assert.equal(
      reassignText({
        action: 'list',
        reassignments: [
          { topic: 'big', partition: 1, replicas: [3, 2, 1], addingReplicas: [2, 3], removingReplicas: [1] },
          { topic: 'big', partition: 0, replicas: [2, 3, 1], addingReplicas: [2, 3], removingReplicas: [1] },
        ],
      }),
      'Current partition reassignments:\nbig-0: replicas: 2,3,1. adding: 2,3. removing: 1.\nbig-1: replicas: 3,2,1. adding: 2,3. removing: 1.\n',
    )
    assert.equal(reassignText({ action: 'list', reassignments: [] }), 'No partition reassignments found.\n')
    assert.equal(
      reassignText({
        action: 'verify',
        ongoing: false,
        partitions: [{ topic: 't3', partition: 0, currentReplicas: [2], targetReplicas: [2], done: true }],
        clearedThrottles: { brokers: [3, 1, 2], topics: ['t3'] },
      }),
      'Status of partition reassignment:\nReassignment of partition t3-0 is completed.\n\nClearing broker-level throttles on brokers 1,2,3\nClearing topic-level throttles on topic t3\n',
    )
    assert.equal(
      reassignText({
        action: 'cancel',
        cancelled: [{ topic: 'big', partition: 1 }],
        errors: [],
        clearedThrottles: null,
      }),
      'Successfully cancelled partition reassignment for: big-1\nNone of the specified partition moves are active.',
    )
    assert.equal(clearingThrottlesText([1], ['a', 'b']).split('\n')[0], 'Clearing broker-level throttles on broker 1')
  })
  it('prints log-dirs JSON with the key order of Java HashMaps', () => {
    const text = logDirsScriptText([
      {
        broker: 2,
        logDirs: [
          {
            logDir: '/data/broker-2',
            error: null,
            totalBytes: 100,
            usableBytes: 50,
            partitions: [
              { topic: 't2', partition: 0, size: 0, offsetLag: 0, isFuture: false },
              { topic: 't1', partition: 1, size: 989, offsetLag: 0, isFuture: false },
            ],
          },
        ],
      },
    ])
    assert.equal(
      text,
      [
        'Querying brokers for log directories information',
        'Received log directory information from brokers 2',
        '{"brokers":[{"broker":2,"logDirs":[{"partitions":[{"partition":"t1-1","size":989,"offsetLag":0,"isFuture":false},{"partition":"t2-0","size":0,"offsetLag":0,"isFuture":false}],"error":null,"logDir":"/data/broker-2"}]}],"version":1}',
      ].join('\n'),
    )
  })
})
