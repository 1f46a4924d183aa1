/**
 * kafkit's own Kafka client for admin and metadata requests, on the generated codec (../protocol/): a connection per
 * broker opened on first use (versions negotiated, SASL done), a metadata cache, routing to the controller, a
 * partition's leader or a group/transaction/share coordinator, and retries of retriable errors with backoff.
 * kafkajs stays the console producer's and group consumer's client (see docs/ARCHITECTURE.md).
 */
import type { AnyApi, RequestInputOf, ResponseOf } from '../protocol/api.js'
import { DescribeCluster } from '../protocol/messages/describe-cluster.js'
import { FindCoordinator } from '../protocol/messages/find-coordinator.js'
import { Metadata, type MetadataResponse } from '../protocol/messages/metadata.js'
import { sleep } from '../util/sleep.js'
import { BrokerConnection, type ConnectionOptionsIn, type TlsSettings, type VersionRange } from './connection.js'
import { ConnectionError, ERROR, KafkaProtocolError, RequestTimeoutError } from './errors.js'
import type { SaslCredentials } from './sasl.js'

/** Fetch's API key, read from the ApiVersions answer only (no Fetch codec is loaded for it). */
const FETCH_API_KEY = 1

/** A broker's ApiVersions answer says Kafka before 4.0: Fetch from v0 (4.0 starts at v4). */
export function beforeKafka4(versions: ReadonlyMap<number, VersionRange>): boolean {
  return versions.get(FETCH_API_KEY)?.min === 0
}

export interface ClientSettings {
  servers: string[]
  ssl?: boolean | TlsSettings
  sasl?: SaslCredentials
  clientId?: string
  /** Per connection attempt (default 3 s: local brokers answer at once, a wrong port should not cost more). */
  connectionTimeoutMs?: number
  requestTimeoutMs?: number
  /** Retries of retriable errors (default 5, backoff 100 ms doubling to 1 s). */
  retries?: number
  /** One line per request and answer, for --debug. */
  trace?: (line: string) => void
  /**
   * The servers are KRaft controllers (the tools' --bootstrap-controller): they answer no Metadata, so the nodes,
   * the active controller and the cluster id come from DescribeCluster with the controller endpoint type (KIP-919).
   */
  controllers?: boolean
}

export interface BrokerInfo {
  nodeId: number
  host: string
  port: number
  rack: string | null
}

export enum CoordinatorType {
  Group = 0,
  Transaction = 1,
  Share = 2,
}

/** Where a request goes. */
export type Target = number | 'any' | 'controller'

const DEFAULT_CONNECTION_TIMEOUT_MS = 3000
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
const COORDINATOR_ERRORS = new Set<number>([
  ERROR.COORDINATOR_LOAD_IN_PROGRESS,
  ERROR.COORDINATOR_NOT_AVAILABLE,
  ERROR.NOT_COORDINATOR,
])

export class KafkaClient {
  private readonly connections = new Map<number, Promise<BrokerConnection>>()
  private readonly coordinators = new Map<string, number>()
  brokers = new Map<number, BrokerInfo>()
  controllerId = -1
  clusterId: string | null = null
  private readonly options: ConnectionOptionsIn

  private constructor(
    readonly settings: ClientSettings,
    private bootstrap: BrokerConnection,
  ) {
    this.options = connectionOptions(settings)
  }

  /** Connects to the first bootstrap server that answers and loads the cluster's brokers. */
  static async connect(settings: ClientSettings): Promise<KafkaClient> {
    const options = connectionOptions(settings)
    const errors: unknown[] = []
    for (const server of settings.servers) {
      const { host, port } = splitAddress(server)
      try {
        const connection = await BrokerConnection.open(host, port, options)
        const client = new KafkaClient(settings, connection)
        try {
          await (settings.controllers ? client.describeControllers() : client.metadata([]))
        } catch (error) {
          client.close()
          throw error
        }
        return client
      } catch (error) {
        // Authentication and protocol errors are answers: the next server would say the same.
        if (!(error instanceof ConnectionError) && !(error instanceof RequestTimeoutError)) throw error
        errors.push(error)
      }
    }
    throw errors.length === 1
      ? errors[0]
      : new ConnectionError(errors.map((e) => (e as Error).message).join('; '), settings.servers.join(','), errors[0])
  }

