import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import type { OffsetsResult } from '../offsets/service.js'
import { UsageError } from '../errors.js'
import { topicFrom } from '../topics/options.js'
import {
  parsePartitionIds,
  parseListOffsetsTime,
  parseTopicPartitions,
  selectorFromTopicAndPartitions,
} from '../offsets/options.js'

export default class GetOffsets extends KafkitCommand<typeof GetOffsets> {
  static override summary =
    'Print partition offsets (latest, earliest, max-timestamp or at a time), like kafka-get-offsets.sh.'
  static override description = `One line per partition, topic:partition:offset, in the script's order. Partitions without an offset for the
requested time (no record at or after the timestamp) are left out, as the script does.
--topic is a regular expression; without --topic and --topic-partitions every topic is queried.
--topic-partitions takes the script's rules: "orders:0-3,payments:1" = orders partitions 0, 1 and 2 (the range end is excluded) and payments partition 1.`

  static override aliases = ['kafka-get-offsets', 'kafka-get-offsets.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'End offsets of every partition of a topic',
      command: '<%= config.bin %> get-offsets --topic orders',
    },
    { description: 'Start offsets', command: '<%= config.bin %> get-offsets orders --time earliest' },
    {
      description: 'First offset at or after a time (milliseconds or ISO-8601)',
      command: '<%= config.bin %> get-offsets --topic orders --time 2024-05-01T00:00:00Z',
    },
    {
      description: 'Offset of the record with the largest timestamp',
      command: '<%= config.bin %> get-offsets --topic orders --time -3',
    },
    {
      description: 'Partitions 0 and 1 of orders, partition 1 of payments, as JSON',
      command: '<%= config.bin %> get-offsets --topic-partitions "orders:0-2,payments:1" --json',
    },
    {
      description: "The script's spelling",
      command: '<%= config.bin %> kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic orders --time -1',
    },
  ]

  static override args = {
    topic: Args.string({ description: 'Topic regular expression; same as --topic.' }),
  }

  static override flags = {
    ...connectionFlags,
    topic: Flags.string({ char: 't', description: 'Topic (regular expression). Default: every topic.' }),
    'topic-partitions': Flags.string({
      description: 'Rules TOPIC[:N | N-M | N- | -M], comma separated (M excluded). Not with --topic/--partitions.',
    }),
    partitions: Flags.string({ description: 'Comma separated partition ids (default: all).' }),
    time: Flags.string({
      description:
        '-1/latest (default), -2/earliest, -3/max-timestamp, -4/earliest-local, -5/latest-tiered, a timestamp in ms, or an ISO-8601 time.',
      default: 'latest',
    }),
    'exclude-internal-topics': Flags.boolean({ description: 'Leave out internal topics (__consumer_offsets ...).' }),
  }

  async run(): Promise<OffsetsResult> {
    const topic = topicFrom(this.flags.topic, this.args.topic)
    if (this.flags['topic-partitions'] !== undefined && (topic !== undefined || this.flags.partitions !== undefined)) {
      throw new UsageError('--topic-partitions cannot be used with --topic or --partitions.', {
        code: 'CONFLICTING_FLAGS',
      })
    }
    const selector =
      this.flags['topic-partitions'] !== undefined
        ? parseTopicPartitions(this.flags['topic-partitions'])
        : selectorFromTopicAndPartitions(topic, parsePartitionIds(this.flags.partitions))
    const time = parseListOffsetsTime(this.flags.time)
    const settings = connectionFromFlags(this.flags)
    const { getOffsets } = await import('../offsets/service.js')
    const result = await getOffsets(
      settings,
      { selector, time, excludeInternal: this.flags['exclude-internal-topics'] },
      this.reporter,
    )
    if (result.offsets.length > 0)
      this.log(result.offsets.map((o) => `${o.topic}:${o.partition}:${o.offset}`).join('\n'))
    return result
  }
}
