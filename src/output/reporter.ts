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
  /** Show the steps that follow as one redrawn line with the elapsed time (terminal only); done() ends it. */
  compactSteps?(): void
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

  /** Compact steps: the current step and the time since the first one, redrawn on one line. */
  private compact: { started: number; step: string; timer: NodeJS.Timeout } | undefined

  constructor(private readonly options: { debug?: boolean } = {}) {}

  /**
   * On a terminal, steps share one redrawn line with the elapsed time (a warm `up` is a few quiet seconds, not a
   * screenful); without a terminal, or when asked to be verbose, each step stays a line of its own (logs, CI).
   */
  compactSteps(): void {
    if (!process.stderr.isTTY || this.options.debug) return
    const timer = setInterval(() => this.drawCompact(), 200)
    timer.unref()
    this.compact = { started: Date.now(), step: '', timer }
  }

  info(message: string): void {
    this.write(message)
  }

  warn(message: string): void {
    this.write(`${this.color.yellow('Warning:')} ${message}`)
  }

  step(message: string): void {
    if (this.compact) {
      this.compact.step = message
      this.drawCompact()
      return
    }
    this.write(`${this.color.cyan('›')} ${message}`)
  }

  private drawCompact(): void {
    if (!this.compact) return
    const seconds = `${((Date.now() - this.compact.started) / 1000).toFixed(1)} s`
    // Kept within the terminal's width so the redraw stays on one line.
    const room = Math.max(10, (process.stderr.columns || 80) - seconds.length - 4)
    const step = this.compact.step.length > room ? `${this.compact.step.slice(0, room - 1)}…` : this.compact.step
    this.progress(`${this.color.cyan('›')} ${step} ${this.color.dim(seconds)}`)
  }

  progress(line: string): void {
    if (!process.stderr.isTTY) return
    process.stderr.write(`\r\u001B[2K${line}`)
    this.progressShown = true
  }

  done(): void {
    if (this.compact) {
      clearInterval(this.compact.timer)
      this.compact = undefined
      // The one line was only progress: leave no trace of it.
      if (this.progressShown) process.stderr.write('\r\u001B[2K')
      this.progressShown = false
      return
    }
    if (this.progressShown) process.stderr.write('\n')
    this.progressShown = false
  }

  debug(message: string): void {
    if (this.options.debug) this.write(this.color.dim(`[debug] ${message}`))
  }

  private write(line: string): void {
    if (this.compact) {
      // A warning during compact steps: print it above the step line, which is then drawn again.
      if (this.progressShown) process.stderr.write('\r\u001B[2K')
      this.progressShown = false
      process.stderr.write(`${line}\n`)
      this.drawCompact()
      return
    }
    this.done()
    process.stderr.write(`${line}\n`)
  }
}

/** For tests and library use: collects what would have been printed. */
export class SilentReporter implements Reporter {
  readonly lines: string[] = []
  info(m: string): void {
    this.lines.push(m)
  }
  warn(m: string): void {
    this.lines.push(`Warning: ${m}`)
  }
  step(m: string): void {
    this.lines.push(m)
  }
  progress(): void {}
  done(): void {}
  debug(): void {}
}
