import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  freePorts,
  json,
  kafkaClient,
  repoRoot,
  run,
  runNode,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * delete-records, leader-election, reassign-partitions and log-dirs on one three-broker 4.4 stack, each compared with
 * Kafka's own tool (run through kafka-run-class.sh: the .cache dist has no script for most of them) on the same
 * cluster: the same effect (low watermarks, leaders, replicas, throttles) and the same output where it is parsed.
 * Then the same commands on a three-broker 3.9.2 stack beside 3.9.2's tools, through the checks both suites share.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const CLASSES = {
  deleteRecords: 'org.apache.kafka.tools.DeleteRecordsCommand',
  election: 'org.apache.kafka.tools.LeaderElectionCommand',
  reassign: 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
  logDirs: 'org.apache.kafka.tools.LogDirsCommand',
}

/** One suite's stack, filled in by its `before`. */
interface Stack {
  version: string
  box: Sandbox
  bootstrap: string
  dir: string
}

/** kafkit and the stack's own Kafka tools on a suite's stack (read when called, so `before` may fill `stack` later). */
function toolsOn(stack: Stack) {
  const bin = (name: string) => join(distHome(stack.version), 'bin', name)
  const k = (args: string[]) => stack.box.kafkit([...args, '--bootstrap-server', stack.bootstrap])
  const tool = (main: keyof typeof CLASSES, args: string[]): Promise<Run> =>
    run(bin('kafka-run-class.sh'), [CLASSES[main], '--bootstrap-server', stack.bootstrap, ...args], TOOL_ENV, 120_000)
  const file = (name: string, content: unknown) => {
    const path = join(stack.dir, name)
    writeFileSync(path, JSON.stringify(content))
    return path
  }
  const ok = (r: Run) => {
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`)
    return r.stdout
  }
  const earliest = async (topic: string) =>
    ok(await k(['get-offsets', '--topic', topic, '--time', 'earliest']))
      .trim()
      .split('\n')
  const partitionsOf = async (topic: string) => {
    const admin = kafkaClient(stack.bootstrap).admin()
    await admin.connect()
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] })
      return meta.topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId)
    } finally {
      await admin.disconnect()
    }
  }
  const createTopic = async (topic: string, args: string[]) =>
    ok(await k(['topics', '--create', '--topic', topic, ...args]))
  const produce = async (topic: string, messages: Array<{ partition: number; value: string; timestamp?: string }>) => {
    const producer = kafkaClient(stack.bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    try {
      await producer.send({ topic, messages })
    } finally {
      await producer.disconnect()
    }
  }
  const topicConfigs = (topic: string) =>
    run(
      bin('kafka-configs.sh'),
      ['--bootstrap-server', stack.bootstrap, '--describe', '--entity-type', 'topics', '--entity-name', topic],
      TOOL_ENV,
    )
  return { bin, k, tool, file, ok, earliest, partitionsOf, createTopic, produce, topicConfigs }
}
type Tools = ReturnType<typeof toolsOn>

/**
 * `topic` on brokers 1:2:3,2:3:1,3:1:2, partitions 0 and 1 reordered by kafkit (another broker preferred, the leader
 * unchanged), then a preferred election: the Java tool's for partition 0, kafkit's (the script's name and a JSON file)
 * for 1 and 2. The same lines, and the leaders move to the preferred replicas.
 */
async function preferredElection(t: Tools, topic: string): Promise<void> {
  const { k, ok, tool, file, partitionsOf } = t
  await t.createTopic(topic, ['--replica-assignment', '1:2:3,2:3:1,3:1:2'])
  // Reordering the replicas (same set: done at once) makes another broker preferred while the leader stays.
  ok(
    await k([
      'reassign-partitions',
      '--execute',
      '--reassignment-json-file',
      file(`${topic}-reorder.json`, {
        version: 1,
        partitions: [
          { topic, partition: 0, replicas: [2, 1, 3] },
          { topic, partition: 1, replicas: [3, 2, 1] },
        ],
      }),
    ]),
  )
  await eventually(
    async () => {
      const parts = await partitionsOf(topic)
      return parts[0]!.replicas[0] === 2 && parts[1]!.replicas[0] === 3
    },
    30_000,
    'replicas reordered',
  )
  assert.deepEqual(
    (await partitionsOf(topic)).map((p) => p.leader),
    [1, 2, 3],
  )

  const java = await tool('election', ['--election-type', 'PREFERRED', '--topic', topic, '--partition', '0'])
  assert.equal(java.code, 0, java.stderr)
  assert.equal(java.stdout, `Successfully completed leader election (PREFERRED) for partitions ${topic}-0\n`)
  const ours = await t.k([
    'kafka-leader-election.sh',
    '--election-type',
    'preferred',
    '--path-to-json-file',
    file(`${topic}-election.json`, {
      partitions: [
        { topic, partition: 1 },
        { topic, partition: 2 },
      ],
    }),
  ])
  assert.equal(
    ok(ours),
    `Successfully completed leader election (PREFERRED) for partitions ${topic}-1\nValid replica already elected for partitions ${topic}-2\n`,
  )
  assert.deepEqual(
    (await partitionsOf(topic)).map((p) => p.leader),
    [2, 3, 3],
  )
}

/**
 * `--generate` for `topic` (3 partitions, 2 replicas) on brokers 1,2 by both tools: the current layout is the same
 * text; the proposal starts at a random broker in both, so its shape is compared. Returns kafkit's current layout.
 */
async function compareGenerate(t: Tools, topic: string): Promise<Array<{ log_dirs: string[] }>> {
  await t.createTopic(topic, ['--partitions', '3', '--replication-factor', '2'])
  const topics = t.file(`${topic}-topics.json`, { topics: [{ topic }], version: 1 })
  const java = await t.tool('reassign', ['--generate', '--topics-to-move-json-file', topics, '--broker-list', '1,2'])
  const ours = await t.k([
    'kafka-reassign-partitions.sh',
    '--generate',
    '--topics-to-move-json-file',
    topics,
    '--broker-list',
    '1,2',
  ])
  const [javaLines, ourLines] = [t.ok(java).split('\n'), t.ok(ours).split('\n')]
  assert.equal(ourLines.length, javaLines.length)
  assert.deepEqual(ourLines.slice(0, 4), javaLines.slice(0, 4))
  assert.equal(ourLines[3], 'Proposed partition reassignment configuration')
  const shape = (line: string) =>
    JSON.parse(line).partitions.map((p: any) => ({
      topic: p.topic,
      partition: p.partition,
      count: p.replicas.length,
      onBrokers: p.replicas.every((r: number) => r === 1 || r === 2) && new Set(p.replicas).size === p.replicas.length,
      logDirs: p.log_dirs,
    }))
  assert.deepEqual(shape(ourLines[4]!), shape(javaLines[4]!))
  assert.ok(shape(ourLines[4]!).every((p: any) => p.onBrokers))
  return JSON.parse(ourLines[1]!).partitions
}

describe(`partition admin commands (Kafka ${KAFKA_4}, 3 brokers) against Kafka's own tools`, () => {
  const stack = { version: KAFKA_4 } as Stack
  const t = toolsOn(stack)
  const { k, tool, file, ok, earliest, partitionsOf, createTopic, produce } = t
  let box: Sandbox
  let bootstrap: string

  before(async () => {
    box = sandbox()
    stack.box = box
    stack.dir = box.home
    const port = await freePorts(3)
    const controllerPort = await freePorts(1)
    const up = await box.kafkit([
      'up',
      '--stack',
      'parts',
      '--runtime',
      'dist',
      '--version',
      KAFKA_4,
      '--brokers',
      '3',
      '--heap',
      '256m',
      '--port',
      String(port),
      '--controller-port',
      String(controllerPort),
      '--json',
    ])
    assert.equal(up.code, 0, up.stderr)
    bootstrap = json(up).bootstrapServers
    stack.bootstrap = bootstrap
  })
  after(async () => box.cleanup())

  it('delete-records --offset-json-file: the same low watermarks and output as kafka-delete-records.sh', async () => {
    await createTopic('dr', ['--partitions', '3', '--replication-factor', '2'])
    await produce(
      'dr',
      [0, 1, 2].flatMap((partition) => Array.from({ length: 10 }, (_, i) => ({ partition, value: `v${i}` }))),
    )
    const java = await tool('deleteRecords', [
      '--offset-json-file',
      file('java.json', { partitions: [{ topic: 'dr', partition: 0, offset: 3 }], version: 1 }),
    ])
    assert.equal(java.code, 0, java.stderr)
    const ours = await box.kafkit([
      'kafka-delete-records.sh',
      '--bootstrap-server',
      bootstrap,
      '--offset-json-file',
      file('ours.json', {
        partitions: [
          { topic: 'dr', partition: 1, offset: 4 },
          { topic: 'dr', partition: 2, offset: 99 },
        ],
        version: 1,
      }),
    ])
    // The out-of-range partition is reported on its line; kafkit exits 1 for it (the script exits 0).
    assert.equal(ours.code, 1, ours.stderr)
    assert.equal(
      java.stdout,
      'Executing records delete operation\nRecords delete operation completed:\npartition: dr-0\tlow_watermark: 3\n',
    )
    assert.equal(
      ours.stdout,
      'Executing records delete operation\nRecords delete operation completed:\npartition: dr-1\tlow_watermark: 4\n' +
        'partition: dr-2\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n',
    )
    assert.deepEqual(await earliest('dr'), ['dr:0:3', 'dr:1:4', 'dr:2:0'])
    // The same file through the Java tool prints the same error line.
    const javaError = await tool('deleteRecords', [
      '--offset-json-file',
      file('java-error.json', { partitions: [{ topic: 'dr', partition: 2, offset: 99 }], version: 1 }),
    ])
    assert.match(
      javaError.stdout,
      /partition: dr-2\terror: org\.apache\.kafka\.common\.errors\.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server\.\n/,
    )
  })

  it('delete-records --topic --before: a dry run by default, deleted with --execute', async () => {
    await createTopic('old', ['--partitions', '1'])
    const old = Date.parse('2019-06-01T00:00:00Z')
    await produce('old', [
      ...Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `old${i}`, timestamp: String(old + i) })),
      ...Array.from({ length: 3 }, (_, i) => ({ partition: 0, value: `new${i}`, timestamp: String(Date.now()) })),
    ])
    const dry = await k(['delete-records', '--topic', 'old', '--before', '2020-01-01T00:00:00Z'])
    assert.match(
      ok(dry),
      /^TOPIC\s+PARTITION\s+LOW-WATERMARK\s+NEW-LOW-WATERMARK\s+HIGH-WATERMARK\s+RECORDS-DELETED\nold\s+0\s+0\s+5\s+8\s+5\n$/,
    )
    assert.match(dry.stderr, /Dry run: no records deleted\. Add --execute/)
    assert.deepEqual(await earliest('old'), ['old:0:0'])
    const planned = json(await k(['delete-records', '--topic', 'old', '--before', '2020-01-01T00:00:00Z', '--json']))
    assert.equal(planned.executed, false)
    assert.equal(planned.partitions[0].lowWatermark, 5)

    const done = await k(['delete-records', '--topic', 'old', '--before', '2020-01-01T00:00:00Z', '--execute'])
    assert.equal(
      ok(done),
      'Executing records delete operation\nRecords delete operation completed:\npartition: old-0\tlow_watermark: 5\n',
    )
    assert.deepEqual(await earliest('old'), ['old:0:5'])
    // --offset -1: up to the high watermark.
    ok(await k(['delete-records', '--topic', 'old', '--partition', '0', '--offset', '-1', '--execute']))
    assert.deepEqual(await earliest('old'), ['old:0:8'])
    const missing = await k(['delete-records', '--topic', 'old', '--partition', '3', '--offset', '1'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /Topic old has no partition 3/)
  })

  it('leader-election: moves leaders to the preferred replica as kafka-leader-election.sh does', async () => {
    await preferredElection(t, 'le')

    // Nothing left to elect: both print nothing.
    const javaAll = await tool('election', ['--election-type', 'preferred', '--all-topic-partitions'])
    const oursAll = await k(['leader-election', '--election-type', 'PREFERRED', '--all-topic-partitions', '--json'])
    assert.equal(javaAll.stdout, '')
    assert.equal(json(oursAll).elected.length, 0)
    // An unknown partition: the same error line, exit 1 for both.
    const javaBad = await tool('election', ['--election-type', 'unclean', '--topic', 'le', '--partition', '9'])
    const oursBad = await k(['leader-election', '--election-type', 'unclean', '--topic', 'le', '--partition', '9'])
    assert.equal(javaBad.code, 1)
    assert.equal(oursBad.code, 1)
    assert.equal(oursBad.stdout, javaBad.stdout)
    assert.match(
      oursBad.stdout,
      /^Error completing leader election \(UNCLEAN\) for partition: le-9: org\.apache\.kafka\.common\.errors\.UnknownTopicOrPartitionException/,
    )
    const usage = await k(['leader-election', '--election-type', 'preferred', '--topic', 'le'])
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /Missing required option\(s\): --partition/)
  })

  it('reassign-partitions --generate: the current layout as the script prints it, a proposal on the brokers asked for', async () => {
    // The current layout names each replica's log directory, as 4.4 prints it.
    const current = await compareGenerate(t, 'ra')
    assert.ok(current.every((p) => p.log_dirs.every((d) => d !== 'any')))
  })

  it('reassign-partitions --execute --throttle then --verify: replicas moved, throttles set then removed', async () => {
    const plan = file('ra-plan.json', {
      version: 1,
      partitions: [
        { topic: 'ra', partition: 0, replicas: [3, 1] },
        { topic: 'ra', partition: 1, replicas: [1, 3] },
      ],
    })
    const before = await partitionsOf('ra')
    const executed = ok(
      await k(['reassign-partitions', '--execute', '--reassignment-json-file', plan, '--throttle', '50000000']),
    )
    const rollback = JSON.stringify({
      version: 1,
      partitions: before.slice(0, 2).map((p) => ({ topic: 'ra', partition: p.partitionId, replicas: p.replicas })),
    })
    const lines = executed.split('\n')
    assert.deepEqual(lines.slice(0, 2), ['Current partition replica assignment', ''])
    assert.deepEqual(
      JSON.parse(lines[2]!).partitions.map((p: any) => p.replicas),
      JSON.parse(rollback).partitions.map((p: any) => p.replicas),
    )
    assert.deepEqual(lines.slice(3), [
      '',
      'Save this to use as the --reassignment-json-file option during rollback',
      'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.',
      'The inter-broker throttle limit was set to 50000000 B/s',
      'Successfully started partition reassignments for ra-0,ra-1',
      '',
    ])
    await eventually(
      async () => {
        const parts = await partitionsOf('ra')
        return parts[0]!.replicas.join() === '3,1' && parts[1]!.replicas.join() === '1,3'
      },
      60_000,
      'replicas moved',
    )
    // The throttles the script would set, read back with Kafka's own kafka-configs.sh.
    const configs = await t.topicConfigs('ra')
    // The script's lists: every current replica as a leader, every new one as a follower ("partition:broker", sorted).
    const target: Record<number, number[]> = { 0: [3, 1], 1: [1, 3] }
    const leaders = before.slice(0, 2).flatMap((p) => p.replicas.map((r) => `${p.partitionId}:${r}`))
    const followers = before
      .slice(0, 2)
      .flatMap((p) => target[p.partitionId]!.filter((r) => !p.replicas.includes(r)).map((r) => `${p.partitionId}:${r}`))
    assert.match(configs.stdout, new RegExp(`leader\\.replication\\.throttled\\.replicas=${leaders.sort().join(',')} `))
    assert.match(
      configs.stdout,
      new RegExp(`follower\\.replication\\.throttled\\.replicas=${followers.sort().join(',')} `),
    )
    const rate = ok(await k(['configs', '--describe', '--entity-type', 'brokers', '--entity-name', '3']))
    assert.match(rate, /leader\.replication\.throttled\.rate=50000000/)

    const javaVerify = await tool('reassign', ['--verify', '--reassignment-json-file', plan, '--preserve-throttles'])
    const ourVerify = await k(['reassign-partitions', '--verify', '--reassignment-json-file', plan])
    assert.equal(
      ok(ourVerify),
      'Status of partition reassignment:\nReassignment of partition ra-0 is completed.\nReassignment of partition ra-1 is completed.\n\n' +
        'Clearing broker-level throttles on brokers 1,2,3\nClearing topic-level throttles on topic ra\n',
    )
    assert.equal(ok(javaVerify), ourVerify.stdout.split('Clearing')[0])
    const cleared = await t.topicConfigs('ra')
    assert.doesNotMatch(cleared.stdout, /throttled/)
    const broker = await k(['configs', '--describe', '--entity-type', 'brokers', '--entity-name', '3'])
    assert.doesNotMatch(broker.stdout, /throttled\.rate/)

    // The rollback layout printed above names each replica's log directory (as 4.4's script does); given back, it
    // needs no move between directories (one per broker here), so kafkit runs it.
    const rollbackFile = file('ra-rollback.json', JSON.parse(lines[2]!))
    assert.ok(JSON.parse(lines[2]!).partitions.every((p: any) => p.log_dirs.every((d: string) => d !== 'any')))
    ok(await k(['reassign-partitions', '--execute', '--reassignment-json-file', rollbackFile]))
    await eventually(
      async () =>
        (await partitionsOf('ra'))
          .slice(0, 2)
          .map((p) => p.replicas.join())
          .join(' ') ===
        before
          .slice(0, 2)
          .map((p) => p.replicas.join())
          .join(' '),
      60_000,
      'replicas moved back by the rollback file',
    )
    ok(await k(['reassign-partitions', '--verify', '--reassignment-json-file', rollbackFile]))
  })

  it('reassign-partitions --list, --verify in progress, --cancel: the same text as the script', async () => {
    await createTopic('slow', ['--replica-assignment', '1,1'])
    // 2.5 MB per partition, more than the first unthrottled fetch (replica.fetch.max.bytes, 1 MB) takes; sent in
    // batches under the broker's message.max.bytes.
    const value = 'x'.repeat(1000)
    for (let batch = 0; batch < 10; batch++)
      await produce(
        'slow',
        Array.from({ length: 500 }, (_, i) => ({ partition: i % 2, value: `${batch}-${i}${value}` })),
      )
    const plan = file('slow.json', {
      version: 1,
      partitions: [
        { topic: 'slow', partition: 0, replicas: [2, 3] },
        { topic: 'slow', partition: 1, replicas: [3, 2] },
      ],
    })
    // 1 KB/s: the copy stays in progress for the rest of this test.
    ok(await k(['reassign-partitions', '--execute', '--reassignment-json-file', plan, '--throttle', '1024']))
    const javaList = await tool('reassign', ['--list'])
    const ourList = await k(['kafka-reassign-partitions', '--list'])
    assert.equal(ok(ourList), ok(javaList))
    assert.equal(
      ourList.stdout,
      'Current partition reassignments:\nslow-0: replicas: 2,3,1. adding: 2,3. removing: 1.\nslow-1: replicas: 3,2,1. adding: 2,3. removing: 1.\n',
    )
    const javaVerify = await tool('reassign', ['--verify', '--reassignment-json-file', plan])
    const ourVerify = await k(['reassign-partitions', '--verify', '--reassignment-json-file', plan])
    assert.equal(ok(ourVerify), ok(javaVerify))
    assert.match(
      ourVerify.stdout,
      /slow-0 is still in progress\.\nReassignment of partition slow-1 is still in progress\.\n\n$/,
    )

    const again = await k(['reassign-partitions', '--execute', '--reassignment-json-file', plan])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /Cannot execute because there is an existing partition assignment\. {2}Use --additional/)

    const javaCancel = await tool('reassign', [
      '--cancel',
      '--preserve-throttles',
      '--reassignment-json-file',
      file('slow1.json', { version: 1, partitions: [{ topic: 'slow', partition: 1, replicas: [3, 2] }] }),
    ])
    const ourCancel = await k([
      'reassign-partitions',
      '--cancel',
      '--reassignment-json-file',
      file('slow0.json', { version: 1, partitions: [{ topic: 'slow', partition: 0, replicas: [2, 3] }] }),
    ])
    assert.equal(
      ok(javaCancel),
      'Successfully cancelled partition reassignment for: slow-1\nNone of the specified partition moves are active.',
    )
    assert.equal(
      ok(ourCancel),
      'Successfully cancelled partition reassignment for: slow-0\nNone of the specified partition moves are active.' +
        'Clearing broker-level throttles on brokers 1,2,3\nClearing topic-level throttles on topic slow\n',
    )
    assert.equal(ok(await k(['reassign-partitions', '--list'])), 'No partition reassignments found.\n')
    assert.deepEqual(
      (await partitionsOf('slow')).map((p) => p.replicas),
      [[1], [1]],
    )
  })

  it('log-dirs: byte for byte what kafka-log-dirs.sh prints, plus tables and JSON', async () => {
    const args = ['--describe', '--topic-list', 'dr,ra']
    const java = await tool('logDirs', args)
    const ours = await box.kafkit(['kafka-log-dirs.sh', '--bootstrap-server', bootstrap, ...args])
    assert.equal(ok(ours), ok(java))
    assert.match(
      ours.stdout,
      /^Querying brokers for log directories information\nReceived log directory information from brokers 1,2,3\n\{"brokers":\[/,
    )
    const some = await tool('logDirs', ['--describe', '--broker-list', '2', '--topic-list', 'dr'])
    assert.equal(ok(await k(['log-dirs', '--broker-list', '2', '--topic-list', 'dr'])), ok(some))

    const table = ok(await k(['log-dirs', '--table', '--topic-list', 'dr']))
    assert.match(table, /^BROKER\s+LOG-DIR\s+REPLICAS\s+SIZE\s+TOTAL\s+USABLE\s+ERROR\n/)
    assert.match(table, /\nTOPIC\s+PARTITION\s+BROKER\s+LOG-DIR\s+SIZE\s+OFFSET-LAG\s+FUTURE\ndr\s+0\s+\d/)
    const result = json(await k(['log-dirs', '--json', '--topic-list', 'dr']))
    assert.deepEqual(
      result.brokers.map((b: any) => b.broker),
      [1, 2, 3],
    )
    assert.equal(result.brokers.flatMap((b: any) => b.logDirs.flatMap((d: any) => d.partitions)).length, 6)
    const unknown = await k(['log-dirs', '--broker-list', '7'])
    assert.equal(unknown.code, 2)
    assert.match(
      unknown.stderr,
      /The given brokers do not exist from --broker-list: 7\. Current existent brokers: 1,2,3/,
    )
  })

  it("loads no kafkajs (admin commands run on kafkit's own client)", async () => {
    const hookDir = join(box.home, 'hook')
    mkdirSync(hookDir)
    const hook = join(hookDir, 'kafkajs-loaded.cjs')
    writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write('\\nkafkajs-loaded=' + Object.keys(require.cache).some((k) => k.includes('/node_modules/kafkajs/')) + '\\n'))\n",
    )
    for (const args of [
      ['log-dirs', '--topic-list', 'dr'],
      ['reassign-partitions', '--list'],
      ['leader-election', '--election-type', 'preferred', '--all-topic-partitions'],
      ['delete-records', '--topic', 'dr', '--offset', '5'],
    ]) {
      const result = await runNode(
        ['--require', hook, join(repoRoot, 'bin', 'run.js'), ...args, '--bootstrap-server', bootstrap],
        box.env,
        60_000,
      )
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, /kafkajs-loaded=false/, args.join(' '))
    }
  })
})

