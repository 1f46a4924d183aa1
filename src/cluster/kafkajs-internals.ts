/**
 * The few kafkajs internals the consumer-groups commands need, kept in one place with runtime checks.
 *
 * kafkajs 2.2.4 (its last release; the project is archived, so these internals no longer move) has no admin call for
 * what Kafka's own tool does with offsets: it commits them as a "simple" client (OffsetCommit with generation -1 and
 * no member id, exactly like AdminClient.alterConsumerGroupOffsets), deletes them (OffsetDelete, API key 47, which
 * kafkajs does not implement at all), and lists end offsets with READ_UNCOMMITTED isolation (the high watermark the
 * script shows; kafkajs's admin asks for READ_COMMITTED). kafkajs's own `admin.setOffsets` joins the group as a member
 * instead, which bumps the generation and needs a single-topic subscription.
 *
 * So we build a kafkajs Cluster through the client's private factory and talk to the group coordinator with the
 * broker's connection. Everything else stays on kafkajs's public API.
 */
import { createRequire } from 'node:module'
import type { Admin, Kafka } from 'kafkajs'
import { KafkitError } from '../errors.js'
import { createClient, DEFAULT_CONNECTION_TIMEOUT_MS, type ClientOptions } from './client.js'
import { connectOrExplain } from './probe.js'
import { unreachable, type ConnectionSettings } from './connection.js'

const require = createRequire(import.meta.url)

/** kafkajs's protocol encoder (writes the non-flexible, pre-KIP-482 wire format). */
interface Encoder {
  writeInt16(v: number): Encoder
  writeInt32(v: number): Encoder
  writeString(v: string | null): Encoder
  writeArray(items: Encoder[] | number[]): Encoder
}
interface Decoder {
  readInt16(): number
  readInt32(): number
  readString(): string
  readArray<T>(fn: (d: Decoder) => T): T[]
}

export interface RawBroker {
  nodeId: number
  versions: Record<string, { minVersion: number; maxVersion: number }> | null
  connectionPool: { send(request: unknown): Promise<any> }
  offsetCommit(request: {
    groupId: string
    groupGenerationId: number
    memberId: string
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>
  }): Promise<{ responses: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }> }>
  deleteGroups(groupIds: string[]): Promise<{ results: Array<{ groupId: string; errorCode: number; error?: Error }> }>
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>
}

export interface RawCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  refreshMetadata(): Promise<void>
  addMultipleTargetTopics(topics: string[]): Promise<void>
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>
  findGroupCoordinator(options: { groupId: string }): Promise<RawBroker>
  findGroupCoordinatorMetadata(options: { groupId: string }): Promise<{ coordinator: { nodeId: number; host: string; port: number } }>
  fetchTopicsOffset(topics: Array<{ topic: string; partitions: Array<{ partition: number }>; fromBeginning?: boolean; fromTimestamp?: number }>):
    Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>
}

const READ_UNCOMMITTED = 0

/** A kafkajs Cluster (metadata, coordinators, brokers) built by the client's private factory. */
export function createRawCluster(kafka: Kafka): RawCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined
  if (typeof factory !== 'function') {
    throw new KafkitError('This kafkajs version does not expose the cluster factory kafkit needs for offset commits (expected kafkajs 2.2.x).', {
      code: 'KAFKAJS_INTERNALS',
    })
  }
  return factory({ allowAutoTopicCreation: false, isolationLevel: READ_UNCOMMITTED }) as RawCluster
}

/**
 * A kafkajs admin client plus a raw cluster on the same client, both connected, with metadata loaded (the raw
 * cluster's broker pool stays empty until its first metadata request). Either both are returned or neither
 * stays open, and a failure is the one "Cannot reach Kafka" error, naming what answered at the address.
 *
 * kafkajs alone is slow to give up on a wrong port: it sends ApiVersions with its request timeout (30 s, not the
 * connection timeout) and retries it, so a server that never answers costs a minute. The connect is therefore
 * raced against the connection timeout and a raw probe (./probe.ts) decides whether it is worth waiting for.
 */
export async function connectAdminAndCluster(settings: ConnectionSettings, options: Omit<ClientOptions, 'servers' | 'ssl' | 'sasl'> = {}): Promise<{ admin: Admin; cluster: RawCluster }> {
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS
  const kafka = createClient({ servers: settings.servers, ssl: settings.ssl, sasl: settings.sasl, ...options, connectionTimeoutMs })
  const admin = kafka.admin()
  const cluster = createRawCluster(kafka)
  const connecting = (async () => {
    await admin.connect()
    await cluster.connect()
    await cluster.refreshMetadata()
  })()
  const abort = async () => {
    await Promise.all([admin.disconnect().catch(() => {}), cluster.disconnect().catch(() => {})])
  }
  await connectOrExplain(settings, connectionTimeoutMs, connecting, abort, (error, reports) => unreachable(settings, error, reports))
  return { admin, cluster }
}

/** A fetched partition as kafkajs's Fetch response decodes it (records through kafkit's fast decoder). */
export interface FetchedPartition {
  partition: number
  errorCode: number
  highWatermark: string
  abortedTransactions?: unknown[]
  messages: Array<import('kafkajs').KafkaMessage & { isControlRecord?: boolean }>
}

