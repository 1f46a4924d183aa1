/**
 * End-to-end helpers: run the BUILT kafkit CLI as a user would, in an isolated KAFKIT_HOME, and check
 * results with independent clients (kafkajs used directly here, kcat, Kafka's own Java tools).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, type TestContext } from 'node:test'
import kafkajs from 'kafkajs'

export const repoRoot = new URL('../..', import.meta.url).pathname
export const cacheDir = process.env.KAFKIT_CACHE ?? join(repoRoot, '.cache')
export const KAFKA_3 = process.env.KAFKIT_TEST_KAFKA_3 ?? '3.9.2'
export const KAFKA_4 = process.env.KAFKIT_TEST_KAFKA_4 ?? '4.4.0'
export const distHome = (version: string) => join(cacheDir, 'kafka', version)

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export interface Sandbox {
  home: string
  env: NodeJS.ProcessEnv
  kafkit(args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string }): Promise<Run>
  cleanup(): Promise<void>
}

/** A private KAFKIT_HOME sharing the test Kafka distributions in .cache (so nothing is downloaded). */
export function sandbox(): Sandbox {
  const home = mkdtempSync(join(tmpdir(), 'kafkit-test-'))
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKIT_HOME: home, KAFKIT_CACHE: cacheDir, NO_COLOR: '1' }
  delete env.KAFKA_HOME
  delete env.KAFKIT_BOOTSTRAP_SERVER
  delete env.KAFKIT_STACK
  const box: Sandbox = {
    home,
    env,
    kafkit: (args, options = {}) =>
      runNode(
        [join(repoRoot, 'bin', 'run.js'), ...args],
        { ...env, ...options.env },
        options.timeoutMs ?? 180_000,
        options.input,
      ),
    async cleanup() {
      // Stop whatever a failed test left running in this sandbox, then delete it.
      const list = await box.kafkit(['doctor', '--json']).catch(() => undefined)
      const stacks: string[] = list ? (JSON.parse(list.stdout || '{}').stacks ?? []) : []
      for (const stack of stacks) await box.kafkit(['purge', '--force', '--stack', stack])
      rmSync(home, { recursive: true, force: true })
    },
  }
  return box
}

export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, input?: string): Promise<Run> {
  return run(process.execPath, args, env, timeoutMs, input)
}

export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 120_000,
  input?: string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out after ${timeoutMs}ms: ${command} ${args.join(' ')}\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
    // A child that exits without reading its stdin (mkfifo, python -c) makes the write fail with EPIPE: its exit
    // code and output are what count, so that is no error.
    child.stdin.on('error', () => {})
    child.stdin.end(input ?? '')
  })
}

export function json<T = any>(result: Run): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}

/**
 * A block of `count` consecutive free ports on 127.0.0.1, so parallel stacks never collide. Below Linux's ephemeral
 * range (32768+): a client retrying a stopped broker there can connect to itself and hold the port the broker needs.
 */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000)
    let ok = true
    for (let i = 0; i < count && ok; i++) ok = await isFree(base + i)
    if (ok) return base
  }
  throw new Error('no free port block')
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

/** An independent Kafka client: kafkajs used directly by the test, not through kafkit's client module. */
export function kafkaClient(bootstrap: string) {
  return new kafkajs.Kafka({
    clientId: 'kafkit-e2e',
    brokers: bootstrap.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 200 },
  })
}

/**
 * Idempotent on purpose: a plain kafkajs producer may write a batch twice when it retries on a busy machine,
 * which would make record counts in tests flaky.
 */
export async function produce(bootstrap: string, topic: string, values: string[]): Promise<void> {
  const producer = kafkaClient(bootstrap).producer({
    allowAutoTopicCreation: true,
    idempotent: true,
    maxInFlightRequests: 1,
  })
  await producer.connect()
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) })
  } finally {
    await producer.disconnect()
  }
}

/** Reads a topic from the beginning to its end with kcat (librdkafka), a client that shares no code with kafkit. */
export async function kcatConsume(bootstrap: string, topic: string): Promise<string[]> {
  const result = await run(
    'kcat',
    ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\\n'],
    process.env,
    60_000,
  )
  if (result.code !== 0) throw new Error(`kcat failed: ${result.stderr}`)
  return result.stdout.split('\n').filter(Boolean)
}

export function execText(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { env, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  )
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `check` until it returns a truthy value or the timeout passes (then throws with the last error). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  label = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    await sleep(250)
  }
  throw new Error(
    `${label} not reached in ${timeoutMs}ms${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`,
  )
}

/**
 * The backend the e2e suites' stacks run on. `KAFKIT_TEST_RUNTIME=embedded` runs them on kafkit's embedded broker
 * (`up --runtime embedded`) instead of Kafka's distribution; the tests stay the same (docs/embedded.md).
 */
