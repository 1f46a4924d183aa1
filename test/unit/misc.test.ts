import assert from 'node:assert/strict'
import { Args, Flags, Parser } from '@oclif/core'
import { describe, it } from 'node:test'
import { parseDuration } from '../../src/flags.js'
import { parseKeyValues } from '../../src/util/properties.js'
import { parseJavaVersion, minimumJavaFor } from '../../src/runtime/java.js'
import { diagnoseLog } from '../../src/stack/diagnose.js'
import { fitWidths, renderTable, formatDuration, wrapText } from '../../src/output/table.js'
import { parseServers } from '../../src/connection/source.js'
import { newClusterId } from '../../src/model/plan.js'
import { jvmCommandFor } from '../../src/runtime/jvm.js'
import { toKafkitError } from '../../src/base-command.js'
import { ExitCode, KafkitError } from '../../src/errors.js'

describe('parseDuration', () => {
  // A plain number is milliseconds, as in Kafka's scripts (`--timeout 5000`), never seconds.
  const cases: Array<[string, number]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['5', 5],
    ['1000', 1000],
    ['1.5s', 1500],
  ]
  for (const [input, ms] of cases) it(`${input} = ${ms}ms`, () => assert.equal(parseDuration(input, '--timeout'), ms))
  it('rejects garbage with one message', () =>
    assert.throws(() => parseDuration('soon', '--timeout'), {
      message: 'Invalid --timeout "soon": expected a duration like 500ms, 5s, 2m or plain milliseconds.',
    }))
  it('takes a plain negative number only where the script gives it a meaning', () => {
    assert.equal(parseDuration('-1', '--timeout-ms', { negative: true }), -1)
    assert.throws(() => parseDuration('-1', '--timeout'), /Invalid --timeout "-1"/)
  })
})

describe('duration flags of every command', () => {
  // [command, flag]: each takes 500ms, 5s, 2m and plain milliseconds, and fails with the one message (exit 2).
  const durationFlags: Array<[string, string]> = [
    ['lag', 'timeout'],
    ['lag', 'interval'],
    ['consumer-groups', 'timeout'],
    ['consumer-groups', 'interval'],
    ['up', 'timeout'],
    ['down', 'timeout'],
    ['restart', 'timeout'],
    ['broker/start', 'timeout'],
    ['broker/stop', 'timeout'],
    ['kafka-server-stop', 'timeout'],
    ['zookeeper-server-stop', 'timeout'],
    ['console-consumer', 'timeout-ms'],
    ['console-share-consumer', 'timeout-ms'],
    ['console-producer', 'timeout'],
    ['console-producer', 'request-timeout-ms'],
    ['console-producer', 'retry-backoff-ms'],
  ]
  const parse = async (command: string, argv: string[]) => {
    const { default: Command } = await import(`../../src/commands/${command}.js`)
    return Parser.parse(argv, { flags: Command.flags, strict: false })
  }
  for (const [command, flag] of durationFlags) {
    it(`${command} --${flag}`, async () => {
      for (const [input, ms] of [
        ['500ms', 500],
        ['5s', 5000],
        ['2m', 120_000],
        ['1000', 1000],
      ] as const) {
        assert.equal((await parse(command, [`--${flag}`, input])).flags[flag], ms, `--${flag} ${input}`)
      }
      const error = await parse(command, [`--${flag}`, 'abc']).then(
        () => undefined,
        (e: Error) => toKafkitError(e),
      )
      assert.equal(
        error?.message,
        `Invalid --${flag} "abc": expected a duration like 500ms, 5s, 2m or plain milliseconds.`,
      )
      assert.equal(error?.exitCode, ExitCode.usage)
    })
  }
  it('console-consumer --timeout-ms -1 still means no timeout', async () =>
    assert.equal((await parse('console-consumer', ['--timeout-ms', '-1'])).flags['timeout-ms'], -1))
  it('a request timeout or an interval of 0 is refused', async () => {
    const error = await parse('lag', ['--interval', '0']).then(
      () => undefined,
      (e: Error) => toKafkitError(e),
    )
    assert.equal(error?.exitCode, ExitCode.usage)
  })
})

