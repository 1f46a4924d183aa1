import { KafkitCommand } from '../../base-command.js'
import { fishCompletion, type CompletableCommand } from '../../help/fish-completion.js'

export default class CompletionFish extends KafkitCommand<typeof CompletionFish> {
  static override summary = 'Print fish completions for every command and flag (bash and zsh: kafkit autocomplete).'
  static override examples = ['<%= config.bin %> completion fish > ~/.config/fish/completions/kafkit.fish']
  static override enableJsonFlag = false

  async run(): Promise<void> {
    process.stdout.write(fishCompletion(this.config.bin, this.config.commands as unknown as CompletableCommand[]))
  }
}
