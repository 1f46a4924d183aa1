/**
 * The embedded broker in one call: `startBroker({ port: 0 })` listens, serves every handler and returns the address
 * and stop(). Used in-process by Node test suites (no child process) and by main.ts, the process that
 * `kafkit up --runtime embedded` runs.
 */
import { join } from 'node:path'
import type { HandlerEntry, LogStore } from './contracts.js'
import { BrokerCore } from './core.js'
import { createGroupCoordinator } from './groups/index.js'
import { clusterHandlers } from './handlers/cluster.js'
import { configHandlers } from './handlers/configs.js'
import { dataHandlers } from './handlers/data.js'
import { refusedHandlers } from './handlers/refused.js'
import { topicHandlers } from './handlers/topics.js'
import { openMemoryLogStore } from './memory-log.js'
import { MetadataStore } from './metadata-store.js'
import { startServer } from './server/server.js'
import { openLogStore } from './storage/index.js'

export interface BrokerOptions {
  /** 0 = any free port (read it back from the result). */
  port?: number
  host?: string
  /** Where topics, logs and offsets are kept; none = in memory only, gone at stop(). */
  dataDir?: string
  nodeId?: number
  /** Used when the data directory has none yet (a kafkit stack passes the id it keeps in its state). */
  clusterId?: string
  /** auto.create.topics.enable (default true, as in Kafka). */
  autoCreateTopics?: boolean
  log?: (message: string) => void
}

export interface RunningBroker {
  host: string
  port: number
  /** "host:port", for a client's bootstrap servers. */
  bootstrap: string
  clusterId: string
  /**
   * Stops listening, closes every client connection, ends pending fetches and flushes the storage; resolves when all
   * is done (the port is free again). Calling it again returns the same promise.
   */
  stop(): Promise<void>
  /** The same as stop(). */
  close(): Promise<void>
}

/** log.retention.check.interval.ms, Kafka's default. */
const RETENTION_CHECK_MS = 300_000

/** The one place the storage is chosen: segment files under dataDir (laid out as Kafka's log.dirs), else memory. */
function openLogs(dataDir: string | undefined, log: (message: string) => void): LogStore {
  return dataDir ? openLogStore(dataDir, { warn: log }) : openMemoryLogStore()
}

export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1'
  const nodeId = options.nodeId ?? 1
  const log = options.log ?? (() => {})
  const store = new MetadataStore(options.dataDir, options.clusterId, nodeId)
  const logs = openLogs(options.dataDir, log)
  const core = new BrokerCore({ nodeId, host, port: options.port ?? 0, store, logs, log })
  const groups = createGroupCoordinator(core, {
    dataDir: options.dataDir ? join(options.dataDir, 'groups') : '',
  })
  core.setTopicDeletedListener((topic) => groups.onTopicDeleted(topic))
  const handlers: HandlerEntry[] = [
    ...clusterHandlers(core, options.autoCreateTopics ?? true),
    ...topicHandlers(core),
    ...configHandlers(core, options.dataDir),
    ...dataHandlers(core),
    ...refusedHandlers(),
    ...groups.handlers,
  ]
  let server
  try {
    server = await startServer({ host, port: options.port ?? 0, handlers, log })
  } catch (error) {
    await groups.close()
    core.close()
    throw error
  }
  // With port 0 the real port is known only now; Metadata must advertise it.
  core.port = server.port
  const retention = setInterval(() => core.applyRetention(BigInt(Date.now())), RETENTION_CHECK_MS)
  retention.unref()
  log(`embedded broker ${nodeId} listening on ${host}:${server.port} (cluster ${core.clusterId})`)
  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      clearInterval(retention)
      core.wakeAll()
      await server.close()
      await groups.close()
      core.close()
      log('embedded broker stopped')
    })())
  return { host, port: server.port, bootstrap: `${host}:${server.port}`, clusterId: core.clusterId, stop, close: stop }
}
