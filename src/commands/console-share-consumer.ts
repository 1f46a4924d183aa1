import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import type { ShareConsumeControl, ShareConsumeResult } from '../cluster/share-consume.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode, UsageError } from '../errors.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import { checkClass } from '../records/console-options.js'
import { DefaultFormatter, JsonFormatter } from '../records/formatter.js'
import { propertiesFile } from '../records/io.js'
import { ignoredShareProperties, shareConsumerSettings } from '../records/share-options.js'
import { formatConsumeProgress, formatConsumeSummary } from '../records/summary.js'
import { handleInterrupts } from '../signals.js'

export default class ConsoleShareConsumer extends KafkitCommand<typeof ConsoleShareConsumer> {
  static override summary =
    'Read a topic as a member of a share group, like kafka-console-share-consumer.sh (Kafka 4.x).'
  static override description = `A share group (KIP-932) hands each record to one of its members, record by record: several consumers of one
partition share its records. Each printed record is acknowledged (accepted; --release gives it back to the group for
another delivery, --reject drops it for good); records fetched but not printed are released. On exit (--max-messages,
--timeout-ms, Ctrl-C) the last acknowledgements are sent and the member leaves, so the group is Empty at once.
A share group starts at the latest offset unless its share.auto.offset.reset config is earliest (Kafka's
kafka-configs.sh --entity-type groups --entity-name G --alter --add-config share.auto.offset.reset=earliest).
Output: the script's --formatter-property print.key/print.offset/print.partition/print.delivery/print.epoch/..., or --json
(one object per record, with deliveryCount). More in docs/console.md.
Needs Kafka 4.0+ (share.version finalized; kafkit up's 4.x stacks have it).`

  static override aliases = ['kafka-console-share-consumer', 'kafka-console-share-consumer.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Join the default group (console-share-consumer) and print what it hands out',
      command: '<%= config.bin %> console-share-consumer --topic orders',
    },
    {
      description: 'Two of these in one group share the records of a topic',
      command: '<%= config.bin %> console-share-consumer --topic orders --group workers --max-messages 10',
    },
    {
      description: 'Partition, offset and delivery count, as the script prints them',
      command:
        '<%= config.bin %> console-share-consumer --topic orders --group workers --formatter-property print.partition=true --formatter-property print.offset=true --formatter-property print.delivery=true',
    },
    {
      description: 'Look without taking: give every record back to the group',
      command: '<%= config.bin %> console-share-consumer --topic orders --group workers --release --timeout-ms 5000',
    },
  ]

  static override args = {
    topic: Args.string({ description: 'Topic to read; same as --topic.', ignoreStdin: true }),
  }

  static override flags = {
    ...connectionFlags,
    // The share consumer script spells its properties file --consumer-config (deprecated there for --command-config).
    'command-config': Flags.string({
      description:
        'Client properties file (security.protocol, sasl.*, ssl.*, max.poll.records...), as Kafka tools take it.',
      helpGroup: 'CONNECTION',
      aliases: ['consumer-config', 'consumer.config'],
    }),
    topic: Flags.string({ char: 't', description: 'Topic to read.' }),
    group: Flags.string({
      char: 'g',
      description: 'Share group id (default: console-share-consumer, as the script).',
    }),
    release: Flags.boolean({ description: 'Release each record as it is consumed (another delivery follows).' }),
    reject: Flags.boolean({ description: 'Reject each record as it is consumed (it is never delivered again).' }),
    'reject-message-on-error': Flags.boolean({
      description: 'Reject a record that cannot be formatted (a failing deserializer) instead of stopping.',
    }),
    'max-messages': Flags.integer({ char: 'n', description: 'Stop after this many records.' }),
    'timeout-ms': optionalDurationFlag('Stop when no record arrived for this long; negative: never', {
      negative: true,
    }),
    'formatter-property': Flags.string({
      description:
        'Formatter property key=value, repeatable (also spelled --property): print.key, print.value, print.timestamp, print.partition, print.offset, print.delivery, print.epoch, print.headers, key.separator, line.separator, headers.separator, null.literal, key.deserializer, value.deserializer.',
      multiple: true,
      multipleNonGreedy: true,
      aliases: ['property'],
    }),
    'formatter-config': Flags.string({ description: 'Properties file for the formatter (--formatter-property wins).' }),
    formatter: Flags.string({ description: "Formatter class: only Kafka's DefaultMessageFormatter is supported." }),
    'key-deserializer': Flags.string({ description: 'Kafka deserializer class for keys.' }),
    'value-deserializer': Flags.string({ description: 'Kafka deserializer class for values.' }),
    stats: Flags.boolean({
      description: 'Print the summary line (records, bytes, rate) to stderr even when it is not a terminal.',
    }),
    'enable-systest-events': Flags.boolean({ description: 'Accepted for compatibility; ignored.', hidden: true }),
  }

  async run(): Promise<ShareConsumeResult | undefined> {
    const f = this.flags
    if (f.topic !== undefined && this.args.topic !== undefined && f.topic !== this.args.topic) {
      throw new UsageError(`Two different topics given: "${this.args.topic}" (argument) and "${f.topic}" (--topic).`, {
        code: 'CONFLICTING_FLAGS',
      })
    }
    checkClass(f.formatter, '--formatter', 'formatter')
    const json = this.jsonEnabled()
    const connection = connectionFromFlags(f)
    const settings = shareConsumerSettings({ ...f, topic: f.topic ?? this.args.topic }, connection.properties)
    const ignored = ignoredShareProperties(connection.properties)
    if (ignored.length > 0)
      this.reporter.warn(`Consumer properties kafkit's share consumer ignores: ${ignored.join(', ')}`)
    const formatter = json
      ? new JsonFormatter()
      : new DefaultFormatter({
          properties: [
            ...(f['formatter-config'] ? propertiesFile(f['formatter-config'], '--formatter-config') : []),
            ...(f['formatter-property'] ?? []),
          ],
          flag: '--formatter-property',
          keyDeserializer: f['key-deserializer'],
          valueDeserializer: f['value-deserializer'],
        })

    const { shareConsume } = await import('../cluster/share-consume.js')
    let control: ShareConsumeControl | undefined
    // Ctrl-C: acknowledge what was printed, close the share sessions, leave the group; a second one exits at once.
    const interrupts = handleInterrupts({
      stop: () => control?.stop(),
      // Nothing is committed in a share group: records not acknowledged yet go back to it when their lock expires.
      progress: () => (control ? formatConsumeProgress({ records: control.progress().records }) : undefined),
    })
    let result: ShareConsumeResult
    try {
      result = await shareConsume(
        { connection, ...settings, formatter, output: process.stdout, reporter: this.reporter },
        (c) => {
          control = c
          if (interrupts.interrupted) c.stop()
        },
      )
    } finally {
      interrupts.release()
    }
    if (f.stats || process.stderr.isTTY) process.stderr.write(`${formatConsumeSummary(result)}\n`)
    return this.finish(json ? undefined : result, result.reason === 'interrupted' ? ExitCode.interrupted : ExitCode.ok)
  }
}
