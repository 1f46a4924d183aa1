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
import { createClient, type ClientOptions } from './client.js'
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
 * stays open, and a failure is the one "Cannot reach Kafka" error.
 */
export async function connectAdminAndCluster(settings: ConnectionSettings, options: Omit<ClientOptions, 'servers' | 'ssl' | 'sasl'> = {}): Promise<{ admin: Admin; cluster: RawCluster }> {
  const kafka = createClient({ servers: settings.servers, ssl: settings.ssl, sasl: settings.sasl, ...options })
  const admin = kafka.admin()
  const cluster = createRawCluster(kafka)
  try {
    await admin.connect()
    await cluster.connect()
    await cluster.refreshMetadata()
  } catch (error) {
    await admin.disconnect().catch(() => {})
    await cluster.disconnect().catch(() => {})
    throw unreachable(settings, error)
  }
  return { admin, cluster }
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
