import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { UsageError } from '../errors.js'
import { stackFlag } from '../flags.js'
import { formatBytes } from '../output/table.js'
import { purgeStack, requireState, stackDiskUsage, type PurgeResult } from '../stack/service.js'

export default class Purge extends KafkitCommand<typeof Purge> {
  static override summary = "Delete a stack's data, logs and configs (stopping it first)."
  static override description = 'Asks for confirmation on a terminal; without a terminal it needs --force.'
  static override examples = ['<%= config.bin %> purge', '<%= config.bin %> purge --stack other --force']
  static override flags = {
    stack: stackFlag,
    force: Flags.boolean({ char: 'f', description: 'Do not ask for confirmation.' }),
  }

  async run(): Promise<PurgeResult> {
    const state = requireState(this.flags.stack)
    if (!this.flags.force) {
      if (!process.stdin.isTTY || !process.stderr.isTTY) {
        throw new UsageError(`Refusing to delete stack "${state.stack}" without confirmation: no terminal to ask on.`, {
          code: 'CONFIRMATION_REQUIRED',
          suggestions: [`kafkit purge --stack ${state.stack} --force`],
        })
      }
      const { confirm } = await import('@inquirer/prompts')
      const ok = await confirm(
        {
          message: `Delete stack "${state.stack}" and all its data in ${state.dir} (${formatBytes(stackDiskUsage(state))})?`,
          default: false,
        },
        { output: process.stderr },
      )
      if (!ok) throw new UsageError('Purge cancelled; nothing was deleted.', { code: 'CANCELLED' })
    }
    const result = await purgeStack(state.stack, this.reporter)
    this.log(`Deleted stack ${result.stack} (${result.deleted}).`)
    return result
  }
}
