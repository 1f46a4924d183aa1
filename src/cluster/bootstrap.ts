import { KafkitError, UsageError } from '../errors.js'
import { missingStackHints, stackSummaries } from '../stack/missing.js'
import { loadState } from '../stack/state.js'

export interface BootstrapSource {
  servers: string[]
  /** Where the address came from, for messages: "--bootstrap-server", "KAFKIT_BOOTSTRAP_SERVER", "stack default". */
  from: string
}

/**
 * Flags and environment to a bootstrap list: --bootstrap-server (or the older --broker-list), then
 * KAFKIT_BOOTSTRAP_SERVER, then the running local stack. Cheap: no kafkajs import here.
 */
export function resolveBootstrap(options: { bootstrapServer?: string; stack?: string }, env: NodeJS.ProcessEnv = process.env): BootstrapSource {
  if (options.bootstrapServer) return { servers: parseServers(options.bootstrapServer, '--bootstrap-server'), from: '--bootstrap-server' }
  if (env.KAFKIT_BOOTSTRAP_SERVER) return { servers: parseServers(env.KAFKIT_BOOTSTRAP_SERVER, 'KAFKIT_BOOTSTRAP_SERVER'), from: 'KAFKIT_BOOTSTRAP_SERVER' }
  const stack = options.stack ?? 'default'
  const state = loadState(stack)
  if (!state) {
    const hints = missingStackHints(stack, stackSummaries())
    throw new KafkitError(`No bootstrap server given and there is no local stack "${stack}".`, {
      code: 'NO_BOOTSTRAP',
      details: hints.details,
      suggestions: [...hints.suggestions, 'Or point at a cluster: --bootstrap-server host:9092 (or KAFKIT_BOOTSTRAP_SERVER).'],
    })
  }
  return { servers: state.bootstrapServers.split(','), from: `stack ${stack}` }
}

export function parseServers(value: string, flag: string): string[] {
  const servers = value.split(',').map((s) => s.trim()).filter(Boolean)
  if (servers.length === 0) throw new UsageError(`${flag} is empty.`)
  for (const server of servers) {
    const match = /^(?:[a-zA-Z][\w+.-]*:\/\/)?(\[[^\]]+\]|[^:/\s]+):(\d+)$/.exec(server)
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535) {
      throw new UsageError(`Invalid ${flag} "${server}": expected host:port.`, { code: 'BAD_BOOTSTRAP' })
    }
  }
  // Kafka tools accept PLAINTEXT://host:port; kafkajs wants host:port.
  return servers.map((s) => s.replace(/^[a-zA-Z][\w+.-]*:\/\//, ''))
}
