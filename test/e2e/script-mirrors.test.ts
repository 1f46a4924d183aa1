import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  eventually,
  freePorts,
  json,
  kafkaClient,
  repoRoot,
  sandbox,
  type Sandbox,
} from './helpers.js'

async function brokerIds(bootstrap: string): Promise<number[]> {
  const admin = kafkaClient(bootstrap).admin()
  await admin.connect()
  try {
    return (await admin.describeCluster()).brokers.map((b) => b.nodeId)
  } finally {
    await admin.disconnect()
  }
}

/** Whether a process with this pid runs (a zombie waiting for its parent to reap it does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // "pid (comm) state ...": comm may hold spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return true
  }
}

/**
 * Environment for a kafkit run that sees only `pids` among the machine's processes: a `ps` first in PATH that
 * filters the real one's output to those pids.
 */
function ownProcessesOnly(dir: string, pids: number[]): NodeJS.ProcessEnv {
  const bin = join(dir, 'own-ps')
  mkdirSync(bin, { recursive: true })
  writeFileSync(
    join(bin, 'ps'),
    [
      '#!/bin/sh',
      `PATH='${process.env.PATH}' ps "$@" | awk 'BEGIN { split("${pids.join(' ')}", p, " "); for (i in p) own[p[i]] = 1 } ($1 in own)'`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  )
  return { PATH: `${bin}:${process.env.PATH}` }
}

/** zookeeper-server-start / kafka-server-start / *-stop behave like Kafka's scripts, with the same arguments. */
describe('script mirrors', () => {
  let box: Sandbox
  let dir: string
  before(() => {
    box = sandbox()
    dir = mkdtempSync(join(tmpdir(), 'kafkit-scripts-'))
  })
  // Servers this file started by pid, killed if a failed test left them running (never by name: see ownProcessesOnly).
  const started: number[] = []
  after(async () => {
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
    await box.cleanup()
  })

  it(`zookeeper-server-start --daemon + kafka-server-start --daemon --override (Kafka ${KAFKA_3}), then the -stop scripts`, async () => {
    const port = await freePorts(2)
    const zkPort = port + 1
    writeFileSync(
      join(dir, 'zookeeper.properties'),
      `dataDir=${dir}/zk\nclientPort=${zkPort}\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n`,
    )
    writeFileSync(
      join(dir, 'server.properties'),
      [
        'broker.id=0',
        `listeners=PLAINTEXT://127.0.0.1:${port}`,
        `zookeeper.connect=127.0.0.1:${zkPort}`,
        'offsets.topic.replication.factor=1',
        `log.dirs=${dir}/ignored`,
      ].join('\n'),
    )
    const zk = await box.kafkit([
      'zookeeper-server-start',
      '--daemon',
      join(dir, 'zookeeper.properties'),
      '--version',
      KAFKA_3,
      '--json',
    ])
    assert.equal(zk.code, 0, zk.stderr)
    const zkPid = json(zk).pid as number
    started.push(zkPid)
    assert.ok(zkPid > 0)
    const kafka = await box.kafkit([
      'kafka-server-start',
      '--daemon',
      join(dir, 'server.properties'),
      '--override',
      'broker.id=7',
      '--override',
      `log.dirs=${dir}/kafka-data`,
      '--version',
      KAFKA_3,
    ])
    assert.equal(kafka.code, 0, kafka.stderr)
    assert.match(kafka.stdout, /Kafka server started in the background: pid \d+, log .*kafkaServer\.out/)
    const kafkaPid = Number(/pid (\d+)/.exec(kafka.stdout)![1])
    started.push(kafkaPid)
    assert.deepEqual(await eventually(async () => brokerIds(`127.0.0.1:${port}`), 60_000, 'broker 7'), [7])
    assert.ok(existsSync(join(dir, 'kafka-data', 'meta.properties')), '--override log.dirs was applied')

    // The -stop commands act on every matching server of the machine, like Kafka's scripts: other stacks, other
    // test runs, a developer's own ZooKeeper. They find servers with `ps`, so they run here with a `ps` that shows
    // only the two processes this test started: the matching, signalling and waiting are the real ones, the reach is not.
    const own = ownProcessesOnly(dir, [zkPid, kafkaPid])
    const stopKafka = await box.kafkit(['kafka-server-stop', '--node-id', '7', '--json'], { env: own })
    assert.equal(stopKafka.code, 0, stopKafka.stderr)
    assert.deepEqual(
      json(stopKafka).stopped.map((s: { pid: number }) => s.pid),
      [kafkaPid],
    )
    const stopZk = await box.kafkit(['zookeeper-server-stop', '--json'], { env: own })
    assert.equal(stopZk.code, 0, stopZk.stderr)
    assert.deepEqual(
      json(stopZk).stopped.map((s: { pid: number }) => s.pid),
      [zkPid],
    )
    assert.ok(!alive(zkPid) && !alive(kafkaPid), 'both servers are gone')
    const none = await box.kafkit(['kafka-server-stop', '--node-id', '7'], { env: own })
    assert.equal(none.code, 1)
    assert.match(none.stderr, /No kafka server to stop/)
  })

  it(`kafka-server-start in the foreground (Kafka ${KAFKA_4}) formats KRaft storage and stops on SIGTERM`, async () => {
    const port = await freePorts(2)
    writeFileSync(
      join(dir, 'kraft.properties'),
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${port + 1}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`,
        'controller.listener.names=CONTROLLER',
        'offsets.topic.replication.factor=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        `log.dirs=${dir}/kraft-data`,
      ].join('\n'),
    )
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin', 'run.js'), 'kafka-server-start', join(dir, 'kraft.properties'), '--version', KAFKA_4],
      { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    try {
      assert.deepEqual(await eventually(async () => brokerIds(`127.0.0.1:${port}`), 90_000, 'foreground broker'), [1])
      assert.match(output, /Formatting KRaft storage .* with new cluster id/)
      assert.match(
        output,
        /Kafka Server started|started \(kafka\.server/,
        'the broker log goes to the terminal like the script',
      )
    } finally {
      child.kill('SIGTERM')
    }
    assert.equal(await exited, 0)
  })
})
