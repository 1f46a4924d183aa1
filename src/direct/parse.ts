/**
 * The command-line parser of the direct path: oclif's own rules (lib/parser/parse.js of @oclif/core 4) for the flag
 * and argument features kafkit's direct commands use, and nothing else. It never reports an error itself: whatever it
 * does not accept (an unknown or repeated flag, a missing or bad value, a flag feature it does not implement, help)
 * throws NotDirect, and kafkit runs the command line again through oclif, which prints its usual message. So a
 * command line either parses here exactly as oclif would parse it, or goes to oclif.
 *
 * Written rather than taken from oclif because oclif's parser cannot be loaded alone: its modules require oclif's
 * help, configuration and error printing (the whole of @oclif/core, about 55 ms of a 150 ms start on Node 20).
 * test/unit/direct.test.ts runs both parsers over the same command lines with the real flag definitions.
 */

/** oclif's flag definition, as Flags.boolean/string/integer/custom build it (only the fields read here). */
export interface FlagDefinition {
  type: 'boolean' | 'option'
  char?: string
  aliases?: string[]
  charAliases?: string[]
  multiple?: boolean
  multipleNonGreedy?: boolean
  options?: readonly string[]
  default?: unknown
  env?: string
  allowNo?: boolean
  parse?: (input: never, context: unknown, options: never) => Promise<unknown>
  [other: string]: unknown
}

export interface ArgDefinition {
  options?: readonly string[]
  default?: unknown
  multiple?: boolean
  required?: boolean
  ignoreStdin?: boolean
  parse?: (input: string, context: unknown, options: never) => Promise<unknown>
  [other: string]: unknown
}

export interface ParseInput {
  flags: Record<string, FlagDefinition>
  args: Record<string, ArgDefinition>
  strict?: boolean
}

export interface ParseOutput {
  flags: Record<string, unknown>
  args: Record<string, unknown>
}

/** The command line is not one the direct path takes: run it through oclif. */
export class NotDirect extends Error {
  constructor(reason: string) {
    super(`not direct: ${reason}`)
  }
}

/** Flag definition fields whose meaning this parser does not implement: a command using one goes to oclif. */
const UNSUPPORTED_FLAG_FIELDS = [
  'delimiter',
  'exclusive',
  'dependsOn',
  'exactlyOne',
  'relationships',
  'combinable',
  'required',
  'allowStdin',
  'deprecated',
  'deprecateAliases',
]
const HELP_FLAGS = ['--help', '-h']

