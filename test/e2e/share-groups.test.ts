import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
 * share-groups and streams-groups through the built CLI against Kafka 4.4.0, compared byte for byte with Kafka's own
 * ShareGroupCommand / StreamsGroupCommand (kafka-share-groups.sh, kafka-streams-groups.sh). Share groups are made by
 * Kafka's console share consumer, the streams group by a small Kafka Streams app (test/fixtures/streams/App.java,
 * kafka-streams from Maven into .cache/streams/). Each Java tool call starts a JVM: they are kept few.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const runClass = (cls: string, args: string[], timeoutMs = 120_000) =>
  run(join(distHome(KAFKA_4), 'bin', 'kafka-run-class.sh'), [cls, ...args], TOOL_ENV, timeoutMs)
const SHARE_TOOL = 'org.apache.kafka.tools.consumer.group.ShareGroupCommand'
const STREAMS_TOOL = 'org.apache.kafka.tools.streams.StreamsGroupCommand'
const SHARE_CONSUMER = 'org.apache.kafka.tools.consumer.ConsoleShareConsumer'

/** `partition start-offset` pairs of a share --describe table. */
const startOffsets = (table: string) =>
  table
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => cells.length === 5 && /^\d+$/.test(cells[2]!))
    .map((cells) => `${cells[1]}-${cells[2]} ${cells[3]}`)

/** A background JVM (console share consumer, streams app), ended by its pid. */
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

