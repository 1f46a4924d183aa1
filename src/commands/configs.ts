import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import type { ConfigsResult } from '../configs/service.js'
import { resolveConfigsRequest } from '../configs/options.js'
import { renderAlterDone, renderConfigsDescribe } from '../configs/views.js'

export default class Configs extends KafkitCommand<typeof Configs> {
  static override summary = 'Describe or change topic and broker configs, like kafka-configs.sh.'
  static override description = `Takes kafka-configs.sh's flags for topics and brokers: --entity-type topics|brokers with --entity-name or
--entity-default (brokers), or the short forms --topic NAME, --broker ID, --broker-defaults.
--describe shows the dynamic configs (what was set on the entity), --all every config with its source.
--alter changes exactly the keys given (IncrementalAlterConfigs): --add-config k=v,k2=[a,b] (brackets group a
list value) and --delete-config k (repeatable, or comma separated). Deleting a key that is not set is an error.
Without --describe or --alter, config changes mean --alter and no changes mean --describe.`

  static override aliases = ['kafka-configs', 'kafka-configs.sh']
  static override deprecateAliases = false

  static override examples = [
    { description: 'The configs set on a topic', command: '<%= config.bin %> configs --describe --topic orders' },
    {
      description: 'Set two, one of them a list',
      command:
        '<%= config.bin %> configs --alter --topic orders --add-config retention.ms=3600000,cleanup.policy=[compact,delete]',
    },
    {
      description: 'Remove one (back to the default)',
      command:
        '<%= config.bin %> configs --alter --entity-type topics --entity-name orders --delete-config retention.ms',
    },
    {
      description: 'Every config of broker 1 with its source',
      command: '<%= config.bin %> configs --describe --broker 1 --all',
    },
    {
      description: 'A cluster-wide broker default',
      command:
        '<%= config.bin %> configs --alter --entity-type brokers --entity-default --add-config log.cleaner.threads=2',
    },
    { description: 'As JSON', command: '<%= config.bin %> configs --describe --entity-type brokers --json' },
  ]

  static override flags = {
    ...connectionFlags,
    describe: Flags.boolean({ description: 'Show configs of the entity (default without config changes).' }),
    alter: Flags.boolean({ description: 'Change configs of the entity.' }),
    all: Flags.boolean({ description: 'With --describe: every config, with its source, not only the dynamic ones.' }),
    'entity-type': Flags.string({ description: 'topics or brokers.' }),
    'entity-name': Flags.string({ description: 'Topic name or broker id.' }),
    'entity-default': Flags.boolean({ description: 'The cluster-wide broker defaults (with --entity-type brokers).' }),
    topic: Flags.string({ char: 't', description: 'Short for --entity-type topics --entity-name NAME.' }),
    broker: Flags.string({ description: 'Short for --entity-type brokers --entity-name ID.' }),
    'broker-defaults': Flags.boolean({ description: 'Short for --entity-type brokers --entity-default.' }),
    'add-config': Flags.string({
      description: 'Configs to set: k1=v1,k2=[v1,v2] (brackets group values that contain commas).',
    }),
    'add-config-file': Flags.string({ description: 'Properties file with configs to set.' }),
    'delete-config': Flags.string({
      description: 'Config keys to remove: k1,k2 (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
  }

  async run(): Promise<ConfigsResult> {
    const request = resolveConfigsRequest(this.flags)
    const settings = connectionFromFlags(this.flags)
    const { runConfigs } = await import('../configs/service.js')
    const result = await runConfigs(settings, request, this.reporter)
    if (result.action === 'describe') {
      const lines = renderConfigsDescribe(result.entities, result.all)
      if (lines.length > 0) this.log(lines.join('\n'))
    } else {
      this.log(renderAlterDone(result))
    }
    return result
  }
}
