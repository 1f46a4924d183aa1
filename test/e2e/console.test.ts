/**
 * console-producer and console-consumer against real Kafka 3.9 and 4.x (one stack per version, started through
 * kafkit), cross-checked with kcat, Kafka's own console tools and kafkajs used directly.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import type { IHeaders, KafkaMessage } from 'kafkajs'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  kafkaClient,
  repoRoot,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
  onRealKafka,
} from './helpers.js'

const STACK = 'test'
const bin = join(repoRoot, 'bin', 'run.js')

async function createTopics(bootstrap: string, topics: Array<[string, number]>): Promise<void> {
  const admin = kafkaClient(bootstrap).admin()
  await admin.connect()
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map(([topic, numPartitions]) => ({ topic, numPartitions, replicationFactor: 1 })),
    })
  } finally {
    await admin.disconnect()
  }
}

interface Seen {
  partition: number
  offset: string
  timestamp: string
  key: Buffer | null
  value: Buffer | null
  headers: IHeaders
}

/** How many records a topic holds: the sum over its partitions of end minus start offset (no compaction, no transactions here). */
async function recordCount(bootstrap: string, topic: string): Promise<number> {
  const admin = kafkaClient(bootstrap).admin()
  await admin.connect()
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
  } finally {
    await admin.disconnect()
  }
}

/**
 * Every record of a topic, read with kafkajs directly (not through kafkit), ordered by partition then offset.
 * Reads until it has as many as the topic's offsets say it holds, so a record beyond `expected` is returned too
 * (the caller's count check sees it) without waiting a fixed time for stragglers.
 */
