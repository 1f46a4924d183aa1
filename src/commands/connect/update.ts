import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { WriteResult } from '../../connect/service.js'

export default class ConnectUpdate extends KafkitCommand<typeof ConnectUpdate> {
  static override summary = "Replace a connector's config from a JSON or properties file (creates it if missing)."
  static override examples = ['<%= config.bin %> connect update local-file-source source.properties']
  static override args = {
    name: Args.string({ description: 'Connector name.', required: true }),
    file: Args.string({ description: 'Connector config file (.json or .properties).', required: true }),
  }
  static override flags = connectFlags

  async run(): Promise<WriteResult> {
    const { readConnectorFile, writeConnector } = await import('../../connect/service.js')
    const result = await writeConnector(this.flags, readConnectorFile(this.args.file, this.args.name), 'update')
    this.log(`Updated connector ${result.name}.`)
    return result
  }
}