export async function parseDirect(argv: string[], input: ParseInput, context: unknown = {}): Promise<ParseOutput> {
  const flags = input.flags
  for (const [name, flag] of Object.entries(flags)) {
    const unsupported = UNSUPPORTED_FLAG_FIELDS.find((field) => flag[field] !== undefined && flag[field] !== false)
    if (unsupported) throw new NotDirect(`--${name} has ${unsupported}`)
    if (flag.multiple && !flag.multipleNonGreedy) throw new NotDirect(`--${name} is greedy`)
    if (flag.type === 'boolean' && flag.allowNo) throw new NotDirect(`--${name} allows --no-`)
  }
  const argEntries = Object.entries(input.args)
  if (argEntries.some(([, arg]) => arg.multiple || arg.required)) throw new NotDirect('variadic or required argument')

  const aliases = new Map<string, string>()
  for (const [name, flag] of Object.entries(flags))
    for (const alias of [...(flag.aliases ?? []), ...(flag.charAliases ?? [])]) aliases.set(alias, name)
  const findFlag = (arg: string): { isLong: boolean; name?: string } => {
    if (arg.startsWith('--')) {
      const name = arg.slice(2)
      return { isLong: true, name: flags[name] ? name : aliases.get(name) }
    }
    if (arg.startsWith('-')) {
      const char = arg[1]
      if (char === undefined) return { isLong: false }
      const name =
        aliases.get(char) ?? Object.keys(flags).find((k) => flags[k]!.char !== undefined && flags[k]!.char === char)
      return { isLong: false, name }
    }
    return { isLong: false }
  }

  const tokens: Array<{ flag: string; input: string }> = []
  const argTokens: string[] = []
  const rest = [...argv]
  const parseFlag = (arg: string): boolean => {
    const { isLong, name } = findFlag(arg)
    if (name === undefined) {
      const equals = arg.indexOf('=')
      if (equals === -1) return false
      rest.unshift(arg.slice(equals + 1))
      if (parseFlag(arg.slice(0, equals))) return true
      rest.shift()
      return false
    }
    const flag = flags[name]!
    if (flag.type === 'option') {
      if (!flag.multiple && tokens.some((t) => t.flag === name)) throw new NotDirect(`--${name} repeated`)
      const value = isLong || arg.length < 3 ? rest.shift() : arg.slice(arg[2] === '=' ? 3 : 2)
      if (typeof value !== 'string' || findFlag(value).name !== undefined) throw new NotDirect(`--${name} has no value`)
      tokens.push({ flag: name, input: value })
    } else {
      tokens.push({ flag: name, input: arg })
      // -yb: the other short flags, in turn
      if (!isLong && arg.length > 2) rest.unshift(`-${arg.slice(2)}`)
    }
    return true
  }

  while (rest.length > 0) {
    const arg = rest.shift()!
    if (HELP_FLAGS.includes(arg)) throw new NotDirect('help')
    if (arg === '--') throw new NotDirect('--')
    if (arg.startsWith('-') && arg !== '-') {
      if (parseFlag(arg)) continue
      // oclif reads a negative number as an argument, anything else starting with - as an unknown flag
      if (!/^-\d/.test(arg)) throw new NotDirect(`unknown flag ${arg}`)
    }
    argTokens.push(arg)
  }

  const parsed: Record<string, unknown> = {}
  const parseValue = async (name: string, flag: FlagDefinition, value: string): Promise<unknown> => {
    if (flag.options && !flag.options.includes(value)) throw new NotDirect(`--${name} ${value} is not an option`)
    try {
      return flag.parse ? await flag.parse(value as never, context, { ...flag, name } as never) : value
    } catch {
      throw new NotDirect(`--${name} ${value} does not parse`)
    }
  }
  for (const [name, flag] of Object.entries(flags)) {
    const given = tokens.filter((t) => t.flag === name)
    let value: unknown
    if (given.length > 0) {
      if (flag.type === 'boolean') value = flag.parse ? await flag.parse(true as never, context, flag as never) : true
      else if (flag.multiple) value = await Promise.all(given.map((t) => parseValue(name, flag, t.input)))
      else value = await parseValue(name, flag, given.at(-1)!.input)
    } else if (flag.env !== undefined && process.env[flag.env]) {
      if (flag.type === 'boolean') throw new NotDirect(`--${name} from its environment variable`)
      value = await parseValue(name, flag, process.env[flag.env]!)
    } else if (typeof flag.default === 'function') {
      throw new NotDirect(`--${name} has a computed default`)
    } else {
      value = flag.default
    }
    if (value !== undefined) parsed[name] = value
  }

  if (input.strict !== false && argTokens.length > argEntries.length) throw new NotDirect('unexpected argument')
  const args: Record<string, unknown> = {}
  for (const [index, [name, arg]] of argEntries.entries()) {
    const token = argTokens[index]
    if (token !== undefined) {
      if (arg.options && !arg.options.includes(token)) throw new NotDirect(`argument ${token} is not an option`)
      try {
        args[name] = arg.parse ? await arg.parse(token, context, { ...arg, name } as never) : token
      } catch {
        throw new NotDirect(`argument ${token} does not parse`)
      }
    } else if (!arg.ignoreStdin) {
      // oclif would read a missing argument from piped stdin
      throw new NotDirect(`argument ${name} may come from stdin`)
    } else if (typeof arg.default === 'function') {
      throw new NotDirect(`argument ${name} has a computed default`)
    } else if (arg.default || arg.default === false) {
      args[name] = arg.default
    }
  }
  return { flags: parsed, args }
}
