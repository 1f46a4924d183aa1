/**
 * The seed's "How to run and check kafka on mac?" steps, pasted with `kafkit` in front:
 *   1. zookeeper-server-start /opt/homebrew/etc/kafka/zookeeper.properties        (Kafka 3.x only)
 *   2. kafka-server-start /opt/homebrew/etc/kafka/server.properties
 *   3. kafka-console-producer --broker-list localhost:9092 --topic ramsey
 *   4. kafka-console-consumer --bootstrap-server localhost:9092 --topic ramsey --from-beginning
 * with Homebrew-style config files and a Kafka distribution found through KAFKA_HOME (3.9.2: ZooKeeper; 4.4.0:
 * KRaft with the server.properties Kafka 4 ships). The only change to the lines is the port: the test takes free
 * ports instead of 9092/2181 so it can never touch a Kafka that is not its own. The topic does not exist before
 * step 3: the broker creates it, as for Kafka's own console producer, which runs beside it on the same broker.
 *
 * Then the same four lines verbatim, without kafkit in front, after `kafkit shims install --prefix BREW` (BREW standing
 * for /opt/homebrew: the shims land in BREW/bin, the config files in BREW/etc/kafka) with BREW/bin first on PATH, each
 * looked up on PATH as a shell would; only /opt/homebrew and the port are replaced.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  freePorts,
  kafkaClient,
  repoRoot,
  run,
  sandbox,
  type Sandbox,
} from './helpers.js'

const bin = join(repoRoot, 'bin', 'run.js')

interface Server {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function foreground(box: Sandbox, env: NodeJS.ProcessEnv, args: string[]): Server {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...box.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return { child, output: () => output, exited: new Promise((resolve) => child.on('close', resolve)) }
}

async function stop(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return
  server.child.kill('SIGTERM')
  await server.exited
}

async function topicPartitions(bootstrap: string, topic: string): Promise<number> {
  const admin = kafkaClient(bootstrap).admin()
  await admin.connect()
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
    return metadata.topics[0]!.partitions.length
  } finally {
    await admin.disconnect()
  }
}

/** Homebrew's kafka formula (3.x) config files, with the test's ports and directories. */
function writeHomebrewConfigs(dir: string, port: number, zkPort: number): void {
  writeFileSync(
    join(dir, 'zookeeper.properties'),
    [`dataDir=${dir}/zookeeper`, `clientPort=${zkPort}`, 'maxClientCnxns=0', 'admin.enableServer=false', ''].join('\n'),
  )
  writeFileSync(
    join(dir, 'server.properties'),
    [
      'broker.id=0',
      `listeners=PLAINTEXT://localhost:${port}`,
      'num.network.threads=3',
      'num.io.threads=8',
      'socket.send.buffer.bytes=102400',
      'socket.receive.buffer.bytes=102400',
      'socket.request.max.bytes=104857600',
      `log.dirs=${dir}/kafka-logs`,
      'num.partitions=1',
      'num.recovery.threads.per.data.dir=1',
      'offsets.topic.replication.factor=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'log.retention.hours=168',
      'log.retention.check.interval.ms=300000',
      `zookeeper.connect=localhost:${zkPort}`,
      'zookeeper.connection.timeout.ms=18000',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  )
}

/** The seed's four lines, verbatim. */
const SEED_LINES = [
  'zookeeper-server-start /opt/homebrew/etc/kafka/zookeeper.properties',
  'kafka-server-start /opt/homebrew/etc/kafka/server.properties',
  'kafka-console-producer --broker-list localhost:9092 --topic ramsey',
  'kafka-console-consumer --bootstrap-server localhost:9092 --topic ramsey --from-beginning',
]

/**
 * A line run as a shell runs it: its first word looked up on PATH, the rest its arguments (the lines need no quoting).
 * The shim execs node in its own process, so a signal to it is Ctrl-C or kill reaching kafkit itself.
 */
function shell(line: string, env: NodeJS.ProcessEnv): Server {
  const [command, ...args] = line.split(' ')
  const child = spawn(command!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return { child, output: () => output, exited: new Promise((resolve) => child.on('close', resolve)) }
}

async function stopWith(server: Server | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return
  server.child.kill(signal)
  await server.exited
}

/** Steps 3 and 4 (and Kafka's own console producer/consumer beside them), once the broker answers on `port`. */
async function produceAndConsume(box: Sandbox, env: NodeJS.ProcessEnv, port: number): Promise<void> {
  const bootstrap = `localhost:${port}`
  await eventually(
    async () =>
      (await kafkaClient(bootstrap)
        .admin()
        .describeCluster()
        .catch(() => undefined)) !== undefined || undefined,
    120_000,
    'broker',
  )
  // 3. The topic does not exist yet: the broker creates it (auto.create.topics.enable defaults to true).
  const produced = await box.kafkit(['kafka-console-producer', '--broker-list', bootstrap, '--topic', 'ramsey'], {
    env,
    input: 'hello\nworld\n',
  })
  assert.equal(produced.code, 0, produced.stderr)
  assert.match(produced.stderr, /Topic ramsey did not exist; the broker created it \(1 partition\)/)
  assert.equal(await topicPartitions(bootstrap, 'ramsey'), 1)

  // 4. Runs until Ctrl-C, like the script; both lines are printed, in order.
  const consumer = foreground(box, env, [
    'kafka-console-consumer',
    '--bootstrap-server',
    bootstrap,
    '--topic',
    'ramsey',
    '--from-beginning',
  ])
  try {
    await eventually(
      async () => consumer.output().includes('hello\nworld\n') || undefined,
      60_000,
      'both lines printed',
    )
  } finally {
    consumer.child.kill('SIGINT')
  }
  assert.equal(await consumer.exited, 130)

  // Kafka's own console tools on the same broker behave the same: the producer lets the broker create its topic,
  // and the consumer reads kafkit's two lines.
  const home = env.KAFKA_HOME!
  const java = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }
  const scriptProducer = await run(
    join(home, 'bin', 'kafka-console-producer.sh'),
    ['--bootstrap-server', bootstrap, '--topic', 'ramsey-java'],
    java,
    120_000,
    'hello\nworld\n',
  )
  assert.equal(scriptProducer.code, 0, scriptProducer.stderr)
  assert.equal(await topicPartitions(bootstrap, 'ramsey-java'), 1)
  const scriptConsumer = await run(
    join(home, 'bin', 'kafka-console-consumer.sh'),
    ['--bootstrap-server', bootstrap, '--topic', 'ramsey', '--from-beginning', '--max-messages', '2'],
    java,
    120_000,
  )
  assert.equal(scriptConsumer.stdout, 'hello\nworld\n')
  // Nothing left behind by kafkit's consumer: it ran without a group.
  const groups = await box.kafkit(['consumer-groups', '--bootstrap-server', bootstrap, '--list'], { env })
  assert.equal(groups.code, 0, groups.stderr)
  assert.doesNotMatch(groups.stdout, /kafkit-console-consumer/)
}

describe('the seed: how to run and check Kafka on a Mac, with kafkit in front', () => {
  const boxes: Sandbox[] = []
  after(async () => {
    for (const box of boxes) await box.cleanup()
  })

  it(`Kafka ${KAFKA_3} with ZooKeeper: Homebrew's zookeeper.properties and server.properties`, async () => {
    const box = sandbox()
    boxes.push(box)
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-seed-'))
    const port = await freePorts(1)
    const zkPort = await freePorts(1)
    writeHomebrewConfigs(dir, port, zkPort)
    const env = { KAFKA_HOME: distHome(KAFKA_3), KAFKA_HEAP_OPTS: '-Xmx256m' }
    let zookeeper: Server | undefined
    let kafka: Server | undefined
    try {
      zookeeper = foreground(box, env, ['zookeeper-server-start', join(dir, 'zookeeper.properties')])
      kafka = foreground(box, env, ['kafka-server-start', join(dir, 'server.properties')])
      await produceAndConsume(box, env, port)
    } finally {
      await stop(kafka)
      await stop(zookeeper)
    }
    assert.equal(await kafka.exited, 0, kafka.output().slice(-2000))
  })

  it(`Kafka ${KAFKA_4} in KRaft mode: the server.properties Kafka 4 ships`, async () => {
    const box = sandbox()
    boxes.push(box)
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-seed-'))
    const port = await freePorts(2)
    // Kafka 4.x's config/server.properties, with the test's ports and directory.
    writeFileSync(
      join(dir, 'server.properties'),
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.bootstrap.servers=localhost:${port + 1}`,
        `listeners=PLAINTEXT://localhost:${port},CONTROLLER://localhost:${port + 1}`,
        'inter.broker.listener.name=PLAINTEXT',
        `advertised.listeners=PLAINTEXT://localhost:${port},CONTROLLER://localhost:${port + 1}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
        'num.network.threads=3',
        'num.io.threads=8',
        'socket.send.buffer.bytes=102400',
        'socket.receive.buffer.bytes=102400',
        'socket.request.max.bytes=104857600',
        `log.dirs=${dir}/kraft-combined-logs`,
        'num.partitions=1',
        'num.recovery.threads.per.data.dir=1',
        'offsets.topic.replication.factor=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'log.retention.hours=168',
        'log.segment.bytes=1073741824',
        'log.retention.check.interval.ms=300000',
        '',
      ].join('\n'),
    )
    const env = { KAFKA_HOME: distHome(KAFKA_4), KAFKA_HEAP_OPTS: '-Xmx256m' }
    let kafka: Server | undefined
    try {
      kafka = foreground(box, env, ['kafka-server-start', join(dir, 'server.properties')])
      await produceAndConsume(box, env, port)
    } finally {
      await stop(kafka)
    }
    assert.equal(await kafka.exited, 0, kafka.output().slice(-2000))
  })

  it(`the four lines verbatim, after kafkit shims install (Kafka ${KAFKA_3} with ZooKeeper)`, async () => {
    const box = sandbox()
    boxes.push(box)
    const brew = mkdtempSync(join(tmpdir(), 'kafkit-brew-'))
    mkdirSync(join(brew, 'etc', 'kafka'), { recursive: true })
    const port = await freePorts(1)
    const zkPort = await freePorts(1)
    writeHomebrewConfigs(join(brew, 'etc', 'kafka'), port, zkPort)
    const installed = await box.kafkit(['shims', 'install', '--prefix', brew, '--json'])
    assert.equal(installed.code, 0, installed.stderr)
    const written: string[] = JSON.parse(installed.stdout).files.map((f: { name: string }) => f.name)
    for (const name of [
      'zookeeper-server-start',
      'kafka-server-start',
      'kafka-console-producer',
      'kafka-console-consumer',
    ])
      assert.ok(written.includes(name) && written.includes(`${name}.sh`), name)
    const env = {
      ...box.env,
      KAFKA_HOME: distHome(KAFKA_3),
      KAFKA_HEAP_OPTS: '-Xmx256m',
      PATH: `${join(brew, 'bin')}:${process.env.PATH}`,
    }
    const line = (n: number) =>
      SEED_LINES[n]!.replaceAll('/opt/homebrew', brew).replaceAll('localhost:9092', `localhost:${port}`)
    const which = await run('/bin/sh', ['-c', 'command -v kafka-server-start'], env)
    assert.equal(which.stdout.trim(), join(brew, 'bin', 'kafka-server-start'))

    let zookeeper: Server | undefined
    let kafka: Server | undefined
    let consumer: Server | undefined
    try {
      zookeeper = shell(line(0), env)
      kafka = shell(line(1), env)
      const bootstrap = `localhost:${port}`
      await eventually(
        async () =>
          (await kafkaClient(bootstrap)
            .admin()
            .describeCluster()
            .catch(() => undefined)) !== undefined || undefined,
        120_000,
        `broker (${kafka.output().slice(-500)})`,
      )
      const [producer, ...producerArgs] = line(2).split(' ')
      const produced = await run(producer!, producerArgs, env, 120_000, 'hello\nworld\n')
      assert.equal(produced.code, 0, produced.stderr)
      consumer = shell(line(3), env)
      await eventually(
        async () => consumer!.output().includes('hello\nworld\n') || undefined,
        60_000,
        'both lines printed',
      )
      await stopWith(consumer, 'SIGINT')
      assert.equal(await consumer.exited, 130)
    } finally {
      await stopWith(consumer, 'SIGINT')
      await stopWith(kafka, 'SIGTERM')
      await stopWith(zookeeper, 'SIGTERM')
    }
    assert.equal(await kafka.exited, 0, kafka.output().slice(-2000))

    // Uninstall removes exactly what install wrote: BREW/bin is empty again.
    const removed = await box.kafkit(['shims', 'uninstall', '--prefix', brew, '--json'])
    assert.equal(removed.code, 0, removed.stderr)
    assert.equal(JSON.parse(removed.stdout).removed.length, written.length)
    assert.deepEqual(readdirSync(join(brew, 'bin')), [])
    rmSync(brew, { recursive: true, force: true })
  })
})