describe(`partition admin commands on Kafka ${KAFKA_3} (3 brokers) against 3.9's own tools`, () => {
  const stack = { version: KAFKA_3 } as Stack
  const t = toolsOn(stack)
  const { k, ok, tool, file, partitionsOf } = t
  /** A topic's replication throttles (set ones only). */
  const throttles = async (topic: string) => {
    const admin = kafkaClient(stack.bootstrap).admin()
    await admin.connect()
    try {
      const { resources } = await admin.describeConfigs({
        resources: [{ type: 2 /* TOPIC */, name: topic }],
        includeSynonyms: false,
      })
      return Object.fromEntries(
        resources[0]!.configEntries
          .filter((e) => e.configName.includes('throttled') && e.configValue !== '')
          .map((e) => [e.configName, e.configValue]),
      )
    } finally {
      await admin.disconnect()
    }
  }

  before(async () => {
    stack.box = sandbox()
    stack.dir = stack.box.home
    stack.bootstrap = await startStack(stack.box, { version: KAFKA_3, brokers: 3, upArgs: ['--heap', '256m'] })
  })
  after(async () => stack.box.cleanup())

  it('deletes records and prints the log directories as the 3.9 tools do', async () => {
    await t.createTopic('old3', ['--partitions', '2'])
    await t.produce(
      'old3',
      Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `v${i}` })),
    )
    const path = file('offsets.json', { partitions: [{ topic: 'old3', partition: 1, offset: 2 }], version: 1 })
    assert.equal(
      ok(await k(['kafka-delete-records.sh', '--offset-json-file', path])),
      'Executing records delete operation\nRecords delete operation completed:\npartition: old3-1\tlow_watermark: 2\n',
    )
    assert.deepEqual(await t.earliest('old3'), ['old3:0:0', 'old3:1:2'])

    const args = ['--describe', '--topic-list', 'old3']
    const [java, ours] = await Promise.all([tool('logDirs', args), k(['kafka-log-dirs.sh', ...args])])
    assert.equal(ok(ours), ok(java))
  })

  it("leader-election: moves leaders to the preferred replica as 3.9's kafka-leader-election.sh does", async () => {
    await preferredElection(t, 'le3')
  })

  it("reassign-partitions --generate, --execute --throttle, --verify: 3.9's text and the same effect as its script", async () => {
    // 3.9's script prints "any" for every replica's log directory (4.4 names the current one); so does kafkit on 3.9.
    const current = await compareGenerate(t, 'ra3')
    assert.ok(current.every((p) => p.log_dirs.every((d) => d === 'any')))

    // Twin topics: the Java tool moves mvj's replicas, kafkit mvk's, the same way; outputs compared with names masked.
    for (const topic of ['mvj', 'mvk']) await t.createTopic(topic, ['--replica-assignment', '1:2,2:3'])
    const plan = (topic: string) =>
      file(`${topic}-plan.json`, {
        version: 1,
        partitions: [
          { topic, partition: 0, replicas: [3, 1] },
          { topic, partition: 1, replicas: [1, 3] },
        ],
      })
    const execute = (topic: string) => ['--execute', '--reassignment-json-file', plan(topic), '--throttle', '50000000']
    const masked = (text: string) => text.replace(/\bmv[jk]\b/g, 'TOPIC')
    const moved = (topic: string) =>
      eventually(
        async () => {
          const parts = await partitionsOf(topic)
          return parts[0]!.replicas.join() === '3,1' && parts[1]!.replicas.join() === '1,3'
        },
        60_000,
        `${topic} moved`,
      )
    const javaExecuted = ok(await tool('reassign', execute('mvj')))
    await moved('mvj')
    // Both refuse to start while a reassignment runs: kafkit starts once the Java tool's is done.
    await eventually(
      async () => ok(await k(['reassign-partitions', '--list'])) === 'No partition reassignments found.\n',
      60_000,
      'no reassignment running',
    )
    const executed = ok(await k(['kafka-reassign-partitions.sh', ...execute('mvk')]))
    assert.equal(masked(executed), masked(javaExecuted))
    assert.match(
      executed,
      /^Current partition replica assignment\n\n\{"version":1,"partitions":\[\{"topic":"mvk","partition":0,"replicas":\[1,2\],"log_dirs":\["any","any"\]\}/,
    )
    await moved('mvk')
    // The throttles both set, read with kafkajs (no third JVM).
    assert.deepEqual(await throttles('mvk'), await throttles('mvj'))
    assert.deepEqual(await throttles('mvk'), {
      'follower.replication.throttled.replicas': '0:3,1:1',
      'leader.replication.throttled.replicas': '0:1,0:2,1:2,1:3',
    })

    const verify = (topic: string) => ['--verify', '--reassignment-json-file', plan(topic)]
    const verified = ok(await k(['reassign-partitions', ...verify('mvk')]))
    const javaVerified = ok(await tool('reassign', verify('mvj')))
    assert.equal(masked(verified), masked(javaVerified))
    assert.equal(
      verified,
      'Status of partition reassignment:\nReassignment of partition mvk-0 is completed.\nReassignment of partition mvk-1 is completed.\n\n' +
        'Clearing broker-level throttles on brokers 1,2,3\nClearing topic-level throttles on topic mvk\n',
    )
    for (const topic of ['mvj', 'mvk']) assert.deepEqual(await throttles(topic), {}, topic)
  })
})
