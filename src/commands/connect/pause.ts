import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { LifecycleResult } from '../../connect/service.js'

export default class ConnectPause extends KafkitCommand<typeof ConnectPause> {
  static override summary = 'Pause a connector and its tasks.'
  static override examples = ['<%= config.bin %> connect pause local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<LifecycleResult> {
    const { changeConnector } = await import('../../connect/service.js')
    const result = await changeConnector(this.flags, this.args.name, 'pause')
    this.log(`Paused connector ${result.name}.`)
    return result
  }
}
