/**
 * kafkit against Kafka's own scripts and kcat, on the same broker, in one run (issue 6).
 *
 *   npm run bench                 full run (1,000,000 records, 5 runs after a warm-up)
 *   npm run bench -- --quick      small sizes, one run (CI keeps the harness from rotting)
 *   npm run bench -- --mode zookeeper --version 3.9.2 --runs 3 --records 200000
 *   npm run bench -- --only stack   only the stack rows (up / down against Kafka's scripts)
 *   npm run bench -- --only commands --records 20000   only the metadata commands and the CLI start (a topic of
 *                                   N records is produced first, once per tool)
 *   npm run bench -- --only perf --records 200000   only producer-perf-test / consumer-perf-test against Kafka's
 *                                   ProducerPerformance / ConsumerPerformance (wall clock and the rate each reports)
 *   npm run bench -- --only embedded --records 200000   only the embedded broker against real Kafka (issue 15): the
 *                                   in-process startKafka() and `up --runtime embedded` to ready, idle RSS, and the
 *                                   throughput of the same clients (Kafka's Java perf tools, kcat) against both
 *
 * Every scenario runs whole processes (wall clock, as a user experiences them), alternating the tools
 * (A B C A B C ...), and checks its own result so a fast wrong run cannot pass as a fast run.
 */
import { spawn, spawnSync } from 'node:child_process'
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import kafkajs from 'kafkajs'

const repo = new URL('..', import.meta.url).pathname
const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(`--${name}`)
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback
}
const quick = flag('quick')
const version = option('version', '4.4.0')
const mode = option('mode', 'kraft') as 'kraft' | 'zookeeper'
const records = Number(option('records', quick ? '20000' : '1000000'))
const runs = Number(option('runs', quick ? '1' : '5'))
const warmup = !quick
/** `--only stack`: just the stack start/stop rows (they need no broker of their own and take a minute); `--only perf`,
 * `--only commands`, `--only embedded`: see the header. */
const only = option('only', '')
const cache = process.env.KAFKIT_CACHE ?? join(repo, '.cache')
const distHome = (v: string) => join(cache, 'kafka', v)
const home = mkdtempSync(join(tmpdir(), 'kafkit-bench-'))
const env: NodeJS.ProcessEnv = { ...process.env, KAFKIT_HOME: home, KAFKIT_CACHE: cache, NO_COLOR: '1' }
delete env.KAFKA_HOME

type Tool = 'kafkit' | 'kafka' | 'kcat'
interface Sample {
  ms: number
  rssKb: number
}
interface Row {
  scenario: string
  tool: Tool
  samples: Sample[]
  unitsPerRun?: number
  unit?: string
  bytesPerRun?: number
}
const rows: Row[] = []

// ---------- process helpers ----------

/** Runs a command under GNU time to get its peak RSS (the largest process it waited for, e.g. the JVM under a script). */
function timed(
  command: string,
  args: string[],
  options: { stdin?: string; stdout?: 'count' | 'capture' | 'ignore' } = {},
): Promise<Sample & { code: number; lines: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const rssFile = join(home, `rss-${process.hrtime.bigint()}`)
    const started = performance.now()
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let lines = 0
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.stdout === 'count') {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++
      } else if (options.stdout === 'capture') {
        stdout += chunk
      }
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      const rssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) || 0
      resolve({ ms, rssKb, code: code ?? -1, lines, stdout, stderr })
    })
    if (options.stdin) {
      createReadStream(options.stdin).pipe(child.stdin)
    } else {
      child.stdin.end()
    }
  })
}

const kafkit = (...args: string[]) => ({ command: process.execPath, args: [join(repo, 'bin', 'run.js'), ...args] })
const script = (name: string, ...args: string[]) => ({ command: join(distHome(version), 'bin', `${name}.sh`), args })
const kcat = (...args: string[]) => ({ command: 'kcat', args })
/** A Kafka tool class without a script in the Maven-assembled dist, with the heap its script would set. */
const runClass = (heap: string, main: string, ...args: string[]) => ({
  command: '/usr/bin/env',
  args: [`KAFKA_HEAP_OPTS=${heap}`, join(distHome(version), 'bin', 'kafka-run-class.sh'), main, ...args],
})

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function record(scenario: string, tool: Tool, sample: Sample, extra: Partial<Row> = {}): void {
  let row = rows.find((r) => r.scenario === scenario && r.tool === tool)
  if (!row) rows.push((row = { scenario, tool, samples: [], ...extra }))
  row.samples.push(sample)
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`result check failed: ${message}`)
}

// ---------- the broker under test ----------

let bootstrap = ''
const admin = () =>
  new kafkajs.Kafka({ brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING, clientId: 'bench' }).admin()

async function endOffsetSum(topic: string): Promise<number> {
  const a = admin()
  await a.connect()
  try {
    return (await a.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0)
  } finally {
    await a.disconnect()
  }
}

async function createTopic(topic: string, partitions: number): Promise<void> {
  const a = admin()
  await a.connect()
  try {
    await a.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true })
  } finally {
    await a.disconnect()
  }
}

function writeInput(path: string, withKeys: boolean): void {
  const out = openSync(path, 'w')
  const value = 'x'.repeat(100)
  const chunk: string[] = []
  for (let i = 0; i < records; i++) {
    // 100-byte records: the value is exactly 100 bytes; keyed lines add "k<i>:" before it.
    chunk.push(withKeys ? `k${i % 1000}:${value}` : value)
    if (chunk.length === 10_000) {
      writeSync(out, chunk.join('\n') + '\n')
      chunk.length = 0
    }
  }
  if (chunk.length) writeSync(out, chunk.join('\n') + '\n')
  closeSync(out)
}

