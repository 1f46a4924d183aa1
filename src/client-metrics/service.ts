/**
 * What `kafkit client-metrics` does (kafka-client-metrics.sh 4.4, KIP-714 client metrics subscriptions) on
 * kafkit's own client: subscriptions are CLIENT_METRICS config resources, listed with ListConfigResources, read with
 * DescribeConfigs and changed with IncrementalAlterConfigs (an empty value deletes a key; --delete deletes them all).
 */
import { randomBytes } from 'node:crypto'
import { check } from '../client/errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type { MetricsRequest } from './options.js'

export interface MetricsContext {
  connection: ConnectionSettings
  reporter: Reporter
  requestTimeoutMs?: number
  debug?: boolean
}

export type MetricsResult =
  | { action: 'alter'; name: string; changes: Array<{ key: string; value: string | null }> }
  | { action: 'delete'; name: string; deleted: string[] }
  | { action: 'list'; names: string[] }
  | {
      action: 'describe'
      /** The --name asked for is no client metrics resource (before Kafka 4.0, also in `resources`, with no configs). */
      missing?: string
      resources: Array<{ name: string; configs: Array<{ name: string; value: string | null }> }>
    }

/**
 * Kafka's Uuid.randomUuid().toString(), the name --generate-name gives: 16 random bytes, URL-safe Base64 without
 * padding, never starting with '-' (Kafka draws again so the name cannot read as a command-line flag).
 */
export function kafkaUuid(): string {
  for (;;) {
    const text = randomBytes(16).toString('base64url')
    if (!text.startsWith('-')) return text
  }
}

export async function runClientMetrics(ctx: MetricsContext, request: MetricsRequest): Promise<MetricsResult> {
  const [{ withClient }, admin, security] = await Promise.all([
    import('../cluster/connect.js'),
    import('../cluster/admin.js'),
    import('../cluster/security-admin.js'),
  ])
  const TYPE = security.CLIENT_METRICS_RESOURCE
  return withClient(
    ctx.connection,
    {
      ...(ctx.debug ? { reporter: ctx.reporter } : {}),
      ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
    },
    async (client): Promise<MetricsResult> => {
      const configsOf = async (name: string) => {
        const [described] = await admin.describeConfigs(client, 'any', [{ type: TYPE, name }], { synonyms: false })
        check(described?.errorCode ?? 0, `DescribeConfigs ${name}`, described?.errorMessage)
        return (described?.configs ?? []).map((c) => ({ name: c.name, value: c.value }))
      }
      const alter = async (name: string, changes: Array<{ key: string; value: string | null; delete: boolean }>) => {
        const answer = await admin.alterConfigs(
          client,
          'any',
          { type: TYPE, name },
          changes.map((c) => ({
            name: c.key,
            operation: c.delete ? admin.ConfigOperation.delete : admin.ConfigOperation.set,
            value: c.value,
          })),
        )
        check(answer.errorCode, `IncrementalAlterConfigs ${name}`, answer.errorMessage)
      }
      switch (request.action) {
        case 'list':
          return { action: 'list', names: await security.listConfigResources(client, [TYPE]) }
        case 'describe': {
          const names = await security.listConfigResources(client, [TYPE])
          if (request.name !== undefined && !names.includes(request.name)) {
            // Kafka 3.9's script has no such check: it prints the heading with no configs, and so does kafkit there.
            const resources = (await client.brokerBeforeKafka4()) ? [{ name: request.name, configs: [] }] : []
            return { action: 'describe', missing: request.name, resources }
          }
          const resources = []
          for (const name of request.name !== undefined ? [request.name] : names)
            resources.push({ name, configs: await configsOf(name) })
          return { action: 'describe', resources }
        }
        case 'delete': {
          const configs = await configsOf(request.name)
          await alter(
            request.name,
            configs.map((c) => ({ key: c.name, value: c.value, delete: true })),
          )
          return { action: 'delete', name: request.name, deleted: configs.map((c) => c.name) }
        }
        case 'alter': {
          const name = request.name ?? kafkaUuid()
          const changes = request.changes.map((c) => ({ key: c.key, value: c.value, delete: c.value === '' }))
          await alter(name, changes)
          return {
            action: 'alter',
            name,
            changes: changes.map((c) => ({ key: c.key, value: c.delete ? null : c.value })),
          }
        }
      }
    },
  )
}
