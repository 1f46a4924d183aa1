import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  distHome,
  eventShapes,
  eventually,
  jsonEvents,
  json,
  kafkaClient,
  maskColumns,
  run,
  sandbox,
  startOpenTransactions,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * `kafkit transactions` through the built CLI on a 4.4 stack, compared byte for byte with Kafka's own
 * TransactionsCommand (the .cache dist has no kafka-transactions.sh: kafka-run-class.sh runs the class). The open
 * transactions are Kafka's Java client's (test/fixtures/transactions/OpenTxn.java): `open-a` on tx-0 and `open-b` on
 * tx-1, 4 records each, never committed. kafkit aborts open-a with `abort --start-offset` and open-b with
 * `forceTerminateTransaction`; Kafka's console consumer in read_committed then reads past them.
 * On the same stack: verifiable-producer / verifiable-consumer / e2e-latency beside Kafka's VerifiableProducer,
 * VerifiableConsumer and EndToEndLatency (same event names and fields, same records), checked with kcat and
 * kafka-consumer-groups.sh.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const runClass = (cls: string, args: string[], timeoutMs = 120_000) =>
  run(join(distHome(KAFKA_4), 'bin', 'kafka-run-class.sh'), [cls, ...args], TOOL_ENV, timeoutMs)
const TXN_TOOL = 'org.apache.kafka.tools.TransactionsCommand'

const normalise = maskColumns

