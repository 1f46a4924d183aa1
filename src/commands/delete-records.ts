import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { ExitCode } from '../errors.js'
import { connectionFlags } from '../flags.js'
import type { DeleteRecordsResult } from '../partitions/delete-records.js'
import { deleteRecordsPlan, parseOffsetJson, readInputFile } from '../partitions/options.js'
import { parsePointInTime } from '../util/time.js'

export default class DeleteRecords extends KafkitCommand<typeof DeleteRecords> {
  static override summary = 'Delete the records of partitions before an offset or a time, like kafka-delete-records.sh.'
  static override description = `With the script's --offset-json-file ({"partitions":[{"topic":"t","partition":0,"offset":5}],"version":1}) it deletes at once and prints what the script prints.
kafkit's shortcuts, --topic [--partition 0,1] with --offset N (-1: every record) or --before TIME (epoch ms, ISO-8601 or -2h: every record older than it), are a dry run: they print the low watermark each partition would get; add --execute to delete.`

  static override aliases = ['kafka-delete-records', 'kafka-delete-records.sh']
  static override deprecateAliases = false

  static override examples = [
    {
      description: 'What deleting the records older than a day would do (dry run)',
      command: '<%= config.bin %> delete-records --topic orders --before -1d',
    },
    {
      description: 'Delete them',
      command: '<%= config.bin %> delete-records --topic orders --before -1d --execute',
    },
    {
      description: 'Empty partition 0 (delete up to the high watermark)',
      command: '<%= config.bin %> delete-records --topic orders --partition 0 --offset -1 --execute',
    },
    {
      description: "The script's command line",
      command:
        '<%= config.bin %> kafka-delete-records.sh --bootstrap-server localhost:9092 --offset-json-file offsets.json',
    },
  ]

  static override flags = {
    ...connectionFlags,
    'offset-json-file': Flags.string({
      description:
        'The script\'s JSON file: {"partitions":[{"topic":"t","partition":0,"offset":5}],"version":1}. Deletes at once.',
    }),
    topic: Flags.string({ char: 't', description: 'kafkit shortcut: the topic to delete records from.' }),
    partition: Flags.string({ char: 'p', description: 'With --topic: partition ids, comma separated (default: all).' }),
    offset: Flags.string({ description: 'With --topic: delete the records before this offset (-1: all of them).' }),
    before: Flags.string({
      description: 'With --topic: delete the records older than this time (epoch ms, ISO-8601, or -15m / -2h / -1d).',
    }),
    execute: Flags.boolean({ description: 'With --topic: delete (without it, a dry run).' }),
  }

  async run(): Promise<DeleteRecordsResult> {
    const plan = deleteRecordsPlan(this.flags)
    const settings = connectionFromFlags(this.flags)
    const [{ runDeleteRecords }, views] = await Promise.all([
      import('../partitions/delete-records.js'),
      import('../partitions/views.js'),
    ])
    const result =
      plan.kind === 'file'
        ? await runDeleteRecords(
            settings,
            { kind: 'file', targets: parseOffsetJson(readInputFile(plan.path, '--offset-json-file')) },
            this.reporter,
          )
        : await runDeleteRecords(
            settings,
            {
              kind: 'shortcut',
              topic: plan.topic,
              partitions: plan.partitions,
              offset: plan.offset,
              before: plan.before === undefined ? undefined : parsePointInTime(plan.before, '--before'),
              execute: plan.execute,
            },
            this.reporter,
          )
    const failed = result.partitions.some((p) => p.error !== null)
    if (!this.jsonEnabled()) {
      if (result.executed) this.log(views.deleteRecordsText(result.partitions))
      else {
        this.log(
          views.plannedDeletesTable(
            result.partitions.map((p) => ({
              topic: p.topic,
              partition: p.partition,
              lowWatermark: p.currentLowWatermark ?? 0,
              newLowWatermark: p.lowWatermark ?? p.currentLowWatermark ?? 0,
              highWatermark: p.highWatermark ?? 0,
            })),
          ),
        )
        for (const p of result.partitions.filter((x) => x.error !== null))
          this.reporter.warn(`${p.topic}-${p.partition}: ${p.errorMessage}`)
        this.reporter.info('Dry run: no records deleted. Add --execute to delete them.')
      }
    }
    return this.finish(result, failed ? ExitCode.failure : ExitCode.ok)
  }
}
