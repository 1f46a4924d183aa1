import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { stackFlag } from '../flags.js'
import type { DumpLogResult } from '../dump-log/service.js'

export default class DumpLog extends KafkitCommand<typeof DumpLog> {
  static override summary = 'Print the contents of log segments, indexes and snapshots, like kafka-dump-log.sh.'
  static override description = `Reads Kafka's data files directly (no broker needed; a running broker's files are fine: nothing is written)
and prints them as Kafka 4.4's DumpLogSegments does: record batches, records (--deep-iteration), their keys and
values (--print-data-log), offset and time indexes, producer snapshots, transaction indexes and KRaft snapshots.
--offsets-decoder, --transaction-log-decoder and --cluster-metadata-decoder print the records of
__consumer_offsets, __transaction_state and __cluster_metadata as JSON, as Kafka does.
Instead of --files, --topic (and --partition) dump the segments of a local stack's partition.`

  static override aliases = ['kafka-dump-log', 'kafka-dump-log.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Batches and records of a segment, with keys and values',
      command:
        '<%= config.bin %> dump-log --files /tmp/kraft-combined-logs/orders-0/00000000000000000000.log --print-data-log',
    },
    {
      description: "Every segment of a local stack's partition",
      command: '<%= config.bin %> dump-log --topic orders --partition 0 --print-data-log',
    },
    {
      description: 'Committed offsets and group metadata',
      command: '<%= config.bin %> dump-log --topic __consumer_offsets --offsets-decoder',
    },
    {
      description: 'KRaft metadata records',
      command: '<%= config.bin %> dump-log --topic __cluster_metadata --cluster-metadata-decoder',
    },
    {
      description: "The script's spelling",
      command: '<%= config.bin %> kafka-dump-log.sh --files 00000000000000000000.index,00000000000000000000.timeindex',
    },
  ]

  static override flags = {
    files: Flags.string({ description: 'Comma separated data, index and snapshot files to dump.' }),
    'print-data-log': Flags.boolean({ description: "Print the records' keys and values (implies --deep-iteration)." }),
    'deep-iteration': Flags.boolean({ description: 'Print every record, not only the batches.' }),
    'verify-index-only': Flags.boolean({ description: 'Check the index against the log without printing it.' }),
    'index-sanity-check': Flags.boolean({
      description: "Only run the broker's startup check of the index (does it need rebuilding?).",
    }),
    'max-message-size': Flags.integer({
      description: 'Size of the largest message (index checks).',
      default: 5 * 1024 * 1024,
    }),
    'max-bytes': Flags.integer({
      description: 'Read at most this many bytes of each .log file.',
      default: 2_147_483_647,
    }),
    'value-decoder-class': Flags.string({
      description: 'Value decoder: only org.apache.kafka.tools.api.StringDecoder (the default) is built in.',
    }),
    'key-decoder-class': Flags.string({
      description: 'Key decoder: only org.apache.kafka.tools.api.StringDecoder (the default) is built in.',
    }),
    'offsets-decoder': Flags.boolean({ description: 'Print __consumer_offsets records as JSON.' }),
    'transaction-log-decoder': Flags.boolean({ description: 'Print __transaction_state records as JSON.' }),
    'cluster-metadata-decoder': Flags.boolean({ description: 'Print __cluster_metadata records as JSON.' }),
    'remote-log-metadata-decoder': Flags.boolean({ description: 'Not supported by kafkit.', hidden: true }),
    'share-group-state-decoder': Flags.boolean({ description: 'Not supported by kafkit.', hidden: true }),
    'skip-record-metadata': Flags.boolean({
      description: "Print only the records' keys and values, no control records.",
    }),
    stack: stackFlag,
    topic: Flags.string({
      char: 't',
      description: 'Dump the segments of this topic in the local stack (instead of --files).',
    }),
    partition: Flags.integer({ char: 'p', description: 'Only this partition of --topic (default: all).' }),
  }

  async run(): Promise<DumpLogResult> {
    const flags = this.flags
    const { decoderFrom, filesFrom, positiveInt, printDataLogFrom } = await import('../dump-log/options.js')
    const given = filesFrom(flags.files, flags.topic)
    const decoder = decoderFrom(flags, flags.topic)
    const printDataLog = printDataLogFrom(flags)
    const { dumpLog, stackSegmentFiles } = await import('../dump-log/service.js')
    const files = given ?? stackSegmentFiles(flags.stack, flags.topic ?? '', flags.partition)
    const json = this.jsonEnabled()
    return dumpLog(
      {
        files,
        printDataLog,
        deepIteration: printDataLog || flags['deep-iteration'],
        verifyIndexOnly: flags['verify-index-only'],
        indexSanityCheck: flags['index-sanity-check'],
        maxBytes: positiveInt(flags['max-bytes'], 'max-bytes'),
        maxMessageSize: positiveInt(flags['max-message-size'], 'max-message-size'),
        decoder,
        skipRecordMetadata: flags['skip-record-metadata'],
      },
      {
        out: (line) => {
          if (!json) process.stdout.write(`${line}\n`)
        },
        err: (line) => {
          if (!json) process.stderr.write(`${line}\n`)
        },
        partial: (text) => {
          if (!json) process.stdout.write(text)
        },
      },
      json,
    )
  }
}
