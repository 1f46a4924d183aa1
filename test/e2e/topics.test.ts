import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  json,
  kafkaClient,
  repoRoot,
  run,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
  onRealKafka,
  needsRealKafka,
  skipped,
} from './helpers.js'

/**
 * topics, get-offsets, configs and shims through the built CLI, against one real broker per Kafka version, checked
 * against Kafka's own kafka-topics.sh / kafka-get-offsets.sh / kafka-configs.sh (their output must be identical) and
 * kcat -L -J. Every example of docs/topics.md is run by the "documentation examples" test (DOC_EXAMPLES below).
 */

/** Tests that alter broker configs: the embedded broker's are read-only on purpose (docs/embedded.md). */
const BROKER_CONFIGS = needsRealKafka('dynamic broker configs (the embedded broker refuses to alter its own)')

/** The `kafkit ...` lines of docs/topics.md, in order; the docs test checks the document has exactly these. */
export const DOC_EXAMPLES = [
  'kafkit topics --create --topic orders --partitions 3 --config retention.ms=86400000',
  'kafkit topics --create --topic payments --partitions 2 --replication-factor 1',
  'kafkit topics --list',
  'kafkit topics orders',
  'kafkit topics --describe --topic "ord.*" --json',
  'kafkit topics --alter --topic orders --partitions 6',
  'kafkit topics --create --topic placed --replica-assignment 1,1',
  'kafkit kafka-topics.sh --bootstrap-server localhost:9092 --describe --under-replicated-partitions',
  'kafkit topics --create --topic tmp-a',
  'kafkit topics --create --topic tmp-b',
  'kafkit topics --delete --topic "tmp-.*" --yes',
  'kafkit get-offsets --topic orders',
  'kafkit get-offsets orders --time earliest',
  'kafkit get-offsets --topic orders --time -3',
  'kafkit get-offsets --topic orders --time 2024-05-01T00:00:00Z',
  'kafkit get-offsets --topic-partitions "orders:0-2,payments:1" --json',
  'kafkit kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic orders --time -1',
  'kafkit configs --alter --topic orders --add-config retention.ms=3600000,cleanup.policy=[compact,delete]',
  'kafkit configs --describe --topic orders',
  'kafkit configs --alter --entity-type topics --entity-name orders --delete-config retention.ms',
  'kafkit configs --describe --broker 1 --all',
  'kafkit configs --alter --entity-type brokers --entity-default --add-config log.cleaner.threads=2',
  'kafkit configs --describe --entity-type brokers --json',
  'kafkit shims install --dir ~/bin',
  'kafkit shims install --dir ~/bin && kafka-topics.sh --bootstrap-server localhost:9092 --list',
  'kafkit shims uninstall --dir ~/bin',
  'kafkit shims install --prefix ~/tools',
  'kafkit shims uninstall --prefix ~/tools',
  'kafkit shims install',
  'kafkit shims uninstall',
]

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }

/** One of Kafka's own tools (each call starts a JVM: keep them few). */
function tool(version: string, script: string, args: string[]): Promise<Run> {
  return run(join(distHome(version), 'bin', script), args, TOOL_ENV, 120_000)
}

function ok(result: Run, what = 'command'): Run {
  assert.equal(result.code, 0, `${what} failed (${result.code}):\n${result.stdout}\n${result.stderr}`)
  return result
}

interface KcatTopic {
  topic: string
  error?: string
  partitions: Array<{ partition: number; leader: number; replicas: Array<{ id: number }>; isrs: Array<{ id: number }> }>
}

