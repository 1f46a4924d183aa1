import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { registryCommandFlags } from '../../flags.js'
import type { DeleteResult } from '../../schemas/service.js'

export default class SchemaRegistryDelete extends KafkitCommand<typeof SchemaRegistryDelete> {
  static override summary = 'Delete a subject or one version of it: soft (ids still resolve) or --permanent.'
  static override aliases = ['sr:delete']
  static override deprecateAliases = false
  static override examples = [
    '<%= config.bin %> schema-registry delete orders-value',
    '<%= config.bin %> schema-registry delete orders-value --version 2 --permanent',
  ]
  static override args = { subject: Args.string({ description: 'Subject.', required: true }) }
  static override flags = {
    ...registryCommandFlags,
    version: Flags.string({ description: 'Only this version (a number or "latest").' }),
    permanent: Flags.boolean({
      description: 'Hard delete (the soft delete the registry requires first is done too).',
    }),
  }

  async run(): Promise<DeleteResult> {
    const { registryFromFlags, deleteSchemas } = await import('../../schemas/service.js')
    const { deleteText } = await import('../../schemas/views.js')
    const result = await deleteSchemas(registryFromFlags(this.flags), this.args.subject, {
      permanent: this.flags.permanent,
      ...(this.flags.version === undefined ? {} : { version: this.flags.version }),
    })
    if (!this.jsonEnabled()) this.log(deleteText(result))
    return result
  }
}
