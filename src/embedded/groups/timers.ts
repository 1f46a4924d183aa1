/**
 * Keyed timers on the coordinator's clock, like the timer of Kafka's coordinator runtime: scheduling a key again
 * replaces its timer. Deadlines are read from the injected clock, so a test can move the clock and call runDue()
 * (manual mode) instead of waiting for real time; in automatic mode one unref'd setTimeout is armed for the earliest
 * deadline so an idle broker never keeps the process alive.
 */
export class Timers {
  private readonly timers = new Map<string, { deadline: number; fn: () => void }>()
  private handle: NodeJS.Timeout | undefined
  private armedFor = Infinity
  private closed = false

  constructor(
    private readonly now: () => number,
    private readonly automatic: boolean,
  ) {}

  schedule(key: string, delayMs: number, fn: () => void): void {
    this.timers.set(key, { deadline: this.now() + Math.max(0, delayMs), fn })
    this.arm()
  }

  cancel(key: string): void {
    this.timers.delete(key)
  }

  has(key: string): boolean {
    return this.timers.has(key)
  }

  /** Fires every timer whose deadline has passed, earliest first (a timer may schedule others). */
  runDue(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const now = this.now()
      let dueKey: string | undefined
      let due: { deadline: number; fn: () => void } | undefined
      for (const [key, timer] of this.timers) {
        if (timer.deadline <= now && (due === undefined || timer.deadline < due.deadline)) {
          dueKey = key
          due = timer
        }
      }
      if (dueKey === undefined || due === undefined) break
      this.timers.delete(dueKey)
      due.fn()
    }
    this.arm()
  }

  close(): void {
    this.closed = true
    this.timers.clear()
    if (this.handle) clearTimeout(this.handle)
    this.handle = undefined
  }

  private arm(): void {
    if (!this.automatic || this.closed) return
    let earliest = Infinity
    for (const timer of this.timers.values()) earliest = Math.min(earliest, timer.deadline)
    if (earliest === Infinity) {
      if (this.handle) clearTimeout(this.handle)
      this.handle = undefined
      this.armedFor = Infinity
      return
    }
    if (this.handle && this.armedFor <= earliest) return
    if (this.handle) clearTimeout(this.handle)
    this.armedFor = earliest
    this.handle = setTimeout(
      () => {
        this.handle = undefined
        this.armedFor = Infinity
        this.runDue()
      },
      Math.max(0, earliest - this.now()),
    )
    this.handle.unref()
  }
}
