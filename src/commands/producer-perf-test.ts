import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { UsageError } from '../errors.js'
import type { ProducerPerfResult } from '../perf/producer.js'
import { producerPerfOptions } from '../perf/options.js'
import { readPropertiesFile } from '../util/properties.js'

const number = Flags.custom<number>({
  parse: async (input, _context, opts) => {
    const value = Number(input)
    if (input.trim() === '' || !Number.isFinite(value))
      throw new UsageError(`argument --${opts.name}: could not convert '${input}' to a number`, {
        code: 'BAD_PERF_FLAGS',
      })
    return value
  },
})

export default class ProducerPerfTest extends KafkitCommand<typeof ProducerPerfTest> {
  static override summary = 'Measure producer throughput and latency, like kafka-producer-perf-test.sh.'
  static override description = `Sends --num-records records of --record-size bytes (or payloads from --payload-file) to a topic and prints the
script's lines: progress every --reporting-interval (5 s) and the summary with the 50th, 95th, 99th and 99.9th latency
percentiles, in the same format, so figures compare with the Java tool. A record's latency is from its send to its
acknowledgement. --latency-table adds kafkit's percentile table; --json gives every figure as one document.
Producer properties: --command-property k=v ... (3.9: --producer-props), --command-config FILE (3.9: --producer.config);
acks, compression.type, batch.size, linger.ms, buffer.memory, enable.idempotence, transactional.id, client.id are used.`

  static override aliases = ['kafka-producer-perf-test', 'kafka-producer-perf-test.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'A million 100-byte records, as fast as possible',
      command:
        '<%= config.bin %> producer-perf-test --topic perf --num-records 1000000 --record-size 100 --throughput -1',
    },
    {
      description: "The script's 3.9 command line",
      command:
        '<%= config.bin %> kafka-producer-perf-test.sh --topic perf --num-records 100000 --record-size 1000 --throughput 10000 --producer-props bootstrap.servers=localhost:9092 acks=1',
    },
    {
      description: 'Latency percentiles as a table, keys spread over 100 values',
      command:
        '<%= config.bin %> producer-perf-test --topic perf --num-records 200000 --record-size 200 --throughput 50000 --key-distribution random --record-key-range 100 --latency-table',
    },
  ]

  static override flags = {
    ...connectionFlags,
    'command-config': Flags.string({
      description: 'Producer properties file (security, acks, batch.size ...).',
      helpGroup: 'CONNECTION',
    }),
    'producer.config': Flags.string({ description: '3.9 spelling of --command-config (deprecated in 4.4).' }),
    'command-property': Flags.string({
      description: 'Producer properties PROP=VALUE ... (several after one flag), over --command-config.',
      helpGroup: 'CONNECTION',
      multiple: true,
    }),
    'producer-props': Flags.string({
      description: '3.9 spelling of --command-property (deprecated in 4.4); bootstrap.servers here is used too.',
      multiple: true,
    }),
    topic: Flags.string({ description: 'Produce records to this topic (created by the broker if missing).' }),
    'num-records': Flags.integer({ description: 'Number of records to produce.' }),
    'record-size': Flags.integer({
      description: 'Record size in bytes (one of --record-size, --payload-file, --payload-monotonic).',
    }),
    'payload-file': Flags.string({
      description: 'UTF-8 file of payloads split by --payload-delimiter; each record takes one at random.',
    }),
    'payload-delimiter': Flags.string({
      description: 'Delimiter of --payload-file (a regular expression; default \\n).',
    }),
    'payload-monotonic': Flags.boolean({ description: 'Payloads are 0, 1, 2 ... as text.' }),
    throughput: number({
      description: "Throttle to about this many records/sec (the Java tool's ThroughputThrottler); -1: no limit.",
    }),
    'print-metrics': Flags.boolean({
      description: "Print kafkit's producer figures in the Java tool's metrics layout.",
    }),
    'transactional-id': Flags.string({ description: 'Produce in transactions with this transactional.id.' }),
    'transaction-duration-ms': Flags.integer({
      description: 'Commit a transaction after this long (default 3000 when transactions are on).',
    }),
    'warmup-records': Flags.integer({
      description: 'Records left out of a second, "steady state" summary line.',
    }),
    'reporting-interval': Flags.integer({ description: 'Milliseconds between progress lines (default 5000).' }),
    'key-distribution': Flags.string({
      description: 'none (null keys, default), range (i mod KEY-RANGE) or random (in [0, KEY-RANGE)).',
    }),
    'record-key-range': Flags.integer({ description: 'Keys are integers in [0, KEY-RANGE) (range and random).' }),
    'random-seed': Flags.integer({
      description: 'Seed of the payload and key generator (default 0: repeatable runs).',
    }),
    'latency-table': Flags.boolean({ description: 'After the summary, print the latency percentiles as a table.' }),
  }

  async run(): Promise<ProducerPerfResult> {
    const f = this.flags
    const options = producerPerfOptions(f, (path) => readPropertiesFile(path, '--command-config'))
    for (const warning of options.warnings) this.reporter.warn(warning)
    // The Java tool takes the servers from --bootstrap-server, else from bootstrap.servers in its properties.
    const connection = connectionFromFlags({
      ...f,
      'bootstrap-server': f['bootstrap-server'] ?? options.properties['bootstrap.servers'],
      'command-config': options.configFile,
      'command-property': Object.entries(options.properties).map(([k, v]) => `${k}=${v}`),
    })
    const json = this.jsonEnabled()
    const { runProducerPerf, metricsLines } = await import('../perf/producer.js')
    const { latencyTable } = await import('../perf/views.js')
    const result = await runProducerPerf(options, {
      connection,
      reporter: this.reporter,
      debug: this.debugEnabled,
      print: (line) => {
        if (!json) process.stdout.write(`${line}\n`)
      },
    })
    if (!json && f['print-metrics'])
      this.log(metricsLines(result, options.properties['client.id'] ?? 'perf-producer-client').join('\n'))
    if (!json && f['latency-table']) {
      this.log(['', ...latencyTable(result.total)].join('\n'))
      if (result.steadyState) this.log(['', ...latencyTable(result.steadyState, 'steady state latency')].join('\n'))
    }
    return result
  }
}
