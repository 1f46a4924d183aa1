/**
 * Child processes, started one way. `runCommand` runs a program to completion through execa (lazily loaded: most
 * commands never start one) and never throws: callers turn a failure into an error that carries the program's own
 * words. `startDetached` starts a long-lived process (a broker, a controller) that outlives kafkit; execa adds
 * nothing to a process nobody waits for, so that one is node's spawn.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { KafkitError } from '../errors.js'

export interface RunResult {
  /** The exit code; 127 when the program could not be started at all. */
  code: number
  stdout: string
  stderr: string
  /** stdout and stderr in arrival order (what a terminal would have shown). */
  output: string
  /** The program itself was not found. */
  missing: boolean
  timedOut: boolean
}

interface RunOptions {
  env?: NodeJS.ProcessEnv
  /** false: `env` is the whole environment (the default adds it to kafkit's own). */
  extendEnv?: boolean
  cwd?: string
  /** Killed (SIGKILL) after this long; stderr then says so. */
  timeoutMs?: number
  /** Called with every non-empty output line as it arrives (progress of a pull, a download). */
  onLine?: (line: string) => void
}

export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { execa } = await import('execa')
  const onLine = options.onLine
  // An execa transform sees every line once and passes it on unchanged, so the buffered result stays whole.
  const tap = onLine
    ? function* (line: unknown) {
        for (const part of String(line).split('\r')) if (part.trim()) onLine(part)
        yield line
      }
    : undefined
  const result = await execa(command, args, {
    reject: false,
    all: true,
    stdin: 'ignore',
    maxBuffer: 64 * 1024 * 1024,
    ...(options.env ? { env: options.env } : {}),
    ...(options.extendEnv === false ? { extendEnv: false } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    ...(tap ? { stdout: tap, stderr: tap } : {}),
  })
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const missing = (result as { code?: string }).code === 'ENOENT'
  let stderr = text(result.stderr)
  if (result.timedOut) stderr += `\n${command} ${args[0] ?? ''} did not finish within ${options.timeoutMs! / 1000}s`
  if (result.exitCode === undefined && !result.timedOut && !stderr)
    stderr = (result as { originalMessage?: string }).originalMessage ?? result.message ?? ''
  return {
    code: result.exitCode ?? (result.timedOut ? 137 : 127),
    stdout: text(result.stdout),
    stderr,
    output: text(result.all),
    missing,
    timedOut: Boolean(result.timedOut),
  }
}

/**
 * Starts `command` detached, its output appended to `logFile` (after a `[kafkit] ... starting <name>` line when named),
 * and returns its pid once it has started; it keeps running after kafkit exits. A command that cannot be spawned is a
 * KafkitError (SPAWN_FAILED) naming what was being started.
 */
export async function startDetached(
  command: string,
  args: readonly string[],
  options: { logFile: string; cwd?: string; name?: string },
): Promise<number> {
  const fd = openSync(options.logFile, 'a')
  try {
    if (options.name)
      writeSync(fd, `\n[kafkit] ${new Date().toISOString()} starting ${options.name}: ${command} ${args.join(' ')}\n`)
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    })
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (error) =>
        reject(
          new KafkitError(`Could not start ${options.name ?? command}: ${error.message}`, {
            code: 'SPAWN_FAILED',
            cause: error,
          }),
        ),
      )
      child.once('spawn', () => resolve(child.pid!))
    })
    child.unref()
    return pid
  } finally {
    closeSync(fd)
  }
}

/**
 * Runs a JVM tool in the foreground, as a script does (kafka-server-start, connect-standalone...): its output is the
 * terminal's; Ctrl-C reaches it through the terminal's process group and a SIGTERM sent to kafkit is passed on. The
 * JVM exits with 128+signal after a clean shutdown-hook run, so a stop the user asked for counts as exit 0.
 */
export async function runForeground(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ pid: number; exitCode: number }> {
  const child = spawn(command, args, {
    stdio: 'inherit',
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
  })
  let stopRequested = false
  const onTerm = () => {
    stopRequested = true
    child.kill('SIGTERM')
  }
  const onInt = () => {
    stopRequested = true
  }
  process.on('SIGTERM', onTerm)
  process.on('SIGINT', onInt)
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', (error) =>
        reject(new KafkitError(`Could not run ${command}: ${error.message}`, { code: 'SPAWN_FAILED' })),
      )
      child.once('exit', (code, signal) => resolve(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)))
    })
    const cleanStop = stopRequested && (exitCode === 143 || exitCode === 130)
    return { pid: child.pid ?? 0, exitCode: cleanStop ? 0 : exitCode }
  } finally {
    process.off('SIGTERM', onTerm)
    process.off('SIGINT', onInt)
  }
}
