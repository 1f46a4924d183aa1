import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { Reader, Writer } from '../../src/protocol/primitives.js'
import { parseAddConfig, parseDeleteConfig, resolveConfigsRequest, resolveEntity } from '../../src/configs/options.js'
import { renderConfigEntry, renderConfigsDescribe, renderAlterDone } from '../../src/configs/views.js'
import { ExitCode, UsageError } from '../../src/errors.js'
import {
  applyDescribeFilters,
  renderDescribe,
  renderPartitionLine,
  renderTopicLine,
  type TopicView,
} from '../../src/topics/describe.js'
import { compileTopicFilter, selectTopics } from '../../src/topics/filter.js'
import { hasCollisionChars, topicNameProblem, validateTopicName } from '../../src/topics/names.js'
import {
  compareTopicPartitions,
  parsePartitionIds,
  parseListOffsetsTime,
  parseTopicPartitions,
  partitionSelected,
  selectorFromTopicAndPartitions,
  topicSelected,
} from '../../src/offsets/options.js'
import { parseTopicConfigs, resolveTopicsRequest, selectedAction, topicFrom } from '../../src/topics/options.js'
import { renderOperationResults } from '../../src/topics/views.js'
import { parseReplicaAssignment } from '../../src/topics/replica-assignment.js'
import {
  installShims,
  isOnPath,
  shimDirOf,
  shimNames,
  shimScript,
  shimTargets,
  uninstallShims,
} from '../../src/shims/shims.js'
import { COMMANDS } from '../../src/command-index.js'

function usage(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UsageError && e.exitCode === ExitCode.usage && message.test(e.message))
}

describe("topic names (Kafka's Topic.validate rules)", () => {
  const cases: Array<[string, RegExp | undefined]> = [
    ['orders', undefined],
    ['a.b_c-D9', undefined],
    ['x'.repeat(249), undefined],
    ['', /can't be empty/],
    ['.', /cannot be "." or ".."/],
    ['..', /cannot be "." or ".."/],
    ['x'.repeat(250), /longer than 249/],
    ['bad name', /illegal, it contains a character/],
    ['é', /illegal/],
    ['a/b', /illegal/],
  ]
  for (const [name, problem] of cases) {
    it(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}…(${name.length})` : name)} → ${problem ?? 'ok'}`, () => {
      if (problem) assert.match(topicNameProblem(name)!, problem)
      else assert.equal(topicNameProblem(name), undefined)
    })
  }
  it('validateTopicName throws a usage error', () => usage(() => validateTopicName('a b'), /illegal/))
  it('warns about names mixing . and _', () => {
    assert.equal(hasCollisionChars('a.b_c'), true)
    assert.equal(hasCollisionChars('a.b'), false)
  })
})

describe('topic regex (IncludeList)', () => {
  const all = ['orders', 'orders-eu', 'payments', '__consumer_offsets', 'ordersXv1', 'orders.v1']
  const cases: Array<[string, string[]]> = [
    ['orders', ['orders']],
    ['orders.*', ['orders', 'orders-eu', 'orders.v1', 'ordersXv1']],
    ['orders,payments', ['orders', 'payments']],
    ['"payments"', ['payments']],
    [' orders | payments ', ['orders', 'payments']],
    ['orders.v1', ['orders.v1', 'ordersXv1']],
    ['rders', []],
  ]
  for (const [raw, expected] of cases)
    it(`${raw} → ${expected.join(',') || 'nothing'}`, () =>
      assert.deepEqual(selectTopics(all, compileTopicFilter(raw), false), expected))
  it('excludes internal topics when asked', () => {
    assert.deepEqual(selectTopics(all, compileTopicFilter('__.*'), false), ['__consumer_offsets'])
    assert.deepEqual(selectTopics(all, compileTopicFilter('__.*'), true), [])
  })
  it('sorts like Java (code units)', () =>
    assert.deepEqual(selectTopics(['b', 'B', 'a', '_x'], undefined, false), ['B', '_x', 'a', 'b']))
  it('rejects an invalid regex', () => usage(() => compileTopicFilter('orders['), /invalid regex/))
})

