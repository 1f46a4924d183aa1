import type { Hook } from '@oclif/core'
import { errorJson, errorText } from '../base-command.js'
import { commandNamesOf, unknownCommandError } from '../help/suggest.js'

/**
 * A typo ("console-consume orders") gets kafkit's own error (one line, exit 2, JSON with --json) naming the closest
 * commands. Not @oclif/plugin-not-found: it asks "did you mean ...? (y/n)" on a terminal, which blocks scripts
 * and re-runs a command the user did not type.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  // oclif joins every word up to the first flag into the id, so the typo and its arguments arrive as one id.
  const words = options.id.split(':').filter(Boolean)
  // A short name of a topic alone (`kafkit sr`, for schema-registry's `sr <verb>` aliases): that topic's help, as
  // `kafkit schema-registry` shows it. oclif knows aliases of commands, not of topics.
  if (words.length === 1) {
    const aliased = options.config.commands.find((c) => c.aliases.some((a) => a.startsWith(`${words[0]}:`)))
    if (aliased) return this.config.runCommand('help', [aliased.id.split(':')[0]!])
  }
  const error = unknownCommandError(words, commandNamesOf(options.config), options.config.bin)
  if (options.argv?.includes('--json')) process.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`)
  else process.stderr.write(errorText(error))
  // An ExitError: oclif's error handler exits with this code without printing anything more.
  this.exit(error.exitCode)
}

export default hook
