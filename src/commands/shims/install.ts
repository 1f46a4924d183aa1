import { Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { defaultShimDir, installShims, type ShimInstallResult } from '../../shims/shims.js'

export default class ShimsInstall extends KafkitCommand<typeof ShimsInstall> {
  static override summary =
    'Put kafka-topics, kafka-console-consumer ... (and their .sh names) on your PATH, running kafkit.'
  static override description = `Writes small executables named like Kafka's scripts, one for every script kafkit mirrors (every command
answering to a kafka-*, zookeeper-* or connect-* name), each with and without .sh, that run this kafkit with this node,
so existing scripts and habits work without Java. What is written is recorded under KAFKIT_HOME; "kafkit shims
uninstall" removes exactly those files. A file kafkit did not write is never overwritten unless --force (it is then
kept aside and restored by uninstall).`

  static override examples = [
    { description: 'Into ~/.local/bin', command: '<%= config.bin %> shims install' },
    {
      description: 'Into another directory, then use the script names',
      command:
        '<%= config.bin %> shims install --dir ~/bin && kafka-topics.sh --bootstrap-server localhost:9092 --list',
    },
    {
      description: 'Into ~/tools/bin (like npm --prefix)',
      command: '<%= config.bin %> shims install --prefix ~/tools',
    },
  ]

  static override flags = {
    dir: Flags.string({
      description: `Directory to write the shims to (default ${defaultShimDir().replace(process.env.HOME ?? '~', '~')}).`,
    }),
    prefix: Flags.string({
      description: 'Install under this prefix, in PREFIX/bin (as npm does with --prefix).',
    }),
    force: Flags.boolean({
      description: 'Replace files kafkit did not write (kept as NAME.kafkit-backup, restored by uninstall).',
    }),
  }

  async run(): Promise<ShimInstallResult> {
    const result = installShims({
      commands: this.config.commands,
      dir: this.flags.dir,
      prefix: this.flags.prefix,
      force: this.flags.force,
    })
    const replaced = result.files.filter((f) => f.action === 'replaced')
    this.log(`Installed ${result.files.length} shims in ${result.dir}: ${result.files.map((f) => f.name).join(' ')}`)
    for (const f of replaced) this.reporter.warn(`Replaced ${f.path} (kept as ${f.path}.kafkit-backup).`)
    if (!result.onPath) {
      this.reporter.warn(
        `${result.dir} is not on your PATH, so the shims are only reachable by full path. Add it, e.g.: export PATH="${result.dir}:$PATH"`,
      )
    }
    for (const s of result.shadowed)
      this.reporter.warn(`${s.name} resolves to ${s.by}, which comes before ${result.dir} on your PATH.`)
    return result
  }
}