describe('--replica-assignment', () => {
  it('parses partitions and replicas', () =>
    assert.deepEqual(parseReplicaAssignment('1:2, 2:3 ,3:1'), [
      [1, 2],
      [2, 3],
      [3, 1],
    ]))
  it('one replica per partition', () => assert.deepEqual(parseReplicaAssignment('1,1,2'), [[1], [1], [2]]))
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['1:a', /not a list of broker ids/],
    ['1:1', /lists broker 1 more than once/],
    ['1:2,3', /partition 1 has replication factor 1, partition 0 has 2/],
    ['1,,2', /partition 1/],
  ]
  for (const [value, message] of bad)
    it(`rejects ${JSON.stringify(value)}`, () => usage(() => parseReplicaAssignment(value), message))
})

describe('topics flags → request', () => {
  it('picks the action, defaulting to list / describe', () => {
    assert.equal(selectedAction({}, undefined), 'list')
    assert.equal(selectedAction({}, 'orders'), 'describe')
    assert.equal(selectedAction({ create: true }, 'orders'), 'create')
  })
  it('refuses two actions', () =>
    usage(() => resolveTopicsRequest({ create: true, delete: true }, 'x'), /Conflicting actions --create and --delete/))
  it('refuses two different topics', () => usage(() => topicFrom('a', 'b'), /Two different topics/))
  it('builds a create request', () => {
    const r = resolveTopicsRequest(
      {
        create: true,
        partitions: 3,
        'replication-factor': 1,
        config: ['retention.ms=1000', 'cleanup.policy = compact'],
      },
      'orders',
    )
    assert.deepEqual(r, {
      action: 'create',
      topic: 'orders',
      partitions: 3,
      replicationFactor: 1,
      replicaAssignment: undefined,
      configs: { 'retention.ms': '1000', 'cleanup.policy': 'compact' },
      ifNotExists: false,
      collisionWarning: false,
    })
  })
  const bad: Array<[string, Parameters<typeof resolveTopicsRequest>[0], string | undefined, RegExp]> = [
    ['invalid name', { create: true }, 'bad name', /illegal/],
    ['--partitions 0', { create: true, partitions: 0 }, 'x', /partitions must be greater than 0/],
    ['--alter --partitions 0', { alter: true, partitions: 0 }, 'x', /partitions must be greater than 0/],
    ['--replication-factor 0', { create: true, 'replication-factor': 0 }, 'x', /between 1 and 32767/],
    ['malformed --config', { create: true, config: ['retention.ms'] }, 'x', /Invalid --config "retention.ms"/],
    ['empty --config value', { create: true, config: ['retention.ms='] }, 'x', /Invalid --config/],
    [
      '--config with --alter',
      { alter: true, partitions: 2, config: ['a=b'] },
      'x',
      /--config can't be used with --alter.*kafkit configs --alter/,
    ],
    ['--alter without --partitions', { alter: true }, 'x', /--alter needs --partitions/],
    ['--delete without topic', { delete: true }, undefined, /--delete needs a topic/],
    [
      '--replica-assignment with --partitions',
      { create: true, 'replica-assignment': '1', partitions: 1 },
      'x',
      /can't be used with --partitions/,
    ],
    [
      'malformed --replica-assignment',
      { create: true, 'replica-assignment': '1:x' },
      'x',
      /Invalid --replica-assignment/,
    ],
    [
      '--if-not-exists with --delete',
      { delete: true, 'if-not-exists': true },
      'x',
      /--if-not-exists can't be used with --delete/,
    ],
    [
      'report flag with --list',
      { list: true, 'under-replicated-partitions': true },
      undefined,
      /--under-replicated-partitions can't be used with --list/,
    ],
    [
      'overrides with report flags',
      { describe: true, 'topics-with-overrides': true, 'unavailable-partitions': true },
      undefined,
      /--topics-with-overrides can't be used/,
    ],
  ]
  for (const [label, flags, topic, message] of bad)
    it(`rejects ${label}`, () => usage(() => resolveTopicsRequest(flags, topic), message))
  it('--config keeps = inside values', () => assert.deepEqual(parseTopicConfigs(['a=b=c']), { a: 'b=c' }))
})