export interface FetchBroker {
  nodeId: number
  fetch(request: {
    isolationLevel: 0 | 1
    maxWaitTime: number
    minBytes: number
    maxBytes: number
    topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>
  }): Promise<{ responses: Array<{ topicName: string; partitions: FetchedPartition[] }> }>
}

/** What the group-less console consumer needs of a kafkajs Cluster: metadata, leaders, their connections. */
export interface FetchCluster {
  connect(): Promise<void>
  disconnect(): Promise<void>
  isConnected(): boolean
  refreshMetadata(): Promise<void>
  addMultipleTargetTopics(topics: string[]): Promise<void>
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>
  findBroker(options: { nodeId: string }): Promise<FetchBroker>
  removeBroker(options: { host: string; port: number }): void
}

/**
 * A kafkajs Cluster for reading partitions directly, with no consumer group (as kcat and the Java consumer's
 * assign() do). kafkajs's own consumer only reads through a group.
 */
export function createFetchCluster(kafka: Kafka): FetchCluster {
  const cluster = createRawCluster(kafka) as unknown as FetchCluster
  for (const method of ['isConnected', 'findBroker', 'removeBroker', 'findTopicPartitionMetadata'] as const) {
    if (typeof cluster[method] !== 'function') {
      throw new KafkitError(`This kafkajs version has no Cluster#${method} (expected kafkajs 2.2.x).`, { code: 'KAFKAJS_INTERNALS' })
    }
  }
  return cluster
}

/**
 * The records of a fetched partition a consumer may show: kafkajs's Batch drops records before the fetch offset
 * (a compressed batch starts earlier), aborted transactional records and control records, exactly as its consumer does.
 */
export function visibleRecords(topic: string, fetchOffset: string, partition: FetchedPartition): FetchedPartition['messages'] {
  const Batch = require('kafkajs/src/consumer/batch') as new (topic: string, offset: string, data: FetchedPartition) => { messages: FetchedPartition['messages'] }
  return new Batch(topic, fetchOffset, partition).messages
}

/**
 * Removes one member from a classic group now (LeaveGroup), as its own consumer would on a clean close. Used after
 * a consumer was lost with a broker restart: a new member would otherwise wait for the old one's session timeout.
 */
export async function leaveGroup(kafka: Kafka, groupId: string, memberId: string): Promise<void> {
  const cluster = createRawCluster(kafka)
  try {
    await cluster.connect()
    const coordinator = await cluster.findGroupCoordinator({ groupId })
    await coordinator.leaveGroup({ groupId, memberId }).catch((error: { type?: string }) => {
      // Already gone (its session expired, or the group was emptied): that is what we wanted.
      if (error.type !== 'UNKNOWN_MEMBER_ID') throw error
    })
  } finally {
    await cluster.disconnect().catch(() => {})
  }
}

const OFFSET_DELETE_API_KEY = 47

export interface OffsetDeleteResult {
  errorCode: number
  topics: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }>
}

/**
 * OffsetDelete v0 (KIP-496, Kafka 2.4+; still the only version in 4.x):
 *   request  => group_id [topics => name [partitions => partition_index]]
 *   response => error_code throttle_time_ms [topics => name [partitions => partition_index error_code]]
 * Sent on the coordinator's connection; the connection adds the request header and matches the correlation id.
 */
export async function sendOffsetDelete(
  broker: RawBroker,
  groupId: string,
  topics: Array<{ topic: string; partitions: number[] }>,
): Promise<OffsetDeleteResult> {
  const range = broker.versions?.[OFFSET_DELETE_API_KEY]
  if (!range) {
    throw new KafkitError('The group coordinator does not support OffsetDelete (it needs Kafka 2.4 or newer).', { code: 'UNSUPPORTED_API' })
  }
  const EncoderClass = require('kafkajs/src/protocol/encoder') as new () => Encoder
  const DecoderClass = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => Decoder
  const request = {
    apiKey: OFFSET_DELETE_API_KEY,
    apiVersion: 0,
    apiName: 'OffsetDelete',
    encode: async () =>
      new EncoderClass()
        .writeString(groupId)
        .writeArray(topics.map(({ topic, partitions }) =>
          new EncoderClass().writeString(topic).writeArray(partitions.map((p) => new EncoderClass().writeInt32(p))))),
  }
  const response = {
    decode: async (raw: Buffer): Promise<OffsetDeleteResult> => {
      const decoder = new DecoderClass(raw)
      const errorCode = decoder.readInt16()
      decoder.readInt32() // throttle_time_ms
      const decoded = decoder.readArray((d) => ({
        topic: d.readString(),
        partitions: d.readArray((p) => ({ partition: p.readInt32(), errorCode: p.readInt16() })),
      }))
      return { errorCode, topics: decoded }
    },
    // Errors are reported per group and partition by the caller, never thrown here.
    parse: async (data: OffsetDeleteResult) => data,
  }
  return (await broker.connectionPool.send({ request, response })) as OffsetDeleteResult
}

/** kafkajs's table of Kafka error codes → { type, message }. */
export function kafkaError(code: number): { type: string; message: string } {
  const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: Array<{ type: string; code: number; message: string }> }
  const found = errorCodes.find((e) => e.code === code)
  return found ? { type: found.type, message: found.message } : { type: `ERROR_${code}`, message: `Kafka error code ${code}` }
}