// ---------- scenarios ----------

async function produceScenario(name: string, input: string, partitions: number, keyed: boolean): Promise<string[]> {
  const topics: string[] = []
  const order: Tool[] = ['kafkit', 'kafka', 'kcat']
  const total = runs + (warmup ? 1 : 0)
  for (let run = 0; run < total; run++) {
    for (const tool of order) {
      const topic = `${name.replace(/[^a-zA-Z0-9]+/g, '-')}-${tool}-${run}`
      await createTopic(topic, partitions)
      const keyProps = ['--property', 'parse.key=true', '--property', 'key.separator=:']
      const cmd =
        tool === 'kafkit'
          ? kafkit(
              'console-producer',
              '--bootstrap-server',
              bootstrap,
              '--topic',
              topic,
              '--request-required-acks',
              'all',
              ...(keyed ? keyProps : []),
            )
          : tool === 'kafka'
            ? script(
                'kafka-console-producer',
                '--bootstrap-server',
                bootstrap,
                '--topic',
                topic,
                '--producer-property',
                'acks=all',
                ...(keyed ? keyProps : []),
              )
            : kcat('-P', '-b', bootstrap, '-t', topic, '-X', 'acks=all', ...(keyed ? ['-K:'] : []))
      const result = await timed(cmd.command, cmd.args, { stdin: input })
      check(result.code === 0, `${tool} producer exited ${result.code}: ${result.stderr.slice(-500)}`)
      const count = await endOffsetSum(topic)
      check(count === records, `${tool} produced ${count} records to ${topic}, expected ${records}`)
      if (run >= (warmup ? 1 : 0))
        record(name, tool, result, { unitsPerRun: records, unit: 'records', bytesPerRun: records * 100 })
      topics.push(topic)
    }
  }
  return topics
}

async function consumeScenario(name: string, topic: string): Promise<void> {
  const total = runs + (warmup ? 1 : 0)
  for (let run = 0; run < total; run++) {
    for (const tool of ['kafkit', 'kafka', 'kcat'] as Tool[]) {
      const cmd =
        tool === 'kafkit'
          ? kafkit(
              'console-consumer',
              '--bootstrap-server',
              bootstrap,
              '--topic',
              topic,
              '--from-beginning',
              '--max-messages',
              String(records),
            )
          : tool === 'kafka'
            ? script(
                'kafka-console-consumer',
                '--bootstrap-server',
                bootstrap,
                '--topic',
                topic,
                '--from-beginning',
                '--max-messages',
                String(records),
              )
            : kcat('-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q')
      const result = await timed(cmd.command, cmd.args, { stdout: 'count' })
      check(result.code === 0, `${tool} consumer exited ${result.code}: ${result.stderr.slice(-500)}`)
      check(result.lines === records, `${tool} consumed ${result.lines} records, expected ${records}`)
      if (run >= (warmup ? 1 : 0)) record(name, tool, result, { unitsPerRun: records, unit: 'records' })
    }
  }
}

/** ProducerPerformance's (and producer-perf-test's) summary line: records, records/sec, then the latency percentiles. */
const perfTotal =
  /^(\d+) records sent, (\d+\.\d+) records\/sec .* ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$/m
/** ConsumerPerformance's (and consumer-perf-test's) data row: nMsg, nMsg.sec, then fetch.nMsg.sec (the group join left out). */
const consumerPerfRow = /^[^,]+, [^,]+, [\d.]+, [\d.]+, (\d+), ([\d.]+), \d+, \d+, [\d.]+, ([\d.]+)$/m

/**
 * producer-perf-test and consumer-perf-test against ProducerPerformance and ConsumerPerformance (their scripts'
 * heap, -Xmx512M): 100-byte records, no throttling, 1 partition. Two rows each: the whole process (wall clock) and
 * the rate the tool itself reports (its summary line), shown as the time that rate implies for N records.
 */
