import { Command, Errors, Flags, Interfaces } from '@oclif/core'
import { withTarget } from './output/commands.js'
import { colorsFor, StderrReporter, type Reporter } from './output/reporter.js'
import { ExitCode, InterruptedError, KafkitError, UsageError, errorMessage } from './errors.js'

type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof KafkitCommand)['baseFlags'] & T['flags']>
type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every kafkit command extends this: `--json` (whatever run() returns is the JSON result), `--debug`,
 * and the single error path that turns any failure into one line, suggestions and an exit code.
 */
export abstract class KafkitCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    debug: Flags.boolean({
      description: 'Show stack traces and client logs.',
      helpGroup: 'GLOBAL',
      default: false,
    }),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  protected reporter!: Reporter
  /** Every positional argument in order, the declared ones included (what a `strict = false` command reads). */
  protected positionals: string[] = []

  public override async init(): Promise<void> {
    await super.init()
    // Parse errors must go through our catch (exit 2), so parse here rather than in each run().
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof KafkitCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      // oclif fills a missing argument from piped stdin; Kafka's scripts never do, and for kafkit stdin is data
      // (records for console-producer), so no argument may read it.
      args: Object.fromEntries(
        Object.entries(this.ctor.args ?? {}).map(([name, arg]) => [name, { ...arg, ignoreStdin: true }]),
      ),
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.positionals = argv as string[]
    this.reporter = new StderrReporter({ debug: this.debugEnabled })
  }

  /**
   * The one way a command ends with a result that is no full success (some topics or groups failed, a group asked
   * for does not exist, Ctrl-C): the result is printed as a returned one would be (the JSON document with --json;
   * the command has printed its text already), then kafkit exits with `exitCode`. Failures without a result throw.
   */
  protected finish<R>(result: R, exitCode: number): R {
    if (exitCode === ExitCode.ok) return result
    if (result !== undefined && this.jsonEnabled()) this.logJson(result)
    return this.exit(exitCode)
  }

  protected get debugEnabled(): boolean {
    return (
      Boolean((this.flags as { debug?: boolean } | undefined)?.debug) ||
      process.env.KAFKIT_DEBUG === '1' ||
      this.argv.includes('--debug')
    )
  }

  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    // oclif signals a normal `this.exit()` (see finish()) with an ExitError; let it through untouched.
    if (err instanceof Errors.ExitError) throw err
    const error = toKafkitError(err)
    // Hints built deep in domain code do not know --stack / --bootstrap-server; add them so they run as printed.
    const flags = this.flags as { stack?: string; 'bootstrap-server'?: string } | undefined
    const target = { stack: flags?.stack, bootstrapServer: flags?.['bootstrap-server'] }
    error.suggestions.splice(0, error.suggestions.length, ...error.suggestions.map((s) => withTarget(s, target)))
    if (this.argv.includes('--json') || this.jsonEnabled()) this.logJson(errorJson(error))
    else process.stderr.write(errorText(error, this.debugEnabled ? (err.stack ?? '') : undefined))
    return this.exit(error.exitCode)
  }
}

/** The --json error document, the same for every failure (the command line's own and oclif's). */
export function errorJson(error: KafkitError) {
  return {
    status: 'error',
    error: {
      code: error.code,
      message: error.message,
      exitCode: error.exitCode,
      suggestions: error.suggestions,
      details: error.details,
    },
  }
}

/**
 * The human form of an error: one line, its details, then what to try; for stderr, coloured only on a terminal.
 * Shared with the command_not_found hook, which runs before any command exists to catch its error.
 */
export function errorText(error: KafkitError, stack?: string): string {
  const color = colorsFor(process.stderr)
  const lines = [error instanceof InterruptedError ? error.message : `${color.red('Error:')} ${error.message}`]
  for (const detail of error.details) lines.push(`  ${detail}`)
  for (const suggestion of error.suggestions) lines.push(`${color.dim('Try:')} ${suggestion}`)
  if (stack !== undefined) lines.push(color.dim(stack))
  return `${lines.join('\n')}\n`
}

/** Maps oclif's parse errors (unknown flag, missing argument...) to usage errors, everything else to failures. */
export function toKafkitError(err: Error & { oclif?: { exit?: number } }): KafkitError {
  // oclif rewrites the message of an error thrown by a flag's parse() to "Parsing --x \n\t<message>\nSee more help...".
  const parsing = /^Parsing (--\S+)\s*\n\t?([^\n]*)/.exec(errorMessage(err))
  if (err instanceof KafkitError) {
    if (parsing) err.message = parsing[2]!.trim()
    return err
  }
  if (parsing) {
    return new UsageError(`Invalid ${parsing[1]}: ${parsing[2]!.trim()}`, {
      suggestions: ['Run the command with --help to see its flags.'],
    })
  }
  // oclif's parse errors (unknown flag, missing argument, bad option...) are CLIErrors carrying the parse input.
  if ((err instanceof Errors.CLIError && 'parse' in err) || err.oclif?.exit === ExitCode.usage) {
    return new UsageError(oclifUsageMessage(errorMessage(err)), {
      suggestions: ['Run the command with --help to see its flags.'],
    })
  }
  return new KafkitError(errorMessage(err).split('\n')[0] ?? 'Unexpected error', { cause: err })
}

/**
 * One line from an oclif parse error, which spans several: "Nonexistent flag: --x\nSee more help with --help",
 * "The following error occurred:\n  Missing required flag topic\n...", "Missing 1 required arg:\nid  Broker id.\n...".
 * A heading that ends in a colon is joined with what follows it (a missing flag or argument is named).
 */
export function oclifUsageMessage(message: string): string {
  const lines = message
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '' && !line.startsWith('See more help'))
  const [first = 'Invalid usage', ...rest] = lines
  if (/^The following errors? occurred:$/.test(first) && rest.length > 0) return rest.join('; ')
  if (first.endsWith(':') && rest.length > 0) return `${first} ${rest.join(', ')}`
  return first
}
