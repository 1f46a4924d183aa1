import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_4, distHome, freePorts, json, run, runClass, sandbox, startStack, type Sandbox } from './helpers.js'

/**
 * The embedded runtime end to end, on one stack: `up --runtime embedded`, kafkit's own commands, and clients
 * that share no code with it: kcat (librdkafka), kafka-python when installed, and Kafka's Java tools. Then the stack's
 * life cycle: down, status, up again (topics kept), purge.
 */
const hasPython =
  (await run('/usr/bin/python3', ['-c', 'import kafka'], process.env, 20_000).catch(() => ({ code: 1 }))).code === 0

describe('embedded runtime', () => {
  let box: Sandbox
  let bootstrap: string
  const k = (args: string[], input?: string) => box.kafkit([...args, '--bootstrap-server', bootstrap], { input })

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { stack: 'default', runtime: 'embedded' })
  })
  after(() => box.cleanup())

  it('shows the embedded runtime in status and doctor', async () => {
    const status = json(await box.kafkit(['status', '--json']))
    assert.equal(status.runtime, 'embedded')
    assert.equal(status.running, true)
    const doctor = json(await box.kafkit(['doctor', '--json']))
    const embedded = JSON.stringify(doctor)
    assert.match(embedded, /embedded/)
  })

  it('creates, lists and describes topics; refuses a replication factor one node cannot hold', async () => {
    const created = await k(['topics', '--create', '--topic', 'orders', '--partitions', '3'])
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /Created topic orders\./)
    const list = await k(['topics', '--list'])
    assert.deepEqual(list.stdout.split('\n').filter(Boolean), ['orders'])
    const describe = await k(['topics', '--describe', '--topic', 'orders'])
    assert.match(describe.stdout, /PartitionCount: 3\tReplicationFactor: 1/)
    assert.equal(describe.stdout.match(/Leader: 1\tReplicas: 1\tIsr: 1/g)?.length, 3)
    const rf = await k(['topics', '--create', '--topic', 'rf3', '--replication-factor', '3'])
    assert.notEqual(rf.code, 0)
    assert.match(rf.stderr, /replication factor/i)
  })

  it('produces with the console producer and reads back with the console consumer and get-offsets', async () => {
    const produced = await k(['console-producer', '--topic', 'orders', '--partition', '0'], 'one\ntwo\nthree\n')
    assert.equal(produced.code, 0, produced.stderr)
    const consumed = await k([
      'console-consumer',
      '--topic',
      'orders',
      '--partition',
      '0',
      '--offset',
      'earliest',
      '--max-messages',
      '3',
      '--timeout-ms',
      '10000',
    ])
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.deepEqual(consumed.stdout.split('\n').filter(Boolean), ['one', 'two', 'three'])
    const offsets = await k(['get-offsets', '--topic', 'orders'])
    assert.deepEqual(offsets.stdout.split('\n').filter(Boolean), ['orders:0:3', 'orders:1:0', 'orders:2:0'])
  })

  it('alters and describes topic configs, adds partitions, deletes records and topics', async () => {
    const created = await k(['topics', '--create', '--topic', 'admin', '--config', 'retention.ms=60000'])
    assert.equal(created.code, 0, created.stderr)
    const altered = await k([
      'configs',
      '--entity-type',
      'topics',
      '--entity-name',
      'admin',
      '--alter',
      '--add-config',
      'cleanup.policy=compact',
    ])
    assert.equal(altered.code, 0, altered.stderr)
    const described = await k(['configs', '--entity-type', 'topics', '--entity-name', 'admin', '--describe'])
    assert.match(described.stdout, /cleanup\.policy=compact/)
    assert.match(described.stdout, /retention\.ms=60000/)
    const bad = await k([
      'configs',
      '--entity-type',
      'topics',
      '--entity-name',
      'admin',
      '--alter',
      '--add-config',
      'no.such.key=1',
    ])
    assert.notEqual(bad.code, 0)
    const grown = await k(['topics', '--alter', '--topic', 'admin', '--partitions', '2'])
    assert.equal(grown.code, 0, grown.stderr)
    await k(['console-producer', '--topic', 'admin', '--partition', '0'], 'a\nb\nc\n')
    const plan = join(box.home, 'delete-records.json')
    writeFileSync(plan, JSON.stringify({ version: 1, partitions: [{ topic: 'admin', partition: 0, offset: 2 }] }))
    const deleted = await k(['delete-records', '--offset-json-file', plan])
    assert.match(deleted.stdout, /partition: admin-0\tlow_watermark: 2/)
    const earliest = await k(['get-offsets', '--topic', 'admin', '--time', 'earliest'])
    assert.deepEqual(earliest.stdout.split('\n').filter(Boolean), ['admin:0:2', 'admin:1:0'])
    const dropped = await k(['topics', '--delete', '--topic', 'admin'])
    assert.equal(dropped.code, 0, dropped.stderr)
    assert.ok(!(await k(['topics', '--list'])).stdout.split('\n').includes('admin'))
  })

  it('serves kcat: -L, -P, -C and -Q by timestamp', async () => {
    const meta = await run('kcat', ['-b', bootstrap, '-L', '-t', 'orders'])
    assert.equal(meta.code, 0, meta.stderr)
    assert.match(meta.stdout, /broker 1 at 127\.0\.0\.1:\d+ \(controller\)/)
    assert.match(meta.stdout, /topic "orders" with 3 partitions/)
    for (const value of ['kc1', 'kc2', 'kc3']) {
      const put = await run('kcat', ['-b', bootstrap, '-P', '-t', 'kc', '-p', '0'], process.env, 30_000, `${value}\n`)
      assert.equal(put.code, 0, put.stderr)
    }
    const read = await run('kcat', [
      '-b',
      bootstrap,
      '-C',
      '-t',
      'kc',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o %T %s\\n',
    ])
    const rows = read.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
    assert.deepEqual(
      rows.map((r) => [r[0], r[2]]),
      [
        ['0', 'kc1'],
        ['1', 'kc2'],
        ['2', 'kc3'],
      ],
    )
    // The first record at or after the second one's timestamp (the first may share its millisecond).
    const stamp = Number(rows[1]![1])
    const expected = rows.findIndex((r) => Number(r[1]) >= stamp)
    const query = await run('kcat', ['-b', bootstrap, '-Q', '-t', `kc:0:${stamp}`])
    assert.equal(query.code, 0, query.stderr)
    assert.match(query.stdout, new RegExp(`kc \\[0\\] offset ${expected}\\b`))
    const future = await run('kcat', ['-b', bootstrap, '-Q', '-t', `kc:0:${Date.now() + 3_600_000}`])
    assert.match(future.stdout, /kc \[0\] offset -1\b/)
  })

  it(
    'serves kafka-python (produce, then consume without a group)',
    { skip: !hasPython && 'kafka-python not installed' },
    async () => {
      const script = `
import sys
from kafka import KafkaProducer, KafkaConsumer, TopicPartition
p = KafkaProducer(bootstrap_servers=sys.argv[1], acks='all')
for i in range(3): p.send('py', key=b'k%d' % i, value=b'py-%d' % i)
p.flush(); p.close()
c = KafkaConsumer(bootstrap_servers=sys.argv[1], enable_auto_commit=False, consumer_timeout_ms=5000)
c.assign([TopicPartition('py', 0)]); c.seek_to_beginning()
print(' '.join('%d:%s' % (m.offset, m.value.decode()) for m in c))
`
      const result = await run('/usr/bin/python3', ['-c', script, bootstrap], process.env, 60_000)
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout.trim(), '0:py-0 1:py-1 2:py-2')
    },
  )

  it("serves Kafka's Java kafka-topics, console producer (idempotent) and console consumer", async () => {
    const bin = (name: string) => join(distHome(KAFKA_4), 'bin', name)
    const produced = await run(
      bin('kafka-console-producer.sh'),
      ['--bootstrap-server', bootstrap, '--topic', 'java'],
      { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' },
      60_000,
      'j1\nj2\n',
    )
    assert.equal(produced.code, 0, produced.stderr)
    const [topics, consumed] = await Promise.all([
      runClass(
        KAFKA_4,
        'org.apache.kafka.tools.TopicCommand',
        ['--bootstrap-server', bootstrap, '--describe', '--topic', 'java'],
        60_000,
      ),
      run(
        bin('kafka-console-consumer.sh'),
        [
          '--bootstrap-server',
          bootstrap,
          '--topic',
          'java',
          '--partition',
          '0',
          '--offset',
          'earliest',
          '--max-messages',
          '2',
        ],
        { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' },
        60_000,
      ),
    ])
    assert.equal(topics.code, 0, topics.stderr)
    assert.match(topics.stdout, /Topic: java\tTopicId: \S+\tPartitionCount: 1\tReplicationFactor: 1/)
    assert.equal(consumed.code, 0, consumed.stderr)
    assert.deepEqual(consumed.stdout.split('\n').filter(Boolean), ['j1', 'j2'])
  })

  it('is what `up` picks on a machine with only Node (no Java, Docker or Homebrew), and says why', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'kafkit-nodeonly-'))
    symlinkSync(process.execPath, join(bin, 'node'))
    const port = await freePorts(2)
    const env = { PATH: bin, JAVA_HOME: '', HOMEBREW_PREFIX: '' }
    const up = await box.kafkit(
      ['up', '--stack', 'nodeonly', '--port', String(port), '--controller-port', String(port + 1)],
      { env },
    )
    try {
      assert.equal(up.code, 0, up.stderr)
      assert.match(up.stdout + up.stderr, /Runtime: embedded .*skipped .*dist: Java not found/)
      assert.equal(json(await box.kafkit(['status', '--stack', 'nodeonly', '--json'], { env })).runtime, 'embedded')
      const created = await box.kafkit(['topics', '--create', '--topic', 'solo', '--stack', 'nodeonly'], { env })
      assert.equal(created.code, 0, created.stderr)
    } finally {
      const purged = await box.kafkit(['purge', '--force', '--stack', 'nodeonly'], { env })
      rmSync(bin, { recursive: true, force: true })
      assert.equal(purged.code, 0, purged.stderr)
    }
  })

  it('stops, restarts with its topics, and purges', async () => {
    const down = await box.kafkit(['down'])
    assert.equal(down.code, 0, down.stderr)
    const stopped = json(await box.kafkit(['status', '--json']))
    assert.equal(stopped.running, false)
    const logs = await box.kafkit(['logs'])
    assert.match(logs.stdout, /SIGTERM received: shutting down/)
    const up = await box.kafkit(['up', '--json'])
    assert.equal(up.code, 0, up.stderr)
    const list = await k(['topics', '--list'])
    assert.ok(list.stdout.split('\n').includes('orders'), list.stdout)
    // The records too: segment files in the stack's data directory, read back by kcat.
    const records = await run('kcat', ['-b', bootstrap, '-C', '-t', 'orders', '-p', '0', '-e', '-q', '-f', '%o %s\\n'])
    assert.deepEqual(records.stdout.split('\n').filter(Boolean), ['0 one', '1 two', '2 three'], records.stderr)
    const purge = await box.kafkit(['purge', '--force'])
    assert.equal(purge.code, 0, purge.stderr)
    assert.equal(existsSync(join(box.home, 'stacks', 'default')), false)
  })

  it('refuses several brokers and ZooKeeper mode before creating anything', async () => {
    const brokers = await box.kafkit(['up', '--runtime', 'embedded', '--stack', 'many', '--brokers', '3'])
    assert.equal(brokers.code, 2)
    assert.match(brokers.stderr, /single combined node; --brokers 3/)
    const zk = await box.kafkit(['up', '--runtime', 'embedded', '--stack', 'zk', '--mode', 'zookeeper'])
    assert.equal(zk.code, 2)
    assert.match(zk.stderr, /no ZooKeeper mode/)
    assert.equal(existsSync(join(box.home, 'stacks', 'many', 'state.json')), false)
  })
})
