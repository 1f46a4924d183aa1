/**
 * The text kafka-metadata-quorum.sh, kafka-cluster.sh and kafka-broker-api-versions.sh print (Kafka 4.4's
 * MetadataQuorumCommand, ClusterTool, BrokerApiVersionsCommand and NodeApiVersions.toString(true)), pure.
 */
import { APIS } from '../protocol/apis.js'
import { javaFormat, javaHashMapOrder, javaStringHash } from '../output/java-format.js'
import type { ClusterNode, QuorumInfo, ReplicaState } from '../cluster/kraft-admin.js'

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** MetadataQuorumCommand's Node record: `{"id": 1, "directoryId": "...", "endpoints": ["CONTROLLER://h:p"]}`. */
function nodeText(id: number, directoryId: string, endpoints: string[]): string {
  let s = `{"id": ${id}`
  if (directoryId !== ZERO_UUID) s += `, "directoryId": "${directoryId}"`
  if (endpoints.length > 0) s += `, "endpoints": [${endpoints.map((e) => `"${e}"`).join(', ')}]`
  return s + '}'
}

function leaderOf(q: QuorumInfo): ReplicaState {
  const leader = q.voters.find((v) => v.replicaId === q.leaderId)
  if (!leader) throw new Error(`The quorum's leader ${q.leaderId} is not among its voters`)
  return leader
}

export interface QuorumStatus {
  clusterId: string
  leaderId: number
  leaderEpoch: number
  highWatermark: number
  maxFollowerLag: number
  maxFollowerLagTimeMs: number
  currentVoters: string
  currentObservers: string
}

/** handleDescribeStatus's figures: the lag of the voter furthest behind, in offsets and in time. */
export function quorumStatus(clusterId: string, q: QuorumInfo): QuorumStatus {
  const leader = leaderOf(q)
  // Stream.min keeps the first of equal elements.
  const maxLag = q.voters.reduce((min, v) => (v.logEndOffset < min.logEndOffset ? v : min), q.voters[0]!)
  const maxFollowerLagTimeMs =
    leader === maxLag
      ? 0
      : leader.lastCaughtUpTimestamp !== null && maxLag.lastCaughtUpTimestamp !== null
        ? leader.lastCaughtUpTimestamp - maxLag.lastCaughtUpTimestamp
        : -1
  const list = (replicas: ReplicaState[]) =>
    `[${replicas.map((r) => nodeText(r.replicaId, r.directoryId, q.endpoints[r.replicaId] ?? [])).join(', ')}]`
  return {
    clusterId,
    leaderId: q.leaderId,
    leaderEpoch: q.leaderEpoch,
    highWatermark: q.highWatermark,
    maxFollowerLag: leader.logEndOffset - maxLag.logEndOffset,
    maxFollowerLagTimeMs,
    currentVoters: list(q.voters),
    currentObservers: list(q.observers),
  }
}

export function renderQuorumStatus(s: QuorumStatus): string {
  return (
    `ClusterId:              ${s.clusterId}\n` +
    `LeaderId:               ${s.leaderId}\n` +
    `LeaderEpoch:            ${s.leaderEpoch}\n` +
    `HighWatermark:          ${s.highWatermark}\n` +
    `MaxFollowerLag:         ${s.maxFollowerLag}\n` +
    `MaxFollowerLagTimeMs:   ${s.maxFollowerLagTimeMs}\n` +
    `CurrentVoters:          ${s.currentVoters}\n` +
    `CurrentObservers:       ${s.currentObservers}\n`
  )
}

export interface ReplicationRow {
  nodeId: number
  directoryId: string
  logEndOffset: number
  lag: number
  /** Epoch ms, or with --human-readable "N ms ago"; -1 when unknown. */
  lastFetchTimestamp: string
  lastCaughtUpTimestamp: string
  status: 'Leader' | 'Follower' | 'Observer'
}

/** handleDescribeReplication's rows: the leader, the other voters, the observers. */
export function replicationRows(q: QuorumInfo, humanReadable: boolean, now = Date.now()): ReplicationRow[] {
  const leader = leaderOf(q)
  const time = (ts: number | null, what: string) => {
    if (ts === null) return '-1'
    if (!humanReadable) return String(ts)
    if (ts <= 0 || ts > now)
      throw new Error(
        `Error while computing relative time, possible drift in system clock.\nCurrent timestamp is ${now}, ${what} timestamp is ${ts}`,
      )
    return `${now - ts} ms ago`
  }
  const rows = (replicas: ReplicaState[], status: ReplicationRow['status']) =>
    replicas.map((r) => ({
      nodeId: r.replicaId,
      directoryId: r.directoryId,
      logEndOffset: r.logEndOffset,
      lag: leader.logEndOffset - r.logEndOffset,
      lastFetchTimestamp: time(r.lastFetchTimestamp, 'last fetch'),
      lastCaughtUpTimestamp: time(r.lastCaughtUpTimestamp, 'last caught up'),
      status,
    }))
  return [
    ...rows([leader], 'Leader'),
    ...rows(
      q.voters.filter((v) => v.replicaId !== q.leaderId),
      'Follower',
    ),
    ...rows(q.observers, 'Observer'),
  ]
}

/** ToolsUtils.prettyPrintTable: columns padded to their widest cell, each followed by a tab. */
export function prettyPrintTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!) + '\t').join('') + '\n'
  return line(headers) + rows.map(line).join('')
}