export const TEST_RUNTIME: 'dist' | 'embedded' = process.env.KAFKIT_TEST_RUNTIME === 'embedded' ? 'embedded' : 'dist'
export const ON_EMBEDDED = TEST_RUNTIME === 'embedded'

/**
 * The node:test option for a test or suite that only a real Kafka can pass (several brokers, ZooKeeper, a version
 * other than the embedded broker's 4.4.0, Java tools' JVM-specific output, faults on JVM processes), with the
 * reason. On the default backend it is `{}`: nothing is skipped there.
 */
export function needsRealKafka(reason: string): { skip?: string } {
  return ON_EMBEDDED ? { skip: `needs a real Kafka: ${reason}` } : {}
}

/**
 * The node:test option for a test that the embedded pass leaves to the default run because the broker is not what it
 * checks: kafkit's and Kafka's clients facing a broker process that is gone or frozen behave the same whatever ran in
 * it. It passes on the embedded broker too; skipping it there keeps CI's embedded pass short.
 */
export function sameOnAnyBroker(reason: string): { skip?: string } {
  return ON_EMBEDDED ? { skip: `the same on any broker, run on Kafka only: ${reason}` } : {}
}

/**
 * `describe` marked needsRealKafka(reason) (when `applies`), called as the plain one so the suite's lines stay as
 * they were.
 */
export const onRealKafka = (reason: string, applies = true) => ({
  describe(name: string, fn: () => void): void {
    void describe(name, applies ? needsRealKafka(reason) : {}, fn)
  },
})

/**
 * The same skip from inside a test, for a test whose first line should stay as it is:
 * `if (skipped(t, needsRealKafka('transactions'))) return` as its first statement.
 */
export function skipped(t: TestContext, option: { skip?: string }): boolean {
  if (option.skip === undefined) return false
  t.skip(option.skip)
  return true
}

/**
 * The `up` arguments choosing the backend: `--runtime dist` with the version and mode, or `--runtime embedded`
 * (one KRaft node speaking 4.4.0; a ZooKeeper or 3.x stack is refused there, as needsRealKafka marks).
 */
export function runtimeArgs(
  version: string = KAFKA_4,
  mode: 'kraft' | 'zookeeper' = 'kraft',
  runtime: 'dist' | 'embedded' = TEST_RUNTIME,
): string[] {
  return runtime === 'embedded'
    ? ['--runtime', 'embedded']
    : ['--runtime', 'dist', '--version', version, '--mode', mode]
}

/**
 * Starts a single-node stack through kafkit itself (dist runtime, or the embedded one with KAFKIT_TEST_RUNTIME=embedded; random free ports) for tests that need
 * a broker, and returns its bootstrap address. Stop it with `box.cleanup()`.
 */
export async function startStack(
  box: Sandbox,
  options: {
    version?: string
    mode?: 'kraft' | 'zookeeper'
    stack?: string
    brokers?: number
    /** Broker properties, each passed as `up --override key=value`. */
    overrides?: string[]
    /** More `up` arguments (`--with schema-registry --schema-registry-port N`...). */
    upArgs?: string[]
    /** The first broker port and the controller port, for overrides that name them (listeners); free ones otherwise. */
    port?: number
    controllerPort?: number
    /** This runtime whatever KAFKIT_TEST_RUNTIME says (the embedded broker's own suites, and a real Kafka beside it). */
    runtime?: 'dist' | 'embedded'
  } = {},
): Promise<string> {
  const brokers = options.brokers ?? 1
  const port = options.port ?? (await freePorts(brokers))
  const second = options.controllerPort ?? (await freePorts(3))
  const result = await box.kafkit([
    'up',
    '--stack',
    options.stack ?? 'test',
    ...runtimeArgs(options.version ?? KAFKA_4, options.mode ?? 'kraft', options.runtime ?? TEST_RUNTIME),
    '--brokers',
    String(brokers),
    '--port',
    String(port),
    '--controller-port',
    String(second),
    '--zookeeper-port',
    String(second + 2),
    ...(options.overrides ?? []).flatMap((o) => ['--override', o]),
    ...(options.upArgs ?? []),
    '--json',
  ])
  if (result.code !== 0) throw new Error(`kafkit up failed (${result.code}): ${result.stderr}`)
  return json(result).bootstrapServers as string
}

/** The environment for Kafka's Java tools in tests: a small heap, as several JVMs run side by side. */
export const TOOL_ENV: NodeJS.ProcessEnv = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }

/** A main class of a Kafka distribution's jars through its kafka-run-class.sh (the .cache dists lack most scripts). */
export const runClass = (version: string, mainClass: string, args: string[], timeoutMs = 120_000): Promise<Run> =>
  run(join(distHome(version), 'bin', 'kafka-run-class.sh'), [mainClass, ...args], TOOL_ENV, timeoutMs)

