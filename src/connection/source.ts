/**
 * Where a command's Kafka is: --bootstrap-server (or the older --broker-list), then KAFKIT_BOOTSTRAP_SERVER, then the
 * running local stack. The answer keeps which of the three it was, as data: messages name it, printed hints point at
 * it, and offset backups are filed under it. Cheap: no kafkajs here.
 */
import { KafkitError, UsageError } from '../errors.js'
import { DEFAULT_STACK, type CommandTarget } from '../output/commands.js'
import { missingStackHints, stackSummaries } from '../model/missing.js'
import { loadState } from '../model/state.js'

export type ConnectionSource = { kind: 'flag' } | { kind: 'env' } | { kind: 'stack'; stack: string }

export interface BootstrapServers {
  servers: string[]
  source: ConnectionSource
}

export function resolveBootstrap(
  options: { bootstrapServer?: string; stack?: string },
  env: NodeJS.ProcessEnv = process.env,
): BootstrapServers {
  if (options.bootstrapServer)
    return { servers: parseServers(options.bootstrapServer, '--bootstrap-server'), source: { kind: 'flag' } }
  if (env.KAFKIT_BOOTSTRAP_SERVER)
    return { servers: parseServers(env.KAFKIT_BOOTSTRAP_SERVER, 'KAFKIT_BOOTSTRAP_SERVER'), source: { kind: 'env' } }
  const stack = options.stack ?? DEFAULT_STACK
  const state = loadState(stack)
  if (!state) {
    const hints = missingStackHints(stack, stackSummaries())
    throw new KafkitError(`No bootstrap server given and there is no local stack "${stack}".`, {
      code: 'NO_BOOTSTRAP',
      details: hints.details,
      suggestions: [
        ...hints.suggestions,
        'Or point at a cluster: --bootstrap-server host:9092 (or KAFKIT_BOOTSTRAP_SERVER).',
      ],
    })
  }
  return { servers: state.bootstrapServers.split(','), source: { kind: 'stack', stack } }
}

/** For messages: "--bootstrap-server", "KAFKIT_BOOTSTRAP_SERVER" or "stack NAME". */
export function describeSource(source: ConnectionSource): string {
  switch (source.kind) {
    case 'flag':
      return '--bootstrap-server'
    case 'env':
      return 'KAFKIT_BOOTSTRAP_SERVER'
    case 'stack':
      return `stack ${source.stack}`
  }
}

/**
 * What a printed `kafkit ...` hint must point at to reach the same Kafka: the stack, or the --bootstrap-server value
 * (not the environment variable's: it is still set when the hint is pasted).
 */
export function targetOf(connection: BootstrapServers): CommandTarget {
  if (connection.source.kind === 'stack') return { stack: connection.source.stack }
  if (connection.source.kind === 'flag') return { bootstrapServer: connection.servers.join(',') }
  return {}
}

export function parseServers(value: string, flag: string): string[] {
  const servers = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
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