const view = (over: Partial<TopicView> = {}): TopicView => ({
  name: 'orders',
  topicId: 'IYCPKlLUT3Scb6uBP5QLZA',
  internal: false,
  partitionCount: 2,
  replicationFactor: 2,
  configs: { 'segment.bytes': '1073741824', 'cleanup.policy': 'compact,delete' },
  minInsyncReplicas: 2,
  partitions: [
    { partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], elr: [], lastKnownElr: [], offlineReplicas: [] },
    { partition: 1, leader: 2, replicas: [2, 1], isr: [2], elr: null, lastKnownElr: null, offlineReplicas: [] },
  ],
  ...over,
})

describe("describe rendering (the script's lines)", () => {
  it('topic line', () =>
    assert.equal(
      renderTopicLine(view()),
      'Topic: orders\tTopicId: IYCPKlLUT3Scb6uBP5QLZA\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: segment.bytes=1073741824,cleanup.policy=compact,delete',
    ))
  it('no TopicId when unknown or zero', () => {
    assert.doesNotMatch(renderTopicLine(view({ topicId: null })), /TopicId/)
    assert.doesNotMatch(renderTopicLine(view({ topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })), /TopicId/)
  })
  it('partition lines with ELR lists or N/A', () => {
    const [p0, p1] = view().partitions
    assert.equal(
      renderPartitionLine('orders', p0!),
      '\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: \tLastKnownElr: ',
    )
    assert.equal(
      renderPartitionLine('orders', p1!),
      '\tTopic: orders\tPartition: 1\tLeader: 2\tReplicas: 2,1\tIsr: 2\tElr: N/A\tLastKnownElr: N/A',
    )
    assert.match(renderPartitionLine('o', { ...p0!, leader: null }), /Leader: none/)
    assert.match(
      renderPartitionLine('o', { ...p0!, replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [] }),
      /Isr: 1,2\tAdding Replicas: 3\tRemoving Replicas: \tElr/,
    )
  })
  it('report flags keep only matching partitions and hide topic lines', () => {
    const under = applyDescribeFilters([view()], { underReplicated: true }, [1, 2])
    assert.deepEqual(
      renderDescribe(under).map((l) => l.split('\t')[2]),
      ['Partition: 1'],
    )
    assert.equal(under.showTopicLines, false)
    assert.deepEqual(applyDescribeFilters([view()], { unavailable: true }, [1, 2]).topics, [])
    assert.equal(applyDescribeFilters([view()], { unavailable: true }, [1]).topics[0]!.partitions[0]!.partition, 1)
    assert.deepEqual(
      applyDescribeFilters([view()], { underMinIsr: true }, [1, 2]).topics[0]!.partitions.map((p) => p.partition),
      [1],
    )
    assert.deepEqual(
      applyDescribeFilters([view()], { atMinIsr: true }, [1, 2]).topics[0]!.partitions.map((p) => p.partition),
      [0],
    )
  })
  it('--topics-with-overrides: topic lines only, topics with overrides only', () => {
    const v = applyDescribeFilters(
      [view(), view({ name: 'plain', configs: {} })],
      { topicsWithOverrides: true },
      [1, 2],
    )
    assert.deepEqual(
      renderDescribe(v).map((l) => l.split('\t')[0]),
      ['Topic: orders'],
    )
  })
})

