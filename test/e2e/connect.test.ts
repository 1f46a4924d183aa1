import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ensureConnectFiles } from '../../src/install/connect-files.js'
import { SilentReporter } from '../../src/output/reporter.js'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  freePorts,
  json,
  kcatConsume,
  repoRoot,
  run,
  sandbox,
  startStack,
  type Sandbox,
} from './helpers.js'

/**
 * Kafka Connect through the built CLI: the quickstart's Connect step as docs/connect.md prints it (pasted with kafkit
 * in front, in a copy of each distribution, on the stack "default"), checked with kcat and the sink file; then a
 * distributed worker started with `connect-distributed --daemon` driven by `kafkit connect`.
 */

/** The quickstart block of docs/connect.md, for `version` (the docs say to change the jar's version for 3.9). */
function quickstartLines(version: string): string[] {
  const doc = readFileSync(join(repoRoot, 'docs', 'connect.md'), 'utf8')
  const block = /<!-- test: quickstart[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(doc)
  assert.ok(block, 'docs/connect.md has a quickstart block')
  return block[1]!
    .trim()
    .split('\n')
    .map((line) => line.replace('connect-file-4.4.0.jar', `connect-file-${version}.jar`))
}

describe('Kafka Connect', () => {
  let box: Sandbox
  let bootstrap: string
  let env: NodeJS.ProcessEnv
  const workers: ChildProcess[] = []
  const daemons: number[] = []
  let url: string
  let restPort: number
  /** The 3.9.2 stack the 3.9.2 quickstart runs on, started in the background while the 4.4.0 one runs. */
  let kafka3: Promise<string>

  const k = (args: string[], extra: NodeJS.ProcessEnv = {}) => box.kafkit(args, { env: { ...env, ...extra } })

  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box, { version: KAFKA_4, stack: 'default' })
    kafka3 = startStack(box, { version: KAFKA_3, stack: 'kafka3' })
    kafka3.catch(() => undefined) // awaited (and its error reported) by the 3.9.2 test
    // What a Connect command does first on a kafkit-installed distribution; the copies below are taken after it.
    for (const version of [KAFKA_4, KAFKA_3]) await ensureConnectFiles(distHome(version), new SilentReporter())
    const bin = join(box.home, 'bin')
    mkdirSync(bin)
    writeFileSync(
      join(bin, 'kafkit'),
      `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', 'run.js')}" "$@"\n`,
    )
    chmodSync(join(bin, 'kafkit'), 0o755)
    env = { ...box.env, PATH: `${bin}:${process.env.PATH}`, KAFKA_HEAP_OPTS: '-Xmx256m' }
    // The distributed worker of the last test starts now, while the quickstarts run.
    // Three consecutive free ports: this worker's REST port, then each quickstart worker's.
    restPort = await freePorts(3)
    url = `http://127.0.0.1:${restPort}`
    const worker = join(box.home, 'worker.properties')
    writeFileSync(
      worker,
      readFileSync(join(distHome(KAFKA_4), 'config', 'connect-distributed.properties'), 'utf8') +
        `listeners=${url}\nplugin.path=${join(distHome(KAFKA_4), 'plugins')}\noffset.flush.interval.ms=1000\noffset.storage.partitions=1\nstatus.storage.partitions=1\n`,
    )
    const started = await k(['connect-distributed', '-daemon', worker, '--version', KAFKA_4, '--json'])
    assert.equal(started.code, 0, started.stderr)
    daemons.push(json(started).pid)
  })

  after(async () => {
    for (const worker of workers) if (worker.exitCode === null) process.kill(-worker.pid!, 'SIGKILL')
    for (const pid of daemons) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await box?.cleanup()
  })

  /** The quickstart in a copy of the distribution (the step writes into config/ and the working directory). */
  async function quickstart(version: string, stack: { bootstrap: string; env?: NodeJS.ProcessEnv }): Promise<void> {
    const lineEnv = { ...env, ...stack.env }
    const home = join(box.home, `kafka-${version}`)
    cpSync(distHome(version), home, { recursive: true })
    for (const name of ['test.txt', 'test.sink.txt']) rmSync(join(home, name), { force: true })
    // Test set-up, not part of the step: a free REST port and offsets file (other tests may hold 8083), and a 1 s
    // flush so the sink file is written within a second rather than ten.
    const port = restPort + (version === KAFKA_4 ? 1 : 2)
    appendFileSync(
      join(home, 'config', 'connect-standalone.properties'),
      `listeners=http://127.0.0.1:${port}\noffset.storage.file.filename=${join(home, 'connect.offsets')}\noffset.flush.interval.ms=1000\n`,
    )
    const lines = quickstartLines(version)
    const worker = lines.pop()!
    for (const line of lines) {
      const result = await run('bash', ['-c', `cd "${home}" && ${line}`], lineEnv, 10_000)
      assert.equal(result.code, 0, `${line}: ${result.stderr}`)
    }
    assert.match(worker, /^kafkit connect-standalone config\/connect-standalone\.properties /)
    let output = ''
    const child = spawn('bash', ['-c', `exec ${worker}`], { cwd: home, env: lineEnv, detached: true, stdio: 'pipe' })
    child.stdout!.on('data', (d) => (output += d))
    child.stderr!.on('data', (d) => (output += d))
    workers.push(child)
    const sink = join(home, 'test.sink.txt')
    await eventually(
      async () => existsSync(sink) && readFileSync(sink, 'utf8') === 'foo\nbar\n',
      60_000,
      `test.sink.txt with foo, bar (worker output:\n${output.slice(-3000)})`,
    )
    const records = await kcatConsume(stack.bootstrap, 'connect-test')
    assert.deepEqual(records, [
      '{"schema":{"type":"string","optional":false},"payload":"foo"}',
      '{"schema":{"type":"string","optional":false},"payload":"bar"}',
    ])
    process.kill(-child.pid!, 'SIGTERM')
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)))
    // A Maven-assembled 4.4.0 has no libs/connect-file-4.4.0.jar: the quickstart's line is mapped to the plugin folder.
    if (!existsSync(join(home, 'libs', 'connect-file-4.4.0.jar')) && version === KAFKA_4)
      assert.match(output, /plugin\.path libs\/connect-file-4\.4\.0\.jar -> .*\/plugins /)
    assert.match(
      output,
      new RegExp(`bootstrap\\.servers=localhost:9092 -> ${stack.bootstrap.replace(/\./g, '\\.')} \\(kafkit's Kafka\\)`),
    )
  }

  it(`runs the quickstart's Connect step verbatim on Kafka ${KAFKA_4}`, async () => {
    await quickstart(KAFKA_4, { bootstrap })
  })

  it(`runs it on a Kafka ${KAFKA_3} stack with ${KAFKA_3}'s worker and connect-file jar`, async () => {
    // The user's default stack there: `kafkit up --version 3.9.2` (KAFKIT_STACK names it beside this file's 4.4.0 one).
    await quickstart(KAFKA_3, { bootstrap: await kafka3, env: { KAFKIT_STACK: 'kafka3' } })
  })

  it('drives a connect-distributed --daemon worker with kafkit connect', async () => {
    const c = (args: string[]) => k(['connect', ...args, '--url', url])
    const plugins = await eventually(
      async () => {
        const r = await c(['plugins', '--json'])
        return r.code === 0 && json<Array<{ class: string }>>(r)
      },
      60_000,
      'the worker answering',
    )
    assert.ok(plugins.some((p) => p.class === 'org.apache.kafka.connect.file.FileStreamSourceConnector'))

    // A config the worker refuses: each wrong key and the worker's reason.
    const bad = join(box.home, 'bad.properties')
    writeFileSync(bad, 'name=bad\nconnector.class=FileStreamSink\ntasks.max=1\n')
    const refused = await c(['create', bad])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /Connector "bad": the worker refused 2 config value\(s\)/)
    assert.match(refused.stderr, /^ {2}topics: Must configure one of topics or topics\.regex$/m)

    const input = join(box.home, 'in.txt')
    writeFileSync(input, 'a\nb\nc\n')
    const definition = join(box.home, 'src.json')
    writeFileSync(
      definition,
      JSON.stringify({
        name: 'src',
        config: { 'connector.class': 'FileStreamSource', file: input, topic: 'dist-test', 'tasks.max': 1 },
      }),
    )
    const created = await c(['create', definition])
    assert.equal(created.code, 0, created.stderr)
    const state = async (expected: string) =>
      eventually(
        async () => {
          const r = await c(['status', 'src', '--json'])
          const status = json(r)
          return (
            status.connector.state === expected && status.tasks.every((t: { state: string }) => t.state === expected)
          )
        },
        30_000,
        `src ${expected}`,
      )
    await state('RUNNING')
    await eventually(async () => (await kcatConsume(bootstrap, 'dist-test')).length === 3, 30_000, '3 records')
    const list = json(await c(['connectors', '--json']))
    assert.deepEqual(list, [{ name: 'src', type: 'source', state: 'RUNNING', tasks: '1/1', class: 'FileStreamSource' }])
    assert.match((await c(['connectors'])).stdout, /^src +source +RUNNING +1\/1 RUNNING +FileStreamSource$/m)

    assert.equal((await c(['pause', 'src'])).code, 0)
    await state('PAUSED')
    assert.equal((await c(['resume', 'src'])).code, 0)
    await state('RUNNING')
    const restarted = await c(['restart', 'src', '--include-tasks', '--only-failed', '--json'])
    assert.equal(restarted.code, 0, restarted.stderr)
    assert.equal(json(restarted).onlyFailed, true)

    const offsets = await eventually(
      async () => {
        const o = json(await c(['offsets', 'get', 'src', '--json']))
        return o.offsets[0]?.offset?.position === 6 && o
      },
      30_000,
      'offset position 6',
    )
    assert.deepEqual(offsets.offsets[0].partition, { filename: input })
    const running = await c(['offsets', 'reset', 'src'])
    assert.equal(running.code, 1)
    assert.match(running.stderr, /STOPPED state/)
    assert.match(running.stderr, /kafkit connect stop src/)
    assert.equal((await c(['stop', 'src'])).code, 0)
    await state('STOPPED')
    await eventually(async () => (await c(['offsets', 'reset', 'src'])).code === 0, 30_000, 'offsets reset')
    assert.deepEqual(json(await c(['offsets', 'get', 'src', '--json'])).offsets, [])
    assert.equal((await c(['resume', 'src'])).code, 0)
    // From position 0 again: the file's three lines a second time.
    await eventually(async () => (await kcatConsume(bootstrap, 'dist-test')).length === 6, 30_000, '6 records')

    assert.equal((await c(['delete', 'src'])).code, 0)
    const gone = await eventually(
      async () => {
        const r = await c(['status', 'src'])
        return r.code === 1 && r
      },
      10_000,
      'src deleted',
    )
    assert.match(gone.stderr, /No connector "src"/)
  })

  it("runs every line of docs/connect.md's kafkit connect block against the worker", async () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'connect.md'), 'utf8')
    const section = doc.slice(doc.indexOf('## kafkit connect'))
    const lines = /```sh\n([\s\S]*?)```/
      .exec(section)![1]!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
    // The block's first line points the commands at a worker; here that is this test's worker.
    assert.equal(lines[0], 'export KAFKIT_CONNECT_URL=http://localhost:8083')
    // The files the lines name, in the working directory as the block assumes (the source reads a file of the test).
    const work = join(box.home, 'connect-doc')
    mkdirSync(join(work, 'config'), { recursive: true })
    const input = join(work, 'test.txt')
    writeFileSync(input, 'foo\nbar\n')
    const source = { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: input, topic: 'connect-doc' }
    writeFileSync(
      join(work, 'config', 'connect-file-source.properties'),
      `name=local-file-source\n${Object.entries(source)
        .map(([key, value]) => `${key}=${value}`)
        .join('\n')}\n`,
    )
    writeFileSync(join(work, 'source.json'), JSON.stringify(source))
    const sink = {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: join(work, 'sink.txt'),
      topics: 'connect-doc',
    }
    writeFileSync(join(work, 'my-sink.json'), JSON.stringify({ name: 'my-sink', config: sink }))
    const lineEnv = { ...env, KAFKIT_CONNECT_URL: url }
    for (const line of lines.slice(1)) {
      const result = await run('bash', ['-c', `set -o pipefail; cd '${work}' && ${line}`], lineEnv, 60_000)
      assert.equal(result.code, 0, `${line}\n${result.stdout}\n${result.stderr}`)
      if (line === 'kafkit connect create config/connect-file-source.properties') {
        // The lines that follow alter the offsets the source stored: wait until it has stored some.
        await eventually(
          async () => {
            const r = await k(['connect', 'offsets', 'get', 'local-file-source', '--url', url, '--json'])
            return r.code === 0 && json(r).offsets.length > 0
          },
          30_000,
          'the source stored offsets',
        )
      }
    }
    assert.ok(existsSync(join(work, 'offsets.json')), 'offsets get > offsets.json wrote the file')
    // Deleted by the last line (a deletion reaches the worker's status asynchronously).
    await eventually(
      async () => (await k(['connect', 'status', 'local-file-source', '--url', url])).code === 1,
      10_000,
      'local-file-source deleted',
    )
  })
})
