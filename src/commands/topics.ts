import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import type { TopicsResult } from '../topics/service.js'
import { ExitCode, KafkitError, UsageError } from '../errors.js'
import { renderDescribe } from '../topics/describe.js'
import { resolveTopicsRequest, selectedAction, topicFrom } from '../topics/options.js'
import { askTopicName, canPrompt, confirmTopicDeletion } from '../topics/prompts.js'
import { renderOperationResults } from '../topics/views.js'

export default class Topics extends KafkitCommand<typeof Topics> {
  static override summary = 'List, describe, create, delete or add partitions to topics, like kafka-topics.sh.'
  static override description = `Takes kafka-topics.sh's flags, so a Kafka command line works with the script name replaced by "kafkit topics".
--topic is a regular expression for --list, --describe, --alter and --delete (as in the script); the topic may also be the first argument.
Without an action, "kafkit topics" lists and "kafkit topics NAME" describes.
--delete of several topics asks for confirmation on a terminal, and needs --yes otherwise.
Several topics at once (a regex) get one result row each; the exit code is 1 if any of them failed.`

  static override aliases = ['kafka-topics', 'kafka-topics.sh']
  static override deprecateAliases = false

  static override examples = [
    { description: 'List topics (one per line, like the script)', command: '<%= config.bin %> topics --list' },
    {
      description: 'Create a topic with 3 partitions and a config override',
      command: '<%= config.bin %> topics --create --topic orders --partitions 3 --config retention.ms=86400000',
    },
    {
      description: "Describe it (the script's tab-separated lines), or as JSON",
      command: '<%= config.bin %> topics orders',
    },
    {
      description: 'Describe every topic matching a regex, as JSON',
      command: '<%= config.bin %> topics --describe --topic "ord.*" --json',
    },
    {
      description: 'Grow it to 6 partitions',
      command: '<%= config.bin %> topics --alter --topic orders --partitions 6',
    },
    {
      description: 'Place replicas by hand (partition 0 on broker 1, partition 1 on broker 1)',
      command: '<%= config.bin %> topics --create --topic placed --replica-assignment 1,1',
    },
    {
      description: 'Delete every topic starting with tmp- without asking',
      command: '<%= config.bin %> topics --delete --topic "tmp-.*" --yes',
    },
    {
      description: "The script's own spelling works too",
      command:
        '<%= config.bin %> kafka-topics.sh --bootstrap-server localhost:9092 --describe --under-replicated-partitions',
    },
  ]

  static override args = {
    topic: Args.string({ description: 'Topic (a regular expression except with --create); same as --topic.' }),
  }

  static override flags = {
    ...connectionFlags,
    list: Flags.boolean({ description: 'List topic names.' }),
    describe: Flags.boolean({ description: 'Describe topics: partitions, leaders, replicas, ISR, configs.' }),
    create: Flags.boolean({ description: 'Create a topic.' }),
    delete: Flags.boolean({ description: 'Delete topics.' }),
    alter: Flags.boolean({ description: 'Add partitions (--partitions N, optionally --replica-assignment).' }),
    topic: Flags.string({ char: 't', description: 'The topic; a regular expression except with --create.' }),
    partitions: Flags.integer({
      description: "Partition count for --create (default: the broker's num.partitions) or --alter.",
    }),
    'replication-factor': Flags.integer({
      description: "Replication factor for --create (default: the broker's default.replication.factor).",
    }),
    'replica-assignment': Flags.string({
      description: 'Broker ids per partition: "1:2,2:3" = partition 0 on brokers 1 and 2, partition 1 on 2 and 3.',
    }),
    config: Flags.string({
      description: 'Topic config override key=value for --create, repeatable.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'if-exists': Flags.boolean({
      description: 'With --alter, --delete or --describe: do nothing if no topic matches.',
    }),
    'if-not-exists': Flags.boolean({ description: 'With --create: succeed if the topic already exists.' }),
    'exclude-internal': Flags.boolean({
      description: 'Leave out internal topics (__consumer_offsets ...) from --list and --describe.',
    }),
    'under-replicated-partitions': Flags.boolean({
      description: 'With --describe: only partitions with fewer in-sync replicas than replicas.',
    }),
    'unavailable-partitions': Flags.boolean({
      description: 'With --describe: only partitions whose leader is not available.',
    }),
    'under-min-isr-partitions': Flags.boolean({
      description: 'With --describe: only partitions with fewer in-sync replicas than min.insync.replicas.',
    }),
    'at-min-isr-partitions': Flags.boolean({
      description: 'With --describe: only partitions with exactly min.insync.replicas in-sync replicas.',
    }),
    'topics-with-overrides': Flags.boolean({
      description: 'With --describe: only topics that have config overrides (no partition lines).',
    }),
    'partition-size-limit-per-response': Flags.integer({
      description:
        'With --describe: the most partitions per DescribeTopicPartitions response (default 2000); kafkit pages through the rest.',
    }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask before deleting several topics.' }),
  }

  async run(): Promise<TopicsResult> {
    let topic = topicFrom(this.flags.topic, this.args.topic)
    if (selectedAction(this.flags, topic) === 'create' && topic === undefined) {
      if (!canPrompt()) {
        throw new UsageError('--create needs a topic: --topic NAME or the topic as the first argument.', {
          code: 'MISSING_TOPIC',
        })
      }
      topic = await askTopicName()
    }
    const request = resolveTopicsRequest(this.flags, topic)
    const settings = connectionFromFlags(this.flags)
    const { runTopics } = await import('../topics/service.js')
    const result = await runTopics(settings, request, {
      reporter: this.reporter,
      // Asked only for a deletion: reading process.stdin builds its stream, a few ms other actions need not pay.
      confirmDelete: request.action === 'delete' && canPrompt() ? confirmTopicDeletion : undefined,
    })
    return this.render(result)
  }

  private render(result: TopicsResult): TopicsResult {
    if (result.action === 'list') {
      if (result.topics.length > 0) this.log(result.topics.join('\n'))
      return result
    }
    if (result.action === 'describe') {
      const lines = renderDescribe(result)
      if (lines.length > 0) this.log(lines.join('\n'))
      return result
    }
    const failed = result.results.filter((r) => r.status === 'failed')
    if (result.results.length === 1 && failed.length === 1) {
      throw new KafkitError(failed[0]!.error ?? `Cannot ${result.action} topic ${failed[0]!.topic}.`, {
        code: `${result.action.toUpperCase()}_FAILED`,
      })
    }
    if (result.action === 'create' && result.results[0]?.status === 'exists')
      this.reporter.info(`Topic ${result.results[0].topic} already exists.`)
    if (failed.length > 0) {
      // Several topics: every row is shown (stdout, or the JSON result), then exit 1 for the failures.
      if (!this.jsonEnabled()) this.log(renderOperationResults(result.results).join('\n'))
      process.stderr.write(
        `Error: ${failed.length} of ${result.results.length} topics could not be ${result.action === 'delete' ? 'deleted' : 'altered'}.\n`,
      )
      return this.finish(result, ExitCode.failure)
    }
    const lines = renderOperationResults(result.results)
    if (lines.length > 0) this.log(lines.join('\n'))
    return result
  }
}
