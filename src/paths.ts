import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where kafkit keeps its state. `KAFKIT_HOME` moves everything (tests use it to stay isolated);
 * otherwise we follow XDG on Linux and ~/Library on macOS, like other developer tools.
 */
export function kafkitHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKIT_HOME) return env.KAFKIT_HOME
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'kafkit')
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'kafkit')
}

/** Installed Kafka distributions, shared by every stack. `KAFKIT_CACHE` lets tests share one download. */
export function distributionsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAFKIT_CACHE) return join(env.KAFKIT_CACHE, 'kafka')
  return join(kafkitHome(env), 'kafka')
}

export function stacksDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitHome(env), 'stacks')
}

export function stackDir(stack: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stacksDir(env), stack)
}

/** The package root (templates live there), found from this compiled file's location. */
export const packageRoot = new URL('..', import.meta.url).pathname

export function templatePath(name: string): string {
  return join(packageRoot, 'templates', name)
}
