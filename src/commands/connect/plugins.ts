import { Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { PluginInfo } from '../../connect/views.js'

export default class ConnectPlugins extends KafkitCommand<typeof ConnectPlugins> {
  static override summary = 'List the connector plugins a Kafka Connect worker has.'
  static override examples = ['<%= config.bin %> connect plugins', '<%= config.bin %> connect plugins --all --json']
  static override flags = {
    ...connectFlags,
    all: Flags.boolean({ description: 'Also transforms, predicates and converters (connectorsOnly=false).' }),
  }

  async run(): Promise<PluginInfo[]> {
    const { listPlugins } = await import('../../connect/service.js')
    const { renderPlugins } = await import('../../connect/views.js')
    const plugins = await listPlugins(this.flags, this.flags.all)
    if (!this.jsonEnabled()) this.log(renderPlugins(plugins))
    return plugins
  }
}
