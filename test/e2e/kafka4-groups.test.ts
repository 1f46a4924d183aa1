import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  distHome,
  eventually,
  json,
  produce,
  run,
  sandbox,
  needsRealKafka,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * Kafka 4 groups (KIP-848) through the built CLI on a 4.4 stack: a consumer-protocol group (Java console consumer
 * with group.protocol=consumer) running, a classic one running and a consumer-protocol one stopped, compared with
 * Kafka's own kafka-consumer-groups.sh and kafka-groups.sh (GroupsCommand: the .cache dist has no script for it).
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const bin = (name: string) => join(distHome(KAFKA_4), 'bin', name)

describe(`Kafka ${KAFKA_4} consumer and classic groups`, () => {
  let box: Sandbox
  let bootstrap: string
  const consumers: ChildProcess[] = []

  const k = (args: string[], env: NodeJS.ProcessEnv = {}) => box.kafkit([...args, '-b', bootstrap], { env })
  const tool = (args: string[]): Promise<Run> =>
    run(bin('kafka-consumer-groups.sh'), ['--bootstrap-server', bootstrap, ...args], TOOL_ENV, 120_000)
  const groupsTool = (args: string[]): Promise<Run> =>
    run(
      bin('kafka-run-class.sh'),
      ['org.apache.kafka.tools.GroupsCommand', '--bootstrap-server', bootstrap, ...args],
      TOOL_ENV,
      120_000,
    )
  const consoleConsumer = (group: string, extra: string[]) =>
    spawn(
      bin('kafka-console-consumer.sh'),
      ['--bootstrap-server', bootstrap, '--topic', 't2', '--group', group, '--from-beginning', ...extra],
      { env: TOOL_ENV, stdio: 'ignore' },
    )

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { version: KAFKA_4 })
    const created = await k(['topics', '--create', '--topic', 't2', '--partitions', '2'])
    assert.equal(created.code, 0, created.stderr)
    await produce(
      bootstrap,
      't2',
      Array.from({ length: 25 }, (_, i) => `v${i}`),
    )
    // gstopped: a consumer-protocol group that read 20 records and left (Empty, lag 5).
    const stopped = consoleConsumer('gstopped', [
      '--consumer-property',
      'group.protocol=consumer',
      '--max-messages',
      '20',
      '--timeout-ms',
      '60000',
    ])
    const code = await new Promise<number | null>((resolve) => stopped.on('exit', resolve))
    assert.equal(code, 0)
    // s1: a share group (KIP-932), for kafka-groups' filters and for what consumer-groups makes of it. Bounded: the
    // console share consumer gives up after 3 s without a record (share groups start at the log end).
    const share = spawn(
      bin('kafka-run-class.sh'),
      [
        'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
        '--bootstrap-server',
        bootstrap,
        '--topic',
        't2',
        '--group',
        's1',
        '--timeout-ms',
        '3000',
      ],
      { env: TOOL_ENV, stdio: 'ignore' },
    )
    await new Promise((resolve) => share.on('exit', resolve))
    consumers.push(
      consoleConsumer('g848', [
        '--consumer-property',
        'group.protocol=consumer',
        '--consumer-property',
        'client.id=cli848',
      ]),
      consoleConsumer('gclassic', []),
    )
    // Both running groups have one member and have committed everything (auto-commit every 5 s).
    await eventually(
      async () => {
        const described = json(
          await k(['consumer-groups', '--describe', '--group', 'g848', '--group', 'gclassic', '--json']),
        )
        return described.groups.every(
          (g: any) =>
            g.state === 'Stable' &&
            g.members.length === 1 &&
            g.partitions.length === 2 &&
            g.partitions.every((p: any) => p.currentOffset !== null && p.lag === 0),
        )
      },
      120_000,
      'g848 and gclassic stable with everything committed',
    )
  })

  after(async () => {
    for (const c of consumers) c.kill('SIGKILL')
    await box?.cleanup()
  })

  /**
   * A table as cells: kafkit fits its columns to the content and Kafka's tool pads to fixed widths (a deliberate
   * difference of layout, kept since kafkit 0.1), so both are compared cell by cell, rows sorted (kafkit orders groups
   * by name, the tool in the broker's order). kafkit's `TOTAL LAG n` line is its own addition.
   */
  const cells = (stdout: string) =>
    stdout
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('TOTAL LAG'))
      .map((l) => l.trim().split(/\s+/).join(' '))
      .sort()

  const DESCRIBES: Array<[string, string[]]> = [
    ['offsets (default)', []],
    ['--offsets', ['--offsets']],
    ['--members', ['--members']],
    ['--state', ['--state']],
    ['--state --verbose', ['--state', '--verbose']],
  ]
  for (const [name, view] of DESCRIBES) {
    it(`--describe ${name}: the same cells as kafka-consumer-groups.sh, for both group types`, async () => {
      const args = ['--describe', '--group', 'g848', '--group', 'gclassic', '--group', 'gstopped', ...view]
      const [ours, theirs] = await Promise.all([k(['consumer-groups', ...args]), tool(args)])
      assert.equal(ours.code, 0, ours.stderr)
      assert.equal(theirs.code, 0, theirs.stderr)
      assert.deepEqual(cells(ours.stdout), cells(theirs.stdout))
      // The script's notice for the empty group, on stderr as the script prints it.
      assert.match(ours.stderr, /^Consumer group 'gstopped' has no active members\.$/m)
      assert.match(theirs.stderr + theirs.stdout, /Consumer group 'gstopped' has no active members\./)
    })
  }

  it("--members --verbose: Kafka 4's epoch columns for consumer groups; a classic group keeps ASSIGNMENT", async () => {
    const args = ['--describe', '--group', 'g848', '--group', 'gstopped', '--members', '--verbose']
    const [ours, theirs] = await Promise.all([k(['consumer-groups', ...args]), tool(args)])
    assert.equal(ours.code, 0, ours.stderr)
    assert.deepEqual(cells(ours.stdout), cells(theirs.stdout))
    assert.match(ours.stdout, /^g848\s+\S+\s+\/127\.0\.0\.1\s+cli848\s+2\s+\d+\s+t2:0,1\s+\d+\s+t2:0,1$/m)

    // Deliberate: for a classic group Kafka 4.4 prints the epoch columns as "-"; kafkit keeps the single ASSIGNMENT
    // column it (and Kafka 3.x) always printed, so scripts reading it keep working. Same cells otherwise.
    const classic = ['--describe', '--group', 'gclassic', '--members', '--verbose']
    const [ours2, theirs2] = await Promise.all([k(['consumer-groups', ...classic]), tool(classic)])
    const theirRows = cells(theirs2.stdout).map((row) => {
      const c = row.split(' ')
      // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT
      return c[0] === 'GROUP'
        ? [...c.slice(0, 5), 'ASSIGNMENT'].join(' ')
        : (assert.deepEqual([c[5], c[7], c[8]], ['-', '-', '-']), [...c.slice(0, 5), c[6]].join(' '))
    })
    assert.deepEqual(cells(ours2.stdout), theirRows.sort())
  })

  it(
    'a share group is no consumer group: left out of --list, and --describe says so (exit 1)',
    needsRealKafka('share groups'),
    async () => {
      const all = await k(['groups', '--list', '--share'])
      assert.match(all.stdout, /^s1\s+Share\s+share\s+$/m)
      const listed = await k(['consumer-groups', '--list'])
      assert.deepEqual(listed.stdout.split('\n').filter(Boolean), ['g848', 'gclassic', 'gstopped'])
      const described = await k(['consumer-groups', '--describe', '--group', 's1'])
      // Kafka's tool says the same words, in an exception (exit 0); kafkit exits 1 as for any group it cannot describe.
      assert.equal(described.code, 1)
      assert.match(described.stderr, /Group s1 is not a consumer group\./)
    },
  )

  it('--describe --json says the type and the epochs of a consumer group', async () => {
    const described = json(
      await k(['consumer-groups', '--describe', '--group', 'g848', '--group', 'gclassic', '--state', '--json']),
    )
    const byGroup = Object.fromEntries(described.groups.map((g: any) => [g.group, g]))
    assert.equal(byGroup.g848.type, 'consumer')
    assert.equal(byGroup.g848.assignmentStrategy, 'uniform')
    assert.ok(byGroup.g848.groupEpoch >= 1 && byGroup.g848.assignmentEpoch >= 1)
    assert.equal(byGroup.gclassic.type, 'classic')
    assert.equal(byGroup.gclassic.groupEpoch, undefined)
  })

  it('--list --type / --type consumer / --type classic: the rows of kafka-consumer-groups.sh', async () => {
    for (const args of [
      ['--list', '--type'],
      ['--list', '--type', 'consumer'],
      ['--list', '--type', 'classic'],
      ['--list', '--type', '--state'],
    ]) {
      const [ours, theirs] = await Promise.all([k(['consumer-groups', ...args]), tool(args)])
      assert.equal(ours.code, 0, ours.stderr)
      assert.deepEqual(cells(ours.stdout), cells(theirs.stdout), args.join(' '))
    }
    const bad = await k(['consumer-groups', '--list', '--type', 'foo'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /Invalid types list 'foo'\. Valid types are: Consumer, Classic/)
  })

  it('kafka-groups --list with every filter: byte for byte as kafka-groups.sh', async () => {
    const filters = [
      [],
      ['--group-type', 'classic'],
      ['--group-type', 'Consumer'],
      ['--group-type', 'share'],
      ['--group-type', 'streams'],
      ['--consumer'],
      ['--share'],
      ['--streams'],
      ['--protocol', 'consumer'],
      ['--protocol', 'classic'],
    ]
    for (const filter of filters) {
      const [ours, theirs] = await Promise.all([
        k(['kafka-groups', '--list', ...filter]),
        groupsTool(['--list', ...filter]),
      ])
      assert.equal(ours.code, 0, ours.stderr)
      assert.equal(theirs.code, 0, theirs.stderr)
      assert.equal(ours.stdout, theirs.stdout, `--list ${filter.join(' ')}`)
    }
    // `groups` is kafka-groups' short name; the script's conflicting filters are usage errors (kafkit's exit 2).
    assert.equal((await k(['groups'])).stdout, (await k(['kafka-groups', '--list'])).stdout)
    const conflict = await k(['groups', '--list', '--consumer', '--protocol', 'classic'])
    assert.equal(conflict.code, 2)
    assert.match(conflict.stderr, /Option "\[consumer\]" can't be used with option "\[protocol\]"/)
  })

  it('loads no kafkajs for consumer-groups --list/--describe, lag and groups', async () => {
    const hook = join(box.home, 'kafkajs-loaded.cjs')
    writeFileSync(
      hook,
      `process.on('exit', () => process.stderr.write('kafkajs-loaded=' + Object.keys(require.cache).some((k) => k.includes('/node_modules/kafkajs/')) + '\\n'))\n`,
    )
    const env = { NODE_OPTIONS: `--require ${hook}` }
    for (const args of [
      ['consumer-groups', '--list'],
      ['consumer-groups', '--describe', '--all-groups'],
      ['consumer-groups', '--describe', '--group', 'g848', '--members', '--verbose'],
      ['lag', '--count', '1'],
      ['groups', '--list'],
    ]) {
      const result = await k(args, env)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /kafkajs-loaded=false/, args.join(' '))
    }
    // The hook does see kafkajs where it is still used (the console producer), so the check above means something.
    const producer = await box.kafkit(['console-producer', '--topic', 'other', '-b', bootstrap], { env, input: 'x\n' })
    assert.match(producer.stderr, /kafkajs-loaded=true/)
  })

  it('resets, deletes offsets of and deletes an empty consumer-protocol group, as Kafka sees it; refuses a live one', async () => {
    const refused = await k([
      'consumer-groups',
      '--reset-offsets',
      '--group',
      'g848',
      '--topic',
      't2',
      '--to-earliest',
      '--execute',
    ])
    assert.equal(refused.code, 1)
    assert.match(
      refused.stderr,
      /Assignments can only be reset if the group 'g848' is inactive, but the current state is Stable/,
    )

    const reset = await k([
      'consumer-groups',
      '--reset-offsets',
      '--group',
      'gstopped',
      '--topic',
      't2',
      '--to-earliest',
      '--execute',
    ])
    assert.equal(reset.code, 0, reset.stderr)
    const afterReset = await tool(['--describe', '--group', 'gstopped'])
    const rows = afterReset.stdout.split('\n').filter((l) => l.startsWith('gstopped'))
    assert.equal(rows.length, 2, afterReset.stdout)
    for (const row of rows) assert.equal(row.trim().split(/\s+/)[3], '0', row)

    const deleted = await k(['consumer-groups', '--delete-offsets', '--group', 'gstopped', '--topic', 't2:1'])
    assert.equal(deleted.code, 0, deleted.stderr)
    assert.match(deleted.stdout, /^t2\s+1\s+Successful$/m)
    const afterDelete = await tool(['--describe', '--group', 'gstopped'])
    assert.deepEqual(
      afterDelete.stdout
        .split('\n')
        .filter((l) => l.startsWith('gstopped'))
        .map((l) => l.trim().split(/\s+/).slice(1, 3).join('-')),
      ['t2-0'],
    )

    const gone = await k(['consumer-groups', '--delete', '--group', 'gstopped'])
    assert.equal(gone.code, 0, gone.stderr)
    assert.match(gone.stdout, /^gstopped\s+Deleted$/m)
    const listed = await tool(['--list'])
    assert.deepEqual(listed.stdout.split('\n').filter(Boolean).sort(), ['g848', 'gclassic'])
  })
})
