/**
 * Kafka Connect as a stack service: one distributed worker (ConnectDistributed) run from the stack's own Kafka
 * distribution, its worker properties rendered into `<stack dir>/connect/`. Pure: tested without a JVM.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { brokerNodes } from '../model/plan.js'
import { internalReplication } from '../model/render.js'
import type { ServiceState, StackState } from '../model/state.js'
import { UsageError } from '../errors.js'
import { renderProperties } from './properties.js'

export const CONNECT_MAIN = 'org.apache.kafka.connect.cli.ConnectDistributed'
export const CONNECT_HEAP = '256m'

/** Where a stack keeps Connect's files; the worker's data lives in Kafka (its internal topics), not here. */
export function connectPaths(stack: Pick<StackState, 'dir'>): {
  dir: string
  configFile: string
  logFile: string
  plugins: string
  clientConfigFile: string
} {
  const dir = join(stack.dir, 'connect')
  return {
    dir,
    configFile: join(dir, 'connect-distributed.properties'),
    logFile: join(stack.dir, 'logs', 'connect.log'),
    plugins: join(dir, 'plugins'),
    // `up --connect-config`: how the worker reaches Kafka (a secured listener), kept for every later start.
    clientConfigFile: join(dir, 'client.properties'),
  }
}

/** Client security settings, Kafka's own spellings (what --command-config files hold). */
const SECURITY_KEY = /^(security\.protocol|sasl\..+|ssl\..+)$/

/**
 * The worker's Kafka client settings from a client properties file (`up --connect-config`): bootstrap.servers and the
 * security settings for the worker's own clients, and the security settings again under the producer., consumer. and
 * admin. prefixes, because Connect does not pass its own security settings to the clients of its connectors (a
 * source's producer would otherwise connect without SASL and never get an answer). Other keys are refused: this is
 * not a way to edit the worker.
 */
export function workerClientEntries(properties: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(properties).filter((key) => key !== 'bootstrap.servers' && !SECURITY_KEY.test(key))
  if (unknown.length > 0) {
    throw new UsageError(
      `--connect-config takes bootstrap.servers and the client security settings (security.protocol, sasl.*, ssl.*), not ${unknown.join(', ')}.`,
      { code: 'BAD_PROPERTY' },
    )
  }
  const security = Object.entries(properties).filter(([key]) => SECURITY_KEY.test(key))
  const entries: Record<string, string> = {}
  if (properties['bootstrap.servers'] !== undefined) entries['bootstrap.servers'] = properties['bootstrap.servers']
  for (const prefix of ['', 'producer.', 'consumer.', 'admin.'])
    for (const [key, value] of security) entries[`${prefix}${key}`] = value
  return entries
}

/**
 * The worker's properties. The internal topics carry the names of Kafka's own connect-distributed.properties, so a
 * worker started by hand with that file joins the same cluster; their replication fits the broker count (a single
 * broker cannot hold 3 replicas). Connectors are found through their ServiceLoader manifests only
 * (plugin.discovery=service_load): scanning every jar took Connect's start from ~5 s to 13-18 s.
 */
export function renderConnectConfig(
  stack: Pick<StackState, 'dir' | 'bootstrapServers' | 'nodes' | 'kafka'>,
  service: Pick<ServiceState, 'port'>,
  options: {
    pluginDirs?: string[]
    /** In a container: the brokers' in-network listener, all interfaces, the container's name and port. */
    container?: { bootstrapServers: string; host: string; port: number }
    /** From `up --connect-config`: the worker's bootstrap.servers and security settings (workerClientEntries). */
    client?: Record<string, string>
  } = {},
): string {
  const client = workerClientEntries(options.client ?? {})
  const replication = internalReplication(brokerNodes(stack).length).rf
  const pluginDirs = options.pluginDirs ?? defaultPluginDirs(stack)
  return renderProperties(
    'Kafka Connect worker of this stack (distributed mode), written by kafkit at every start: edit the stack, not this file.',
    {
      'bootstrap.servers': options.container?.bootstrapServers ?? stack.bootstrapServers,
      'group.id': 'kafkit-connect',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
      'config.storage.topic': 'connect-configs',
      'config.storage.replication.factor': String(replication),
      'offset.storage.topic': 'connect-offsets',
      'offset.storage.replication.factor': String(replication),
      'offset.storage.partitions': '5',
      'status.storage.topic': 'connect-status',
      'status.storage.replication.factor': String(replication),
      'status.storage.partitions': '1',
      'offset.flush.interval.ms': '10000',
      listeners: options.container ? `http://0.0.0.0:${options.container.port}` : `http://127.0.0.1:${service.port}`,
      'rest.advertised.host.name': options.container?.host ?? '127.0.0.1',
      'rest.advertised.port': String(options.container?.port ?? service.port),
      'rest.advertised.listener': 'http',
      'plugin.discovery': 'service_load',
      'plugin.path': pluginDirs.join(','),
      // One worker: a rebalance has nobody to wait for.
      'scheduled.rebalance.max.delay.ms': '0',
      ...client,
    },
  )
}

/**
 * Connector plugins: the distribution's plugins/ folder (where kafkit installs the FileStream connectors) when it
 * exists, and the stack's own connect/plugins/ for connectors a user drops in.
 */
export function defaultPluginDirs(stack: Pick<StackState, 'dir' | 'kafka'>): string[] {
  const dirs: string[] = []
  const shipped = stack.kafka.home ? join(stack.kafka.home, 'plugins') : ''
  if (shipped && existsSync(shipped)) dirs.push(shipped)
  dirs.push(connectPaths(stack).plugins)
  return dirs
}
