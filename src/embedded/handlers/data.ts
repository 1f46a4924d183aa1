/**
 * The data plane: Produce, Fetch (long polling), ListOffsets, DeleteRecords, OffsetForLeaderEpoch and InitProducerId.
 * One node leads everything at leader epoch 0, so the high watermark and the last stable offset are the log end
 * offset (no replication to wait for, no transactions to hold back).
 */
import { DeleteRecords } from '../../protocol/messages/delete-records.js'
import { Fetch, type FetchResponseFetchableTopicResponseInput } from '../../protocol/messages/fetch.js'
import { InitProducerId } from '../../protocol/messages/init-producer-id.js'
import { ListOffsets } from '../../protocol/messages/list-offsets.js'
import { OffsetForLeaderEpoch } from '../../protocol/messages/offset-for-leader-epoch.js'
import { Produce, type ProduceResponseTopicProduceResponseInput } from '../../protocol/messages/produce.js'
import { ZERO_UUID } from '../../protocol/primitives.js'
import { BrokerError, handler, NO_RESPONSE, type HandlerEntry, type PartitionLog } from '../contracts.js'
import { UNKNOWN_TOPIC_OR_PARTITION, type BrokerCore } from '../core.js'

const OFFSET_OUT_OF_RANGE = 1
const INVALID_REQUIRED_ACKS = 21
const INVALID_REQUEST = 42
const TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53
const FETCH_SESSION_ID_NOT_FOUND = 70
const UNKNOWN_TOPIC_ID = 100
const KAFKA_STORAGE_ERROR = 56
const UNKNOWN_SERVER_ERROR = -1

const LATEST = -1n
const EARLIEST = -2n
const MAX_TIMESTAMP = -3n
const EARLIEST_LOCAL = -4n
const READ_COMMITTED = 1
const MAX_EPOCH = 32767

/** Topic by name, or by id for the versions that carry ids (Produce v13, Fetch v13+); null when unknown. */
function resolveTopic(core: BrokerCore, name: string, topicId: string, byId: boolean) {
  const topic = byId ? core.topicById(topicId) : core.topic(name)
  return topic ?? null
}

function errorCodeOf(error: unknown, log: (m: string) => void): number {
  if (error instanceof BrokerError) return error.errorCode
  // A log file that cannot be written or read (EACCES, EPERM, ENOSPC, EIO...): Kafka answers KAFKA_STORAGE_ERROR
  // (its KafkaStorageException, which clients retry until their delivery timeout), not an unknown error.
  if (typeof (error as NodeJS.ErrnoException)?.syscall === 'string') {
    log(`storage error: ${(error as Error).message}`)
    return KAFKA_STORAGE_ERROR
  }
  log(`unexpected error: ${(error as Error)?.stack ?? error}`)
  return UNKNOWN_SERVER_ERROR
}

