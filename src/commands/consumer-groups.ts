import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { ExitCode, UsageError } from '../errors.js'
import { durationFlag, optionalDurationFlag } from '../flags.js'
import { kafkitCommand } from '../output/commands.js'
import { targetOf } from '../connection/source.js'
import { colorsFor } from '../output/reporter.js'
import type {
  DeleteOffsetsResult,
  DeleteResult,
  DescribeResult,
  GroupsContext,
  ListResult,
  ResetResult,
  UndoResult,
} from '../groups/service.js'

type Result = ListResult | DescribeResult | ResetResult | UndoResult | DeleteResult | DeleteOffsetsResult | undefined

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets', 'undo-reset'] as const
/** The method of ConsumerGroups that carries out each action. */
const HANDLERS = {
  list: 'list',
  describe: 'describe',
  delete: 'delete',
  'reset-offsets': 'resetOffsets',
  'delete-offsets': 'deleteOffsets',
  'undo-reset': 'undoReset',
} as const satisfies Record<(typeof ACTIONS)[number], string>
/** Flags that take an optional value in Kafka's tool (`--describe --state` vs `--list --state stable,empty`). */
const OPTIONAL_VALUE_FLAGS = ['--state', '--type']

export default class ConsumerGroups extends KafkitCommand<typeof ConsumerGroups> {
  static override aliases = ['kafka-consumer-groups', 'kafka-consumer-groups.sh']
  static override deprecateAliases = false
  static override summary =
    'List, describe, reset and delete consumer groups, like kafka-consumer-groups.sh, with lag totals, undo and live lag.'
  static override description = `Takes kafka-consumer-groups.sh's flags (3.9 to 4.2 spellings); the bootstrap server defaults to the running local stack.
Exactly one action: --list, --describe, --reset-offsets, --delete, --delete-offsets, or kafkit's --undo-reset.
--describe shows committed offset, log end offset and lag per partition ("-" where nothing is committed; lag is never negative) and the total lag.
--reset-offsets is a dry run unless --execute; --execute first saves the offsets it replaces (path printed) so --undo-reset can restore them.
On a terminal, a missing --group is picked from a list and --execute asks for confirmation (skip with --yes).
Classic and Kafka 4 (KIP-848) consumer groups alike: --list --type shows or filters their type, --members --verbose and --state --verbose show a consumer group's epochs.
"kafkit groups" is kafka-groups.sh (groups of every type), no longer an alias of this command.`
  static override examples = [
    '<%= config.bin %> consumer-groups --list --state',
    '<%= config.bin %> consumer-groups --list --type consumer',
    '<%= config.bin %> consumer-groups --describe --group orders-app',
    '<%= config.bin %> consumer-groups --describe --group orders-app --by-topic --verbose',
    '<%= config.bin %> consumer-groups --describe --group orders-app --members --verbose',
    '<%= config.bin %> consumer-groups --reset-offsets --group orders-app --topic orders --to-earliest',
    '<%= config.bin %> consumer-groups --reset-offsets --group orders-app --topic orders:0,2 --shift-by -10 --execute --yes',
    '<%= config.bin %> consumer-groups --reset-offsets --group orders-app --all-topics --to-datetime 2024-05-01T12:00:00.000 --export > plan.csv',
    '<%= config.bin %> consumer-groups --undo-reset --group orders-app --execute',
    '<%= config.bin %> consumer-groups --describe --group orders-app --watch --interval 2s',
    '<%= config.bin %> kafka-consumer-groups.sh --bootstrap-server localhost:9092 --delete --group old-app',
  ]