async function kcatMetadata(bootstrap: string, topic: string): Promise<KcatTopic | undefined> {
  // All topics, not `-t topic`: a Metadata request naming a topic makes the broker auto-create it.
  const result = ok(await run('kcat', ['-b', bootstrap, '-L', '-J'], process.env, 60_000), 'kcat -L')
  return (JSON.parse(result.stdout) as { topics: KcatTopic[] }).topics.find((t) => t.topic === topic)
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** Runs kafkit on a pseudo-terminal (util-linux `script`), answering each prompt once its text has appeared. */
function onTerminal(box: Sandbox, args: string[], answers: Array<[RegExp, string]>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, join(repoRoot, 'bin', 'run.js'), ...args].map(quote).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { ...box.env, TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const pending = [...answers]
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`terminal run timed out:\n${stdout}`))
    }, 60_000)
    child.stdout.on('data', (d) => {
      stdout += d
      while (pending.length > 0 && pending[0]![0].test(stdout)) child.stdin.write(pending.shift()![1])
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => {
      clearTimeout(timer)
      child.stdin.destroy()
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

describe('topics, get-offsets, configs: bad input is refused before connecting (exit 2)', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  const cases: Array<[string, string[], RegExp]> = [
    [
      'invalid topic name',
      ['topics', '--create', '--topic', 'bad name!'],
      /Topic name "bad name!" is illegal, it contains a character other than ASCII alphanumerics/,
    ],
    ['topic name too long', ['topics', '--create', '--topic', 'x'.repeat(250)], /can't be longer than 249 characters/],
    ['topic name ".."', ['topics', '--create', '..'], /Topic name cannot be "\." or "\.\."/],
    [
      '--partitions 0',
      ['topics', '--create', '--topic', 'ok', '--partitions', '0'],
      /Invalid --partitions 0: the partitions must be greater than 0/,
    ],
    [
      'malformed --config',
      ['topics', '--create', '--topic', 'ok', '--config', 'retention.ms'],
      /Invalid --config "retention.ms": all configs to be added must be in the format "key=val"/,
    ],
    [
      'malformed --replica-assignment',
      ['topics', '--create', '--topic', 'ok', '--replica-assignment', '1:1,2'],
      /Invalid --replica-assignment "1:1,2": partition 0 lists broker 1 more than once/,
    ],
    [
      'conflicting actions',
      ['topics', '--create', '--delete', '--topic', 'ok'],
      /Conflicting actions --create and --delete/,
    ],
    ['--alter without --partitions', ['topics', '--alter', '--topic', 'ok'], /--alter needs --partitions N/],
    ['--create without a topic and no terminal', ['topics', '--create'], /--create needs a topic/],
    ['invalid regex', ['topics', '--describe', '--topic', 'a[b'], /Invalid --topic "a\[b": a\[b is an invalid regex/],
    [
      'malformed --topic-partitions',
      ['get-offsets', '--topic-partitions', 'orders:x'],
      /Invalid --topic-partitions rule "orders:x"/,
    ],
    [
      '--topic-partitions with --topic',
      ['get-offsets', '--topic', 'a', '--topic-partitions', 'a:1'],
      /--topic-partitions cannot be used with --topic or --partitions/,
    ],
    ['malformed --time', ['get-offsets', '--topic', 'a', '--time', 'yesterday'], /Malformed time argument yesterday/],
    [
      'malformed --add-config',
      ['configs', '--alter', '--topic', 'a', '--add-config', 'retention.ms'],
      /Invalid --add-config "retention.ms"/,
    ],
    ['configs without entity', ['configs', '--describe'], /At least one entity type must be specified/],
    [
      'configs broker id',
      ['configs', '--describe', '--broker', 'one'],
      /must be a valid integer broker id, but it is: one/,
    ],
    ['an unknown flag', ['topics', '--list', '--nope'], /Nonexistent flag: --nope/],
  ]
  for (const [label, args, message] of cases) {
    it(`${label}`, async () => {
      const result = await box.kafkit([...args, '--bootstrap-server', '127.0.0.1:1'])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, message)
      assert.doesNotMatch(result.stderr, /Cannot reach Kafka/)
      assert.equal(result.stdout, '')
    })
  }

  it('--json puts the usage error in the JSON result', async () => {
    const result = await box.kafkit([
      'topics',
      '--create',
      '--topic',
      'x',
      '--partitions',
      '0',
      '--json',
      '--bootstrap-server',
      '127.0.0.1:1',
    ])
    assert.equal(result.code, 2)
    assert.equal(json(result).error.code, 'BAD_PARTITIONS')
  })

  it('an unreachable broker is named, exit 1, within 15 s', async () => {
    for (const args of [
      ['topics', '--list'],
      ['get-offsets', '--topic', 'x'],
      ['configs', '--describe', '--topic', 'x'],
    ]) {
      const started = Date.now()
      const result = await box.kafkit([...args, '--bootstrap-server', '127.0.0.1:1'])
      const elapsed = Date.now() - started
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /Cannot reach Kafka at 127\.0\.0\.1:1 \(--bootstrap-server\)/)
      assert.ok(elapsed < 15_000, `took ${elapsed} ms`)
    }
  })

  it('docs/topics.md has exactly the examples this file runs, and every --help example is one of them', async () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'topics.md'), 'utf8')
    const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1]!.split('\n'))
      .filter((l) => l.startsWith('kafkit '))
    assert.deepEqual(blocks, DOC_EXAMPLES)
    // The built CLI's manifest: what --help prints.
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { examples: Array<{ command: string }> }>
    }
    for (const id of ['topics', 'get-offsets', 'configs', 'shims:install', 'shims:uninstall']) {
      for (const example of manifest.commands[id]!.examples) {
        assert.ok(
          DOC_EXAMPLES.includes(example.command.replace('<%= config.bin %>', 'kafkit')),
          `${id} example not in docs: ${example.command}`,
        )
      }
    }
  })
})

