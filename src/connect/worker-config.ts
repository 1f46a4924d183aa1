/**
 * The worker properties kafkit hands to Connect: the user's file as written, with a few lines appended (a later key
 * wins in java.util.Properties), so every comment and setting of theirs stays as it was. Pure: tested without a JVM.
 */
import { isAbsolute, join, resolve } from 'node:path'
import { parseProperties } from '../util/properties.js'

/** The value Kafka's quickstart files carry; kafkit points it at its own Kafka when one is found. */
export const QUICKSTART_BOOTSTRAP = 'localhost:9092'

export interface WorkerRewrite {
  /** The worker properties to run with. */
  text: string
  /** What kafkit changed and why, one line each (printed on stderr). */
  notes: string[]
  pluginPath: string[]
}

export interface WorkerContext {
  /** Where the command runs: Connect resolves relative paths against the JVM's working directory, as the script does. */
  cwd: string
  /** The Kafka distribution that runs the worker. */
  home: string
  version: string
  /** The plugin.path entry of the distribution's FileStream connector (ConnectFiles.pluginPath, relative to home). */
  fileConnector?: string
  /** kafkit's bootstrap (flag, env or local stack) to use instead of the quickstart's localhost:9092. */
  bootstrap?: string
  exists: (path: string) => boolean
}

export function rewriteWorkerProperties(text: string, context: WorkerContext): WorkerRewrite {
  const props = parseProperties(text)
  const appended: string[] = []
  const notes: string[] = []

  const entries = (props['plugin.path'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  const pluginPath = entries.map((entry) => resolvePluginEntry(entry, context, notes))
  if (pluginPath.some((path, i) => path !== entries[i])) appended.push(`plugin.path=${pluginPath.join(',')}`)

  // ServiceLoader manifests instead of scanning every jar: Connect starts in ~5 s instead of ~15 s. Connectors without
  // manifests need `plugin.discovery=hybrid_warn` (Kafka's default) set in the file.
  if (!('plugin.discovery' in props)) appended.push('plugin.discovery=service_load')

  const bootstrap = props['bootstrap.servers']
  if (context.bootstrap && (bootstrap === undefined || bootstrap === QUICKSTART_BOOTSTRAP)) {
    if (context.bootstrap !== bootstrap) {
      appended.push(`bootstrap.servers=${context.bootstrap}`)
      notes.push(`bootstrap.servers=${bootstrap ?? '(unset)'} -> ${context.bootstrap} (kafkit's Kafka)`)
    }
  }
  if (appended.length === 0) return { text, notes, pluginPath }
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`
  return { text: `${body}# Added by kafkit\n${appended.join('\n')}\n`, notes, pluginPath }
}

/**
 * A relative plugin.path entry as the script run from the distribution would see it: against the working directory,
 * else against the distribution home. `libs/connect-file-<v>.jar` (the quickstart's line) that this distribution does
 * not have becomes the FileStream connector it does have (the plugin folder of a Maven-assembled 4.4).
 */
function resolvePluginEntry(entry: string, context: WorkerContext, notes: string[]): string {
  if (isAbsolute(entry)) return entry
  const fromCwd = resolve(context.cwd, entry)
  if (context.exists(fromCwd)) return fromCwd
  const fromHome = resolve(context.home, entry)
  if (context.exists(fromHome)) return fromHome
  if (/(^|\/)connect-file-[^/]*\.jar$/.test(entry) && context.fileConnector) {
    const replacement = join(context.home, context.fileConnector)
    notes.push(`plugin.path ${entry} -> ${replacement} (the FileStream connector of this Kafka ${context.version})`)
    return replacement
  }
  return fromCwd
}

/** A file argument as the script run from the distribution would find it: the working directory, else the home. */
export function resolveArgumentFile(file: string, cwd: string, home: string, exists: (p: string) => boolean): string {
  if (isAbsolute(file)) return file
  const fromCwd = resolve(cwd, file)
  if (exists(fromCwd)) return fromCwd
  const fromHome = resolve(home, file)
  return exists(fromHome) ? fromHome : fromCwd
}
