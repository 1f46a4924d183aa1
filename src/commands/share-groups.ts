import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode, KafkitError } from '../errors.js'
import { connectionFlags, optionalDurationFlag } from '../flags.js'
import { kafkitCommand } from '../output/commands.js'
import { targetOf } from '../connection/source.js'
import { SHARE_ACTIONS, checkShareFlags } from '../share-groups/options.js'
import type {
  ShareDeleteOffsetsResult,
  ShareDeleteResult,
  ShareDescribeResult,
  ShareGroupsContext,
  ShareListResult,
  ShareResetResult,
  ShareUndoResult,
} from '../share-groups/service.js'
import type { Chunk } from '../share-groups/views.js'

type Result =
  | ShareListResult
  | ShareDescribeResult
  | ShareResetResult
  | ShareUndoResult
  | ShareDeleteOffsetsResult
  | ShareDeleteResult

/** Flags that take an optional value in Kafka's tool (`--describe --state` vs `--list --state stable,empty`). */
const OPTIONAL_VALUE_FLAGS = ['--state']

export default class ShareGroups extends KafkitCommand<typeof ShareGroups> {
  static override aliases = ['kafka-share-groups', 'kafka-share-groups.sh']
  static override deprecateAliases = false
  static override summary =
    'List, describe, reset and delete share groups (KIP-932, Kafka 4.x), like kafka-share-groups.sh, with undo.'
  static override description = `Takes kafka-share-groups.sh's flags (Kafka 4.4) and prints what it prints; the bootstrap server defaults to the running local stack.
Exactly one action: --list, --describe, --reset-offsets, --delete-offsets, --delete, or kafkit's --undo-reset.
--describe shows each partition's share start offset and the broker's lag (records not yet acknowledged); --members, --state, --verbose as the script.
--reset-offsets (one empty group; --to-earliest, --to-latest, --to-current, --to-offset, --to-datetime or --from-file) is a dry run unless --execute; --execute first saves the start offsets it replaces, so --undo-reset can restore them.
A group that does not exist, or is not empty when it must be, is an error (exit 1).`
  static override examples = [
    '<%= config.bin %> share-groups --list --state',
    '<%= config.bin %> share-groups --describe --group orders-share',
    '<%= config.bin %> share-groups --describe --group orders-share --members --verbose',
    '<%= config.bin %> share-groups --reset-offsets --group orders-share --topic orders --to-earliest',
    '<%= config.bin %> share-groups --reset-offsets --group orders-share --topic orders:0 --to-offset 100 --execute --yes',
    '<%= config.bin %> share-groups --undo-reset --group orders-share --execute',
    '<%= config.bin %> share-groups --delete-offsets --group orders-share --topic orders',
    '<%= config.bin %> kafka-share-groups.sh --bootstrap-server localhost:9092 --delete --group old-share',
  ]

