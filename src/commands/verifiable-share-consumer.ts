import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode } from '../errors.js'
import { connectionFlags } from '../flags.js'
import { runStoppable } from '../signals.js'
import { checkShareConsumerFlags } from '../verifiable/options.js'
import type { VerifiableShareConsumerResult } from '../verifiable/share-consumer.js'

export default class VerifiableShareConsumer extends KafkitCommand<typeof VerifiableShareConsumer> {
  static override aliases = ['kafka-verifiable-share-consumer', 'kafka-verifiable-share-consumer.sh']
  static override deprecateAliases = false
  static override summary =
    'Consume a topic in a share group and print its events as JSON lines, like kafka-verifiable-share-consumer.sh (Kafka 4.x).'
  static override description = `Takes VerifiableShareConsumer's flags (Kafka 4.4) and prints its JSON lines: startup_complete, offset_reset_strategy_set (with --offset-reset-strategy, which sets the group's share.auto.offset.reset), record_data (--verbose), records_consumed, offsets_acknowledged, shutdown_complete and shutdown_requested.
Every record is accepted; acknowledgements travel with the next ShareFetch (all three --acknowledgement-mode values), and the last ones when the member leaves. --ack-pattern is refused. A records_consumed event covers one partition of one fetch; --max-messages stops after exactly that many records (the Java tool stops once that many are acknowledged).
Without --max-messages it runs until Ctrl-C / SIGTERM. With --json only the summary is printed. Needs Kafka 4.0+.`
  static override examples = [
    '<%= config.bin %> verifiable-share-consumer --topic orders --group-id checker --offset-reset-strategy earliest --max-messages 1000',
    '<%= config.bin %> kafka-verifiable-share-consumer.sh --bootstrap-server localhost:9092 --topic orders --group-id sg1 --verbose',
  ]

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({ description: 'Consume messages from this topic.', required: true }),
    'group-id': Flags.string({ description: 'The group id of the share group.', required: true }),
    'max-messages': Flags.integer({ description: 'Consume this many messages; -1: until stopped.', default: -1 }),
    verbose: Flags.boolean({ description: 'Print a record_data event per record.' }),
    'acknowledgement-mode': Flags.string({ description: 'auto, sync or async.', default: 'auto' }),
    'ack-pattern': Flags.string({ description: 'Not supported (refused): every record is accepted.' }),
    'offset-reset-strategy': Flags.string({
      description: "Set the share group's share.auto.offset.reset first: earliest or latest.",
      default: '',
    }),
  }

  async run(): Promise<VerifiableShareConsumerResult | undefined> {
    const f = this.flags
    const choices = checkShareConsumerFlags(f)
    const connection = connectionFromFlags(f)
    const { runVerifiableShareConsumer } = await import('../verifiable/share-consumer.js')
    const json = this.jsonEnabled()
    const result = await runStoppable((onControl) =>
      runVerifiableShareConsumer(
        {
          connection,
          topic: f.topic,
          groupId: f['group-id'],
          maxMessages: f['max-messages'],
          verbose: f.verbose,
          ...choices,
          reporter: this.reporter,
          debug: this.debugEnabled,
        },
        (line) => {
          if (!json) process.stdout.write(`${line}\n`)
        },
        onControl,
      ),
    )
    return this.finish(json ? result : undefined, result.stopped ? ExitCode.interrupted : ExitCode.ok)
  }
}
