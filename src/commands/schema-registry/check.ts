import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { ExitCode } from '../../errors.js'
import { registryCommandFlags } from '../../flags.js'
import type { CheckResult } from '../../schemas/service.js'

export default class SchemaRegistryCheck extends KafkitCommand<typeof SchemaRegistryCheck> {
  static override summary = "Check a schema file against a subject's compatibility rule, without registering it."
  static override description = 'Exit code 0 when compatible, 1 when not (with the reasons the registry gives).'
  static override aliases = ['sr:check']
  static override deprecateAliases = false
  static override examples = ['<%= config.bin %> schema-registry check orders-value order-v2.avsc']
  static override args = {
    subject: Args.string({ description: 'Subject.', required: true }),
    file: Args.string({ description: 'Schema file.', required: true }),
  }
  static override flags = {
    ...registryCommandFlags,
    type: Flags.string({ description: 'avro, protobuf or json (JSON Schema); default from the file.' }),
    version: Flags.string({ description: 'Version to check against (default latest).' }),
    reference: Flags.string({ description: 'A reference NAME=SUBJECT:VERSION (repeatable).', multiple: true }),
  }

  async run(): Promise<CheckResult> {
    const { registryFromFlags, checkSchema } = await import('../../schemas/service.js')
    const { checkText } = await import('../../schemas/views.js')
    const result = await checkSchema(registryFromFlags(this.flags), this.args.subject, this.args.file, {
      ...(this.flags.type === undefined ? {} : { type: this.flags.type }),
      ...(this.flags.version === undefined ? {} : { version: this.flags.version }),
      ...(this.flags.reference === undefined ? {} : { references: this.flags.reference }),
    })
    if (!this.jsonEnabled()) this.log(checkText(result))
    return this.finish(result, result.compatible ? ExitCode.ok : ExitCode.failure)
  }
}