  static override flags = {
    ...connectionFlags,
    list: Flags.boolean({
      description: 'List all share groups (with --state: their states, or only those in the given states).',
      helpGroup: 'ACTION',
    }),
    describe: Flags.boolean({
      description: 'Describe groups: start offsets and lag (default), --members or --state.',
      helpGroup: 'ACTION',
    }),
    delete: Flags.boolean({ description: 'Delete empty share groups.', helpGroup: 'ACTION' }),
    'reset-offsets': Flags.boolean({
      description: 'Reset the start offsets of an empty share group: one spec (--to-*, --from-file) and a scope.',
      helpGroup: 'ACTION',
    }),
    'delete-offsets': Flags.boolean({
      description: 'Delete the share state of one group for --topic (whole topics).',
      helpGroup: 'ACTION',
    }),
    'undo-reset': Flags.boolean({
      description: 'Restore the start offsets saved by the last --reset-offsets --execute (dry run unless --execute).',
      helpGroup: 'ACTION',
    }),

    group: Flags.string({
      char: 'g',
      description: 'Share group (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'all-groups': Flags.boolean({ description: 'Apply to all share groups.' }),
    topic: Flags.string({
      char: 't',
      description: 'Topic (repeatable); topic:0,1,2 for some partitions with --reset-offsets.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'all-topics': Flags.boolean({ description: 'Reset every topic the group has share state for.' }),

    offsets: Flags.boolean({ description: 'Describe start offsets and lag (the default).', helpGroup: 'DESCRIBE' }),
    members: Flags.boolean({ description: 'Describe the members of the group.', helpGroup: 'DESCRIBE' }),
    state: Flags.string({
      description:
        "With --describe: the group's state. With --list: show states, or list only groups in these states (empty,stable,dead).",
      helpGroup: 'DESCRIBE',
    }),
    verbose: Flags.boolean({
      description: 'More columns: leader epoch (offsets), member epoch (members), epochs (state).',
      helpGroup: 'DESCRIBE',
    }),

    'to-earliest': Flags.boolean({ description: 'Reset to the log start offset.', helpGroup: 'RESET' }),
    'to-latest': Flags.boolean({ description: 'Reset to the log end offset.', helpGroup: 'RESET' }),
    'to-current': Flags.boolean({
      description: 'Reset to the current start offset (log end where there is none).',
      helpGroup: 'RESET',
    }),
    'to-offset': Flags.string({
      description: 'Reset to this offset (clamped to the log start/end).',
      helpGroup: 'RESET',
    }),
    'to-datetime': Flags.string({
      description: 'Reset to the first offset at or after YYYY-MM-DDTHH:mm:SS.sss (UTC unless a zone is given).',
      helpGroup: 'RESET',
    }),
    'from-file': Flags.string({
      description: 'Reset to the offsets in a CSV (the --export format).',
      helpGroup: 'RESET',
    }),
    'dry-run': Flags.boolean({ description: 'Only show the plan (the default).', helpGroup: 'RESET' }),
    execute: Flags.boolean({ description: 'Apply the reset (or the undo).', helpGroup: 'RESET' }),
    export: Flags.boolean({ description: "Print the plan as the script's CSV (for --from-file).", helpGroup: 'RESET' }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation on a terminal.', helpGroup: 'RESET' }),

    timeout: optionalDurationFlag("Request timeout, as the script's --timeout", { min: 1 }),
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
    const action = checkShareFlags(
      SHARE_ACTIONS.filter((a) => f[a]),
      f,
    )
    const ctx: ShareGroupsContext = {
      connection: connectionFromFlags(f),
      stack: f.stack,
      reporter: this.reporter,
      debug: this.debugEnabled,
      ...(f.timeout ? { requestTimeoutMs: f.timeout } : {}),
    }
    const [service, views] = await Promise.all([
      import('../share-groups/service.js'),
      import('../share-groups/views.js'),
    ])
    const groups = f.group ?? []
    switch (action) {
      case 'list': {
        const result = await service.listShareGroups(ctx, f.state !== undefined ? { state: f.state } : {})
        this.write(views.renderShareList(result))
        return result
      }
      case 'describe': {
        const view = f.members ? 'members' : f.state !== undefined ? 'state' : 'offsets'
        const result = await service.describeShareGroups(ctx, {
          groups,
          allGroups: f['all-groups'],
          view,
          verbose: f.verbose,
        })
        this.writeChunks(views.renderShareDescribe(result))
        return result
      }
      case 'reset-offsets': {
        const { shareTerminalHooks } = await import('../share-groups/prompt.js')
        const result = await service.resetShareOffsets(
          ctx,
          {
            group: groups[0]!,
            topics: f.topic ?? [],
            allTopics: f['all-topics'],
            execute: f.execute,
            modeFlags: {
              'to-earliest': f['to-earliest'],
              'to-latest': f['to-latest'],
              'to-current': f['to-current'],
              'to-offset': f['to-offset'],
              'to-datetime': f['to-datetime'],
              'from-file': f['from-file'],
            },
          },
          shareTerminalHooks({ yes: f.yes }),
        )
        this.write(f.export ? views.renderShareResetCsv(result) : views.renderShareReset(result))
        if (result.backupFile)
          this.reporter.info(`Saved the previous start offsets of '${result.group}' to ${result.backupFile}`)
        if (result.dryRun) this.reporter.info('Dry run: nothing changed. Add --execute to apply.')
        else if (result.backupFile)
          this.reporter.info(
            `Offsets reset. Undo with: ${kafkitCommand(`share-groups --undo-reset --group ${result.group} --execute`, targetOf(ctx.connection))}`,
          )
        return result
      }
      case 'undo-reset': {
        const { shareTerminalHooks } = await import('../share-groups/prompt.js')
        const result = await service.undoShareReset(
          ctx,
          { ...(groups[0] ? { group: groups[0] } : {}), execute: f.execute },
          shareTerminalHooks({ yes: f.yes }),
        )
        const { renderUndo } = await import('../groups/views.js')
        this.reporter.info(`Backup ${result.backupFile} (${result.reason}, ${result.backupCreatedAt})`)
        this.write(`${renderUndo(result)}\n`)
        this.reporter.info(
          result.dryRun
            ? 'Dry run: nothing changed. Add --execute to restore these offsets.'
            : `Restored the start offsets of '${result.group}'.`,
        )
        return result
      }
      case 'delete-offsets': {
        const result = await service.deleteShareOffsets(ctx, { group: groups[0]!, topics: f.topic ?? [] })
        this.write(views.renderShareDeleteOffsets(result))
        return this.finish(result, result.ok ? ExitCode.ok : ExitCode.failure)
      }
      case 'delete': {
        const result = await service.deleteShareGroups(ctx, { groups, allGroups: f['all-groups'] })
        const failed = result.groups.filter((g) => !g.deleted)
        // One group asked for and refused: the refusal is the command's error, one line.
        if (result.groups.length === 1 && failed.length === 1)
          throw new KafkitError(failed[0]!.error ?? 'The group could not be deleted.', {
            code: failed[0]!.code ?? 'DELETE_FAILED',
            suggestions: ['kafkit share-groups --list --state'],
          })
        this.writeChunks(views.renderShareDelete(result))
        return this.finish(result, failed.length > 0 ? ExitCode.failure : ExitCode.ok)
      }
    }
  }

  /** The script's bytes, as they are (this.log would add a newline); nothing with --json. */
  private write(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text)
  }

  private writeChunks(chunks: Chunk[]): void {
    if (this.jsonEnabled()) return
    for (const c of chunks) (c.stream === 'stdout' ? process.stdout : process.stderr).write(c.text)
  }
}