export function dataHandlers(core: BrokerCore): HandlerEntry[] {
  const partitionOf = (topic: string, index: number): PartitionLog => {
    const log = core.partition(topic, index)
    if (!log) throw new BrokerError(UNKNOWN_TOPIC_OR_PARTITION)
    return log
  }

  return [
    handler(Produce, (request, context) => {
      const byId = context.apiVersion >= 13
      const now = BigInt(Date.now())
      const refuse = request.transactionalId !== null ? TRANSACTIONAL_ID_AUTHORIZATION_FAILED : 0
      const badAcks = request.acks !== 0 && request.acks !== 1 && request.acks !== -1
      let appended = false
      const responses: ProduceResponseTopicProduceResponseInput[] = request.topicData.map((t) => {
        const topic = resolveTopic(core, t.name, t.topicId, byId)
        return {
          name: byId ? '' : t.name,
          topicId: byId ? t.topicId : ZERO_UUID,
          partitionResponses: t.partitionData.map((p) => {
            const base = { index: p.index, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n }
            if (badAcks) return { ...base, errorCode: INVALID_REQUIRED_ACKS }
            if (refuse) return { ...base, errorCode: refuse }
            if (!topic) return { ...base, errorCode: byId ? UNKNOWN_TOPIC_ID : UNKNOWN_TOPIC_OR_PARTITION }
            try {
              if (!p.records) throw new BrokerError(INVALID_REQUEST, 'A produce request must carry records')
              const result = partitionOf(topic.name, p.index).append(p.records, now)
              appended = true
              return {
                ...base,
                errorCode: 0,
                baseOffset: result.baseOffset,
                logAppendTimeMs: result.logAppendTimeMs,
                logStartOffset: result.logStartOffset,
              }
            } catch (error) {
              const errorCode = errorCodeOf(error, core.log)
              return {
                ...base,
                errorCode,
                errorMessage: context.apiVersion >= 8 && error instanceof Error ? error.message : null,
              }
            }
          }),
        }
      })
      if (appended) core.appended()
      if (request.acks === 0) return NO_RESPONSE
      return { responses, throttleTimeMs: 0 }
    }),

    handler(Fetch, async (request, context) => {
      const byId = context.apiVersion >= 13
      // No fetch sessions are kept: answering session id 0 tells the client to send full requests every time
      // (KIP-227 allows a broker to decline), and an incremental request for a session it never opened is refused.
      if (request.sessionId !== 0)
        return { throttleTimeMs: 0, errorCode: FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] }
      const committed = request.isolationLevel === READ_COMMITTED
      const read = (): { responses: FetchResponseFetchableTopicResponseInput[]; bytes: number; failed: boolean } => {
        let remaining = request.maxBytes
        let bytes = 0
        let failed = false
        const responses = request.topics.map((t) => {
          const topic = resolveTopic(core, t.topic, t.topicId, byId)
          return {
            topic: byId ? '' : t.topic,
            topicId: byId ? t.topicId : ZERO_UUID,
            partitions: t.partitions.map((p) => {
              const base = {
                partitionIndex: p.partition,
                highWatermark: -1n,
                lastStableOffset: -1n,
                logStartOffset: -1n,
                abortedTransactions: committed ? [] : null,
                records: Buffer.alloc(0),
              }
              const log = topic ? core.partition(topic.name, p.partition) : undefined
              if (!log) {
                failed = true
                return { ...base, errorCode: byId && !topic ? UNKNOWN_TOPIC_ID : UNKNOWN_TOPIC_OR_PARTITION }
              }
              const marks = {
                highWatermark: log.logEndOffset,
                lastStableOffset: log.logEndOffset,
                logStartOffset: log.logStartOffset,
              }
              if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
                failed = true
                // As ReplicaManager's createLogReadResult(error): no watermarks with an error, -1 (UnknownOffset).
                return { ...base, errorCode: OFFSET_OUT_OF_RANGE }
              }
              let records: Buffer = Buffer.alloc(0)
              if (p.fetchOffset < log.logEndOffset && (remaining > 0 || bytes === 0)) {
                records = log.read(p.fetchOffset, Math.min(p.partitionMaxBytes, Math.max(remaining, 1)))
                remaining -= records.length
                bytes += records.length
              }
              return { ...base, ...marks, errorCode: 0, records }
            }),
          }
        })
        return { responses, bytes, failed }
      }
      const deadline = Date.now() + request.maxWaitMs
      let result = read()
      while (!result.failed && result.bytes < Math.max(1, request.minBytes) && Date.now() < deadline) {
        await core.waitForAppend(deadline - Date.now())
        if (core.closing) break
        result = read()
      }
      return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: result.responses }
    }),

    handler(ListOffsets, (request, context) => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          try {
            const log = partitionOf(t.name, p.partitionIndex)
            let found: { offset: bigint; timestamp: bigint } | null
            if (p.timestamp === LATEST) found = { offset: log.logEndOffset, timestamp: -1n }
            else if (p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL)
              found = { offset: log.logStartOffset, timestamp: -1n }
            else if (p.timestamp === MAX_TIMESTAMP) found = log.maxTimestamp()
            else if (p.timestamp < 0n) found = null
            else found = log.offsetForTimestamp(p.timestamp)
            return {
              partitionIndex: p.partitionIndex,
              errorCode: 0,
              timestamp: found?.timestamp ?? -1n,
              offset: found?.offset ?? -1n,
              // Leader epochs are in the answer from v4 on.
              leaderEpoch: found && context.apiVersion >= 4 ? 0 : -1,
            }
          } catch (error) {
            return {
              partitionIndex: p.partitionIndex,
              errorCode: errorCodeOf(error, core.log),
              timestamp: -1n,
              offset: -1n,
            }
          }
        }),
      })),
    })),

    handler(DeleteRecords, (request) => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          try {
            const log = partitionOf(t.name, p.partitionIndex)
            // -1 means "up to the high watermark" (DeleteRecordsRequest.HIGH_WATERMARK).
            const offset = p.offset === -1n ? log.logEndOffset : p.offset
            if (offset < 0n || offset > log.logEndOffset) throw new BrokerError(OFFSET_OUT_OF_RANGE)
            return { partitionIndex: p.partitionIndex, lowWatermark: log.deleteRecordsBefore(offset), errorCode: 0 }
          } catch (error) {
            return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: errorCodeOf(error, core.log) }
          }
        }),
      })),
    })),

    handler(OffsetForLeaderEpoch, (request) => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          try {
            const log = partitionOf(t.topic, p.partition)
            // Epoch 0 is the only one there has been: any epoch at or above it ends at the log end offset.
            if (p.leaderEpoch < 0) return { errorCode: 0, partition: p.partition, leaderEpoch: -1, endOffset: -1n }
            return { errorCode: 0, partition: p.partition, leaderEpoch: 0, endOffset: log.logEndOffset }
          } catch (error) {
            return { errorCode: errorCodeOf(error, core.log), partition: p.partition, leaderEpoch: -1, endOffset: -1n }
          }
        }),
      })),
    })),

    handler(InitProducerId, (request) => {
      // Transactions are out of scope: a transactional producer is stopped at its first step with a fatal error
      // rather than left retrying against a coordinator that will never come.
      if (request.transactionalId !== null)
        return {
          throttleTimeMs: 0,
          errorCode: TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
          producerId: -1n,
          producerEpoch: -1,
        }
      // KIP-360: an idempotent producer that lost track of its sequences asks for a bumped epoch of its own id.
      if (request.producerId >= 0n && request.producerEpoch >= 0 && request.producerEpoch < MAX_EPOCH - 1)
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          producerId: request.producerId,
          producerEpoch: request.producerEpoch + 1,
        }
      return { throttleTimeMs: 0, errorCode: 0, producerId: core.nextProducerId(), producerEpoch: 0 }
    }),
  ]
}
