/**
 * The one sleep: waits `ms`, or less when `signal` aborts first. It resolves either way (callers look again at
 * what they were waiting for), so an abort never surfaces as an error of its own.
 * `unref`: the timer alone does not keep the process alive (for waits raced against work that may end first).
 */
export function sleep(ms: number, options: { signal?: AbortSignal; unref?: boolean } = {}): Promise<void> {
  const { signal } = options
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    if (options.unref) timer.unref()
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
