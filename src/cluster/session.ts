/**
 * A connected session for the admin commands (topics, get-offsets, configs): a kafkajs admin client for
 * what kafkajs does well, plus `send()` for the few requests kafkajs 2.x cannot make (see
 * ./protocol/messages.ts). Import lazily: it pulls kafkajs in.
 *
 * `send()` reuses kafkajs's own broker connections (through ./kafkajs-internals.ts, the one module that touches
 * kafkajs internals), so TLS, SASL, re-authentication and request timeouts behave as for every other request.
 */
import type { Admin } from 'kafkajs'
import type { Reporter } from '../output/reporter.js'
import { sendCall, type RawBroker } from './kafkajs-internals.js'
import { connectAdminAndCluster } from './client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { ApiCall } from './protocol/messages.js'

export interface ClusterSession {
  admin: Admin
  servers: string[]
  /** Highest version of an API the brokers accept, or undefined when they do not support it. */
  maxVersion(apiKey: number): number | undefined
  /** Sends a request to one broker (by node id) or to any connected broker. */
  send<T>(target: number | 'any', call: ApiCall<T>): Promise<T>
  close(): Promise<void>
}

interface InternalCluster {
  disconnect(): Promise<void>
  findBroker(options: { nodeId: string }): Promise<Pick<RawBroker, 'connectionPool'>>
  brokerPool: {
    versions: Record<number, { minVersion: number; maxVersion: number }>
    findConnectedBroker(): Promise<Pick<RawBroker, 'connectionPool'>>
  }
}

async function openSession(settings: ConnectionSettings, reporter?: Reporter): Promise<ClusterSession> {
  const connected = await connectAdminAndCluster(settings, { reporter, retries: 1 })
  const admin = connected.admin
  const cluster = connected.cluster as unknown as InternalCluster
  return {
    admin,
    servers: settings.servers,
    maxVersion(apiKey) {
      return cluster.brokerPool.versions?.[apiKey]?.maxVersion
    },
    async send(target, call) {
      const broker =
        target === 'any'
          ? await cluster.brokerPool.findConnectedBroker()
          : await cluster.findBroker({ nodeId: String(target) })
      return sendCall(broker, call)
    },
    async close() {
      await Promise.all([admin.disconnect().catch(() => {}), cluster.disconnect().catch(() => {})])
    },
  }
}

/** Runs `fn` with a connected session and always closes it. */
export async function withSession<T>(
  settings: ConnectionSettings,
  reporter: Reporter | undefined,
  fn: (session: ClusterSession) => Promise<T>,
): Promise<T> {
  const session = await openSession(settings, reporter)
  try {
    return await fn(session)
  } finally {
    await session.close()
  }
}
