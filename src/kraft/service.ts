/**
 * What `kafkit metadata-quorum`, `features`, `cluster` and `broker-api-versions` do, on kafkit's own client
 * (../cluster/kraft-admin.ts). The results are the --json documents; ./views.ts and ./features.ts render the text.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type * as Admin from '../cluster/kraft-admin.js'
import {
  METADATA_VERSION,
  planFeatureUpdates,
  type FeatureDescription,
  type FeatureOp,
  type FeatureUpdateFlags,
  type FeatureUpdateResult,
} from './features.js'
import {
  apiVersionEntries,
  hashMapOrderOfNodes,
  nodeString,
  quorumStatus,
  replicationRows,
  type NodeApiVersionsView,
  type QuorumStatus,
  type ReplicationRow,
} from './views.js'
import { checkDirectoryId, readControllerConfig, voterFromConfig, type NewVoter } from './voters.js'

export interface KraftContext {
  connection: ConnectionSettings
  /** The servers are controllers (--bootstrap-controller). */
  controllers: boolean
  reporter: Reporter
  debug?: boolean
}

async function withAdmin<T>(
  ctx: KraftContext,
  fn: (client: KafkaClient, admin: typeof Admin) => Promise<T>,
): Promise<T> {
  const [{ withClient }, admin] = await Promise.all([
    import('../cluster/connect.js'),
    import('../cluster/kraft-admin.js'),
  ])
  return withClient(
    ctx.connection,
    { ...(ctx.debug ? { reporter: ctx.reporter } : {}), ...(ctx.controllers ? { controllers: true } : {}) },
    (client) => fn(client, admin),
  )
}

export type QuorumDescribeResult =
  { view: 'status'; status: QuorumStatus } | { view: 'replication'; humanReadable: boolean; replicas: ReplicationRow[] }

export async function describeQuorum(
  ctx: KraftContext,
  view: 'status' | 'replication',
  humanReadable: boolean,
): Promise<QuorumDescribeResult> {
  return withAdmin(ctx, async (client, admin) => {
    const quorum = await admin.describeQuorum(client)
    if (view === 'replication') return { view, humanReadable, replicas: replicationRows(quorum, humanReadable) }
    const clusterId = (await admin.describeClusterNodes(client, { controllers: ctx.controllers })).clusterId
    return { view, status: quorumStatus(clusterId, quorum) }
  })
}

export interface FeaturesDescribeResult {
  features: FeatureDescription[]
}

/** `features describe`: ApiVersions' supported and finalized features from one node (--node-id) or any. */
export async function describeFeatures(ctx: KraftContext, nodeId?: number): Promise<FeaturesDescribeResult> {
  return withAdmin(ctx, async (client, admin) => {
    const r = await admin.apiVersionsOf(client, nodeId ?? 'any')
    const finalized = new Map(r.finalizedFeatures.map((f) => [f.name, f.maxVersionLevel]))
    const epoch = r.finalizedFeaturesEpoch >= 0n ? Number(r.finalizedFeaturesEpoch) : null
    const features = [...r.supportedFeatures]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({
        feature: f.name,
        supportedMinVersion: f.minVersion,
        supportedMaxVersion: f.maxVersion,
        finalizedVersionLevel: finalized.get(f.name) ?? 0,
        epoch,
      }))
    return { features }
  })
}

export interface FeaturesUpdateResult {
  op: FeatureOp
  dryRun: boolean
  notice?: string
  results: FeatureUpdateResult[]
  failed: number
}

/** `features upgrade|downgrade|disable`: every update in one UpdateFeatures request (validate-only with --dry-run). */
export async function updateFeatures(
  ctx: KraftContext,
  op: FeatureOp,
  flags: FeatureUpdateFlags,
  dryRun: boolean,
): Promise<FeaturesUpdateResult> {
  const plan = planFeatureUpdates(op, flags)
  return withAdmin(ctx, async (client, admin) => {
    const errors = await admin.updateFeatures(client, plan.updates, dryRun)
    const results = plan.updates.map((u) => ({ feature: u.feature, level: u.level, error: errors[u.feature] ?? null }))
    return {
      op,
      dryRun,
      ...(plan.notice ? { notice: plan.notice } : {}),
      results,
      failed: results.filter((r) => r.error !== null).length,
    }
  })
}

export { METADATA_VERSION }

export interface ClusterIdResult {
  clusterId: string | null
}

export async function clusterId(ctx: KraftContext): Promise<ClusterIdResult> {
  return withAdmin(ctx, async (client, admin) => ({
    clusterId: (await admin.describeClusterNodes(client, { controllers: ctx.controllers })).clusterId || null,
  }))
}

export interface EndpointsResult {
  controllers: boolean
  nodes: Admin.ClusterNode[]
}

