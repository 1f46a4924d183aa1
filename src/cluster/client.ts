/**
 * Only src/cluster/ imports kafkajs, and only through this module's createClient: the console producer and consumer
 * and the consumer-group commands. Admin, metadata and the stack's readiness use kafkit's own client (./admin.ts).
 * Import this module lazily (it pulls kafkajs in).
 */
import type { Admin, Kafka, logCreator, SASLOptions } from 'kafkajs'
import type { Reporter } from '../output/reporter.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { unreachable } from './unreachable.js'
import { createRawCluster, kafkajs, type RawCluster } from './kafkajs-internals.js'
import { connectOrExplain } from './probe.js'

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

/**
 * A kafkajs admin client plus a raw cluster on the same client, both connected, with metadata loaded (the raw
 * cluster's broker pool stays empty until its first metadata request). Either both are returned or neither
 * stays open, and a failure is the one "Cannot reach Kafka" error, naming what answered at the address.
 *
 * kafkajs alone is slow to give up on a wrong port: it sends ApiVersions with its request timeout (30 s, not the
 * connection timeout) and retries it, so a server that never answers costs a minute. The connect is therefore
 * raced against the connection timeout and a raw probe (./probe.ts) decides whether it is worth waiting for.
 */
export async function connectAdminAndCluster(
  settings: ConnectionSettings,
  options: Omit<ClientOptions, 'servers' | 'ssl' | 'sasl'> = {},
): Promise<{ admin: Admin; cluster: RawCluster }> {
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS
  const kafka = createClient({
    servers: settings.servers,
    ssl: settings.ssl,
    sasl: settings.sasl,
    ...options,
    connectionTimeoutMs,
  })
  const admin = kafka.admin()
  const cluster = createRawCluster(kafka)
  const connecting = (async () => {
    await admin.connect()
    await cluster.connect()
    await cluster.refreshMetadata()
  })()
  const abort = async () => {
    await Promise.all([admin.disconnect().catch(() => {}), cluster.disconnect().catch(() => {})])
  }
  await connectOrExplain(settings, connectionTimeoutMs, connecting, abort, (error, reports) =>
    unreachable(settings, error, reports),
  )
  return { admin, cluster }
}
