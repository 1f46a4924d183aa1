import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { LifecycleResult } from '../../connect/service.js'

export default class ConnectResume extends KafkitCommand<typeof ConnectResume> {
  static override summary = 'Resume a paused or stopped connector.'
  static override examples = ['<%= config.bin %> connect resume local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<LifecycleResult> {
    const { changeConnector } = await import('../../connect/service.js')
    const result = await changeConnector(this.flags, this.args.name, 'resume')
    this.log(`Resumed connector ${result.name}.`)
    return result
  }
}
