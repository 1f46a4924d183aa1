import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { DescribeResult } from '../../connect/service.js'

export default class ConnectDescribe extends KafkitCommand<typeof ConnectDescribe> {
  static override summary = "A connector's config, state and tasks."
  static override examples = ['<%= config.bin %> connect describe local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<DescribeResult> {
    const { describeConnector } = await import('../../connect/service.js')
    const { renderDescribe } = await import('../../connect/views.js')
    const result = await describeConnector(this.flags, this.args.name)
    if (!this.jsonEnabled()) this.log(renderDescribe(result.info, result.status))
    return result
  }
}
