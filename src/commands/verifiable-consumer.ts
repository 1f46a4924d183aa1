import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode } from '../errors.js'
import { connectionFlags } from '../flags.js'
import { runStoppable } from '../signals.js'
import { checkConsumerFlags } from '../verifiable/options.js'
import type { VerifiableConsumerResult } from '../verifiable/consumer.js'

export default class VerifiableConsumer extends KafkitCommand<typeof VerifiableConsumer> {
  static override aliases = ['kafka-verifiable-consumer', 'kafka-verifiable-consumer.sh']
  static override deprecateAliases = false
  static override summary =
    'Consume a topic in a group and print its events as JSON lines, like kafka-verifiable-consumer.sh.'
  static override description = `Takes kafka-verifiable-consumer.sh's flags (Kafka 4.4) and prints its JSON lines: startup_complete, partitions_assigned, partitions_revoked, record_data (--verbose), records_consumed, offsets_committed (offsets are committed after each batch unless --enable-autocommit), shutdown_complete and shutdown_requested.
kafkit's member speaks the classic group protocol (--group-protocol consumer, --group-instance-id and --reset-policy none are refused). A records_consumed event covers one partition's batch (the Java tool's covers one poll).
Without --max-messages it runs until Ctrl-C / SIGTERM. With --json only the summary is printed.`
  static override examples = [
    '<%= config.bin %> verifiable-consumer --topic orders --group-id checker --max-messages 1000',
    '<%= config.bin %> kafka-verifiable-consumer.sh --bootstrap-server localhost:9092 --topic orders --group-id g1 --verbose',
  ]

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({ description: 'Consume messages from this topic.', required: true }),
    'group-id': Flags.string({ description: 'The group id of the consumer group.', required: true }),
    'group-protocol': Flags.string({
      description: 'Group protocol (classic; consumer is refused).',
      default: 'classic',
    }),
    'group-remote-assignor': Flags.string({ description: 'Only with --group-protocol consumer (refused).' }),
    'group-instance-id': Flags.string({ description: 'Static membership (refused: not supported).' }),
    'max-messages': Flags.integer({ description: 'Consume this many messages; -1: until stopped.', default: -1 }),
    'session-timeout': Flags.integer({ description: "The consumer's session timeout (ms)." }),
    verbose: Flags.boolean({ description: 'Print a record_data event per record.' }),
    'enable-autocommit': Flags.boolean({ description: 'Auto-commit offsets instead of committing after each batch.' }),
    'close-timeout': Flags.integer({ description: 'Accepted for compatibility (ms).', default: 30_000 }),
    'reset-policy': Flags.string({ description: 'earliest or latest (none is refused).', default: 'earliest' }),
    'assignment-strategy': Flags.string({
      description: "Accepted for compatibility: kafkit's member uses kafkajs's round-robin assignor.",
    }),
  }

  async run(): Promise<VerifiableConsumerResult | undefined> {
    const f = this.flags
    const { resetPolicy } = checkConsumerFlags(f)
    const connection = connectionFromFlags(f)
    const { runVerifiableConsumer } = await import('../verifiable/consumer.js')
    const json = this.jsonEnabled()
    const result = await runStoppable((onControl) =>
      runVerifiableConsumer(
        {
          connection,
          topic: f.topic,
          groupId: f['group-id'],
          maxMessages: f['max-messages'],
          ...(f['session-timeout'] !== undefined ? { sessionTimeoutMs: f['session-timeout'] } : {}),
          verbose: f.verbose,
          autoCommit: f['enable-autocommit'],
          resetPolicy,
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
