/**
 * The direct path: the commands of commands.ts run on oclif-lite.ts instead of oclif. oclif's start-up (loading
 * @oclif/core, its configuration, the manifest, plugins) costs about 55 ms of a 150 ms `topics --list` on Node 20.
 * scripts/build.mjs bundles each direct command into dist/direct/<id>.js, whose run() is runDirect() for that command;
 * bin/run.js calls it when the command line starts with a direct command's id or alias (KAFKIT_DIRECT=0 turns this
 * off). A command line the direct parser does not take as oclif would (help, a bad flag...) is handed back to oclif.
 */
import { NotDirect } from './parse.js'
import { ExitError, type LiteConfig } from './oclif-lite.js'

interface DirectCommand {
  id?: string
  run(argv: string[], config: LiteConfig): Promise<unknown>
}

/**
 * Runs the command; false if oclif must run the command line instead (nothing has been printed then). Ends the
 * process as oclif does: at once with the exit code of an ExitError, else when the event loop is empty.
 */
export async function runDirect(command: DirectCommand, id: string, argv: string[], root: string): Promise<boolean> {
  command.id = id
  try {
    await command.run(argv.slice(1), { bin: 'kafkit', name: 'kafkit', root })
  } catch (error) {
    if (error instanceof NotDirect) return false
    if (error instanceof ExitError) process.exit(error.oclif.exit)
    // KafkitCommand.catch turns every failure into an ExitError; this is oclif's last resort, kept as such.
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exit(1)
  }
  return true
}
