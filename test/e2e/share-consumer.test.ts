import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  distHome,
  eventually,
  live,
  repoRoot,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * console-share-consumer against a real Kafka 4.4.0 broker started by kafkit, checked with Kafka's own tools:
 * its console share consumer (a member of the same group as kafkit's), kafka-configs.sh (the group's
 * share.auto.offset.reset) and kafka-share-groups.sh (ShareGroupCommand: members, state, lag).
 * Every process is bounded: kafkit and Kafka's consumer by --timeout-ms/--max-messages, and each run by a kill timeout.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
const kafka = distHome(KAFKA_4)

function runClass(className: string, args: string[], timeoutMs = 150_000): Promise<Run> {
  return run(join(kafka, 'bin', 'kafka-run-class.sh'), [className, ...args], TOOL_ENV, timeoutMs)
}

/** Offset -> value from output printed with print.offset=true (DefaultMessageFormatter: "Offset:N\t...\tvalue"). */
function printed(stdout: string): Array<{ offset: number; delivery?: number; value: string }> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('Offset:'))
    .map((line) => {
      const cells = line.split('\t')
      const delivery = cells.find((c) => c.startsWith('Delivery:'))
      return {
        offset: Number(cells[0]!.slice('Offset:'.length)),
        ...(delivery ? { delivery: Number(delivery.slice('Delivery:'.length)) } : {}),
        value: cells[cells.length - 1]!,
      }
    })
}

