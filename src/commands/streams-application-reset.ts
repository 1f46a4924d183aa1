import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { UsageError } from '../errors.js'
import { connectionFlags } from '../flags.js'
import type { StreamsResetResult } from '../streams-reset/service.js'

const list = (description: string) =>
  Flags.string({ description, multiple: true, multipleNonGreedy: true, helpGroup: 'TOPICS' })

export default class StreamsApplicationReset extends KafkitCommand<typeof StreamsApplicationReset> {
  static override aliases = ['kafka-streams-application-reset', 'kafka-streams-application-reset.sh']
  static override deprecateAliases = false
  static override summary =
    "Reset a Kafka Streams application's offsets and delete its internal topics, like kafka-streams-application-reset.sh."
  static override description = `Takes the script's flags (Kafka 4.4's StreamsResetter) and prints what it prints. Input topics go back to their
earliest offsets (or --to-offset, --to-latest, --shift-by, --to-datetime, --by-duration, --from-file), intermediate
topics to their end, and the application's internal topics (<application-id>-...-changelog, -repartition, foreign-key
join topics) are deleted. Refused while the application's group has members (--force removes those of a stopped
classic application). Run with --dry-run first: the changes cannot be undone. Local state stores are not touched: call
KafkaStreams#cleanUp() or delete the state.dir before restarting the application.`
  static override examples = [
    '<%= config.bin %> streams-application-reset --application-id word-count --input-topics lines --dry-run',
    '<%= config.bin %> streams-application-reset --application-id word-count --input-topics lines',
    '<%= config.bin %> streams-application-reset --application-id word-count --input-topics lines --to-offset 100 --force',
    '<%= config.bin %> kafka-streams-application-reset.sh --bootstrap-server localhost:9092 --application-id word-count --input-topics lines',
  ]

  static override flags = {
    ...connectionFlags,
    'config-file': Flags.string({
      description: '(Deprecated in the script) Same as --command-config.',
      helpGroup: 'CONNECTION',
    }),
    'application-id': Flags.string({
      description: 'REQUIRED: The Kafka Streams application ID (application.id), which is its group id.',
    }),
    'input-topics': list('Input topics (comma separated): reset to earliest, or by the reset option given.'),
    'intermediate-topics': list(
      '(Deprecated in the script) Intermediate topics (comma separated): moved to their end.',
    ),
    'internal-topics': list('Internal topics to delete: a subset of those a dry run lists (default: all of them).'),
    'to-offset': Flags.string({ description: 'Reset input topics to this offset.', helpGroup: 'RESET' }),
    'to-earliest': Flags.boolean({
      description: 'Reset input topics to their earliest offsets (the default).',
      helpGroup: 'RESET',
    }),
    'to-latest': Flags.boolean({ description: 'Reset input topics to their latest offsets.', helpGroup: 'RESET' }),
    'shift-by': Flags.string({ description: 'Shift the committed offsets by n (negative: back).', helpGroup: 'RESET' }),
    'to-datetime': Flags.string({
      description: 'Reset to the offsets at a time: YYYY-MM-DDTHH:mm:SS.sss.',
      helpGroup: 'RESET',
    }),
    'by-duration': Flags.string({ description: 'Reset to the offsets this long ago: PnDTnHnMnS.', helpGroup: 'RESET' }),
    'from-file': Flags.string({
      description: 'Reset to the offsets of a CSV file: TOPIC,PARTITION,OFFSET lines.',
      helpGroup: 'RESET',
    }),
    'dry-run': Flags.boolean({ description: 'Show what would be done, change nothing.' }),
    force: Flags.boolean({
      description: "Remove the group's members first (stopped instances whose session has not timed out yet).",
    }),
  }

  async run(): Promise<StreamsResetResult> {
    const f = this.flags
    const [{ checkStreamsResetFlags }, { parseDateTime, parseIsoDuration }] = await Promise.all([
      import('../streams-reset/options.js'),
      import('../groups/time.js'),
    ])
    const applicationId = f['application-id']
    // Checked here, not by oclif, for the tool's words (and a message oclif's required-flag error lacks).
    if (applicationId === undefined)
      throw new UsageError('Missing required option(s) [application-id]', { code: 'MISSING_FLAG' })
    const options = checkStreamsResetFlags(
      { ...f, 'application-id': applicationId },
      {
        readFile: (path) => readFileSync(path, 'utf8'),
        now: () => Date.now(),
        parseDateTime,
        parseIsoDuration,
        warn: (message) => this.reporter.warn(message),
      },
    )
    if (f['config-file'] && f['command-config'])
      throw new UsageError('Give --command-config or --config-file (its old name), not both.', {
        code: 'CONFLICTING_FLAGS',
      })
    if (f['config-file'])
      this.log(
        'Option --config-file has been deprecated and will be removed in a future version. Use --command-config instead.',
      )
    const connection = connectionFromFlags({ ...f, 'command-config': f['config-file'] ?? f['command-config'] })
    const [{ resetStreamsApplication }, { renderStreamsReset }] = await Promise.all([
      import('../streams-reset/service.js'),
      import('../streams-reset/views.js'),
    ])
    const result = await resetStreamsApplication(
      { connection, reporter: this.reporter, debug: this.debugEnabled },
      options,
    )
    if (!this.jsonEnabled()) process.stdout.write(renderStreamsReset(result))
    return this.finish(result, result.exitCode)
  }
}
