import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { ValidateResult } from '../../connect/service.js'

export default class ConnectValidate extends KafkitCommand<typeof ConnectValidate> {
  static override summary = "Check a connector config file with the worker's validation, creating nothing."
  static override examples = ['<%= config.bin %> connect validate source.json']
  static override args = {
    file: Args.string({ description: 'Connector config file (.json or .properties).', required: true }),
  }
  static override flags = { ...connectFlags, name: Flags.string({ description: 'Connector name.' }) }

  async run(): Promise<ValidateResult> {
    const { readConnectorFile, validateConnectorFile } = await import('../../connect/service.js')
    const { renderValidationErrors } = await import('../../connect/views.js')
    const result = await validateConnectorFile(this.flags, readConnectorFile(this.args.file, this.flags.name))
    if (!this.jsonEnabled()) {
      this.log(result.valid ? `Config of ${result.name} is valid.` : renderValidationErrors(result.errors).join('\n'))
    }
    return this.finish(result, result.valid ? 0 : 1)
  }
}