async function readWithKafkajs(bootstrap: string, topic: string, expected: number): Promise<Seen[]> {
  const total = await recordCount(bootstrap, topic)
  const consumer = kafkaClient(bootstrap).consumer({
    groupId: `check-${randomBytes(4).toString('hex')}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
  })
  const seen: Seen[] = []
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
      seen.push({
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
      })
    },
  })
  try {
    await eventually(
      async () => seen.length >= total,
      120_000,
      `all ${total} records in ${topic}, ${expected} expected (have ${seen.length})`,
    )
  } finally {
    await consumer.disconnect()
  }
  return seen.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))
}

function kcat(bootstrap: string, args: string[], input?: string): Promise<Run> {
  return run('kcat', ['-b', bootstrap, ...args], process.env, 120_000, input)
}

function kcatRead(bootstrap: string, topic: string, format: string): Promise<Run> {
  return kcat(bootstrap, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', format])
}

/** Kafka's own script from the test distribution. */
function javaTool(version: string, tool: string, args: string[], input?: string): Promise<Run> {
  return run(
    join(distHome(version), 'bin', tool),
    args,
    { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' },
    120_000,
    input,
  )
}

/** Bytes written to a FIFO and not read yet (FIONREAD, through python: node has no ioctl). */
async function unreadBytes(fifo: string): Promise<number> {
  const script =
    'import fcntl, os, struct, sys, termios\n' +
    'fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)\n' +
    "print(struct.unpack('i', fcntl.ioctl(fd, termios.FIONREAD, b'\\0' * 4))[0])\n"
  const result = await run('/usr/bin/python3', ['-c', script, fifo])
  if (result.code !== 0) throw new Error(result.stderr)
  return Number(result.stdout.trim())
}

const sortLines = (text: string) => text.split('\n').filter(Boolean).sort()

for (const version of [KAFKA_3, KAFKA_4]) {
  const suite = onRealKafka(`Kafka ${version} (the embedded broker speaks ${KAFKA_4})`, version !== KAFKA_4).describe
  suite(`console-producer and console-consumer on Kafka ${version}`, () => {
    let box: Sandbox
    let bootstrap: string
    let dir: string
    // Kafka 4.x still takes --property but prints a deprecation notice on stdout; 3.9 has no --formatter-property.
    const formatterProperty = version.startsWith('3.') ? '--property' : '--formatter-property'
    const kafkit = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
      box.kafkit(args, { input, env: { KAFKIT_STACK: STACK, ...env } })
    const sh = (command: string) =>
      run('bash', ['-c', `kafkit() { node ${bin} "$@"; }\n${command}`], { ...box.env, KAFKIT_STACK: STACK }, 300_000)

    before(async () => {
      box = sandbox()
      dir = mkdtempSync(join(tmpdir(), 'kafkit-console-'))
      bootstrap = await startStack(box, { version, stack: STACK })
      await createTopics(bootstrap, [
        ['codecs', 3],
        ['from-tools', 2],
        ['src', 3],
        ['dst', 3],
        ['times', 1],
        ['inc-a', 1],
        ['inc-b', 2],
        ['other-c', 1],
        ['groups', 2],
        ['resume', 1],
        ['big', 1],
        ['interrupt', 2],
        ['no-group', 1],
      ])
    })
    after(async () => box.cleanup())

    // kafka-console-consumer.sh with --topic joins a console-consumer-NNNNN group.
    it('records produced by kafkit (keys, headers, partitions, every codec) read back exactly by kcat and by kafka-console-consumer.sh', async () => {
      const expected: string[] = []
      for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
        const lines = [
          `h1:${codec},h2:x\tk-${codec}-1\tv-${codec}-1`,
          `h1:${codec}\tk-${codec}-2\tv-${codec}-2 with spaces`,
        ]
        const produced = await kafkit(
          [
            'console-producer',
            '--topic',
            'codecs',
            '--compression-codec',
            codec,
            '--partition',
            String(expected.length % 3),
            '--property',
            'parse.key=true',
            '--property',
            'parse.headers=true',
          ],
          `${lines.join('\n')}\n`,
        )
        assert.equal(produced.code, 0, produced.stderr)
        const partition = expected.length % 3
        expected.push(
          `k-${codec}-1|v-${codec}-1|h1=${codec},h2=x|${partition}`,
          `k-${codec}-2|v-${codec}-2 with spaces|h1=${codec}|${partition}`,
        )
      }
      // Keyed records without --partition land where the Java client's murmur2 puts them.
      const keyed = await kafkit(
        ['console-producer', 'codecs', '--property', 'parse.key=true', '--property', 'key.separator=:'],
        'foobar:keyed\n',
      )
      assert.equal(keyed.code, 0, keyed.stderr)
      expected.push(`foobar|keyed||${(-790332482 & 0x7fffffff) % 3}`)

      const viaKcat = await kcatRead(bootstrap, 'codecs', '%k|%s|%h|%p\\n')
      assert.equal(viaKcat.code, 0, viaKcat.stderr)
      assert.deepEqual(sortLines(viaKcat.stdout), [...expected].sort())

      const viaJava = await javaTool(version, 'kafka-console-consumer.sh', [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'codecs',
        '--from-beginning',
        '--max-messages',
        String(expected.length),
        '--timeout-ms',
        '30000',
        formatterProperty,
        'print.key=true',
        formatterProperty,
        'print.headers=true',
        formatterProperty,
        'print.partition=true',
        formatterProperty,
        'key.separator=|',
      ])
      assert.equal(viaJava.code, 0, viaJava.stderr)
      const javaLines = expected.map((line) => {
        const [key, value, headers, partition] = line.split('|')
        return `Partition:${partition}|${headers ? headers.replace(/=/g, ':') : 'NO_HEADERS'}|${key}|${value}`
      })
      assert.deepEqual(sortLines(viaJava.stdout), javaLines.sort())
    })

    // kafka-console-consumer.sh with --topic joins a console-consumer-NNNNN group.
    it('records produced by kcat and kafka-console-producer.sh are printed exactly like the script prints them, and as JSON', async () => {
      const fromKcat = await kcat(
        bootstrap,
        ['-P', '-t', 'from-tools', '-p', '0', '-K', '\t', '-H', 'source=kcat'],
        'ka\tva\nkb\tvb\n',
      )
      assert.equal(fromKcat.code, 0, fromKcat.stderr)
      const fromJava = await javaTool(
        version,
        'kafka-console-producer.sh',
        [
          '--bootstrap-server',
          bootstrap,
          '--topic',
          'from-tools',
          '--property',
          'parse.key=true',
          '--property',
          'parse.headers=true',
          '--property',
          'null.marker=NULL',
        ],
        'source:java,n:NULL\tkc\tvc\nNULL\tNULL\tvd\nsource:java\tke\tNULL\n',
      )
      assert.equal(fromJava.code, 0, fromJava.stderr)
      const props = [
        'print.key=true',
        'print.timestamp=true',
        'print.partition=true',
        'print.offset=true',
        'print.headers=true',
        'print.value=true',
      ]
      const script = await javaTool(version, 'kafka-console-consumer.sh', [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'from-tools',
        '--from-beginning',
        '--max-messages',
        '5',
        '--timeout-ms',
        '30000',
        ...props.flatMap((p) => [formatterProperty, p]),
      ])
      assert.equal(script.code, 0, script.stderr)
      const ours = await kafkit([
        'console-consumer',
        '--topic',
        'from-tools',
        '--from-beginning',
        '--exit-at-end',
        ...props.flatMap((p) => ['--property', p]),
      ])
      assert.equal(ours.code, 0, ours.stderr)
      assert.deepEqual(sortLines(ours.stdout), sortLines(script.stdout))
      assert.equal(sortLines(ours.stdout).length, 5)
      assert.ok(
        ours.stdout.includes('\tn:null,source:java\tkc\tvc\n') ||
          ours.stdout.includes('\tsource:java,n:null\tkc\tvc\n'),
        ours.stdout,
      )
      // Separators and the null literal, the script's way.
      const custom = [
        'print.key=true',
        'print.headers=true',
        'key.separator=|',
        'headers.separator=;',
        'null.literal=<nil>',
        'line.separator=#',
        // Kafka 4.x adds print.delivery and print.epoch (NOT_PRESENT for a classic consumer).
        ...(version.startsWith('3.') ? [] : ['print.offset=true', 'print.delivery=true', 'print.epoch=true']),
      ]
      const scriptCustom = await javaTool(version, 'kafka-console-consumer.sh', [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'from-tools',
        '--partition',
        '0',
        '--offset',
        'earliest',
        '--max-messages',
        '2',
        '--timeout-ms',
        '30000',
        ...custom.flatMap((p) => [formatterProperty, p]),
      ])
      const oursCustom = await kafkit([
        'console-consumer',
        'from-tools',
        '--partition',
        '0',
        '--offset',
        'earliest',
        '--max-messages',
        '2',
        ...custom.flatMap((p) => ['--formatter-property', p]),
      ])
      assert.equal(oursCustom.code, 0, oursCustom.stderr)
      assert.equal(oursCustom.stdout, scriptCustom.stdout)

      const asJson = await kafkit([
        'console-consumer',
        '--topic',
        'from-tools',
        '--from-beginning',
        '--exit-at-end',
        '--json',
      ])
      assert.equal(asJson.code, 0, asJson.stderr)
      const records = asJson.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      assert.equal(records.length, 5)
      const byKey = new Map(records.map((r) => [r.key, r]))
      assert.deepEqual(byKey.get('ka').headers, [{ key: 'source', value: 'kcat' }])
      assert.equal(byKey.get('ka').value, 'va')
      assert.equal(byKey.get(null).value, 'vd')
      assert.equal(byKey.get('ke').value, null)
      assert.deepEqual(
        byKey.get('kc').headers.find((h: { key: string }) => h.key === 'n'),
        { key: 'n', value: null },
      )
      assert.ok(
        records.every(
          (r) => r.topic === 'from-tools' && r.timestampType === 'CreateTime' && Number.isInteger(r.offset),
        ),
      )
    })

    it('console-consumer --json | console-producer --json copies 10,000 records (binary, null, headers) byte for byte', async () => {
      const producer = kafkaClient(bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      // Recent timestamps: records older than the retention (7 days) would be deleted under the test.
      const base = Date.now() - 60_000
      const messages = Array.from({ length: 10_000 }, (_, i) => ({
        partition: i % 3,
        key: i % 7 === 0 ? null : randomBytes(1 + (i % 20)),
        value: i % 5 === 0 ? null : i % 2 === 0 ? randomBytes(50 + (i % 100)) : Buffer.from(`text value ${i} ✓`),
        headers:
          i % 3 === 0
            ? {}
            : {
                trace: randomBytes(8),
                plain: `p${i}`,
                ...(i % 11 === 0 ? { multi: [Buffer.from('a'), Buffer.from('b')] } : {}),
              },
        timestamp: String(base + i),
      }))
      for (let i = 0; i < messages.length; i += 2000)
        await producer.send({ topic: 'src', messages: messages.slice(i, i + 2000) })
      await producer.disconnect()

      const copy = await sh(
        'set -o pipefail; kafkit console-consumer --topic src --from-beginning --exit-at-end --json | kafkit console-producer --topic dst --json',
      )
      assert.equal(copy.code, 0, copy.stderr)
      const [a, b] = [await readWithKafkajs(bootstrap, 'src', 10_000), await readWithKafkajs(bootstrap, 'dst', 10_000)]
      assert.equal(b.length, 10_000)
      for (let i = 0; i < a.length; i++) {
        assert.deepEqual({ ...b[i], offset: undefined }, { ...a[i], offset: undefined }, `record ${i}`)
        assert.equal(b[i]!.offset, a[i]!.offset)
      }
    })

    it('--offset @time, --from-time, --offset -N and --partition/--offset select the right records', async () => {
      // Explicit record timestamps (console-producer --json), ten minutes apart, rather than waiting for the clock.
      const middle = Date.now() - 10 * 60_000
      const stamped = (values: string[], timestamp: number) =>
        values.map((value) => JSON.stringify({ value, timestamp })).join('\n') + '\n'
      const old = await kafkit(
        ['console-producer', 'times', '--json'],
        stamped(['old-1', 'old-2', 'old-3'], middle - 10 * 60_000),
      )
      assert.equal(old.code, 0, old.stderr)
      const recent = await kafkit(['console-producer', 'times', '--json'], stamped(['new-1', 'new-2'], middle + 1))
      assert.equal(recent.code, 0, recent.stderr)
      const atTime = await kafkit([
        'console-consumer',
        'times',
        '--partition',
        '0',
        '--offset',
        `@${middle}`,
        '--exit-at-end',
      ])
      assert.equal(atTime.stdout, 'new-1\nnew-2\n', atTime.stderr)
      const iso = await kafkit([
        'console-consumer',
        'times',
        '--from-time',
        new Date(middle).toISOString(),
        '--exit-at-end',
      ])
      assert.equal(iso.stdout, 'new-1\nnew-2\n', iso.stderr)
      const relative = await kafkit(['console-consumer', 'times', '--from-time', '-1h', '--exit-at-end'])
      assert.equal(relative.stdout, 'old-1\nold-2\nold-3\nnew-1\nnew-2\n')
      const last = await kafkit([
        'console-consumer',
        'times',
        '--offset',
        '-2',
        '--exit-at-end',
        '--format',
        '%o:%s\\n',
      ])
      assert.equal(last.stdout, '3:new-1\n4:new-2\n')
      const exact = await kafkit([
        'console-consumer',
        'times',
        '--partition',
        '0',
        '--offset',
        '1',
        '--max-messages',
        '2',
      ])
      assert.equal(exact.stdout, 'old-2\nold-3\n')
      const latest = await kafkit(['console-consumer', 'times', '--exit-at-end'])
      assert.equal(latest.code, 0)
      assert.equal(latest.stdout, '', 'latest + exit-at-end prints nothing')
    })

    it('--include matches whole topic names; --max-messages stops exactly; --exit-at-end ignores newer records', async () => {
      await kafkit(['console-producer', 'inc-a'], 'a1\na2\n')
      await kafkit(['console-producer', 'inc-b'], 'b1\n')
      await kafkit(['console-producer', 'other-c'], 'c1\n')
      const included = await kafkit([
        'console-consumer',
        '--include',
        'inc-.*',
        '--from-beginning',
        '--exit-at-end',
        '--format',
        '%t %s\\n',
      ])
      assert.equal(included.code, 0, included.stderr)
      assert.deepEqual(sortLines(included.stdout), ['inc-a a1', 'inc-a a2', 'inc-b b1'])
      const whitelist = await kafkit([
        'console-consumer',
        '--whitelist',
        'inc-b|other-c',
        '--from-beginning',
        '--exit-at-end',
      ])
      assert.deepEqual(sortLines(whitelist.stdout), ['b1', 'c1'])
      const none = await kafkit(['console-consumer', '--include', 'inc', '--from-beginning', '--exit-at-end'])
      assert.equal(none.code, 1)
      assert.match(none.stderr, /No topic matches --include "inc"/)
      const max = await kafkit(['console-consumer', 'inc-a', '--from-beginning', '--max-messages', '1'])
      assert.equal(max.stdout, 'a1\n')
      const started = Date.now()
      const idle = await kafkit(['console-consumer', 'inc-a', '--from-beginning', '--timeout-ms', '1500'])
      assert.equal(idle.code, 0, idle.stderr)
      assert.equal(idle.stdout, 'a1\na2\n')
      assert.ok(Date.now() - started < 30_000)
    })

    it('the first Ctrl-C sends what was read (even with a long linger) and exits 130', async () => {
      // stdin is a FIFO the test also holds open for writing (so no EOF comes): Ctrl-C is sent once the FIFO is
      // empty, that is once the producer has read both lines, with no guess at how long connecting takes.
      const fifo = join(dir, 'ctrl-c.fifo')
      await run('mkfifo', [fifo])
      const input = openSync(fifo, 'r+')
      const child = spawn(process.execPath, [bin, 'console-producer', 'interrupt', '--timeout', '600000', '--stats'], {
        env: { ...box.env, KAFKIT_STACK: STACK },
        stdio: [input, 'pipe', 'pipe'],
      })
      let err = ''
      child.stderr!.on('data', (d) => (err += d))
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
      writeSync(input, 'late-1\nlate-2\n')
      await eventually(async () => (await unreadBytes(fifo)) === 0, 60_000, 'the producer read its input')
      child.kill('SIGINT')
      closeSync(input)
      assert.equal(await exited, 130, err)
      assert.match(err, /Produced 2 of 2 records/)
      const read = await kcatRead(bootstrap, 'interrupt', '%s\n')
      assert.deepEqual(sortLines(read.stdout), ['late-1', 'late-2'])
    })

    it('ten console-consumer runs without --group leave no group behind (nothing to clutter groups --list or lag)', async () => {
      await kafkit(['console-producer', 'no-group'], 'a1\n')
      const before = await kafkit(['consumer-groups', '--list'])
      assert.equal(before.code, 0, before.stderr)
      for (let i = 0; i < 10; i++) {
        const read = await kafkit(['console-consumer', 'no-group', '--from-beginning', '--max-messages', '1'])
        assert.equal(read.stdout, 'a1\n', read.stderr)
      }
      const afterRuns = await kafkit(['consumer-groups', '--list'])
      assert.equal(afterRuns.code, 0, afterRuns.stderr)
      assert.deepEqual(sortLines(afterRuns.stdout), sortLines(before.stdout))
      assert.doesNotMatch(afterRuns.stdout, /kafkit-console-consumer/)
    })

    it('--group commits only what was printed, and a consumer killed with SIGINT resumes at the next record', async () => {
      await kafkit(
        ['console-producer', 'groups', '--partition', '0'],
        Array.from({ length: 10 }, (_, i) => `g${i}`).join('\n'),
      )
      const first = await kafkit([
        'console-consumer',
        'groups',
        '--group',
        'audit',
        '--from-beginning',
        '--max-messages',
        '3',
      ])
      assert.equal(first.stdout, 'g0\ng1\ng2\n', first.stderr)
      const admin = kafkaClient(bootstrap).admin()
      await admin.connect()
      const committed = async (group: string, topic: string) =>
        (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions
          .filter((p) => p.offset !== '-1')
          .map((p) => `${p.partition}:${p.offset}`)
      // The fetched batch held all 10 records; only the 3 printed are committed.
      assert.deepEqual(await committed('audit', 'groups'), ['0:3'])
      const second = await kafkit(['console-consumer', 'groups', '--group', 'audit', '--max-messages', '2'])
      assert.equal(second.stdout, 'g3\ng4\n')
      assert.deepEqual(await committed('audit', 'groups'), ['0:5'])

      // SIGINT: records 0..9 printed, Ctrl-C, then the same group resumes at 10.
      await kafkit(['console-producer', 'resume'], Array.from({ length: 6 }, (_, i) => `r${i}`).join('\n'))
      const child = spawn(
        process.execPath,
        [bin, 'console-consumer', 'resume', '--group', 'resumer', '--from-beginning'],
        { env: { ...box.env, KAFKIT_STACK: STACK } },
      )
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => (out += d))
      child.stderr.on('data', (d) => (err += d))
      await eventually(async () => out.split('\n').length > 6, 60_000, `6 records printed (${out}${err})`)
      await kafkit(['console-producer', 'resume'], 'r6\nr7\nr8\nr9\n')
      await eventually(async () => out.split('\n').length > 10, 60_000, '10 records printed')
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
      child.kill('SIGINT')
      assert.equal(await exited, 130, err)
      assert.equal(out, Array.from({ length: 10 }, (_, i) => `r${i}\n`).join(''))
      assert.deepEqual(await committed('resumer', 'resume'), ['0:10'])
      const groups = await admin.describeGroups(['resumer'])
      assert.equal(groups.groups[0]!.members.length, 0, 'the member left the group on Ctrl-C')
      await kafkit(['console-producer', 'resume'], 'r10\nr11\n')
      const resumed = await kafkit(['console-consumer', 'resume', '--group', 'resumer', '--exit-at-end'])
      assert.equal(resumed.stdout, 'r10\nr11\n', resumed.stderr)
      await admin.disconnect()
    })

    if (version === KAFKA_4) {
      it('a 1,000,000-line file is produced with no record lost, in bounded memory; consume throughput', async (t) => {
        const file = join(dir, 'million.txt')
        const stream = createWriteStream(file)
        const hash = createHash('sha256')
        for (let i = 0; i < 1_000_000; i++) {
          const line = `${String(i).padStart(7, '0')}-${'x'.repeat(92)}\n`
          hash.update(line)
          if (!stream.write(line)) await new Promise<void>((r) => stream.once('drain', () => r()))
        }
        await new Promise((r) => stream.end(r))
        const produced = await run(
          '/usr/bin/time',
          ['-f', '%M', process.execPath, bin, 'console-producer', '--topic', 'big', '--file', file, '--stats'],
          { ...box.env, KAFKIT_STACK: STACK },
          600_000,
        )
        assert.equal(produced.code, 0, produced.stderr)
        const peakKb = Number(produced.stderr.trim().split('\n').pop())
        t.diagnostic(
          `produce: ${produced.stderr.split('\n').find((l) => l.startsWith('Produced'))}; peak RSS ${Math.round(peakKb / 1024)} MiB`,
        )
        assert.ok(peakKb < 600 * 1024, `peak RSS ${peakKb} KB`)
        const check = await run(
          'bash',
          [
            '-c',
            `kcat -b ${bootstrap} -C -t big -o beginning -e -q -f '%s\\n' > ${dir}/read.txt && wc -l < ${dir}/read.txt && sha256sum ${dir}/read.txt`,
          ],
          process.env,
          600_000,
        )
        const [count, sum] = check.stdout.trim().split('\n')
        assert.equal(count, '1000000', check.stderr)
        assert.equal(sum!.split(' ')[0], hash.digest('hex'))
        const consumed = await run(
          '/usr/bin/time',
          ['-f', '%M', 'bash', '-c', `node ${bin} console-consumer big --from-beginning --exit-at-end --stats | wc -l`],
          { ...box.env, KAFKIT_STACK: STACK },
          600_000,
        )
        assert.equal(consumed.stdout.trim(), '1000000')
        // The reader goes away after 3 lines: kafkit stops quietly (EPIPE), exit 0, long before reading 1M records.
        const started = Date.now()
        const head = await run(
          'bash',
          ['-c', `set -o pipefail; node ${bin} console-consumer big --from-beginning --exit-at-end | head -n 3`],
          { ...box.env, KAFKIT_STACK: STACK },
          60_000,
        )
        assert.equal(head.code, 0, head.stderr)
        assert.equal(head.stdout.split('\n').length, 4)
        assert.equal(head.stderr, '')
        assert.ok(Date.now() - started < 20_000)
        t.diagnostic(
          `consume: ${consumed.stderr.split('\n').find((l) => l.startsWith('Consumed'))}; peak RSS ${Math.round(Number(consumed.stderr.trim().split('\n').pop()) / 1024)} MiB`,
        )
      })

      it('bad input: message and exit code', async () => {
        const cases: Array<[string[], number, RegExp, string?]> = [
          // Auto-creation refused by the client (the broker would allow it): the topic is not created.
          [
            ['console-producer', 'no-such-topic', '--producer-property', 'allow.auto.create.topics=false'],
            1,
            /Topic "no-such-topic" does not exist\./,
            'x\n',
          ],
          [
            ['console-consumer', 'no-such-topic', '--consumer-property', 'allow.auto.create.topics=false'],
            1,
            /Topic "no-such-topic" does not exist\./,
          ],
          [
            ['console-consumer', 'no-such-topic', '--consumer-property', 'allow.auto.create.topics=maybe'],
            2,
            /allow.auto.create.topics=maybe: expected true or false/,
          ],
          [
            ['console-producer', 'codecs', '--property', 'parse.key'],
            2,
            /Malformed --property "parse.key": expected key=value/,
            'x\n',
          ],
          [['console-consumer', 'codecs', '--property', 'print.kye=true'], 2, /Unknown --property key "print.kye"/],
          [
            ['console-producer', 'codecs', '--compression-codec', 'brotli'],
            2,
            /Unknown compression codec "brotli"/,
            'x\n',
          ],
          [
            ['console-consumer', 'codecs', '--from-beginning', '--partition', '0', '--offset', '3'],
            2,
            /Options from-beginning and offset cannot be specified together/,
          ],
          [
            ['console-consumer', 'codecs', '--group', 'g', '--partition', '0'],
            2,
            /Options group and partition cannot be specified together/,
          ],
          [['console-consumer', 'codecs', '--offset', 'soon'], 2, /The provided offset value 'soon' is incorrect/],
          [
            ['console-producer', 'codecs', '--property', 'parse.key=true'],
            2,
            /No key separator found on line number 2: 'no-separator'/,
            'k\tv\nno-separator\n',
          ],
          [['console-producer', 'codecs', '--json'], 2, /Line 1 is not valid JSON/, 'not json\n'],
          [
            ['console-producer', 'codecs', '--partition', '9'],
            1,
            /Topic "codecs" has 3 partition\(s\): there is no partition 9/,
            'x\n',
          ],
        ]
        for (const [args, code, message, input] of cases) {
          const result = await kafkit(args, input)
          // With --json the error is a JSON object on stdout (the base command's contract); otherwise one line on stderr.
          const output = args.includes('--json') ? JSON.parse(result.stdout).error.message : result.stderr
          assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}${result.stdout}`)
          assert.match(output, message, args.join(' '))
          assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
        }
      })

      it('broker unreachable: a clear message naming the address, within the timeout', async () => {
        for (const command of ['console-producer', 'console-consumer']) {
          const started = Date.now()
          const result = await box.kafkit([command, 'orders', '--bootstrap-server', '127.0.0.1:1'], { input: 'x\n' })
          assert.equal(result.code, 1, result.stderr)
          assert.match(result.stderr, /Cannot reach Kafka at 127\.0\.0\.1:1/)
          assert.ok(Date.now() - started < 30_000, `${command} took ${Date.now() - started} ms`)
        }
      })

      it('every example in docs/console.md runs', async () => {
        const doc = readFileSync(join(repoRoot, 'docs', 'console.md'), 'utf8')
        const examples = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
          m[1]!.split('\n').filter((l) => l.startsWith('kafkit ') || l.includes('| kafkit ')),
        )
        assert.ok(examples.length >= 10, `examples found: ${examples.length}`)
        await createTopics(bootstrap, [
          ['orders', 3],
          ['orders-copy', 3],
        ])
        writeFileSync(join(dir, 'records.txt'), 'one\ntwo\nthree\n')
        for (const example of examples) {
          const result = await run(
            'bash',
            ['-c', `cd ${dir} && kafkit() { node ${bin} "$@"; }\nset -o pipefail\n${example}`],
            { ...box.env, KAFKIT_STACK: STACK },
            120_000,
            '',
          )
          assert.equal(result.code, 0, `${example}\n${result.stderr}`)
        }
      })

      // Last: it stops the broker under a running producer.
      it('a delivery failure (broker stopped mid-run) exits 1 with a count', async () => {
        const file = join(dir, 'million.txt')
        const child = spawn(
          process.execPath,
          [
            bin,
            'console-producer',
            'big',
            '--file',
            file,
            '--max-memory-bytes',
            '2000000',
            '--message-send-max-retries',
            '2',
          ],
          { env: { ...box.env, KAFKIT_STACK: STACK } },
        )
        let err = ''
        child.stderr.on('data', (d) => (err += d))
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
        const admin = kafkaClient(bootstrap).admin()
        await admin.connect()
        await eventually(
          async () => BigInt((await admin.fetchTopicOffsets('big'))[0]!.high) > 1_050_000n,
          120_000,
          'producer under way',
        )
        await admin.disconnect()
        const down = await box.kafkit(['down', '--stack', STACK])
        assert.equal(down.code, 0, down.stderr)
        assert.equal(await exited, 1, err)
        // --message-send-max-retries 2 gives up long before the delivery timeout; the counts add up to the file.
        const counts =
          /(\d+) of (\d+) record\(s\) read were not delivered to big[\s\S]*?(\d+) acknowledged, (\d+) failed, (\d+) more line\(s\) of \S+ never read\.[\s\S]*?Every line before line (\d+) was acknowledged/.exec(
            err,
          )
        assert.ok(counts, err)
        const [failed, read, acknowledged, failedAgain, unread, firstLine] = counts.slice(1).map(Number) as [
          number,
          number,
          number,
          number,
          number,
          number,
        ]
        assert.equal(failed, failedAgain)
        assert.equal(acknowledged + failed, read)
        assert.equal(read + unread, 1_000_000)
        assert.equal(
          firstLine,
          acknowledged + 1,
          'one partition: everything before the first unacknowledged line was acknowledged',
        )
        assert.match(
          err,
          new RegExp(
            `Try: tail -n \\+${firstLine} \\S+million.txt \\| kafkit console-producer big --max-memory-bytes 2000000 --message-send-max-retries 2`,
          ),
        )
      })
    }
  })
}
