import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode } from '../errors.js'
import { connectionFlags } from '../flags.js'
import { runStoppable } from '../signals.js'
import { producerAcks } from '../verifiable/options.js'
import type { VerifiableProducerResult } from '../verifiable/producer.js'

export default class VerifiableProducer extends KafkitCommand<typeof VerifiableProducer> {
  static override aliases = ['kafka-verifiable-producer', 'kafka-verifiable-producer.sh']
  static override deprecateAliases = false
  static override summary =
    'Produce increasing integers and print a JSON event per acknowledged record, like kafka-verifiable-producer.sh.'
  static override description = `Takes kafka-verifiable-producer.sh's flags (Kafka 4.4) and prints its JSON lines: startup_complete, producer_send_success (key, value, offset, topic, partition) or producer_send_error per record, then shutdown_complete and tool_data (sent, acked, target_throughput, avg_throughput).
Values are "0", "1", ... (or "PREFIX.N" with --value-prefix); keys are null, or 0..N-1 repeating with --repeating-keys. Records are sent without retries, as the Java tool sends them.
Without --max-messages it runs until Ctrl-C / SIGTERM, then flushes and prints the closing events. With --json only the summary is printed.`
  static override examples = [
    '<%= config.bin %> verifiable-producer --topic orders --max-messages 1000',
    '<%= config.bin %> verifiable-producer --topic orders --throughput 100 --repeating-keys 10',
    '<%= config.bin %> kafka-verifiable-producer.sh --bootstrap-server localhost:9092 --topic orders --max-messages 10 --acks 1',
  ]

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({ description: 'Produce messages to this topic.', required: true }),
    'max-messages': Flags.integer({ description: 'Produce this many messages; -1: until stopped.', default: -1 }),
    throughput: Flags.integer({
      description: 'If >= 0, throttle to approximately THROUGHPUT messages/sec.',
      default: -1,
    }),
    acks: Flags.integer({ description: 'Acks required on each produced message (0, 1 or -1).', default: -1 }),
    'message-create-time': Flags.integer({
      description: "Record timestamps starting at this value (ms since epoch); -1: the producer's time.",
      default: -1,
    }),
    'value-prefix': Flags.integer({ description: 'Each value is PREFIX.N.' }),
    'repeating-keys': Flags.integer({ description: 'Keys 0 .. N-1, then 0 again.', min: 1 }),
  }

  async run(): Promise<VerifiableProducerResult | undefined> {
    const f = this.flags
    const acks = producerAcks(f.acks)
    const connection = connectionFromFlags(f)
    const { runVerifiableProducer } = await import('../verifiable/producer.js')
    const json = this.jsonEnabled()
    const result = await runStoppable((onControl) =>
      runVerifiableProducer(
        {
          connection,
          topic: f.topic,
          maxMessages: f['max-messages'],
          throughput: f.throughput,
          acks,
          ...(f['message-create-time'] !== -1 ? { createTime: f['message-create-time'] } : {}),
          ...(f['value-prefix'] !== undefined ? { valuePrefix: f['value-prefix'] } : {}),
          ...(f['repeating-keys'] !== undefined ? { repeatingKeys: f['repeating-keys'] } : {}),
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
