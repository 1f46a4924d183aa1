import { UsageError } from '../errors.js'
import { runtimeFor } from '../runtime/index.js'
import { serviceLauncherFor } from '../services/launcher.js'
import { followFile, followRuntimeLog, readRuntimeLog, tailLines } from './logs.js'
import { requireState } from './service.js'

/** A process whose log can be shown: a Kafka node (read through its runtime) or a service (its own log file). */
interface LogSource {
  name: string
  logFile: string
  read(count: number): Promise<string[]>
  follow(onText: (text: string) => void, signal: AbortSignal): Promise<void>
}

export interface LogsResult {
  stack: string
  processes: Array<{ name: string; logFile: string; lines: string[] }>
}

/**
 * Prints the tail of each selected process log (prefixed with the process name when there are several, like
 * `docker compose logs`), then follows them when asked. With --json the lines are returned instead.
 */
export async function showLogs(options: {
  stack: string
  process?: string
  lines: number
  follow: boolean
  json: boolean
  signal: AbortSignal
  write: (text: string) => void
}): Promise<LogsResult> {
  const state = requireState(options.stack)
  const runtime = runtimeFor(state.runtime)
  const all: LogSource[] = [
    ...state.nodes.map((node) => ({
      name: node.name,
      logFile: runtime.logFile(state, node),
      read: (count: number) => readRuntimeLog(runtime, state, node, count),
      follow: (onText: (text: string) => void, signal: AbortSignal) =>
        followRuntimeLog(runtime, state, node, onText, signal),
    })),
    ...(state.services ?? []).map((service) => {
      const launcher = serviceLauncherFor(runtime)
      const logFile = launcher.logFile(state, service)
      const node = launcher.logNode?.(service)
      if (node)
        return {
          name: service.name,
          logFile,
          read: (count: number) => readRuntimeLog(runtime, state, node, count),
          follow: (onText: (text: string) => void, signal: AbortSignal) =>
            followRuntimeLog(runtime, state, node, onText, signal),
        }
      return {
        name: service.name,
        logFile,
        read: async (count: number) => tailLines(logFile, count),
        follow: (onText: (text: string) => void, signal: AbortSignal) => followFile(logFile, onText, signal),
      }
    }),
  ]
  const nodes = options.process ? all.filter((n) => n.name === options.process) : all
  if (nodes.length === 0) {
    throw new UsageError(
      `Stack "${state.stack}" has no process "${options.process}"; it has ${all.map((n) => n.name).join(', ')}.`,
      { code: 'NO_SUCH_PROCESS' },
    )
  }
  if (options.lines < 0) throw new UsageError('--lines must be 0 or more.')
  const prefix = (name: string) =>
    nodes.length > 1 ? `${name.padEnd(Math.max(...nodes.map((n) => n.name.length)))} | ` : ''
  const result: LogsResult = { stack: state.stack, processes: [] }
  for (const node of nodes) {
    const lines = await node.read(options.lines)
    result.processes.push({ name: node.name, logFile: node.logFile, lines })
    if (!options.json) for (const line of lines) options.write(`${prefix(node.name)}${line}\n`)
  }
  if (options.follow && !options.json) {
    await Promise.all(
      nodes.map((node) => {
        let partial = ''
        return node.follow((text) => {
          const parts = (partial + text).split('\n')
          partial = parts.pop() ?? ''
          for (const line of parts) options.write(`${prefix(node.name)}${line}\n`)
        }, options.signal)
      }),
    )
  }
  return result
}
