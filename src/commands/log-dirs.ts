import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlagsWithoutBrokerList } from '../flags.js'
import type { LogDirsResult } from '../partitions/log-dirs.js'
import { parseBrokerIds } from '../partitions/options.js'

export default class LogDirs extends KafkitCommand<typeof LogDirs> {
  static override summary =
    "Show the brokers' log directories and the size of each replica, like kafka-log-dirs.sh --describe."
  static override description = `Prints what the script prints (two lines, then its JSON document), so pasted command lines and the scripts that parse them keep working; --table prints kafkit's tables instead: per directory its replicas, their total size, the disk's total and usable bytes; then one row per replica.
--describe is the only action and may be left out.`

  static override aliases = ['kafka-log-dirs', 'kafka-log-dirs.sh']
  static override deprecateAliases = false

  static override examples = [
    { description: 'Every broker, every topic', command: '<%= config.bin %> log-dirs --describe' },
    { description: 'As tables', command: '<%= config.bin %> log-dirs --table --topic-list orders' },
    {
      description: "The script's command line",
      command:
        '<%= config.bin %> kafka-log-dirs.sh --bootstrap-server localhost:9092 --describe --broker-list 1,2 --topic-list orders',
    },
  ]

  static override flags = {
    ...connectionFlagsWithoutBrokerList,
    describe: Flags.boolean({ description: 'Describe the log directories (the only action; may be left out).' }),
    'broker-list': Flags.string({ description: 'Broker ids to query, "1,2,3" (default: every broker).' }),
    'topic-list': Flags.string({ description: 'Topics to show, "t1,t2" (default: every topic).' }),
    table: Flags.boolean({ description: "kafkit's tables instead of the script's JSON." }),
  }

  async run(): Promise<LogDirsResult> {
    const f = this.flags
    const brokers = parseBrokerIds(f['broker-list'] ?? '')
    const topics = (f['topic-list'] ?? '').split(',').filter((t) => t !== '')
    const settings = connectionFromFlags(f)
    const [{ runLogDirs }, views] = await Promise.all([
      import('../partitions/log-dirs.js'),
      import('../partitions/views.js'),
    ])
    const result = await runLogDirs(settings, { brokers, topics }, this.reporter)
    if (!this.jsonEnabled())
      this.log(f.table ? views.logDirsTable(result.brokers) : views.logDirsScriptText(result.brokers))
    return result
  }
}
