import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { POSITIONAL_WARNING, latencySettings } from '../verifiable/options.js'
import type { LatencyResult } from '../verifiable/latency.js'

export default class E2eLatency extends KafkitCommand<typeof E2eLatency> {
  static override aliases = ['kafka-e2e-latency', 'kafka-e2e-latency.sh']
  static override deprecateAliases = false
  static override summary =
    'Measure end-to-end latency: send a record, read it back, repeat; like kafka-e2e-latency.sh.'
  static override description = `Takes kafka-e2e-latency.sh's named flags (Kafka 4.2+) or its positional form (broker_list topic num_messages producer_acks message_size_bytes [properties_file], deprecated in 4.2) and prints what it prints: "i<TAB>ms" every 1000 records, "Avg latency: X ms" and the 50th, 99th and 99.9th percentiles (ms).
A missing topic is created with 1 partition and replication factor 1, as the tool does. kafkit reads the records back without a consumer group (the Java tool commits to a throw-away group test-group-<time>).`
  static override examples = [
    '<%= config.bin %> e2e-latency --topic latency --num-records 1000 --producer-acks all --record-size 512',
    '<%= config.bin %> kafka-e2e-latency.sh localhost:9092 latency 1000 1 512',
  ]

  /** The deprecated positional form (3.x); named flags win when any required one is given. */
  static override args = {
    broker_list: Args.string({ description: 'Positional form: bootstrap servers.' }),
    topic: Args.string({ description: 'Positional form: topic.' }),
    num_messages: Args.string({ description: 'Positional form: number of records.' }),
    producer_acks: Args.string({ description: "Positional form: '1' or 'all'." }),
    message_size_bytes: Args.string({ description: 'Positional form: record size in bytes.' }),
    properties_file: Args.string({ description: 'Positional form: client properties file (optional).' }),
  }

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({ description: 'The topic to use for the test.' }),
    'num-records': Flags.integer({ description: 'The number of messages to send.' }),
    'producer-acks': Flags.string({ description: "Producer acknowledgements: '1' or 'all'." }),
    'record-size': Flags.integer({ description: 'The size of each message payload in bytes.' }),
    'record-key-size': Flags.integer({ description: 'The size of the message key in bytes (default 0).' }),
    'num-headers': Flags.integer({ description: 'The number of headers in each message (default 0).' }),
    'record-header-key-size': Flags.integer({ description: 'The size of each header key in bytes (default 0).' }),
    'record-header-size': Flags.integer({
      description: 'The size of each header value in bytes; -1: null (default 0).',
    }),
  }

  async run(): Promise<LatencyResult> {
    const f = this.flags
    const a = this.args
    const positional = [
      a.broker_list,
      a.topic,
      a.num_messages,
      a.producer_acks,
      a.message_size_bytes,
      a.properties_file,
    ].filter((v): v is string => v !== undefined)
    const settings = latencySettings(positional, f)
    // The Java tool prints this on stdout; it is no result, so kafkit keeps it on stderr.
    if (settings.positional) process.stderr.write(`${POSITIONAL_WARNING}\n`)
    const connection = connectionFromFlags({
      ...f,
      ...(settings.bootstrapServer !== undefined ? { 'bootstrap-server': settings.bootstrapServer } : {}),
      ...(settings.commandConfig !== undefined ? { 'command-config': settings.commandConfig } : {}),
    })
    const { runLatency } = await import('../verifiable/latency.js')
    const json = this.jsonEnabled()
    return runLatency({ connection, ...settings, reporter: this.reporter, debug: this.debugEnabled }, (line) => {
      if (!json) this.log(line)
    })
  }
}
