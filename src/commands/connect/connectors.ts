import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { ConnectorRow } from '../../connect/views.js'

export default class ConnectConnectors extends KafkitCommand<typeof ConnectConnectors> {
  static override summary = 'List the connectors of a Kafka Connect worker, with their state and tasks.'
  static override examples = ['<%= config.bin %> connect connectors', '<%= config.bin %> connect connectors --json']
  static override flags = connectFlags

  async run(): Promise<ConnectorRow[]> {
    const { listConnectors } = await import('../../connect/service.js')
    const { renderConnectors } = await import('../../connect/views.js')
    const rows = await listConnectors(this.flags)
    if (!this.jsonEnabled()) this.log(rows.length === 0 ? 'No connectors.' : renderConnectors(rows))
    return rows
  }
}
