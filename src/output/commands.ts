/**
 * Every `kafkit ...` command printed for the user (hints, suggestions, "Undo with") is built here, so that it runs as
 * printed: pasted into a shell without KAFKIT_STACK, a hint without `--stack` acts on stack "default", not on the
 * stack the user was working with.
 */
export const DEFAULT_STACK = 'default'

/** What a printed command must point at: a local stack, or the cluster given with --bootstrap-server. */
export interface CommandTarget {
  stack?: string
  /** Only when it came from the --bootstrap-server flag (KAFKIT_BOOTSTRAP_SERVER is still set when the hint is pasted). */
  bootstrapServer?: string
}

/** `kafkit <args>` plus `--bootstrap-server X` or `--stack NAME` when the target is not the default stack. */
export function kafkitCommand(args: string, target: CommandTarget = {}): string {
  const parts = ['kafkit', args.trim()].filter(Boolean)
  if (target.bootstrapServer) parts.push(`--bootstrap-server ${target.bootstrapServer}`)
  else if (target.stack && target.stack !== DEFAULT_STACK) parts.push(`--stack ${target.stack}`)
  return parts.join(' ')
}

/**
 * A suggestion that is a kafkit command (alone, or after a short label such as "List topics: ") gets the target the
 * user was working with, unless it names one already. Domain errors are built without knowing the flags; the base
 * command applies this to every suggestion it prints, so they all run as printed.
 */
const STACK_COMMANDS = new Set(['up', 'down', 'restart', 'status', 'logs', 'purge', 'broker'])
/** Commands that talk to a cluster: they take --stack and --bootstrap-server. */
const DATA_COMMANDS = new Set([
  'topics',
  'console-producer',
  'console-consumer',
  'consumer-groups',
  'groups',
  'lag',
  'get-offsets',
  'configs',
])

export function withTarget(suggestion: string, target: CommandTarget): string {
  const match = /^((?:[A-Z][^:]{0,40}: )?)(kafkit [\w@%+=:,./ -]+)$/.exec(suggestion)
  if (!match || /--(stack|bootstrap-server)\b/.test(match[2]!)) return suggestion
  const args = match[2]!.slice('kafkit '.length)
  const command = args.split(' ')[0]!
  // Stack commands take no --bootstrap-server (they are about local stacks); install, doctor, shims take neither.
  if (STACK_COMMANDS.has(command)) return `${match[1]}${kafkitCommand(args, { stack: target.stack })}`
  if (DATA_COMMANDS.has(command)) return `${match[1]}${kafkitCommand(args, target)}`
  return suggestion
}