async function perfScenarios(): Promise<void> {
  const total = runs + (warmup ? 1 : 0)
  const topics: string[] = []
  for (let run = 0; run < total; run++) {
    for (const tool of ['kafkit', 'kafka'] as Tool[]) {
      const topic = `perf-${tool}-${run}`
      await createTopic(topic, 1)
      const flags = ['--topic', topic, '--num-records', String(records), '--record-size', '100', '--throughput', '-1']
      const cmd =
        tool === 'kafkit'
          ? kafkit('producer-perf-test', '--bootstrap-server', bootstrap, ...flags)
          : runClass(
              '-Xmx512M',
              'org.apache.kafka.tools.ProducerPerformance',
              '--bootstrap-server',
              bootstrap,
              ...flags,
            )
      const result = await timed(cmd.command, cmd.args, { stdout: 'capture' })
      check(result.code === 0, `${tool} producer perf test exited ${result.code}: ${result.stderr.slice(-500)}`)
      const summary = perfTotal.exec(result.stdout)
      check(
        summary !== null && Number(summary[1]) === records,
        `${tool} producer perf summary: ${result.stdout.slice(-300)}`,
      )
      const count = await endOffsetSum(topic)
      check(count === records, `${tool} produced ${count} records to ${topic}, expected ${records}`)
      topics.push(topic)
      if (run < (warmup ? 1 : 0)) continue
      const extra = { unitsPerRun: records, unit: 'records', bytesPerRun: records * 100 }
      record('producer-perf-test 1p (wall clock)', tool, result, extra)
      record(
        'producer-perf-test 1p (reported rate)',
        tool,
        { ms: (records / Number(summary![2])) * 1000, rssKb: result.rssKb },
        extra,
      )
      process.stderr.write(`  ${tool}: ${summary![0]}\n`)
    }
  }
  for (let run = 0; run < total; run++) {
    for (const tool of ['kafkit', 'kafka'] as Tool[]) {
      // A generous --timeout: it counts from the start, and the Java consumer's group join alone can take seconds.
      const flags = ['--topic', topics[0]!, '--num-records', String(records), '--timeout', '60000']
      const cmd =
        tool === 'kafkit'
          ? kafkit('consumer-perf-test', '--bootstrap-server', bootstrap, ...flags)
          : runClass(
              '-Xmx512M',
              'org.apache.kafka.tools.ConsumerPerformance',
              '--bootstrap-server',
              bootstrap,
              ...flags,
            )
      const result = await timed(cmd.command, cmd.args, { stdout: 'capture' })
      check(result.code === 0, `${tool} consumer perf test exited ${result.code}: ${result.stderr.slice(-500)}`)
      const stats = consumerPerfRow.exec(result.stdout)
      check(stats !== null && Number(stats[1]) === records, `${tool} consumer perf row: ${result.stdout.slice(-300)}`)
      if (run < (warmup ? 1 : 0)) continue
      const extra = { unitsPerRun: records, unit: 'records', bytesPerRun: records * 100 }
      record('consumer-perf-test (wall clock)', tool, result, extra)
      // nMsg.sec: records over the whole run, the Java tool's group join included (fetch.nMsg.sec leaves it out).
      record(
        'consumer-perf-test (reported nMsg.sec)',
        tool,
        { ms: (records / Number(stats![2])) * 1000, rssKb: 0 },
        extra,
      )
      record(
        'consumer-perf-test (reported fetch.nMsg.sec)',
        tool,
        { ms: (records / Number(stats![3])) * 1000, rssKb: 0 },
        extra,
      )
    }
  }
}

async function metadataScenarios(topic: string, group: string): Promise<void> {
  const scenarios: Array<{
    name: string
    tools: Partial<Record<Tool, { command: string; args: string[] }>>
    expect: RegExp
  }> = [
    {
      name: 'topics --list',
      tools: {
        kafkit: kafkit('topics', '--bootstrap-server', bootstrap, '--list'),
        kafka: script('kafka-topics', '--bootstrap-server', bootstrap, '--list'),
        kcat: kcat('-L', '-b', bootstrap),
      },
      expect: new RegExp(topic),
    },
    {
      name: 'topics --describe',
      tools: {
        kafkit: kafkit('topics', '--bootstrap-server', bootstrap, '--describe', '--topic', topic),
        kafka: script('kafka-topics', '--bootstrap-server', bootstrap, '--describe', '--topic', topic),
        kcat: kcat('-L', '-b', bootstrap, '-t', topic),
      },
      expect: /Partition/i,
    },
    {
      name: 'consumer-groups --describe',
      tools: {
        kafkit: kafkit('consumer-groups', '--bootstrap-server', bootstrap, '--describe', '--group', group),
        kafka: script('kafka-consumer-groups', '--bootstrap-server', bootstrap, '--describe', '--group', group),
      },
      expect: new RegExp(group),
    },
    {
      name: 'get-offsets',
      tools: {
        kafkit: kafkit('get-offsets', '--bootstrap-server', bootstrap, '--topic', topic),
        kafka: script('kafka-get-offsets', '--bootstrap-server', bootstrap, '--topic', topic),
        kcat: kcat('-Q', '-b', bootstrap, '-t', `${topic}:0:-1`),
      },
      expect: new RegExp(String(records)),
    },
  ]
  const total = Math.max(runs, quick ? 1 : 5) + (warmup ? 1 : 0)
  for (const scenario of scenarios) {
    for (let run = 0; run < total; run++) {
      for (const [tool, cmd] of Object.entries(scenario.tools) as Array<[Tool, { command: string; args: string[] }]>) {
        const output: string[] = []
        const result = await new Promise<Sample & { code: number }>((resolve) => {
          const started = performance.now()
          const child = spawn(cmd.command, cmd.args, { env })
          child.stdout.on('data', (d) => output.push(String(d)))
          child.on('close', (code) => resolve({ ms: performance.now() - started, rssKb: 0, code: code ?? -1 }))
        })
        check(result.code === 0, `${tool} ${scenario.name} exited ${result.code}`)
        check(scenario.expect.test(output.join('')), `${tool} ${scenario.name} output lacks ${scenario.expect}`)
        if (run >= (warmup ? 1 : 0)) record(scenario.name, tool, result)
      }
    }
  }
}

/**
 * Start-up alone: --version and --help (no broker), 20 runs each (the first after a build is the coldest we get without
 * root-only cache drops, reported on its own), kafkit's --version against kafka-topics.sh --version (a JVM start).
 */
