import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { needsRealKafka, repoRoot, runNode, sandbox, startStack, type Run, type Sandbox } from './helpers.js'

/**
 * The admin and metadata commands run on kafkit's own client (src/client/): the built CLI, run with a preload hook
 * that reports at exit whether any kafkajs module was loaded. console-producer, still on kafkajs, shows the check
 * can fail.
 */
const HOOK = `process.on('exit', () => {
  const loaded = Object.keys(require.cache).some((k) => k.includes('/node_modules/kafkajs/'))
  process.stderr.write('\\nkafkajs-loaded=' + loaded + '\\n')
})
`

/** Commands whose APIs the embedded broker does not serve (docs/embedded.md, "Not yet"). */
const UNSERVED: Record<string, string> = {
  'transactions list': 'ListTransactions (no transactions on the embedded broker)',
  'client-metrics --list': 'ListConfigResources/client metrics (not on the embedded broker)',
  'log-dirs --describe': 'DescribeLogDirs (not on the embedded broker)',
  'metadata-quorum describe': 'DescribeQuorum (the embedded broker has no KRaft quorum)',
}

describe('commands that load no kafkajs', () => {
  let box: Sandbox
  let bootstrap: string
  let hookDir: string
  let hook: string

  before(async () => {
    hookDir = mkdtempSync(join(tmpdir(), 'kafkit-hook-'))
    hook = join(hookDir, 'kafkajs-loaded.cjs')
    writeFileSync(hook, HOOK)
    box = sandbox()
    bootstrap = await startStack(box, { stack: 'nokjs' })
  })
  after(async () => {
    await box.cleanup()
    rmSync(hookDir, { recursive: true, force: true })
  })

  async function kafkit(args: string[], input?: string): Promise<{ run: Run; kafkajs: boolean }> {
    const run = await runNode(['--require', hook, join(repoRoot, 'bin', 'run.js'), ...args], box.env, 60_000, input)
    assert.equal(run.code, 0, `kafkit ${args.join(' ')} failed (${run.code}):\n${run.stdout}\n${run.stderr}`)
    const match = /kafkajs-loaded=(true|false)/.exec(run.stderr)
    assert.ok(match, `the hook did not report:\n${run.stderr}`)
    return { run, kafkajs: match[1] === 'true' }
  }

  const server = () => ['--bootstrap-server', bootstrap]

  for (const [name, args] of [
    ['topics --create', () => ['topics', '--create', '--topic', 'plain', '--partitions', '2', ...server()]],
    ['topics --list', () => ['topics', '--list', ...server()]],
    ['topics --describe', () => ['topics', '--describe', '--topic', 'plain', ...server()]],
    ['topics --alter', () => ['topics', '--alter', '--topic', 'plain', '--partitions', '3', ...server()]],
    ['configs --describe', () => ['configs', '--describe', '--topic', 'plain', ...server()]],
    [
      'configs --alter',
      () => ['configs', '--alter', '--topic', 'plain', '--add-config', 'retention.ms=1000', ...server()],
    ],
    ['get-offsets', () => ['get-offsets', '--topic', 'plain', ...server()]],
    [
      'replica-verification',
      () => [
        'replica-verification',
        '--topics-include',
        'plain',
        '--max-wait-ms',
        '100',
        '--report-interval-ms',
        '0',
        '--max-reports',
        '1',
        ...server(),
      ],
    ],
    [
      'verifiable-share-consumer',
      () => [
        'verifiable-share-consumer',
        '--topic',
        'plain',
        '--group-id',
        'nokjs',
        '--max-messages',
        '0',
        ...server(),
      ],
    ],
    ['status', () => ['status', '--stack', 'nokjs']],
    ['transactions list', () => ['transactions', 'list', ...server()]],
    ['client-metrics --list', () => ['client-metrics', '--list', ...server()]],
    ['log-dirs --describe', () => ['log-dirs', '--describe', ...server()]],
    [
      'delete-records (dry run)',
      () => ['delete-records', '--topic', 'plain', '--partition', '0', '--offset', '0', ...server()],
    ],
    ['topics --delete', () => ['topics', '--delete', '--topic', 'plain', ...server()]],
    ['metadata-quorum describe', () => ['metadata-quorum', 'describe', '--status', ...server()]],
    ['features describe', () => ['features', 'describe', ...server()]],
    ['cluster api-versions', () => ['cluster', 'api-versions', ...server()]],
    ['broker-api-versions', () => ['broker-api-versions', ...server()]],
  ] as const) {
    it(`${name} loads no kafkajs`, UNSERVED[name] ? needsRealKafka(UNSERVED[name]) : {}, async () => {
      assert.equal((await kafkit([...args()])).kafkajs, false)
    })
  }

  it('console-producer does load kafkajs (the check can fail)', async () => {
    const { kafkajs } = await kafkit(['console-producer', '--topic', 'produced', ...server()], 'a\nb\n')
    assert.equal(kafkajs, true)
  })
})
