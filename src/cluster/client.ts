/**
 * Only src/cluster/ imports kafkajs, and only through this module's createClient. Commands and stack logic talk to Kafka through these functions, so
 * the client library can be replaced without touching them. Import this module lazily (it pulls kafkajs in).
 */
import kafkajs from 'kafkajs'
import type { Admin, Kafka, logCreator, SASLOptions } from 'kafkajs'
import type { Reporter } from '../output/reporter.js'
import { unreachable, type ConnectionSettings } from './connection.js'

const { Kafka: KafkaClient, logLevel } = kafkajs

export interface ClientOptions {
  servers: string[]
  ssl?: ConnectionSettings['ssl']
  sasl?: ConnectionSettings['sasl']
  clientId?: string
  /** Connection timeout per attempt; short for local stacks. */
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
  /** kafkajs's own retries; readiness polling sets 0 and polls itself. */
  retries?: number
  reporter?: Reporter
  /** Called with kafkajs's error-level log lines (what its silent retries are retrying), e.g. for progress notices. */
  onError?: (message: string) => void
}

/** kafkajs logs loudly (and in JSON) by default; route everything to --debug, errors also to onError. */
function debugLogCreator(reporter?: Reporter, onError?: (message: string) => void): logCreator {
  return () => ({ namespace, level, label, log }) => {
    reporter?.debug(`kafkajs ${label} [${namespace}] ${log.message}${log.error ? `: ${String(log.error)}` : ''}`)
    if (level === logLevel.ERROR) onError?.(log.message)
  }
}

/** Per connection attempt, and how long a command waits for its first connection before probing the address. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3000

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

export interface ClusterView {
  clusterId: string
  controller: number | null
  brokers: Array<{ nodeId: number; host: string; port: number }>
}

/** One Metadata round trip: the cluster as the brokers see it. */
export async function describeCluster(options: ClientOptions): Promise<ClusterView> {
  const admin = createClient({ retries: 0, ...options }).admin()
  try {
    await admin.connect()
    const cluster = await admin.describeCluster()
    return {
      clusterId: cluster.clusterId,
      controller: cluster.controller ?? null,
      brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.nodeId - b.nodeId),
    }
  } catch (error) {
    throw unreachable({ servers: options.servers, from: 'local stack' }, error)
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

/**
 * Topics whose every partition has a leader. Used by readiness after a restart: a broker can answer Metadata
 * (even name the controller) before it has learned about the existing topics.
 */
export async function topicsWithLeaders(options: ClientOptions, topics: string[]): Promise<string[]> {
  if (topics.length === 0) return []
  const admin = createClient({ retries: 0, ...options }).admin()
  try {
    await admin.connect()
    const existing = new Set(await admin.listTopics())
    const wanted = topics.filter((t) => existing.has(t))
    if (wanted.length === 0) return []
    const metadata = await admin.fetchTopicMetadata({ topics: wanted })
    return metadata.topics.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)).map((t) => t.name)
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

/** Every topic name (internal ones included), or undefined when the cluster does not answer in time. */
export async function listTopicNames(options: ClientOptions): Promise<string[] | undefined> {
  const admin = createClient({ retries: 0, ...options }).admin()
  try {
    await admin.connect()
    return await admin.listTopics()
  } catch {
    return undefined
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

/** Runs `fn` with a connected admin client and always disconnects. */
export async function withAdmin<T>(options: ClientOptions, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createClient(options).admin()
  await admin.connect()
  try {
    return await fn(admin)
  } finally {
    await admin.disconnect().catch(() => {})
  }
}