async function cliStartScenarios(): Promise<void> {
  const scenarios: Array<{
    name: string
    tools: Partial<Record<Tool, { command: string; args: string[] }>>
    expect: RegExp
  }> = [
    {
      name: '--version',
      tools: { kafkit: kafkit('--version'), kafka: script('kafka-topics', '--version') },
      expect: /\d+\.\d+\.\d+/,
    },
    { name: '--help', tools: { kafkit: kafkit('--help') }, expect: /USAGE/ },
  ]
  const total = Math.max(runs, quick ? 3 : 20) + 1
  for (const scenario of scenarios) {
    for (let run = 0; run < total; run++) {
      for (const [tool, cmd] of Object.entries(scenario.tools) as Array<[Tool, { command: string; args: string[] }]>) {
        const result = await timed(cmd.command, cmd.args, { stdout: 'capture' })
        check(result.code === 0, `${tool} ${scenario.name} exited ${result.code}: ${result.stderr.slice(-300)}`)
        check(scenario.expect.test(result.stdout), `${tool} ${scenario.name} output lacks ${scenario.expect}`)
        if (run === 0 && tool === 'kafkit') record(`${scenario.name} (first run after the build)`, tool, result)
        else if (run > 0) record(scenario.name, tool, result)
      }
    }
  }
}

async function waitForMetadata(server: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const a = new kafkajs.Kafka({
        brokers: [server],
        logLevel: kafkajs.logLevel.NOTHING,
        retry: { retries: 0 },
        connectionTimeout: 500,
      }).admin()
      await a.connect()
      const cluster = await a.describeCluster()
      await a.disconnect()
      if (cluster.brokers.length > 0) return
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no Metadata answer from ${server}`)
}

/** The embedded runtime (a Node process, issue 15) from a stopped stack to ready, and down; no script to compare. */
async function embeddedStartScenario(port: number): Promise<void> {
  const stack = 'start-embedded'
  const up = kafkit(
    'up',
    '--stack',
    stack,
    '--runtime',
    'embedded',
    '--port',
    String(port),
    '--controller-port',
    String(port + 1),
  )
  const down = kafkit('down', '--stack', stack)
  // A warm-up, as for the JVM runtimes: the first up also creates the stack's directories.
  const first = await timed(up.command, up.args)
  check(first.code === 0, `kafkit up --runtime embedded failed: ${first.stderr.slice(-800)}`)
  await timed(down.command, down.args)
  for (let run = 0; run < Math.max(1, Math.min(runs, 5)); run++) {
    const started = await timed(up.command, up.args)
    check(started.code === 0, `kafkit up --runtime embedded failed: ${started.stderr.slice(-800)}`)
    record('up to ready (embedded)', 'kafkit', started)
    const stopped = await timed(down.command, down.args)
    check(stopped.code === 0, 'kafkit down --stack start-embedded failed')
    record('down (embedded)', 'kafkit', stopped)
  }
  const purge = kafkit('purge', '--stack', stack, '--force')
  await timed(purge.command, purge.args)
}

async function stackStartScenario(stackMode: 'kraft' | 'zookeeper', stackVersion: string, port: number): Promise<void> {
  const label = `${stackMode === 'kraft' ? 'KRaft' : 'ZooKeeper'} ${stackVersion}`
  const stack = `start-${stackMode}`
  const up = kafkit(
    'up',
    '--stack',
    stack,
    '--runtime',
    'dist',
    '--mode',
    stackMode,
    '--version',
    stackVersion,
    '--port',
    String(port),
    '--controller-port',
    String(port + 1),
    '--zookeeper-port',
    String(port + 2),
  )
  const first = await timed(up.command, up.args)
  check(first.code === 0, `kafkit up failed: ${first.stderr.slice(-800)}`)
  const down = kafkit('down', '--stack', stack)
  await timed(down.command, down.args)
  const stackConfig = join(home, 'stacks', stack, 'config')
  // The first up/down above is a warm-up (it also makes the JVM class-data archives kafkit keeps in its cache).
  for (let run = 0; run < Math.max(1, Math.min(runs, 5)); run++) {
    // kafkit: a stopped, formatted stack to ready.
    const started = await timed(up.command, up.args)
    check(started.code === 0, `kafkit up failed: ${started.stderr.slice(-800)}`)
    record(`up to ready (${label})`, 'kafkit', started)
    const stopped = await timed(down.command, down.args)
    check(stopped.code === 0, 'kafkit down failed')
    record(`down (${label})`, 'kafkit', stopped)
    // Kafka's scripts on the very same (formatted) configs and data.
    const t0 = performance.now()
    const processes = []
    if (stackMode === 'zookeeper') {
      processes.push(
        spawn(
          join(distHome(stackVersion), 'bin', 'zookeeper-server-start.sh'),
          [join(stackConfig, 'zookeeper.properties')],
          { env, stdio: 'ignore' },
        ),
      )
    }
    const brokerConfig = join(stackConfig, stackMode === 'kraft' ? 'kafka-1.properties' : 'broker-1.properties')
    processes.push(
      spawn(join(distHome(stackVersion), 'bin', 'kafka-server-start.sh'), [brokerConfig], {
        env,
        stdio: 'ignore',
        detached: true,
      }),
    )
    await waitForMetadata(`127.0.0.1:${port}`, Date.now() + 120_000)
    record(`up to ready (${label})`, 'kafka', { ms: performance.now() - t0, rssKb: 0 })
    // kafka-server-stop.sh sends SIGTERM and returns at once (and the Maven-assembled dists have none); `kafkit down`
    // returns when the processes are gone, so both sides are timed from the signal to the JVM's exit.
    const t1 = performance.now()
    for (const child of processes.reverse()) {
      const exited = new Promise((r) => child.once('close', r))
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        child.kill('SIGTERM')
      }
      await exited
    }
    record(`down (${label})`, 'kafka', { ms: performance.now() - t1, rssKb: 0 })
    if (stackMode === 'kraft') await newStackRun(label, port, join(stackConfig, 'kafka-1.properties'), stackVersion)
  }
  const purge = kafkit('purge', '--stack', stack, '--force')
  await timed(purge.command, purge.args)
}

/**
 * A stack that does not exist yet, to ready: kafkit creates, formats and starts it; the scripts' way is
 * `kafka-storage format` and then `kafka-server-start`, on a copy of the (stopped) stack's config, so on its ports,
 * with empty log dirs.
 */
async function newStackRun(label: string, port: number, templateConfig: string, stackVersion: string): Promise<void> {
  const stack = 'start-new'
  const up = kafkit(
    'up',
    '--stack',
    stack,
    '--runtime',
    'dist',
    '--mode',
    'kraft',
    '--version',
    stackVersion,
    '--port',
    String(port + 5),
    '--controller-port',
    String(port + 6),
  )
  const started = await timed(up.command, up.args)
  check(started.code === 0, `kafkit up (new stack) failed: ${started.stderr.slice(-800)}`)
  record(`up, new stack: format and start (${label})`, 'kafkit', started)
  const purge = kafkit('purge', '--stack', stack, '--force')
  check((await timed(purge.command, purge.args)).code === 0, 'kafkit purge failed')
  const dataDir = mkdtempSync(join(home, 'raw-data-'))
  const config = join(home, 'raw-new.properties')
  writeFileSync(config, readFileSync(templateConfig, 'utf8').replace(/^log\.dirs=.*$/m, `log.dirs=${dataDir}`))
  const t0 = performance.now()
  const format = await timed(join(distHome(stackVersion), 'bin', 'kafka-storage.sh'), [
    'format',
    '-t',
    'bench-new-stack-000000',
    '-c',
    config,
  ])
  check(format.code === 0, `kafka-storage format failed: ${format.stderr.slice(-400)}`)
  const child = spawn(join(distHome(stackVersion), 'bin', 'kafka-server-start.sh'), [config], {
    env,
    stdio: 'ignore',
    detached: true,
  })
  await waitForMetadata(`127.0.0.1:${port}`, Date.now() + 120_000)
  record(`up, new stack: format and start (${label})`, 'kafka', { ms: performance.now() - t0, rssKb: 0 })
  const exited = new Promise((r) => child.once('close', r))
  try {
    process.kill(-child.pid!, 'SIGTERM')
  } catch {
    child.kill('SIGTERM')
  }
  await exited
  rmSync(dataDir, { recursive: true, force: true })
}

// ---------- the embedded broker against real Kafka (issue 15) ----------

interface Figure {
  measure: string
  embedded: number
  /** The same measure on Kafka (absent where Kafka has no counterpart, e.g. starting in-process). */
  real?: number
  unit: 'ms' | 'MB' | 'rec/s'
  /** The issue's target, checked on the embedded figure (or on the embedded/real ratio for throughput). */
  target?: { below?: number; ratioAtLeast?: number }
}
const figures: Figure[] = []

/** The resident memory of a process and its descendants (the stack's broker: Node or the JVM), in MB. */
function treeRssMb(pid: number): number {
  let kb = 0
  const pending = [pid]
  while (pending.length > 0) {
    const current = pending.pop()!
    try {
      kb += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${current}/status`, 'utf8'))?.[1] ?? 0)
      for (const task of readdirSync(`/proc/${current}/task`)) {
        const children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8').trim()
        if (children) pending.push(...children.split(' ').map(Number))
      }
    } catch {
      // gone
    }
  }
  return kb / 1024
}

