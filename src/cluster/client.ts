/**
 * The kafkajs client of the console data path: the console producer and the console consumer (group-less Fetch or a
 * kafkajs group member). Everything else (admin, metadata, groups, the stack's readiness, the share consumer, and the
 * data path's own checks before it starts) uses kafkit's own client (./connect.ts). Import lazily: it loads kafkajs.
 */
import type { Kafka, logCreator, SASLOptions } from 'kafkajs'
import type { Reporter } from '../output/reporter.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { kafkajs } from './kafkajs-internals.js'

const { Kafka: KafkaClient, logLevel } = kafkajs

interface ClientOptions {
  servers: string[]
  /** The local stack these servers belong to, when they are one's (for the unreachable message). */
  stack?: string
  ssl?: ConnectionSettings['ssl']
  sasl?: ConnectionSettings['sasl']
  clientId?: string
  /** Connection timeout per attempt; short for local stacks. */
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
  /** kafkajs's own retries. */
  retries?: number
  reporter?: Reporter
  /** Called with kafkajs's error-level log lines (what its silent retries are retrying), e.g. for progress notices. */
  onError?: (message: string) => void
}

/** kafkajs logs loudly (and in JSON) by default; route everything to --debug, errors also to onError. */
function debugLogCreator(reporter?: Reporter, onError?: (message: string) => void): logCreator {
  return () =>
    ({ namespace, level, label, log }) => {
      reporter?.debug(`kafkajs ${label} [${namespace}] ${log.message}${log.error ? `: ${String(log.error)}` : ''}`)
      if (level === logLevel.ERROR) onError?.(log.message)
    }
}

/** Per connection attempt, and how long a command waits for its first connection before probing the address. */
const DEFAULT_CONNECTION_TIMEOUT_MS = 3000

export function createClient(options: ClientOptions): Kafka {
  return new KafkaClient({
    clientId: options.clientId ?? 'kafkit',
    brokers: options.servers,
    ...(options.ssl ? { ssl: options.ssl } : {}),
    ...(options.sasl ? { sasl: options.sasl as SASLOptions } : {}),
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: { retries: options.retries ?? 2, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: options.reporter ? logLevel.DEBUG : options.onError ? logLevel.ERROR : logLevel.NOTHING,
    logCreator: debugLogCreator(options.reporter, options.onError),
  })
}