describe(`console-share-consumer (Kafka ${KAFKA_4})`, () => {
  let box: Sandbox
  let bootstrap: string

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { stack: 'share' })
  })
  after(async () => {
    await box?.cleanup()
  })

  const kafkit = (args: string[], input?: string) =>
    box.kafkit([...args, '--bootstrap-server', bootstrap], {
      // Above the longest run: a 45 s wait for members plus a 60 s idle timeout.
      timeoutMs: 150_000,
      ...(input === undefined ? {} : { input }),
    })

  async function createTopic(topic: string): Promise<void> {
    const result = await kafkit(['topics', '--create', '--topic', topic, '--partitions', '1'])
    assert.equal(result.code, 0, result.stderr)
  }

  async function produce(topic: string, values: string[]): Promise<void> {
    const result = await kafkit(['console-producer', '--topic', topic, '--sync'], `${values.join('\n')}\n`)
    assert.equal(result.code, 0, result.stderr)
  }

  async function earliest(group: string): Promise<void> {
    const result = await run(
      join(kafka, 'bin', 'kafka-configs.sh'),
      [
        '--bootstrap-server',
        bootstrap,
        '--entity-type',
        'groups',
        '--entity-name',
        group,
        '--alter',
        '--add-config',
        'share.auto.offset.reset=earliest',
      ],
      TOOL_ENV,
      90_000,
    )
    assert.match(result.stdout, new RegExp(`Completed updating config for group ${group}`), result.stderr)
  }

  const shareGroups = (args: string[]) =>
    runClass('org.apache.kafka.tools.consumer.group.ShareGroupCommand', ['--bootstrap-server', bootstrap, ...args])

  const javaShareConsumerArgs = (topic: string, group: string, extra: string[]) => [
    'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--group',
    group,
    '--formatter-property',
    'print.offset=true',
    '--formatter-property',
    'print.delivery=true',
    ...extra,
  ]
  const javaShareConsumer = (topic: string, group: string, extra: string[]) => {
    const [className, ...args] = javaShareConsumerArgs(topic, group, extra)
    return runClass(className!, args)
  }

  it('two kafkit members and Kafka’s own share consumer split the records of one partition: each record once', async (t) => {
    const topic = 'shared'
    const group = 'sg-split'
    await createTopic(topic)
    // From the earliest offset: a share partition starts at the latest offset when it is first assigned, which can be
    // after the records below were produced even once all three are members (their assignment comes with a heartbeat).
    await earliest(group)
    // The members run until every record is printed somewhere, then get Ctrl-C (they acknowledge what they printed
    // and leave). The idle timeout (60 s, reset by every record) only bounds a run that goes wrong.
    const consumer = () =>
      live(
        process.execPath,
        [
          join(repoRoot, 'bin', 'run.js'),
          'console-share-consumer',
          '--topic',
          topic,
          '--group',
          group,
          '--timeout-ms',
          '60000',
          '--consumer-property',
          'max.poll.records=10',
          '--formatter-property',
          'print.offset=true',
          '--bootstrap-server',
          bootstrap,
        ],
        box.env,
        150_000,
      )
    const javaMember = live(
      join(kafka, 'bin', 'kafka-run-class.sh'),
      javaShareConsumerArgs(topic, group, ['--timeout-ms', '60000']),
      TOOL_ENV,
      150_000,
    )
    const values = Array.from({ length: 300 }, (_, i) => `v${i}`)
    const members = [consumer(), consumer(), javaMember]
    try {
      // Produce only once all three are members, so that the records can be split between them.
      await eventually(
        async () => {
          const described = await shareGroups(['--describe', '--group', group, '--members'])
          return described.stdout.split('\n').filter((line) => line.startsWith(`${group} `)).length === 3
        },
        45_000,
        'three members in the share group',
      )
      await produce(topic, values)
      await eventually(
        async () => new Set(members.flatMap((m) => printed(m.stdout()).map((r) => r.value))).size === values.length,
        60_000,
        'every record printed by a member',
      )
    } finally {
      for (const m of members) m.signal('SIGINT')
    }
    const [a, b, java] = await Promise.all(members.map((m) => m.done))
    assert.equal(a!.code, 130, a!.stderr)
    assert.equal(b!.code, 130, b!.stderr)
    const got = [a!, b!, java!].map((r) => printed(r.stdout))
    const all = got.flat()
    t.diagnostic(`records per member (kafkit, kafkit, Kafka's): ${got.map((g) => g.length).join(', ')}`)
    assert.deepEqual(
      all.map((r) => r.value).sort(),
      [...values].sort(),
      `each record once; counts ${got.map((g) => g.length).join('/')}`,
    )
    assert.equal(new Set(all.map((r) => r.offset)).size, values.length)
    // Records produced one request each while all three long-poll: they are shared. Which member the broker hands
    // them to is its choice (Kafka's JVM consumer, slower to fetch again, sometimes gets none), so the test asks
    // for a real split, not for a share per member; the three-member wait above proves Kafka's consumer took part.
    assert.ok(
      got.filter((g) => g.length > 0).length >= 2,
      `the records were split between members: ${got.map((g) => g.length).join(', ')}`,
    )
  })

  it('--release gives records back (Kafka’s consumer gets them again), --reject drops them; the lag shows it', async () => {
    const topic = 'acks'
    await createTopic(topic)
    await earliest('sg-release')
    await earliest('sg-reject')
    await produce(
      topic,
      Array.from({ length: 10 }, (_, i) => `r${i}`),
    )
    const flags = ['--formatter-property', 'print.offset=true', '--formatter-property', 'print.delivery=true']

    const released = await kafkit([
      'console-share-consumer',
      '--topic',
      topic,
      '--group',
      'sg-release',
      '--release',
      '--max-messages',
      '4',
      ...flags,
    ])
    assert.equal(released.code, 0, released.stderr)
    assert.deepEqual(
      printed(released.stdout).map((r) => [r.offset, r.delivery]),
      [0, 1, 2, 3].map((o) => [o, 1]),
    )
    const again = await javaShareConsumer(topic, 'sg-release', ['--max-messages', '10', '--timeout-ms', '30000'])
    const redelivered = printed(again.stdout)
    assert.deepEqual(
      redelivered.map((r) => [r.offset, r.delivery]),
      Array.from({ length: 10 }, (_, o) => [o, o < 4 ? 2 : 1]),
      again.stderr,
    )

    const rejected = await kafkit([
      'console-share-consumer',
      '--topic',
      topic,
      '--group',
      'sg-reject',
      '--reject',
      '--max-messages',
      '4',
      ...flags,
    ])
    assert.equal(rejected.code, 0, rejected.stderr)
    assert.deepEqual(
      printed(rejected.stdout).map((r) => r.offset),
      [0, 1, 2, 3],
    )
    const rest = await kafkit([
      'console-share-consumer',
      '--topic',
      topic,
      '--group',
      'sg-reject',
      '--timeout-ms',
      '3000',
      ...flags,
    ])
    assert.equal(rest.code, 0, rest.stderr)
    assert.deepEqual(
      printed(rest.stdout).map((r) => [r.offset, r.delivery, r.value]),
      [4, 5, 6, 7, 8, 9].map((o) => [o, 1, `r${o}`]),
    )

    // Every record of sg-reject is acknowledged (rejected or accepted), and both members left: Empty, no lag.
    const offsets = await shareGroups(['--describe', '--group', 'sg-reject'])
    assert.match(offsets.stdout, /^sg-reject\s+acks\s+0\s+\d+\s+0$/m, offsets.stdout + offsets.stderr)
    const state = await shareGroups(['--describe', '--group', 'sg-reject', '--state'])
    assert.match(state.stdout, /^sg-reject\s+\S+\s+\(\d+\)\s+Empty\s+0$/m, state.stdout + state.stderr)
    await produce(topic, ['late1', 'late2', 'late3'])
    const lag = await shareGroups(['--describe', '--group', 'sg-reject'])
    assert.match(lag.stdout, /^sg-reject\s+acks\s+0\s+\d+\s+3$/m, lag.stdout + lag.stderr)
  })

  it('a record that cannot be formatted stops the run (it stays in the group), or is rejected with --reject-message-on-error', async () => {
    const topic = 'keys'
    await createTopic(topic)
    await earliest('sg-halt')
    await earliest('sg-skip')
    // Keys of 1, 2 and 4 bytes: only the 2-byte one is a Short.
    const input = 'a\t1\nbb\t2\ncccc\t3\n'
    const produced = await kafkit(['console-producer', '--topic', topic, '--property', 'parse.key=true'], input)
    assert.equal(produced.code, 0, produced.stderr)
    const consume = (group: string, extra: string[]) =>
      kafkit([
        'console-share-consumer',
        '--topic',
        topic,
        '--group',
        group,
        // Long enough for a first share group on a fresh broker (its state topic is created then).
        '--timeout-ms',
        '10000',
        '--key-deserializer',
        'org.apache.kafka.common.serialization.ShortDeserializer',
        '--formatter-property',
        'print.key=true',
        ...extra,
      ])

    const halted = await consume('sg-halt', [])
    assert.equal(halted.code, 1, halted.stdout + halted.stderr)
    assert.match(halted.stderr, /Size of data received by ShortDeserializer is not 2/)
    assert.equal(halted.stdout, '')
    // Released, not lost: a plain run of the group gets all three.
    const after = await kafkit([
      'console-share-consumer',
      '--topic',
      topic,
      '--group',
      'sg-halt',
      '--max-messages',
      '3',
    ])
    assert.deepEqual(after.stdout.split('\n').filter(Boolean), ['1', '2', '3'], after.stderr)

    const skipped = await consume('sg-skip', ['--reject-message-on-error'])
    assert.equal(skipped.code, 0, skipped.stderr)
    assert.equal(skipped.stdout, `${Buffer.from('bb').readInt16BE(0)}\t2\n`)
    assert.match(skipped.stderr, /Rejecting the record at keys-0@0/)
    assert.match(skipped.stderr, /Rejecting the record at keys-0@2/)
  })

  it('Ctrl-C acknowledges what was printed and leaves at once: exit 130, the group Empty, no lag', async () => {
    const topic = 'interrupted'
    const group = 'sg-interrupt'
    await createTopic(topic)
    await earliest(group)
    await produce(topic, ['a', 'b', 'c', 'd', 'e'])
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'console-share-consumer', '--topic', topic, '--group', group, '-b', bootstrap],
      { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve))
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    try {
      await eventually(async () => stdout.split('\n').filter(Boolean).length === 5, 45_000, 'five records printed')
      child.kill('SIGINT')
      assert.equal(await closed, 130, stderr)
    } finally {
      clearTimeout(killer)
      child.kill('SIGKILL')
    }
    assert.deepEqual(stdout.split('\n').filter(Boolean), ['a', 'b', 'c', 'd', 'e'])
    const state = await shareGroups(['--describe', '--group', group, '--state'])
    assert.match(
      state.stdout,
      new RegExp(`^${group}\\s+\\S+\\s+\\(\\d+\\)\\s+Empty\\s+0$`, 'm'),
      state.stdout + state.stderr,
    )
    const offsets = await shareGroups(['--describe', '--group', group])
    assert.match(
      offsets.stdout,
      new RegExp(`^${group}\\s+${topic}\\s+0\\s+\\d+\\s+0$`, 'm'),
      offsets.stdout + offsets.stderr,
    )
  })
})
