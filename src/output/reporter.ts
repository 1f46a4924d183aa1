import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk'

/**
 * Progress, warnings and notices for a human. Always stderr, so stdout stays the command's result
 * (pipes and --json stay clean). Domain code receives a Reporter instead of printing.
 */
export interface Reporter {
  info(message: string): void
  warn(message: string): void
  /** A step of a longer operation ("Starting broker 1"). */
  step(message: string): void
  /** Overwritable one-line progress (download bars). Ignored when stderr is not a terminal. */
  progress(line: string): void
  /** Finish any progress line. */
  done(): void
  debug(message: string): void
}

export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  const enabled = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb'
  return new Chalk({ level: enabled ? (supportsColorStderr ? supportsColorStderr.level : 1) : 0 })
}

export class StderrReporter implements Reporter {
  private readonly color = colorsFor(process.stderr)
  private progressShown = false

  constructor(private readonly options: { debug?: boolean; quiet?: boolean } = {}) {}

  info(message: string): void {
    if (!this.options.quiet) this.write(message)
  }

  warn(message: string): void {
    this.write(`${this.color.yellow('Warning:')} ${message}`)
  }

  step(message: string): void {
    if (!this.options.quiet) this.write(`${this.color.cyan('›')} ${message}`)
  }

  progress(line: string): void {
    if (!process.stderr.isTTY || this.options.quiet) return
    process.stderr.write(`\r\u001B[2K${line}`)
    this.progressShown = true
  }

  done(): void {
    if (this.progressShown) process.stderr.write('\n')
    this.progressShown = false
  }

  debug(message: string): void {
    if (this.options.debug) this.write(this.color.dim(`[debug] ${message}`))
  }

  private write(line: string): void {
    this.done()
    process.stderr.write(`${line}\n`)
  }
}

/** For tests and library use: collects what would have been printed. */
export class SilentReporter implements Reporter {
  readonly lines: string[] = []
  info(m: string): void { this.lines.push(m) }
  warn(m: string): void { this.lines.push(`Warning: ${m}`) }
  step(m: string): void { this.lines.push(m) }
  progress(): void {}
  done(): void {}
  debug(): void {}
}
