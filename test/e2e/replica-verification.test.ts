import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  distHome,
  json,
  linesUntil,
  produce,
  REPORT_STAMP as STAMP,
  stampless as normalise,
  repoRoot,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * replica-verification and verifiable-share-consumer against Kafka's own ReplicaVerificationTool and
 * VerifiableShareConsumer on one 4.4 stack (the .cache dist has no scripts for them: kafka-run-class.sh runs the
 * classes). One broker is enough: the tool verifies replication factor 1 too (each partition has one replica).
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const runClass = join(distHome(KAFKA_4), 'bin', 'kafka-run-class.sh')

interface Event {
  name: string
  [key: string]: unknown
}
const events = (stdout: string): Event[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Event)

describe(`replica-verification and verifiable-share-consumer against Kafka ${KAFKA_4}'s tools`, () => {
  let box: Sandbox
  let bootstrap: string
  const values = Array.from({ length: 12 }, (_, i) => `value-${i}`)
  const shareFlags = (group: string) => [
    '--topic',
    'vs',
    '--group-id',
    group,
    '--max-messages',
    String(values.length),
    '--offset-reset-strategy',
    'earliest',
    '--verbose',
  ]
  /** Started in `before`: the Java tool takes a JVM start and a 5 s last poll, time the other tests run in. */
  let javaShare: Promise<Run>

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { stack: 'rv' })
    for (const [topic, partitions] of [
      ['rv', '3'],
      ['vs', '2'],
    ] as const) {
      const created = await box.kafkit([
        'topics',
        '--create',
        '--topic',
        topic,
        '--partitions',
        partitions,
        '-b',
        bootstrap,
      ])
      assert.equal(created.code, 0, created.stderr)
    }
    await Promise.all([produce(bootstrap, 'rv', values), produce(bootstrap, 'vs', values)])
    javaShare = run(
      runClass,
      ['org.apache.kafka.tools.VerifiableShareConsumer', '--bootstrap-server', bootstrap, ...shareFlags('java-vs')],
      TOOL_ENV,
      60_000,
    )
    javaShare.catch(() => {})
  })
  after(async () => {
    await box?.cleanup()
  })

  it('prints the Java tool lines: started, then the max lag report (time stamps aside)', async () => {
    const flags = ['--topics-include', 'rv', '--report-interval-ms', '500', '--time', '-2']
    const [theirs, ours, asJson] = await Promise.all([
      linesUntil(
        runClass,
        ['org.apache.kafka.tools.ReplicaVerificationTool', '--broker-list', bootstrap, ...flags],
        TOOL_ENV,
        (lines) => lines.some((l) => l.includes('max lag')),
        30_000,
      ),
      box.kafkit(['kafka-replica-verification.sh', '--broker-list', bootstrap, ...flags, '--max-reports', '2']),
      box.kafkit(['replica-verification', '-b', bootstrap, ...flags, '--max-reports', '1', '--json']),
    ])
    assert.equal(ours.code, 0, ours.stderr)
    const mine = ours.stdout.split('\n').filter((l) => l !== '')
    for (const line of mine) assert.match(line, STAMP)
    assert.equal(mine.length, 3, ours.stdout)
    const expected = normalise(theirs).slice(0, 2)
    assert.match(expected[1]!, /^<time>: max lag is 0 for partition rv-\d at offset \d+ among 3 partitions$/)
    assert.deepEqual(normalise(mine).slice(0, 2), expected)
    assert.equal(normalise(mine)[2], expected[1])
    const result = json(asJson)
    assert.deepEqual(result.topics, ['rv'])
    assert.equal(result.partitions, 3)
    assert.equal(result.reports.length, 1)
    assert.equal(result.reports[0].maxLag, 0)
    assert.equal(`<time>: max lag is 0 for partition ${result.reports[0].partition}`, expected[1]!.split(' at ')[0])
    assert.equal(result.offsetMismatch, false)
  })

  it('says no topic matched, and stops cleanly on Ctrl-C', async () => {
    const none = await box.kafkit(['replica-verification', '-b', bootstrap, '--topics-include', 'nothing-here'])
    assert.equal(none.code, 1)
    assert.match(none.stderr, /No topics found\. \[topics-include\] if specified/)
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'replica-verification', '-b', bootstrap, '--topics-include', 'rv'],
      { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('verification process is started')) child.kill('SIGINT')
      })
      child.on('exit', (c) => resolve(c))
    })
    assert.equal(code, 130)
  })

  it('verifiable-share-consumer: the Java tool events and fields, every record consumed and acknowledged', async () => {
    const [theirs, ours] = await Promise.all([
      javaShare,
      box.kafkit(['kafka-verifiable-share-consumer.sh', '--bootstrap-server', bootstrap, ...shareFlags('kafkit-vs')]),
    ])
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(ours.code, 0, ours.stderr)
    const java = events(theirs.stdout)
    const mine = events(ours.stdout)
    // The same event names, each with the same fields in the same order.
    const shapes = (list: Event[]) =>
      new Map(
        list.map((e) => [
          e.name,
          Object.keys(e).join(',') + JSON.stringify(Object.keys((e.partitions as any)?.[0] ?? {})),
        ]),
      )
    assert.deepEqual(shapes(mine), shapes(java))
    for (const list of [java, mine]) {
      assert.deepEqual(
        list.slice(0, 2).map((e) => e.name),
        ['startup_complete', 'offset_reset_strategy_set'],
      )
      assert.deepEqual(
        list.slice(-2).map((e) => e.name),
        ['shutdown_complete', 'shutdown_requested'],
      )
      assert.equal(list[1]!.offsetResetStrategy, 'earliest')
      const records = list.filter((e) => e.name === 'record_data')
      assert.deepEqual(records.map((r) => r.value).sort(), [...values].sort())
      const consumed = list.filter((e) => e.name === 'records_consumed')
      assert.equal(
        consumed.reduce((sum, e) => sum + (e.count as number), 0),
        values.length,
      )
      const acked = list.filter((e) => e.name === 'offsets_acknowledged')
      assert.ok(acked.every((e) => e.success === true))
      assert.equal(
        acked.reduce((sum, e) => sum + (e.count as number), 0),
        values.length,
      )
    }
    const summary = await box.kafkit([
      'verifiable-share-consumer',
      '-b',
      bootstrap,
      '--topic',
      'vs',
      '--group-id',
      'kafkit-json',
      '--offset-reset-strategy',
      'earliest',
      '--max-messages',
      '5',
      '--json',
    ])
    assert.equal(summary.code, 0, summary.stderr)
    assert.deepEqual(json(summary), {
      topic: 'vs',
      groupId: 'kafkit-json',
      consumed: 5,
      acknowledged: 5,
      stopped: false,
    })
  })
})
