import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, serdeFlags } from '../flags.js'
import { scriptFormat, splitSchemaProperties, serdeSpec } from '../schemas/formats.js'
import type { ProduceControl, ProduceResult } from '../cluster/produce.js'
import { ExitCode, UsageError } from '../errors.js'
import { optionalDurationFlag } from '../flags.js'
import { checkClass, producerSettings, withDefaultCodec } from '../records/console-options.js'
import { openInput, propertiesFile } from '../records/io.js'
import { lineReaderOptions } from '../records/line-reader.js'
import { formatProduceProgress, formatProduceSummary } from '../records/summary.js'
import { handleInterrupts } from '../signals.js'
import type { OutgoingRecord } from '../records/types.js'

export default class ConsoleProducer extends KafkitCommand<typeof ConsoleProducer> {
  static override summary = 'Produce records from stdin or a file, one per line, like kafka-console-producer.sh.'
  static override description = `Each line is a record; with --property parse.key=true / parse.headers=true a line is "[headers<TAB>][key<TAB>]value",
exactly as Kafka's LineMessageReader reads it. With --json each line is a JSON record {"key","value","headers","partition","timestamp"}
(bytes that are not UTF-8 as {"base64": "..."}), the format console-consumer --json writes.
Delivery is idempotent (acks=all) and retried while Kafka is away, as with the Java producer: a record fails only when its
delivery.timeout.ms (default 120000, from the moment it was read) expires. A missing topic is created by the broker when it
allows it (auto.create.topics.enable; --producer-property allow.auto.create.topics=false to refuse). The exit code is 0 only
if every record was acknowledged; otherwise 1, with the counts and the first input line to resend from.
Ctrl-C once sends what was read and stops; twice (or 5 s after the first) exits at once, abandoning what was not acknowledged.
Schema Registry formats (--value-format avro|protobuf|json-schema, or Confluent's --property value.schema=...): each key and value is a
line of JSON, checked against its schema (the line and the field named on error; nothing after a bad line is sent, unless
--property ignore.error=true skips it) and sent in Confluent's wire format. See docs/schemas.md.
Script flags kafkit accepts and ignores: --metadata-expiry-ms, --max-block-ms, --socket-buffer-size.`

