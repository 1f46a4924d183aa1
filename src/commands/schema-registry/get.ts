import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { registryCommandFlags } from '../../flags.js'
import type { RegisteredSchema } from '../../schemas/registry.js'

export default class SchemaRegistryGet extends KafkitCommand<typeof SchemaRegistryGet> {
  static override summary = 'Show a schema: by subject and version (default latest) or by id.'
  static override description =
    'Prints SUBJECT, VERSION, ID and TYPE, then the schema itself; --print-schema prints only the schema (to save it as a file).'
  static override aliases = ['sr:get']
  static override deprecateAliases = false
  static override examples = [
    '<%= config.bin %> schema-registry get orders-value',
    '<%= config.bin %> schema-registry get orders-value 2 --print-schema > order-v2.avsc',
    '<%= config.bin %> schema-registry get --id 3',
  ]
  static override args = {
    subject: Args.string({ description: 'Subject.' }),
    version: Args.string({ description: 'Version number or "latest" (default).' }),
  }
  static override flags = {
    ...registryCommandFlags,
    id: Flags.integer({ description: 'Schema id (instead of a subject).', min: 0 }),
    'print-schema': Flags.boolean({ description: 'Print only the schema text.' }),
  }

  async run(): Promise<RegisteredSchema> {
    const { registryFromFlags, getSchema } = await import('../../schemas/service.js')
    const { schemaTable } = await import('../../schemas/views.js')
    const schema = await getSchema(registryFromFlags(this.flags), {
      ...(this.args.subject === undefined ? {} : { subject: this.args.subject }),
      ...(this.args.version === undefined ? {} : { version: this.args.version }),
      ...(this.flags.id === undefined ? {} : { id: this.flags.id }),
    })
    if (!this.jsonEnabled()) {
      if (this.flags['print-schema']) this.log(schema.schema)
      else this.log(`${schemaTable(schema)}\n\n${schema.schema}`)
    }
    return schema
  }
}
