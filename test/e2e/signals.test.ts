/**
 * Ctrl-C always wins: real processes, real signals (child.kill), a real stalled pipe. The first SIGINT/SIGTERM
 * starts a clean stop; a second one, or 5 s after the first, exits at once with 130 even when stdout never drains;
 * `up` interrupted stops what it launched (or, with --keep, says how to stop it).
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  eventually,
  freePorts,
  json,
  needsRealKafka,
  produce,
  repoRoot,
  run,
  sandbox,
  sleep,
  startStack,
  type Sandbox,
} from './helpers.js'

const bin = join(repoRoot, 'bin', 'run.js')
/**
 * The `up` tests interrupt a dist stack's JVM while it starts (seconds); the embedded broker is ready before a signal
 * could land, so with KAFKIT_TEST_RUNTIME=embedded they would only repeat the default run's dist checks.
 */
const JVM_START = needsRealKafka("a JVM's start to interrupt (the embedded broker is ready before the signal lands)")
const STACK = 'test'
/** ~300 KB: far more than a pipe holds (64 KiB), so a reader that never reads stalls the consumer's output. */
const RECORDS = 3000
const lines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${String(from + i).padStart(6, '0')}-${'x'.repeat(93)}`)

/** Bytes waiting in the pipe a process reads its stdin from (FIONREAD on a second handle to that pipe). */
async function bytesInPipe(readerPid: number): Promise<number> {
  const script =
    'import fcntl,termios,struct,sys\nf=open(sys.argv[1],"rb",buffering=0)\nprint(struct.unpack("i",fcntl.ioctl(f,termios.FIONREAD,b"\\0\\0\\0\\0"))[0])'
  const result = await run('python3', ['-c', script, `/proc/${readerPid}/fd/0`], process.env, 10_000)
  return Number(result.stdout.trim())
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

interface Watched {
  child: ChildProcess
  stderr: () => string
  /** Resolves with the exit code (null when a signal killed it) and when it came. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>
}

function watch(child: ChildProcess): Watched {
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  )
  return { child, stderr: () => stderr, exited }
}

/** The exit; fails when the process still runs after `ms` (the defect: Ctrl-C did nothing). */
async function exitWithin(w: Watched, ms: number) {
  const outcome = await Promise.race([w.exited, sleep(ms).then(() => undefined)])
  assert.ok(outcome, `still running ${ms} ms after the signal: ${w.stderr()}`)
  return outcome
}

describe('Ctrl-C always wins', { timeout: 600_000 }, () => {
  let box: Sandbox
  let bootstrap: string
  let topic: string

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { stack: STACK })
    topic = `stall-${Date.now()}`
    await produce(bootstrap, topic, lines(0, RECORDS))
  })
  after(async () => box?.cleanup())

  /** console-consumer writing into `(trap '' INT TERM; sleep 600)`, like `| less` left alone; child.pid is kafkit's. */
  async function stalledConsumer(name: string, extra: string[]): Promise<{ w: Watched; readerPid: number }> {
    const pidFile = join(box.home, `reader-${Date.now()}.pid`)
    const reader = `>(trap '' INT TERM; echo $BASHPID > ${pidFile}; exec sleep 600)`
    const child = spawn(
      'bash',
      ['-c', `exec node ${bin} console-consumer ${name} --from-beginning ${extra.join(' ')} > ${reader}`],
      { env: { ...box.env, KAFKIT_STACK: STACK }, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const w = watch(child)
    const readerPid = await eventually(
      async () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8').trim()),
      30_000,
      'reader pid',
    )
    try {
      // The pipe is full: every further write of kafkit's waits for a reader that never reads.
      await eventually(async () => (await bytesInPipe(readerPid)) >= 60 * 1024, 60_000, `a full pipe (${w.stderr()})`)
    } catch (error) {
      child.kill('SIGKILL')
      process.kill(readerPid, 'SIGKILL')
      throw error
    }
    await sleep(1500)
    return { w, readerPid }
  }

  it('console-consumer into a stalled pipe: a second SIGINT exits at once with 130 and says what was printed', async () => {
    const { w, readerPid } = await stalledConsumer(topic, [])
    try {
      w.child.kill('SIGINT')
      await sleep(300)
      const second = Date.now()
      w.child.kill('SIGINT')
      const outcome = await exitWithin(w, 10_000)
      assert.equal(outcome.code, 130, w.stderr())
      assert.ok(outcome.at - second < 2000, `exited ${outcome.at - second} ms after the second SIGINT`)
      assert.match(w.stderr(), /Interrupted again: exiting now \(\d[\d,]* record\(s\) printed\)\./)
    } finally {
      w.child.kill('SIGKILL')
      process.kill(readerPid, 'SIGKILL')
    }
  })

  it('console-consumer into a stalled pipe: one SIGTERM ends it within about 6 s with 130', async () => {
    const { w, readerPid } = await stalledConsumer(topic, [])
    try {
      const sent = Date.now()
      w.child.kill('SIGTERM')
      const outcome = await exitWithin(w, 15_000)
      assert.equal(outcome.code, 130, w.stderr())
      assert.ok(outcome.at - sent < 6500, `exited ${outcome.at - sent} ms after SIGTERM`)
    } finally {
      w.child.kill('SIGKILL')
      process.kill(readerPid, 'SIGKILL')
    }
  })

  /** `up` of another stack, spawned so it can be signalled; resolves once it waits for Metadata (its broker launched). */
  async function upWaitingForMetadata(stack: string, extra: string[]) {
    const port = await freePorts(1)
    const controllerPort = await freePorts(1)
    const child = spawn(
      process.execPath,
      [
        bin,
        'up',
        '--stack',
        stack,
        '--runtime',
        'dist',
        '--version',
        KAFKA_4,
        '--mode',
        'kraft',
        '--port',
        String(port),
        '--controller-port',
        String(controllerPort),
        '--verbose',
        ...extra,
      ],
      { env: box.env, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    const w = watch(child)
    // Signalled as soon as the line is read: a broker needs seconds to answer, so `up` is still waiting.
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', () => {
        if (/Waiting for/.test(w.stderr())) resolve()
      })
      void w.exited.then(() => reject(new Error(`up exited before waiting for Metadata: ${w.stderr()}`)))
    })
    const state = JSON.parse(readFileSync(join(box.home, 'stacks', stack, 'state.json'), 'utf8')) as {
      nodes: Array<{ pid?: number }>
    }
    const pids = state.nodes.map((n) => n.pid).filter((p): p is number => typeof p === 'number')
    assert.equal(pids.length, 1, JSON.stringify(state.nodes))
    return { w, pid: pids[0]! }
  }

  it(
    'up interrupted while waiting for Metadata stops the process it launched, says so and exits 130',
    JVM_START,
    async () => {
      const { w, pid } = await upWaitingForMetadata('second', [])
      w.child.kill('SIGINT')
      const outcome = await exitWithin(w, 60_000)
      assert.equal(outcome.code, 130, `${outcome.signal ?? ''} ${w.stderr()}`)
      assert.match(w.stderr(), /Interrupted: stopped the 1 process\(es\) this start launched\./)
      await eventually(async () => !alive(pid), 10_000, `the broker (pid ${pid}) gone`)
      const status = json(await box.kafkit(['status', '--stack', 'second', '--json']))
      assert.equal(status.running, false)
    },
  )

  it(
    "up on a terminal: Ctrl-C typed while it waits for Metadata stops the broker (the JVM is not in the terminal's process group)",
    JVM_START,
    async () => {
      const port = await freePorts(1)
      const controllerPort = await freePorts(1)
      const command = `node ${bin} up --stack fourth --runtime dist --version ${KAFKA_4} --mode kraft --port ${port} --controller-port ${controllerPort}`
      // A real pseudo-terminal: the ^C written to it is turned into SIGINT for the foreground process group by the kernel.
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: box.env, stdio: ['pipe', 'pipe', 'pipe'] })
      let screen = ''
      child.stdout!.on('data', (d) => (screen += d))
      const w = watch(child)
      await eventually(async () => /Waiting for 1 broker/.test(screen), 60_000, `the progress line (${screen})`)
      const state = JSON.parse(readFileSync(join(box.home, 'stacks', 'fourth', 'state.json'), 'utf8')) as {
        nodes: Array<{ pid?: number }>
      }
      const pid = state.nodes[0]!.pid!
      child.stdin!.write('\u0003')
      const outcome = await exitWithin(w, 60_000)
      child.stdin!.end()
      assert.equal(outcome.code, 130, screen)
      assert.match(screen, /Interrupted: stopped the 1 process\(es\) this start launched\./)
      assert.doesNotMatch(screen, /Error:/)
      await eventually(async () => !alive(pid), 10_000, `the broker (pid ${pid}) gone`)
    },
  )

  it(
    'up --keep interrupted leaves the process starting and names `kafkit down --stack X`; down stops it',
    JVM_START,
    async () => {
      const { w, pid } = await upWaitingForMetadata('third', ['--keep'])
      w.child.kill('SIGINT')
      const outcome = await exitWithin(w, 30_000)
      assert.equal(outcome.code, 130, `${outcome.signal ?? ''} ${w.stderr()}`)
      assert.match(w.stderr(), /Interrupted: left kafka-1 \(pid \d+\) starting in the background \(--keep\)\./)
      assert.match(w.stderr(), /kafkit down --stack third/)
      assert.equal(alive(pid), true, 'the broker was stopped despite --keep')
      const down = await box.kafkit(['down', '--stack', 'third'])
      assert.equal(down.code, 0, down.stderr)
      await eventually(async () => !alive(pid), 30_000, `pid ${pid} gone after down`)
    },
  )
})
