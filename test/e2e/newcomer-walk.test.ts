/**
 * A newcomer's walk, on an 80x24 pseudo-terminal (`script`): the README's first session line by line, then the
 * examples of docs/consumer-groups.md. Every hint kafkit prints on the way (`Try: ...`, `Undo with: ...`) is then run
 * exactly as printed, in a plain shell without KAFKIT_STACK, and must succeed.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DOC_EXAMPLES } from './doc-examples.js'
import { freePorts, kafkaClient, repoRoot, run, sandbox, type Sandbox } from './helpers.js'

const bin = join(repoRoot, 'bin', 'run.js')
const kafkitFunction = `kafkit() { "${process.execPath}" "${bin}" "$@"; }`
// eslint-disable-next-line no-control-regex
const screenText = (raw: string) => raw.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\r\n?/g, '\n')

function firstSession(): string[] {
  const section = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('## A first session')[1]!
  return /```sh\n([\s\S]*?)```/
    .exec(section)![1]!
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
}

/** `Try: a · b` and `Undo with: c` lines of a screen, as the commands they name. */
function hintsOf(screen: string): string[] {
  const hints: string[] = []
  for (const line of screen.split('\n')) {
    const tried = /(?:^|\s)Try: (.*)$/.exec(line)?.[1]
    if (tried) hints.push(...tried.split(' · ').map((h) => h.replace(/^[A-Z][^:]{0,40}: (?=kafkit )/, '').trim()))
    const undo = /Undo with: (kafkit .*)$/.exec(line)?.[1]
    if (undo) hints.push(undo.trim())
  }
  return hints.filter((h) => h.startsWith('kafkit '))
}

describe('a newcomer walk on an 80x24 terminal: every printed hint runs as printed', () => {
  let box: Sandbox
  let port: number
  let controllerPort: number
  const printed: string[] = []
  before(async () => {
    box = sandbox()
    port = await freePorts(1)
    controllerPort = await freePorts(1)
  })
  after(async () => box.cleanup())

  /** One command line on an 80x24 pseudo-terminal, as typed into a shell. */
  const onTerminal = (command: string) =>
    run(
      'script',
      [
        '-qec',
        `stty cols 80 rows 24; bash -c '${kafkitFunction.replace(/'/g, `'\\''`)}\n${command.replace(/'/g, `'\\''`)}'`,
        '/dev/null',
      ],
      box.env,
      180_000,
    )

  it("the README's first session, line by line", async () => {
    for (const line of firstSession()) {
      // Only the ports differ from the README, so the walk never touches a Kafka that is not its own.
      const command = line.startsWith('kafkit up') ? `${line} --port ${port} --controller-port ${controllerPort}` : line
      const result = await onTerminal(command)
      const screen = screenText(result.stdout)
      assert.equal(result.code, 0, `${command}\n${screen}`)
      printed.push(...hintsOf(screen))
      // The session ends with `kafkit down`; bring the stack back for the hints and the consumer-groups examples.
      if (line.startsWith('kafkit down')) assert.equal((await box.kafkit(['up'])).code, 0)
    }
    assert.ok(printed.length >= 3, `hints printed: ${printed.join(' | ')}`)
  })

  it('the examples of docs/consumer-groups.md', async () => {
    const kafka = kafkaClient(`127.0.0.1:${port}`)
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }], waitForLeaders: true })
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      await producer.send({
        topic: 'orders',
        acks: -1,
        messages: Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, partition: i % 3 })),
      })
      await producer.disconnect()
      await admin.setOffsets({
        groupId: 'orders-app',
        topic: 'orders',
        partitions: [0, 1, 2].map((partition) => ({ partition, offset: '5' })),
      })
    } finally {
      await admin.disconnect()
    }
    for (const example of DOC_EXAMPLES) {
      const result = await onTerminal(`kafkit ${example}`)
      const screen = screenText(result.stdout)
      assert.equal(result.code, 0, `kafkit ${example}\n${screen}`)
      printed.push(...hintsOf(screen))
    }
    assert.ok(
      printed.some((h) => h.includes('--undo-reset')),
      `an "Undo with" hint was printed: ${printed.join(' | ')}`,
    )
  })

  it('every hint printed on the way runs as printed', async () => {
    // The doc's own walk already ran `consumer-groups --undo-reset --group orders-app --execute --yes`, i.e. the "Undo
    // with" hint (plus --yes for the terminal's prompt): running it again would rightly find nothing left to undo.
    const normalise = (command: string) => command.replace(/ --yes\b/, '')
    const walked = new Set(DOC_EXAMPLES.map((e) => normalise(`kafkit ${e}`)))
    const unique = [...new Set(printed)].filter((h) => !walked.has(normalise(h)))
    assert.ok(unique.length >= 3, `hints left to run: ${unique.join(' | ')}`)
    // `logs -f` follows until Ctrl-C, `down` ends the walk: run those last, the rest in the order they appeared.
    const ordered = [
      ...unique.filter((h) => !/ logs -f|kafkit down/.test(h)),
      ...unique.filter((h) => / logs -f/.test(h)),
      ...unique.filter((h) => /kafkit down/.test(h)),
    ]
    for (const hint of ordered) {
      if (/ logs -f/.test(hint)) {
        // `exec`: the Ctrl-C below must reach kafkit itself, not only the shell waiting for it.
        const child = spawn('bash', ['-c', `${kafkitFunction.replace('{ "', '{ exec "')}\n${hint}`], {
          env: box.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let out = ''
        child.stdout.on('data', (d) => (out += d))
        const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${hint}: printed nothing in 30 s`)), 30_000)
          child.stdout.on('data', () => {
            clearTimeout(timer)
            resolve()
          })
        })
        child.kill('SIGINT')
        const code = await exited
        assert.ok(out.length > 0, hint)
        assert.ok(code === 0 || code === 130, `${hint} exited ${code} on Ctrl-C`)
        continue
      }
      const result = await run('bash', ['-c', `${kafkitFunction}\n${hint}`], box.env, 120_000)
      assert.equal(result.code, 0, `${hint}\n${result.stdout}\n${result.stderr}`)
    }
  })
})
