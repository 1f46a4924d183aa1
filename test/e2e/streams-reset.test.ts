import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  cacheDir,
  distHome,
  eventually,
  json,
  produce,
  repoRoot,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * streams-application-reset through the built CLI against Kafka 4.4.0, next to Kafka's own StreamsResetter
 * (kafka-streams-application-reset.sh). Two instances of a small Kafka Streams app (test/fixtures/streams/App.java, a
 * classic consumer group: kafka-consumer-groups.sh can read its offsets) process the same input under the application
 * ids `ra` and `rb`; kafkit resets `ra`, the tool resets `rb`, and the outputs, committed offsets and remaining topics
 * are compared. Dry runs change nothing, so both tools are also run on the same id and compared byte for byte.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const RESETTER = 'org.apache.kafka.tools.StreamsResetter'
const DRY_RUN_HEADER = '----Dry run displays the actions which will be performed when running Streams Reset Tool----\n'
const ACTIVE =
  /Consumer group 'ra' is still active and has following members: \[.*\]\. Make sure to stop all running application instances before running the reset tool\. You can use option '--force' to remove active members from the group\.$/

function background(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { env: TOOL_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return { child, output: () => output }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

describe(`streams-application-reset against Kafka ${KAFKA_4}`, { timeout: 600_000 }, () => {
  let box: Sandbox
  let bootstrap: string
  let skip: string | undefined
  const apps: ChildProcess[] = []
  const state = mkdtempSync(join(tmpdir(), 'kafkit-streams-reset-'))

  const kafkit = (args: string[]) => box.kafkit(['streams-application-reset', '--bootstrap-server', bootstrap, ...args])
  const tool = (args: string[]) =>
    run(
      join(distHome(KAFKA_4), 'bin', 'kafka-run-class.sh'),
      [RESETTER, '--bootstrap-server', bootstrap, ...args],
      TOOL_ENV,
      120_000,
    )
  /**
   * kafka-consumer-groups.sh --describe --offsets of both groups (one JVM): each group's rows as `GROUP topic partition
   * offset`, sorted (the tool's row order follows hashes of names that contain the id).
   */
  const offsetsOf = async (): Promise<{ ra: string[]; rb: string[] }> => {
    const r = await run(
      join(distHome(KAFKA_4), 'bin', 'kafka-consumer-groups.sh'),
      ['--bootstrap-server', bootstrap, '--describe', '--offsets', '--group', 'ra', '--group', 'rb'],
      TOOL_ENV,
    )
    assert.equal(r.code, 0, r.stderr)
    const rows = (group: string) =>
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith(`${group} `))
        .map((l) => l.replaceAll(group, 'GROUP').split(/\s+/).slice(0, 4).join(' '))
        .sort()
    return { ra: rows('ra'), rb: rows('rb') }
  }
  const topics = async () => {
    const r = await box.kafkit(['topics', '--list', '--bootstrap-server', bootstrap])
    assert.equal(r.code, 0, r.stderr)
    return r.stdout.trim().split('\n')
  }
  /** Same stdout and exit code from kafkit and Kafka's tool for the same arguments (dry runs: nothing changes). */
  async function same(args: string[]): Promise<Run> {
    const [ours, theirs] = await Promise.all([kafkit(args), tool(args)])
    assert.equal(ours.stdout, theirs.stdout, `kafkit vs StreamsResetter: ${args.join(' ')}\n${ours.stderr}`)
    assert.equal(ours.code, theirs.code, `exit code of ${args.join(' ')}: ${ours.stderr}`)
    return ours
  }

  before(async () => {
    const jars = join(cacheDir, 'streams', KAFKA_4)
    if (!existsSync(join(jars, `kafka-streams-${KAFKA_4}.jar`))) {
      skip = `kafka-streams ${KAFKA_4} not in .cache/streams (test/e2e/share-groups.test.ts fetches it with mvn)`
      return
    }
    box = sandbox()
    bootstrap = await startStack(box, { version: KAFKA_4 })
    for (const [topic, partitions] of [
      ['in', '3'],
      ['in-upper', '1'],
      ['in-counts', '1'],
      ['mid', '2'],
    ] as const) {
      const created = await box.kafkit([
        'topics',
        '--create',
        '--topic',
        topic,
        '--partitions',
        partitions,
        '--bootstrap-server',
        bootstrap,
      ])
      assert.equal(created.code, 0, created.stderr)
    }
    await produce(
      bootstrap,
      'in',
      Array.from({ length: 30 }, (_, i) => `v${i % 7}x${i}`),
    )
    await produce(bootstrap, 'mid', ['a', 'b', 'c', 'd'])
    for (const id of ['ra', 'rb']) {
      const app = background('java', [
        '-Xmx256m',
        '-cp',
        `${join(distHome(KAFKA_4), 'libs')}/*:${jars}/*`,
        join(repoRoot, 'test', 'fixtures', 'streams', 'App.java'),
        bootstrap,
        id,
        'in',
        join(state, id),
        'classic',
      ])
      apps.push(app.child)
    }
    // Both applications have processed every input record (committed offsets at the log end of `in`).
    for (const id of ['ra', 'rb'])
      await eventually(
        async () => {
          const r = await box.kafkit(['consumer-groups', '--describe', '--group', id, '--json', '-b', bootstrap])
          if (r.code !== 0) return false
          const rows = json(r).groups[0].partitions.filter((p: { topic: string }) => p.topic === 'in')
          return (
            rows.length === 3 &&
            rows.every((p: { currentOffset: number | null; lag: number }) => p.currentOffset !== null && p.lag === 0)
          )
        },
        240_000,
        `${id} caught up`,
      )
  })

  after(async () => {
    for (const app of apps) await stop(app)
    await box?.cleanup()
    rmSync(state, { recursive: true, force: true })
  })

  it("refuses while the application runs, with the tool's words; --force removes the members of a stopped one", async (t) => {
    if (skip) return t.skip(skip)
    const [ours, theirs] = await Promise.all([
      kafkit(['--application-id', 'ra', '--input-topics', 'in']),
      tool(['--application-id', 'ra', '--input-topics', 'in']),
    ])
    assert.equal(ours.code, 1)
    assert.equal(theirs.code, 1)
    assert.equal(ours.stdout, '')
    assert.match(ours.stderr.split('\n')[0]!, new RegExp(`^Error: ${ACTIVE.source}`))
    assert.match(theirs.stderr.split('\n')[0]!, new RegExp(`^ERROR: java.lang.IllegalStateException: ${ACTIVE.source}`))

    // A classic Streams app does not leave its group on close: its member stays until the session times out.
    for (const app of apps) await stop(app)
    const [forcedOurs, forcedTheirs] = await Promise.all([
      kafkit(['--application-id', 'ra', '--input-topics', 'in', '--dry-run', '--force']),
      tool(['--application-id', 'rb', '--input-topics', 'in', '--dry-run', '--force']),
    ])
    assert.equal(forcedOurs.code, 0, forcedOurs.stderr)
    assert.equal(forcedTheirs.code, 0, forcedTheirs.stderr)
    assert.equal(forcedOurs.stdout.split('\n')[0], 'Force deleting all active members in the group: ra')
    assert.equal(forcedTheirs.stdout.split('\n')[0], 'Force deleting all active members in the group: rb')
    for (const id of ['ra', 'rb']) {
      const r = await box.kafkit(['consumer-groups', '--describe', '--group', id, '--state', '--json', '-b', bootstrap])
      assert.equal(json(r).groups[0].state, 'Empty')
    }
  })

  it('dry runs print what StreamsResetter prints, for every reset option', async (t) => {
    if (skip) return t.skip(skip)
    const plan = join(state, 'plan.csv')
    writeFileSync(plan, 'in,0,1\nin,1,99\nin,2,0\n')
    // Few JVM runs (each costs seconds on a busy machine), each combining options.
    await same(['--application-id', 'ra', '--input-topics', 'in', '--dry-run'])
    for (const reset of [
      ['--to-datetime', '2100-01-01T00:00:00.000'],
      ['--from-file', plan],
    ])
      await same(['--application-id', 'ra', '--input-topics', 'in', '--dry-run', ...reset])
    const missing = ['--input-topics', 'in,nope', '--intermediate-topics', 'mid,gone', '--shift-by', '-3']
    assert.equal((await same(['--application-id', 'ra', ...missing, '--dry-run'])).code, 1)
    const specified = await same([
      '--application-id',
      'ra',
      '--input-topics',
      'in',
      '--internal-topics',
      'ra-counts-changelog',
      '--to-offset',
      '0',
      '--dry-run',
    ])
    assert.match(specified.stdout, /^Deleting specified internal topics \[ra-counts-changelog\]$/m)
    const dry = json(await kafkit(['--application-id', 'ra', '--input-topics', 'in', '--dry-run', '--json']))
    assert.equal(dry.dryRun, true)
    assert.deepEqual(
      dry.inputPartitions.map((p: { partition: number; offset: number }) => p.offset),
      [0, 0, 0],
    )
    assert.deepEqual([...dry.internalTopics.topics].sort(), ['ra-counts-changelog', 'ra-counts-repartition'])
    assert.equal(dry.committed, false)

    const [bad, both, none] = await Promise.all([
      kafkit(['--application-id', 'ra', '--internal-topics', 'in-upper', '--dry-run']),
      kafkit(['--application-id', 'ra', '--to-offset', '1', '--to-latest']),
      kafkit(['--input-topics', 'in']),
    ])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /^Error: Invalid topic specified in the --internal-topics option\./)
    assert.equal(none.code, 2)
    assert.match(none.stderr, /^Error: Missing required option\(s\) \[application-id\]/)
    assert.equal(both.code, 2)
    assert.match(both.stderr, /Option "\[to-offset\]" can't be used with option "\[to-latest\]"/)
  })

  it('resets: the same committed offsets and deleted internal topics as StreamsResetter on a twin application', async (t) => {
    if (skip) return t.skip(skip)
    const args = (id: string) => ['--application-id', id, '--input-topics', 'in', '--intermediate-topics', 'mid']
    // Each tool's real run prints its dry run's text without the header (hash orders depend on the id: compare per id).
    const [dryA, dryB] = await Promise.all([kafkit([...args('ra'), '--dry-run']), kafkit([...args('rb'), '--dry-run'])])
    // The application committed offsets past the start of its input, so the reset moves them.
    const initial = json(
      await box.kafkit(['consumer-groups', '--describe', '--group', 'ra', '--json', '-b', bootstrap]),
    )
    assert.ok(
      initial.groups[0].partitions.some(
        (p: { topic: string; currentOffset: number }) => p.topic === 'in' && p.currentOffset > 0,
      ),
    )
    const [ours, theirs] = await Promise.all([kafkit(args('ra')), tool(args('rb'))])
    assert.equal(ours.code, 0, ours.stderr)
    assert.equal(theirs.code, 0, theirs.stderr)
    assert.equal(ours.stdout, dryA.stdout.replace(DRY_RUN_HEADER, ''))
    assert.equal(theirs.stdout, dryB.stdout.replace(DRY_RUN_HEADER, ''))
    assert.match(ours.stdout, /^Deleting inferred internal topics \[ra-counts-(changelog|repartition), ra-counts-/m)

    const { ra: reset, rb: resetB } = await offsetsOf()
    assert.deepEqual(reset, resetB)
    for (const p of [0, 1, 2]) assert.ok(reset.includes(`GROUP in ${p} 0`), reset.join('\n'))
    for (const p of [0, 1])
      assert.ok(
        reset.some((row) => row.startsWith(`GROUP mid ${p} `)),
        reset.join('\n'),
      )
    await eventually(
      async () => {
        const left = await topics()
        return !left.some((t) => /^r[ab]-counts-/.test(t))
      },
      30_000,
      'internal topics deleted',
    )

    // Again, to an offset: nothing internal is left to delete, and the outputs are the same but for the id.
    const again = (id: string) => ['--application-id', id, '--input-topics', 'in', '--to-offset', '5']
    const [ours2, theirs2] = await Promise.all([kafkit(again('ra')), tool(again('rb'))])
    assert.equal(ours2.code, 0, ours2.stderr)
    assert.equal(ours2.stdout, theirs2.stdout.replaceAll('rb', 'ra'))
    assert.match(ours2.stdout, /^Deleting inferred internal topics \[\]$/m)
    const { ra: last, rb: lastB } = await offsetsOf()
    assert.deepEqual(last, lastB)
    for (const p of [0, 1, 2])
      assert.ok(
        last.some((row) => row.startsWith(`GROUP in ${p} `)),
        last.join('\n'),
      )
  })
})
