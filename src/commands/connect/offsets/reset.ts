import { Args } from '@oclif/core'
import { KafkitCommand } from '../../../base-command.js'
import { connectFlags } from '../../../flags.js'
import type { OffsetsChangeResult } from '../../../connect/service.js'

export default class ConnectOffsetsReset extends KafkitCommand<typeof ConnectOffsetsReset> {
  static override summary = "Delete a stopped connector's offsets, so it starts over (KIP-875, Kafka 3.6+)."
  static override examples = ['<%= config.bin %> connect offsets reset local-file-source']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<OffsetsChangeResult> {
    const { changeOffsets } = await import('../../../connect/service.js')
    const result = await changeOffsets(this.flags, this.args.name, { action: 'reset' })
    this.log(result.message || `Reset the offsets of ${result.connector}.`)
    return result
  }
}
