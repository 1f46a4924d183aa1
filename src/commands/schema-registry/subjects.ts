import { Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { registryCommandFlags } from '../../flags.js'
import type { SubjectsResult } from '../../schemas/service.js'

export default class SchemaRegistrySubjects extends KafkitCommand<typeof SchemaRegistrySubjects> {
  static override summary = 'List the subjects of the Schema Registry, like rpk registry subject list.'
  static override aliases = ['sr:subjects']
  static override deprecateAliases = false
  static override examples = [
    '<%= config.bin %> schema-registry subjects',
    '<%= config.bin %> sr subjects --deleted --schema-registry-url http://localhost:8081',
  ]
  static override flags = {
    ...registryCommandFlags,
    deleted: Flags.boolean({ description: 'Include soft-deleted subjects.' }),
    prefix: Flags.string({ description: 'Only subjects starting with this.' }),
  }

  async run(): Promise<SubjectsResult> {
    const { registryFromFlags, listSubjects } = await import('../../schemas/service.js')
    const result = await listSubjects(registryFromFlags(this.flags), {
      deleted: this.flags.deleted,
      ...(this.flags.prefix === undefined ? {} : { prefix: this.flags.prefix }),
    })
    if (!this.jsonEnabled()) for (const subject of result.subjects) this.log(subject)
    return result
  }
}
