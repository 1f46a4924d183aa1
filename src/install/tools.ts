import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** The absolute path of `command` on PATH, like `command -v`, without spawning a shell. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined
}

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001B\[[0-9;?]*[A-Za-z]/g

/** The last meaningful lines of a tool's output, for error details (mvn colours even in batch mode). */
export function outputTail(output: string | undefined, lines = 15): string[] {
  return (output ?? '')
    .replace(ANSI_ESCAPE, '')
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-lines)
}
