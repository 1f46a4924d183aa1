import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { start, type RunningBroker } from '../../src/embedded/index.js'
import {
  KAFKA_4,
  TOOL_ENV,
  distHome,
  eventually,
  json,
  produce,
  run,
  sandbox,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * The embedded broker's group coordinator with clients nobody here wrote, on one in-process broker: two kcat -G
 * consumers sharing a topic's partitions, kafkit's console consumer (kafkajs) in a group, kafka-python's group
 * consumer, two of Kafka's Java console consumers with the KIP-848 protocol, and Kafka's
 * kafka-consumer-groups --describe and --reset-offsets compared with `kafkit consumer-groups`.
 */
const hasPython =
  (await run('/usr/bin/python3', ['-c', 'import kafka'], process.env, 20_000).catch(() => ({ code: 1 }))).code === 0

const RECORDS = 40
/** Record lines only: the 4.4 console consumer prints its notices (a deprecated option...) on stdout too. */
const records = (stdout: string) => stdout.split('\n').filter((l) => /^v\d+$/.test(l)).length
const bin = (name: string) => join(distHome(KAFKA_4), 'bin', name)

describe('embedded broker: consumer groups with real clients', () => {
  let broker: RunningBroker
  let box: Sandbox
  let bootstrap: string
  const dataDir = mkdtempSync(join(tmpdir(), 'kafkit-embedded-groups-'))
  const children: ChildProcess[] = []
  /**
   * Two Java console consumers of g-848 with group.protocol=consumer (KIP-848), started in before() so their JVMs
   * warm up while the other clients run, and running until their test stops them.
   */
  const live: { child: ChildProcess; out: string; exited: Promise<number | null> }[] = []

  const k = (args: string[]) => box.kafkit([...args, '--bootstrap-server', bootstrap])
  const tool = (args: string[]): Promise<Run> =>
    run(bin('kafka-consumer-groups.sh'), ['--bootstrap-server', bootstrap, ...args], TOOL_ENV, 60_000)
  /** `kafkit consumer-groups --describe --json` of one group. */
  const describeGroup = async (group: string, view: string[] = []) => {
    const r = await k(['consumer-groups', '--describe', '--group', group, ...view, '--json'])
    assert.equal(r.code, 0, r.stderr)
    return json(r).groups[0]
  }
  /** Table rows as cells, sorted (kafkit fits columns to the content, Kafka's tool pads them). */
  const cells = (stdout: string) =>
    stdout
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('TOTAL LAG'))
      .map((l) => l.trim().split(/\s+/).join(' '))
      .sort()

  before(async () => {
    broker = await start({ port: 0, dataDir })
    bootstrap = broker.bootstrap
    box = sandbox()
    const created = await k(['topics', '--create', '--topic', 'shared', '--partitions', '4'])
    assert.equal(created.code, 0, created.stderr)
    await produce(
      bootstrap,
      'shared',
      Array.from({ length: RECORDS }, (_, i) => `v${i}`),
    )
    for (let i = 0; i < 2; i++) {
      const child = spawn(
        bin('kafka-console-consumer.sh'),
        ['--bootstrap-server', bootstrap, '--topic', 'shared', '--group', 'g-848', '--from-beginning'].concat([
          '--command-property',
          'group.protocol=consumer',
        ]),
        { env: TOOL_ENV, stdio: ['ignore', 'pipe', 'ignore'] },
      )
      const entry = { child, out: '', exited: new Promise<number | null>((r) => child.on('exit', r)) }
      child.stdout!.on('data', (chunk: Buffer) => (entry.out += chunk.toString()))
      children.push(child)
      live.push(entry)
    }
  })

  after(async () => {
    for (const c of children) c.kill('SIGKILL')
    await broker?.close()
    await box?.cleanup()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('two kcat -G consumers share the partitions and read every record once between them', async () => {
    const outputs = ['', '']
    for (const i of [0, 1]) {
      const child = spawn(
        'kcat',
        ['-b', bootstrap, '-G', 'g-kcat', '-X', 'auto.offset.reset=earliest', '-q', '-u', '-f', '%p:%s\\n', 'shared'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      )
      child.stdout.on('data', (chunk: Buffer) => (outputs[i] += chunk.toString()))
      children.push(child)
    }
    const members = await eventually(
      async () => {
        const g = await describeGroup('g-kcat', ['--members'])
        return (
          g.state === 'Stable' &&
          g.members.length === 2 &&
          g.members.every((m: { partitions: number }) => m.partitions === 2) &&
          g.members
        )
      },
      30_000,
      'g-kcat stable with two members of two partitions each',
    )
    assert.equal(members[0].host, '/127.0.0.1')
    const read = await eventually(
      async () => {
        const all = outputs.flatMap((o) => o.split('\n').filter(Boolean))
        return all.length >= RECORDS && all
      },
      30_000,
      'kcat consumers read every record',
    )
    assert.deepEqual(read.map((l) => l.split(':')[1]).sort(), Array.from({ length: RECORDS }, (_, i) => `v${i}`).sort())
  })

  it('kafkit console-consumer --group (kafkajs) commits; consumer-groups --describe shows lag 0', async () => {
    const consumed = await k([
      'console-consumer',
      '--topic',
      'shared',
      '--group',
      'g-js',
      '--from-beginning',
      '--max-messages',
      String(RECORDS),
      '--timeout-ms',
      '30000',
    ])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.equal(records(consumed.stdout), RECORDS)
    const g = await describeGroup('g-js')
    assert.equal(g.state, 'Empty')
    assert.equal(g.totalLag, 0)
    assert.equal(g.partitions.length, 4)
  })

  it(
    'kafka-python group consumer reads and commits',
    { skip: !hasPython && 'kafka-python not installed' },
    async () => {
      const script = `
import sys
from kafka import KafkaConsumer
c = KafkaConsumer('shared', bootstrap_servers=sys.argv[1], group_id='g-py', auto_offset_reset='earliest',
                  enable_auto_commit=False, consumer_timeout_ms=20000)
n = 0
for m in c:
    n += 1
    if n == ${RECORDS}: break
c.commit()
c.close()
print(n)
`
      const result = await run('/usr/bin/python3', ['-c', script, bootstrap], process.env, 60_000)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout.trim(), String(RECORDS))
      const g = await describeGroup('g-py')
      assert.equal(g.totalLag, 0)
    },
  )

  it('two Java consumers with group.protocol=consumer share the partitions; --members --verbose as Kafka prints it', async () => {
    const g = await eventually(
      async () => {
        const d = await describeGroup('g-848', ['--members'])
        return (
          d.type === 'consumer' &&
          d.state === 'Stable' &&
          d.members.length === 2 &&
          d.members.every((m: { partitions: number }) => m.partitions === 2) &&
          d
        )
      },
      60_000,
      'g-848 stable with two members of two partitions each',
    )
    assert.equal(g.members[0].host, '/127.0.0.1')
    const args = ['--describe', '--group', 'g-848', '--members', '--verbose']
    const [ours, theirs] = await Promise.all([k(['consumer-groups', ...args]), tool(args)])
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.deepEqual(cells(ours.stdout), cells(theirs.stdout))
    await eventually(async () => live.reduce((n, c) => n + records(c.out), 0) >= RECORDS, 30_000, 'g-848 read all')
    assert.equal(
      live.reduce((n, c) => n + records(c.out), 0),
      RECORDS,
      'each record read once',
    )
    // Stopped, each commits what it read and leaves the group.
    for (const c of live) c.child.kill('SIGTERM')
    await Promise.all(live.map((c) => c.exited))
  })

  it('kafka-consumer-groups --describe and --reset-offsets --to-earliest agree with kafkit', async () => {
    const args = ['--describe', '--group', 'g-848', '--group', 'g-js', '--group', 'g-py']
    const [ours, theirs] = await Promise.all([k(['consumer-groups', ...args]), tool(args)])
    assert.equal(ours.code, 0, ours.stderr)
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.deepEqual(cells(ours.stdout), cells(theirs.stdout))
    assert.equal(cells(theirs.stdout).filter((row) => / 0 - - -$/.test(row)).length, 12, 'lag 0 everywhere')

    const reset = await tool(['--reset-offsets', '--to-earliest', '--execute', '--group', 'g-js', '--topic', 'shared'])
    assert.equal(reset.code, 0, reset.stderr)
    assert.deepEqual(
      cells(reset.stdout),
      cells(['GROUP TOPIC PARTITION NEW-OFFSET', ...[0, 1, 2, 3].map((p) => `g-js shared ${p} 0`)].join('\n')),
    )
    const g = await describeGroup('g-js')
    assert.equal(g.totalLag, RECORDS)
    assert.deepEqual(
      g.partitions.map((p: { currentOffset: number }) => p.currentOffset),
      [0, 0, 0, 0],
    )
  })

  it('keeps committed offsets and groups across a restart of the broker on the same data directory', async () => {
    const committed = (g: { partitions: { partition: number; currentOffset: number }[] }) =>
      g.partitions.map((p) => `${p.partition}:${p.currentOffset}`).sort()
    const before = committed(await describeGroup('g-py'))
    await broker.close()
    broker = await start({ port: 0, dataDir })
    bootstrap = broker.bootstrap
    const g = await describeGroup('g-py')
    assert.equal(g.state, 'Empty')
    assert.deepEqual(committed(g), before)
    const listed = await k(['consumer-groups', '--list'])
    assert.deepEqual(listed.stdout.split('\n').filter(Boolean).sort(), ['g-848', 'g-js', 'g-kcat', 'g-py'])
  })
})