/**
 * startKafka() from the package (`kafkit/embedded`, dist/embedded-api.js): in a fresh Node process each run, as a test
 * suite starts it (the module's import timed apart), and warm, many times in this process (in memory and with a
 * data directory).
 */
async function inProcessStartScenario(): Promise<void> {
  const probe = `const t0 = performance.now()
const { startKafka } = await import('kafkit/embedded')
const t1 = performance.now()
const kafka = await startKafka({ port: 0 })
const t2 = performance.now()
process.stdout.write(JSON.stringify({ importMs: t1 - t0, startMs: t2 - t1, sinceNodeStartMs: t2 }))
await kafka.stop()`
  const cold: Array<{ importMs: number; startMs: number; sinceNodeStartMs: number }> = []
  const coldRuns = quick ? 3 : 10
  for (let run = 0; run < coldRuns + 1; run++) {
    // The package's self-reference resolves from the working directory (the repository) for --eval.
    const result = spawnSync(process.execPath, ['--input-type=module', '--eval', probe], {
      cwd: repo,
      encoding: 'utf8',
    })
    check(result.status === 0, `startKafka probe failed: ${result.stderr}`)
    if (run > 0) cold.push(JSON.parse(result.stdout))
  }
  const med = (pick: (c: (typeof cold)[number]) => number) => median(cold.map(pick))
  figures.push(
    {
      measure: 'startKafka() to ready, fresh Node',
      embedded: med((c) => c.startMs),
      unit: 'ms',
      target: { below: 100 },
    },
    {
      measure: "import('kafkit/embedded') + startKafka()",
      embedded: med((c) => c.importMs + c.startMs),
      unit: 'ms',
      target: { below: 100 },
    },
    { measure: 'Node process start to ready (in-process API)', embedded: med((c) => c.sinceNodeStartMs), unit: 'ms' },
  )
  const specifier = 'kafkit/embedded'
  const { startKafka } = (await import(specifier)) as typeof import('../src/embedded/index.js')
  for (const withData of [false, true]) {
    const samples: number[] = []
    for (let run = 0; run < (quick ? 5 : 20); run++) {
      const dataDir = withData ? mkdtempSync(join(home, 'in-process-')) : undefined
      const t0 = performance.now()
      const kafka = await startKafka({ port: 0, dataDir })
      samples.push(performance.now() - t0)
      await kafka.stop()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    }
    figures.push({
      measure: `startKafka(${withData ? '{ dataDir }' : ''}) to ready, warm`,
      embedded: median(samples.slice(1)),
      unit: 'ms',
      target: { below: 100 },
    })
  }
}