describe('operation results', () => {
  it("one topic: the script's sentence", () => {
    assert.deepEqual(renderOperationResults([{ topic: 'o', status: 'created' }]), ['Created topic o.'])
    assert.deepEqual(
      renderOperationResults([{ topic: 'o', status: 'altered', previousPartitions: 1, partitions: 3 }]),
      ['Altered topic o: 1 -> 3 partitions.'],
    )
  })
  it('several: one row each', () =>
    assert.deepEqual(
      renderOperationResults([
        { topic: 'a', status: 'deleted' },
        { topic: 'b', status: 'failed', error: 'nope' },
      ]),
      ['TOPIC  STATUS   DETAIL', 'a      deleted', 'b      failed   nope'],
    ))
})

describe('get-offsets arguments', () => {
  const times: Array<[string, string, bigint]> = [
    ['-1', 'latest', -1n],
    ['latest', 'latest', -1n],
    ['-2', 'earliest', -2n],
    ['earliest', 'earliest', -2n],
    ['-3', 'max-timestamp', -3n],
    ['max-timestamp', 'max-timestamp', -3n],
    ['-4', 'earliest-local', -4n],
    ['latest-tiered', 'latest-tiered', -5n],
    ['1714521600000', 'timestamp', 1714521600000n],
    ['2024-05-01T00:00:00Z', 'timestamp', 1714521600000n],
  ]
  for (const [input, name, ts] of times)
    it(`--time ${input}`, () =>
      assert.deepEqual([parseListOffsetsTime(input).name, parseListOffsetsTime(input).timestamp], [name, ts]))
  it('max-timestamp needs ListOffsets v7', () => assert.equal(parseListOffsetsTime('-3').minVersion, 7))
  it('a time relative to now, as --from-time takes it', () =>
    assert.equal(parseListOffsetsTime('-15m', 1_000_000_000).timestamp, 1_000_000_000n - 900_000n))
  it('rejects garbage and -6', () => {
    usage(() => parseListOffsetsTime('yesterday'), /Malformed time argument yesterday/)
    usage(() => parseListOffsetsTime('-6'), /not supported by kafkit/)
    usage(() => parseListOffsetsTime('-7'), /Malformed/)
  })
  it('--topic-partitions grammar (range end excluded)', () => {
    const s = parseTopicPartitions('orders:0-2,payments:1,:5,logs:3-,x:-2,all')
    const picks = (t: string) => [0, 1, 2, 3, 4, 5, 6].filter((p) => partitionSelected(s, t, p))
    assert.deepEqual(picks('orders'), [0, 1, 5])
    assert.deepEqual(picks('payments'), [1, 5])
    assert.deepEqual(picks('logs'), [3, 4, 5, 6])
    assert.deepEqual(picks('x'), [0, 1, 5])
    assert.deepEqual(picks('all'), [0, 1, 2, 3, 4, 5, 6])
    assert.equal(topicSelected(parseTopicPartitions('orders:1'), 'other'), false)
  })
  it('rejects malformed --topic-partitions', () => {
    usage(() => parseTopicPartitions('orders:x'), /Invalid --topic-partitions rule "orders:x"/)
    usage(() => parseTopicPartitions('orders:1:2'), /Invalid --topic-partitions rule/)
  })
  it('--partitions ids', () => {
    assert.deepEqual(parsePartitionIds('0, 2'), [0, 2])
    assert.equal(parsePartitionIds(undefined), undefined)
    usage(() => parsePartitionIds('0,a'), /comma separated list of numeric partition ids/)
    const s = selectorFromTopicAndPartitions('o.*', [2])
    assert.deepEqual(
      [partitionSelected(s, 'orders', 2), partitionSelected(s, 'orders', 1), partitionSelected(s, 'x', 2)],
      [true, false, false],
    )
  })
  it('orders like TopicPartition.toString()', () => {
    const sorted = [
      { topic: 't', partition: 2 },
      { topic: 't', partition: 10 },
      { topic: 't', partition: 1 },
      { topic: 's', partition: 3 },
    ].sort(compareTopicPartitions)
    assert.deepEqual(
      sorted.map((x) => `${x.topic}:${x.partition}`),
      ['s:3', 't:1', 't:10', 't:2'],
    )
  })
})

