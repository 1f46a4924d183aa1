import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { UsageError } from '../errors.js'
import type { SharePerfResult } from '../perf/share-consumer.js'
import { consumerPerfOptions } from '../perf/options.js'
import { shareConsumerSettings } from '../records/share-options.js'

export default class ShareConsumerPerfTest extends KafkitCommand<typeof ShareConsumerPerfTest> {
  static override summary = 'Measure share consumer throughput (KIP-932), like kafka-share-consumer-perf-test.sh.'
  static override description = `--threads members of a share group (default perf-share-consumer) read --num-records records between them and the
script's CSV header and row are printed (start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec,
data.consumed.in.nMsg, fetch.time.ms). Kafka 4.x share groups only. A share group starts at the log end unless its
share.auto.offset.reset is earliest (kafka-configs.sh --alter --entity-type groups --entity-name G --add-config
share.auto.offset.reset=earliest), as with the Java tool.`

  static override aliases = ['kafka-share-consumer-perf-test', 'kafka-share-consumer-perf-test.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Three share consumers read 100,000 records between them',
      command: '<%= config.bin %> share-consumer-perf-test --topic perf --num-records 100000 --threads 3',
    },
  ]

  static override flags = {
    ...connectionFlags,
    'command-config': Flags.string({ description: 'Share consumer properties file.', helpGroup: 'CONNECTION' }),
    'consumer.config': Flags.string({ description: 'Older spelling of --command-config (deprecated in 4.4).' }),
    topic: Flags.string({ description: 'The topic to consume from.' }),
    group: Flags.string({ description: 'The share group id (default perf-share-consumer).' }),
    'num-records': Flags.integer({ description: 'The number of records to consume.' }),
    messages: Flags.integer({ description: 'Older spelling of --num-records (deprecated in 4.4).' }),
    timeout: Flags.integer({
      description: 'The maximum time in milliseconds between returned records (default 10000).',
    }),
    threads: Flags.integer({ description: 'The number of share consumers sharing the load (default 1).' }),
    'show-consumer-stats': Flags.boolean({ description: 'Also print the figures of each share consumer.' }),
    'show-detailed-stats': Flags.boolean({ description: 'Print a row per share consumer and reporting interval.' }),
    'reporting-interval': Flags.integer({ description: 'Milliseconds between detailed rows (default 5000).' }),
    'date-format': Flags.string({
      description: 'SimpleDateFormat pattern of the time columns (default yyyy-MM-dd HH:mm:ss:SSS).',
    }),
    'hide-header': Flags.boolean({ description: 'Skip the header line.' }),
    'fetch-size': Flags.integer({ description: 'The most bytes one fetch asks for (fetch.max.bytes).' }),
    'socket-buffer-size': Flags.integer({ description: 'Accepted for compatibility; ignored.', hidden: true }),
    'print-metrics': Flags.boolean({ description: 'Accepted for compatibility; kafkit has no metrics registry.' }),
  }

  async run(): Promise<SharePerfResult> {
    const f = this.flags
    const options = consumerPerfOptions(f)
    const threads = f.threads ?? 1
    if (threads < 1) throw new UsageError('--threads must be at least 1.', { code: 'BAD_PERF_FLAGS' })
    for (const warning of options.warnings) process.stderr.write(`${warning}\n`)
    const connection = connectionFromFlags({ ...f, 'command-config': f['command-config'] ?? f['consumer.config'] })
    const properties: Record<string, string> = {
      ...connection.properties,
      ...(f['fetch-size'] !== undefined ? { 'fetch.max.bytes': String(f['fetch-size']) } : {}),
    }
    // kafkit's share consumer asks each ShareFetch for max.poll.records records; the Java client fetches more than one
    // poll's worth, so without the property the perf test asks for 5000 (measured: twice the rate of 500).
    properties['max.poll.records'] ??= '5000'
    const settings = shareConsumerSettings(
      { topic: options.topic, group: f.group ?? properties['group.id'] ?? 'perf-share-consumer' },
      { ...properties, 'client.id': properties['client.id'] ?? 'perf-share-consumer-client' },
    )
    const json = this.jsonEnabled()
    const { runSharePerf } = await import('../perf/share-consumer.js')
    return runSharePerf(
      {
        options,
        settings,
        threads,
        showDetailedStats: f['show-detailed-stats'],
        showConsumerStats: f['show-consumer-stats'],
        hideHeader: f['hide-header'],
      },
      {
        connection,
        reporter: this.reporter,
        print: (line) => {
          if (!json) process.stdout.write(`${line}\n`)
        },
      },
    )
  }
}
