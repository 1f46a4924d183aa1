import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../../base-command.js'
import { connectFlags } from '../../../flags.js'
import type { OffsetsChangeResult } from '../../../connect/service.js'

export default class ConnectOffsetsAlter extends KafkitCommand<typeof ConnectOffsetsAlter> {
  static override summary = "Set a stopped connector's offsets from a JSON file (KIP-875, Kafka 3.6+)."
  static override examples = ['<%= config.bin %> connect offsets alter local-file-source --file offsets.json']
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = {
    ...connectFlags,
    file: Flags.string({
      description: '{"offsets": [{"partition": {...}, "offset": {...}}]}, as `offsets get --json` prints.',
      required: true,
    }),
  }

  async run(): Promise<OffsetsChangeResult> {
    const { changeOffsets } = await import('../../../connect/service.js')
    const result = await changeOffsets(this.flags, this.args.name, { action: 'alter', file: this.flags.file })
    this.log(result.message || `Altered the offsets of ${result.connector}.`)
    return result
  }
}
