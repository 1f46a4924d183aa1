/**
 * Ctrl-C always wins. Every long-running command (console-consumer, console-producer, lag and consumer-groups
 * --watch, logs -f, up) stops in two steps: the first SIGINT or SIGTERM asks it to stop cleanly (commit what was
 * printed, send what was read, stop what `up` launched); a second one, or the grace period after the first, exits at
 * once with 130. A clean stop can wait on things kafkit does not control: a pipe whose reader stopped reading (`less`,
 * a stalled script) never drains, a broker that went away never answers the final commit.
 *
 * Besides oclif's root, this is the one place that exits the process, on purpose: a write to a stalled pipe never
 * completes and keeps the event loop alive, so no error thrown or returned from here would ever end the process.
 */
import { writeSync } from 'node:fs'
import { ExitCode } from './errors.js'

/** How long a clean stop may take before kafkit gives up on it (the consumer's commit, the producer's flush). */
export const STOP_GRACE_MS = 5000

interface InterruptOptions {
  /** Starts the clean stop; called once, on the first signal. */
  stop: () => void
  /** Exit at once this long after the first signal; null waits for a second signal only. Default STOP_GRACE_MS. */
  graceMs?: number | null
  /** What the clean stop had done when it was cut short, for the last line ("12 records printed, ..."). */
  progress?: () => string | undefined
  /** Runs just before the last line is written (a redrawn progress line must be cleared first). */
  beforeExit?: () => void
}

interface InterruptHandle {
  readonly interrupted: boolean
  /** Stops listening; after a first signal the listeners stay, so a second one or the grace timer still ends the process. */
  release(): void
}

export function handleInterrupts(options: InterruptOptions): InterruptHandle {
  let signals = 0
  let timer: NodeJS.Timeout | undefined
  const exitNow = (why: string) => {
    clearTimeout(timer)
    let detail: string | undefined
    try {
      options.beforeExit?.()
      detail = options.progress?.()
    } catch {
      // The last line is a courtesy; exiting is the point.
    }
    // A synchronous write: process.exit does not wait for stderr when it is a pipe.
    const clear = process.stderr.isTTY ? '\r\u001B[2K' : ''
    try {
      writeSync(2, `${clear}${why}: exiting now${detail ? ` (${detail})` : ''}.\n`)
    } catch {
      // stderr closed: nothing to tell.
    }
    process.exit(ExitCode.interrupted)
  }
  const onSignal = () => {
    signals++
    if (signals > 1) {
      exitNow('Interrupted again')
      return
    }
    const grace = options.graceMs === undefined ? STOP_GRACE_MS : options.graceMs
    if (grace !== null) {
      // Unref'd: a clean stop that ends in time must not be held for it; a process held by a stalled write still fires it.
      timer = setTimeout(() => exitNow(`Stopping took longer than ${grace / 1000} s`), grace)
      timer.unref()
    }
    options.stop()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    get interrupted() {
      return signals > 0
    },
    release() {
      if (signals > 0) return
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

/**
 * Runs work that hands back a stop control once it has one (a consumer, a verifier): the first Ctrl-C stops it
 * cleanly, also when it comes before the control exists; the rest is handleInterrupts'.
 */
export async function runStoppable<R>(
  work: (onControl: (control: { stop(): void }) => void) => Promise<R>,
  options: Omit<InterruptOptions, 'stop'> = {},
): Promise<R> {
  let control: { stop(): void } | undefined
  const interrupts = handleInterrupts({ ...options, stop: () => control?.stop() })
  try {
    return await work((c) => {
      control = c
      if (interrupts.interrupted) c.stop()
    })
  } finally {
    interrupts.release()
  }
}
