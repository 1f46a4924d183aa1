import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import type { Consumer, Kafka } from 'kafkajs'
import { DOC_EXAMPLES } from './doc-examples.js'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  json,
  kafkaClient,
  repoRoot,
  run,
  sandbox,
  sleep,
  onRealKafka,
  startStack,
  underPty,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * consumer-groups and lag through the built CLI, against a real broker per Kafka version, checked against Kafka's own
 * kafka-consumer-groups.sh (its JVM calls are batched: one --describe --all-groups checks many groups at once) and
 * kafkajs used directly. Groups are made by kafkajs consumers, kcat -G and Kafka's console consumer.
 *
 * Every example of docs/consumer-groups.md is run by the "documentation examples" test (DOC_EXAMPLES in doc-examples.ts).
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }

/** Kafka's own tool (each call starts a JVM: keep them few). */
async function tool(version: string, args: string[]): Promise<Run> {
  return run(join(distHome(version), 'bin', 'kafka-consumer-groups.sh'), args, TOOL_ENV, 120_000)
}

/** `--describe --all-groups` of Kafka's tool → `group/topic/partition` → [current, end, lag] as printed. */
function parseScriptDescribe(stdout: string): Map<string, [string, string, string]> {
  const rows = new Map<string, [string, string, string]>()
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s+/)
    if (cells.length < 9 || cells[0] === 'GROUP' || !/^\d+$/.test(cells[2]!)) continue
    rows.set(`${cells[0]}/${cells[1]}/${cells[2]}`, [cells[3]!, cells[4]!, cells[5]!])
  }
  return rows
}

async function committed(kafka: Kafka, group: string, topic: string): Promise<Array<number | null>> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [answer] = await admin.fetchOffsets({ groupId: group, topics: [topic] })
    return answer!.partitions
      .sort((a, b) => a.partition - b.partition)
      .map((p) => (Number(p.offset) < 0 ? null : Number(p.offset)))
  } finally {
    await admin.disconnect()
  }
}

async function seed(kafka: Kafka, group: string, topic: string, offsets: Array<number | null>): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const partitions = offsets.flatMap((offset, partition) =>
      offset === null ? [] : [{ partition, offset: String(offset) }],
    )
    // kafkajs's own setOffsets (it joins the group briefly): an independent way to commit.
    await admin.setOffsets({ groupId: group, topic, partitions })
  } finally {
    await admin.disconnect()
  }
}

/** Produces `perPartition` messages to each partition, message i stamped `now - (perPartition - i) minutes`. */
async function produceStamped(
  kafka: Kafka,
  topic: string,
  partitions: number,
  perPartition: number,
  now: number,
): Promise<void> {
  // Idempotent: a retried send on a freshly started broker must not duplicate a partition's batch (the offsets are asserted).
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  try {
    const messages = []
    for (let p = 0; p < partitions; p++) {
      for (let i = 0; i < perPartition; i++)
        messages.push({
          partition: p,
          key: `k${i}`,
          value: `${p}-${i}`,
          timestamp: String(now - (perPartition - i) * 60_000),
        })
    }
    await producer.send({ topic, acks: -1, messages })
  } finally {
    await producer.disconnect()
  }
}