describe('parseKeyValues', () => {
  it('keeps = inside values', () =>
    assert.deepEqual(parseKeyValues(['a=1', 'b=x=y'], '--override'), { a: '1', b: 'x=y' }))
  it('rejects a missing =', () => assert.throws(() => parseKeyValues(['novalue'], '--override'), /expected key=value/))
})

describe('parseJavaVersion', () => {
  it('reads modern and legacy version lines', () => {
    assert.deepEqual(parseJavaVersion('openjdk version "17.0.15" 2025-04-15'), { version: '17.0.15', major: 17 })
    assert.deepEqual(parseJavaVersion('java version "1.8.0_392"'), { version: '1.8.0_392', major: 8 })
    assert.equal(parseJavaVersion('nonsense'), undefined)
  })
  it('needs Java 17 for Kafka 4 and 11 for 3.x', () => {
    assert.equal(minimumJavaFor('4.4.0'), 17)
    assert.equal(minimumJavaFor('3.9.2'), 11)
  })
})

describe('diagnoseLog', () => {
  it('recognises a cluster id mismatch', () => {
    const d = diagnoseLog(
      [
        'ERROR Fatal error during KafkaServer startup',
        "kafka.common.InconsistentClusterIdException: The Cluster ID abc doesn't match stored clusterId",
      ],
      'dev',
    )
    assert.match(d!.fix, /kafkit purge --force --stack dev, then kafkit up --stack dev /)
  })
  it('recognises a stale lock and unformatted storage', () => {
    assert.match(
      diagnoseLog(['org.apache.kafka.common.KafkaException: Failed to acquire lock on file .lock in /x'], 'd')!.problem,
      /\.lock/,
    )
    assert.match(
      diagnoseLog(['java.lang.RuntimeException: No readable meta.properties files found.'], 'd')!.problem,
      /not formatted/,
    )
  })
  it('says nothing about an ordinary log', () => assert.equal(diagnoseLog(['INFO started'], 'd'), undefined))
})

describe('output', () => {
  it('aligns columns and shows null as -', () => {
    assert.equal(
      renderTable(
        ['A', 'BB'],
        [
          ['x', null],
          ['longer', 2],
        ],
      ),
      'A       BB\nx       -\nlonger  2',
    )
  })
  it('formats durations', () =>
    assert.deepEqual([500, 1500, 65_000, 3_700_000].map(formatDuration), ['500ms', '1.5s', '1m05s', '1h01m']))
})

describe('parseServers', () => {
  it('accepts host:port lists and strips listener prefixes', () => {
    assert.deepEqual(parseServers('a:1, PLAINTEXT://b:2', '--bootstrap-server'), ['a:1', 'b:2'])
  })
  it('rejects a missing port', () =>
    assert.throws(() => parseServers('localhost', '--bootstrap-server'), /expected host:port/))
})

describe('newClusterId', () => {
  it('is 22 URL-safe base64 characters like kafka-storage random-uuid', () => {
    const id = newClusterId()
    assert.match(id, /^[A-Za-z0-9_-]{22}$/)
    assert.notEqual(id, newClusterId())
  })
  it('never starts with "-" (kafka-storage format would read it as a flag)', () => {
    for (let i = 0; i < 5000; i++) assert.ok(!newClusterId().startsWith('-'))
  })
})