export function renderReplication(rows: ReplicationRow[]): string {
  return prettyPrintTable(
    ['NodeId', 'DirectoryId', 'LogEndOffset', 'Lag', 'LastFetchTimestamp', 'LastCaughtUpTimestamp', 'Status'],
    rows.map((r) => [
      String(r.nodeId),
      r.directoryId,
      String(r.logEndOffset),
      String(r.lag),
      r.lastFetchTimestamp,
      r.lastCaughtUpTimestamp,
      r.status,
    ]),
  )
}

/** ClusterTool.listEndpoints: a printf table whose HOST and RACK widths follow the longest value. */
export function renderEndpoints(nodes: ClusterNode[], controllers: boolean): string {
  const hostWidth = nodes.length > 0 ? Math.max(...nodes.map((n) => n.host.length)) : 100
  const racks = nodes.filter((n) => n.rack !== null).map((n) => n.rack!.length)
  const rackWidth = racks.length > 0 ? Math.max(...racks) : 10
  if (controllers) {
    const format = `%-10s %-${hostWidth}s %-10s %-${rackWidth}s %-15s%n`
    return (
      javaFormat(format, 'ID', 'HOST', 'PORT', 'RACK', 'ENDPOINT_TYPE') +
      nodes.map((n) => javaFormat(format, String(n.id), n.host, n.port, String(n.rack), 'controller')).join('')
    )
  }
  const format = `%-10s %-${hostWidth}s %-10s %-${rackWidth}s %-10s %-15s%n`
  return (
    javaFormat(format, 'ID', 'HOST', 'PORT', 'RACK', 'STATE', 'ENDPOINT_TYPE') +
    nodes
      .map((n) =>
        javaFormat(format, String(n.id), n.host, n.port, String(n.rack), n.fenced ? 'fenced' : 'unfenced', 'broker'),
      )
      .join('')
  )
}

/** APIs only controllers answer (ApiKeys whose listeners exclude "broker" in kafka-clients 4.4.0). */
const NOT_BROKER_APIS = new Set([4, 5, 6, 7, 52, 53, 54, 56, 58, 59, 62, 63, 67, 70, 73, 82])

export interface NodeApiVersionsView {
  node: string
  /** One entry per API, by key: "Name(key): min to max [usable: n]". */
  apis: string[]
  error?: string
}

/**
 * NodeApiVersions.toString(true)'s entries: each API the node lists, with kafkit's own usable version (the newest
 * both sides speak, kafkit's range being the generated codec's, as the Java tool's is its client's), and the broker
 * APIs the node lacks as UNSUPPORTED.
 */
export function apiVersionEntries(
  versions: Array<{ apiKey: number; minVersion: number; maxVersion: number }>,
): string[] {
  const known = new Map<number, (typeof APIS)[number]>(APIS.map((a) => [a.apiKey, a]))
  const entries = new Map<number, string>()
  for (const v of versions) {
    const api = known.get(v.apiKey)
    const range = v.minVersion === v.maxVersion ? `${v.minVersion}` : `${v.minVersion} to ${v.maxVersion}`
    if (!api) {
      entries.set(v.apiKey, `UNKNOWN(${v.apiKey}): ${range}`)
      continue
    }
    const usable =
      api.maxStableVersion < v.minVersion
        ? ' [unusable: node too new]'
        : v.maxVersion < api.minVersion
          ? ' [unusable: node too old]'
          : ` [usable: ${Math.min(api.maxStableVersion, v.maxVersion)}]`
    entries.set(v.apiKey, `${api.name}(${api.apiKey}): ${range}${usable}`)
  }
  for (const api of APIS)
    if (!NOT_BROKER_APIS.has(api.apiKey) && !entries.has(api.apiKey))
      entries.set(api.apiKey, `${api.name}(${api.apiKey}): UNSUPPORTED`)
  return [...entries.entries()].sort(([a], [b]) => a - b).map(([, text]) => text)
}

/** `host:port (id: 1 rack: null isFenced: false) -> (\n\tProduce(0): 3 to 13 [usable: 13],\n...\n)`. */
export function renderApiVersions(views: NodeApiVersionsView[]): string {
  return views
    .map((v) =>
      v.error !== undefined ? `${v.node} -> ERROR: ${v.error}\n` : `${v.node} -> (\n\t${v.apis.join(',\n\t')}\n)\n`,
    )
    .join('')
}

/** org.apache.kafka.common.Node.toString. */
export function nodeString(n: {
  id: number
  host: string
  port: number
  rack: string | null
  fenced?: boolean
}): string {
  return `${n.host}:${n.port} (id: ${n.id} rack: ${n.rack} isFenced: ${n.fenced ?? false})`
}

/** Node.hashCode, for the HashMap order kafka-broker-api-versions.sh prints its brokers in. */
export function nodeHash(n: { id: number; host: string; port: number; rack: string | null; fenced?: boolean }): number {
  let h = (31 + javaStringHash(n.host)) | 0
  h = (Math.imul(31, h) + n.id) | 0
  h = (Math.imul(31, h) + n.port) | 0
  h = (Math.imul(31, h) + (n.rack === null ? 0 : javaStringHash(n.rack))) | 0
  h = (Math.imul(31, h) + (n.fenced ? 1231 : 1237)) | 0
  return h
}

export function hashMapOrderOfNodes<T extends { id: number; host: string; port: number; rack: string | null }>(
  nodes: T[],
): T[] {
  return javaHashMapOrder(nodes, nodeHash)
}