/**
 * One embedded and one Kafka ${version} stack side by side (the same machine, the same moment): `up` to ready, idle
 * RSS of the broker process, then produce and consume throughput with the same clients and the same records on both,
 * alternating the brokers run by run. The clients: Kafka's ProducerPerformance and ConsumerPerformance (the rates
 * they report; the consumer's without its group join) and kcat (wall clock, 100-byte values from a file, acks=all).
 */
async function embeddedVersusRealScenario(port: number): Promise<void> {
  const brokers = [
    { name: 'embedded', runtime: 'embedded', stack: 'bench-embedded', port },
    { name: 'real', runtime: 'dist', stack: 'bench-real', port: port + 5 },
  ] as const
  const state = new Map<string, { bootstrap: string; pid: number; upMs: number; idleMb: number }>()
  const input = join(home, 'versus.txt')
  writeInput(input, false)
  try {
    for (const b of brokers) {
      const upArgs = [
        'up',
        '--stack',
        b.stack,
        '--runtime',
        b.runtime,
        ...(b.runtime === 'dist' ? ['--version', version] : []),
        '--port',
        String(b.port),
        '--controller-port',
        String(b.port + 1),
        '--json',
      ]
      // The first up creates (and for Kafka formats) the stack; the second, timed, starts a stopped one.
      const upCommand = kafkit(...upArgs)
      const first = await timed(upCommand.command, upCommand.args, { stdout: 'capture' })
      check(first.code === 0, `up ${b.stack} failed: ${first.stderr.slice(-800)}`)
      const down = kafkit('down', '--stack', b.stack)
      check((await timed(down.command, down.args)).code === 0, `down ${b.stack} failed`)
      const up = await timed(upCommand.command, upCommand.args, { stdout: 'capture' })
      check(up.code === 0, `up ${b.stack} failed: ${up.stderr.slice(-800)}`)
      const result = JSON.parse(up.stdout) as { bootstrapServers: string; nodes: Array<{ pid: number | null }> }
      const pid = result.nodes[0]?.pid
      check(typeof pid === 'number', `no broker pid in ${up.stdout}`)
      state.set(b.name, { bootstrap: result.bootstrapServers, pid: pid!, upMs: up.ms, idleMb: 0 })
    }
    // Idle: both up, no client, a moment after ready (the JVM settles its heap in the first seconds).
    await new Promise((r) => setTimeout(r, 3000))
    for (const s of state.values()) s.idleMb = treeRssMb(s.pid)
    const embedded = state.get('embedded')!
    const real = state.get('real')!
    const upEmbedded = rows.find((r) => r.scenario === 'up to ready (embedded)')
    figures.push(
      {
        measure: '`kafkit up` to ready (a stopped stack)',
        embedded: upEmbedded ? median(upEmbedded.samples.map((x) => x.ms)) : embedded.upMs,
        real: real.upMs,
        unit: 'ms',
        target: { below: 300 },
      },
      { measure: 'broker RSS, idle', embedded: embedded.idleMb, real: real.idleMb, unit: 'MB', target: { below: 100 } },
    )

    const rates = new Map<string, { embedded: number[]; real: number[] }>()
    const note = (measure: string, broker: 'embedded' | 'real', recordsPerSecond: number) => {
      if (!rates.has(measure)) rates.set(measure, { embedded: [], real: [] })
      rates.get(measure)![broker].push(recordsPerSecond)
    }
    const total = runs + (warmup ? 1 : 0)
    for (let run = 0; run < total; run++) {
      const counted = run >= (warmup ? 1 : 0)
      for (const b of brokers) {
        const server = state.get(b.name)!.bootstrap
        bootstrap = server
        const perfTopic = `versus-perf-${run}`
        const kcatTopic = `versus-kcat-${run}`
        await createTopic(perfTopic, 1)
        await createTopic(kcatTopic, 1)
        // --quick (CI keeps the harness from rotting) leaves out the Java clients: four JVM starts.
        let javaRates: { produced: number; fetched: number } | undefined
        if (!quick) {
          const flags = ['--topic', perfTopic, '--num-records', String(records), '--record-size', '100']
          const producer = runClass(
            '-Xmx512M',
            'org.apache.kafka.tools.ProducerPerformance',
            '--bootstrap-server',
            server,
            ...flags,
            '--throughput',
            '-1',
          )
          const produced = await timed(producer.command, producer.args, { stdout: 'capture' })
          const summary = perfTotal.exec(produced.stdout)
          check(
            produced.code === 0 && summary !== null,
            `ProducerPerformance on ${b.name}: ${produced.stderr.slice(-500)}`,
          )
          check((await endOffsetSum(perfTopic)) === records, `ProducerPerformance on ${b.name}: record count`)
          const consumer = runClass(
            '-Xmx512M',
            'org.apache.kafka.tools.ConsumerPerformance',
            '--bootstrap-server',
            server,
            '--topic',
            perfTopic,
            '--num-records',
            String(records),
            '--timeout',
            '60000',
          )
          const consumed = await timed(consumer.command, consumer.args, { stdout: 'capture' })
          const stats = consumerPerfRow.exec(consumed.stdout)
          check(
            consumed.code === 0 && stats !== null && Number(stats[1]) === records,
            `ConsumerPerformance on ${b.name}: ${consumed.stdout.slice(-300)} ${consumed.stderr.slice(-300)}`,
          )
          javaRates = { produced: Number(summary![2]), fetched: Number(stats![3]) }
        }
        const put = kcat('-P', '-b', server, '-t', kcatTopic, '-X', 'acks=all')
        const kcatProduced = await timed(put.command, put.args, { stdin: input })
        check(kcatProduced.code === 0, `kcat -P on ${b.name}: ${kcatProduced.stderr.slice(-500)}`)
        check((await endOffsetSum(kcatTopic)) === records, `kcat -P on ${b.name}: record count`)
        const get = kcat('-C', '-b', server, '-t', kcatTopic, '-o', 'beginning', '-e', '-q')
        const kcatConsumed = await timed(get.command, get.args, { stdout: 'count' })
        check(kcatConsumed.code === 0 && kcatConsumed.lines === records, `kcat -C on ${b.name}: ${kcatConsumed.lines}`)
        if (!counted) continue
        if (javaRates) {
          note('ProducerPerformance (reported records/sec)', b.name, javaRates.produced)
          note('ConsumerPerformance (reported fetch.nMsg.sec)', b.name, javaRates.fetched)
        }
        note('kcat -P, acks=all (wall clock)', b.name, records / (kcatProduced.ms / 1000))
        note('kcat -C to the end (wall clock)', b.name, records / (kcatConsumed.ms / 1000))
        process.stderr.write(
          `  ${b.name}: kcat -P ${Math.round(kcatProduced.ms)} ms, kcat -C ${Math.round(kcatConsumed.ms)} ms\n`,
        )
      }
    }
    for (const [measure, r] of rates)
      figures.push({
        measure,
        embedded: median(r.embedded),
        real: median(r.real),
        unit: 'rec/s',
        target: { ratioAtLeast: 1 },
      })
    figures.push({
      measure: 'broker RSS after the throughput runs',
      embedded: treeRssMb(embedded.pid),
      real: treeRssMb(real.pid),
      unit: 'MB',
    })
  } finally {
    for (const b of brokers) {
      const purge = kafkit('purge', '--stack', b.stack, '--force')
      await timed(purge.command, purge.args)
    }
  }
}

