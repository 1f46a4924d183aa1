import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import { STREAMS_ACTIONS, checkStreamsFlags } from '../streams-groups/options.js'
import type { StreamsDescribeResult, StreamsGroupsContext, StreamsListResult } from '../streams-groups/service.js'

/** Flags that take an optional value in Kafka's tool (`--describe --state` vs `--list --state stable,empty`). */
const OPTIONAL_VALUE_FLAGS = ['--state']

export default class StreamsGroups extends KafkitCommand<typeof StreamsGroups> {
  static override aliases = ['kafka-streams-groups', 'kafka-streams-groups.sh']
  static override deprecateAliases = false
  static override summary =
    'List and describe Kafka Streams groups (KIP-1071, Kafka 4.x), like kafka-streams-groups.sh --list / --describe.'
  static override description = `Takes kafka-streams-groups.sh's flags (Kafka 4.4) and prints what it prints; the bootstrap server defaults to the running local stack.
--describe shows the offset lag of each input and repartition partition of the active tasks (default), --members (tasks per member), or --state; --verbose adds epochs, offsets and target assignments.
A group that does not exist, or is not a streams group, is an error (exit 1).`
  static override examples = [
    '<%= config.bin %> streams-groups --list --state',
    '<%= config.bin %> streams-groups --describe --group word-count',
    '<%= config.bin %> streams-groups --describe --group word-count --members --verbose',
    '<%= config.bin %> kafka-streams-groups.sh --bootstrap-server localhost:9092 --describe --all-groups --state',
  ]

  static override flags = {
    ...connectionFlags,
    list: Flags.boolean({
      description: 'List all streams groups (with --state: their states, or only those in the given states).',
      helpGroup: 'ACTION',
    }),
    describe: Flags.boolean({
      description: 'Describe groups: offset lag (default), --members or --state.',
      helpGroup: 'ACTION',
    }),
    group: Flags.string({
      char: 'g',
      description: 'Streams group (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'all-groups': Flags.boolean({ description: 'Apply to all streams groups.' }),
    offsets: Flags.boolean({
      description: 'Describe the offset lag per partition (the default).',
      helpGroup: 'DESCRIBE',
    }),
    members: Flags.boolean({ description: 'Describe the members and their tasks.', helpGroup: 'DESCRIBE' }),
    state: Flags.string({
      description:
        "With --describe: the group's state. With --list: show states, or list only groups in these states (empty,notready,stable,assigning,reconciling,dead).",
      helpGroup: 'DESCRIBE',
    }),
    verbose: Flags.boolean({
      description: 'More columns: offsets and leader epochs, member and target-assignment epochs, target tasks.',
      helpGroup: 'DESCRIBE',
    }),
    timeout: optionalDurationFlag("Request timeout, as the script's --timeout", { min: 1 }),
  }

  public override async init(): Promise<void> {
    // oclif has no optional-value flags: give a bare `--state` an empty value so `--describe --state` parses as the script's.
    this.argv = this.argv.flatMap((arg, i, all) =>
      OPTIONAL_VALUE_FLAGS.includes(arg) && (i === all.length - 1 || all[i + 1]!.startsWith('-')) ? [`${arg}=`] : [arg],
    )
    await super.init()
  }

  async run(): Promise<StreamsListResult | StreamsDescribeResult> {
    const f = this.flags
    const action = checkStreamsFlags(
      STREAMS_ACTIONS.filter((a) => f[a]),
      f,
    )
    const ctx: StreamsGroupsContext = {
      connection: connectionFromFlags(f),
      reporter: this.reporter,
      debug: this.debugEnabled,
      ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
    }
    const [service, views] = await Promise.all([
      import('../streams-groups/service.js'),
      import('../streams-groups/views.js'),
    ])
    if (action === 'list') {
      const result = await service.listStreamsGroups(ctx, f.state !== undefined ? { state: f.state } : {})
      if (!this.jsonEnabled()) process.stdout.write(views.renderStreamsList(result))
      return result
    }
    const result = await service.describeStreamsGroups(ctx, {
      groups: f.group ?? [],
      allGroups: f['all-groups'],
      view: f.members ? 'members' : f.state !== undefined ? 'state' : 'offsets',
      verbose: f.verbose,
    })
    if (!this.jsonEnabled()) process.stdout.write(views.renderStreamsDescribe(result))
    return result
  }
}