  /** The connection to a broker (opened on first use), the controller, or any broker. */
  async connection(target: Target): Promise<BrokerConnection> {
    if (target === 'any') {
      if (this.bootstrap.isOpen) return this.bootstrap
      const first = [...this.brokers.keys()][0]
      if (first === undefined) throw new ConnectionError('No broker is known', this.settings.servers.join(','))
      return this.connection(first)
    }
    const nodeId = target === 'controller' ? this.controllerId : target
    if (nodeId < 0) return this.connection('any')
    const existing = this.connections.get(nodeId)
    if (existing) {
      const connection = await existing.catch(() => undefined)
      if (connection?.isOpen) return connection
      this.connections.delete(nodeId)
    }
    const broker = this.brokers.get(nodeId)
    if (!broker) {
      await (this.settings.controllers ? this.describeControllers() : this.metadata([]))
      if (!this.brokers.has(nodeId)) throw new ConnectionError(`Broker ${nodeId} is not in the cluster`, String(nodeId))
    }
    const { host, port } = this.brokers.get(nodeId)!
    // The bootstrap connection is reused when it points at the same broker.
    const opened =
      this.bootstrap.isOpen && this.bootstrap.host === host && this.bootstrap.port === port
        ? Promise.resolve(this.bootstrap)
        : BrokerConnection.open(host, port, this.options)
    this.connections.set(nodeId, opened)
    return opened
  }

  /** Sends one request; the version is the highest both sides speak unless given. */
  async send<A extends AnyApi>(
    target: Target,
    api: A,
    data: RequestInputOf<A>,
    version?: number,
  ): Promise<ResponseOf<A>> {
    const connection = await this.connection(target)
    return connection.send(api, data, version ?? connection.versionFor(api))
  }

  /** The negotiated version of an API with a broker (throws UnsupportedApiError when there is none). */
  async versionOf(api: AnyApi, target: Target = 'any'): Promise<number> {
    return (await this.connection(target)).versionFor(api)
  }

  async supports(api: AnyApi, minVersion = 0, target: Target = 'any'): Promise<boolean> {
    return (await this.connection(target)).supports(api, minVersion)
  }

  /**
   * Whether a broker runs Kafka before 4.0: it still speaks Fetch v0, which 4.0 removed (KIP-896; not Produce v0, which
   * 4.0 advertises again for old librdkafka clients). For the commands that print what the broker's own version of
   * the script prints (Kafka 3.9's Scala tools wrote other text).
   */
  async brokerBeforeKafka4(target: Target = 'any'): Promise<boolean> {
    return beforeKafka4((await this.connection(target)).versions)
  }

