import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_4, cacheDir, distHome, freePorts, repoRoot, run, type Run } from './helpers.js'

/**
 * What a user gets from npm: `npm pack` of a clean tree (only the files git knows; prepack builds dist/ and the
 * manifest), installed globally into a private prefix (never the machine's), then run from there. Dependencies come
 * from the npm cache when it has them (--prefer-offline).
 */
describe('the npm package', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kafkit-pack-'))
  const prefix = join(scratch, 'prefix')
  const home = join(scratch, 'home')
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKIT_HOME: home, KAFKIT_CACHE: cacheDir, NO_COLOR: '1' }
  delete env.KAFKA_HOME
  delete env.KAFKIT_BOOTSTRAP_SERVER
  delete env.KAFKIT_STACK
  // npm's own settings must not point the install at the real global prefix.
  delete env.npm_config_prefix
  delete env.NPM_CONFIG_PREFIX
  const kafkit = (args: string[], timeoutMs = 120_000) => run(join(prefix, 'bin', 'kafkit'), args, env, timeoutMs)
  const ok = (result: Run, what: string) =>
    assert.equal(result.code, 0, `${what} exited ${result.code}\n${result.stdout}\n${result.stderr}`)

  before(async () => {
    // A clean tree: the files git tracks or would track (new, not ignored), no dist/, no manifest; node_modules linked.
    const tree = join(scratch, 'tree')
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && existsSync(join(repoRoot, f)) && !f.startsWith('node_modules') && !f.startsWith('.cache'))
    for (const file of files) {
      mkdirSync(dirname(join(tree, file)), { recursive: true })
      cpSync(join(repoRoot, file), join(tree, file))
    }
    assert.ok(!existsSync(join(tree, 'dist')) && !existsSync(join(tree, 'oclif.manifest.json')))
    symlinkSync(join(repoRoot, 'node_modules'), join(tree, 'node_modules'))
    const packed = await runIn(tree, 'npm', ['pack', '--pack-destination', scratch], {
      ...env,
      npm_config_update_notifier: 'false',
    })
    ok(packed, 'npm pack')
    assert.ok(
      existsSync(join(tree, 'dist', 'cli.js')) && existsSync(join(tree, 'oclif.manifest.json')),
      'prepack built the clean tree',
    )
    const tarball = readdirSync(scratch).find((f) => /^kafkit-.*\.tgz$/.test(f))
    assert.ok(tarball, `no tarball in ${readdirSync(scratch).join(' ')}`)
    const installed = await runIn(
      scratch,
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        join(scratch, tarball),
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
      ],
      env,
    )
    ok(installed, 'npm install --global --prefix')
  })
  after(async () => {
    await kafkit(['purge', '--force', '--stack', 'packaged']).catch(() => undefined)
    rmSync(scratch, { recursive: true, force: true })
  })

  it('holds the bundle, the manifest and the templates, and no sources or tests', () => {
    const root = join(prefix, 'lib', 'node_modules', 'kafkit')
    for (const file of [
      'bin/run.js',
      'dist/cli.js',
      'dist/command-index.js',
      'dist/hooks/command-not-found.js',
      'oclif.manifest.json',
      'templates/kraft.properties',
      'templates/log4j2.properties',
    ]) {
      assert.ok(existsSync(join(root, file)), file)
    }
    for (const dir of ['src', 'test', 'bench', 'scripts', 'dist/commands']) assert.ok(!existsSync(join(root, dir)), dir)
  })

  it('--version, --help and help <command> (answered from the manifest) run from the installed package', async () => {
    const version = await kafkit(['--version'])
    ok(version, '--version')
    assert.match(version.stdout, /^kafkit\/\d+\.\d+\.\d+ \S+ node-v\d+/)
    const help = await kafkit(['--help'])
    ok(help, '--help')
    assert.match(help.stdout, /USAGE\n {2}\$ kafkit \[COMMAND\]/)
    assert.match(help.stdout, /\n {2}console-consumer +Print records/)
    assert.match(help.stdout, /\n {2}autocomplete +/) // the plugin, installed as a dependency
    const topics = await kafkit(['help', 'kafka-topics.sh'])
    ok(topics, 'help kafka-topics.sh')
    assert.match(topics.stdout, /ALIASES\n {2}\$ kafkit kafka-topics\n/)
    const typo = await kafkit(['topcis'])
    assert.equal(typo.code, 2)
    assert.match(typo.stderr, /Unknown command "topcis"\. Did you mean: kafkit topics\?/)
  })

  it(
    'up renders the templates, and topics and a shim reach the stack (kafkajs loads from the package)',
    { skip: !existsSync(join(distHome(KAFKA_4), 'libs')) && `Kafka ${KAFKA_4} not in ${cacheDir}` },
    async () => {
      const port = await freePorts(2)
      const up = await kafkit(
        [
          'up',
          '--stack',
          'packaged',
          '--runtime',
          'dist',
          '--version',
          KAFKA_4,
          '--port',
          String(port),
          '--controller-port',
          String(port + 1),
          '--no-install',
        ],
        180_000,
      )
      ok(up, 'up')
      assert.ok(existsSync(join(home, 'stacks', 'packaged', 'config', 'log4j2.properties')))
      const bootstrap = `127.0.0.1:${port}`
      ok(
        await kafkit(['topics', '--bootstrap-server', bootstrap, '--create', '--topic', 'packaged']),
        'topics --create',
      )
      // The bundle keeps kafkajs outside and must still put kafkit's faster encoder and decoder into it (--debug says if not).
      const produced = await run(
        join(prefix, 'bin', 'kafkit'),
        ['console-producer', '--bootstrap-server', bootstrap, '--topic', 'packaged', '--debug'],
        env,
        60_000,
        'one\ntwo\n',
      )
      ok(produced, 'console-producer')
      assert.doesNotMatch(produced.stderr, /fast path/)
      const consumed = await kafkit([
        'console-consumer',
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'packaged',
        '--from-beginning',
        '--max-messages',
        '2',
        '--debug',
      ])
      ok(consumed, 'console-consumer')
      assert.equal(consumed.stdout, 'one\ntwo\n')
      assert.doesNotMatch(consumed.stderr, /fast path/)
      const shims = join(scratch, 'shims')
      ok(await kafkit(['shims', 'install', '--dir', shims]), 'shims install')
      const listed = await run(join(shims, 'kafka-topics.sh'), ['--bootstrap-server', bootstrap, '--list'], env)
      ok(listed, 'kafka-topics.sh --list')
      assert.deepEqual(listed.stdout.trim().split('\n'), ['packaged'])
      ok(await kafkit(['purge', '--force', '--stack', 'packaged']), 'purge')
    },
  )
})

/** A command in a given directory (npm pack works on the package of its working directory), with its output. */
function runIn(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}
