import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { WriteResult } from '../../connect/service.js'

export default class ConnectCreate extends KafkitCommand<typeof ConnectCreate> {
  static override summary = 'Create a connector from a JSON or properties file.'
  static override description = `The file is a properties file (as connect-standalone takes), the REST API's JSON {"name": ..., "config": {...}},
or a flat JSON object of settings. The name is --name, else the file's, else the file name. A config the worker refuses
is shown key by key, from the worker's own validation.`
  static override examples = [
    '<%= config.bin %> connect create config/connect-file-source.properties',
    '<%= config.bin %> connect create source.json --name my-source',
  ]
  static override args = {
    file: Args.string({ description: 'Connector config file (.json or .properties).', required: true }),
  }
  static override flags = {
    ...connectFlags,
    name: Flags.string({ description: "Connector name (default: the file's name setting, else the file name)." }),
  }

  async run(): Promise<WriteResult> {
    const { readConnectorFile, writeConnector } = await import('../../connect/service.js')
    const result = await writeConnector(this.flags, readConnectorFile(this.args.file, this.flags.name), 'create')
    this.log(`Created connector ${result.name}.`)
    return result
  }
}
