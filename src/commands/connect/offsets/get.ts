import { Args } from '@oclif/core'
import { KafkitCommand } from '../../../base-command.js'
import { connectFlags } from '../../../flags.js'
import type { OffsetsResult } from '../../../connect/service.js'

export default class ConnectOffsetsGet extends KafkitCommand<typeof ConnectOffsetsGet> {
  static override summary = "A connector's committed offsets (KIP-875, Kafka 3.5+)."
  static override description = 'The --json output is the document `kafkit connect offsets alter --file` takes.'
  static override examples = [
    '<%= config.bin %> connect offsets get local-file-source',
    '<%= config.bin %> connect offsets get local-file-source --json > offsets.json',
  ]
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = connectFlags

  async run(): Promise<OffsetsResult> {
    const { getOffsets } = await import('../../../connect/service.js')
    const { renderOffsets } = await import('../../../connect/views.js')
    const result = await getOffsets(this.flags, this.args.name)
    if (!this.jsonEnabled()) this.log(result.offsets.length === 0 ? 'No offsets.' : renderOffsets(result.offsets))
    return result
  }
}
