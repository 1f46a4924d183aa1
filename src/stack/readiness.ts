import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { canConnect } from '../model/ports.js'
import { sleep } from '../util/sleep.js'

/** Short poll: a local broker becomes ready within a few seconds and we want to notice at once. */
const POLL_INTERVAL_MS = 100
/** Before the listener is up a plain TCP connect is far cheaper than a Kafka client, so poll that faster. */
const PORT_POLL_INTERVAL_MS = 40

interface ReadyCluster {
  clusterId: string
  controller: number | null
  brokers: number[]
}

/**
 * Waits until the Kafka protocol answers Metadata with the expected broker ids, polling up to the deadline.
 * `checkAlive` runs every round so a process that died fails the wait at once instead of at the timeout.
 */
export async function waitForBrokers(options: {
  servers: string[]
  expectedBrokerIds: number[]
  deadline: number
  checkAlive: () => Promise<void>
  reporter: Reporter
  /** Topics the cluster had when it was stopped: after a restart, ready also means they are served again. */
  expectedTopics?: string[]
}): Promise<ReadyCluster> {
  const { stackCluster, topicsWithLeaders } = await import('../cluster/admin.js')
  let lastError = 'no answer yet'
  const [host, port] = splitServer(options.servers[0]!)
  while (Date.now() < options.deadline) {
    await options.checkAlive()
    if (!(await canConnect(port, host, 200))) {
      lastError = `nothing listens on ${options.servers[0]} yet`
      await sleep(PORT_POLL_INTERVAL_MS)
      continue
    }
    try {
      const view = await stackCluster({
        servers: options.servers,
        connectionTimeoutMs: 1000,
        requestTimeoutMs: 3000,
        reporter: options.reporter,
      })
      const seen = view.brokers.map((b) => b.nodeId)
      // A known controller also means the broker has received the cluster metadata (in ZooKeeper mode a
      // restarted broker answers Metadata before the controller has told it which topics exist).
      if (
        options.expectedBrokerIds.every((id) => seen.includes(id)) &&
        view.controller !== null &&
        view.controller >= 0
      ) {
        const expectedTopics = options.expectedTopics ?? []
        const served = await topicsWithLeaders(
          { servers: options.servers, connectionTimeoutMs: 1000, requestTimeoutMs: 3000 },
          expectedTopics,
        )
        const missing = expectedTopics.filter((t) => !served.includes(t))
        if (missing.length === 0) return { clusterId: view.clusterId, controller: view.controller, brokers: seen }
        lastError = `topics not served yet: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' ...' : ''}`
      } else {
        lastError = `brokers seen: ${seen.join(',') || 'none'}, expected ${options.expectedBrokerIds.join(',')}`
      }
    } catch (error) {
      lastError = (error as Error).message
    }
    options.reporter.debug(`not ready: ${lastError}`)
    await sleep(POLL_INTERVAL_MS)
  }
  throw new KafkitError(`Kafka did not become ready in time (${lastError}).`, { code: 'READY_TIMEOUT' })
}

function splitServer(server: string): [string, number] {
  const index = server.lastIndexOf(':')
  return [server.slice(0, index), Number(server.slice(index + 1))]
}

/** ZooKeeper is ready when its client port accepts connections. */
export async function waitForPort(port: number, deadline: number, checkAlive: () => Promise<void>): Promise<void> {
  while (Date.now() < deadline) {
    await checkAlive()
    if (await canConnect(port)) return
    await sleep(POLL_INTERVAL_MS)
  }
  throw new KafkitError(`Nothing answered on port ${port} in time.`, { code: 'READY_TIMEOUT' })
}
