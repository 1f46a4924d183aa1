import assert from 'node:assert/strict'
import { Parser } from '@oclif/core'
import { describe, it } from 'node:test'
import {
  commandNamesOf,
  editDistance,
  suggestCommands,
  unknownCommandError,
  type CommandNames,
} from '../../src/help/suggest.js'
import { ExitCode } from '../../src/errors.js'

// A slice of kafkit's real names: commands with their script-name aliases, and a topic with its commands.
const names: CommandNames = {
  commands: [
    { id: 'console-consumer', aliases: ['kafka-console-consumer', 'kafka-console-consumer.sh'] },
    { id: 'console-producer', aliases: ['kafka-console-producer', 'kafka-console-producer.sh'] },
    { id: 'consumer-groups', aliases: ['kafka-consumer-groups', 'kafka-consumer-groups.sh'] },
    { id: 'groups', aliases: ['kafka-groups', 'kafka-groups.sh'] },
    { id: 'topics', aliases: ['kafka-topics', 'kafka-topics.sh'] },
    { id: 'lag', aliases: [] },
    { id: 'logs', aliases: [] },
    { id: 'up', aliases: [] },
    { id: 'down', aliases: [] },
    { id: 'broker stop', aliases: [] },
    { id: 'broker start', aliases: [] },
    // A command whose name starts with the topic's: no candidate for a typo in the topic's own commands.
    { id: 'broker-api-versions', aliases: ['kafka-broker-api-versions', 'kafka-broker-api-versions.sh'] },
  ],
  topics: ['broker'],
}

describe('editDistance', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0],
    ['up', 'up', 0],
    ['', 'lag', 3],
    ['console-consume', 'console-consumer', 1],
    ['cosnumer', 'consumer', 1], // a swap of neighbours is one typo, not two
    ['stp', 'stop', 1],
    ['kitten', 'sitting', 3],
    ['topics', 'tpoics', 1],
  ]
  for (const [a, b, d] of cases)
    it(`${a || '""'} -> ${b || '""'} = ${d}`, () => {
      assert.equal(editDistance(a, b), d)
      assert.equal(editDistance(b, a), d)
    })
})

describe('suggestCommands', () => {
  const cases: Array<[string[], string[]]> = [
    [['console-consume', 'orders'], ['console-consumer']], // the argument after the typo does not spoil the match
    [['cosnole-producer'], ['console-producer']],
    [['tpoics', '--list'], ['topics']],
    [['kafka-topic'], ['kafka-topics']], // an alias is suggested as typed, once per command
    [['broker', 'stp'], ['broker stop']],
    [['brokr', 'stop'], ['broker stop']], // not also the bare topic "broker"
    [['console'], ['console-consumer', 'console-producer']], // a prefix of 3+ letters
    [['log'], ['lag', 'logs']],
    [['CONSOLE-CONSUME'], ['console-consumer']],
    [['produce'], ['console-producer']],
    [['consume'], ['consumer-groups', 'console-consumer']], // a part of 4+ letters
    [['nope'], []],
    [['x'], []],
    [['con-sumer'], []],
  ]
  for (const [words, expected] of cases)
    it(`${words.join(' ')} -> ${expected.join(', ') || 'nothing'}`, () =>
      assert.deepEqual(suggestCommands(words, names), expected))
})

describe('unknownCommandError', () => {
  it('names the typo (not its arguments) and the closest command, as a usage error (exit 2)', () => {
    const error = unknownCommandError(['console-consume', 'orders'], names, 'kafkit')
    assert.equal(error.message, 'Unknown command "console-consume". Did you mean: kafkit console-consumer?')
    assert.equal(error.exitCode, ExitCode.usage)
    assert.equal(error.code, 'UNKNOWN_COMMAND')
    assert.deepEqual(error.suggestions, [])
  })
  it('keeps the topic in front of a mistyped topic command', () => {
    assert.equal(
      unknownCommandError(['broker', 'stp', '2'], names, 'kafkit').message,
      'Unknown command "broker stp". Did you mean: kafkit broker stop?',
    )
  })
  it('lists several candidates with "or"', () => {
    assert.equal(
      unknownCommandError(['log'], names, 'kafkit').message,
      'Unknown command "log". Did you mean: kafkit lag or kafkit logs?',
    )
  })
  it('points at --help when nothing is close', () => {
    const error = unknownCommandError(['nope', 'orders'], names, 'kafkit')
    assert.equal(error.message, 'Unknown command "nope".')
    assert.deepEqual(error.suggestions, ['kafkit --help'])
  })
})