/**
 * Kafka's tools of one distribution run in a single JVM by test/e2e/java/ToolRunner.java (a JVM start per invocation
 * costs about a second of CPU on a shared machine): `run(mainClass, args)` answers what the tool printed and its exit
 * code, invocations served one at a time in order. `close()` when done.
 */
export class JavaTools {
  private readonly child: ChildProcess
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = []
  private stderr = ''

  constructor(version: string) {
    const home = distHome(version)
    this.child = spawn(
      'java',
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        // Kafka 4's tools log through log4j2, 3.x's through log4j 1: the dist's tools config for either.
        `-Dlog4j2.configurationFile=${join(home, 'config', 'tools-log4j2.properties')}`,
        `-Dlog4j.configuration=file:${join(home, 'config', 'tools-log4j.properties')}`,
        '-cp',
        join(home, 'libs', '*'),
        join(import.meta.dirname, 'java', 'ToolRunner.java'),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    )
    this.child.stderr!.on('data', (d) => (this.stderr += d))
    let pending = ''
    this.child.stdout!.on('data', (d) => {
      pending += d
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        this.waiting.shift()?.resolve(pending.slice(0, nl))
        pending = pending.slice(nl + 1)
      }
    })
    this.child.on('exit', (code) => {
      for (const w of this.waiting.splice(0))
        w.reject(new Error(`ToolRunner (Kafka ${version}) exited ${code}: ${this.stderr}`))
    })
  }

  run(mainClass: string, args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: (line) => {
          const [code, out, err] = line.split('\t')
          resolve({
            code: Number(code),
            stdout: Buffer.from(out ?? '', 'base64').toString('utf8'),
            stderr: Buffer.from(err ?? '', 'base64').toString('utf8'),
          })
        },
        reject,
      })
      this.child.stdin!.write(`${[mainClass, ...args].join('\t')}\n`)
    })
  }

  close(): void {
    this.child.stdin!.end()
    this.child.kill()
  }
}

/**
 * A tab-separated table (TransactionsCommand's) with the cells of `timeColumns` (durations) masked whole, padding
 * included: 9999 and 10000 pad differently.
 */
export const maskColumns = (table: string, timeColumns: string[]): string[] => {
  const lines = table.split('\n')
  const headers = lines[0]!.split('\t').map((h) => h.trim())
  const drop = timeColumns.map((c) => headers.indexOf(c))
  return lines.map((line) =>
    line
      .split('\t')
      .map((cell, i) => (drop.includes(i) && cell.trim() !== headers[i] ? '<time>' : cell))
      .join('\t'),
  )
}

/** A verifiable tool's stdout as JSON events (every line must parse). */
export const jsonEvents = (stdout: string): Array<Record<string, any>> =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>)

/** Each event name with its fields, in order (the first event of each name). */
export const eventShapes = (list: Array<Record<string, any>>): Record<string, string> => {
  const seen = new Map<string, string>()
  // Key sets, not orders: the Java tools' key order varies from run to run (Jackson takes the properties of their
  // event classes from reflection, whose order the JVM does not fix; seen: "offset,topic,partition" and
  // "offset,partition,topic" from the same VerifiableProducer).
  for (const e of list) if (!seen.has(e.name)) seen.set(e.name, Object.keys(e).sort().join(','))
  return Object.fromEntries([...seen].sort())
}

/** ProducerPerformance's progress line, then its summary line (count and rate captured). */
export const PERF_WINDOW =
  /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/
export const PERF_TOTAL =
  /^(\d+) records sent, (\d+\.\d{6}) records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/
/** ConsumerPerformance's header and row (the record count captured). */
export const PERF_HEADER =
  'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec'
export const PERF_ROW =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}, \d+\.\d{4}, \d+\.\d{4}, (\d+), \d+\.\d{4}, \d+, \d+, \d+\.\d{4}, \d+\.\d{4}$/

/**
 * Runs kafkit under a pseudo-terminal (python's pty, 160x50), answering prompts: steps are [text to wait for, keys to
 * send], so a test waits for the question itself instead of sleeping.
 */
export function underPty(
  box: Sandbox,
  args: string[],
  steps: Array<[string, string]>,
  timeoutMs = 90_000,
): Promise<{ code: number; output: string }> {
  const driver = join(box.home, 'pty-driver.py')
  writeFileSync(
    driver,
    `
import fcntl, json, os, pty, select, struct, sys, termios, time
args, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 160, 0, 0))
out = b''
def pump(until, deadline):
    global out
    while time.time() < deadline:
        if until is not None and until.encode() in out:
            return True
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return until is None
            if not data:
                return until is None
            out += data
    return False
for wait, send in steps:
    if not pump(wait, time.time() + 60):
        sys.stderr.write('never saw: ' + wait + '\\n')
        break
    # The prompt is drawn after inquirer has put the terminal in raw mode, so the keys can follow at once.
    os.write(fd, send.encode())
pump(None, time.time() + 60)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': out.decode('utf8', 'replace')}))
`,
  )
  const argv = [process.execPath, join(repoRoot, 'bin', 'run.js'), ...args]
  return run(
    '/usr/bin/python3',
    [driver, JSON.stringify(argv), JSON.stringify(steps)],
    { ...box.env, TERM: 'xterm' },
    timeoutMs,
  ).then((r) => {
    if (r.code !== 0) throw new Error(`pty driver failed: ${r.stderr}`)
    return JSON.parse(r.stdout) as { code: number; output: string }
  })
}

