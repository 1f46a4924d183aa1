/**
 * One error family for the whole CLI. Domain code throws these; only the base command turns them into
 * a one-line message, suggestions and an exit code, so nothing deep inside kafkit exits the process.
 */

/** Exit codes are part of the public contract (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  prerequisite: 3,
  /** 128 + SIGINT, what a shell reports for a program Ctrl-C ended; also used after SIGTERM (see src/signals.ts). */
  interrupted: 130,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

interface KafkitErrorOptions {
  /** Things the user can do next, printed under the message. */
  suggestions?: string[]
  /** Extra lines shown after the message (for example the tail of a broker log). */
  details?: string[]
  cause?: unknown
  /** A stable machine-readable name for the --json error output. */
  code?: string
}

export class KafkitError extends Error {
  readonly exitCode: ExitCode = ExitCode.failure
  readonly suggestions: string[]
  readonly details: string[]
  readonly code: string

  constructor(message: string, options: KafkitErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = new.target.name
    this.suggestions = options.suggestions ?? []
    this.details = options.details ?? []
    this.code = options.code ?? 'KAFKIT_FAILURE'
  }
}

/** Bad flags, arguments or input: exit 2, like a shell builtin's usage error. */
export class UsageError extends KafkitError {
  override readonly exitCode = ExitCode.usage
  constructor(message: string, options: KafkitErrorOptions = {}) {
    super(message, { code: 'KAFKIT_USAGE', ...options })
  }
}

/** Something kafkit needs is not installed or not usable (Java, a Kafka distribution, Docker, Homebrew): exit 3. */
export class PrerequisiteError extends KafkitError {
  override readonly exitCode = ExitCode.prerequisite
  constructor(message: string, options: KafkitErrorOptions = {}) {
    super(message, { code: 'KAFKIT_PREREQUISITE', ...options })
  }
}

/**
 * Ctrl-C or SIGTERM ended the operation: exit 130. The message says what was cleaned up or left behind; it is no
 * failure of kafkit's, so it is printed without the "Error:" label.
 */
export class InterruptedError extends KafkitError {
  override readonly exitCode = ExitCode.interrupted
  constructor(message: string, options: KafkitErrorOptions = {}) {
    super(message, { code: 'INTERRUPTED', ...options })
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
