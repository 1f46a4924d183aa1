import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { registryCommandFlags } from '../../flags.js'
import type { VersionsResult } from '../../schemas/service.js'

export default class SchemaRegistryVersions extends KafkitCommand<typeof SchemaRegistryVersions> {
  static override summary = 'List the versions of a subject.'
  static override aliases = ['sr:versions']
  static override deprecateAliases = false
  static override examples = ['<%= config.bin %> schema-registry versions orders-value']
  static override args = { subject: Args.string({ description: 'Subject, e.g. orders-value.', required: true }) }
  static override flags = { ...registryCommandFlags }

  async run(): Promise<VersionsResult> {
    const { registryFromFlags, listVersions } = await import('../../schemas/service.js')
    const result = await listVersions(registryFromFlags(this.flags), this.args.subject)
    if (!this.jsonEnabled()) for (const version of result.versions) this.log(String(version))
    return result
  }
}
