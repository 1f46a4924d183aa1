import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { registryCommandFlags } from '../../flags.js'
import type { RegisterResult } from '../../schemas/service.js'

export default class SchemaRegistryRegister extends KafkitCommand<typeof SchemaRegistryRegister> {
  static override summary = 'Register a schema file (.avsc, .proto, .json) under a subject.'
  static override description = `The type comes from --type, else the file's extension (.avsc Avro, .proto Protobuf), else its text.
A .proto file's imports (found beside it) are registered first, each under its import path, and referenced.
Registering a schema the subject already has returns its id (the registry's rule); an incompatible one fails (exit 1).`
  static override aliases = ['sr:register']
  static override deprecateAliases = false
  static override examples = [
    '<%= config.bin %> schema-registry register orders-value order.avsc',
    '<%= config.bin %> schema-registry register payments-value payment.proto',
    '<%= config.bin %> schema-registry register users-value user.schema.json --type json',
  ]
  static override args = {
    subject: Args.string({
      description: 'Subject, e.g. orders-value (TOPIC-value is what the console tools use).',
      required: true,
    }),
    file: Args.string({ description: 'Schema file.', required: true }),
  }
  static override flags = {
    ...registryCommandFlags,
    type: Flags.string({ description: 'avro, protobuf or json (JSON Schema).' }),
    reference: Flags.string({
      description: 'A reference NAME=SUBJECT:VERSION (repeatable), e.g. common.proto=common.proto:1.',
      multiple: true,
    }),
  }

  async run(): Promise<RegisterResult> {
    const { registryFromFlags, registerSchema } = await import('../../schemas/service.js')
    const { registerText } = await import('../../schemas/views.js')
    const result = await registerSchema(registryFromFlags(this.flags), this.args.subject, this.args.file, {
      ...(this.flags.type === undefined ? {} : { type: this.flags.type }),
      ...(this.flags.reference === undefined ? {} : { references: this.flags.reference }),
    })
    if (!this.jsonEnabled()) this.log(registerText(result))
    return result
  }
}
