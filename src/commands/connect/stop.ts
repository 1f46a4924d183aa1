import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { LifecycleResult } from '../../connect/service.js'

export default class ConnectStop extends KafkitCommand<typeof ConnectStop> {
  static override summary = 'Stop a connector (tasks shut down, config kept; offsets can then be altered or reset).'
  static override examples = ['<%= config.bin %> connect stop local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<LifecycleResult> {
    const { changeConnector } = await import('../../connect/service.js')
    const result = await changeConnector(this.flags, this.args.name, 'stop')
    this.log(`Stopped connector ${result.name}.`)
    return result
  }
}
