import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { produce, repoRoot, runNode, sandbox, startStack, type Run, type Sandbox } from './helpers.js'

/**
 * The direct path (src/direct/, dist/direct/) against the oclif path on one stack: the same command lines, run with
 * and without KAFKIT_DIRECT=0, give the same stdout, stderr and exit code. A module hook reports which of kafkit's
 * bundles each run loaded (ES modules through a module hook, CommonJS files from require.cache at exit), so the test also knows the direct path was taken (and that help and bad command lines
 * went on to oclif).
 */
const HOOKS = `export async function load(url, context, next) {
  if (url.includes('/dist/')) process.stderr.write('\\n[loaded] ' + url.slice(url.indexOf('/dist/') + 1) + '\\n')
  return next(url, context)
}
`
const REGISTER = (hooks: string) => `import { register } from 'node:module'
register(${JSON.stringify(`file://${hooks}`)})
`
/** The CommonJS side (bin/run.js and dist/direct/*.cjs are required, which the module hooks above do not see). */
const REQUIRED = `process.on('exit', () => {
  for (const file of Object.keys(require.cache))
    if (file.includes('/dist/')) process.stderr.write('\\n[loaded] ' + file.slice(file.indexOf('/dist/') + 1) + '\\n')
})
`

// Its fixture is a consumer group (consumer-groups --reset-offsets in before).
describe('direct commands: the same results without oclif', () => {
  let box: Sandbox
  let bootstrap: string
  let hookDir: string
  let register: string
  let required: string

  before(async () => {
    hookDir = mkdtempSync(join(tmpdir(), 'kafkit-direct-'))
    writeFileSync(join(hookDir, 'hooks.mjs'), HOOKS)
    register = join(hookDir, 'register.mjs')
    writeFileSync(register, REGISTER(join(hookDir, 'hooks.mjs')))
    required = join(hookDir, 'required.cjs')
    writeFileSync(required, REQUIRED)
    box = sandbox()
    bootstrap = await startStack(box, { stack: 'direct' })
    const created = await box.kafkit(['topics', '--create', '--topic', 'orders', '--partitions', '3', '-b', bootstrap])
    assert.equal(created.code, 0, created.stderr)
    await produce(
      bootstrap,
      'orders',
      Array.from({ length: 30 }, (_, i) => `r${i}`),
    )
    const reset = await box.kafkit([
      'consumer-groups',
      '--reset-offsets',
      '--group',
      'billing',
      '--topic',
      'orders',
      '--to-offset',
      '4',
      '--execute',
      '-b',
      bootstrap,
    ])
    assert.equal(reset.code, 0, reset.stderr)
  })
  after(async () => {
    await box.cleanup()
    rmSync(hookDir, { recursive: true, force: true })
  })

  /** Runs kafkit with the module hook; the bundles it loaded are taken out of stderr. */
  async function kafkit(args: string[], direct: boolean): Promise<Run & { loaded: string[] }> {
    const env = { ...box.env, KAFKIT_DIRECT: direct ? '1' : '0' }
    const result = await runNode(
      ['--require', required, '--import', register, join(repoRoot, 'bin', 'run.js'), ...args],
      env,
      60_000,
    )
    const loaded = [...result.stderr.matchAll(/^\[loaded\] (\S+)$/gm)].map((m) => m[1]!)
    const stderr = result.stderr.replace(/\n?\[loaded\] \S+\n/g, '')
    return { ...result, stderr, loaded }
  }

  const cases: Array<[string, () => string[], 'direct' | 'oclif']> = [
    ['topics --list', () => ['topics', '--list', '-b', bootstrap], 'direct'],
    [
      'kafka-topics.sh --describe',
      () => ['kafka-topics.sh', '--bootstrap-server', bootstrap, '--describe', '--topic', 'orders'],
      'direct',
    ],
    ['topics NAME --json', () => ['topics', 'orders', '--json', '-b', bootstrap], 'direct'],
    ['get-offsets', () => ['get-offsets', '--topic', 'orders', '--time', '-1', '-b', bootstrap], 'direct'],
    [
      'get-offsets --json',
      () => ['get-offsets', '--topic-partitions', 'orders:0-2', '--json', '-b', bootstrap],
      'direct',
    ],
    [
      'consumer-groups --describe',
      () => ['consumer-groups', '--describe', '--group', 'billing', '-b', bootstrap],
      'direct',
    ],
    [
      'consumer-groups --describe --state',
      () => ['consumer-groups', '--describe', '--group', 'billing', '--state', '-b', bootstrap],
      'direct',
    ],
    ['consumer-groups --list --type', () => ['consumer-groups', '--list', '--type', '-b', bootstrap], 'direct'],
    ['groups --list', () => ['kafka-groups.sh', '--bootstrap-server', bootstrap, '--list'], 'direct'],
    [
      'configs --describe',
      () => ['configs', '--describe', '--entity-type', 'topics', '--entity-name', 'orders', '-b', bootstrap],
      'direct',
    ],
    ['share-groups --list', () => ['share-groups', '--list', '-b', bootstrap], 'direct'],
    ['streams-groups --list', () => ['streams-groups', '--list', '-b', bootstrap], 'direct'],
    [
      'a missing group (exit 1)',
      () => ['consumer-groups', '--describe', '--group', 'nobody', '-b', bootstrap],
      'direct',
    ],
    ['no action (usage, exit 2)', () => ['consumer-groups', '--group', 'billing', '-b', bootstrap], 'direct'],
    ['an unreachable cluster', () => ['topics', '--list', '-b', '127.0.0.1:1'], 'direct'],
    ['an unknown flag', () => ['topics', '--list', '--no-such-flag', '-b', bootstrap], 'oclif'],
    ['a flag without its value', () => ['get-offsets', '--topic'], 'oclif'],
    ['a bad integer', () => ['topics', '--create', '--topic', 'x', '--partitions', 'three', '-b', bootstrap], 'oclif'],
    ['a bad duration', () => ['consumer-groups', '--describe', '--all-groups', '--timeout', 'soon'], 'oclif'],
    ['--help', () => ['topics', '--help'], 'oclif'],
  ]

  for (const [name, args, path] of cases) {
    it(`${name}: same output and exit code, on the ${path} path`, async () => {
      const direct = await kafkit(args(), true)
      const oclif = await kafkit(args(), false)
      assert.equal(direct.stdout, oclif.stdout, 'stdout')
      assert.equal(direct.stderr, oclif.stderr, 'stderr')
      assert.equal(direct.code, oclif.code, 'exit code')
      assert.ok(oclif.loaded.includes('dist/cli.js'), `KAFKIT_DIRECT=0 loaded ${oclif.loaded.join(', ')}`)
      if (path === 'direct') {
        assert.ok(!direct.loaded.includes('dist/cli.js'), `oclif was loaded: ${direct.loaded.join(', ')}`)
        assert.ok(direct.loaded.some((file) => file.startsWith('dist/direct/') && file !== 'dist/direct/index.cjs'))
      } else assert.ok(direct.loaded.includes('dist/cli.js'), `oclif was not loaded: ${direct.loaded.join(', ')}`)
    })
  }

  it('leaves other commands to oclif without loading a direct command', async () => {
    const status = await kafkit(['status', '--stack', 'direct'], true)
    assert.equal(status.code, 0, status.stderr)
    assert.deepEqual(
      status.loaded.filter((file) => file.startsWith('dist/direct/')),
      ['dist/direct/index.cjs'],
    )
  })
})
