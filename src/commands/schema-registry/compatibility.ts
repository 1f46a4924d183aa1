import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { registryCommandFlags } from '../../flags.js'
import type { CompatibilityResult } from '../../schemas/service.js'

export default class SchemaRegistryCompatibility extends KafkitCommand<typeof SchemaRegistryCompatibility> {
  static override summary = "Show or set a subject's compatibility level (without a subject: the global one)."
  static override aliases = ['sr:compatibility']
  static override deprecateAliases = false
  static override examples = [
    '<%= config.bin %> schema-registry compatibility orders-value',
    '<%= config.bin %> schema-registry compatibility orders-value --set FULL',
    '<%= config.bin %> schema-registry compatibility --set BACKWARD',
  ]
  static override args = { subject: Args.string({ description: 'Subject (default: the global level).' }) }
  static override flags = {
    ...registryCommandFlags,
    set: Flags.string({
      description: 'NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.',
    }),
  }

  async run(): Promise<CompatibilityResult> {
    const { registryFromFlags, compatibility } = await import('../../schemas/service.js')
    const { compatibilityText } = await import('../../schemas/views.js')
    const result = await compatibility(registryFromFlags(this.flags), this.args.subject, this.flags.set)
    if (!this.jsonEnabled()) this.log(compatibilityText(result))
    return result
  }
}
