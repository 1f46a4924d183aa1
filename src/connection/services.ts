/**
 * Where a stack service's REST API is (Kafka Connect, the Schema Registry): a flag, then an environment variable, then
 * the running local stack's service. The same order as the bootstrap server (source.ts), so `--stack` works alike.
 */
import { KafkitError, UsageError } from '../errors.js'
import { DEFAULT_STACK, kafkitCommand } from '../output/commands.js'
import { loadState, type ServiceName } from '../model/state.js'

export type ServiceUrlSource = { kind: 'flag' } | { kind: 'env'; variable: string } | { kind: 'stack'; stack: string }

export interface ServiceUrl {
  /** Without a trailing slash, e.g. "http://127.0.0.1:8083". */
  url: string
  source: ServiceUrlSource
}

const ENV: Record<ServiceName, string> = {
  connect: 'KAFKIT_CONNECT_URL',
  'schema-registry': 'KAFKIT_SCHEMA_REGISTRY_URL',
}

const LABEL: Record<ServiceName, string> = { connect: 'Kafka Connect', 'schema-registry': 'Schema Registry' }

export function resolveServiceUrl(
  service: ServiceName,
  options: { url?: string; flag: string; stack?: string },
  env: NodeJS.ProcessEnv = process.env,
): ServiceUrl {
  if (options.url) return { url: parseServiceUrl(options.url, options.flag), source: { kind: 'flag' } }
  const variable = ENV[service]
  const fromEnv = env[variable]
  if (fromEnv) return { url: parseServiceUrl(fromEnv, variable), source: { kind: 'env', variable } }
  const stack = options.stack ?? DEFAULT_STACK
  const state = loadState(stack)
  const running = state?.services?.find((s) => s.name === service)
  if (!running) {
    throw new KafkitError(`No ${options.flag} given and the local stack "${stack}" has no ${LABEL[service]}.`, {
      code: 'NO_SERVICE_URL',
      suggestions: [
        `${kafkitCommand(`up --with ${service}`, { stack })} starts one beside Kafka.`,
        `Or point at one: ${options.flag} http://host:port (or ${variable}).`,
      ],
    })
  }
  return { url: `http://127.0.0.1:${running.port}`, source: { kind: 'stack', stack } }
}

export function parseServiceUrl(value: string, flag: string): string {
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    throw new UsageError(`Invalid ${flag} "${value}": expected a URL such as http://localhost:8081.`, {
      code: 'BAD_URL',
    })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`Invalid ${flag} "${value}": only http:// and https:// URLs are supported.`, {
      code: 'BAD_URL',
    })
  }
  return value.replace(/\/+$/, '')
}
