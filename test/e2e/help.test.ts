import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { json, sandbox, type Sandbox } from './helpers.js'

/** Help, typos, version and short flags of the built CLI; no Kafka needed. */
describe('help for a newcomer', () => {
  let box: Sandbox
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  const SCRIPT_ALIASES = [
    'kafka-topics',
    'kafka-console-consumer',
    'kafka-console-producer',
    'kafka-consumer-groups',
    'kafka-groups',
    'kafka-share-groups',
    'kafka-streams-groups',
    'kafka-console-share-consumer',
    'kafka-get-offsets',
    'kafka-configs',
  ].flatMap((name) => [name, `${name}.sh`])

  /** The names in the COMMANDS section of the root help. */
  const rootCommands = (help: string) =>
    (help.split('\nCOMMANDS\n')[1] ?? '')
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim().split(/\s+/)[0]!)

  it('root help lists each command once, without the script-name aliases', async () => {
    const help = await box.kafkit(['--help'])
    assert.equal(help.code, 0, help.stderr)
    const commands = rootCommands(help.stdout)
    for (const command of [
      'topics',
      'console-consumer',
      'console-producer',
      'consumer-groups',
      'groups',
      'get-offsets',
      'configs',
      'up',
      'help',
      'version',
    ]) {
      assert.ok(commands.includes(command), `${command} in ${commands.join(' ')}`)
    }
    for (const alias of SCRIPT_ALIASES) assert.ok(!commands.includes(alias), `${alias} is hidden from the root list`)
    assert.deepEqual(commands, [...new Set(commands)])
    // kafka-server-start and friends are commands of their own (not aliases), so they stay.
    assert.ok(commands.includes('kafka-server-start'))
  })

  it("the script names still run and are listed under ALIASES in the command's own help", async () => {
    const topics = await box.kafkit(['topics', '--help'])
    assert.match(topics.stdout, /ALIASES\n {2}\$ kafkit kafka-topics\n {2}\$ kafkit kafka-topics\.sh\n/)
    const groups = await box.kafkit(['consumer-groups', '--help'])
    assert.match(groups.stdout, /ALIASES\n {2}\$ kafkit kafka-consumer-groups\n/)
    // `groups` is kafka-groups.sh's short name, no longer an alias of consumer-groups.
    const allGroups = await box.kafkit(['groups', '--help'])
    assert.match(allGroups.stdout, /ALIASES\n {2}\$ kafkit kafka-groups\n {2}\$ kafkit kafka-groups\.sh\n/)
    for (const alias of SCRIPT_ALIASES) {
      const result = await box.kafkit([alias, '--help'])
      assert.equal(result.code, 0, `${alias}: ${result.stderr}`)
      assert.match(result.stdout, /USAGE/, alias)
    }
  })

  it("a typo gets kafkit's one-line error naming the closest command (exit 2)", async () => {
    const result = await box.kafkit(['console-consume', 'orders'])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: Unknown command "console-consume". Did you mean: kafkit console-consumer?\n')
    assert.equal(result.stdout, '')
    const topicCommand = await box.kafkit(['broker', 'stp', '2'])
    assert.equal(topicCommand.stderr, 'Error: Unknown command "broker stp". Did you mean: kafkit broker stop?\n')
    const nothingClose = await box.kafkit(['nope'])
    assert.equal(nothingClose.code, 2)
    assert.equal(nothingClose.stderr, 'Error: Unknown command "nope".\nTry: kafkit --help\n')
  })

  it("a topic's short name alone shows that topic's help, as its full name does", async () => {
    const short = await box.kafkit(['sr'])
    const full = await box.kafkit(['schema-registry'])
    assert.equal(short.code, 0, short.stderr)
    assert.match(short.stdout, /kafkit schema-registry COMMAND/)
    assert.equal(short.stdout, full.stdout)
  })

  it('with --json the unknown command is a JSON error like any other', async () => {
    const result = await box.kafkit(['console-consume', 'orders', '--json'])
    assert.equal(result.code, 2)
    assert.deepEqual(json(result), {
      status: 'error',
      error: {
        code: 'UNKNOWN_COMMAND',
        message: 'Unknown command "console-consume". Did you mean: kafkit console-consumer?',
        exitCode: 2,
        suggestions: [],
        details: [],
      },
    })
  })

  it('help COMMAND, COMMAND -h and COMMAND --help print the same', async () => {
    for (const command of [['topics'], ['broker', 'stop'], ['kafka-topics.sh']]) {
      const long = await box.kafkit([...command, '--help'])
      assert.equal(long.code, 0, long.stderr)
      assert.match(long.stdout, /USAGE/)
      for (const argv of [
        ['help', ...command],
        [...command, '-h'],
      ]) {
        const result = await box.kafkit(argv)
        assert.equal(result.code, 0, `${argv.join(' ')}: ${result.stderr}`)
        assert.equal(result.stdout, long.stdout, argv.join(' '))
      }
    }
    const root = await box.kafkit(['--help'])
    for (const argv of [['help'], ['-h'], ['help', 'broker'], ['broker', '-h']]) {
      const result = await box.kafkit(argv)
      assert.equal(result.code, 0, `${argv.join(' ')}: ${result.stderr}`)
      if (argv.length === 1) assert.equal(result.stdout, root.stdout, argv.join(' '))
      else assert.match(result.stdout, /broker stop/, argv.join(' '))
    }
  })

  it('help for an unknown command suggests the closest one (exit 2)', async () => {
    const result = await box.kafkit(['help', 'tpoics'])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'Error: Unknown command "tpoics". Did you mean: kafkit topics?\n')
  })

  it('version prints what --version prints', async () => {
    const flag = await box.kafkit(['--version'])
    const command = await box.kafkit(['version'])
    assert.equal(command.code, 0, command.stderr)
    assert.equal(command.stdout, flag.stdout)
    const result = json(await box.kafkit(['version', '--json']))
    assert.match(
      flag.stdout,
      new RegExp(
        `^kafkit/${result.version.replaceAll('.', '\\.')} ${result.platform}-${result.arch} node-${result.node}\n$`,
      ),
    )
  })

  it('short flags reach the same code as the long ones (-b is named as --bootstrap-server)', async () => {
    const result = await box.kafkit([
      'console-consumer',
      '-b',
      '127.0.0.1:1',
      '-t',
      'orders',
      '-p',
      '0',
      '-o',
      '-5',
      '-n',
      '1',
      '-e',
    ])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /Cannot reach Kafka at 127\.0\.0\.1:1 \(--bootstrap-server\)/)
  })
})
