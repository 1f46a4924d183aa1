import { UsageError } from '../errors.js'

/** What the CLI knows by name: each command with its aliases, and the topics (`broker`, `install`...). */
export interface CommandNames {
  commands: Array<{ id: string; aliases: string[] }>
  topics: string[]
}

/**
 * Optimal string alignment distance (Levenshtein plus the swap of two neighbours): "cosnumer" is one typo from
 * "consumer", as a person sees it, not two.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

const MAX_SUGGESTIONS = 3

/**
 * The commands (space-separated names, as typed) a mistyped command line most likely meant, best first.
 * `words` is what oclif could not resolve, e.g. ['console-consume', 'orders'] or ['broker', 'stp']: each name is
 * compared with as many leading words as it has, so an argument after the typo does not spoil the match.
 * A name counts when it is within about one typo per four letters (of its last word), or when the typed word starts
 * it ("console") or is a part of it ("produce").
 * Aliases count too (someone typing kafka-topic means the script name), but one command is suggested once.
 */
export function suggestCommands(words: string[], names: CommandNames): string[] {
  const typed = words.map((w) => w.toLowerCase())
  // "broker stp": the topic is typed right, the typo is in its command; broker-api-versions is no candidate.
  const topic = typed.length > 1 && names.topics.includes(typed[0]!) ? typed[0] : undefined
  const scored: Array<{ name: string; target: string; distance: number }> = []
  const consider = (name: string, target: string) => {
    if (topic !== undefined && !name.toLowerCase().startsWith(`${topic} `)) return
    const parts = name.split(' ')
    if (parts.length > typed.length) return
    const input = typed.slice(0, parts.length).join(' ')
    const lower = name.toLowerCase()
    const distance = editDistance(input, lower)
    // "console" or "produce": part of a name, as a newcomer remembers it.
    const part = (input.length >= 3 && lower.startsWith(input)) || (input.length >= 4 && lower.includes(input))
    // The allowance comes from the last word only: "broker" typed right must not buy typos in "stp".
    const allowed = Math.max(1, Math.floor(parts.at(-1)!.length / 4))
    if (distance > 0 && (distance <= allowed || part)) scored.push({ name, target, distance })
  }
  for (const command of names.commands) {
    consider(command.id, command.id)
    for (const alias of command.aliases) consider(alias, command.id)
  }
  for (const topic of names.topics) consider(topic, topic)
  scored.sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
  const seen = new Set<string>()
  const best = scored.filter((s) => !seen.has(s.target) && seen.add(s.target)).map((s) => s.name)
  // "broker" adds nothing next to "broker stop".
  return best
    .filter((name) => !best.some((other) => other !== name && other.startsWith(`${name} `)))
    .slice(0, MAX_SUGGESTIONS)
}

/**
 * The error for a command line oclif could not resolve. It names what was typed up to the first unknown word
 * ("broker stp", not the arguments after it) and the closest commands.
 */
export function unknownCommandError(words: string[], names: CommandNames, bin: string): UsageError {
  let known = 0
  while (known < words.length - 1 && names.topics.includes(words.slice(0, known + 1).join(' '))) known++
  const unknown = words.slice(0, known + 1).join(' ')
  const suggestions = suggestCommands(words, names).map((name) => `${bin} ${name}`)
  const message =
    suggestions.length > 0
      ? `Unknown command "${unknown}". Did you mean: ${orList(suggestions)}?`
      : `Unknown command "${unknown}".`
  return new UsageError(message, {
    code: 'UNKNOWN_COMMAND',
    suggestions: suggestions.length > 0 ? [] : [`${bin} --help`],
  })
}

function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

/** The names oclif knows, in the shape above (topic separator a space, hidden commands left out). */
export function commandNamesOf(config: {
  commands: Array<{ id: string; aliases: string[]; hidden?: boolean }>
  topics: Array<{ name: string; hidden?: boolean }>
}): CommandNames {
  const spaced = (id: string) => id.replaceAll(':', ' ')
  return {
    // config.commands also holds one entry per alias (its id is the alias): keep the commands themselves.
    commands: config.commands
      .filter((c) => !c.hidden && !c.aliases.includes(c.id))
      .map((c) => ({ id: spaced(c.id), aliases: c.aliases.map(spaced) })),
    topics: config.topics.filter((t) => !t.hidden).map((t) => spaced(t.name)),
  }
}