describe(`kafkit transactions, verifiable tools and e2e-latency against Kafka ${KAFKA_4}`, { timeout: 600_000 }, () => {
  let box: Sandbox
  let bootstrap: string
  let openTxn: ReturnType<typeof startOpenTransactions> | undefined

  const kafkit = (args: string[]) => box.kafkit(['transactions', '--bootstrap-server', bootstrap, ...args])
  const tool = (args: string[]) => runClass(TXN_TOOL, ['--bootstrap-server', bootstrap, ...args])

  async function same(args: string[], timeColumns: string[] = []): Promise<Run> {
    const [theirs, ours] = await Promise.all([tool(args), kafkit(args)])
    assert.equal(theirs.code, 0, `Kafka's tool ${args.join(' ')}: ${theirs.stderr}`)
    assert.equal(ours.code, 0, `kafkit transactions ${args.join(' ')}: ${ours.stderr}`)
    assert.deepEqual(normalise(ours.stdout, timeColumns), normalise(theirs.stdout, timeColumns), args.join(' '))
    return ours
  }

  async function plain(partition: number, values: string[]): Promise<void> {
    const producer = kafkaClient(bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
    await producer.connect()
    try {
      await producer.send({ topic: 'tx', acks: -1, messages: values.map((value) => ({ partition, value })) })
    } finally {
      await producer.disconnect()
    }
  }

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { version: KAFKA_4 })
    const created = await box.kafkit(['topics', '--create', '--topic', 'tx', '--partitions', '2', '-b', bootstrap])
    assert.equal(created.code, 0, created.stderr)
    await plain(0, ['p0', 'p1', 'p2'])
    openTxn = startOpenTransactions(KAFKA_4, bootstrap, 'tx', 4, 'open-a:0', 'open-b:1')
    await openTxn.opened()
    // Written after the open transaction: read_committed consumers see them only once it is ended.
    await plain(0, ['p3', 'p4'])
  })

  after(async () => {
    openTxn?.stop()
    await box?.cleanup()
  })

  it('list prints what kafka-transactions.sh list prints', async () => {
    const ours = await same(['list'])
    assert.match(ours.stdout, /^open-a\s+\t1\s+\t\d+\s+\tOngoing\s+\t$/m)
    assert.match(ours.stdout, /^open-b\s+\t/m)
    await same(['list', '--transactional-id-pattern', 'open-a.*'])
    await same(['list', '--duration-filter', '3600000'])
    const listed = json(await kafkit(['list', '--json']))
    assert.deepEqual(listed.transactions.map((t: any) => [t.transactionalId, t.coordinator, t.state]).sort(), [
      ['open-a', 1, 'Ongoing'],
      ['open-b', 1, 'Ongoing'],
    ])
  })

  it('describe and describe-producers print what the script prints', async () => {
    const described = await same(['describe', '--transactional-id', 'open-a'], ['TransactionDurationMs'])
    assert.match(described.stdout, /\tOngoing\s+\t600000\s+\t\d+\s+\t\d+\s+\ttx-0\s*\t$/m)
    const producers = await same(['describe-producers', '--topic', 'tx', '--partition', '0'])
    // The idempotent plain producers (no transaction) and open-a's producer, whose transaction starts at offset 3.
    assert.match(producers.stdout, /\t3\s*\t$/m)
    await same(['describe-producers', '--topic', 'tx', '--partition', '1', '--broker-id', '1'])
    const missing = await kafkit(['describe', '--transactional-id', 'nope'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /Failed to describe transaction state of transactional-id `nope`/)
  })

  it('find-hanging finds none: the coordinators still own both open transactions', async () => {
    const ours = await same(['find-hanging', '--topic', 'tx', '--max-transaction-timeout', '0'])
    assert.equal(ours.stdout.split('\n').filter(Boolean).length, 1, ours.stdout)
    await same(['find-hanging', '--broker-id', '1'])
    await same(['find-hanging', '--topic', 'tx', '--partition', '0'])
    const bad = await kafkit(['find-hanging', '--broker-id', '1', '--partition', '0'])
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, /The --partition argument requires --topic to be provided/)
  })

  it('abort and forceTerminateTransaction end the transactions: read_committed reads past them', async () => {
    const aborted = await kafkit(['abort', '--topic', 'tx', '--partition', '0', '--start-offset', '3'])
    assert.equal(aborted.code, 0, aborted.stderr)
    assert.equal(aborted.stdout, '')
    const again = await kafkit(['abort', '--topic', 'tx', '--partition', '0', '--start-offset', '3'])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /Could not find any open transactions starting at offset 3 on partition tx-0/)
    const terminated = await kafkit(['forceTerminateTransaction', '--transactionalId', 'open-b', '--json'])
    assert.equal(terminated.code, 0, terminated.stderr)
    assert.equal(json(terminated).transactionalId, 'open-b')
    // Kafka's console consumer, read_committed: the plain records only, including those written after the
    // aborted transaction (the last stable offset moved past it).
    const consumed = await run(
      join(distHome(KAFKA_4), 'bin', 'kafka-console-consumer.sh'),
      [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'tx',
        '--from-beginning',
        '--isolation-level',
        'read_committed',
        '--max-messages',
        '5',
        '--timeout-ms',
        '30000',
      ],
      TOOL_ENV,
      120_000,
    )
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.deepEqual(consumed.stdout.split('\n').filter(Boolean).sort(), ['p0', 'p1', 'p2', 'p3', 'p4'])
    const producers = json(await kafkit(['describe-producers', '--topic', 'tx', '--partition', '0', '--json']))
    assert.ok(
      producers.producers.every((p: any) => p.currentTransactionStartOffset === null),
      JSON.stringify(producers),
    )
    // open-b was fenced (epoch bumped) and its transaction aborted by its coordinator.
    let last = ''
    await eventually(
      async () => {
        const d = json(await kafkit(['describe', '--transactional-id', 'open-b', '--json']))
        last = `${d.state} ${JSON.stringify(d.topicPartitions)}`
        if (!(['Empty', 'CompleteAbort'].includes(d.state) && d.topicPartitions.length === 0)) throw new Error(last)
        return d
      },
      30_000,
      'open-b aborted',
    )
  })

  const events = jsonEvents
  const shapes = eventShapes
  const kcat = async (topic: string, format: string) => {
    const r = await run(
      'kcat',
      ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', format],
      process.env,
      60_000,
    )
    assert.equal(r.code, 0, r.stderr)
    return r.stdout.split('\n').filter(Boolean)
  }

  it("verifiable-producer writes the Java tool's events; kcat reads the records at the offsets it reported", async () => {
    const created = await box.kafkit(['topics', '--create', '--topic', 'vt', '--partitions', '2', '-b', bootstrap])
    assert.equal(created.code, 0, created.stderr)
    const common = ['--topic', 'vt', '--max-messages', '20', '--repeating-keys', '4']
    // Both on the same topic at once.
    const [theirs, ours] = await Promise.all([
      runClass('org.apache.kafka.tools.VerifiableProducer', [
        '--bootstrap-server',
        bootstrap,
        ...common,
        '--value-prefix',
        '1',
      ]),
      box.kafkit(['kafka-verifiable-producer.sh', '--bootstrap-server', bootstrap, ...common, '--value-prefix', '2']),
    ])
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    const [j, k] = [events(theirs.stdout), events(ours.stdout)]
    assert.deepEqual(shapes(k), shapes(j))
    const sends = (list: typeof j) => list.filter((e) => e.name === 'producer_send_success')
    assert.equal(sends(k).length, 20)
    assert.equal(sends(j).length, 20)
    // The same keys land on the same partitions (the Java client's murmur2 partitioner).
    const placement = (list: typeof j) => [...new Set(sends(list).map((e) => `${e.key}->${e.partition}`))].sort()
    assert.deepEqual(placement(k), placement(j))
    assert.deepEqual(
      k.slice(-2).map((e) => e.name),
      ['shutdown_complete', 'tool_data'],
    )
    const toolData = k.at(-1)!
    assert.equal(toolData.sent, 20)
    assert.equal(toolData.acked, 20)
    assert.equal(toolData.target_throughput, -1)
    const onDisk = new Set(await kcat('vt', '%p %o %k %s\\n'))
    for (const e of sends(k)) assert.ok(onDisk.has(`${e.partition} ${e.offset} ${e.key} ${e.value}`), JSON.stringify(e))
    assert.equal(onDisk.size, 40)
  })

  it('verifiable-consumer reads and commits what the Java tool does, with the same events', async () => {
    const args = (group: string) => ['--topic', 'vt', '--group-id', group, '--max-messages', '40', '--verbose']
    const [theirs, ours] = await Promise.all([
      runClass('org.apache.kafka.tools.VerifiableConsumer', ['--bootstrap-server', bootstrap, ...args('vjava')]),
      box.kafkit(['kafka-verifiable-consumer.sh', '--bootstrap-server', bootstrap, ...args('vkafkit')]),
    ])
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    const [j, k] = [events(theirs.stdout), events(ours.stdout)]
    assert.deepEqual(shapes(k), shapes(j))
    const records = (list: typeof j) =>
      list
        .filter((e) => e.name === 'record_data')
        .map((e) => `${e.partition} ${e.offset} ${e.key} ${e.value}`)
        .sort()
    assert.equal(records(k).length, 40)
    assert.deepEqual(records(k), records(j))
    const consumed = (list: typeof j) =>
      list
        .filter((e) => e.name === 'records_consumed')
        .flatMap((e) => e.partitions)
        .reduce((n, p) => n + p.count, 0)
    assert.equal(consumed(k), 40)
    assert.equal(consumed(j), 40)
    const lastCommit = (list: typeof j) => {
      const at = new Map<number, number>()
      for (const e of list.filter((x) => x.name === 'offsets_committed' && x.success))
        for (const o of e.offsets) at.set(o.partition, o.offset)
      return [...at].sort()
    }
    assert.deepEqual(lastCommit(k), lastCommit(j))
    assert.deepEqual(
      k.slice(-3).map((e) => e.name),
      ['partitions_revoked', 'shutdown_complete', 'shutdown_requested'],
    )
    // Kafka's own tool sees kafkit's group's commits at the log end.
    const described = await run(
      join(distHome(KAFKA_4), 'bin', 'kafka-consumer-groups.sh'),
      ['--bootstrap-server', bootstrap, '--describe', '--group', 'vkafkit'],
      TOOL_ENV,
      120_000,
    )
    assert.equal(described.code, 0, described.stderr)
    const rows = described.stdout.split('\n').filter((l) => l.startsWith('vkafkit '))
    assert.equal(rows.length, 2, described.stdout)
    for (const row of rows) {
      const cells = row.trim().split(/\s+/)
      assert.equal(cells[3], cells[4], row)
    }
  })

  it('e2e-latency prints the lines the Java tool prints and writes the same records', async () => {
    const args = (topic: string) => [
      '--topic',
      topic,
      '--num-records',
      '30',
      '--producer-acks',
      'all',
      '--record-size',
      '20',
      '--record-key-size',
      '3',
    ]
    const [theirs, ours] = await Promise.all([
      runClass('org.apache.kafka.tools.EndToEndLatency', ['--bootstrap-server', bootstrap, ...args('lat-j')]),
      box.kafkit(['kafka-e2e-latency.sh', '--bootstrap-server', bootstrap, ...args('lat-k')]),
    ])
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    const pattern = (stdout: string) =>
      stdout
        .replace(/lat-[jk]/g, 'TOPIC')
        .replace(/\d+(\.\d+)?/g, 'N')
        .split('\n')
    assert.deepEqual(pattern(ours.stdout), pattern(theirs.stdout))
    assert.match(
      ours.stdout,
      /^Topic "lat-k" does not exist\. Will create topic with 1 partition\(s\) and replication factor = 1\n0\t\d+\.\d+\nAvg latency: \d+\.\d{4} ms\nPercentiles: 50th = \d+, 99th = \d+, 99\.9th = \d+\n$/,
    )
    // java.util.Random(0) makes the records: both tools wrote the same keys and values.
    assert.deepEqual(await kcat('lat-k', '%k %s\\n'), await kcat('lat-j', '%k %s\\n'))
    // The deprecated positional form: the same output, the tool's warning on stderr.
    const positional = await box.kafkit(['e2e-latency', bootstrap, 'lat-k', '5', '1', '20'])
    assert.equal(positional.code, 0, positional.stderr)
    assert.match(positional.stderr, /^WARNING: Positional argument usage is deprecated/)
    assert.match(positional.stdout, /^0\t\d+\.\d+\nAvg latency: /)
    const bad = await box.kafkit([
      'e2e-latency',
      '--topic',
      'x',
      '--num-records',
      '1',
      '--producer-acks',
      '0',
      '--record-size',
      '1',
      '-b',
      bootstrap,
    ])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /Latency testing requires synchronous acknowledgement/)
  })
})