describe('commandNamesOf', () => {
  it('keeps each command once (oclif also lists every alias as a command), with spaces and without hidden ones', () => {
    const config = {
      commands: [
        { id: 'topics', aliases: ['kafka-topics'] },
        { id: 'kafka-topics', aliases: ['kafka-topics'] },
        { id: 'broker:stop', aliases: [] },
        { id: 'secret', aliases: [], hidden: true },
      ],
      topics: [{ name: 'broker' }, { name: 'internal', hidden: true }],
    }
    assert.deepEqual(commandNamesOf(config), {
      commands: [
        { id: 'topics', aliases: ['kafka-topics'] },
        { id: 'broker stop', aliases: [] },
      ],
      topics: ['broker'],
    })
  })
})

describe('short flags (kcat and rpk habits)', () => {
  const parse = async (command: string, argv: string[]) => {
    const { default: Command } = await import(`../../src/commands/${command}.js`)
    return (await Parser.parse(argv, { flags: Command.flags, args: Command.args, strict: true })).flags
  }
  it('console-consumer: -b -t -p -o -n -e -g', async () => {
    const flags = await parse('console-consumer', [
      '-b',
      'h:9092',
      '-t',
      'orders',
      '-p',
      '1',
      '-o',
      '-5',
      '-n',
      '3',
      '-e',
      '-g',
      'app',
    ])
    assert.equal(flags['bootstrap-server'], 'h:9092')
    assert.equal(flags.topic, 'orders')
    assert.equal(flags.partition, 1)
    assert.equal(flags.offset, '-5') // "the last 5 records" still reads as the value of -o
    assert.equal(flags['max-messages'], 3)
    assert.equal(flags['exit-at-end'], true)
    assert.equal(flags.group, 'app')
  })
  it('console-producer: -b -t -p', async () => {
    const flags = await parse('console-producer', ['-b', 'h:9092', '-t', 'orders', '-p', '2'])
    assert.deepEqual([flags['bootstrap-server'], flags.topic, flags.partition], ['h:9092', 'orders', 2])
  })
  it('consumer-groups: -b -g -t (repeatable like the long forms)', async () => {
    const flags = await parse('consumer-groups', ['-b', 'h:9092', '-g', 'a', '-g', 'b', '-t', 'orders'])
    assert.deepEqual([flags['bootstrap-server'], flags.group, flags.topic], ['h:9092', ['a', 'b'], ['orders']])
  })
  for (const command of ['topics', 'get-offsets', 'configs']) {
    it(`${command}: -b -t`, async () => {
      const flags = await parse(command, ['-b', 'h:9092', '-t', 'orders'])
      assert.deepEqual([flags['bootstrap-server'], flags.topic], ['h:9092', 'orders'])
    })
  }
  it('lag: -b', async () => assert.equal((await parse('lag', ['-b', 'h:9092']))['bootstrap-server'], 'h:9092'))
  it('no command gives one letter to two flags', async () => {
    const { readdirSync } = await import('node:fs')
    const dir = new URL('../../src/commands/', import.meta.url)
    const files = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
    assert.ok(files.length > 20)
    for (const file of files) {
      const { default: Command } = await import(new URL(file, dir).href)
      const chars = Object.values({ ...Command.baseFlags, ...Command.flags } as Record<string, { char?: string }>)
        .map((f) => f.char)
        .filter(Boolean)
      assert.deepEqual(chars, [...new Set(chars)], file)
      // -h is help and -v the version for every command.
      assert.ok(!chars.includes('h') && !chars.includes('v'), file)
    }
  })
})
