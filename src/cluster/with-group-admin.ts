/**
 * The way the share-groups and streams-groups services reach the cluster: one connected client and the group admin
 * requests (./group-admin.ts), both loaded on first use, so that importing a service costs nothing until it runs.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type * as GroupAdmin from './group-admin.js'

export interface GroupAdminContext {
  connection: ConnectionSettings
  reporter: Reporter
  /** Bounds each request and the connection attempt (the scripts' --timeout). */
  requestTimeoutMs?: number
  /** Wire-level debug lines through the reporter. */
  debug?: boolean
}

/** Runs `fn` with a connected client and the group admin module; the client is always closed. */
export async function withGroupAdmin<T>(
  ctx: GroupAdminContext,
  fn: (client: KafkaClient, admin: typeof GroupAdmin) => Promise<T>,
): Promise<T> {
  const [{ withClient }, admin] = await Promise.all([import('./connect.js'), import('./group-admin.js')])
  return withClient(
    ctx.connection,
    {
      ...(ctx.debug ? { reporter: ctx.reporter } : {}),
      ...(ctx.requestTimeoutMs
        ? { requestTimeoutMs: ctx.requestTimeoutMs, connectionTimeoutMs: ctx.requestTimeoutMs }
        : {}),
    },
    (client) => fn(client, admin),
  )
}
