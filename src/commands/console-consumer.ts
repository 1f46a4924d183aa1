import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { colorsFor } from '../output/reporter.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, serdeFlags } from '../flags.js'
import { scriptFormat, splitSchemaProperties, serdeSpec } from '../schemas/formats.js'
import type { ConsumeControl, ConsumeResult } from '../cluster/consume.js'
import { ExitCode, UsageError } from '../errors.js'
import { optionalDurationFlag } from '../flags.js'
import { checkClass, consumerSettings, waitingHint } from '../records/console-options.js'
import { DefaultFormatter, FORMAT_TOKENS, JsonFormatter, TemplateFormatter } from '../records/formatter.js'
import { propertiesFile } from '../records/io.js'
import { parseToolProperties } from '../records/properties.js'
import { formatConsumeProgress, formatConsumeSummary } from '../records/summary.js'
import { handleInterrupts } from '../signals.js'

export default class ConsoleConsumer extends KafkitCommand<typeof ConsoleConsumer> {
  static override summary = 'Print records of a topic to stdout, like kafka-console-consumer.sh.'
  static override description = `Without --group, a private throw-away group is used and no offsets are read or committed (like the script).
With --group, the group's committed offsets are the start and only printed records are committed; Ctrl-C leaves the group cleanly.
A second Ctrl-C (or 5 s after the first, when the output does not drain) exits at once with 130, skipping the final commit.
Output: the script's --property print.key/print.timestamp/print.partition/print.offset/print.headers/... (same bytes as
kafka-console-consumer.sh), a --format template, or --json (one object per record; UTF-8 as text, other bytes as {"base64": ...}).
--format tokens (kcat's): ${Object.entries(FORMAT_TOKENS)
    .map(([t, d]) => `${t} ${d}`)
    .join(', ')}; escapes \\n \\t \\r \\\\.
Schema Registry formats (--value-format avro|protobuf|json-schema, or Confluent's --property schema.registry.url=...): values
(and keys) are decoded by the schema id in each record and printed as JSON; a record that cannot be decoded is reported on
stderr and skipped. --value-format bytes prints the raw bytes. See docs/schemas.md.
Script flags kafkit accepts and ignores: --skip-message-on-error, --enable-systest-events.`

