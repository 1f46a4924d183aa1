/**
 * The direct path (src/direct/): its parser must read a command line exactly as oclif does, or hand it to oclif.
 * Both parsers run here over the same command lines with the direct commands' real flag definitions: every line the
 * direct parser accepts gives oclif's flags and arguments, every line oclif refuses is refused, and the ordinary
 * spellings (each flag long, with =, short, by alias) are accepted, so the direct path is really taken.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { Flags, Parser } from '@oclif/core'
import { COMMANDS } from '../../src/command-index.js'
import { DIRECT_COMMANDS, directCommandId } from '../../src/direct/commands.js'
import { NotDirect, parseDirect, type ParseInput } from '../../src/direct/parse.js'
import { Flags as LiteFlags } from '../../src/direct/oclif-lite.js'

type CommandClass = (typeof COMMANDS)[keyof typeof COMMANDS]

/** What KafkitCommand.init hands to this.parse(), for oclif's parser and the direct one alike. */
function parseInput(command: CommandClass): ParseInput {
  const json = Flags.boolean({ description: 'Format output as json.', helpGroup: 'GLOBAL' })
  return {
    flags: { json, ...command.baseFlags, ...command.flags } as unknown as ParseInput['flags'],
    args: Object.fromEntries(
      Object.entries(command.args ?? {}).map(([name, arg]) => [name, { ...arg, ignoreStdin: true }]),
    ) as ParseInput['args'],
    strict: command.strict,
  }
}

type Outcome = { ok: true; flags: unknown; args: unknown } | { ok: false; error: string }

async function viaOclif(command: CommandClass, argv: string[]): Promise<Outcome> {
  try {
    const input = parseInput(command)
    const { flags, args } = await Parser.parse(argv, {
      ...input,
      flags: input.flags as never,
      args: input.args as never,
    })
    return { ok: true, flags, args }
  } catch (error) {
    return { ok: false, error: String(error) }
  }
}

async function viaDirect(command: CommandClass, argv: string[]): Promise<Outcome> {
  try {
    const { flags, args } = await parseDirect(argv, parseInput(command))
    return { ok: true, flags, args }
  } catch (error) {
    if (!(error instanceof NotDirect)) throw error
    return { ok: false, error: error.message }
  }
}

/** Every flag of the command, spelled each way oclif takes it, with the first sample value oclif accepts for it. */
async function spellings(command: CommandClass): Promise<string[][]> {
  const lines: string[][] = []
  for (const [name, flag] of Object.entries(parseInput(command).flags)) {
    const names = [`--${name}`, ...(flag.aliases ?? []).map((a) => `--${a}`), ...(flag.char ? [`-${flag.char}`] : [])]
    let value: string | undefined
    if (flag.type === 'option')
      for (const candidate of [...(flag.options ?? []), '3', '5s', '-1', 'Stable', 'orders'])
        if (value === undefined && (await viaOclif(command, [`--${name}`, candidate])).ok) value = candidate
    for (const spelled of names) {
      if (flag.type === 'boolean') lines.push([spelled])
      else {
        assert.ok(value !== undefined, `no sample value for --${name}`)
        lines.push([spelled, value])
        lines.push(spelled.startsWith('--') ? [`${spelled}=${value}`] : [`${spelled}${value}`])
      }
    }
  }
  return lines
}

const REFUSED = [
  ['--no-such-flag'],
  ['--bootstrap-server'],
  ['--bootstrap-server', '--json'],
  ['--bootstrap-server', 'a:1', '--bootstrap-server', 'b:2'],
  ['--help'],
  ['-h'],
  ['--json', '--', 'x'],
  ['one', 'two', 'three'],
]

const SOME_LINES: Record<string, string[][]> = {
  topics: [
    ['--list', '--exclude-internal', '-b', 'localhost:9092'],
    ['--create', '--topic', 'o', '--partitions', '3', '--config', 'a=1', '--config', 'b=2', '--if-not-exists'],
    ['orders', '--describe', '--json'],
    ['--describe', '--topic', 'o', '--partitions', 'x'],
    ['--alter', '--topic', 'o', '--partitions', '-2'],
    ['--delete', '-yt', 'tmp-.*'],
    ['--list', '--command-property', 'a=b', '--producer-property', 'c=d'],
  ],
  'get-offsets': [
    ['--topic', 'orders', '--time', '-2'],
    ['--topic-partitions', 'orders:0-2,payments:1', '--json'],
    ['orders', '--time', 'earliest', '--exclude-internal-topics'],
  ],
  'consumer-groups': [
    ['--describe', '--group', 'a', '--group', 'b', '--members', '--verbose'],
    ['--describe', '--all-groups', '--state='],
    ['--list', '--type', 'consumer,classic'],
    ['--reset-offsets', '--group', 'g', '--topic', 't:0,1', '--to-earliest', '--execute'],
    ['--reset-offsets', '--group', 'g', '--all-topics', '--shift-by', '-5', '--dry-run'],
    ['--describe', '--group', 'g', '--timeout', '0'],
    ['--describe', '--group', 'g', '--timeout', 'soon'],
    ['--describe', '--group', 'g', '--watch', '--refresh', '2s'],
  ],
  configs: [
    ['--describe', '--entity-type', 'topics', '--entity-name', 'orders'],
    ['--alter', '--topic', 'orders', '--add-config', 'retention.ms=1000,cleanup.policy=compact'],
    ['--describe', '--broker', '1', '--all'],
  ],
}