  static override flags = {
    ...connectionFlags,
    list: Flags.boolean({
      description: 'List all consumer groups (with --state: their states, or only those in the given states).',
      helpGroup: 'ACTION',
    }),
    describe: Flags.boolean({
      description: 'Describe groups: offsets and lag (default), --members or --state.',
      helpGroup: 'ACTION',
    }),
    delete: Flags.boolean({
      description: 'Delete groups (refused for groups with active members).',
      helpGroup: 'ACTION',
    }),
    'reset-offsets': Flags.boolean({
      description:
        'Reset offsets of inactive groups: one spec (--to-*, --shift-by, --by-duration, --from-file) and a scope.',
      helpGroup: 'ACTION',
    }),
    'delete-offsets': Flags.boolean({
      description: 'Delete the committed offsets of one group for --topic.',
      helpGroup: 'ACTION',
    }),
    'undo-reset': Flags.boolean({
      description: 'Restore the offsets saved by the last --reset-offsets --execute (dry run unless --execute).',
      helpGroup: 'ACTION',
    }),

    group: Flags.string({
      char: 'g',
      description: 'Consumer group (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'all-groups': Flags.boolean({ description: 'Apply to all consumer groups.' }),
    topic: Flags.string({
      char: 't',
      description: 'Topic, or topic:0,1,2 for some partitions (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'all-topics': Flags.boolean({ description: 'Reset every topic the group has committed offsets for.' }),

    offsets: Flags.boolean({
      description: 'Describe offsets and lag per partition (the default).',
      helpGroup: 'DESCRIBE',
    }),
    members: Flags.boolean({ description: 'Describe the members of the group.', helpGroup: 'DESCRIBE' }),
    state: Flags.string({
      description:
        "With --describe: the group's state. With --list: show states, or list only groups in these states (stable,empty...).",
      helpGroup: 'DESCRIBE',
    }),
    verbose: Flags.boolean({
      description:
        "More columns: log start offset (offsets), assignments (members; a consumer group's epochs and target assignment), epochs (state).",
      helpGroup: 'DESCRIBE',
    }),
    'by-topic': Flags.boolean({ description: 'Also total the lag per topic.', helpGroup: 'DESCRIBE' }),
    watch: Flags.boolean({
      description: 'With --describe: redraw the lag live (JSON lines when not on a terminal).',
      helpGroup: 'DESCRIBE',
    }),
    interval: durationFlag('Refresh interval for --watch', '2s', { min: 1, helpGroup: 'DESCRIBE' }),
    count: Flags.integer({
      description: 'With --watch: stop after this many refreshes.',
      min: 1,
      helpGroup: 'DESCRIBE',
    }),

    'to-earliest': Flags.boolean({ description: 'Reset to the log start offset.', helpGroup: 'RESET' }),
    'to-latest': Flags.boolean({ description: 'Reset to the log end offset.', helpGroup: 'RESET' }),
    'to-current': Flags.boolean({
      description: 'Reset to the committed offset (log end where none).',
      helpGroup: 'RESET',
    }),
    'to-offset': Flags.string({
      description: 'Reset to this offset (clamped to the log start/end).',
      helpGroup: 'RESET',
    }),
    'shift-by': Flags.string({
      description: 'Move the committed offset by n (negative goes back), clamped.',
      allowStdin: false,
      helpGroup: 'RESET',
    }),
    'to-datetime': Flags.string({
      description: 'Reset to the first offset at or after YYYY-MM-DDTHH:mm:SS.sss (UTC unless a zone is given).',
      helpGroup: 'RESET',
    }),
    'by-duration': Flags.string({
      description: 'Reset to the first offset at or after now minus PnDTnHnMnS.',
      helpGroup: 'RESET',
    }),
    'from-file': Flags.string({
      description: 'Reset to the offsets in a CSV (the --export format).',
      helpGroup: 'RESET',
    }),
    'dry-run': Flags.boolean({ description: 'Only show the plan (the default).', helpGroup: 'RESET' }),
    execute: Flags.boolean({ description: 'Apply the reset (or the undo).', helpGroup: 'RESET' }),
    export: Flags.boolean({
      description: "Print the plan as CSV in the script's format (for --from-file).",
      helpGroup: 'RESET',
    }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation on a terminal.', helpGroup: 'RESET' }),

    timeout: optionalDurationFlag(
      "Request timeout, as the script's --timeout; also how long the first connection may take (else 3s)",
      { min: 1 },
    ),
    type: Flags.string({
      description: 'With --list: show group types, or list only groups of these types (consumer,classic).',
      helpGroup: 'DESCRIBE',
    }),
  }

  public override async init(): Promise<void> {
    // oclif has no optional-value flags: give a bare `--state` an empty value so `--describe --state` parses as the script's.
    this.argv = this.argv.flatMap((arg, i, all) =>
      OPTIONAL_VALUE_FLAGS.includes(arg) && (i === all.length - 1 || all[i + 1]!.startsWith('-')) ? [`${arg}=`] : [arg],
    )
    await super.init()
  }

  async run(): Promise<Result> {
    const f = this.flags
    const actions = ACTIONS.filter((a) => f[a])
    if (actions.length !== 1) {
      throw new UsageError(
        `Command must include exactly one action: ${ACTIONS.map((a) => `--${a}`).join(', ')}${actions.length > 1 ? ` (got ${actions.map((a) => `--${a}`).join(' and ')})` : ''}.`,
        { code: 'ONE_ACTION' },
      )
    }
    if (f.type !== undefined && !f.list)
      throw new UsageError('--type works with --list (the types of --describe are in --json).', {
        code: 'CONFLICTING_FLAGS',
      })
    if (f.execute && f['dry-run'])
      throw new UsageError('--execute and --dry-run cannot be used together.', { code: 'CONFLICTING_FLAGS' })
    if (f.watch && !f.describe)
      throw new UsageError('--watch works with --describe (or use: kafkit lag).', { code: 'CONFLICTING_FLAGS' })
    const ctx: GroupsContext = {
      connection: connectionFromFlags(f),
      stack: f.stack,
      reporter: this.reporter,
      debug: this.debugEnabled,
      ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
    }
    return this[HANDLERS[actions[0]!]](ctx, this.flags.group ?? [], this.flags.topic ?? [])
  }

  private async list(ctx: GroupsContext): Promise<ListResult> {
    const [service, views] = await Promise.all([import('../groups/service.js'), import('../groups/views.js')])
    const result = await service.listGroups(ctx, {
      ...(this.flags.state !== undefined ? { state: this.flags.state } : {}),
      ...(this.flags.type !== undefined ? { type: this.flags.type } : {}),
    })
    const text = views.renderList(result)
    if (text) this.log(text)
    return result
  }

  private async describe(ctx: GroupsContext, groups: string[]): Promise<Result> {
    const f = this.flags
    if (f.watch) {
      const { runWatch } = await import('../groups/run-watch.js')
      return runWatch(ctx, {
        groups,
        allGroups: f['all-groups'],
        intervalMs: f.interval,
        count: f.count,
        json: this.jsonEnabled(),
      })
    }
    const subActions = [f.offsets, f.members, f.state !== undefined].filter(Boolean).length
    if (subActions > 1)
      throw new UsageError('Choose one of --offsets, --members and --state.', { code: 'CONFLICTING_FLAGS' })
    const [service, views, { terminalHooks }] = await Promise.all([
      import('../groups/service.js'),
      import('../groups/views.js'),
      import('../groups/prompt.js'),
    ])
    const view = f.members ? 'members' : f.state !== undefined ? 'state' : 'offsets'
    const result = await service.describeGroups(
      ctx,
      { groups, allGroups: f['all-groups'], view, verbose: f.verbose },
      terminalHooks(),
    )
    this.printNotices(service.describeNotices(result))
    const text = views.renderDescribe(result, { byTopic: f['by-topic'] })
    if (text) this.log(text)
    // Like a lookup of a missing file: asking for a group that does not exist is an error (exit 1), even among others.
    return this.finish(
      result,
      groups.length > 0 && result.groups.some((g) => !g.exists) ? ExitCode.failure : ExitCode.ok,
    )
  }

  private async resetOffsets(ctx: GroupsContext, groups: string[], topics: string[]): Promise<ResetResult> {
    const f = this.flags
    const [service, views, { terminalHooks }] = await Promise.all([
      import('../groups/service.js'),
      import('../groups/views.js'),
      import('../groups/prompt.js'),
    ])
    const result = await service.resetOffsets(
      ctx,
      {
        groups,
        allGroups: f['all-groups'],
        topics,
        allTopics: f['all-topics'],
        execute: f.execute,
        modeFlags: {
          'to-earliest': f['to-earliest'],
          'to-latest': f['to-latest'],
          'to-current': f['to-current'],
          'to-offset': f['to-offset'],
          'shift-by': f['shift-by'],
          'to-datetime': f['to-datetime'],
          'by-duration': f['by-duration'],
          'from-file': f['from-file'],
        },
      },
      terminalHooks({ yes: f.yes }),
    )
    // The script adds the group column unless exactly one --group was given (so --all-groups always has it). It counts
    // the flags as given, so `--group g --group g` has the column although the plan has one group; a picked group has none.
    const groupCount = f['all-groups'] ? 0 : groups.length > 0 ? groups.length : result.groups.length
    if (f.export) process.stdout.write(views.renderResetCsv(result, groupCount))
    else {
      const text = views.renderReset(result)
      this.log(
        text || `Nothing to reset: no partitions in scope for ${result.groups.map((g) => `'${g.group}'`).join(', ')}.`,
      )
    }
    for (const g of result.groups)
      if (g.backupFile) this.reporter.info(`Saved the previous offsets of '${g.group}' to ${g.backupFile}`)
    if (result.dryRun) this.reporter.info('Dry run: nothing changed. Add --execute to apply.')
    else if (result.groups.some((g) => g.backupFile))
      this.reporter.info(
        `Offsets reset. Undo with: ${kafkitCommand(`consumer-groups --undo-reset --group ${result.groups[0]!.group} --execute`, targetOf(ctx.connection))}`,
      )
    return result
  }

  private async undoReset(ctx: GroupsContext, groups: string[]): Promise<UndoResult> {
    if (groups.length > 1) throw new UsageError('--undo-reset takes at most one --group.', { code: 'ONE_GROUP' })
    const [service, views, { terminalHooks }] = await Promise.all([
      import('../groups/service.js'),
      import('../groups/views.js'),
      import('../groups/prompt.js'),
    ])
    const result = await service.undoReset(
      ctx,
      { ...(groups[0] ? { group: groups[0] } : {}), execute: this.flags.execute },
      terminalHooks({ yes: this.flags.yes, pick: false }),
    )
    this.reporter.info(`Backup ${result.backupFile} (${result.reason}, ${result.backupCreatedAt})`)
    this.log(views.renderUndo(result))
    this.reporter.info(
      result.dryRun
        ? 'Dry run: nothing changed. Add --execute to restore these offsets.'
        : `Restored the offsets of '${result.group}'.`,
    )
    return result
  }

  private async delete(ctx: GroupsContext, groups: string[]): Promise<DeleteResult> {
    const [service, views, { terminalHooks }] = await Promise.all([
      import('../groups/service.js'),
      import('../groups/views.js'),
      import('../groups/prompt.js'),
    ])
    const result = await service.deleteGroups(ctx, { groups, allGroups: this.flags['all-groups'] }, terminalHooks())
    this.log(views.renderDelete(result))
    return this.finish(result, result.groups.some((g) => !g.deleted) ? ExitCode.failure : ExitCode.ok)
  }

  private async deleteOffsets(ctx: GroupsContext, groups: string[], topics: string[]): Promise<DeleteOffsetsResult> {
    const [service, views, { terminalHooks }] = await Promise.all([
      import('../groups/service.js'),
      import('../groups/views.js'),
      import('../groups/prompt.js'),
    ])
    const result = await service.deleteOffsets(ctx, { groups, topics }, terminalHooks())
    this.log(views.renderDeleteOffsets(result))
    return this.finish(result, result.ok ? ExitCode.ok : ExitCode.failure)
  }

  private printNotices(notices: Array<{ level: 'error' | 'notice' | 'warning'; message: string }>): void {
    const color = colorsFor(process.stderr)
    for (const n of notices) {
      const prefix =
        n.level === 'error' ? `${color.red('Error:')} ` : n.level === 'warning' ? `${color.yellow('Warning:')} ` : ''
      process.stderr.write(`${prefix}${n.message}\n`)
    }
  }
}
