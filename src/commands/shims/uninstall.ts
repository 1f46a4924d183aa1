import { Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { defaultShimDir, uninstallShims, type ShimUninstallResult } from '../../shims/shims.js'

export default class ShimsUninstall extends KafkitCommand<typeof ShimsUninstall> {
  static override summary = 'Remove the shims "kafkit shims install" wrote (and nothing else).'
  static override description =
    'Only files recorded at install time and unchanged since are deleted; files replaced with --force are put back.'

  static override examples = [
    { description: 'From ~/.local/bin', command: '<%= config.bin %> shims uninstall' },
    {
      description: 'From the directory given at install time',
      command: '<%= config.bin %> shims uninstall --dir ~/bin',
    },
    { description: 'From ~/tools/bin', command: '<%= config.bin %> shims uninstall --prefix ~/tools' },
  ]

  static override flags = {
    dir: Flags.string({
      description: `Directory the shims were installed in (default ${defaultShimDir().replace(process.env.HOME ?? '~', '~')}).`,
    }),
    prefix: Flags.string({
      description: 'The prefix given at install time (shims in PREFIX/bin).',
    }),
  }

  async run(): Promise<ShimUninstallResult> {
    const result = uninstallShims({ dir: this.flags.dir, prefix: this.flags.prefix })
    if (result.removed.length === 0 && result.kept.length === 0) {
      this.log(`No kafkit shims recorded in ${result.dir}; nothing removed.`)
      return result
    }
    this.log(`Removed ${result.removed.length} shims from ${result.dir}.`)
    for (const path of result.restored) this.log(`Restored ${path}.`)
    for (const k of result.kept) this.reporter.warn(`Left ${k.path} in place: ${k.reason}.`)
    return result
  }
}
