import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from './errors.js'

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

/** What kafkit keeps to go faster (distributions live in its kafka/ folder): `KAFKIT_CACHE`, else KAFKIT_HOME. */
export function kafkitCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.KAFKIT_CACHE || kafkitHome(env)
}

/** Class-data archives of the JVMs kafkit starts (runtime/cds.ts), next to the distributions they were made from. */
export function jvmArchivesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitCache(env), 'cds')
}

export function stacksDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitHome(env), 'stacks')
}

/**
 * The one door where a stack name becomes a path, so it is checked here: a name like "../x" or "a/b" would reach
 * outside the stacks folder (and Docker Compose project names take the same characters).
 */
export function stackDir(stack: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stacksDir(env), validateStackName(stack))
}

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/

export function validateStackName(name: string): string {
  if (!STACK_NAME.test(name))
    throw new UsageError(`Invalid stack name "${name}": use letters, digits, '.', '_' or '-'.`)
  return name
}

/**
 * The package root (templates/ and bin/ live there): the nearest directory above this module holding a package.json.
 * This code runs from src/ (tsx), from a chunk of the bundle (dist/chunks/) or from an installed package, at
 * different depths, so it is searched for rather than assumed. fileURLToPath, not URL.pathname (%20, Windows).
 */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)))

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return dirname(from)
  }
}

export function templatePath(name: string): string {
  return join(packageRoot, 'templates', name)
}