  /** Metadata for some topics (`null`: all), refreshing the broker list, controller and cluster id. */
  async metadata(topics: string[] | null, allowAutoTopicCreation = false): Promise<MetadataResponse> {
    const connection = await this.connection('any')
    const version = connection.versionFor(Metadata)
    const response = await connection.send(
      Metadata,
      {
        topics: topics === null ? null : topics.map((name) => ({ name })),
        allowAutoTopicCreation,
      },
      version,
    )
    this.brokers = new Map(
      response.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack }]),
    )
    this.controllerId = response.controllerId
    this.clusterId = response.clusterId
    return response
  }

  /** The controllers (with --bootstrap-controller): node list, active controller and cluster id. */
  async describeControllers(): Promise<void> {
    const response = await this.send('any', DescribeCluster, {
      includeClusterAuthorizedOperations: false,
      endpointType: 2,
    })
    if (response.errorCode !== 0)
      throw new KafkaProtocolError(response.errorCode, 'DescribeCluster', response.errorMessage)
    this.brokers = new Map(
      response.brokers.map((b) => [b.brokerId, { nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack }]),
    )
    this.controllerId = response.controllerId
    this.clusterId = response.clusterId
  }

  /** The coordinator of a group (or transactional id, or share-partition key), cached until forgotten. */
  async coordinator(key: string, type = CoordinatorType.Group): Promise<number> {
    const cacheKey = `${type}:${key}`
    const cached = this.coordinators.get(cacheKey)
    if (cached !== undefined) return cached
    const nodeId = await this.retry(`FindCoordinator ${key}`, async () => {
      const connection = await this.connection('any')
      const version = connection.versionFor(FindCoordinator)
      const response =
        version >= 4
          ? await connection.send(FindCoordinator, { keyType: type, coordinatorKeys: [key] }, version)
          : await connection.send(FindCoordinator, { keyType: type, key }, version)
      const entry = version >= 4 ? response.coordinators[0] : response
      if (!entry) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `FindCoordinator ${key}`)
      if (entry.errorCode !== 0)
        throw new KafkaProtocolError(entry.errorCode, `FindCoordinator ${key}`, entry.errorMessage)
      if (!this.brokers.has(entry.nodeId))
        this.brokers.set(entry.nodeId, { nodeId: entry.nodeId, host: entry.host, port: entry.port, rack: null })
      return entry.nodeId
    })
    this.coordinators.set(cacheKey, nodeId)
    return nodeId
  }

  /**
   * Runs `fn` against a group's coordinator. While the coordinator moves or loads (NOT_COORDINATOR,
   * COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS: for seconds after __consumer_offsets is created), looks it
   * up again and retries until the request timeout, as Kafka's admin client does within default.api.timeout.ms.
   */
  async withCoordinator<T>(key: string, type: CoordinatorType, fn: (nodeId: number) => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)
    let delay = 50
    for (;;) {
      try {
        return await this.retry(`coordinator of ${key}`, async () => fn(await this.coordinator(key, type)))
      } catch (error) {
        const moved =
          error instanceof ConnectionError ||
          (error instanceof KafkaProtocolError && COORDINATOR_ERRORS.has(error.code))
        if (!moved || Date.now() + delay > deadline) throw error
        this.coordinators.delete(`${type}:${key}`)
        await sleep(delay)
        delay = Math.min(delay * 2, 500)
      }
    }
  }

  /** Retries `fn` while it fails with a retriable Kafka error (or, once, a dropped connection), with backoff. */
  async retry<T>(what: string, fn: () => Promise<T>, retries = this.settings.retries ?? 5): Promise<T> {
    let delay = 100
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn()
      } catch (error) {
        const retriable =
          (error instanceof KafkaProtocolError && error.retriable && !COORDINATOR_ERRORS.has(error.code)) ||
          (error instanceof ConnectionError && attempt === 0)
        if (!retriable || attempt >= retries) throw error
        await sleep(delay)
        delay = Math.min(delay * 2, 1000)
      }
    }
  }

  /** Groups items by the leader of their partition (from fresh metadata); unknown leaders under -1. */
  async byLeader<T>(
    items: T[],
    partitionOf: (item: T) => { topic: string; partition: number },
  ): Promise<Map<number, T[]>> {
    const topics = [...new Set(items.map((i) => partitionOf(i).topic))]
    const metadata = topics.length > 0 ? await this.metadata(topics) : undefined
    const leaders = new Map<string, number>()
    for (const t of metadata?.topics ?? [])
      for (const p of t.partitions) leaders.set(`${t.name}\u0000${p.partitionIndex}`, p.leaderId)
    const grouped = new Map<number, T[]>()
    for (const item of items) {
      const { topic, partition } = partitionOf(item)
      const leader = leaders.get(`${topic}\u0000${partition}`) ?? -1
      grouped.set(leader, [...(grouped.get(leader) ?? []), item])
    }
    return grouped
  }

  close(): void {
    this.bootstrap.close()
    for (const opened of this.connections.values()) void opened.then((c) => c.close()).catch(() => {})
    this.connections.clear()
  }
}

function connectionOptions(settings: ClientSettings): ConnectionOptionsIn {
  return {
    clientId: settings.clientId ?? 'kafkit',
    ssl: settings.ssl,
    sasl: settings.sasl,
    connectionTimeoutMs: settings.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    trace: settings.trace,
  }
}

/** host:port, [ipv6]:port. */
export function splitAddress(server: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(server.trim())
  if (!match) return { host: server.trim(), port: 9092 }
  return { host: match[1]!, port: Number(match[2]) }
}