describe(`share-groups and streams-groups against Kafka ${KAFKA_4}`, { timeout: 900_000 }, () => {
  let box: Sandbox
  let bootstrap: string
  const stops: ChildProcess[] = []

  const kafkit = (tool: 'share-groups' | 'streams-groups', args: string[]) =>
    box.kafkit([tool, '--bootstrap-server', bootstrap, ...args])
  const shareTool = (args: string[]) => runClass(SHARE_TOOL, ['--bootstrap-server', bootstrap, ...args])
  const streamsTool = (args: string[]) => runClass(STREAMS_TOOL, ['--bootstrap-server', bootstrap, ...args])

  /** kafkit's stdout is the Java tool's, byte for byte; kafkit succeeds. `kafkitArgs` when kafkit's differ (--dry-run). */
  async function same(
    tool: 'share-groups' | 'streams-groups',
    args: string[],
    kafkitArgs: string[] = args,
  ): Promise<Run> {
    const [theirs, ours] = await Promise.all([
      tool === 'share-groups' ? shareTool(args) : streamsTool(args),
      kafkit(tool, kafkitArgs),
    ])
    assert.equal(ours.code, 0, `kafkit ${tool} ${kafkitArgs.join(' ')}: ${ours.stderr}`)
    assert.equal(ours.stdout, theirs.stdout, `kafkit ${tool} ${kafkitArgs.join(' ')} vs Kafka's tool`)
    return ours
  }

  async function shareState(group: string): Promise<{ state: string; members: number } | undefined> {
    const r = await kafkit('share-groups', ['--describe', '--group', group, '--state', '--json'])
    if (r.code !== 0) return undefined
    const g = json(r).groups[0]
    return { state: g.state, members: g.members.length }
  }

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { version: KAFKA_4 })
    const created = await box.kafkit([
      'topics',
      '--create',
      '--topic',
      't2',
      '--partitions',
      '2',
      '--bootstrap-server',
      bootstrap,
    ])
    assert.equal(created.code, 0, created.stderr)
    await produce(
      bootstrap,
      't2',
      Array.from({ length: 25 }, (_, i) => `v${i}`),
    )
    // Share groups start at the log end by default; s1 reads from the beginning.
    const config = await run(
      join(distHome(KAFKA_4), 'bin', 'kafka-configs.sh'),
      [
        '--bootstrap-server',
        bootstrap,
        '--entity-type',
        'groups',
        '--entity-name',
        's1',
        '--alter',
        '--add-config',
        'share.auto.offset.reset=earliest',
      ],
      TOOL_ENV,
    )
    assert.equal(config.code, 0, config.stderr)
    // 20 of the 25 records delivered and acknowledged (accept), then the consumer leaves: s1 is Empty with state.
    const consumed = await runClass(SHARE_CONSUMER, [
      '--bootstrap-server',
      bootstrap,
      '--topic',
      't2',
      '--group',
      's1',
      '--max-messages',
      '20',
      '--timeout-ms',
      '60000',
    ])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.match(consumed.stderr, /Processed a total of 20 messages/)
  })

  after(async () => {
    for (const child of stops) await stop(child)
    await box?.cleanup()
  })

  it('--list and --describe of an empty share group print what kafka-share-groups.sh prints', async () => {
    await same('share-groups', ['--list'])
    await same('share-groups', ['--list', '--state'])
    await same('share-groups', ['--list', '--state', 'Empty'])
    const offsets = await same('share-groups', ['--describe', '--group', 's1'])
    assert.match(offsets.stdout, /^\nGROUP +TOPIC +PARTITION +START-OFFSET +LAG\ns1 +t2 +0 /)
    await same('share-groups', ['--describe', '--group', 's1', '--offsets', '--verbose'])
    const members = await same('share-groups', ['--describe', '--group', 's1', '--members'])
    assert.equal(members.stdout, '')
    assert.equal(members.stderr, "\nShare group 's1' has no active members.\n")
    await same('share-groups', ['--describe', '--group', 's1', '--state'])
    await same('share-groups', ['--describe', '--all-groups', '--state', '--verbose'])
    const typed = json(await kafkit('share-groups', ['--describe', '--group', 's1', '--json']))
    assert.equal(typed.view, 'offsets')
    assert.equal(typed.groups[0].state, 'Empty')
    assert.deepEqual(
      typed.groups[0].offsets.map((o: { partition: number }) => o.partition),
      [0, 1],
    )
  })

  it('a group with a running share consumer: members and state as the script, changes refused (exit 1)', async () => {
    const consumer = background(join(distHome(KAFKA_4), 'bin', 'kafka-run-class.sh'), [
      SHARE_CONSUMER,
      '--bootstrap-server',
      bootstrap,
      '--topic',
      't2',
      '--group',
      's2',
      '--timeout-ms',
      '300000',
    ])
    stops.push(consumer.child)
    await eventually(
      async () => {
        const s = await shareState('s2')
        const r = await kafkit('share-groups', ['--describe', '--group', 's2', '--members', '--json'])
        return s?.state === 'Stable' && json(r).groups[0].members[0]?.assignment.length === 2
      },
      90_000,
      's2 stable with its member assigned both partitions',
    )
    await same('share-groups', ['--describe', '--group', 's2', '--members'])
    await same('share-groups', ['--describe', '--group', 's2', '--members', '--verbose'])
    await same('share-groups', ['--describe', '--group', 's2', '--state', '--verbose'])

    const reset = await kafkit('share-groups', ['--reset-offsets', '--group', 's2', '--topic', 't2', '--to-earliest'])
    assert.equal(reset.code, 1)
    assert.match(reset.stderr, /^Error: Share group 's2' is not empty\.\n/)
    const deleted = await kafkit('share-groups', ['--delete', '--group', 's2'])
    assert.equal(deleted.code, 1)
    assert.match(deleted.stderr, /^Error: Share group 's2' is not empty: it has 1 active member \(/)
    const offsets = await kafkit('share-groups', ['--delete-offsets', '--group', 's2', '--topic', 't2'])
    assert.equal(offsets.code, 1)
    assert.match(offsets.stderr, /^Error: Share group 's2' is not empty\.\n/)

    await stop(consumer.child)
    await eventually(
      async () => (await shareState('s2'))?.state === 'Empty',
      90_000,
      's2 empty after its consumer left',
    )
  })

  it('--reset-offsets: dry run by default (the script needs --dry-run), --execute saves a backup, --undo-reset restores', async () => {
    const before = (await shareTool(['--describe', '--group', 's1'])).stdout
    const plan = await same(
      'share-groups',
      ['--reset-offsets', '--group', 's1', '--topic', 't2', '--to-earliest', '--dry-run'],
      ['--reset-offsets', '--group', 's1', '--topic', 't2', '--to-earliest'],
    )
    // The script prints its plan in HashMap order: partition 1 before 0.
    assert.match(plan.stdout, /^\nGROUP +TOPIC +PARTITION +NEW-OFFSET\ns1 +t2 +1 +0\ns1 +t2 +0 +0\n$/)
    assert.match(plan.stderr, /Dry run: nothing changed/)
    await same('share-groups', ['--reset-offsets', '--group', 's1', '--all-topics', '--to-offset', '3', '--dry-run'])
    await same('share-groups', ['--reset-offsets', '--group', 's1', '--topic', 't2:0', '--to-latest', '--dry-run'])
    await same('share-groups', ['--reset-offsets', '--group', 's1', '--topic', 't2', '--to-current', '--dry-run'])
    await same('share-groups', [
      '--reset-offsets',
      '--group',
      's1',
      '--topic',
      't2',
      '--to-datetime',
      '2020-01-01T00:00:00.000',
      '--dry-run',
    ])
    await same('share-groups', [
      '--reset-offsets',
      '--group',
      's1',
      '--topic',
      't2',
      '--to-earliest',
      '--dry-run',
      '--export',
    ])
    assert.equal((await shareTool(['--describe', '--group', 's1'])).stdout, before, 'a dry run changes nothing')

    const executed = await kafkit('share-groups', [
      '--reset-offsets',
      '--group',
      's1',
      '--topic',
      't2',
      '--to-offset',
      '2',
      '--execute',
      '--json',
    ])
    assert.equal(executed.code, 0, executed.stderr)
    const result = json(executed)
    assert.equal(result.dryRun, false)
    assert.ok(existsSync(result.backupFile), 'the backup was written')
    const backup = JSON.parse(readFileSync(result.backupFile, 'utf8'))
    assert.equal(backup.group, 's1')
    const after = (await shareTool(['--describe', '--group', 's1'])).stdout
    assert.match(after, /\ns1 +t2 +0 +2 +\d+\ns1 +t2 +1 +2 +\d+\n/, "Kafka's tool sees the new start offsets")

    const undo = await kafkit('share-groups', ['--undo-reset', '--group', 's1', '--execute'])
    assert.equal(undo.code, 0, undo.stderr)
    // Start offsets only: a reset clears the share-partition's record states, so records after the start offset that
    // were acknowledged before count as lag again (undo cannot bring those states back).
    assert.deepEqual(
      startOffsets((await shareTool(['--describe', '--group', 's1'])).stdout),
      startOffsets(before),
      'undo restored the start offsets',
    )

    const created = await kafkit('share-groups', [
      '--reset-offsets',
      '--group',
      's3',
      '--topic',
      't2',
      '--to-earliest',
      '--execute',
    ])
    assert.equal(created.code, 0, created.stderr)
    assert.match((await shareTool(['--list'])).stdout, /^s3$/m, 'a reset of a new group creates it, as the script does')
  })

  it('--delete-offsets and --delete print what the script prints; missing groups are one-line errors', async () => {
    const deleted = await kafkit('share-groups', ['--delete-offsets', '--group', 's3', '--topic', 't2'])
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.equal(deleted.stdout, '\nTOPIC           STATUS\nt2              Successful\n')
    await same('share-groups', ['--describe', '--group', 's3'])
    assert.match((await shareTool(['--describe', '--group', 's3'])).stdout, /has no offset information/)

    const gone = await kafkit('share-groups', ['--delete', '--group', 's3'])
    assert.equal(gone.code, 0, gone.stderr)
    assert.equal(gone.stdout, "Deletion of requested share groups ('s3') was successful.\n")
    assert.doesNotMatch((await shareTool(['--list'])).stdout, /^s3$/m)

    for (const args of [
      ['--describe', '--group', 'nosuch'],
      ['--delete', '--group', 'nosuch'],
      ['--delete-offsets', '--group', 'nosuch', '--topic', 't2'],
    ]) {
      const r = await kafkit('share-groups', args)
      assert.equal(r.code, 1, args.join(' '))
      assert.equal(r.stderr.split('\n')[0], "Error: Share group 'nosuch' does not exist.")
    }
    const usage = await kafkit('share-groups', ['--list', '--state', 'foo'])
    assert.equal(usage.code, 2)
    assert.match(usage.stderr, /Invalid state list 'foo'\. Valid states are: Empty, Stable, Dead/)
  })

  it('streams-groups --list and --describe print what kafka-streams-groups.sh prints', async (t) => {
    const jars = join(cacheDir, 'streams', KAFKA_4)
    if (!existsSync(join(jars, `kafka-streams-${KAFKA_4}.jar`))) {
      const fetched = await run(
        'mvn',
        ['-q', 'dependency:copy', `-Dartifact=org.apache.kafka:kafka-streams:${KAFKA_4}`, `-DoutputDirectory=${jars}`],
        process.env,
        300_000,
      ).catch((error: Error) => ({ code: -1, stdout: '', stderr: error.message }))
      if (fetched.code !== 0) return t.skip(`kafka-streams ${KAFKA_4} not in .cache and mvn could not fetch it`)
    }
    const state = mkdtempSync(join(tmpdir(), 'kafkit-streams-'))
    try {
      const app = background('java', [
        '-Xmx256m',
        '-cp',
        `${join(distHome(KAFKA_4), 'libs')}/*:${jars}/*`,
        join(repoRoot, 'test', 'fixtures', 'streams', 'App.java'),
        bootstrap,
        'wc1',
        't2',
        state,
      ])
      stops.push(app.child)
      // Stable, and every partition of the active tasks committed with no lag (so both tools see the same numbers).
      await eventually(
        async () => {
          const r = await kafkit('streams-groups', ['--describe', '--group', 'wc1', '--json'])
          if (r.code !== 0) return false
          const g = json(r).groups[0]
          return (
            g.state === 'Stable' &&
            g.offsets.length === 4 &&
            g.offsets.every(
              (o: { currentOffset: number | null; lag: number }) => o.currentOffset !== null && o.lag === 0,
            )
          )
        },
        180_000,
        `wc1 stable and caught up (${app.output().slice(-500)})`,
      )
      await same('streams-groups', ['--list'])
      await same('streams-groups', ['--list', '--state'])
      for (const view of [[], ['--members'], ['--state'], ['--offsets']])
        for (const verbose of [[], ['--verbose']])
          await same('streams-groups', ['--describe', '--group', 'wc1', ...view, ...verbose])
      await same('streams-groups', ['--describe', '--all-groups'])

      await stop(app.child)
      await eventually(
        async () => json(await kafkit('streams-groups', ['--list', '--state', '--json'])).groups[0]?.state === 'Empty',
        90_000,
        'wc1 empty after the app stopped',
      )
      const empty = await same('streams-groups', ['--describe', '--group', 'wc1', '--state'])
      assert.match(empty.stdout, /^\nError: Streams group 'wc1' has no active members\.\nGROUP /)
      assert.equal((await same('streams-groups', ['--describe', '--group', 'wc1'])).stdout, '')

      const missing = await kafkit('streams-groups', ['--describe', '--group', 's1'])
      assert.equal(missing.code, 1)
      assert.equal(missing.stderr.split('\n')[0], "Error: Group 's1' is a share group, not a streams group.")
    } finally {
      rmSync(state, { recursive: true, force: true })
    }
  })
})
