/**
 * The seams of the embedded broker (issue 15), written first so its three parts can be built side by side:
 * the server (sockets, frames, headers, dispatch, metadata and topic admin, the data APIs) in server/ and handlers/,
 * the storage (segment files, indexes, producer state) in storage/, and the group coordinator in groups/.
 * Every request is decoded and every response encoded by the generated codec (src/protocol); a handler only sees
 * typed data.
 */
import type { AnyApi, RequestOf, ResponseInputOf } from '../protocol/api.js'

/** What a handler knows about the request beyond its body. */
export interface RequestContext {
  apiVersion: number
  clientId: string | null
  /** "host:port" of the client, for DescribeGroups' clientHost and logs. */
  clientAddress: string
  /** Stable for one TCP connection (group members are not tied to it, but logs are). */
  connectionId: number
}

/** Returned by a handler that must send nothing back (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response')

export type Handler<A extends AnyApi> = (
  request: RequestOf<A>,
  context: RequestContext,
) => ResponseInputOf<A> | typeof NO_RESPONSE | Promise<ResponseInputOf<A> | typeof NO_RESPONSE>

export interface HandlerEntry {
  api: AnyApi
  /**
   * Versions this broker answers; ApiVersions advertises exactly these. Default: the codec's range up to its newest
   * stable version (Kafka advertises unstable versions only with unstable.api.versions.enable).
   */
  minVersion?: number
  maxVersion?: number
  handle: Handler<AnyApi>
}

/** Typed registration: `handler(Heartbeat, (req) => ({ errorCode: 0 }))`. */
export function handler<A extends AnyApi>(
  api: A,
  handle: Handler<A>,
  versions?: { minVersion?: number; maxVersion?: number },
): HandlerEntry {
  return { api, handle: handle as Handler<AnyApi>, ...versions }
}

/** One topic as the broker holds it (persisted by the server's metadata store). */
export interface TopicInfo {
  name: string
  /** Base64url, 22 characters, as the codec's Uuid. */
  topicId: string
  partitions: number
  configs: Record<string, string>
}

/** What the group coordinator may ask of the rest of the broker. */
export interface BrokerView {
  nodeId: number
  host: string
  port: number
  clusterId: string
  topics(): TopicInfo[]
  topic(name: string): TopicInfo | undefined
  topicById(topicId: string): TopicInfo | undefined
}

/** A Kafka error raised inside the broker: handlers turn it into the response's error code. */
export class BrokerError extends Error {
  constructor(
    readonly errorCode: number,
    message?: string,
  ) {
    super(message ?? `Kafka error ${errorCode}`)
  }
}

// ---- Storage (storage/) ----

export interface LogConfig {
  /** segment.bytes (default 1 GiB). */
  segmentBytes: number
  /** retention.ms (-1: forever; default 7 days). */
  retentionMs: number
  /** retention.bytes (-1: no limit). */
  retentionBytes: number
  /** message.timestamp.type. */
  timestampType: 'CreateTime' | 'LogAppendTime'
  /** max.message.bytes: the largest batch accepted. */
  maxMessageBytes: number
}

export interface AppendResult {
  /** Offset of the first record appended (or of the original, for a duplicate idempotent batch). */
  baseOffset: bigint
  lastOffset: bigint
  /** The broker's time when LogAppendTime, else -1. */
  logAppendTimeMs: bigint
  logStartOffset: bigint
  duplicate: boolean
}

/** One partition's log: batches kept as received (magic v2), only the base offset rewritten. */
export interface PartitionLog {
  readonly logStartOffset: bigint
  /** The offset the next record gets (= the high watermark on a single node). */
  readonly logEndOffset: bigint
  /**
   * Appends the record batches of one Produce partition (CRC-32C checked; idempotent producers' sequences checked
   * against the producer state rebuilt from the log). Throws BrokerError (CORRUPT_MESSAGE,
   * OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, MESSAGE_TOO_LARGE, INVALID_RECORD...).
   */
  append(records: Buffer, nowMs: bigint): AppendResult
  /** Whole batches from the one holding fetchOffset, at most maxBytes but always one whole batch if any. */
  read(fetchOffset: bigint, maxBytes: number): Buffer
  /** ListOffsets by timestamp: the first record with timestamp >= ts, or null (Kafka answers -1). */
  offsetForTimestamp(timestampMs: bigint): { offset: bigint; timestamp: bigint } | null
  /** ListOffsets MAX_TIMESTAMP (-3). */
  maxTimestamp(): { offset: bigint; timestamp: bigint } | null
  /** DeleteRecords: moves the log start offset (never back), deletes whole segments below it; returns it. */
  deleteRecordsBefore(offset: bigint): bigint
  /** Retention by time and size; returns the number of segments deleted. */
  applyRetention(nowMs: bigint): number
  flush(): void
  close(): void
}

export interface LogStore {
  /** Opens (creating if needed) `<dataDir>/<topic>-<partition>/`, rebuilding indexes and truncating a torn tail. */
  open(topic: string, partition: number, config: LogConfig): PartitionLog
  /** Removes a partition's directory (DeleteTopics). */
  remove(topic: string, partition: number): void
  close(): void
}

// ---- Group coordinator (groups/) ----

export interface GroupCoordinatorOptions {
  /** `<dataDir>/groups/`: committed offsets and group metadata survive a restart. */
  dataDir: string
  /** Injected for tests (session and rebalance timeouts); default Date.now. */
  now?: () => number
}

export interface GroupCoordinator {
  /** FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, DescribeGroups, ... */
  handlers: HandlerEntry[]
  /** A topic was deleted: drop its committed offsets (as Kafka does). */
  onTopicDeleted(topic: string): void
  close(): Promise<void>
}
