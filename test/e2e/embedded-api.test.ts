import assert from 'node:assert/strict'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { kcatConsume, repoRoot, run } from './helpers.js'

/**
 * The in-process API as a user gets it (issue 15): `import { startKafka } from 'kafkit/embedded'`, resolved through
 * package.json's "exports" (the package's self-reference here, node_modules/kafkit for a dependant) to the built
 * dist/embedded-api.js, so `npm run build` comes first. A broker in this process, served to kcat (librdkafka, no code
 * shared with kafkit). How fast it starts is the bench's business (`npm run bench -- --only embedded`), not a test's.
 */
type Api = typeof import('../../src/embedded/index.js')

/** The processes whose parent is this one (the test file's own process: node --test runs each file in its own). */
function childPids(): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so count from the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid) children.push(Number(entry))
    } catch {
      // gone between the listing and the read
    }
  }
  return children
}

const kcatProduce = async (bootstrap: string, topic: string, lines: string[]) => {
  const result = await run('kcat', ['-b', bootstrap, '-P', '-t', topic, '-K:'], process.env, 30_000, lines.join('\n'))
  assert.equal(result.code, 0, result.stderr)
}

/** Whether something accepts connections on the port (false once the broker's listener is closed). */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

describe('the in-process API: kafkit/embedded', () => {
  let api: Api
  const scratch = mkdtempSync(join(tmpdir(), 'kafkit-embedded-api-'))
  before(async () => {
    // The specifier in a variable: the code comes from dist/ as a user's does, the types from the sources, so the
    // typecheck does not need a build.
    const specifier = 'kafkit/embedded'
    assert.equal(import.meta.resolve(specifier), new URL('dist/embedded-api.js', `file://${repoRoot}`).href)
    api = (await import(specifier)) as Api
  })
  after(() => rmSync(scratch, { recursive: true, force: true }))

  it('startKafka({ port: 0 }) serves kcat from this process, with no child process, and stop() frees the port', async () => {
    assert.equal(api.start, api.startKafka)
    const before = childPids()
    const lines: string[] = []
    const kafka = await api.startKafka({ port: 0, log: (line) => lines.push(line) })
    try {
      assert.deepEqual(childPids(), before, 'startKafka started no child process')
      assert.ok(kafka.port > 0)
      assert.equal(kafka.bootstrap, `127.0.0.1:${kafka.port}`)
      assert.ok(
        lines.some((l) => l.includes(`listening on 127.0.0.1:${kafka.port}`)),
        lines.join('\n'),
      )
      const meta = await run('kcat', ['-b', kafka.bootstrap, '-L'], process.env, 30_000)
      assert.equal(meta.code, 0, meta.stderr)
      assert.match(meta.stdout, new RegExp(`broker 1 at 127\\.0\\.0\\.1:${kafka.port}`))
      // An unknown topic is created on first use (auto.create.topics.enable, the default).
      const records = Array.from({ length: 200 }, (_, i) => `k${i % 7}:value-${i}`)
      await kcatProduce(kafka.bootstrap, 'api', records)
      assert.deepEqual(
        await kcatConsume(kafka.bootstrap, 'api'),
        records.map((r) => r.slice(r.indexOf(':') + 1)),
      )
      // kcat's processes have exited: still no child of ours serves the broker.
      assert.deepEqual(childPids(), before, 'no child process while serving')
    } finally {
      await kafka.stop()
    }
    assert.equal(await accepts(kafka.port), false, 'nothing listens on the port after stop()')
    // The port is free for anyone to take.
    const server = createServer()
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(kafka.port, '127.0.0.1', resolve))
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await kafka.stop() // a second stop() is harmless
    assert.ok(lines.includes('embedded broker stopped'))
  })

  it('keeps topics and records in a dataDir across stop() and a new startKafka()', async () => {
    const dataDir = join(scratch, 'data')
    const records = Array.from({ length: 50 }, (_, i) => `k:kept-${i}`)
    const first = await api.startKafka({ port: 0, dataDir })
    try {
      await kcatProduce(first.bootstrap, 'kept', records)
    } finally {
      await first.stop()
    }
    assert.ok(existsSync(join(dataDir, 'kept-0', '00000000000000000000.log')), 'the segment file is on disk')
    const second = await api.startKafka({ port: 0, dataDir })
    try {
      assert.equal(second.clusterId, first.clusterId)
      assert.deepEqual(
        await kcatConsume(second.bootstrap, 'kept'),
        records.map((r) => r.slice(2)),
      )
    } finally {
      await second.stop()
    }
  })

  it('installed as a dependency: node imports it, and TypeScript checks a user file against the declarations', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    const types = join(repoRoot, pkg.exports['./embedded'].types)
    assert.ok(existsSync(types), types)
    assert.match(readFileSync(types, 'utf8'), /\bstartBroker as startKafka\b/)
    // A project with kafkit in node_modules (a link to this checkout, as `npm link` makes).
    const project = join(scratch, 'user')
    mkdirSync(join(project, 'node_modules'), { recursive: true })
    symlinkSync(repoRoot, join(project, 'node_modules', 'kafkit'))
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(
      join(project, 'start.mjs'),
      "import { startKafka } from 'kafkit/embedded'\nconst kafka = await startKafka({ port: 0 })\nconsole.log(kafka.bootstrap)\nawait kafka.stop()\n",
    )
    const started = await run(process.execPath, [join(project, 'start.mjs')], process.env, 30_000)
    assert.equal(started.code, 0, started.stderr)
    assert.match(started.stdout, /^127\.0\.0\.1:\d+\n$/)
    writeFileSync(
      join(project, 'user.mts'),
      [
        "import { startKafka, type BrokerOptions, type RunningBroker } from 'kafkit/embedded'",
        "const options: BrokerOptions = { port: 0, dataDir: '/tmp/kafka-data', autoCreateTopics: false }",
        'const kafka: RunningBroker = await startKafka(options)',
        'const bootstrap: string = kafka.bootstrap',
        'await kafka.stop()',
        '// @ts-expect-error: no such option (the declarations are typed, not any)',
        'await startKafka({ prot: 0 })',
        'export { bootstrap }',
        '',
      ].join('\n'),
    )
    // No @types/node: the declarations must stand on their own.
    const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', target: 'es2022', types: [] }
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['user.mts'] }))
    const tsc = await run(
      process.execPath,
      [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      process.env,
      60_000,
    )
    assert.equal(tsc.code, 0, `${tsc.stdout}\n${tsc.stderr}`)
  })
})
