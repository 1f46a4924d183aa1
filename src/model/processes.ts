import { readFileSync } from 'node:fs'
import { sleep } from '../util/sleep.js'
import { runCommand } from '../util/child.js'

/**
 * OS-level process facts, shared by every launcher that runs local processes. A pid alone is not enough:
 * after a reboot or a crash the pid may belong to an unrelated process, so a process counts as ours only
 * if its command line still mentions the marker we launched it with (its properties file).
 */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means "not ours".
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function commandLineOf(pid: number): Promise<string | undefined> {
  if (process.platform === 'linux') {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
    } catch {
      return undefined
    }
  }
  const result = await runCommand('ps', ['-o', 'command=', '-p', String(pid)])
  return result.code === 0 ? result.stdout.trim() || undefined : undefined
}

/** True when `pid` is alive and still the process we started (its command line contains `marker`). */
export async function isOurProcess(pid: number | undefined, marker: string): Promise<boolean> {
  if (!pid || !pidExists(pid)) return false
  const command = await commandLineOf(pid)
  // A zombie has an empty cmdline: it is dead for our purposes.
  return command !== undefined && command.includes(marker)
}

/**
 * How often a stop looks whether the process is gone. On Linux a look is a signal 0 and a /proc read (microseconds),
 * so a short interval costs nothing and `down` returns as soon as the JVM has exited; elsewhere each look runs `ps`.
 */
const EXIT_POLL_MS = process.platform === 'linux' ? 15 : 100

/**
 * Graceful stop like Kafka's own scripts, but with a bound: SIGTERM, wait for a controlled shutdown,
 * SIGKILL when the timeout passes. Returns how it ended.
 */
export async function terminate(
  pid: number,
  marker: string,
  timeoutMs: number,
): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!(await isOurProcess(pid, marker))) return 'not-running'
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return 'not-running'
  }
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!pidExists(pid) || !(await isOurProcess(pid, marker))) return 'stopped'
    await sleep(EXIT_POLL_MS)
  }
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    return 'stopped'
  }
  while (pidExists(pid) && (await isOurProcess(pid, marker))) await sleep(EXIT_POLL_MS)
  return 'killed'
}

/** Every process whose command line matches `pattern` (used by the `*-server-stop` script mirrors). */
export async function findProcesses(pattern: RegExp): Promise<Array<{ pid: number; command: string }>> {
  const result = await runCommand('ps', ['-e', '-o', 'pid=,command=', '-ww'])
  if (result.code !== 0) return []
  const found: Array<{ pid: number; command: string }> = []
  for (const line of result.stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line)
    if (!match) continue
    const pid = Number(match[1])
    if (pid !== process.pid && pattern.test(match[2]!)) found.push({ pid, command: match[2]! })
  }
  return found
}
