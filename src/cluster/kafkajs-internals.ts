/**
 * Every use of kafkajs internals, kept in one place with runtime checks: the fast record codecs seeded into its
 * require cache, its private cluster factory (the group-less console consumer fetches through a kafkajs Cluster, and a
 * lost member is removed with LeaveGroup), its record-batch filter and a throttle-timer fix. kafkajs is pinned to exactly KAFKAJS_VERSION in package.json: these
 * internals were read from that release (its last; the project is archived), and `checkKafkajs()` refuses any other
 * with a clear error instead of failing deep inside a command. (src/cluster/kafkajs-fast.ts replaces a few kafkajs
 * modules for speed and checks the same version.)
 *
 * No request kafkajs lacks is sent through it any more: those go through kafkit's own client (src/client/), which
 * every admin, metadata and group command uses without loading kafkajs at all.
 */
import Module, { createRequire } from 'node:module'
import type { Kafka } from 'kafkajs'
import { KafkitError } from '../errors.js'
import {
  createBatchClass,
  createProduceRequestV3,
  createRequest,
  decodeRecord,
  encodeRecord,
  groupMessagesPerPartition,
  type ProduceRequestParts,
} from './kafkajs-fast.js'

const require = createRequire(import.meta.url)

/** The kafkajs release whose internals this module was written against (package.json pins it exactly). */
const KAFKAJS_VERSION = '2.2.4'
const installedVersion = (require('kafkajs/package.json') as { version: string }).version

/** A kafkajs internal module (a path under kafkajs/src/). */
function internal<T>(path: string): T {
  checkKafkajs()
  return require(`kafkajs/src/${path}`) as T
}

/** Refuses any kafkajs but KAFKAJS_VERSION, before the first use of an internal. */
function checkKafkajs(): void {
  if (installedVersion === KAFKAJS_VERSION) return
  throw new KafkitError(
    `kafkit needs kafkajs ${KAFKAJS_VERSION} exactly (it uses its internals), but kafkajs ${installedVersion} is installed.`,
    {
      code: 'KAFKAJS_INTERNALS',
      suggestions: ["Reinstall kafkit (npm ci in a checkout) so that package.json's pinned kafkajs is used"],
    },
  )
}

/** Puts a module into the CommonJS cache under a kafkajs file's name, so kafkajs loads ours instead. */
function seed(path: string, exports: unknown): boolean {
  const filename = require.resolve(`kafkajs/src/${path}`)
  if (require.cache[filename]) return false
  const module = new Module(filename)
  module.filename = filename
  module.loaded = true
  module.exports = exports
  require.cache[filename] = module
  return true
}

/** Seeds ./kafkajs-fast.ts's replacements; must run before kafkajs itself loads (below). */
function installFastPath(): boolean {
  if (installedVersion !== KAFKAJS_VERSION) return false
  const parts: ProduceRequestParts = {
    Long: internal('utils/long.js'),
    Encoder: internal('protocol/encoder.js'),
    apiKey: internal<{ Produce: number }>('protocol/requests/apiKeys.js').Produce,
    Types: internal<{ Types: { None: number } }>('protocol/message/compression/index.js').Types,
    RecordBatch: internal<{ RecordBatch: ProduceRequestParts['RecordBatch'] }>('protocol/recordBatch/v0/index.js')
      .RecordBatch,
    lookupCodec: internal<{ lookupCodec: ProduceRequestParts['lookupCodec'] }>('protocol/message/compression/index.js')
      .lookupCodec,
  }
  return [
    seed('producer/groupMessagesPerPartition.js', groupMessagesPerPartition),
    seed('protocol/recordBatch/record/v0/index.js', encodeRecord),
    seed('protocol/recordBatch/record/v0/decoder.js', decodeRecord),
    seed('consumer/batch.js', createBatchClass(internal('consumer/filterAbortedMessages.js'))),
    seed('protocol/requests/produce/v3/request.js', createProduceRequestV3(parts)),
    seed('protocol/request.js', createRequest(parts.Encoder)),
  ].every(Boolean)
}

/** False when kafkajs is not the pinned version or was loaded before this module: its own code stays (only slower). */
export const fastPathInstalled = installFastPath()

/** kafkajs itself. Every kafkit module takes it from here, so that the fast modules are in place before it loads. */
export const kafkajs = require('kafkajs') as typeof import('kafkajs')

interface RequestQueueInternals {
  throttledUntil: number
  pending: unknown[]
  throttleCheckTimeoutId: NodeJS.Timeout | null
  checkPendingRequests(): void
  scheduleCheckPendingRequests(): void
}

/**
 * kafkajs 2.2.4's RequestQueue sets its throttle timer to `throttledUntil - now`, a large negative number when nothing
 * is throttled; Node 24+ then prints a TimeoutNegativeWarning on every produce. The same method with the delay
 * clamped: Node already ran a negative timer after 1 ms, so nothing changes but the warning.
 */
function clampThrottleTimer(): void {
  if (installedVersion !== KAFKAJS_VERSION) return
  const RequestQueue = internal<{ prototype: RequestQueueInternals }>('network/requestQueue/index.js')
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    let scheduleAt = this.throttledUntil - Date.now()
    if (this.throttleCheckTimeoutId) return
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : 10 // kafkajs's CHECK_PENDING_REQUESTS_INTERVAL
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null
        this.checkPendingRequests()
      },
      Math.max(1, scheduleAt),
    )
  }
}
clampThrottleTimer()

export interface RawBroker {
  nodeId: number
  versions: Record<string, { minVersion: number; maxVersion: number }> | null
  connectionPool: { send(request: unknown): Promise<unknown> }
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
  findGroupCoordinatorMetadata(options: {
    groupId: string
  }): Promise<{ coordinator: { nodeId: number; host: string; port: number } }>
  fetchTopicsOffset(
    topics: Array<{
      topic: string
      partitions: Array<{ partition: number }>
      fromBeginning?: boolean
      fromTimestamp?: number
    }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>
}

const READ_UNCOMMITTED = 0

/** A kafkajs Cluster (metadata, coordinators, brokers) built by the client's private factory. */
export function createRawCluster(kafka: Kafka): RawCluster {
  checkKafkajs()
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined
  if (typeof factory !== 'function') {
    throw new KafkitError(
      'This kafkajs version does not expose the cluster factory kafkit needs to read partitions (expected kafkajs 2.2.x).',
      {
        code: 'KAFKAJS_INTERNALS',
      },
    )
  }
  return factory({ allowAutoTopicCreation: false, isolationLevel: READ_UNCOMMITTED }) as RawCluster
}

/** A fetched partition as kafkajs's Fetch response decodes it (records through kafkit's fast decoder). */
export interface FetchedPartition {
  partition: number
  errorCode: number
  highWatermark: string
  abortedTransactions?: unknown[]
  messages: Array<import('kafkajs').KafkaMessage & { isControlRecord?: boolean }>
}

interface FetchBroker {
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
      throw new KafkitError(`This kafkajs version has no Cluster#${method} (expected kafkajs 2.2.x).`, {
        code: 'KAFKAJS_INTERNALS',
      })
    }
  }
  return cluster
}

/**
 * The records of a fetched partition a consumer may show: kafkajs's Batch drops records before the fetch offset
 * (a compressed batch starts earlier), aborted transactional records and control records, exactly as its consumer does.
 */
export function visibleRecords(
  topic: string,
  fetchOffset: string,
  partition: FetchedPartition,
): FetchedPartition['messages'] {
  const Batch =
    internal<new (topic: string, offset: string, data: FetchedPartition) => { messages: FetchedPartition['messages'] }>(
      'consumer/batch.js',
    )
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