async function embeddedScenarios(port: number): Promise<void> {
  process.stderr.write('› embedded broker: in-process start\n')
  await inProcessStartScenario()
  if (!rows.some((r) => r.scenario === 'up to ready (embedded)')) await embeddedStartScenario(port)
  process.stderr.write(`› embedded broker against Kafka ${version}: up, idle RSS, throughput\n`)
  await embeddedVersusRealScenario(port + 10)
}

function reportFigures(): void {
  if (figures.length === 0) return
  const show = (value: number | undefined, unit: Figure['unit']) =>
    value === undefined
      ? ''
      : unit === 'rec/s'
        ? `${Math.round(value).toLocaleString('en-US')} rec/s, ${((value * 100) / 1e6).toFixed(1)} MB/s`
        : `${unit === 'ms' && value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`
  const header = ['embedded vs Kafka', 'embedded', `Kafka ${version}`, 'embedded / Kafka', 'target', 'met']
  const table = figures.map((f) => {
    const ratio = f.real ? f.embedded / f.real : undefined
    const target = f.target?.below
      ? `< ${f.target.below} ${f.unit}`
      : f.target?.ratioAtLeast
        ? `ratio >= ${f.target.ratioAtLeast}`
        : ''
    const met = f.target?.below
      ? f.embedded < f.target.below
      : f.target?.ratioAtLeast && ratio !== undefined
        ? ratio >= f.target.ratioAtLeast
        : undefined
    return [
      f.measure,
      show(f.embedded, f.unit),
      show(f.real, f.unit),
      ratio === undefined ? '' : ratio.toFixed(2),
      target,
      met === undefined ? '' : met ? 'yes' : 'NO',
    ]
  })
  process.stdout.write(
    `\n${markdownTable(header, table).join('\n')}\n` +
      `(throughput: ${records.toLocaleString('en-US')} records of 100 bytes, 1 partition, median of ${runs} run(s); MB/s = records/s x 100 B)\n`,
  )
}

// ---------- report ----------

/** A Markdown table with padded columns, one string a line: the header, the rule, the rows. */
function markdownTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)]
}

function versionOf(command: string, args: string[], pattern = /version/i): string {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  const lines = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  return lines.find((l) => pattern.test(l)) ?? lines[0] ?? 'unknown'
}