export async function listEndpoints(ctx: KraftContext, includeFenced: boolean): Promise<EndpointsResult> {
  if (includeFenced && ctx.controllers)
    throw new KafkitError('The option --include-fenced-brokers is only supported with --bootstrap-server option', {
      code: 'BAD_FLAGS',
    })
  return withAdmin(ctx, async (client, admin) => ({
    controllers: ctx.controllers,
    nodes: (await admin.describeClusterNodes(client, { controllers: ctx.controllers, includeFenced })).nodes,
  }))
}

export interface UnregisterResult {
  kind: 'broker' | 'controller'
  id: number
  /** false: the cluster has no unregistration API for this kind of node. */
  supported: boolean
}

export async function unregister(
  ctx: KraftContext,
  kind: 'broker' | 'controller',
  id: number,
): Promise<UnregisterResult> {
  return withAdmin(ctx, async (client, admin) => {
    const { error } = await admin.unregisterNode(client, kind, id)
    if (error === 'unsupported') return { kind, id, supported: false }
    if (error) throw new KafkitError(error.message, { code: error.type })
    return { kind, id, supported: true }
  })
}

export interface ApiVersionsResult {
  nodes: NodeApiVersionsView[]
}

/**
 * ApiVersions from every node: `cluster api-versions` in node-id order (ClusterTool's TreeMap), and
 * `broker-api-versions` in the HashMap order BrokerApiVersionsCommand prints its brokers in.
 */
export async function apiVersions(ctx: KraftContext, order: 'id' | 'hashmap'): Promise<ApiVersionsResult> {
  return withAdmin(ctx, async (client, admin) => {
    const described = await admin.describeClusterNodes(client, { controllers: ctx.controllers })
    const nodes =
      order === 'id'
        ? [...described.nodes].sort((a, b) => a.id - b.id)
        : hashMapOrderOfNodes(described.nodes.map((n) => ({ ...n, fenced: false })))
    const views = await Promise.all(
      nodes.map(async (n): Promise<NodeApiVersionsView> => {
        // `cluster api-versions` prints DescribeCluster's nodes (isFenced as reported); the older tool's come from
        // Metadata, where no broker is fenced.
        const node = nodeString(n)
        try {
          const r = await admin.apiVersionsOf(client, n.id)
          return { node, apis: apiVersionEntries(r.apiKeys) }
        } catch (error) {
          return { node, apis: [], error: (error as Error).message }
        }
      }),
    )
    return { nodes: views }
  })
}

export interface AddControllerResult {
  dryRun: boolean
  voter: NewVoter
}

/** `metadata-quorum add-controller`: the controller described by --command-config joins the quorum. */
export async function addController(
  ctx: KraftContext,
  configPath: string | undefined,
  dryRun: boolean,
): Promise<AddControllerResult> {
  const voter = voterFromConfig(readControllerConfig(configPath))
  if (!dryRun)
    await withAdmin(ctx, async (client, admin) => {
      const error = await admin.addRaftVoter(client, voter)
      if (error) throw new KafkitError(error.message, { code: error.type })
    })
  return { dryRun, voter }
}

export interface RemoveControllerResult {
  dryRun: boolean
  id: number
  directoryId: string
  unregister: boolean
}

/** `metadata-quorum remove-controller`: RemoveRaftVoter, then with --unregister UnregisterController. */
export async function removeController(
  ctx: KraftContext,
  options: { id: number; directoryId: string; dryRun: boolean; unregister: boolean },
): Promise<RemoveControllerResult> {
  if (options.id < 0) throw new KafkitError(`Invalid negative --controller-id: ${options.id}`, { code: 'BAD_FLAGS' })
  const directoryId = checkDirectoryId(options.directoryId)
  const hint = `To unregister the controller from the cluster, run \`kafka-cluster.sh unregister-controller --id ${options.id}\`.`
  if (!options.dryRun)
    await withAdmin(ctx, async (client, admin) => {
      const removed = await admin.removeRaftVoter(client, { id: options.id, directoryId })
      if (removed) {
        if (options.unregister && (removed.type === 'UNSUPPORTED_VERSION' || removed.type === 'VOTER_NOT_FOUND'))
          throw new KafkitError(`Failed to remove KRaft voter ${options.id}: ${removed.message}. ${hint}`, {
            code: removed.type,
          })
        throw new KafkitError(removed.message, { code: removed.type })
      }
      if (!options.unregister) return
      const { error } = await admin.unregisterNode(client, 'controller', options.id)
      if (error)
        throw new KafkitError(
          `Failed to unregister controller ${options.id}: ${error === 'unsupported' ? 'The target cluster does not support the controller unregistration API' : error.message}. ${hint}`,
          { code: 'UNREGISTER_FAILED' },
        )
    })
  return { dryRun: options.dryRun, id: options.id, directoryId, unregister: options.unregister }
}