for (const version of [KAFKA_3, KAFKA_4]) {
  const suite = onRealKafka(`Kafka ${version} (the embedded broker speaks ${KAFKA_4})`, version !== KAFKA_4).describe
  suite(`topics, get-offsets, configs, shims on Kafka ${version}`, () => {
    let box: Sandbox
    let bootstrap: string
    const kafkit = (args: string[]) => box.kafkit([...args, '--bootstrap-server', bootstrap])

    before(async () => {
      box = sandbox()
      bootstrap = await startStack(box, { version })
    })
    after(async () => box.cleanup())

    it('a topic created, altered, described and deleted by kafkit is seen the same way by kafka-topics.sh and kcat', async () => {
      ok(
        await kafkit([
          'topics',
          '--create',
          '--topic',
          'xcheck',
          '--partitions',
          '2',
          '--replication-factor',
          '1',
          '--config',
          'retention.ms=86400000',
        ]),
        'create',
      )
      assert.match(
        ok(await kafkit(['topics', '--alter', '--topic', 'xcheck', '--partitions', '5'])).stdout,
        /Altered topic xcheck: 2 -> 5 partitions\./,
      )
      ok(
        await kafkit(['configs', '--alter', '--topic', 'xcheck', '--add-config', 'max.message.bytes=2000000']),
        'configs --alter',
      )

      const mine = ok(await kafkit(['topics', '--describe', '--topic', 'xcheck'])).stdout
      const theirs = ok(
        await tool(version, 'kafka-topics.sh', ['--bootstrap-server', bootstrap, '--describe', '--topic', 'xcheck']),
      ).stdout
      assert.equal(mine, theirs, 'kafkit --describe prints exactly what kafka-topics.sh prints')
      assert.equal(
        ok(await kafkit(['topics', 'xcheck', '--partition-size-limit-per-response', '2'])).stdout,
        theirs,
        'paged through 3 responses',
      )
      assert.match(
        mine,
        /^Topic: xcheck\tTopicId: [\w-]{22}\tPartitionCount: 5\tReplicationFactor: 1\tConfigs: .*retention\.ms=86400000/,
      )
      assert.match(mine, /max\.message\.bytes=2000000/)

      const described = json(ok(await kafkit(['topics', '--describe', '--topic', 'xcheck', '--json'])))
      const topic = described.topics[0]
      assert.equal(topic.partitionCount, 5)
      assert.equal(topic.replicationFactor, 1)
      assert.equal(topic.configs['retention.ms'], '86400000')
      assert.equal(topic.configs['max.message.bytes'], '2000000')
      const kcat = await kcatMetadata(bootstrap, 'xcheck')
      assert.ok(kcat && !kcat.error)
      assert.deepEqual(
        kcat.partitions
          .map((p) => ({
            partition: p.partition,
            leader: p.leader,
            replicas: p.replicas.map((r) => r.id),
            isr: p.isrs.map((r) => r.id),
          }))
          .sort((a, b) => a.partition - b.partition),
        topic.partitions.map((p: { partition: number; leader: number; replicas: number[]; isr: number[] }) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
        })),
      )

      const myList = ok(await kafkit(['topics', '--list'])).stdout
      assert.ok(myList.split('\n').includes('xcheck'))
      assert.deepEqual(ok(await kafkit(['topics', '--delete', '--topic', 'xcheck'])).stdout, 'Deleted topic xcheck.\n')
      await eventually(async () => !(await kcatMetadata(bootstrap, 'xcheck')), 30_000, 'xcheck gone for kcat')
      // Deletion reaches the brokers' metadata asynchronously (the script does not wait either).
      const after = await eventually(
        async () => {
          const listed = ok(await tool(version, 'kafka-topics.sh', ['--bootstrap-server', bootstrap, '--list'])).stdout
          return listed.split('\n').includes('xcheck') ? undefined : listed
        },
        60_000,
        'xcheck gone for kafka-topics.sh --list',
      )
      assert.equal(
        ok(await kafkit(['topics', '--list'])).stdout,
        after.trim() === '' ? '' : after,
        'kafkit --list prints what kafka-topics.sh --list prints',
      )
    })

    it('get-offsets prints what kafka-get-offsets.sh prints for -1, -2, -3, a timestamp and --topic-partitions', async () => {
      ok(await kafkit(['topics', '--create', '--topic', 'offs', '--partitions', '12']))
      const base = Date.now() - 60_000
      const producer = kafkaClient(bootstrap).producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      // Different record counts and timestamps per partition; partitions 3..11 partly empty. 12 partitions check the
      // script's string order (offs-10 before offs-2).
      const counts = [5, 3, 0, 7, 1, 0, 2, 0, 0, 0, 4, 6]
      await producer.send({
        topic: 'offs',
        acks: -1,
        messages: counts.flatMap((n, partition) =>
          Array.from({ length: n }, (_, i) => ({
            partition,
            value: `v${i}`,
            timestamp: String(base + i * 1000 + partition),
          })),
        ),
      })
      await producer.disconnect()
      const argSets = [
        ['--topic', 'offs'],
        ['--topic', 'offs', '--time', '-2'],
        ['--topic', 'offs', '--time', '-3'],
        ['--topic', 'offs', '--time', String(base + 2500)],
        ['--topic-partitions', 'offs:1-4,off.*:11'],
        ['--topic', 'off.', '--partitions', '0,10', '--time', 'earliest'],
      ]
      for (const args of argSets) {
        const theirs = ok(
          await tool(version, 'kafka-get-offsets.sh', ['--bootstrap-server', bootstrap, ...args]),
          `kafka-get-offsets.sh ${args.join(' ')}`,
        ).stdout
        const mine = ok(await kafkit(['get-offsets', ...args])).stdout
        assert.equal(mine, theirs, `get-offsets ${args.join(' ')}`)
        assert.notEqual(mine, '')
      }
      const latest = json(ok(await kafkit(['get-offsets', '--topic', 'offs', '--json'])))
      assert.deepEqual(
        latest.offsets.map((o: { offset: number }) => o.offset).reduce((a: number, b: number) => a + b, 0),
        counts.reduce((a, b) => a + b, 0),
      )
      assert.equal(latest.offsets[2].partition, 10, 'string order like the script')
      const at = json(ok(await kafkit(['get-offsets', '--topic', 'offs', '--time', String(base + 2500), '--json'])))
      assert.deepEqual(
        at.offsets.map((o: { partition: number; offset: number }) => `${o.partition}:${o.offset}`),
        ['0:3', '10:3', '11:3', '3:3'],
        'first offset at or after the time; partitions without such a record left out',
      )

      const none = await kafkit(['get-offsets', '--topic', 'nothing-like-this'])
      assert.equal(none.code, 1)
      assert.match(none.stderr, /Could not match any topic-partitions with the specified filters/)
    })

    it('configs --describe matches kafka-configs.sh; --delete-config removes the key', async () => {
      ok(await kafkit(['topics', '--create', '--topic', 'cfg', '--partitions', '1']))
      assert.equal(
        ok(
          await kafkit([
            'configs',
            '--alter',
            '--entity-type',
            'topics',
            '--entity-name',
            'cfg',
            '--add-config',
            'retention.ms=3600000,cleanup.policy=[compact,delete]',
          ]),
        ).stdout,
        'Completed updating config for topic cfg.\n',
      )
      const mine = ok(await kafkit(['configs', '--describe', '--topic', 'cfg'])).stdout
      const theirs = ok(
        await tool(version, 'kafka-configs.sh', ['--bootstrap-server', bootstrap, '--describe', '--topic', 'cfg']),
      ).stdout
      assert.equal(mine, theirs)
      assert.match(
        mine,
        /^ {2}cleanup\.policy=compact,delete sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:cleanup\.policy=compact,delete, DEFAULT_CONFIG:log\.cleanup\.policy=delete\}$/m,
      )
      assert.match(mine, /^ {2}retention\.ms=3600000 sensitive=false/m)

      ok(await kafkit(['configs', '--alter', '--topic', 'cfg', '--delete-config', 'retention.ms']))
      const after = ok(
        await tool(version, 'kafka-configs.sh', ['--bootstrap-server', bootstrap, '--describe', '--topic', 'cfg']),
      ).stdout
      assert.doesNotMatch(after, /retention\.ms/)
      assert.match(after, /cleanup\.policy=compact,delete/)
      assert.equal(ok(await kafkit(['configs', '--describe', '--topic', 'cfg'])).stdout, after)

      const missing = await kafkit(['configs', '--alter', '--topic', 'cfg', '--delete-config', 'retention.ms'])
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /Invalid config\(s\): retention\.ms/)
      const rejected = await kafkit(['configs', '--alter', '--topic', 'cfg', '--add-config', 'no.such.config=1'])
      assert.equal(rejected.code, 1)
      assert.match(rejected.stderr, /Unknown topic config name: no\.such\.config/)
    })

    it('configs of broker entities, including the cluster-wide default kafkajs cannot address', async (t) => {
      if (skipped(t, BROKER_CONFIGS)) return
      ok(await kafkit(['configs', '--alter', '--broker-defaults', '--add-config', 'log.cleaner.threads=2']))
      ok(await kafkit(['configs', '--alter', '--broker', '1', '--add-config', 'log.cleaner.backoff.ms=20000']))
      const brokers = ok(await kafkit(['configs', '--describe', '--entity-type', 'brokers'])).stdout
      assert.equal(
        brokers,
        ok(
          await tool(version, 'kafka-configs.sh', [
            '--bootstrap-server',
            bootstrap,
            '--describe',
            '--entity-type',
            'brokers',
          ]),
        ).stdout,
      )
      assert.match(
        brokers,
        /Default configs for brokers in the cluster are:\n(.*\n)* {2}log\.cleaner\.threads=2 sensitive=false synonyms=\{DYNAMIC_DEFAULT_BROKER_CONFIG:log\.cleaner\.threads=2\}/,
      )
      assert.match(brokers, /Dynamic configs for broker 1 are:\n {2}log\.cleaner\.backoff\.ms=20000/)
      ok(await kafkit(['configs', '--alter', '--broker-defaults', '--delete-config', 'log.cleaner.threads']))
      ok(await kafkit(['configs', '--alter', '--broker', '1', '--delete-config', 'log.cleaner.backoff.ms']))
      assert.doesNotMatch(
        ok(await kafkit(['configs', '--describe', '--entity-type', 'brokers'])).stdout,
        /log\.cleaner/,
      )
    })

    it('unknown topics, existing topics and bulk operations give the documented exit codes', async () => {
      const unknown = await kafkit(['topics', '--describe', '--topic', 'no-such-topic'])
      assert.equal(unknown.code, 1)
      assert.match(unknown.stderr, /Topic 'no-such-topic' does not exist as expected\./)
      assert.equal(
        json(await kafkit(['topics', '--delete', '--topic', 'no-such-topic', '--json'])).error.code,
        'UNKNOWN_TOPIC',
      )
      assert.equal(ok(await kafkit(['topics', '--delete', '--topic', 'no-such-topic', '--if-exists'])).stdout, '')
      const cfg = await kafkit(['configs', '--describe', '--topic', 'no-such-topic'])
      assert.equal(cfg.code, 1)
      assert.match(cfg.stderr, /The topic 'no-such-topic' doesn't exist and doesn't have dynamic config\./)

      ok(await kafkit(['topics', '--create', 'dup']))
      const dup = await kafkit(['topics', '--create', 'dup'])
      assert.equal(dup.code, 1)
      assert.match(dup.stderr, /Topic 'dup' already exists/)
      assert.equal(ok(await kafkit(['topics', '--create', 'dup', '--if-not-exists'])).stdout, '')

      // Bulk alter: grow-a has 2 partitions (grows to 4), grow-b has 6 (cannot shrink): one row each, exit 1.
      ok(await kafkit(['topics', '--create', 'grow-a', '--partitions', '2']))
      ok(await kafkit(['topics', '--create', 'grow-b', '--partitions', '6']))
      const bulk = await kafkit(['topics', '--alter', '--topic', 'grow-.*', '--partitions', '4'])
      assert.equal(bulk.code, 1)
      assert.match(bulk.stdout, /^grow-a +altered +2 -> 4 partitions$/m)
      assert.match(bulk.stdout, /^grow-b +failed +Cannot set grow-b to 4 partitions: it has 6 partitions/m)
      assert.match(bulk.stderr, /1 of 2 topics could not be altered/)
      const bulkJson = json(await kafkit(['topics', '--alter', '--topic', 'grow-.*', '--partitions', '5', '--json']))
      assert.deepEqual(
        bulkJson.results.map((r: { topic: string; status: string }) => `${r.topic}:${r.status}`),
        ['grow-a:altered', 'grow-b:failed'],
      )
      // New partitions reach the brokers' metadata asynchronously (kafka-topics.sh --alter does not wait either).
      await eventually(
        async () => (await kcatMetadata(bootstrap, 'grow-a'))?.partitions.length === 5,
        30_000,
        'grow-a with 5 partitions for kcat',
      )

      // Several topics to delete and no terminal: refused, nothing deleted.
      const refused = await kafkit(['topics', '--delete', '--topic', 'grow-.*'])
      assert.equal(refused.code, 2)
      assert.match(
        refused.stderr,
        /Refusing to delete 2 topics matching "grow-\.\*" \(grow-a, grow-b\) without confirmation: no terminal/,
      )
      assert.match(ok(await kafkit(['topics', '--list'])).stdout, /grow-a\ngrow-b/)
      const deleted = ok(await kafkit(['topics', '--delete', '--topic', 'grow-.*', '--yes']))
      assert.match(deleted.stdout, /^grow-a +deleted$/m)
      assert.match(deleted.stdout, /^grow-b +deleted$/m)

      // The script's own name as the command.
      assert.match(
        ok(await box.kafkit(['kafka-topics.sh', '--bootstrap-server', bootstrap, '--list'])).stdout,
        /^dup$/m,
      )
    })

    it('shims: kafka-topics.sh in the shim directory runs kafkit; uninstall removes exactly what install wrote', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kafkit-shims-'))
      writeFileSync(join(dir, 'kafka-run-class.sh'), '#!/bin/sh\necho not kafkit\n')
      chmodSync(join(dir, 'kafka-run-class.sh'), 0o755)
      const before = readdirSync(dir).sort()
      const installed = json(ok(await box.kafkit(['shims', 'install', '--dir', dir, '--json'])))
      // One shim per script name of kafkit's commands (bare and .sh), so the count grows with the commands.
      const names = installed.files.map((f: { name: string }) => f.name)
      for (const name of ['kafka-topics', 'kafka-topics.sh', 'kafka-server-start.sh', 'zookeeper-server-stop'])
        assert.ok(names.includes(name), name)
      assert.equal(installed.onPath, false)
      assert.ok(existsSync(join(box.home, 'shims.json')))
      const listed = ok(
        await run(join(dir, 'kafka-topics.sh'), ['--bootstrap-server', bootstrap, '--list'], box.env, 60_000),
        'shim kafka-topics.sh',
      )
      assert.equal(listed.stdout, ok(await kafkit(['topics', '--list'])).stdout)
      assert.match(
        ok(
          await run(
            join(dir, 'kafka-get-offsets'),
            ['--bootstrap-server', bootstrap, '--topic', 'offs', '--partitions', '0'],
            box.env,
            60_000,
          ),
        ).stdout,
        /^offs:0:5$/m,
      )
      const warned = await box.kafkit(['shims', 'install', '--dir', dir])
      assert.match(warned.stderr, /is not on your PATH/)

      // A foreign file under a shim's name is refused without --force.
      const other = mkdtempSync(join(tmpdir(), 'kafkit-shims-'))
      writeFileSync(join(other, 'kafka-configs.sh'), 'mine')
      const refused = await box.kafkit(['shims', 'install', '--dir', other])
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /Not overwriting 1 file\(s\) kafkit did not write .*kafka-configs\.sh/)
      assert.deepEqual(readdirSync(other), ['kafka-configs.sh'])

      const removed = json(ok(await box.kafkit(['shims', 'uninstall', '--dir', dir, '--json'])))
      assert.equal(removed.removed.length, installed.files.length)
      assert.deepEqual(readdirSync(dir).sort(), before, 'only the files install wrote are gone')
      assert.equal(readFileSync(join(dir, 'kafka-run-class.sh'), 'utf8'), '#!/bin/sh\necho not kafkit\n')
    })

    if (version === KAFKA_4) {
      it('on a terminal, --create asks for the topic and --delete of several topics asks for confirmation', async () => {
        const created = await onTerminal(
          box,
          ['topics', '--create', '--bootstrap-server', bootstrap],
          [
            [/Topic name/, 'bad name\r'],
            [/is illegal/, '\x7f'.repeat(10) + 'asked-for\r'],
          ],
        )
        assert.equal(created.code, 0, created.stdout)
        assert.match(created.stdout, /Created topic asked-for\./)
        ok(await kafkit(['topics', '--create', 'asked-two']))
        // Every matching topic is listed before the question.
        const declined = await onTerminal(
          box,
          ['topics', '--delete', '--topic', 'asked-.*', '--bootstrap-server', bootstrap],
          [[/matches 2 topics:\s+asked-for\s+asked-two\s+\S* ?Delete these 2 topics\?/, 'n\r']],
        )
        assert.equal(declined.code, 2, declined.stdout)
        assert.match(declined.stdout, /Deletion cancelled/)
        assert.match(ok(await kafkit(['topics', '--list'])).stdout, /asked-for\nasked-two/)
        const confirmed = await onTerminal(
          box,
          ['topics', '--delete', '--topic', 'asked-.*', '--bootstrap-server', bootstrap],
          [[/Delete these 2 topics\?/, 'y\r']],
        )
        assert.equal(confirmed.code, 0, confirmed.stdout)
        assert.doesNotMatch(ok(await kafkit(['topics', '--list'])).stdout, /asked-/)
      })

      it('documentation examples (docs/topics.md) all run', async (t) => {
        if (skipped(t, BROKER_CONFIGS)) return
        const home = mkdtempSync(join(tmpdir(), 'kafkit-doc-home-'))
        const wrappers = join(home, 'wrappers')
        mkdirSync(wrappers)
        writeFileSync(
          join(wrappers, 'kafkit'),
          `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(join(repoRoot, 'bin', 'run.js'))} "$@"\n`,
        )
        chmodSync(join(wrappers, 'kafkit'), 0o755)
        const env = {
          ...box.env,
          HOME: home,
          KAFKIT_BOOTSTRAP_SERVER: bootstrap,
          PATH: `${wrappers}:${join(home, 'bin')}:${process.env.PATH}`,
        }
        const outputs = new Map<string, string>()
        for (const example of DOC_EXAMPLES) {
          const line = example.replaceAll('localhost:9092', bootstrap)
          const result = await run('sh', ['-c', line], env, 120_000)
          assert.equal(result.code, 0, `${example}\n${result.stdout}\n${result.stderr}`)
          outputs.set(example, result.stdout)
        }
        assert.match(outputs.get('kafkit topics --list')!, /^orders\npayments$/m)
        assert.match(
          outputs.get('kafkit topics orders')!,
          /^Topic: orders\tTopicId: .*PartitionCount: 3\t.*retention\.ms=86400000/,
        )
        assert.equal(
          JSON.parse(outputs.get('kafkit topics --describe --topic "ord.*" --json')!).topics[0].name,
          'orders',
        )
        assert.match(outputs.get('kafkit topics --delete --topic "tmp-.*" --yes')!, /tmp-a +deleted\ntmp-b +deleted/)
        assert.equal(
          outputs.get('kafkit get-offsets --topic orders')!,
          'orders:0:0\norders:1:0\norders:2:0\norders:3:0\norders:4:0\norders:5:0\n',
        )
        assert.deepEqual(
          JSON.parse(outputs.get('kafkit get-offsets --topic-partitions "orders:0-2,payments:1" --json')!).offsets.map(
            (o: { topic: string; partition: number }) => `${o.topic}:${o.partition}`,
          ),
          ['orders:0', 'orders:1', 'payments:1'],
        )
        assert.match(outputs.get('kafkit configs --describe --topic orders')!, /retention\.ms=3600000/)
        assert.match(outputs.get('kafkit configs --describe --broker 1 --all')!, /^All configs for broker 1 are:\n/)
        assert.equal(
          JSON.parse(outputs.get('kafkit configs --describe --entity-type brokers --json')!)
            .entities.at(-1)
            .configs.find((c: { name: string }) => c.name === 'log.cleaner.threads').value,
          '2',
        )
        assert.match(
          outputs.get('kafkit shims install --dir ~/bin && kafka-topics.sh --bootstrap-server localhost:9092 --list')!,
          /^orders$/m,
        )
        assert.equal(readdirSync(join(home, 'bin')).length, 0, 'shims uninstall --dir ~/bin removed them all')
        assert.match(outputs.get('kafkit shims install --prefix ~/tools')!, /tools\/bin/)
        assert.ok(!existsSync(join(home, 'tools', 'bin', 'kafka-topics')), 'shims uninstall --prefix removed them')
        assert.ok(
          !existsSync(join(home, '.local', 'bin', 'kafka-topics')),
          "shims uninstall removed the default directory's shims",
        )
      })
    }
  })
}