describe('configs arguments', () => {
  it('--add-config with [..] lists', () => {
    assert.deepEqual(parseAddConfig('retention.ms=1000,cleanup.policy=[compact,delete], max.message.bytes = 20'), {
      'retention.ms': '1000',
      'cleanup.policy': 'compact,delete',
      'max.message.bytes': '20',
    })
    assert.deepEqual(parseAddConfig('ssl.endpoint.identification.algorithm='), {
      'ssl.endpoint.identification.algorithm': '',
    })
  })
  for (const bad of ['retention.ms', 'a=b=c', '=1', 'a=1,,b=2']) {
    it(`rejects --add-config ${JSON.stringify(bad)}`, () =>
      usage(() => parseAddConfig(bad), /all configs to be added must be in the format/))
  }
  it('rejects odd config keys', () =>
    usage(() => parseAddConfig('a b=1'), /Invalid character found for config key: a b/))
  it('--delete-config lists', () => assert.deepEqual(parseDeleteConfig(['a,b', ' c ']), ['a', 'b', 'c']))
  it('entities from every spelling', () => {
    assert.deepEqual(resolveEntity({ topic: 'orders' }), { type: 'topics', name: 'orders' })
    assert.deepEqual(resolveEntity({ 'entity-type': 'topics', 'entity-name': 'orders' }), {
      type: 'topics',
      name: 'orders',
    })
    assert.deepEqual(resolveEntity({ 'entity-type': 'topics' }), { type: 'topics', name: undefined })
    assert.deepEqual(resolveEntity({ broker: '1' }), { type: 'brokers', name: '1' })
    assert.deepEqual(resolveEntity({ 'entity-type': 'brokers', 'entity-default': true }), { type: 'brokers', name: '' })
    assert.deepEqual(resolveEntity({ 'broker-defaults': true }), { type: 'brokers', name: '' })
  })
  const bad: Array<[string, Parameters<typeof resolveConfigsRequest>[0], RegExp]> = [
    ['no entity', { describe: true }, /At least one entity type/],
    ['mixed spellings', { topic: 'a', 'entity-type': 'topics' }, /should not be used in conjunction/],
    ['users', { 'entity-type': 'users' }, /not supported by kafkit configs/],
    ['nonsense type', { 'entity-type': 'cats' }, /Invalid entity type cats/],
    ['broker name', { broker: 'one' }, /valid integer broker id, but it is: one/],
    ['invalid topic', { topic: 'a b' }, /illegal/],
    ['both actions', { describe: true, alter: true, topic: 'a' }, /Conflicting actions/],
    ['alter without changes', { alter: true, topic: 'a' }, /At least one of --add-config/],
    [
      'alter without name',
      { alter: true, 'entity-type': 'topics', 'add-config': 'a=1' },
      /An entity name must be specified with --alter of topics/,
    ],
    ['describe with changes', { describe: true, topic: 'a', 'add-config': 'a=1' }, /go with --alter/],
    [
      'add and delete the same key',
      { topic: 'a', 'add-config': 'x=1', 'delete-config': ['x'] },
      /both added and deleted/,
    ],
    ['topics default', { 'entity-type': 'topics', 'entity-default': true }, /--entity-default is for brokers/],
  ]
  for (const [label, flags, message] of bad)
    it(`rejects ${label}`, () => usage(() => resolveConfigsRequest(flags), message))
  it('changes imply --alter', () =>
    assert.deepEqual(resolveConfigsRequest({ topic: 'a', 'delete-config': ['x'] }), {
      action: 'alter',
      entity: { type: 'topics', name: 'a' },
      set: {},
      delete: ['x'],
    }))
  it('--add-config-file reads properties', () => {
    const request = resolveConfigsRequest(
      { topic: 'a', alter: true, 'add-config-file': 'f' },
      () => 'retention.ms=5\n# c\n',
    )
    assert.ok(request.action === 'alter', request.action)
    assert.deepEqual(request.set, { 'retention.ms': '5' })
  })
})

