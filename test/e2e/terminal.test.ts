/**
 * What a person sees on a terminal, through a real pseudo-terminal (`script`), at the sizes the newcomer walk used:
 * doctor, and the live lag screen against a real stack.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { kafkaClient, produce, repoRoot, run, sandbox, startStack, type Sandbox } from './helpers.js'

const bin = join(repoRoot, 'bin', 'run.js')
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '')

describe('on a terminal', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  for (const [columns, rows] of [
    [160, 45],
    [80, 15],
  ] as const) {
    it(`doctor fits a ${columns}-column terminal: long details and fixes wrap inside their columns`, async () => {
      const result = await run(
        'script',
        ['-qec', `stty cols ${columns} rows ${rows}; node ${bin} doctor`, '/dev/null'],
        box.env,
        60_000,
      )
      const lines = plain(result.stdout).split('\n')
      assert.ok(
        lines.some((l) => /^CHECK\s+STATUS\s+DETAILS\s+FIX/.test(l)),
        result.stdout,
      )
      const widest = Math.max(...lines.map((l) => l.length))
      assert.ok(
        widest < columns,
        `widest line ${widest} of ${columns} columns:\n${lines.filter((l) => l.length >= columns).join('\n')}`,
      )
    })
  }

  it('doctor in a pipe keeps one line per check (for grep and awk)', async () => {
    const result = await box.kafkit(['doctor'])
    const rows = result.stdout.split('\n').filter((l) => /^(docker|homebrew|dist|embedded)\s/.test(l))
    assert.equal(rows.length, 4, result.stdout)
  })
})

describe('shell completion', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it("bash, zsh (kafkit autocomplete) and fish (kafkit completion fish) complete command names and flags (cache in the test's own HOME)", async () => {
    const env = { ...box.env, HOME: box.home, XDG_CACHE_HOME: join(box.home, 'cache') }
    const setup = await run(process.execPath, [bin, 'autocomplete', '--refresh-cache'], env, 60_000)
    assert.equal(setup.code, 0, setup.stderr)
    const complete = (line: string) => {
      const words = line.split(' ')
      return run(
        'bash',
        [
          '-c',
          `source "$(${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} autocomplete script bash | sed -n 's/^KAFKIT_AC_BASH_SETUP_PATH=\\([^ ]*\\).*/\\1/p')"
COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
_kafkit_autocomplete; echo "\${COMPREPLY[@]}"`,
        ],
        env,
        60_000,
      )
    }
    assert.equal((await complete('kafkit console-con')).stdout.trim(), 'console-consumer')
    assert.deepEqual((await complete('kafkit console-consumer --from')).stdout.trim().split(' ').sort(), [
      '--from-beginning',
      '--from-time',
    ])
    // fish: kafkit's own generator (the plugin has none), checked with fish's own completion engine.
    const fishFile = join(box.home, 'kafkit.fish')
    const fish = await run(
      'bash',
      ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} completion fish > ${fishFile}`],
      env,
      60_000,
    )
    assert.equal(fish.code, 0, fish.stderr)
    const fishComplete = async (line: string) =>
      (await run('fish', ['-c', `function kafkit; end; source ${fishFile}; complete -C '${line}'`], env, 60_000)).stdout
        .split('\n')
        .map((l) => l.split('\t')[0])
        .filter(Boolean)
    assert.deepEqual(await fishComplete('kafkit console-con'), ['console-consumer'])
    assert.deepEqual((await fishComplete('kafkit console-consumer --from')).sort(), ['--from-beginning', '--from-time'])
    assert.deepEqual((await fishComplete('kafkit broker s')).sort(), ['start', 'stop'])
    const zsh = await run(process.execPath, [bin, 'autocomplete', 'script', 'zsh'], env, 60_000)
    assert.equal(zsh.code, 0, zsh.stderr)
    assert.match(zsh.stdout, /kafkit autocomplete setup|compinit|fpath/)
  })
})

describe('kafkit lag on a small terminal', () => {
  let box: Sandbox
  let bootstrap: string
  const groups = Array.from({ length: 8 }, (_, i) => `lagscreen-group-${i}`)
  before(async () => {
    box = sandbox()
    bootstrap = await startStack(box)
    const admin = kafkaClient(bootstrap).admin()
    await admin.connect()
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'lagscreen', numPartitions: 6 }] })
      await produce(
        bootstrap,
        'lagscreen',
        Array.from({ length: 600 }, (_, i) => `v${i}`),
      )
      // Eight groups with committed offsets below the end (group i at offset i on every partition): all have lag.
      const partitions = (offset: number) =>
        Array.from({ length: 6 }, (_, partition) => ({ partition, offset: String(offset) }))
      // In parallel: each kafkajs setOffsets joins its group for a few seconds.
      await Promise.all(
        groups.map((groupId, i) => admin.setOffsets({ groupId, topic: 'lagscreen', partitions: partitions(i) })),
      )
    } finally {
      await admin.disconnect()
    }
  })
  after(async () => box.cleanup())

  /** The frames drawn on the alternate screen (each starts with cursor-home), as plain lines. */
  const framesOf = (stdout: string) =>
    stdout
      .split('\u001B[H')
      .slice(1)
      .map((f) => plain(f.split('\u001B[?1049l')[0]!).split('\n'))

  it('redraws in place on the alternate screen, every frame within 80x15, the rest folded into one line', async () => {
    const result = await run(
      'script',
      [
        '-qec',
        `stty cols 80 rows 15; node ${bin} lag --bootstrap-server ${bootstrap} --interval 300ms --count 3`,
        '/dev/null',
      ],
      box.env,
      90_000,
    )
    assert.equal(result.code, 0, result.stdout + result.stderr)
    const out = result.stdout
    assert.ok(out.includes('\u001B[?1049h'), `alternate screen not entered: ${JSON.stringify(out.slice(0, 200))}`)
    assert.ok(
      out.lastIndexOf('\u001B[?1049l') > out.lastIndexOf('\u001B[H'),
      'alternate screen not left after the last frame',
    )
    const frames = framesOf(out)
    assert.equal(frames.length, 3, out)
    for (const lines of frames) {
      const text = lines.join('\n')
      assert.ok(lines.length <= 15, `${lines.length} lines:\n${text}`)
      for (const line of lines) assert.ok(line.length <= 80, `${line.length} columns: ${line}`)
      assert.match(lines[0]!, /^kafkit lag\b/)
      // The largest lag first: group 0 committed the least.
      assert.match(lines[1]!, /^GROUP lagscreen-group-0 /, text)
      assert.match(text, /… \d+ more (partitions|groups)/, text)
      assert.equal(lines.filter((l) => l.startsWith('GROUP ')).length, 8, text)
    }
  })

  it('gives the screen back on Ctrl-C (exit 0)', async () => {
    const result = await run(
      'script',
      [
        '-qec',
        `stty cols 80 rows 15; timeout --preserve-status -s INT 4 node ${bin} lag --bootstrap-server ${bootstrap} --interval 300ms; echo "exit=$?"`,
        '/dev/null',
      ],
      box.env,
      90_000,
    )
    const out = result.stdout
    assert.ok(out.includes('\u001B[?1049h'), out)
    assert.ok(out.lastIndexOf('\u001B[?1049l') > out.lastIndexOf('\u001B[H'), 'alternate screen not left after Ctrl-C')
    assert.match(plain(out), /exit=0/)
    assert.ok(framesOf(out).every((lines) => lines.length <= 15 && lines.every((l) => l.length <= 80)))
  })
})