const ZOOKEEPER = onRealKafka(`ZooKeeper mode and Kafka ${KAFKA_3}`)
ZOOKEEPER.describe(
  `topics --describe on a ZooKeeper-mode Kafka ${KAFKA_3} (no DescribeTopicPartitions: Metadata v12 path)`,
  () => {
    let box: Sandbox
    let bootstrap: string
    before(async () => {
      box = sandbox()
      bootstrap = await startStack(box, { version: KAFKA_3, mode: 'zookeeper' })
    })
    after(async () => box.cleanup())

    it('prints what kafka-topics.sh prints (TopicId included, Elr: N/A), and get-offsets/configs work', async () => {
      const kafkit = (args: string[]) => box.kafkit([...args, '--bootstrap-server', bootstrap])
      ok(await kafkit(['topics', '--create', 'zk', '--partitions', '3', '--config', 'retention.ms=1000']))
      ok(await kafkit(['topics', '--alter', 'zk', '--partitions', '4']))
      const mine = ok(await kafkit(['topics', '--describe', '--topic', 'zk'])).stdout
      assert.equal(
        mine,
        ok(await tool(KAFKA_3, 'kafka-topics.sh', ['--bootstrap-server', bootstrap, '--describe', '--topic', 'zk']))
          .stdout,
      )
      assert.match(mine, /^Topic: zk\tTopicId: [\w-]{22}\tPartitionCount: 4\t/)
      assert.match(mine, /\tElr: N\/A\tLastKnownElr: N\/A$/m)
      assert.equal(ok(await kafkit(['get-offsets', 'zk', '--time', '-2'])).stdout, 'zk:0:0\nzk:1:0\nzk:2:0\nzk:3:0\n')
      assert.match(
        ok(await kafkit(['configs', '--describe', '--topic', 'zk'])).stdout,
        /^ {2}retention\.ms=1000 sensitive=false/m,
      )
    })
  },
)
