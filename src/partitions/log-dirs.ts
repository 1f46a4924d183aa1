/** `kafkit log-dirs`: kafka-log-dirs.sh --describe, DescribeLogDirs of each broker asked for, filtered by topic. */
import { UsageError } from '../errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import { withClient } from '../cluster/connect.js'
import { clusterBrokers, describeLogDirs } from '../cluster/partitions-admin.js'
import type { LogDirsBroker } from './views.js'

export interface LogDirsResult {
  brokers: LogDirsBroker[]
}

export async function runLogDirs(
  settings: ConnectionSettings,
  request: { brokers: number[]; topics: string[] },
  reporter?: Reporter,
): Promise<LogDirsResult> {
  return withClient(settings, { reporter }, async (client) => {
    const cluster = (await clusterBrokers(client)).map((b) => b.id)
    const unknown = [...new Set(request.brokers)].filter((b) => !cluster.includes(b))
    if (unknown.length > 0) {
      throw new UsageError(
        `ERROR: The given brokers do not exist from --broker-list: ${unknown.sort((a, b) => a - b).join(',')}. Current existent brokers: ${cluster.join(',')}`,
        { code: 'UNKNOWN_BROKER' },
      )
    }
    const asked = request.brokers.length > 0 ? [...new Set(request.brokers)].sort((a, b) => a - b) : cluster
    const topics = new Set(request.topics)
    const brokers = await Promise.all(
      asked.map(async (broker) => ({
        broker,
        logDirs: (await describeLogDirs(client, broker)).map((d) => ({
          logDir: d.logDir,
          error: d.error,
          totalBytes: d.totalBytes,
          usableBytes: d.usableBytes,
          partitions: d.replicas
            .filter((r) => topics.size === 0 || topics.has(r.topic))
            .map((r) => ({
              topic: r.topic,
              partition: r.partition,
              size: r.size,
              offsetLag: r.offsetLag,
              isFuture: r.isFuture,
            })),
        })),
      })),
    )
    return { brokers }
  })
}