describe("configs rendering (the script's lines)", () => {
  const entry = {
    name: 'cleanup.policy',
    value: 'compact,delete',
    source: 'DYNAMIC_TOPIC_CONFIG',
    sensitive: false,
    readOnly: false,
    synonyms: [
      { name: 'cleanup.policy', value: 'compact,delete', source: 'DYNAMIC_TOPIC_CONFIG' },
      { name: 'log.cleanup.policy', value: 'delete', source: 'DEFAULT_CONFIG' },
    ],
  }
  it('entry', () =>
    assert.equal(
      renderConfigEntry(entry),
      '  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, DEFAULT_CONFIG:log.cleanup.policy=delete}',
    ))
  it('headers', () =>
    assert.deepEqual(
      renderConfigsDescribe(
        [
          { type: 'topics', name: 'o', configs: [] },
          { type: 'brokers', name: '1', configs: [] },
          { type: 'brokers', name: '', configs: [] },
        ],
        false,
      ),
      [
        'Dynamic configs for topic o are:',
        'Dynamic configs for broker 1 are:',
        'Default configs for brokers in the cluster are:',
      ],
    ))
  it('--all header and alter lines', () => {
    assert.deepEqual(renderConfigsDescribe([{ type: 'brokers', name: '1', configs: [] }], true), [
      'All configs for broker 1 are:',
    ])
    assert.equal(renderAlterDone({ type: 'topics', name: 'o' }), 'Completed updating config for topic o.')
    assert.equal(
      renderAlterDone({ type: 'brokers', name: '' }),
      'Completed updating default config for brokers in the cluster.',
    )
  })
})

describe('wire primitives (src/protocol/primitives.ts)', () => {
  it('round-trips classic and compact encodings', () => {
    for (const compact of [false, true]) {
      const w = new Writer(4)
      w.int8(-1)
      w.int16(300)
      w.int32(-5)
      w.int64(2n ** 40n)
      w.string('héllo', compact)
      w.string(null, compact)
      w.arrayLength(2, compact)
      w.int32(1)
      w.int32(2)
      w.arrayLength(null, compact)
      w.uvarint(300)
      w.taggedFields([])
      const r = new Reader(Buffer.from(w.finish()))
      const values = [r.int8(), r.int16(), r.int32(), r.int64(), r.string(compact), r.string(compact)]
      const length = r.arrayLength(compact)!
      const items = Array.from({ length }, () => r.int32())
      assert.deepEqual(
        [...values, items, r.arrayLength(compact), r.uvarint()],
        [-1, 300, -5, 2n ** 40n, 'héllo', null, [1, 2], null, 300],
      )
      r.taggedFields(() => assert.fail('no tagged fields were written'))
      assert.equal(r.remaining, 0)
    }
  })
  it('compact strings are length+1 varints', () => {
    const w = new Writer()
    w.string('ab', true)
    assert.deepEqual([...w.finish()], [3, 97, 98])
  })
  it('uuids print like Java (URL-safe base64, no padding)', () => {
    const r = new Reader(Buffer.from('7192c7de00954f2dabaebcd2954e3e15', 'hex'))
    assert.equal(r.uuid(), 'cZLH3gCVTy2rrrzSlU4-FQ')
  })
  it('skips unknown tagged fields', () => {
    const r = new Reader(Buffer.from([2, 0, 1, 9, 5, 2, 7, 7, 42]))
    const seen: number[] = []
    r.taggedFields((tag) => seen.push(tag))
    assert.deepEqual(seen, [0, 5])
    assert.equal(r.int8(), 42)
  })
  it('refuses a truncated message instead of reading past it', () => {
    assert.throws(() => new Reader(Buffer.from([0, 0, 0])).int32(), /Truncated message/)
  })
})