describe('jvmCommandFor', () => {
  const stack = { dir: '/s', heap: '512m', kafka: { home: '/k', version: '4.4.0', description: '' } } as never
  const node = { role: 'broker', configFile: '/s/config/broker-1.properties' } as never
  it('uses a small heap, both logging configs and the kafka.Kafka main class', () => {
    const { command, args } = jvmCommandFor(stack, node, '/usr/bin/java', {})
    assert.equal(command, '/usr/bin/java')
    assert.deepEqual(args.slice(0, 2), ['-Xms128m', '-Xmx512m'])
    assert.ok(args.includes('-Dlog4j2.configurationFile=/s/config/log4j2.properties'))
    assert.deepEqual(args.slice(-4), ['-cp', '/k/libs/*', 'kafka.Kafka', '/s/config/broker-1.properties'])
  })
  it('honours KAFKA_HEAP_OPTS and KAFKA_OPTS like the scripts', () => {
    const { args } = jvmCommandFor(stack, node, 'java', { KAFKA_HEAP_OPTS: '-Xmx1g', KAFKA_OPTS: '-Dx=1' })
    assert.equal(args[0], '-Xmx1g')
    assert.ok(!args.includes('-Xmx512m'))
    assert.ok(args.includes('-Dx=1'))
  })
})

describe('toKafkitError', () => {
  it('keeps kafkit errors and maps oclif parse errors to usage (exit 2)', async () => {
    const own = new KafkitError('x')
    assert.equal(toKafkitError(own), own)
    // Real oclif parse errors (recognised by class, not by name, so bundling cannot break it).
    const { default: Topics } = await import('../../src/commands/topics.js')
    const unknown = await Parser.parse(['--nope'], { flags: Topics.flags, strict: true }).then(
      () => undefined,
      (e: Error) => e,
    )
    assert.ok(unknown)
    const mapped = toKafkitError(unknown)
    assert.equal(mapped.exitCode, ExitCode.usage)
    assert.match(mapped.message, /--nope/)
    assert.equal(toKafkitError(new Error('boom')).exitCode, ExitCode.failure)
  })

  it('names the missing flag or argument and the conflicting flags oclif reports under a heading', async () => {
    const refused = (argv: string[], input: Parameters<typeof Parser.parse>[1]) =>
      Parser.parse(argv, input).then(
        () => assert.fail(`${argv.join(' ')} parsed`),
        (e: Error) => toKafkitError(e),
      )
    const missingFlag = await refused([], { flags: { topic: Flags.string({ required: true }) } })
    assert.equal(missingFlag.message, 'Missing required flag topic')
    assert.equal(missingFlag.exitCode, ExitCode.usage)
    const missingArg = await refused([], { args: { id: Args.integer({ required: true, description: 'Broker id.' }) } })
    assert.equal(missingArg.message, 'Missing 1 required arg: id Broker id.')
    const exclusive = await refused(['--a', '--b'], {
      flags: { a: Flags.boolean({ exclusive: ['b'] }), b: Flags.boolean() },
    })
    assert.match(exclusive.message, /^--b=true cannot also be provided when using --a$/)
  })
})

describe('tables within a terminal width', () => {
  it('fitWidths shrinks the widest columns first, never below the header or 12', () => {
    assert.deepEqual(fitWidths([5, 11, 80, 60], [5, 6, 7, 3], undefined), [5, 11, 80, 60])
    assert.deepEqual(fitWidths([5, 11, 80, 60], [5, 6, 7, 3], 200), [5, 11, 80, 60])
    assert.deepEqual(fitWidths([5, 11, 80, 60], [5, 6, 7, 3], 100), [5, 11, 42, 42])
    assert.deepEqual(fitWidths([5, 11, 80, 60], [5, 6, 7, 3], 10), [5, 11, 12, 12])
  })
  it('wrapText breaks at words and cuts words longer than the width', () => {
    assert.deepEqual(wrapText('the quick brown fox', 9), ['the quick', 'brown fox'])
    assert.deepEqual(wrapText('unix:///var/run/docker.sock', 10), ['unix:///va', 'r/run/dock', 'er.sock'])
    assert.deepEqual(wrapText('', 5), [''])
  })
  it('renderTable with maxWidth wraps long cells onto continuation lines under their column', () => {
    const table = renderTable(['A', 'DETAILS'], [['x', 'one two three four five six']], { maxWidth: 16 })
    assert.deepEqual(table.split('\n'), ['A  DETAILS', 'x  one two three', '   four five six'])
    assert.ok(table.split('\n').every((l) => l.length <= 16))
  })
})