function report(): void {
  const scenarios = [...new Set(rows.map((r) => r.scenario))]
  const fmt = (ms: number) =>
    ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`
  const lines: string[] = []
  const header = ['scenario', 'tool', 'median', 'min-max', 'rate', 'peak RSS', 'kafkit time / this']
  const table: string[][] = []
  for (const scenario of scenarios) {
    const ours = rows.find((r) => r.scenario === scenario && r.tool === 'kafkit')
    for (const row of rows.filter((r) => r.scenario === scenario)) {
      const ms = row.samples.map((s) => s.ms)
      const med = median(ms)
      const rate = row.unitsPerRun
        ? `${Math.round(row.unitsPerRun / (med / 1000)).toLocaleString('en-US')} rec/s${row.bytesPerRun ? `, ${(row.bytesPerRun / 1e6 / (med / 1000)).toFixed(1)} MB/s` : ''}`
        : ''
      const rss = Math.max(...row.samples.map((s) => s.rssKb))
      const ourMedian = ours ? median(ours.samples.map((s) => s.ms)) : 0
      const ratio =
        ours && row !== ours
          ? `${(ourMedian / med).toFixed(2)} (${ourMedian <= med ? `${(med / ourMedian).toFixed(1)}x faster` : `${(ourMedian / med).toFixed(1)}x slower`})`
          : ''
      table.push([
        scenario,
        row.tool,
        fmt(med),
        `${fmt(Math.min(...ms))}-${fmt(Math.max(...ms))}`,
        rate,
        rss ? `${Math.round(rss / 1024)} MB` : '',
        ratio,
      ])
    }
  }
  lines.push(...markdownTable(header, table))
  process.stdout.write(`${lines.join('\n')}\n`)
  reportFigures()
}

async function main(): Promise<void> {
  for (const v of [version, ...(quick ? [] : ['3.9.2'])]) {
    if (!existsSync(join(distHome(v), 'libs')))
      throw new Error(`Kafka ${v} is not in ${cache}: run bash scripts/fetch-kafka.sh first`)
  }
  if (!existsSync(join(repo, 'dist'))) throw new Error('Run npm run build first')
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  if (only === 'embedded') {
    await embeddedScenarios(port + 30)
    report()
    writeResults()
    return
  }
  if (only === 'stack') {
    process.stderr.write('› stack start\n')
    await stackStartScenario('kraft', version, port + 10)
    await embeddedStartScenario(port + 30)
    if (!quick) await stackStartScenario('zookeeper', '3.9.2', port + 20)
    report()
    writeResults()
    return
  }
  process.stderr.write(
    `kafkit bench: Kafka ${version} ${mode}, ${records.toLocaleString('en-US')} records, ${runs} run(s)${warmup ? ' after a warm-up' : ''}\n`,
  )
  const up = kafkit(
    'up',
    '--stack',
    'bench',
    '--runtime',
    'dist',
    '--mode',
    mode,
    '--version',
    version,
    '--port',
    String(port),
    '--controller-port',
    String(port + 1),
    '--zookeeper-port',
    String(port + 2),
    '--json',
  )
  const started = await timed(up.command, up.args)
  check(started.code === 0, `kafkit up failed: ${started.stderr}`)
  bootstrap = `127.0.0.1:${port}`
  if (only === 'perf') {
    try {
      process.stderr.write('› perf tests\n')
      await perfScenarios()
    } finally {
      const down = kafkit('purge', '--stack', 'bench', '--force')
      await timed(down.command, down.args)
    }
    report()
    writeResults()
    return
  }
  try {
    const plain = join(home, 'plain.txt')
    const keyed = join(home, 'keyed.txt')
    writeInput(plain, false)
    writeInput(keyed, true)
    process.stderr.write('› produce (1 partition)\n')
    const produced = await produceScenario('produce 1p', plain, 1, false)
    if (only !== 'commands') {
      process.stderr.write('› produce with keys (6 partitions)\n')
      await produceScenario('produce keyed 6p', keyed, 6, true)
      process.stderr.write('› consume\n')
      await consumeScenario('consume to end', produced[0]!)
      process.stderr.write('› perf tests\n')
      await perfScenarios()
    }
    // A group with lag for consumer-groups --describe: half of the topic committed.
    const group = 'bench-group'
    const a = admin()
    await a.connect()
    await a.setOffsets({
      groupId: group,
      topic: produced[0]!,
      partitions: [{ partition: 0, offset: String(Math.floor(records / 2)) }],
    })
    await a.disconnect()
    process.stderr.write('› metadata commands\n')
    await metadataScenarios(produced[0]!, group)
  } finally {
    const down = kafkit('purge', '--stack', 'bench', '--force')
    await timed(down.command, down.args)
  }
  process.stderr.write('› CLI start\n')
  await cliStartScenarios()
  if (only !== 'commands') {
    process.stderr.write('› stack start\n')
    await stackStartScenario('kraft', version, port + 10)
    await embeddedStartScenario(port + 30)
    if (!quick) await stackStartScenario('zookeeper', '3.9.2', port + 20)
    await embeddedScenarios(port + 30)
  }
  report()
  writeResults()
}

/** The machine's details and every sample, as JSON in bench/results/. */
function writeResults(): void {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    java: versionOf('java', ['-version']),
    kafka: version,
    kcat: versionOf('kcat', ['-V']),
    quick,
    records,
    runs,
  }
  const resultsDir = join(repo, 'bench', 'results')
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`)
  const json = {
    machine,
    results: rows.map((r) => ({
      scenario: r.scenario,
      tool: r.tool,
      medianMs: median(r.samples.map((s) => s.ms)),
      minMs: Math.min(...r.samples.map((s) => s.ms)),
      maxMs: Math.max(...r.samples.map((s) => s.ms)),
      peakRssKb: Math.max(...r.samples.map((s) => s.rssKb)),
      samples: r.samples,
      ...(r.unitsPerRun ? { recordsPerSecond: r.unitsPerRun / (median(r.samples.map((s) => s.ms)) / 1000) } : {}),
    })),
    embeddedVsKafka: figures,
  }
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`)
  process.stdout.write(`\n${JSON.stringify(machine)}\nJSON: ${file}\n`)
}

main().then(
  () => rmSync(home, { recursive: true, force: true }),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
    rmSync(home, { recursive: true, force: true })
    process.exitCode = 1
  },
)
