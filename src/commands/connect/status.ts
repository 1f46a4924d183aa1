import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { ConnectorStatus } from '../../connect/views.js'

export default class ConnectStatus extends KafkitCommand<typeof ConnectStatus> {
  static override summary = "A connector's state and its tasks' states (with the first line of a failed one's trace)."
  static override examples = ['<%= config.bin %> connect status local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<ConnectorStatus> {
    const { connectorStatus } = await import('../../connect/service.js')
    const { renderStatus } = await import('../../connect/views.js')
    const status = await connectorStatus(this.flags, this.args.name)
    if (!this.jsonEnabled()) this.log(renderStatus(status))
    return status
  }
}
