/**
 * A connected session for the admin commands (topics, get-offsets, configs): a kafkajs admin client for
 * what kafkajs does well, plus `send()` for the few requests kafkajs 2.x cannot make (see
 * ./protocol/messages.ts). Import lazily: it pulls kafkajs in.
 *
 * `send()` reuses kafkajs's own broker connections, so TLS, SASL, re-authentication and request timeouts
 * behave exactly as for every other kafkit request. That needs two kafkajs internals (the cluster factory
 * behind a private symbol, and Broker#connectionPool); kafkajs 2.2.4 is pinned and is its final release,
 * and `openSession` checks both exist so a change fails loudly here instead of deep inside a command.
 */
import { createRequire } from 'node:module'
import type { Admin } from 'kafkajs'
import type { Reporter } from '../output/reporter.js'
import { connectAdminAndCluster } from './kafkajs-internals.js'
import { unreachable, type ConnectionSettings } from './connection.js'

export { unreachable }
import { Reader } from './protocol/codec.js'
import type { ApiCall } from './protocol/messages.js'

const require = createRequire(import.meta.url)

export interface ClusterSession {
  admin: Admin
  servers: string[]
  /** Highest version of an API the brokers accept, or undefined when they do not support it. */
  maxVersion(apiKey: number): number | undefined
  /** Sends a request to one broker (by node id) or to any connected broker. */
  send<T>(target: number | 'any', call: ApiCall<T>): Promise<T>
  close(): Promise<void>
}

/** A Kafka protocol error code as kafkajs names it ({ type: 'UNKNOWN_TOPIC_OR_PARTITION', message }). */
export function protocolError(code: number): { type: string; message: string } {
  const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as { createErrorFromCode(code: number): { type: string; message: string } }
  const error = createErrorFromCode(code)
  return { type: error.type, message: error.message }
}

interface InternalBroker {
  connectionPool: { send(request: unknown): Promise<unknown> }
}
interface InternalCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  refreshMetadata(): Promise<void>
  findBroker(options: { nodeId: string }): Promise<InternalBroker>
  brokerPool: { versions: Record<number, { minVersion: number; maxVersion: number }>; findConnectedBroker(): Promise<InternalBroker> }
}

export async function openSession(settings: ConnectionSettings, reporter?: Reporter): Promise<ClusterSession> {
  const connected = await connectAdminAndCluster(settings, { reporter, retries: 1 })
  const admin = connected.admin
  const cluster = connected.cluster as unknown as InternalCluster
  const { Encoder } = { Encoder: require('kafkajs/src/protocol/encoder.js') as new () => { writeBuffer(b: Buffer): unknown } }
  return {
    admin,
    servers: settings.servers,
    maxVersion(apiKey) {
      return cluster.brokerPool.versions?.[apiKey]?.maxVersion
    },
    async send(target, call) {
      const broker = target === 'any' ? await cluster.brokerPool.findConnectedBroker() : await cluster.findBroker({ nodeId: String(target) })
      // Flexible versions use request header v2, which is kafkajs's header v1 plus an empty tagged-field
      // section; that section comes right after the client id, i.e. first in what we hand kafkajs as the body.
      const body = call.flexible ? Buffer.concat([Buffer.from([0]), call.body]) : call.body
      const request = { apiKey: call.apiKey, apiVersion: call.version, apiName: call.apiName, encode: async () => new Encoder().writeBuffer(body) }
      const response = {
        decode: async (payload: Buffer) => {
          const reader = new Reader(payload, call.flexible)
          reader.tags() // response header v1 (flexible) carries tagged fields after the correlation id
          return call.decode(reader)
        },
        parse: async (decoded: unknown) => decoded,
      }
      return (await broker.connectionPool.send({ request, response })) as Awaited<ReturnType<typeof call.decode>>
    },
    async close() {
      await Promise.all([admin.disconnect().catch(() => {}), cluster.disconnect().catch(() => {})])
    },
  }
}

/** Runs `fn` with a connected session and always closes it. */
export async function withSession<T>(settings: ConnectionSettings, reporter: Reporter | undefined, fn: (session: ClusterSession) => Promise<T>): Promise<T> {
  const session = await openSession(settings, reporter)
  try {
    return await fn(session)
  } finally {
    await session.close()
  }
}