describe('the direct commands', () => {
  it('are kafkit commands, with the aliases their classes declare', () => {
    for (const [id, aliases] of Object.entries(DIRECT_COMMANDS)) {
      const command = COMMANDS[id as keyof typeof COMMANDS] as CommandClass | undefined
      assert.ok(command, `${id} is no command`)
      assert.deepEqual(aliases, command.aliases, id)
    }
    assert.equal(directCommandId(['kafka-topics.sh', '--list']), 'topics')
    assert.equal(directCommandId(['consumer-groups']), 'consumer-groups')
    assert.equal(directCommandId(['up']), undefined)
    assert.equal(directCommandId([]), undefined)
  })

  it('use no more of oclif than src/direct/oclif-lite.ts provides', () => {
    const files = [
      'src/base-command.ts',
      'src/flags.ts',
      ...Object.keys(DIRECT_COMMANDS).map((id) => `src/commands/${id}.ts`),
    ]
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/^import (?:type )?\{([^}]*)\} from '@oclif\/core'$/gm))
        for (const name of m[1]!.split(',').map((n) => n.trim()))
          assert.ok(['Args', 'Command', 'Errors', 'Flags', 'Interfaces'].includes(name), `${file} imports ${name}`)
      const members = [...text.matchAll(/\bthis\.(config|warn|error|logToStderr|debug|parse)\b/g)].map((m) => m[1])
      assert.deepEqual(
        members.filter((m) => m !== 'parse' || file !== 'src/base-command.ts'),
        [],
        `${file} uses oclif members the direct path lacks`,
      )
      for (const m of text.matchAll(/\bFlags\.(\w+)\(/g))
        assert.ok(['boolean', 'string', 'integer', 'custom'].includes(m[1]!), `${file}: Flags.${m[1]}`)
    }
  })

  it('build flag definitions as oclif does', async () => {
    for (const [real, lite] of [
      [
        Flags.string({ char: 'b', aliases: ['broker-list'] }),
        LiteFlags.string({ char: 'b', aliases: ['broker-list'] }),
      ],
      [Flags.boolean({ description: 'x' }), LiteFlags.boolean({ description: 'x' })],
      [Flags.integer({ min: 1 }), LiteFlags.integer({ min: 1 })],
      [
        Flags.string({ multiple: true, multipleNonGreedy: true }),
        LiteFlags.string({ multiple: true, multipleNonGreedy: true }),
      ],
    ] as const) {
      const { parse: realParse, ...realRest } = real as unknown as Record<string, unknown>
      const { parse: liteParse, ...liteRest } = lite as unknown as Record<string, unknown>
      assert.deepEqual(liteRest, realRest)
      assert.equal(typeof liteParse, typeof realParse)
    }
    const integer = LiteFlags.integer({ min: 1 })
    assert.equal(await integer.parse('42' as never, {}, { min: 1 } as never), 42)
    await assert.rejects(integer.parse('0' as never, {}, { min: 1 } as never))
    await assert.rejects(integer.parse('4x' as never, {}, {} as never))
  })

  for (const id of Object.keys(DIRECT_COMMANDS)) {
    const command = COMMANDS[id as keyof typeof COMMANDS] as CommandClass

    it(`${id}: takes every flag in each spelling, as oclif parses it`, async () => {
      for (const argv of await spellings(command)) {
        const [oclif, direct] = [await viaOclif(command, argv), await viaDirect(command, argv)]
        assert.ok(oclif.ok, `oclif refused ${argv.join(' ')}: ${!oclif.ok && oclif.error}`)
        assert.deepEqual(direct, oclif, argv.join(' '))
      }
    })

    it(`${id}: parses whole command lines as oclif does, or hands them to oclif`, async () => {
      for (const argv of [...(SOME_LINES[id] ?? []), ...REFUSED]) {
        const [oclif, direct] = [await viaOclif(command, argv), await viaDirect(command, argv)]
        if (direct.ok) assert.deepEqual(direct, oclif, argv.join(' '))
        else if (oclif.ok && !['--help', '-h', '--'].some((flag) => argv.includes(flag)))
          assert.fail(`the direct parser refused ${argv.join(' ')}, which oclif takes (${direct.error})`)
      }
      for (const argv of REFUSED) assert.equal((await viaDirect(command, argv)).ok, false, argv.join(' '))
    })

    it(`${id}: reads --stack from KAFKIT_STACK as oclif does`, async () => {
      process.env.KAFKIT_STACK = 'from-env'
      try {
        const [oclif, direct] = [await viaOclif(command, []), await viaDirect(command, [])]
        assert.deepEqual(direct, oclif)
        assert.equal(direct.ok && (direct.flags as { stack?: string }).stack, 'from-env')
      } finally {
        delete process.env.KAFKIT_STACK
      }
    })
  }
})
