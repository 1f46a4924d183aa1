import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode, UsageError } from '../errors.js'
import { connectionFlags } from '../flags.js'
import type { ElectionResult } from '../partitions/election.js'
import { checkElectionFlags, parseElectionJson, parseElectionType, readInputFile } from '../partitions/options.js'

export default class LeaderElection extends KafkitCommand<typeof LeaderElection> {
  static override summary = 'Elect partition leaders (preferred or unclean), like kafka-leader-election.sh.'
  static override description = `Preferred: move the leadership of partitions back to their first replica (after a broker restart, leaders pile up on the brokers that stayed).
Unclean: elect a leader out of sync for partitions that have none (records may be lost).
Exactly one of --topic with --partition, --all-topic-partitions, or --path-to-json-file ({"partitions":[{"topic":"t","partition":0}]}). Prints what the script prints.`

  static override aliases = ['kafka-leader-election', 'kafka-leader-election.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'Give every partition its preferred leader back',
      command: '<%= config.bin %> leader-election --election-type preferred --all-topic-partitions',
    },
    {
      description: 'One partition',
      command: '<%= config.bin %> leader-election --election-type preferred --topic orders --partition 0',
    },
    {
      description: "The script's command line",
      command:
        '<%= config.bin %> kafka-leader-election.sh --bootstrap-server localhost:9092 --election-type PREFERRED --path-to-json-file partitions.json',
    },
  ]

  static override flags = {
    ...connectionFlags,
    'election-type': Flags.string({
      description:
        'Required: preferred (the first replica becomes leader) or unclean (an out-of-sync replica may become leader).',
    }),
    'all-topic-partitions': Flags.boolean({ description: 'Every partition that is eligible for the election.' }),
    topic: Flags.string({ char: 't', description: 'The topic of the partition (with --partition).' }),
    partition: Flags.integer({ char: 'p', description: 'The partition id (with --topic).', min: 0 }),
    'path-to-json-file': Flags.string({
      description: 'JSON file of partitions: {"partitions":[{"topic":"t","partition":0}]}.',
    }),
  }

  async run(): Promise<ElectionResult> {
    const f = this.flags
    // Checked here rather than by oclif, whose message for a missing flag is several lines.
    if (f['election-type'] === undefined)
      throw new UsageError('Missing required option(s): --election-type', { code: 'MISSING_FLAG' })
    const type = parseElectionType(f['election-type'])
    checkElectionFlags({
      topic: f.topic,
      partition: f.partition,
      allTopicPartitions: f['all-topic-partitions'],
      pathToJsonFile: f['path-to-json-file'],
    })
    const partitions = f['path-to-json-file']
      ? parseElectionJson(readInputFile(f['path-to-json-file'], '--path-to-json-file'))
      : f.topic !== undefined
        ? [{ topic: f.topic, partition: f.partition! }]
        : null
    const settings = connectionFromFlags(f)
    const [{ runLeaderElection }, { electionText }] = await Promise.all([
      import('../partitions/election.js'),
      import('../partitions/views.js'),
    ])
    const result = await runLeaderElection(settings, { type, partitions }, this.reporter)
    if (!this.jsonEnabled()) {
      const text = electionText(type, result.partitions)
      if (text) this.log(text)
      if (result.failed.length > 0) this.logToStderr(`${result.failed.length} replica(s) could not be elected`)
    }
    return this.finish(result, result.failed.length > 0 ? ExitCode.failure : ExitCode.ok)
  }
}
