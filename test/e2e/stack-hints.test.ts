import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  eventually,
  freePorts,
  json,
  kafkaClient,
  repoRoot,
  run,
  sandbox,
  sleep,
  underPty,
  type Run,
  type Sandbox,
  runtimeArgs,
  TEST_RUNTIME,
} from './helpers.js'

/**
 * The newcomer path with a stack that is not "default": every command kafkit prints (the `Try:` line of `up`, the
 * `Undo with:` of a reset) is run exactly as printed, in a shell without KAFKIT_STACK, and must act on that stack; and
 * commands that name no stack point at the stacks that run instead of suggesting a second Kafka.
 */
const STACK = 'ux'
const bin = join(repoRoot, 'bin', 'run.js')

describe('stack-aware hints and missing-stack errors', { timeout: 600_000 }, () => {
  let box: Sandbox
  let port: number
  let upRun: Run

  /** A printed command, run by bash as the user would paste it (`kafkit` is the built CLI, no KAFKIT_STACK set). */
  const asPrinted = (command: string, timeoutMs = 120_000) =>
    run('bash', ['-c', `kafkit() { node ${bin} "$@"; }\n${command}`], box.env, timeoutMs)

  before(async () => {
    box = sandbox()
    port = await freePorts(1)
    const controller = await freePorts(1)
    upRun = await box.kafkit([
      'up',
      '--stack',
      STACK,
      ...runtimeArgs(),
      '--port',
      String(port),
      '--controller-port',
      String(controller),
    ])
    assert.equal(upRun.code, 0, upRun.stderr)
  })
  after(async () => box?.cleanup())

  it('status without --stack names the running stack and how to select it (exit 1), and KAFKIT_STACK selects it', async () => {
    const status = await box.kafkit(['status'])
    assert.equal(status.code, 1)
    assert.match(status.stderr, /There is no stack "default"\./)
    assert.match(status.stderr, new RegExp(`Running stacks: ux \\(127\\.0\\.0\\.1:${port}\\)\\.`))
    assert.match(status.stderr, /Use --stack ux or export KAFKIT_STACK=ux\./)
    assert.doesNotMatch(status.stderr, /kafkit up/)
    const asJson = json(await box.kafkit(['status', '--json']))
    assert.equal(asJson.error.code, 'NO_STACK')
    assert.deepEqual(asJson.error.details, [`Running stacks: ux (127.0.0.1:${port}).`])
    const viaEnv = await box.kafkit(['status'], { env: { KAFKIT_STACK: STACK } })
    assert.equal(viaEnv.code, 0, viaEnv.stderr)
    assert.match(viaEnv.stdout, /^Stack ux: running/m)
  })

  it('a data command without --stack points at the running stack, not at a second Kafka on 9092', async () => {
    const topics = await box.kafkit(['topics', '--list'])
    assert.equal(topics.code, 1)
    assert.match(topics.stderr, /no local stack "default"/)
    assert.match(topics.stderr, new RegExp(`Running stacks: ux \\(127\\.0\\.0\\.1:${port}\\)\\.`))
    assert.match(topics.stderr, /Use --stack ux or export KAFKIT_STACK=ux\./)
    assert.doesNotMatch(topics.stderr, /kafkit up/)
    const viaEnv = await box.kafkit(['topics', '--list'], { env: { KAFKIT_STACK: STACK } })
    assert.equal(viaEnv.code, 0, viaEnv.stderr)
  })

  it('status --all lists every stack with state, version, mode and ports (text and JSON)', async () => {
    const text = await box.kafkit(['status', '--all'])
    assert.equal(text.code, 0, text.stderr)
    assert.match(text.stdout, /^STACK\s+STATE\s+KAFKA\s+MODE\s+RUNTIME\s+BOOTSTRAP SERVERS\s+PORTS$/m)
    assert.match(
      text.stdout,
      new RegExp(
        `^ux\\s+running\\s+${KAFKA_4.replace(/\./g, '\\.')}\\s+kraft\\s+${TEST_RUNTIME}\\s+127\\.0\\.0\\.1:${port}\\s+\\S*${port}`,
        'm',
      ),
    )
    const all = json(await box.kafkit(['status', '--all', '--json']))
    assert.equal(all.stacks.length, 1)
    assert.equal(all.stacks[0].stack, STACK)
    assert.equal(all.stacks[0].state, 'running')
    assert.equal(all.stacks[0].kafkaVersion, KAFKA_4)
    assert.equal(all.stacks[0].mode, 'kraft')
    assert.ok(all.stacks[0].ports.includes(port))
  })

  it('the "Undo with" of a reset (stack chosen by KAFKIT_STACK) runs as printed and undoes on stack ux', async () => {
    const kafka = kafkaClient(`127.0.0.1:${port}`)
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({ topics: [{ topic: 'hints-t', numPartitions: 1 }], waitForLeaders: true })
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      await producer.send({
        topic: 'hints-t',
        acks: -1,
        messages: Array.from({ length: 5 }, (_, i) => ({ value: `v${i}` })),
      })
      await producer.disconnect()
      await admin.setOffsets({ groupId: 'g-hints', topic: 'hints-t', partitions: [{ partition: 0, offset: '2' }] })
      const committed = async () =>
        Number((await admin.fetchOffsets({ groupId: 'g-hints', topics: ['hints-t'] }))[0]!.partitions[0]!.offset)

      const reset = await box.kafkit(
        ['consumer-groups', '--reset-offsets', '--group', 'g-hints', '--topic', 'hints-t', '--to-latest', '--execute'],
        { env: { KAFKIT_STACK: STACK } },
      )
      assert.equal(reset.code, 0, reset.stderr)
      assert.equal(await committed(), 5)
      const undo = /Undo with: (kafkit .*)$/m.exec(reset.stderr)?.[1]
      assert.equal(undo, 'kafkit consumer-groups --undo-reset --group g-hints --execute --stack ux')
      const undone = await asPrinted(undo!)
      assert.equal(undone.code, 0, undone.stderr)
      assert.equal(await committed(), 2)
    } finally {
      await admin.disconnect()
    }
  })

  it('suggestions of data-command errors carry --stack and run as printed', async () => {
    const failed = await box.kafkit(
      ['console-consumer', 'hints-missing', '--consumer-property', 'allow.auto.create.topics=false'],
      { env: { KAFKIT_STACK: STACK } },
    )
    assert.equal(failed.code, 1, failed.stderr)
    const create = /Try: Create it: (kafkit .*)$/m.exec(failed.stderr)?.[1]
    assert.equal(create, 'kafkit topics --create --topic hints-missing --stack ux')
    const created = await asPrinted(create!)
    assert.equal(created.code, 0, created.stderr)
    const described = await box.kafkit(['topics', '--describe', '--topic', 'hints-missing', '--stack', STACK])
    assert.equal(described.code, 0, described.stderr)
  })

  it('console-consumer on a terminal says it waits for new records (through a pseudo-terminal; nothing in a pipe)', async () => {
    // `script` gives the command a real pseudo-terminal for stdin, stdout and stderr, as a user's shell would.
    const consume = `node ${bin} console-consumer hints-missing --stack ${STACK} --timeout-ms 1500`
    const onTerminal = await run('script', ['-qec', consume, '/dev/null'], box.env, 120_000)
    assert.equal(onTerminal.code, 0, onTerminal.stdout)
    assert.match(
      onTerminal.stdout,
      /Waiting for new records on hints-missing \(from latest; --from-beginning for all\)\. Ctrl-C to stop\./,
    )
    const piped = await box.kafkit(['console-consumer', 'hints-missing', '--stack', STACK, '--timeout-ms', '1500'])
    assert.equal(piped.code, 0, piped.stderr)
    assert.doesNotMatch(piped.stderr, /Waiting for new records/)
  })

  it("a replication factor above the broker count keeps the broker's explanation (as kafka-topics.sh prints it)", async () => {
    const result = await box.kafkit([
      'topics',
      '--create',
      '--topic',
      'rf3',
      '--replication-factor',
      '3',
      '--stack',
      STACK,
    ])
    assert.equal(result.code, 1)
    assert.match(result.stderr, /INVALID_REPLICATION_FACTOR/)
    assert.match(
      result.stderr,
      /The target replication factor of 3 cannot be reached because only 1 broker\(s\) are registered/,
    )
  })

  it('up on a terminal keeps one redrawn progress line with the elapsed time; --verbose prints every step', async () => {
    assert.equal((await box.kafkit(['down', '--stack', STACK])).code, 0)
    const compact = await run('script', ['-qec', `node ${bin} up --stack ${STACK}`, '/dev/null'], box.env, 180_000)
    assert.equal(compact.code, 0, compact.stdout)
    assert.match(
      compact.stdout,
      /\r\u001B\[2K[^\n]*Waiting for 1 broker\(s\) to answer Metadata[^\n]*\d+\.\d s/, // eslint-disable-line no-control-regex
      'a redrawn step line with seconds',
    )
    assert.doesNotMatch(compact.stdout, /(^|\n)\S*› (Starting|Waiting)[^\r]*\r?\n/, 'no step on a line of its own')
    assert.match(compact.stdout, /Stack ux is ready/)
    assert.equal((await box.kafkit(['down', '--stack', STACK])).code, 0)
    const verbose = await run(
      'script',
      ['-qec', `node ${bin} up --stack ${STACK} --verbose`, '/dev/null'],
      box.env,
      180_000,
    )
    assert.equal(verbose.code, 0, verbose.stdout)
    assert.match(verbose.stdout, /› Waiting for 1 broker\(s\) to answer Metadata\r?\n/)
  })

  it('destructive prompts show what they would do before they ask (reset, topic delete, purge; answered "n" on a pseudo-terminal)', async () => {
    // eslint-disable-next-line no-control-regex
    const screen = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n')
    const answerNo = async (args: string[], question: string) => {
      const answered = await underPty(box, args, [[question, 'n\r']])
      return { code: answered.code, screen: screen(answered.output) }
    }

    const reset = await answerNo(
      [
        'consumer-groups',
        ...['--stack', STACK, '--reset-offsets', '--group', 'g-hints', '--topic', 'hints-t', '--to-earliest'],
        '--execute',
      ],
      'Reset 1 partition offset',
    )
    const plan = reset.screen.indexOf('NEW-OFFSET')
    const question = reset.screen.indexOf('Reset 1 partition offset')
    assert.ok(plan >= 0 && question > plan, `the plan comes before the question:\n${reset.screen}`)
    assert.match(reset.screen, /g-hints\s+hints-t\s+0\s+0\s+2/)
    assert.match(reset.screen, /Cancelled: no offsets were changed\./)
    assert.equal(reset.code, 1, reset.screen)

    const del = await answerNo(
      ['topics', '--stack', STACK, '--delete', '--topic', 'hints-.*'],
      'Delete these 2 topics?',
    )
    assert.ok(
      del.screen.indexOf('  hints-missing') >= 0 &&
        del.screen.indexOf('  hints-t') >= 0 &&
        del.screen.indexOf('Delete these 2 topics?') > del.screen.indexOf('  hints-t'),
      del.screen,
    )

    const purge = await answerNo(['purge', '--stack', STACK], 'Delete stack')
    assert.match(
      purge.screen,
      new RegExp(
        `Delete stack "ux" and all its data in ${box.home.replace(/[/.]/g, '\\$&')}/stacks/ux \\(\\d+(\\.\\d)? (B|KiB|MiB|GiB)\\)\\?`,
      ),
    )
    assert.match(purge.screen, /nothing was deleted/)
    assert.equal(purge.code, 2, purge.screen)
    const topics = await box.kafkit(['topics', '--list', '--stack', STACK])
    assert.match(topics.stdout, /hints-t/, 'nothing deleted')
  })

  it('on a single-node stack, broker start 1 undoes broker stop 1', async () => {
    const stopped = await box.kafkit(['broker', 'stop', '1', '--stack', STACK])
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(json(await box.kafkit(['status', '--stack', STACK, '--json'])).running, false)
    const started = await box.kafkit(['broker', 'start', '1', '--stack', STACK])
    assert.equal(started.code, 0, started.stderr)
    const topics = await box.kafkit(['topics', '--list', '--stack', STACK])
    assert.equal(topics.code, 0, topics.stderr)
    assert.match(topics.stdout, /hints-missing/)
  })

  it('the "Try:" commands printed by up run as printed and act on stack ux', async () => {
    const tryLine = /^Try: (.*)$/m.exec(upRun.stdout)?.[1]
    assert.ok(tryLine, upRun.stdout)
    const commands = tryLine!.split(' · ')
    assert.deepEqual(commands, ['kafkit status --stack ux', 'kafkit logs -f --stack ux', 'kafkit down --stack ux'])

    const status = await asPrinted(commands[0]!)
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, /^Stack ux: running/m)

    // `logs -f` follows until Ctrl-C: it must print ux's log and still be following (a missing stack exits 1 at once).
    const child = spawn('bash', ['-c', `kafkit() { exec node ${bin} "$@"; }\n${commands[1]}`], {
      env: box.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let exited: number | null = null
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('exit', (code) => (exited = code ?? -1))
    try {
      await eventually(async () => out.includes('\n') || exited !== null, 30_000, 'logs -f output')
      await sleep(1000)
      assert.equal(exited, null, `logs -f exited ${exited}: ${out}`)
      const logs = readdirSync(join(box.home, 'stacks', STACK, 'logs'))
        .map((f) => readFileSync(join(box.home, 'stacks', STACK, 'logs', f), 'utf8'))
        .join('\n')
      // The first line with text: a short log (the embedded broker's) starts with the runs' blank separator line.
      const first = out.split('\n').find((l) => l !== '') ?? ''
      assert.ok(first.length > 0 && logs.includes(first), `not a line of stack ux's log: ${first}`)
    } finally {
      child.kill('SIGINT')
    }

    const down = await asPrinted(commands[2]!)
    assert.equal(down.code, 0, down.stderr)
    assert.match(down.stdout, /Stopped stack ux: .*kafkit up --stack ux starts it again\./)
    const all = json(await box.kafkit(['status', '--all', '--json']))
    assert.equal(all.stacks[0].state, 'stopped')
  })
})
