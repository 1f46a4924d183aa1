/**
 * The KRaft and cluster-wide admin requests behind kafka-metadata-quorum, kafka-features, kafka-cluster and
 * kafka-broker-api-versions, on kafkit's client. Like Kafka's Admin, these go to any node (a broker forwards
 * DescribeQuorum and UpdateFeatures to the active controller; with --bootstrap-controller they reach a controller).
 */
import { check, kafkaError } from '../client/errors.js'
import type { KafkaClient, Target } from '../client/kafka-client.js'
import { AddRaftVoter } from '../protocol/messages/add-raft-voter.js'
import { ApiVersions, type ApiVersionsResponse } from '../protocol/messages/api-versions.js'
import { DescribeCluster } from '../protocol/messages/describe-cluster.js'
import { DescribeQuorum } from '../protocol/messages/describe-quorum.js'
import { RemoveRaftVoter } from '../protocol/messages/remove-raft-voter.js'
import { UnregisterBroker } from '../protocol/messages/unregister-broker.js'
import { UnregisterController } from '../protocol/messages/unregister-controller.js'
import { UpdateFeatures } from '../protocol/messages/update-features.js'

/** The topic of the KRaft metadata log: the only partition DescribeQuorum describes. */
const METADATA_TOPIC = '__cluster_metadata'

export interface ReplicaState {
  replicaId: number
  directoryId: string
  logEndOffset: number
  /** null where Kafka reports -1 (unknown). */
  lastFetchTimestamp: number | null
  lastCaughtUpTimestamp: number | null
}

export interface QuorumInfo {
  leaderId: number
  leaderEpoch: number
  highWatermark: number
  voters: ReplicaState[]
  observers: ReplicaState[]
  /** Endpoints per node id (DescribeQuorum v2: the voters' listeners), as `LISTENER://host:port`. */
  endpoints: Record<number, string[]>
}

export async function describeQuorum(client: KafkaClient): Promise<QuorumInfo> {
  const response = await client.retry('DescribeQuorum', async () => {
    const r = await client.send('any', DescribeQuorum, {
      topics: [{ topicName: METADATA_TOPIC, partitions: [{ partitionIndex: 0 }] }],
    })
    check(r.errorCode, 'DescribeQuorum', r.errorMessage)
    const partition = r.topics.find((t) => t.topicName === METADATA_TOPIC)?.partitions[0]
    if (!partition) throw new Error(`DescribeQuorum: no answer for ${METADATA_TOPIC}-0`)
    check(partition.errorCode, 'DescribeQuorum', partition.errorMessage)
    return { r, partition }
  })
  const state = (s: (typeof response.partition.currentVoters)[number]): ReplicaState => ({
    replicaId: s.replicaId,
    directoryId: s.replicaDirectoryId,
    logEndOffset: Number(s.logEndOffset),
    lastFetchTimestamp: s.lastFetchTimestamp === -1n ? null : Number(s.lastFetchTimestamp),
    lastCaughtUpTimestamp: s.lastCaughtUpTimestamp === -1n ? null : Number(s.lastCaughtUpTimestamp),
  })
  const endpoints: Record<number, string[]> = {}
  for (const node of response.r.nodes)
    endpoints[node.nodeId] = node.listeners.map(
      (l) => `${l.name}://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`,
    )
  return {
    leaderId: response.partition.leaderId,
    leaderEpoch: response.partition.leaderEpoch,
    highWatermark: Number(response.partition.highWatermark),
    voters: response.partition.currentVoters.map(state),
    observers: response.partition.observers.map(state),
    endpoints,
  }
}

export interface ClusterNode {
  id: number
  host: string
  port: number
  rack: string | null
  fenced: boolean
}

export interface ClusterDescription {
  clusterId: string
  controllerId: number
  nodes: ClusterNode[]
}

/** DescribeCluster: the brokers (or, with --bootstrap-controller, the controllers), fenced ones on request. */
export async function describeClusterNodes(
  client: KafkaClient,
  options: { controllers?: boolean; includeFenced?: boolean } = {},
): Promise<ClusterDescription> {
  const r = await client.send('any', DescribeCluster, {
    includeClusterAuthorizedOperations: false,
    ...(options.controllers ? { endpointType: 2 } : {}),
    ...(options.includeFenced ? { includeFencedBrokers: true } : {}),
  })
  check(r.errorCode, 'DescribeCluster', r.errorMessage)
  return {
    clusterId: r.clusterId,
    controllerId: r.controllerId,
    nodes: r.brokers.map((b) => ({ id: b.brokerId, host: b.host, port: b.port, rack: b.rack, fenced: b.isFenced })),
  }
}

