import { Args } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { showHelp } from '../help/show.js'

export default class Help extends KafkitCommand<typeof Help> {
  static override summary = 'Show help for kafkit or one of its commands (same as --help or -h).'
  static override examples = [
    '<%= config.bin %> help topics',
    '<%= config.bin %> help broker stop',
    '<%= config.bin %> topics -h',
  ]
  static override args = {
    command: Args.string({ description: "Command (several words for a topic's command: broker stop)." }),
  }
  // Help is text for a person; there is no result to print as JSON (errors still follow --json).
  static override enableJsonFlag = false
  // A topic's command is several words (help broker stop).
  static override strict = false

  async run(): Promise<void> {
    await showHelp(
      this.config,
      this.argv.filter((arg) => !arg.startsWith('-')),
    )
  }
}
