import { UsageError } from '../errors.js'
import { runtimeFor } from '../runtime/index.js'
import { followRuntimeLog, readRuntimeLog } from './logs.js'
import { requireState } from './service.js'

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
  const nodes = options.process ? state.nodes.filter((n) => n.name === options.process) : state.nodes
  if (nodes.length === 0) {
    throw new UsageError(
      `Stack "${state.stack}" has no process "${options.process}"; it has ${state.nodes.map((n) => n.name).join(', ')}.`,
      { code: 'NO_SUCH_PROCESS' },
    )
  }
  if (options.lines < 0) throw new UsageError('--lines must be 0 or more.')
  const prefix = (name: string) =>
    nodes.length > 1 ? `${name.padEnd(Math.max(...nodes.map((n) => n.name.length)))} | ` : ''
  const result: LogsResult = { stack: state.stack, processes: [] }
  for (const node of nodes) {
    const logFile = runtime.logFile(state, node)
    const lines = await readRuntimeLog(runtime, state, node, options.lines)
    result.processes.push({ name: node.name, logFile, lines })
    if (!options.json) for (const line of lines) options.write(`${prefix(node.name)}${line}\n`)
  }
  if (options.follow && !options.json) {
    await Promise.all(
      nodes.map((node) => {
        let partial = ''
        return followRuntimeLog(
          runtime,
          state,
          node,
          (text) => {
            const parts = (partial + text).split('\n')
            partial = parts.pop() ?? ''
            for (const line of parts) options.write(`${prefix(node.name)}${line}\n`)
          },
          options.signal,
        )
      }),
    )
  }
  return result
}