  // With Confluent's schema-aware script names (their --property schema.registry.url=... value.schema=... are taken).
  static override aliases = [
    'kafka-console-producer',
    'kafka-console-producer.sh',
    'kafka-avro-console-producer',
    'kafka-protobuf-console-producer',
    'kafka-json-schema-console-producer',
  ]
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Avro values checked against a schema file, registered as orders-value',
      command:
        'echo \'{"id": 1, "amount": 9.5}\' | <%= config.bin %> console-producer orders --value-format avro --value-schema order.avsc',
    },
    {
      description: 'Protobuf values of the second message of a .proto file, chosen by name',
      command:
        'echo \'{"sku": "x1"}\' | <%= config.bin %> console-producer items --value-format protobuf --value-schema shop.proto --value-message Item',
    },
    { description: 'Type records (Ctrl-D to finish)', command: '<%= config.bin %> console-producer orders' },
    {
      description: 'Keys and values separated by ":"',
      command:
        "printf 'k1:v1\\nk2:v2\\n' | <%= config.bin %> console-producer --topic orders --property parse.key=true --property key.separator=:",
    },
    {
      description: 'Headers, key and value',
      command:
        "printf 'h1:a,h2:b\\tk1\\tv1\\n' | <%= config.bin %> console-producer --topic orders --property parse.headers=true --property parse.key=true",
    },
    {
      description: 'A file, compressed with zstd, with a summary line',
      command: '<%= config.bin %> console-producer --topic orders --file records.txt --compression-codec zstd --stats',
    },
    {
      description: 'Copy a topic byte for byte',
      command:
        '<%= config.bin %> console-consumer --topic orders --from-beginning --exit-at-end --json | <%= config.bin %> console-producer --topic orders-copy --json',
    },
    {
      description: "The script's own command line",
      command:
        '<%= config.bin %> kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --producer-property acks=1',
    },
  ]

  static override args = {
    // ignoreStdin: oclif would otherwise read a missing argument from piped stdin, eating the records.
    topic: Args.string({ description: 'Topic to produce to; same as --topic.', ignoreStdin: true }),
  }

  static override flags = {
    ...connectionFlags,
    ...serdeFlags,
    'auto-register': Flags.boolean({
      description:
        'Register a schema given as a file under its subject (default on; --no-auto-register: it must be registered already).',
      helpGroup: 'SCHEMA REGISTRY',
      allowNo: true,
    }),
    'value-message': Flags.string({
      description:
        'Protobuf: the message values are (full name, name in the package or simple name); default the first message of the schema.',
      helpGroup: 'SCHEMA REGISTRY',
    }),
    'key-message': Flags.string({ description: 'Protobuf: the message keys are.', helpGroup: 'SCHEMA REGISTRY' }),
    topic: Flags.string({
      char: 't',
      description: 'Topic to produce to (the broker creates it if missing and auto.create.topics.enable=true).',
    }),
    file: Flags.string({ description: 'Read records from this file instead of stdin.' }),
    property: Flags.string({
      description:
        'Line reader property key=value, repeatable (also spelled --reader-property): parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error; and the Confluent schema properties schema.registry.url, value.schema, value.schema.file, value.schema.id, key.schema..., auto.register.schemas (docs/schemas.md).',
      multiple: true,
      multipleNonGreedy: true,
      aliases: ['reader-property'],
    }),
    'reader-config': Flags.string({ description: 'Properties file for the line reader (--property wins).' }),
    'line-reader': Flags.string({ description: "Reader class: only Kafka's default LineMessageReader is supported." }),
    partition: Flags.integer({
      char: 'p',
      description:
        'Send every record to this partition (default: by key like the Java client, sticky for records without key).',
      min: 0,
    }),
    'request-required-acks': Flags.string({ description: 'acks: all/-1 (default), 1 or 0. Idempotence needs all.' }),
    'compression-codec': Flags.string({
      description: 'none (default), gzip (also when given without a value), snappy, lz4 or zstd.',
    }),
    sync: Flags.boolean({ description: 'Send records one at a time, each acknowledged before the next.' }),
    'batch-size': Flags.integer({ description: 'Bytes per partition batch (default 512 KiB, at most 900 KiB).' }),
    'max-partition-memory-bytes': Flags.integer({
      description: 'Same as --batch-size (wins over it), as in the script.',
    }),
    timeout: optionalDurationFlag('Linger: how long a record may wait for its batch to fill (default 1000)'),
    'max-memory-bytes': Flags.integer({
      description: 'Bytes read but not yet acknowledged before reading pauses (default 8 MiB).',
    }),
    'message-send-max-retries': Flags.integer({
      description: 'Retries of a failed request (default: unlimited, bounded by delivery.timeout.ms).',
    }),
    'retry-backoff-ms': optionalDurationFlag(
      'First retry delay (default 100, doubling up to retry.backoff.max.ms, 1000)',
    ),
    'request-timeout-ms': optionalDurationFlag(
      "How long to wait for one request's acknowledgement before retrying it (default 30000)",
    ),
    'metadata-expiry-ms': Flags.integer({ description: 'Accepted for compatibility; ignored.', hidden: true }),
    'max-block-ms': Flags.integer({ description: 'Accepted for compatibility; ignored.', hidden: true }),
    'socket-buffer-size': Flags.integer({ description: 'Accepted for compatibility; ignored.', hidden: true }),
    stats: Flags.boolean({
      description: 'Print the summary line (records, bytes, rate) to stderr even when it is not a terminal.',
    }),
  }

  override async init(): Promise<void> {
    this.argv = withDefaultCodec(this.argv)
    await super.init()
  }

  async run(): Promise<ProduceResult> {
    const f = this.flags
    const topic = oneTopic(f.topic, this.args.topic)
    checkClass(f['line-reader'], '--line-reader', 'reader')
    const readerProperties = f['reader-config'] ? propertiesFile(f['reader-config'], '--reader-config') : []
    const properties = splitSchemaProperties([...readerProperties, ...(f.property ?? [])])
    const reader = lineReaderOptions(properties.rest, '--property')
    const connection = connectionFromFlags(f)
    const settings = producerSettings(f, connection.properties)
    const serde = serdeSpec(f, properties.schema, connection.properties, scriptFormat(process.argv.slice(2)))
    let serialize: ((record: OutgoingRecord, lineNumber: number) => OutgoingRecord) | undefined
    if (serde) {
      const { producerSerde } = await import('../schemas/serde.js')
      const info = (message: string) => this.reporter.info(message)
      serialize = (await producerSerde(serde, topic, { ...(f.stack ? { stack: f.stack } : {}), info })).serialize
    }
    const { input, name, interactive } = openInput(f.file)
    if (interactive) this.reporter.info(`Type records for ${topic}, one per line; Ctrl-D to finish.`)

    const { produceRecords, DeliveryFailedError } = await import('../cluster/produce.js')
    let control: ProduceControl | undefined
    // Ctrl-C sends what was read and stops; a second one, or STOP_GRACE_MS later (Kafka away), exits at once and
    // says how many records were abandoned.
    const interrupts = handleInterrupts({
      stop: () => {
        this.reporter.warn('Interrupted: sending the records read so far (Ctrl-C again to abandon them).')
        control?.stop('flush')
      },
      progress: () => (control ? formatProduceProgress(control.progress()) : undefined),
    })
    let result: ProduceResult
    try {
      result = await produceRecords(
        {
          connection,
          topic,
          input,
          inputName: name,
          json: this.jsonEnabled(),
          reader,
          partition: f.partition,
          sync: f.sync,
          reporter: this.reporter,
          debug: this.debugEnabled,
          ...(serialize ? { serialize } : {}),
          ...settings,
        },
        (c) => {
          control = c
          // A Ctrl-C that came while connecting still counts.
          if (interrupts.interrupted) c.stop('flush')
        },
      )
    } catch (error) {
      if (
        error instanceof DeliveryFailedError &&
        f.file !== undefined &&
        error.result.firstUnacknowledgedLine !== undefined
      ) {
        error.suggestions.push(resendCommand(f.file, error.result.firstUnacknowledgedLine, this.argv))
      }
      throw error
    } finally {
      interrupts.release()
    }
    if (f.stats || process.stderr.isTTY || result.interrupted) process.stderr.write(`${formatProduceSummary(result)}\n`)
    return this.finish(result, result.interrupted ? ExitCode.interrupted : ExitCode.ok)
  }
}

/** The same command line fed from the first unacknowledged line of the file (pasteable as printed). */
function resendCommand(file: string, line: number, argv: string[]): string {
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--file') i++
    else if (!arg.startsWith('--file=')) rest.push(arg)
  }
  return `tail -n +${line} ${shellQuote(file)} | kafkit console-producer ${rest.map(shellQuote).join(' ')}`
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

function oneTopic(flag: string | undefined, arg: string | undefined): string {
  if (flag !== undefined && arg !== undefined && flag !== arg) {
    throw new UsageError(`Two different topics given: "${arg}" (argument) and "${flag}" (--topic).`, {
      code: 'CONFLICTING_FLAGS',
    })
  }
  const topic = flag ?? arg
  if (!topic)
    throw new UsageError('Missing topic: give --topic NAME (or the topic as the first argument).', {
      code: 'MISSING_TOPIC',
    })
  return topic
}
