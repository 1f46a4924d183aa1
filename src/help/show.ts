import { loadHelpClass, type Config } from '@oclif/core'
import { commandNamesOf, unknownCommandError } from './suggest.js'

/**
 * `kafkit help [COMMAND...]`: oclif's own help (the same text as --help, with the package.json help options), after
 * checking the name, so a typo gets kafkit's "did you mean" rather than oclif's bare "command not found".
 */
export async function showHelp(config: Config, words: string[]): Promise<void> {
  if (words.length > 0 && !config.findCommand(words.join(':')) && !config.findTopic(words.join(':'))) {
    throw unknownCommandError(words, commandNamesOf(config), config.bin)
  }
  const Help = await loadHelpClass(config)
  await new Help(config, config.pjson.oclif.helpOptions ?? config.pjson.helpOptions).showHelp(words)
}
