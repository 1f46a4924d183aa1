/**
 * fish completion, generated from the commands' own definitions. oclif's autocomplete plugin (bash, zsh) has no fish
 * support in the line that runs on @oclif/core 4 and Node 20, and fish's `complete` format is small enough to write.
 */
export interface CompletableCommand {
  id: string
  summary?: string
  hidden?: boolean
  flags: Record<string, { char?: string; summary?: string; description?: string; hidden?: boolean; type: string }>
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0]!.slice(0, 100)

export function fishCompletion(bin: string, commands: CompletableCommand[]): string {
  const lines = [
    `# fish completion for ${bin}: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish`,
    `complete -c ${bin} -f`,
  ]
  const visible = commands.filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id))
  const topics = new Set(visible.filter((c) => c.id.includes(':')).map((c) => c.id.split(':')[0]!))
  for (const topic of topics) lines.push(`complete -c ${bin} -n __fish_use_subcommand -a ${quote(topic)}`)
  for (const command of visible) {
    const words = command.id.split(':')
    const condition = words.length === 1 ? '__fish_use_subcommand' : `'__fish_seen_subcommand_from ${words[0]}'`
    lines.push(
      `complete -c ${bin} -n ${condition} -a ${quote(words[words.length - 1]!)} -d ${quote(firstLine(command.summary))}`,
    )
    for (const [name, flag] of Object.entries(command.flags)) {
      if (flag.hidden) continue
      const short = flag.char ? ` -s ${flag.char}` : ''
      const value = flag.type === 'option' ? ' -r' : ''
      lines.push(
        `complete -c ${bin} -n '__fish_seen_subcommand_from ${words[words.length - 1]}' -l ${name}${short}${value} -d ${quote(firstLine(flag.summary ?? flag.description))}`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}