for (const version of [KAFKA_3, KAFKA_4]) {
  onRealKafka(`a Kafka ${version} stack`, version !== KAFKA_4).describe(`consumer-groups on Kafka ${version}`, () => {
    let box: Sandbox
    let bootstrap: string
    let kafka: Kafka
    const consumers: Consumer[] = []
    let activeMember = ''
    const now = Date.now()
    const k = (args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
      box.kafkit([...args, '--stack', 'test'], options)

    before(async () => {
      box = sandbox()
      bootstrap = await startStack(box, { version })
      kafka = kafkaClient(bootstrap)
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: 'orders', numPartitions: 3 },
          { topic: 'payments', numPartitions: 2 },
          { topic: 'reset-t', numPartitions: 3 },
          { topic: 'trimmed', numPartitions: 1 },
          { topic: 'watch-t', numPartitions: 2 },
        ],
      })
      await admin.disconnect()
      await produceStamped(kafka, 'reset-t', 3, 10, now)
      await produceStamped(kafka, 'orders', 3, 10, now)
      await produceStamped(kafka, 'payments', 2, 5, now)
      await produceStamped(kafka, 'trimmed', 1, 10, now)
    })

    after(async () => {
      for (const c of consumers) await c.disconnect().catch(() => {})
      await box.cleanup()
    })

    it("lists and describes groups made by kafkajs, kcat -G and the console consumer with the numbers Kafka's tool prints", async () => {
      // kafkajs: consumes all of orders, commits, leaves; then 7 more messages arrive → lag 7.
      const consumer = kafka.consumer({ groupId: 'g-kafkajs' })
      await consumer.connect()
      await consumer.subscribe({ topic: 'orders', fromBeginning: true })
      let seen = 0
      await consumer.run({
        eachMessage: async () => {
          seen++
        },
      })
      await eventually(async () => seen >= 30, 60_000, 'kafkajs consumed orders')
      await consumer.disconnect()
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      await producer.send({
        topic: 'orders',
        messages: Array.from({ length: 7 }, (_, i) => ({ partition: i % 3, value: `late-${i}` })),
      })
      await producer.disconnect()
      // kcat (librdkafka) balanced consumer: reads payments to the end and commits on exit.
      const kcat = await run(
        'kcat',
        ['-b', bootstrap, '-G', 'g-kcat', '-X', 'auto.offset.reset=earliest', '-e', '-q', 'payments'],
        process.env,
        60_000,
      )
      assert.equal(kcat.code, 0, kcat.stderr)
      // Kafka's console consumer: 4 of the 10 payments.
      const consoleRun = await run(
        join(distHome(version), 'bin', 'kafka-console-consumer.sh'),
        [
          '--bootstrap-server',
          bootstrap,
          '--topic',
          'payments',
          '--group',
          'g-console',
          '--from-beginning',
          '--max-messages',
          '4',
        ],
        TOOL_ENV,
        120_000,
      )
      assert.equal(consoleRun.code, 0, consoleRun.stderr)
      // An active kafkajs member that has committed nothing (it starts at the end of payments): its rows show "-".
      const active = kafka.consumer({ groupId: 'g-active' })
      active.on(active.events.GROUP_JOIN, (e) => {
        activeMember = e.payload.memberId
      })
      consumers.push(active)
      await active.connect()
      await active.subscribe({ topic: 'payments', fromBeginning: false })
      await active.run({ autoCommit: false, eachMessage: async () => {} })
      await eventually(
        async () => {
          const d = json(await k(['consumer-groups', '--describe', '--group', 'g-active', '--state', '--json']))
          return d.groups[0].state === 'Stable'
        },
        90_000,
        'g-active stable',
      )

      const list = await k(['consumer-groups', '--list'])
      assert.equal(list.code, 0, list.stderr)
      for (const g of ['g-kafkajs', 'g-kcat', 'g-console', 'g-active'])
        assert.ok(list.stdout.split('\n').includes(g), `${g} listed:\n${list.stdout}`)

      const ours = json(await k(['consumer-groups', '--describe', '--all-groups', '--json']))
      const script = await tool(version, ['--bootstrap-server', bootstrap, '--describe', '--all-groups'])
      assert.equal(script.code, 0, script.stderr)
      const theirs = parseScriptDescribe(script.stdout)
      const compared: string[] = []
      for (const g of ours.groups) {
        for (const r of g.partitions ?? []) {
          const key = `${r.group}/${r.topic}/${r.partition}`
          const expected = theirs.get(key)
          assert.ok(expected, `Kafka's tool has no row ${key}:\n${script.stdout}`)
          const show = (v: number | null) => (v === null ? '-' : String(v))
          assert.deepEqual([show(r.currentOffset), show(r.logEndOffset), show(r.lag)], expected, key)
          compared.push(key)
        }
      }
      for (const key of theirs.keys()) assert.ok(compared.includes(key), `kafkit has no row ${key}`)
      for (const g of ['g-kafkajs', 'g-kcat', 'g-console', 'g-active'])
        assert.ok(
          compared.some((c) => c.startsWith(`${g}/`)),
          `${g} compared`,
        )
      const byGroup = Object.fromEntries(ours.groups.map((g: any) => [g.group, g]))
      assert.equal(byGroup['g-kafkajs'].totalLag, 7)
      assert.equal(byGroup['g-kcat'].totalLag, 0)
      assert.equal(byGroup['g-console'].totalLag, 6)
      // Nothing committed: null in JSON, "-" in the table, never a fake 0.
      assert.ok(
        byGroup['g-active'].partitions.every(
          (r: any) => r.currentOffset === null && r.lag === null && r.consumerId === activeMember,
        ),
      )
      const table = await k(['consumer-groups', '--describe', '--group', 'g-active'])
      assert.match(table.stdout, /^g-active\s+payments\s+0\s+-\s+5\s+-\s+\S+/m)
      const empty = await k(['consumer-groups', '--describe', '--group', 'g-kafkajs', '--by-topic'])
      assert.equal(empty.code, 0)
      assert.match(empty.stderr, /Consumer group 'g-kafkajs' has no active members\./)
      assert.match(empty.stdout, /TOTAL LAG {2}7/)
      assert.match(empty.stdout, /^orders\s+7\s+3\s+0$/m)
    })

    it('describes members and state, and lists by state', async () => {
      const members = await k(['consumer-groups', '--describe', '--group', 'g-active', '--members', '--verbose'])
      assert.equal(members.code, 0, members.stderr)
      assert.match(
        members.stdout,
        new RegExp(`^g-active\\s+${activeMember}\\s+\\S+\\s+kafkit-e2e\\s+2\\s+payments:0,1$`, 'm'),
      )
      const state = await k(['consumer-groups', '--describe', '--group', 'g-active', '--state'])
      assert.match(state.stdout, /^g-active\s+127\.0\.0\.1:\d+ {2}\(1\)\s+\S+\s+Stable\s+1$/m)
      const stable = json(await k(['consumer-groups', '--list', '--state', 'stable', '--json']))
      assert.deepEqual(stable.groups, [{ group: 'g-active', state: 'Stable' }])
      const withStates = await k(['consumer-groups', '--list', '--state'])
      assert.match(withStates.stdout, /^g-kcat\s+Empty$/m)
      // --type as the script of this version has it (3.9 lists every group as Classic: no KIP-848 groups there).
      // Rows compared as cells: kafkit sorts and fits its columns, the script prints the broker's order, padded.
      const cells = (stdout: string) =>
        stdout
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => l.trim().split(/\s+/).join(' '))
          .sort()
      const [ours, theirs] = await Promise.all([
        k(['consumer-groups', '--list', '--type']),
        tool(version, ['--bootstrap-server', bootstrap, '--list', '--type']),
      ])
      assert.equal(ours.code, 0, ours.stderr)
      assert.deepEqual(cells(ours.stdout), cells(theirs.stdout))
      assert.match(ours.stdout, /^g-active\s+Classic$/m)
    })

    it('shows lag 0, never negative, when the commit is above the end offset; after delete-records the lag counts from the commit', async () => {
      await Promise.all([seed(kafka, 'g-above', 'trimmed', [25]), seed(kafka, 'g-trim', 'trimmed', [3])])
      const admin = kafka.admin()
      await admin.connect()
      // kafkajs's deleteTopicRecords needs the topic's metadata loaded first (KafkaJSTopicMetadataNotLoaded otherwise).
      await admin.fetchTopicMetadata({ topics: ['trimmed'] })
      await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '8' }] })
      await admin.disconnect()
      const ours = json(
        await k(['consumer-groups', '--describe', '--group', 'g-above', '--group', 'g-trim', '--verbose', '--json']),
      )
      const above = ours.groups.find((g: any) => g.group === 'g-above').partitions[0]
      const trim = ours.groups.find((g: any) => g.group === 'g-trim').partitions[0]
      assert.deepEqual([above.currentOffset, above.logEndOffset, above.lag], [25, 10, 0])
      assert.deepEqual([trim.logStartOffset, trim.currentOffset, trim.logEndOffset, trim.lag], [8, 3, 10, 7])
      const text = await k(['consumer-groups', '--describe', '--group', 'g-above', '--verbose'])
      assert.match(text.stdout, /^g-above\s+trimmed\s+0\s+8\s+25\s+10\s+0\s/m)
      // Kafka's tool prints the negative number (checked in the reset batch below, which describes all groups).
    })

    it("plans every reset mode in dry run (nothing changes) and applies it with --execute (Kafka's tool agrees)", async () => {
      const seeded: Array<[string, Array<number | null>]> = [
        ['m-earliest', [3, 4, 5]],
        ['m-latest', [3, 4, 5]],
        ['m-current', [3, 4, null]],
        ['m-offset', [3, 4, 5]],
        ['m-clamp', [3, 4, 5]],
        ['m-shift', [3, 4, 5]],
        ['m-datetime', [3, 4, 5]],
        ['m-duration', [3, 4, 5]],
        ['m-file', [3, 4, 5]],
        ['m-scope', [3, 4, 5]],
      ]
      // In parallel: each kafkajs setOffsets joins its group for a few seconds.
      await Promise.all(seeded.map(([group, offsets]) => seed(kafka, group, 'reset-t', offsets)))
      const planFile = join(box.home, 'plan.csv')
      writeFileSync(planFile, 'reset-t,0,1\nreset-t,1,2\nreset-t,2,99\n')
      const sevenMinutesAgo = new Date(now - 7 * 60_000).toISOString().replace('Z', '')
      const modes: Array<[string, string[], Array<number | null>, RegExp?]> = [
        // Message 5 is stamped now-5min: aim 30 s before it, measured from the real clock (the tests before took a while).
        [
          'm-duration',
          [
            '--topic',
            'reset-t',
            '--by-duration',
            `PT${Math.round((Date.now() - (now - 5 * 60_000) + 30_000) / 1000)}S`,
          ],
          [5, 5, 5],
        ],
        ['m-earliest', ['--topic', 'reset-t', '--to-earliest'], [0, 0, 0]],
        ['m-latest', ['--topic', 'reset-t', '--to-latest'], [10, 10, 10]],
        ['m-current', ['--topic', 'reset-t', '--to-current'], [3, 4, 10]],
        ['m-offset', ['--topic', 'reset-t', '--to-offset', '7'], [7, 7, 7]],
        [
          'm-clamp',
          ['--topic', 'reset-t', '--to-offset', '50'],
          [10, 10, 10],
          /New offset \(50\) is higher than latest offset for topic partition reset-t-0\. Value will be set to 10\./,
        ],
        [
          'm-shift',
          ['--topic', 'reset-t', '--shift-by', '-4'],
          [0, 0, 1],
          /New offset \(-1\) is lower than earliest offset for topic partition reset-t-0\. Value will be set to 0\./,
        ],
        ['m-datetime', ['--all-topics', '--to-datetime', sevenMinutesAgo], [3, 3, 3]],
        ['m-file', ['--from-file', planFile], [1, 2, 10], /New offset \(99\) is higher than latest offset/],
        ['m-scope', ['--topic', 'reset-t:0,2', '--to-earliest'], [0, 4, 0]],
      ]
      for (const [group, args, expected, warning] of modes) {
        const before = await committed(kafka, group, 'reset-t')
        const dry = await k(['consumer-groups', '--reset-offsets', '--group', group, ...args])
        assert.equal(dry.code, 0, `${group}: ${dry.stderr}`)
        assert.match(dry.stdout, /^GROUP\s+TOPIC\s+PARTITION\s+NEW-OFFSET\s+CURRENT-OFFSET\s+LAG-NOW\s+LAG-AFTER$/m)
        const planned = dry.stdout
          .split('\n')
          .filter((l) => l.startsWith(group))
          .map((l) => l.trim().split(/\s+/))
        const changed = expected
          .map((e, p) => (group === 'm-scope' && p === 1 ? undefined : e))
          .filter((e) => e !== undefined)
        assert.deepEqual(
          planned.map((c) => Number(c[3])),
          changed,
          `${group} dry-run plan`,
        )
        assert.match(dry.stderr, /Dry run: nothing changed/)
        if (warning) assert.match(dry.stderr, warning)
        assert.deepEqual(await committed(kafka, group, 'reset-t'), before, `${group}: dry run changed nothing`)
        const applied = await k([
          'consumer-groups',
          '--reset-offsets',
          '--group',
          group,
          ...args,
          '--execute',
          '--json',
        ])
        assert.equal(applied.code, 0, `${group}: ${applied.stderr}`)
        const result = json(applied)
        assert.equal(result.dryRun, false)
        assert.ok(existsSync(result.groups[0].backupFile), `${group}: backup written`)
        assert.ok(
          result.groups[0].backupFile.startsWith(join(box.home, 'stacks', 'test', 'offset-backups')),
          result.groups[0].backupFile,
        )
        assert.deepEqual(await committed(kafka, group, 'reset-t'), expected, `${group}: kafkajs sees the new offsets`)
      }

      // Interop: kafkit's --export is accepted by Kafka's --from-file, and Kafka's --export by kafkit's --from-file.
      const ourCsv = await k([
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'm-earliest',
        '--topic',
        'reset-t',
        '--to-offset',
        '6',
        '--export',
      ])
      // The script's println ends its export with an empty line; kafkit's too (byte-identical, see the export test below).
      assert.equal(ourCsv.stdout, 'reset-t,0,6\nreset-t,1,6\nreset-t,2,6\n\n')
      const ourCsvFile = join(box.home, 'ours.csv')
      writeFileSync(ourCsvFile, ourCsv.stdout)
      const theirsImport = await tool(version, [
        '--bootstrap-server',
        bootstrap,
        '--reset-offsets',
        '--group',
        'x-from-kafkit',
        '--from-file',
        ourCsvFile,
        '--execute',
      ])
      assert.equal(theirsImport.code, 0, theirsImport.stderr)
      const theirCsv = await tool(version, [
        '--bootstrap-server',
        bootstrap,
        '--reset-offsets',
        '--group',
        'm-offset',
        '--topic',
        'reset-t',
        '--to-offset',
        '8',
        '--export',
      ])
      assert.equal(theirCsv.code, 0, theirCsv.stderr)
      const theirCsvFile = join(box.home, 'theirs.csv')
      writeFileSync(theirCsvFile, theirCsv.stdout)
      const oursImport = await k([
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'x-from-kafka',
        '--from-file',
        theirCsvFile,
        '--execute',
      ])
      assert.equal(oursImport.code, 0, oursImport.stderr)

      // One JVM call checks every group's offsets as Kafka's tool reports them.
      const script = await tool(version, ['--bootstrap-server', bootstrap, '--describe', '--all-groups'])
      const theirs = parseScriptDescribe(script.stdout)
      const reported = (group: string) => [0, 1, 2].map((p) => theirs.get(`${group}/reset-t/${p}`)?.[0])
      for (const [group, , expected] of modes)
        assert.deepEqual(reported(group), expected.map(String), `${group} per Kafka's tool`)
      assert.deepEqual(reported('x-from-kafkit'), ['6', '6', '6'])
      assert.deepEqual(reported('x-from-kafka'), ['8', '8', '8'])
      // The commit above the end offset: Kafka's tool prints a negative lag where kafkit prints 0 (previous test).
      assert.deepEqual(theirs.get('g-above/trimmed/0'), ['25', '10', '-15'])
    })

    it('undo restores the exact previous offsets, including "nothing committed", dry run first', async () => {
      await seed(kafka, 'g-undo', 'reset-t', [3, 4, null])
      const reset = await k([
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'g-undo',
        '--topic',
        'reset-t',
        '--to-latest',
        '--execute',
      ])
      assert.equal(reset.code, 0, reset.stderr)
      assert.match(reset.stderr, /Saved the previous offsets of 'g-undo' to .*offset-backups/)
      assert.deepEqual(await committed(kafka, 'g-undo', 'reset-t'), [10, 10, 10])
      const dry = await k(['consumer-groups', '--undo-reset', '--group', 'g-undo'])
      assert.equal(dry.code, 0, dry.stderr)
      assert.match(dry.stdout, /^g-undo\s+reset-t\s+2\s+\(none\)\s+10$/m)
      assert.deepEqual(await committed(kafka, 'g-undo', 'reset-t'), [10, 10, 10])
      const undo = await k(['consumer-groups', '--undo-reset', '--group', 'g-undo', '--execute'])
      assert.equal(undo.code, 0, undo.stderr)
      assert.deepEqual(await committed(kafka, 'g-undo', 'reset-t'), [3, 4, null])
      const again = await k(['consumer-groups', '--undo-reset', '--group', 'g-undo', '--execute'])
      assert.equal(again.code, 1)
      assert.match(again.stderr, /No offset backup to undo for group 'g-undo'/)
    })

    it('refuses to reset, delete or delete subscribed offsets of a group with active members, naming them', async () => {
      const reset = await k([
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'g-active',
        '--topic',
        'payments',
        '--to-earliest',
        '--execute',
      ])
      assert.equal(reset.code, 1)
      assert.match(
        reset.stderr,
        /Assignments can only be reset if the group 'g-active' is inactive, but the current state is Stable\./,
      )
      assert.ok(reset.stderr.includes(activeMember), reset.stderr)
      await seed(kafka, 'g-del', 'reset-t', [1, 1, 1])
      const del = await k(['consumer-groups', '--delete', '--group', 'g-active', '--group', 'g-del'])
      assert.equal(del.code, 1)
      assert.match(
        del.stdout,
        new RegExp(`^g-active\\s+Error: The group is not empty: it has 1 active member \\(${activeMember}\\)\\.$`, 'm'),
      )
      assert.match(del.stdout, /^g-del\s+Deleted$/m)
      const list = await k(['consumer-groups', '--list'])
      assert.ok(!list.stdout.split('\n').includes('g-del'))
      assert.ok(list.stdout.split('\n').includes('g-active'))
      const delOffsets = await k(['consumer-groups', '--delete-offsets', '--group', 'g-active', '--topic', 'payments'])
      assert.equal(delOffsets.code, 1)
      assert.match(delOffsets.stdout, /forbidden while the consumer group is actively subscribed/)
    })

    it('deletes offsets of an inactive group (OffsetDelete)', async () => {
      await seed(kafka, 'g-do', 'reset-t', [1, 2, 3])
      const result = await k(['consumer-groups', '--delete-offsets', '--group', 'g-do', '--topic', 'reset-t:0,2'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /Request succeeded for deleting offsets from group g-do\./)
      assert.match(result.stdout, /^reset-t\s+0\s+Successful$/m)
      assert.deepEqual(await committed(kafka, 'g-do', 'reset-t'), [null, 2, null])
    })

    it("refuses a --from-file plan with a negative offset as Kafka's tool does (exit 1, nothing changed)", async () => {
      await seed(kafka, 'g-negative', 'reset-t', [3, 4, 5])
      const file = join(box.home, 'negative.csv')
      writeFileSync(file, 'reset-t,0,2\nreset-t,1,-5\nreset-t,2,7\n')
      for (const mode of ['--dry-run', '--execute']) {
        const ours = await k(['consumer-groups', '--reset-offsets', '--group', 'g-negative', '--from-file', file, mode])
        assert.equal(ours.code, 1, `${mode}: ${ours.stderr}`)
        assert.ok(
          ours.stderr.includes(`${file} line 2: invalid offset "-5" (offsets must be non-negative integers)`),
          ours.stderr,
        )
        assert.equal(ours.stdout, '', 'no plan printed')
      }
      const asJson = await k([
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'g-negative',
        '--from-file',
        file,
        '--execute',
        '--json',
      ])
      assert.equal(asJson.code, 1)
      assert.equal(json(asJson).error.code, 'BAD_CSV_OFFSET')
      const theirs = await tool(version, [
        '--bootstrap-server',
        bootstrap,
        '--reset-offsets',
        '--group',
        'g-negative',
        '--from-file',
        file,
        '--execute',
      ])
      assert.equal(theirs.code, 1, theirs.stdout)
      assert.match(theirs.stdout + theirs.stderr, /Invalid negative offset/)
      // Neither tool changed anything, not even the valid lines (checked with kafkajs, independent of both).
      assert.deepEqual(await committed(kafka, 'g-negative', 'reset-t'), [3, 4, 5])
    })

    it("exports groups and topics with long or special names byte-identical to Kafka's --export", async () => {
      // Longer than 24 characters, or holding a character below '-': quoted by the script's Jackson CSV writer.
      const topic = 'export-topic-with-a-long-name'
      const groups = ['orders app, "eu" #1', 'a-consumer-group-name-longer-than-24']
      const admin = kafka.admin()
      await admin.connect()
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] })
      await admin.disconnect()
      await produceStamped(kafka, topic, 1, 4, now)
      await Promise.all(groups.map((group) => seed(kafka, group, topic, [1])))
      // One partition per plan: the script lists several rows in hash-map order, kafkit sorts them (docs/consumer-groups.md).
      const cases: Array<[string[], string]> = [
        // `--group g --group g`: the script counts the flags, so the group column is there.
        [
          ['--group', groups[0]!, '--group', groups[0]!],
          '"orders app, ""eu"" #1","export-topic-with-a-long-name",0,4\n\n',
        ],
        [
          ['--group', groups[1]!, '--group', groups[1]!],
          '"a-consumer-group-name-longer-than-24","export-topic-with-a-long-name",0,4\n\n',
        ],
        [['--group', groups[0]!], '"export-topic-with-a-long-name",0,4\n\n'],
      ]
      for (const [groupArgs, expected] of cases) {
        const args = ['--reset-offsets', ...groupArgs, '--topic', topic, '--to-latest', '--export']
        const ours = await k(['consumer-groups', ...args])
        assert.equal(ours.code, 0, ours.stderr)
        const theirs = await tool(version, ['--bootstrap-server', bootstrap, ...args, '--dry-run'])
        assert.equal(theirs.code, 0, theirs.stderr)
        assert.equal(theirs.stdout, expected, `Kafka's export for ${groupArgs.join(' ')}`)
        assert.equal(ours.stdout, theirs.stdout, `kafkit's export for ${groupArgs.join(' ')}`)
      }
      // And the quoted form reads back (the plan is the current offsets, so nothing moves but the import is exercised).
      const file = join(box.home, 'special.csv')
      writeFileSync(file, cases[0]![1])
      const imported = json(
        await k(['consumer-groups', '--reset-offsets', '--group', groups[0]!, '--from-file', file, '--json']),
      )
      assert.deepEqual(
        imported.groups.map((g: any) => [g.group, g.rows.map((r: any) => [r.topic, r.partition, r.newOffset])]),
        [[groups[0], [[topic, 0, 4]]]],
      )
    })

    it('rejects bad input with a clear message and exit code', async () => {
      const badCsv = join(box.home, 'bad.csv')
      writeFileSync(badCsv, 'reset-t,zero,5\n')
      const cases: Array<[string[], number, RegExp]> = [
        [
          ['consumer-groups', '--describe', '--group', 'no-such-group'],
          1,
          /Consumer group 'no-such-group' does not exist\./,
        ],
        [
          ['consumer-groups', '--reset-offsets', '--group', 'g-kcat', '--topic', 'no-such-topic', '--to-earliest'],
          1,
          /Unknown topic 'no-such-topic'/,
        ],
        [
          ['consumer-groups', '--reset-offsets', '--group', 'g-kcat', '--topic', 'payments:9', '--to-earliest'],
          1,
          /The partitions "payments-9" do not exist/,
        ],
        [
          [
            'consumer-groups',
            '--reset-offsets',
            '--group',
            'g-kcat',
            '--topic',
            'payments',
            '--to-datetime',
            'yesterday',
          ],
          2,
          /Invalid --to-datetime "yesterday"/,
        ],
        [
          ['consumer-groups', '--reset-offsets', '--group', 'g-kcat', '--topic', 'payments', '--by-duration', '30m'],
          2,
          /Invalid --by-duration "30m": expected an ISO-8601 duration PnDTnHnMnS/,
        ],
        [
          ['consumer-groups', '--reset-offsets', '--group', 'g-kcat', '--from-file', badCsv],
          2,
          /Invalid --from-file CSV at line 1: partition "zero" is not a number/,
        ],
        [
          [
            'consumer-groups',
            '--reset-offsets',
            '--group',
            'g-kcat',
            '--topic',
            'payments',
            '--to-earliest',
            '--execute',
            '--dry-run',
          ],
          2,
          /--execute and --dry-run cannot be used together/,
        ],
        [
          ['consumer-groups', '--reset-offsets', '--group', 'g-kcat', '--to-earliest'],
          2,
          /One of the reset scopes should be defined: --all-topics, --topic\./,
        ],
        [
          ['consumer-groups', '--reset-offsets', '--group', 'g-kcat', '--topic', 'payments'],
          2,
          /--reset-offsets needs one reset specification/,
        ],
        [
          [
            'consumer-groups',
            '--reset-offsets',
            '--group',
            'g-kcat',
            '--topic',
            'payments',
            '--to-earliest',
            '--to-latest',
          ],
          2,
          /Choose one reset specification, not --to-earliest and --to-latest/,
        ],
        [['consumer-groups', '--group', 'g-kcat'], 2, /Command must include exactly one action/],
        [['consumer-groups', '--describe'], 2, /No --group given and no terminal to pick one from/],
        [['consumer-groups', '--list', '--state', 'sleepy'], 2, /Invalid state list 'sleepy'/],
      ]
      for (const [args, code, message] of cases) {
        const result = await k(args)
        assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`)
        assert.match(result.stderr, message, args.join(' '))
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
      }
      const asJson = await k([
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'g-kcat',
        '--topic',
        'payments',
        '--by-duration',
        'soon',
        '--json',
      ])
      assert.equal(asJson.code, 2)
      assert.equal(json(asJson).error.code, 'BAD_DURATION')
    })

    it('lag: a group that does not exist fails at once (exit 1), an empty one is shown; durations as 5s or plain ms', async () => {
      const missing = await k(['lag', 'no-such-group', '--interval', '500ms', '--count', '3'])
      assert.equal(missing.code, 1, missing.stderr)
      assert.match(missing.stderr, /Consumer group 'no-such-group' does not exist\./)
      assert.equal(missing.stdout.trim(), '', 'no frame of a Dead group')
      const watched = await k([
        'consumer-groups',
        '--describe',
        '--group',
        'no-such-group',
        '--watch',
        '--count',
        '3',
        '--json',
      ])
      assert.equal(watched.code, 1, watched.stderr)
      assert.equal(json(watched).error.code, 'GROUP_NOT_FOUND')
      // A group with commits and no members exists (Empty): it is watched, with the script's duration spellings.
      const admin = kafka.admin()
      await admin.connect()
      await admin.setOffsets({
        groupId: 'g-lag-empty',
        topic: 'payments',
        partitions: [
          { partition: 0, offset: '1' },
          { partition: 1, offset: '5' },
        ],
      })
      await admin.disconnect()
      const empty = await k(['lag', 'g-lag-empty', '--timeout', '5s', '--interval', '300', '--count', '2'])
      assert.equal(empty.code, 0, empty.stderr)
      const frames = empty.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      assert.equal(frames.length, 2)
      assert.deepEqual(
        frames.map((f: any) => [f.groups[0].group, f.groups[0].state, f.groups[0].totalLag]),
        [
          ['g-lag-empty', 'Empty', 4],
          ['g-lag-empty', 'Empty', 4],
        ],
      )
      // Plain milliseconds: --interval 300 is 300 ms, not 300 s (two frames within seconds).
      assert.ok(frames[1].windowSeconds < 5, `window ${frames[1].windowSeconds}s`)
      assert.equal(frames[1].groups[0].status, 'stalled')
      const bad = await k(['lag', 'g-lag-empty', '--timeout', 'abc'])
      assert.equal(bad.code, 2)
      assert.match(
        bad.stderr,
        /Invalid --timeout "abc": expected a duration like 500ms, 5s, 2m or plain milliseconds\./,
      )
    })

    if (version === KAFKA_4) {
      it('watches lag live: JSON lines with rates that follow a running producer, and a clean Ctrl-C', async () => {
        const consumer = kafka.consumer({ groupId: 'g-watch' })
        consumers.push(consumer)
        await consumer.connect()
        await consumer.subscribe({ topic: 'watch-t', fromBeginning: true })
        await consumer.run({
          autoCommitInterval: 300,
          eachMessage: async () => {
            await sleep(2)
          },
        })
        const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
        await producer.connect()
        let producing = true
        let sent = 0
        const loop = (async () => {
          while (producing) {
            await producer.send({
              topic: 'watch-t',
              messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `w${sent + i}` })),
            })
            sent += 10
            await sleep(100)
          }
        })()
        try {
          await eventually(
            async () =>
              json(await k(['consumer-groups', '--describe', '--group', 'g-watch', '--state', '--json'])).groups[0]
                .state === 'Stable',
            90_000,
            'g-watch stable',
          )
          const startSent = sent
          const started = Date.now()
          const watcher = spawn(
            process.execPath,
            [join(repoRoot, 'bin', 'run.js'), 'lag', 'g-watch', '--interval', '1s', '--count', '8', '--stack', 'test'],
            { env: box.env },
          )
          let watchOut = ''
          let watchErr = ''
          watcher.stdout.on('data', (d) => (watchOut += d))
          watcher.stderr.on('data', (d) => (watchErr += d))
          const watching = new Promise<Run>((resolve) =>
            watcher.on('close', (code) => resolve({ code: code ?? -1, stdout: watchOut, stderr: watchErr })),
          )
          // A second member joins while watching (after the first frame): the frames report it.
          await eventually(async () => watchOut.includes('\n'), 60_000, 'the first lag frame')
          const second = kafka.consumer({ groupId: 'g-watch' })
          consumers.push(second)
          await second.connect()
          await second.subscribe({ topic: 'watch-t', fromBeginning: true })
          await second.run({ autoCommitInterval: 300, eachMessage: async () => {} })
          const watched = await watching
          const actualRate = (sent - startSent) / ((Date.now() - started) / 1000)
          assert.equal(watched.code, 0, watched.stderr)
          const lines = watched.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
          assert.equal(lines.length, 8)
          const last = lines[7].groups[0]
          assert.equal(last.group, 'g-watch')
          assert.equal(last.partitions.length, 2)
          const events = lines.flatMap((l) => l.groups[0].events.map((e: { message: string }) => e.message))
          assert.ok(
            events.some((e: string) => /^member joined: /.test(e)),
            `member change reported: ${JSON.stringify(events)}`,
          )
          assert.ok(
            last.produceRate > actualRate * 0.4 && last.produceRate < actualRate * 2.5,
            `produce rate ${last.produceRate}/s vs actual ${actualRate}/s`,
          )
          assert.ok(last.consumeRate > 0, `consume rate ${last.consumeRate}`)
          assert.equal(lines[0].groups[0].produceRate, null, 'no rate from a single sample')

          // Ctrl-C: --describe --watch without --count, interrupted after two frames.
          const child = spawn(
            process.execPath,
            [
              join(repoRoot, 'bin', 'run.js'),
              'consumer-groups',
              '--describe',
              '--group',
              'g-watch',
              '--watch',
              '--interval',
              '500ms',
              '--stack',
              'test',
            ],
            { env: box.env },
          )
          let out = ''
          let err = ''
          child.stdout.on('data', (d) => (out += d))
          child.stderr.on('data', (d) => (err += d))
          await eventually(async () => out.trim().split('\n').length >= 2, 60_000, 'two frames')
          child.kill('SIGINT')
          const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
          assert.equal(code, 0, err)
          assert.equal(err, '')
          for (const line of out.trim().split('\n')) assert.equal(JSON.parse(line).groups[0].group, 'g-watch')
        } finally {
          producing = false
          await loop
          await producer.disconnect()
        }
      })

      it('redraws the live table in place on a terminal (script -qfc)', async () => {
        const env = Object.entries({ KAFKIT_HOME: box.home, KAFKIT_CACHE: box.env.KAFKIT_CACHE!, NO_COLOR: '1' })
          .map(([key, v]) => `${key}=${v}`)
          .join(' ')
        // Its own group, so the test runs alone too (--test-name-pattern).
        await seed(kafka, 'g-redraw', 'watch-t', [0, 0])
        const command = `env ${env} ${process.execPath} ${join(repoRoot, 'bin', 'run.js')} lag g-redraw --interval 500ms --count 4 --stack test`
        const result = await run('script', ['-qfc', command, '/dev/null'], { ...box.env, TERM: 'xterm' }, 90_000)
        assert.equal(result.code, 0, result.stderr)
        const screen = result.stdout
        // The alternate screen (as top and watch use): entered with the cursor hidden, each frame drawn from the top
        // left with the rest cleared, and left again with the cursor shown, so the shell's screen comes back as it was.
        assert.ok(
          screen.startsWith('\u001B[?1049h\u001B[?25l'),
          `enters the alternate screen, hides the cursor: ${JSON.stringify(screen.slice(0, 120))}`,
        )
        // eslint-disable-next-line no-control-regex
        assert.equal(screen.match(/\u001B\[H/g)?.length, 4, JSON.stringify(screen.slice(0, 400)))
        assert.equal(screen.match(/GROUP g-redraw {2}state \w+ {2}members \d/g)?.length, 4)
        assert.match(screen, /TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG\s+PRODUCE\/s\s+CONSUME\/s\s+ETA/)
        assert.ok(
          screen.trimEnd().endsWith('\u001B[?25h\u001B[?1049l'),
          'shows the cursor and leaves the alternate screen',
        )
        assert.doesNotMatch(screen, /^\{/m, 'no JSON on a terminal')
      })

      it('on a terminal, picks a group from a list and asks before --execute', async () => {
        // Seeded first: the list to pick from is never empty, even when this test runs alone.
        await seed(kafka, 'g-confirm', 'reset-t', [2, 2, 2])
        const picked = await underPty(
          box,
          ['consumer-groups', '--describe', '--stack', 'test'],
          [['Consumer group to describe', '\r']],
        )
        assert.equal(picked.code, 0, picked.output)
        // The list is sorted; the first group is described.
        const first = json(await k(['consumer-groups', '--list', '--json'])).groups[0].group
        assert.match(picked.output, new RegExp(`${first}\\s+\\S+\\s+\\d+`))
        const declined = await underPty(
          box,
          [
            'consumer-groups',
            '--reset-offsets',
            '--group',
            'g-confirm',
            '--topic',
            'reset-t',
            '--to-earliest',
            '--execute',
            '--stack',
            'test',
          ],
          [['Reset 3 partition offsets', 'n\r']],
        )
        assert.equal(declined.code, 1, declined.output)
        assert.match(declined.output, /Cancelled: no offsets were changed/)
        assert.deepEqual(await committed(kafka, 'g-confirm', 'reset-t'), [2, 2, 2])
        const accepted = await underPty(
          box,
          [
            'consumer-groups',
            '--reset-offsets',
            '--group',
            'g-confirm',
            '--topic',
            'reset-t',
            '--to-earliest',
            '--execute',
            '--stack',
            'test',
          ],
          [['Reset 3 partition offsets', 'y\r']],
        )
        assert.equal(accepted.code, 0, accepted.output)
        assert.deepEqual(await committed(kafka, 'g-confirm', 'reset-t'), [0, 0, 0])
        const yes = await underPty(
          box,
          [
            'consumer-groups',
            '--reset-offsets',
            '--group',
            'g-confirm',
            '--topic',
            'reset-t',
            '--to-latest',
            '--execute',
            '--yes',
            '--stack',
            'test',
          ],
          [],
        )
        assert.equal(yes.code, 0, yes.output)
        assert.doesNotMatch(yes.output, /\?/)
        assert.deepEqual(await committed(kafka, 'g-confirm', 'reset-t'), [10, 10, 10])
      })

      it('runs every example of docs/consumer-groups.md', async () => {
        await seed(kafka, 'orders-app', 'orders', [5, 5, 5])
        const doc = readFileSync(join(repoRoot, 'docs', 'consumer-groups.md'), 'utf8')
        for (const example of DOC_EXAMPLES) {
          assert.ok(doc.includes(`kafkit ${example}`), `docs/consumer-groups.md shows: kafkit ${example}`)
          const result = await k(example.split(' '))
          assert.equal(result.code, 0, `kafkit ${example}: ${result.stderr}`)
        }
      })
    }
  })
}