/** A program running in the background: its output so far, a signal to send, and its end (killed at `killAfterMs`). */
export interface LiveProcess {
  stdout(): string
  stderr(): string
  signal(name: NodeJS.Signals): void
  done: Promise<Run>
}

export function live(command: string, args: string[], env: NodeJS.ProcessEnv, killAfterMs: number): LiveProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
  return { stdout: () => stdout, stderr: () => stderr, signal: (name) => child.kill(name), done }
}

/** Runs a program until its stdout has `enough` lines, then kills it (the Java tool runs until stopped). */
export function linesUntil(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  enough: (lines: string[]) => boolean,
  timeoutMs: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const lines = () => out.split('\n').filter((l) => l !== '')
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out: ${command} ${args.join(' ')}\n${out}\n${err}`))
    }, timeoutMs)
    child.stderr.on('data', (d) => (err += d))
    child.stdout.on('data', (d) => {
      out += d
      if (enough(lines())) {
        clearTimeout(timer)
        child.kill('SIGKILL')
        resolve(lines())
      }
    })
    child.on('exit', () => {
      clearTimeout(timer)
      if (!enough(lines())) reject(new Error(`${command} ended early:\n${out}\n${err}`))
    })
  })
}

/** The time stamp ReplicaVerificationTool starts its lines with. */
export const REPORT_STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: /
/** Lines with that stamp replaced, to compare runs. */
export const stampless = (lines: string[]) => lines.map((l) => l.replace(REPORT_STAMP, '<time>: '))

/**
 * Kafka's own transactional producers (test/fixtures/transactions/OpenTxn.java, run by the `version` dist's java
 * client) that write `count` records per `id:partition` on `topic` and leave each transaction open. `opened()` waits
 * until all are acknowledged; `stop()` kills the JVM.
 */
export function startOpenTransactions(
  version: string,
  bootstrap: string,
  topic: string,
  count: number,
  ...idsAndPartitions: string[]
): { child: ChildProcess; opened(): Promise<void>; stop(): void } {
  const child = spawn(
    'java',
    [
      '-Xmx256m',
      '-cp',
      `${join(distHome(version), 'libs')}/*`,
      join(repoRoot, 'test', 'fixtures', 'transactions', 'OpenTxn.java'),
      bootstrap,
      topic,
      String(count),
      ...idsAndPartitions,
    ],
    { env: TOOL_ENV, stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  return {
    child,
    async opened() {
      await eventually(
        async () => output.includes('open\n') || (child.exitCode !== null && 'exited'),
        120_000,
        'open transactions',
      )
      if (child.exitCode !== null) throw new Error(`OpenTxn exited ${child.exitCode}:\n${output}`)
    },
    stop: () => void child.kill('SIGKILL'),
  }
}

export const PLAIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule'

/**
 * Broker overrides adding a SASL_PLAINTEXT listener named SASL beside kafkit's PLAINTEXT and CONTROLLER ones (which
 * stay as `up` plans them), with SASL/PLAIN users from the broker's JAAS config: no credentials to create, so no
 * kafka-configs.sh run and no wait for them to reach the broker.
 */
export const saslPlainOverrides = (
  ports: { plaintext: number; controller: number; sasl: number },
  users: Record<string, string>,
): string[] => [
  `listeners=PLAINTEXT://127.0.0.1:${ports.plaintext},CONTROLLER://127.0.0.1:${ports.controller},SASL://127.0.0.1:${ports.sasl}`,
  `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.plaintext},SASL://127.0.0.1:${ports.sasl}`,
  'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT',
  'sasl.enabled.mechanisms=PLAIN',
  `listener.name.sasl.plain.sasl.jaas.config=${PLAIN_MODULE} required ${Object.entries(users)
    .map(([user, password]) => `user_${user}="${password}"`)
    .join(' ')};`,
]

/** A client properties file for `user` on that listener (Kafka's spellings: read by kafkit and Kafka's tools). */
export function saslPlainProperties(path: string, user: string, password: string): string {
  writeFileSync(
    path,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=PLAIN',
      `sasl.jaas.config=${PLAIN_MODULE} required username="${user}" password="${password}";`,
      '',
    ].join('\n'),
  )
  return path
}
