import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { connectorTasks } from '../../connect/service.js'

export default class ConnectTasks extends KafkitCommand<typeof ConnectTasks> {
  static override summary = "A connector's tasks: state, worker and task config."
  static override examples = ['<%= config.bin %> connect tasks local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<Awaited<ReturnType<typeof connectorTasks>>> {
    const service = await import('../../connect/service.js')
    const { renderTasks } = await import('../../connect/views.js')
    const result = await service.connectorTasks(this.flags, this.args.name)
    if (!this.jsonEnabled()) this.log(renderTasks(result.tasks, result.status))
    return result
  }
}