/** A fresh ApiVersions answer from one node (its API ranges, supported and finalized features). */
export async function apiVersionsOf(client: KafkaClient, target: Target): Promise<ApiVersionsResponse> {
  const r = await client.send(target, ApiVersions, { clientSoftwareName: 'kafkit', clientSoftwareVersion: '1' })
  check(r.errorCode, 'ApiVersions')
  return r
}

export interface FeatureUpdateRequest {
  feature: string
  level: number
  /** 1 upgrade, 2 safe downgrade, 3 unsafe downgrade (UpdateFeatures v1+). */
  upgradeType: 1 | 2 | 3
}

/** Per feature: null when it succeeded, else the error message Kafka's Admin would raise. */
export async function updateFeatures(
  client: KafkaClient,
  updates: FeatureUpdateRequest[],
  validateOnly: boolean,
): Promise<Record<string, string | null>> {
  const version = await client.versionOf(UpdateFeatures, 'controller')
  const r = await client.send(
    'controller',
    UpdateFeatures,
    {
      timeoutMs: 30_000,
      validateOnly,
      featureUpdates: updates.map((u) => ({
        feature: u.feature,
        maxVersionLevel: u.level,
        // v0 knew only "allow downgrade"; v1+ says which kind.
        ...(version === 0 ? { allowDowngrade: u.upgradeType !== 1 } : { upgradeType: u.upgradeType }),
      })),
    },
    version,
  )
  const results: Record<string, string | null> = {}
  // A top-level error fails every update (as Admin's updateFeatures completes each future with it); v2 answers
  // success with the top-level code only.
  for (const u of updates) {
    const item = r.results.find((x) => x.feature === u.feature)
    const code = r.errorCode !== 0 ? r.errorCode : (item?.errorCode ?? 0)
    const message = r.errorCode !== 0 ? r.errorMessage : (item?.errorMessage ?? null)
    results[u.feature] = code === 0 ? null : kafkaError(code, message).message
  }
  return results
}

/** Null on success, else Kafka's error: `unsupported` when the cluster lacks the API. */
export async function unregisterNode(
  client: KafkaClient,
  kind: 'broker' | 'controller',
  id: number,
): Promise<{ error: null | 'unsupported' | { type: string; message: string } }> {
  const api = kind === 'broker' ? UnregisterBroker : UnregisterController
  if (!(await client.supports(api, 0, 'controller'))) return { error: 'unsupported' }
  const r =
    kind === 'broker'
      ? await client.send('controller', UnregisterBroker, { brokerId: id })
      : await client.send('controller', UnregisterController, { controllerId: id })
  if (r.errorCode === 35) return { error: 'unsupported' }
  return { error: r.errorCode === 0 ? null : kafkaError(r.errorCode, r.errorMessage) }
}

/** AddRaftVoter (KIP-853): a controller joins a dynamic quorum. Null on success, else Kafka's error. */
export async function addRaftVoter(
  client: KafkaClient,
  voter: { id: number; directoryId: string; endpoints: Array<{ name: string; host: string; port: number }> },
): Promise<{ type: string; message: string } | null> {
  const r = await client.send('controller', AddRaftVoter, {
    clusterId: null,
    timeoutMs: 30_000,
    voterId: voter.id,
    voterDirectoryId: voter.directoryId,
    listeners: voter.endpoints,
  })
  return r.errorCode === 0 ? null : kafkaError(r.errorCode, r.errorMessage)
}

/** RemoveRaftVoter (KIP-853). Null on success, else Kafka's error. */
export async function removeRaftVoter(
  client: KafkaClient,
  voter: { id: number; directoryId: string },
): Promise<{ type: string; message: string } | null> {
  const r = await client.send('controller', RemoveRaftVoter, {
    clusterId: null,
    voterId: voter.id,
    voterDirectoryId: voter.directoryId,
  })
  return r.errorCode === 0 ? null : kafkaError(r.errorCode, r.errorMessage)
}