  // With Confluent's schema-aware script names (their --property schema.registry.url=... value.schema=... are taken).
  static override aliases = [
    'kafka-console-consumer',
    'kafka-console-consumer.sh',
    'kafka-avro-console-consumer',
    'kafka-protobuf-console-consumer',
    'kafka-json-schema-console-consumer',
  ]
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Everything in a topic, then keep waiting for more',
      command: '<%= config.bin %> console-consumer orders --from-beginning',
    },
    {
      description: 'Everything up to now, then exit',
      command: '<%= config.bin %> console-consumer --topic orders --from-beginning --exit-at-end',
    },
    {
      description: 'Keys, timestamps, partitions, offsets and headers, as the script prints them',
      command:
        '<%= config.bin %> console-consumer --topic orders --from-beginning --exit-at-end --property print.key=true --property print.timestamp=true --property print.partition=true --property print.offset=true --property print.headers=true',
    },
    {
      description: 'The last 15 minutes, as JSON',
      command: '<%= config.bin %> console-consumer --topic orders --from-time -15m --exit-at-end --json',
    },
    {
      description: 'Partition 0 from offset 42, at most 10 records',
      command: '<%= config.bin %> console-consumer --topic orders --partition 0 --offset 42 --max-messages 10',
    },
    {
      description: 'A template (kcat tokens)',
      command:
        "<%= config.bin %> console-consumer --topic orders --from-beginning --exit-at-end --format '%p:%o %k=%s\\n'",
    },
    {
      description: 'All topics matching a regular expression',
      command: "<%= config.bin %> console-consumer --include 'orders.*' --from-beginning --exit-at-end",
    },
    {
      description: 'As a group member: resumes where the last run stopped',
      command: '<%= config.bin %> console-consumer --topic orders --group audit --from-beginning',
    },
    {
      description: "The script's own command line",
      command:
        '<%= config.bin %> kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --max-messages 5 --formatter-property print.key=true',
    },
  ]

  static override args = {
    // ignoreStdin: oclif would otherwise read a missing argument from piped stdin.
    topic: Args.string({ description: 'Topic to read; same as --topic.', ignoreStdin: true }),
  }

  // Short flags as kcat and rpk spell them (-t -p -o -e -g; -n for rpk's --num): Kafka's scripts have none to clash.
  static override flags = {
    ...connectionFlags,
    ...serdeFlags,
    topic: Flags.string({ char: 't', description: 'Topic to read.' }),
    include: Flags.string({
      description:
        'Regular expression of topics to read (whole names; internal topics excluded). Also spelled --whitelist.',
      aliases: ['whitelist'],
    }),
    partition: Flags.integer({ char: 'p', description: 'Read only this partition.', min: 0 }),
    offset: Flags.string({
      char: 'o',
      description:
        'Where to start: earliest, latest (default), an offset, -N (the last N records) or @TIME (epoch ms, ISO-8601, or relative like @-15m).',
    }),
    'from-beginning': Flags.boolean({
      description: 'Start at the earliest record (for a group: when it has no committed offset).',
    }),
    'from-time': Flags.string({
      description:
        'Start at the first record at or after TIME: epoch ms, ISO-8601 (2024-05-01T10:00:00Z) or relative (-15m, -2h, -1d).',
    }),
    'exit-at-end': Flags.boolean({
      char: 'e',
      description: 'Stop at the end offsets seen at start instead of waiting for new records.',
    }),
    'max-messages': Flags.integer({ char: 'n', description: 'Stop after this many records.' }),
    'timeout-ms': optionalDurationFlag('Stop when no record arrived for this long; negative: never', {
      negative: true,
    }),
    group: Flags.string({
      char: 'g',
      description: 'Consume as a member of this group: start from its committed offsets, commit what was printed.',
    }),
    'isolation-level': Flags.string({
      description: 'read_uncommitted (default) or read_committed (skip aborted transactions).',
    }),
    property: Flags.string({
      description:
        'Formatter property key=value, repeatable (also spelled --formatter-property): print.key, print.value, print.timestamp, print.partition, print.offset, print.headers, key.separator, line.separator, headers.separator, null.literal; and the Confluent schema properties schema.registry.url (docs/schemas.md).',
      multiple: true,
      multipleNonGreedy: true,
      aliases: ['formatter-property'],
    }),
    'formatter-config': Flags.string({ description: 'Properties file for the formatter (--property wins).' }),
    formatter: Flags.string({
      description: "Formatter class: only Kafka's DefaultMessageFormatter is supported (see --format, --json).",
    }),
    'key-deserializer': Flags.string({
      description:
        'Kafka deserializer class for keys (String, ByteArray, Integer, Long, Short, Double, Float, UUID...).',
    }),
    'value-deserializer': Flags.string({ description: 'Kafka deserializer class for values.' }),
    format: Flags.string({
      description: "Output template with kcat's tokens, e.g. '%k\\t%s\\n' (see the description).",
    }),
    stats: Flags.boolean({
      description: 'Print the summary line (records, bytes, rate) to stderr even when it is not a terminal.',
    }),
    'skip-message-on-error': Flags.boolean({ description: 'Accepted for compatibility; ignored.', hidden: true }),
    'enable-systest-events': Flags.boolean({ description: 'Accepted for compatibility; ignored.', hidden: true }),
  }

  async run(): Promise<ConsumeResult | undefined> {
    const f = this.flags
    if (f.topic !== undefined && this.args.topic !== undefined && f.topic !== this.args.topic) {
      throw new UsageError(`Two different topics given: "${this.args.topic}" (argument) and "${f.topic}" (--topic).`, {
        code: 'CONFLICTING_FLAGS',
      })
    }
    checkClass(f.formatter, '--formatter', 'formatter')
    const json = this.jsonEnabled()
    const connection = connectionFromFlags(f)
    const settings = consumerSettings({ ...f, topic: f.topic ?? this.args.topic, json }, connection.properties)
    const split = splitSchemaProperties([
      ...(f['formatter-config'] ? propertiesFile(f['formatter-config'], '--formatter-config') : []),
      ...(f.property ?? []),
    ])
    const properties = split.rest
    const serde = serdeSpec(f, split.schema, connection.properties, scriptFormat(process.argv.slice(2)))
    const plain = json
      ? new JsonFormatter()
      : f.format === undefined
        ? new DefaultFormatter({
            properties,
            flag: '--property',
            keyDeserializer: f['key-deserializer'],
            valueDeserializer: f['value-deserializer'],
          })
        : new TemplateFormatter(
            f.format,
            parseToolProperties(splitSchemaProperties(f.property).rest, '--property', ['null.literal'])['null.literal'],
          )
    const formatter = serde
      ? (await import('../schemas/serde.js')).consumerFormatter(serde, plain, {
          json,
          ...(f.stack ? { stack: f.stack } : {}),
          warn: (message) => this.reporter.warn(message),
        })
      : plain

    const waiting = waitingHint(settings, process.stdout.isTTY === true && process.stderr.isTTY === true)
    if (waiting) process.stderr.write(`${colorsFor(process.stderr).dim(waiting)}\n`)
    const { consumeRecords } = await import('../cluster/consume.js')
    let control: ConsumeControl | undefined
    // Ctrl-C: stop, flush and (with --group) commit what was printed; a second one, or STOP_GRACE_MS later, exits at once.
    const interrupts = handleInterrupts({
      stop: () => control?.stop(),
      progress: () => (control ? formatConsumeProgress(control.progress()) : undefined),
    })
    let result: ConsumeResult
    try {
      result = await consumeRecords(
        {
          connection,
          ...settings,
          exitAtEnd: f['exit-at-end'],
          formatter,
          output: process.stdout,
          reporter: this.reporter,
          debug: this.debugEnabled,
        },
        (c) => {
          control = c
          if (interrupts.interrupted) c.stop()
        },
      )
    } finally {
      interrupts.release()
    }
    if (f.stats || process.stderr.isTTY) process.stderr.write(`${formatConsumeSummary(result)}\n`)
    // With --json the records were the output; a summary object after them would read as one more record.
    return this.finish(json ? undefined : result, result.reason === 'interrupted' ? ExitCode.interrupted : ExitCode.ok)
  }
}
