import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import type { ConsumerPerfResult } from '../perf/consumer.js'
import { consumerPerfOptions } from '../perf/options.js'

export default class ConsumerPerfTest extends KafkitCommand<typeof ConsumerPerfTest> {
  static override summary = 'Measure consumer throughput, like kafka-consumer-perf-test.sh.'
  static override description = `Reads --num-records records (3.9: --messages) and prints the script's CSV header and row (start.time, end.time,
data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec,
fetch.nMsg.sec), or a row per --reporting-interval with --show-detailed-stats. Stops after --timeout ms (default 10000)
without a record, with the script's warning. Without --group kafkit reads the partitions directly (no group is
created, rebalance.time.ms is 0); with --group it joins that group and commits, as the Java consumer does.`

  static override aliases = ['kafka-consumer-perf-test', 'kafka-consumer-perf-test.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Read a million records from the start of a topic',
      command: '<%= config.bin %> consumer-perf-test --topic perf --num-records 1000000',
    },
    {
      description: "The script's 3.9 command line",
      command:
        '<%= config.bin %> kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic perf --messages 100000 --show-detailed-stats --reporting-interval 1000',
    },
  ]

  static override flags = {
    ...connectionFlags,
    'command-config': Flags.string({ description: 'Consumer properties file.', helpGroup: 'CONNECTION' }),
    'consumer.config': Flags.string({ description: '3.9 spelling of --command-config (deprecated in 4.4).' }),
    topic: Flags.string({ description: 'The topic to consume from.' }),
    include: Flags.string({ description: 'Regular expression of the topics to consume (instead of --topic).' }),
    'num-records': Flags.integer({ description: 'The number of records to consume.' }),
    messages: Flags.integer({ description: '3.9 spelling of --num-records (deprecated in 4.4).' }),
    group: Flags.string({ description: 'Consume as a member of this group (commits offsets).' }),
    'from-latest': Flags.boolean({
      description: 'Without committed offsets, start at the end of the log rather than the start.',
    }),
    timeout: Flags.integer({
      description: 'The maximum time in milliseconds between returned records (default 10000).',
    }),
    'show-detailed-stats': Flags.boolean({ description: 'Print a row per reporting interval instead of the total.' }),
    'reporting-interval': Flags.integer({ description: 'Milliseconds between detailed rows (default 5000).' }),
    'date-format': Flags.string({
      description: 'SimpleDateFormat pattern of the time columns (default yyyy-MM-dd HH:mm:ss:SSS).',
    }),
    'hide-header': Flags.boolean({ description: 'Skip the header line.' }),
    'fetch-size': Flags.integer({ description: 'Accepted for compatibility; kafkit fetches 2 MB per partition.' }),
    'socket-buffer-size': Flags.integer({ description: 'Accepted for compatibility; ignored.', hidden: true }),
    'print-metrics': Flags.boolean({
      description: "Print kafkit's consumer figures in the Java tool's metrics layout.",
    }),
  }

  async run(): Promise<ConsumerPerfResult> {
    const f = this.flags
    const options = consumerPerfOptions(f)
    for (const warning of options.warnings) process.stderr.write(`${warning}\n`)
    const connection = connectionFromFlags({ ...f, 'command-config': f['command-config'] ?? f['consumer.config'] })
    const json = this.jsonEnabled()
    const { runConsumerPerf, consumerMetricsLines } = await import('../perf/consumer.js')
    const result = await runConsumerPerf(
      {
        options,
        ...(options.topic !== undefined ? { topic: options.topic } : {}),
        ...(options.include !== undefined ? { include: options.include } : {}),
        ...(f.group !== undefined ? { group: f.group } : {}),
        fromLatest: f['from-latest'],
        showDetailedStats: f['show-detailed-stats'],
        hideHeader: f['hide-header'],
        properties: connection.properties,
      },
      {
        connection,
        reporter: this.reporter,
        debug: this.debugEnabled,
        print: (line) => {
          if (!json) process.stdout.write(`${line}\n`)
        },
      },
    )
    if (!json && f['print-metrics'])
      this.log(consumerMetricsLines(result, connection.properties['client.id'] ?? 'perf-consumer-client').join('\n'))
    return result
  }
}