/** Commands as oclif's Config.commands lists them: id and static aliases. */
const ALL_COMMANDS = Object.entries(COMMANDS).map(([id, c]) => ({ id, aliases: c.aliases ?? [] }))
const TEN = [
  'topics',
  'console-producer',
  'console-consumer',
  'console-share-consumer',
  'consumer-groups',
  'groups',
  'share-groups',
  'streams-groups',
  'get-offsets',
  'configs',
].map((id) => ({ id, aliases: [`kafka-${id}`, `kafka-${id}.sh`] }))

describe('shims', () => {
  it('one executable per script name, with and without .sh', () => {
    assert.equal(shimNames(TEN).length, 20)
    assert.ok(shimNames(TEN).includes('kafka-console-consumer.sh'))
  })
  it('derives the scripts from the commands: aliases and ids named like Kafka scripts, bare and .sh', () => {
    const targets = shimTargets([
      ...TEN,
      { id: 'kafka-server-start' },
      { id: 'zookeeper-server-stop', aliases: [] },
      { id: 'shims:install' },
      { id: 'lag', aliases: ['kafka-lag-ish.sh'] },
      { id: 'topics', aliases: ['kafka-topics'] },
      { id: 'x', aliases: ['connect-distributed', 'connect-distributed.sh', 'kafkacat', 'kafka-'] },
    ])
    const byName = new Map(targets.map((t) => [t.name, t.command]))
    assert.equal(byName.get('kafka-server-start.sh'), 'kafka-server-start')
    assert.equal(byName.get('zookeeper-server-stop'), 'zookeeper-server-stop')
    // Only a .sh alias: the bare name runs it too.
    assert.equal(byName.get('kafka-lag-ish'), 'kafka-lag-ish.sh')
    assert.equal(byName.get('kafka-topics.sh'), 'kafka-topics')
    assert.equal(byName.get('connect-distributed.sh'), 'connect-distributed')
    for (const absent of ['shims:install', 'kafkacat', 'kafka-', 'kafka-.sh', 'lag']) assert.ok(!byName.has(absent))
    assert.equal(targets.length, 20 + 2 + 2 + 2 + 2)
    assert.deepEqual(
      targets.map((t) => t.name),
      [...targets.map((t) => t.name)].sort(),
    )
  })
  it("covers kafkit's own commands: every script alias and the server start/stop scripts", () => {
    const names = shimNames(ALL_COMMANDS)
    for (const c of ALL_COMMANDS)
      for (const alias of c.aliases) if (/^kafka-/.test(alias)) assert.ok(names.includes(alias), alias)
    for (const s of ['kafka-server-start', 'kafka-server-stop', 'zookeeper-server-start', 'zookeeper-server-stop'])
      assert.ok(names.includes(s) && names.includes(`${s}.sh`), s)
    assert.equal(names.length % 2, 0)
  })
  it('--prefix is PREFIX/bin, as npm lays out executables; not together with --dir', () => {
    assert.equal(shimDirOf({ prefix: '/opt/k' }), '/opt/k/bin')
    assert.equal(shimDirOf({ dir: '/opt/k' }), '/opt/k')
    assert.throws(() => shimDirOf({ dir: '/a', prefix: '/b' }), /--dir or --prefix, not both/)
  })
  it('execs node on run.js with the script alias, quoting paths', () => {
    const text = shimScript('kafka-topics', '/opt/n o/node', "/it's/bin/run.js", '/d')
    assert.match(text, /^#!\/bin\/sh\n/)
    assert.match(text, /exec '\/opt\/n o\/node' '\/it'\\''s\/bin\/run.js' kafka-topics "\$@"\n$/)
  })
  it('knows whether a directory is on PATH', () => {
    assert.equal(isOnPath('/usr/bin', '/bin:/usr/bin/'), true)
    assert.equal(isOnPath('/opt/x', '/bin:/usr/bin'), false)
  })
  it('install records, refuses foreign files, uninstall removes exactly what it wrote', () => {
    const home = mkdtempSync(join(tmpdir(), 'kafkit-shims-'))
    const dir = join(home, 'bin')
    const saved = process.env.KAFKIT_HOME
    process.env.KAFKIT_HOME = home
    try {
      const first = installShims({ commands: TEN, dir, node: '/n', runJs: '/r.js' })
      assert.equal(first.files.length, 20)
      assert.ok(first.files.every((f) => f.action === 'created'))
      assert.equal(statSync(join(dir, 'kafka-topics.sh')).mode & 0o777, 0o755)
      assert.deepEqual(
        installShims({ commands: TEN, dir, node: '/n', runJs: '/r.js' }).files.map((f) => f.action),
        Array(20).fill('updated'),
      )
      // A file the user changed is no longer ours: install refuses it, uninstall keeps it.
      writeFileSync(join(dir, 'kafka-configs'), '#!/bin/sh\necho mine\n')
      assert.throws(
        () => installShims({ commands: TEN, dir, node: '/n', runJs: '/r.js' }),
        /Not overwriting 1 file\(s\) kafkit did not write.*kafka-configs/,
      )
      writeFileSync(join(dir, 'unrelated'), 'x')
      const removed = uninstallShims({ dir })
      assert.equal(removed.removed.length, 19)
      assert.deepEqual(removed.kept, [{ path: join(dir, 'kafka-configs'), reason: 'changed since kafkit wrote it' }])
      assert.equal(readFileSync(join(dir, 'kafka-configs'), 'utf8'), '#!/bin/sh\necho mine\n')
      assert.ok(existsSync(join(dir, 'unrelated')))
      // --force keeps the foreign file aside and uninstall puts it back.
      const forced = installShims({ commands: TEN, dir, force: true, node: '/n', runJs: '/r.js' })
      assert.deepEqual(
        forced.files.filter((f) => f.action === 'replaced').map((f) => f.name),
        ['kafka-configs'],
      )
      assert.ok(existsSync(join(dir, 'kafka-configs.kafkit-backup')))
      const again = uninstallShims({ dir })
      assert.deepEqual(again.restored, [join(dir, 'kafka-configs')])
      assert.equal(readFileSync(join(dir, 'kafka-configs'), 'utf8'), '#!/bin/sh\necho mine\n')
      assert.deepEqual(uninstallShims({ dir }), { dir, removed: [], restored: [], kept: [] })
    } finally {
      if (saved === undefined) delete process.env.KAFKIT_HOME
      else process.env.KAFKIT_HOME = saved
    }
  })
  it('with --prefix: install writes PREFIX/bin, a later install keeps the earlier shims recorded, uninstall removes all', () => {
    const home = mkdtempSync(join(tmpdir(), 'kafkit-shims-'))
    const prefix = join(home, 'pfx')
    const saved = process.env.KAFKIT_HOME
    process.env.KAFKIT_HOME = home
    try {
      const first = installShims({ commands: TEN, prefix, node: '/n', runJs: '/r.js' })
      assert.equal(first.dir, join(prefix, 'bin'))
      assert.ok(existsSync(join(prefix, 'bin', 'kafka-topics.sh')))
      // The next kafkit has one command less: its shim stays recorded, not orphaned.
      installShims({ commands: TEN.slice(1), prefix, node: '/n', runJs: '/r.js' })
      const removed = uninstallShims({ prefix })
      assert.equal(removed.removed.length, 20)
      assert.deepEqual(removed.kept, [])
      assert.ok(!existsSync(join(prefix, 'bin', 'kafka-topics.sh')))
    } finally {
      if (saved === undefined) delete process.env.KAFKIT_HOME
      else process.env.KAFKIT_HOME = saved
    }
  })
})
