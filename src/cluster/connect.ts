/**
 * The one way a command opens kafkit's own client (../client/): the connection settings a command resolved
 * (flag, env or local stack; TLS/SASL from --command-config), a connect raced against the connection timeout, and
 * when nothing answers as Kafka, the probe (./probe.ts) that names what is at the address (or, for refused
 * credentials, ./unreachable.ts's authentication error). Commands that use it load no kafkajs.
 */
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import { KafkaClient, type ClientSettings } from '../client/kafka-client.js'
import { connectOrExplain } from './probe.js'
import { unreachable } from './unreachable.js'
import { monotonicMs } from '../util/time.js'

const DEFAULT_CONNECTION_TIMEOUT_MS = 3000

export interface ConnectOptions {
  reporter?: Reporter
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
  retries?: number
  clientId?: string
  /** The servers are KRaft controllers (--bootstrap-controller). */
  controllers?: boolean
}

export async function connectClient(settings: ConnectionSettings, options: ConnectOptions = {}): Promise<KafkaClient> {
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS
  const clientSettings: ClientSettings = {
    servers: settings.servers,
    ssl: settings.ssl,
    sasl: settings.sasl,
    clientId: options.clientId,
    connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    retries: options.retries,
    trace: options.reporter ? (line) => options.reporter!.debug(line) : undefined,
    ...(options.controllers ? { controllers: true } : {}),
  }
  const started = monotonicMs()
  const connecting = KafkaClient.connect(clientSettings)
  const abort = async () => {
    void connecting.then((client) => client.close()).catch(() => {})
  }
  const client = await connectOrExplain(settings, connectionTimeoutMs, connecting, abort, (error, reports) =>
    unreachable(settings, error, reports),
  )
  options.reporter?.debug(
    `connected to ${settings.servers.join(',')} in ${(monotonicMs() - started).toFixed(0)} ms (cluster ${client.clusterId})`,
  )
  return client
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(
  settings: ConnectionSettings,
  options: ConnectOptions,
  fn: (client: KafkaClient) => Promise<T>,
): Promise<T> {
  const client = await connectClient(settings, options)
  try {
    return await fn(client)
  } finally {
    client.close()
  }
}
