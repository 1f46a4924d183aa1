import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { LifecycleResult } from '../../connect/service.js'

export default class ConnectDelete extends KafkitCommand<typeof ConnectDelete> {
  static override summary = 'Delete a connector.'
  static override examples = ['<%= config.bin %> connect delete local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<LifecycleResult> {
    const { changeConnector } = await import('../../connect/service.js')
    const result = await changeConnector(this.flags, this.args.name, 'delete')
    this.log(`Deleted connector ${result.name}.`)
    return result
  }
}
