/**
 * The console share consumer (KIP-932), on kafkit's own client (../client/):
 *  - membership: ShareGroupHeartbeat to the group coordinator with a member id of our own (a random UUID, as the
 *    Java client makes it), epoch 0 to join, then at the interval the coordinator returns; a new assignment is taken
 *    when the response carries one; fenced or unknown, the member joins again with epoch 0; at the end, epoch -1
 *    leaves, so the group is Empty at once rather than after the session timeout;
 *  - records: a ShareFetch share session per leader of the assigned partitions (epoch 0 opens it, then 1, 2, ...;
 *    -1 closes it); only offsets in the response's acquired ranges are this member's to print; every one of them
 *    is acknowledged in the next ShareFetch to that leader (accept by default, or release/reject, gap for offsets
 *    without a record), and the last ones in a closing ShareAcknowledge when the run ends. Records acquired but not
 *    printed (past --max-messages, or fetched while stopping) are released, so another member gets them at once.
 */
import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { ERROR_CODES } from '../protocol/errors.js'
import { ShareAcknowledge } from '../protocol/messages/share-acknowledge.js'
import { ShareFetch, type ShareFetchResponsePartitionData } from '../protocol/messages/share-fetch.js'
import { ShareGroupHeartbeat, type ShareGroupHeartbeatResponse } from '../protocol/messages/share-group-heartbeat.js'
import { decodeRecordBatches, type DecodedRecord } from '../records/batch-decoder.js'
import { DefaultFormatter, type RecordFormatter } from '../records/formatter.js'
import {
  AckType,
  ackBatches,
  acquiredOffsets,
  type AckBatch,
  type ShareConsumerSettings,
} from '../records/share-options.js'
import type { IncomingRecord } from '../records/types.js'
import { sleep } from '../util/sleep.js'
import {
  ConnectionError,
  ERROR,
  KafkaProtocolError,
  RequestTimeoutError,
  UnsupportedApiError,
  errorName,
} from '../client/errors.js'
import { CoordinatorType, type KafkaClient } from '../client/kafka-client.js'
import { connectClient } from './connect.js'

export interface ShareConsumeOptions extends ShareConsumerSettings {
  connection: ConnectionSettings
  formatter: RecordFormatter
  output: Writable
  reporter: Reporter
  /** Instead of formatting records to `output`: the verifiable share consumer's view of deliveries and acks. */
  events?: ShareConsumeEvents
}

export interface ShareDeliveredRecord {
  partition: number
  offset: bigint
  key: Buffer | null
  value: Buffer | null
}

export interface ShareConsumeEvents {
  /** The records of one partition taken from one ShareFetch response, in offset order. */
  records(partition: number, records: ShareDeliveredRecord[]): void | Promise<void>
  /** Offsets (no gaps) whose acknowledgement a broker answered, per partition; `error` when it refused some. */
  acknowledged(partitions: Array<{ partition: number; offsets: bigint[] }>, error?: string): void
}

type StopReason = 'max-messages' | 'timeout' | 'interrupted' | 'output-closed'

export interface ShareConsumeResult {
  records: number
  bytes: number
  elapsedMs: number
  reason: StopReason
  topic: string
  group: string
  memberId: string
  /** Records acknowledged by type (sent and answered without error). */
  acknowledged: { accepted: number; released: number; rejected: number }
}

export interface ShareConsumeControl {
  stop(): void
  progress(): ShareConsumeResult
}

/** A share session with one leader (ShareFetch's ShareSessionEpoch: 0 opens, then increments, -1 closes). */
interface Session {
  epoch: number
  /** Partitions the broker's session holds. */
  partitions: Set<number>
  /** Acknowledgements for the next request to this leader, per partition. */
  pending: Map<number, Array<{ offset: bigint; type: number }>>
}

const RETRY_MS = 500
const EMPTY_ASSIGNMENT_HEARTBEAT_MS = 500
const MAX_EPOCH = 2 ** 31 - 1
const SESSION_ERRORS = new Set([122, 123]) // SHARE_SESSION_NOT_FOUND, INVALID_SHARE_SESSION_EPOCH
const LEADER_ERRORS = new Set([ERROR.NOT_LEADER_OR_FOLLOWER, ERROR.UNKNOWN_TOPIC_OR_PARTITION, 74, 75]) // + FENCED/UNKNOWN_LEADER_EPOCH

export async function shareConsume(
  options: ShareConsumeOptions,
  control?: (control: ShareConsumeControl) => void,
): Promise<ShareConsumeResult> {
  const client = await connectClient(options.connection, {
    reporter: options.reporter,
    clientId: options.clientId,
    requestTimeoutMs: 30_000,
  })
  try {
    return await new ShareConsumer(client, options).run(control)
  } finally {
    client.close()
  }
}

class ShareConsumer {
  /** Kafka's Uuid#toString: URL-safe base64 of the 16 bytes, as the Java client generates member ids. */
  private readonly memberId = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url')
  private memberEpoch = 0
  private topicId = ''
  private assigned = new Set<number>()
  private leaders = new Map<number, number>()
  private readonly sessions = new Map<number, Session>()
  private readonly stopped = new AbortController()
  /** Aborted (and replaced) when the assignment changes: wakes a fetch loop waiting for partitions. */
  private assignmentChanged = new AbortController()
  private reason: StopReason = 'interrupted'
  private failure: unknown
  private records = 0
  private bytes = 0
  private readonly acked = { accepted: 0, released: 0, rejected: 0 }
  private readonly started = Date.now()
  private idleTimer: NodeJS.Timeout | undefined
  private outputClosed = false
  /** When the connection to Kafka was lost (a notice was printed); cleared by the next answered ShareFetch. */
  private lostAt: number | undefined

  constructor(
    private readonly client: KafkaClient,
    private readonly options: ShareConsumeOptions,
  ) {}

  private get stopping(): boolean {
    return this.stopped.signal.aborted
  }

  async run(control?: (control: ShareConsumeControl) => void): Promise<ShareConsumeResult> {
    control?.({ stop: () => this.finish('interrupted'), progress: () => this.result() })
    const onOutputError = () => {
      this.outputClosed = true
      this.finish('output-closed')
    }
    this.options.output.on('error', onOutputError)
    try {
      await this.resolveTopic()
      if (this.options.maxMessages === 0) {
        this.reason = 'max-messages'
        return this.result()
      }
      this.armIdleTimer()
      const heartbeats = this.heartbeatLoop().catch((error: unknown) => this.fail(error))
      await this.fetchLoop().catch((error: unknown) => this.fail(error))
      this.finish(this.reason)
      await heartbeats
      await this.closeSessions()
      await this.leave()
      if (this.failure) throw this.explain(this.failure)
      return this.result()
    } finally {
      clearTimeout(this.idleTimer)
      this.options.output.off('error', onOutputError)
    }
  }

  private result(): ShareConsumeResult {
    return {
      records: this.records,
      bytes: this.bytes,
      elapsedMs: Date.now() - this.started,
      reason: this.reason,
      topic: this.options.topic,
      group: this.options.group,
      memberId: this.memberId,
      acknowledged: { ...this.acked },
    }
  }

  private finish(reason: StopReason): void {
    if (this.stopping) return
    this.reason = reason
    this.stopped.abort()
  }

  private fail(error: unknown): void {
    this.failure ??= error
    this.finish('interrupted')
  }

  private explain(error: unknown): unknown {
    if (error instanceof KafkitError) return error
    if (error instanceof UnsupportedApiError)
      return new KafkitError(`${error.message} Share groups need Kafka 4.0 or newer with share.version >= 1.`, {
        code: 'SHARE_GROUPS_UNSUPPORTED',
        cause: error,
        suggestions: ['A local Kafka 4.x stack: kafkit up --version 4.4.0'],
      })
    return new KafkitError(`Consuming failed: ${(error as Error).message}`, { code: 'CONSUME_FAILED', cause: error })
  }

  /** Says once on stderr that Kafka went away (the loops retry every RETRY_MS); `regained` says when it is back. */
  private lost(error: unknown): void {
    if (this.lostAt !== undefined || this.stopping) return
    this.lostAt = Date.now()
    this.options.reporter.warn(`Lost the connection to Kafka (${(error as Error).message}); reconnecting…`)
  }

  private regained(): void {
    if (this.lostAt === undefined || this.stopping) return
    this.options.reporter.info(
      `Reconnected to Kafka after ${((Date.now() - this.lostAt) / 1000).toFixed(1)} s; reading on.`,
    )
    this.lostAt = undefined
  }

  private armIdleTimer(): void {
    if (this.options.timeoutMs === undefined) return
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.finish('timeout'), this.options.timeoutMs)
  }

  private async resolveTopic(): Promise<void> {
    const metadata = await this.client.retry('Metadata', async () => {
      const response = await this.client.metadata([this.options.topic])
      const topic = response.topics[0]
      if (topic && topic.errorCode !== 0 && topic.errorCode !== ERROR.UNKNOWN_TOPIC_OR_PARTITION)
        throw new KafkaProtocolError(topic.errorCode, `Metadata ${this.options.topic}`)
      return response
    })
    const topic = metadata.topics[0]
    if (!topic || topic.errorCode === ERROR.UNKNOWN_TOPIC_OR_PARTITION) {
      throw new KafkitError(`Topic "${this.options.topic}" does not exist.`, {
        code: 'UNKNOWN_TOPIC',
        suggestions: [`Create it: kafkit topics --create --topic ${this.options.topic}`],
      })
    }
    this.topicId = topic.topicId
    this.leaders = new Map(topic.partitions.map((p) => [p.partitionIndex, p.leaderId]))
  }

  private async refreshLeaders(): Promise<void> {
    const response = await this.client.metadata([this.options.topic])
    const topic = response.topics[0]
    if (topic && topic.errorCode === 0) {
      this.leaders = new Map(topic.partitions.map((p) => [p.partitionIndex, p.leaderId]))
      if (topic.topicId !== this.topicId) this.topicId = topic.topicId
    }
  }

  // ---- membership ------------------------------------------------------------------------------------------

  private async heartbeatLoop(): Promise<void> {
    let interval = RETRY_MS
    while (!this.stopping) {
      try {
        const response = await this.heartbeat()
        interval = response.heartbeatIntervalMs > 0 ? response.heartbeatIntervalMs : 5000
        // The coordinator assigns a partition once its share state is initialized, which a first heartbeat only
        // starts: a member with nothing yet asks again soon rather than a whole interval (5 s) later.
        if (this.assigned.size === 0) interval = Math.min(interval, EMPTY_ASSIGNMENT_HEARTBEAT_MS)
      } catch (error) {
        if (this.stopping) return
        if (error instanceof KafkaProtocolError && rejoins(error.code)) {
          this.options.reporter.debug(`share group member ${errorName(error.code)}: joining again`)
          this.memberEpoch = 0
          this.setAssignment([])
          interval = 0
        } else if (error instanceof ConnectionError || error instanceof RequestTimeoutError) {
          this.lost(error)
          interval = RETRY_MS
        } else if (error instanceof KafkaProtocolError && error.retriable) {
          this.options.reporter.debug(`heartbeat failed (${error.message}); retrying`)
          interval = RETRY_MS
        } else {
          throw error
        }
      }
      await sleep(interval, { signal: this.stopped.signal })
    }
  }

  private async heartbeat(): Promise<ShareGroupHeartbeatResponse> {
    const joining = this.memberEpoch === 0
    const response = await this.client.withCoordinator(this.options.group, CoordinatorType.Group, async (node) => {
      const answer = await this.client.send(node, ShareGroupHeartbeat, {
        groupId: this.options.group,
        memberId: this.memberId,
        memberEpoch: this.memberEpoch,
        rackId: null,
        // Sent when joining; null afterwards means "unchanged".
        subscribedTopicNames: joining ? [this.options.topic] : null,
      })
      if (answer.errorCode !== 0)
        throw new KafkaProtocolError(answer.errorCode, `ShareGroupHeartbeat ${this.options.group}`, answer.errorMessage)
      return answer
    })
    this.memberEpoch = response.memberEpoch
    if (response.assignment) {
      this.setAssignment(
        response.assignment.topicPartitions.filter((tp) => tp.topicId === this.topicId).flatMap((tp) => tp.partitions),
      )
    }
    return response
  }

  private setAssignment(partitions: number[]): void {
    const next = new Set(partitions)
    if (next.size === this.assigned.size && [...next].every((p) => this.assigned.has(p))) return
    this.options.reporter.debug(
      `assignment: ${this.options.topic}:${[...next].sort((a, b) => a - b).join(',') || '(none)'}`,
    )
    this.assigned = next
    const changed = this.assignmentChanged
    this.assignmentChanged = new AbortController()
    changed.abort()
  }

  /** Epoch -1: the coordinator removes the member at once (the group is Empty when it was the last one). */
  private async leave(): Promise<void> {
    try {
      const node = await this.client.coordinator(this.options.group, CoordinatorType.Group)
      const response = await this.client.send(node, ShareGroupHeartbeat, {
        groupId: this.options.group,
        memberId: this.memberId,
        memberEpoch: -1,
      })
      if (response.errorCode !== 0 && response.errorCode !== ERROR.UNKNOWN_MEMBER_ID)
        this.options.reporter.debug(`leaving the share group: ${errorName(response.errorCode)}`)
    } catch (error) {
      this.options.reporter.debug(`leaving the share group failed: ${(error as Error).message}`)
    }
  }

  // ---- records ---------------------------------------------------------------------------------------------

  private async fetchLoop(): Promise<void> {
    while (!this.stopping) {
      if (this.assigned.size === 0) {
        await sleep(60_000, { signal: AbortSignal.any([this.stopped.signal, this.assignmentChanged.signal]) })
        continue
      }
      const byLeader = new Map<number, number[]>()
      for (const partition of this.assigned) {
        const leader = this.leaders.get(partition) ?? -1
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition])
      }
      if (byLeader.has(-1)) {
        await this.refreshLeaders().catch(() => {})
        await sleep(RETRY_MS, { signal: this.stopped.signal })
        continue
      }
      // Partitions that moved to another leader are forgotten by the old session (with their acknowledgements sent).
      for (const [leader, session] of this.sessions)
        if (!byLeader.has(leader) && session.partitions.size > 0) byLeader.set(leader, [])
      await Promise.all([...byLeader].map(([leader, partitions]) => this.fetchFrom(leader, partitions)))
    }
  }

  private session(leader: number): Session {
    let session = this.sessions.get(leader)
    if (!session) {
      session = { epoch: 0, partitions: new Set(), pending: new Map() }
      this.sessions.set(leader, session)
    }
    return session
  }

  private async fetchFrom(leader: number, partitions: number[]): Promise<void> {
    const session = this.session(leader)
    const wanted = new Set(partitions)
    // A partition taken away is forgotten once its last acknowledgements went out (they name it in this request).
    const forgotten = [...session.partitions].filter((p) => !wanted.has(p) && !session.pending.get(p)?.length)
    // A new session (epoch 0) carries no acknowledgements; the broker refuses them there.
    const acks = session.epoch === 0 ? new Map<number, AckBatch[]>() : this.takeAcks(session)
    const listed = new Set([
      ...partitions.filter((p) => !session.partitions.has(p) || session.epoch === 0),
      ...acks.keys(),
    ])
    const remaining =
      this.options.maxMessages === undefined ? Infinity : Math.max(1, this.options.maxMessages - this.records)
    const maxRecords = Math.min(this.options.maxRecords, remaining)
    let response
    try {
      response = await this.client.send(leader, ShareFetch, {
        groupId: this.options.group,
        memberId: this.memberId,
        shareSessionEpoch: session.epoch,
        maxWaitMs: this.options.maxWaitMs,
        minBytes: this.options.minBytes,
        maxBytes: this.options.maxBytes,
        maxRecords,
        batchSize: maxRecords,
        // With --max-messages the broker acquires no more than asked (record-limit mode), so records this run will
        // not print are not counted as delivered; otherwise whole batches (batch-optimized, the Java default).
        shareAcquireMode: this.options.maxMessages === undefined ? 0 : 1,
        topics:
          listed.size === 0
            ? []
            : [
                {
                  topicId: this.topicId,
                  partitions: [...listed].map((p) => ({
                    partitionIndex: p,
                    acknowledgementBatches: acks.get(p) ?? [],
                  })),
                },
              ],
        forgottenTopicsData: forgotten.length === 0 ? [] : [{ topicId: this.topicId, partitions: forgotten }],
      })
    } catch (error) {
      this.restoreAcks(session, acks)
      if (!(error instanceof ConnectionError) && !(error instanceof RequestTimeoutError)) throw error
      this.lost(error)
      session.epoch = 0
      session.partitions.clear()
      await this.refreshLeaders().catch(() => {})
      await sleep(RETRY_MS, { signal: this.stopped.signal })
      return
    }
    if (response.errorCode !== 0) {
      // The acknowledgements of a refused request are lost; the records come back after their acquisition lock.
      if (SESSION_ERRORS.has(response.errorCode)) {
        this.options.reporter.debug(`share session with broker ${leader}: ${errorName(response.errorCode)}; reopening`)
        session.epoch = 0
        session.partitions.clear()
        return
      }
      if (rejoins(response.errorCode) || ERROR_CODES.get(response.errorCode)?.retriable) {
        this.options.reporter.debug(`ShareFetch: ${errorName(response.errorCode)}`)
        await sleep(RETRY_MS, { signal: this.stopped.signal })
        return
      }
      throw new KafkaProtocolError(response.errorCode, 'ShareFetch', response.errorMessage)
    }
    this.regained()
    session.epoch = session.epoch >= MAX_EPOCH ? 1 : session.epoch + 1
    for (const p of partitions) session.partitions.add(p)
    for (const p of forgotten) session.partitions.delete(p)
    this.countAcks(acks)
    this.reportAcks(
      acks,
      response.responses
        .filter((t) => t.topicId === this.topicId)
        .flatMap((t) => t.partitions)
        .filter((p) => p.acknowledgeErrorCode !== 0)
        .map((p) => `${this.options.topic}-${p.partitionIndex}: ${errorName(p.acknowledgeErrorCode)}`),
    )
    let moved = false
    for (const topic of response.responses) {
      if (topic.topicId !== this.topicId) continue
      for (const data of topic.partitions) {
        if (data.acknowledgeErrorCode !== 0)
          this.options.reporter.warn(
            `Acknowledging records of ${this.options.topic}-${data.partitionIndex} failed: ${errorName(data.acknowledgeErrorCode)}${data.acknowledgeErrorMessage ? ` (${data.acknowledgeErrorMessage})` : ''}`,
          )
        if (data.errorCode !== 0) {
          if (LEADER_ERRORS.has(data.errorCode)) moved = true
          else
            this.options.reporter.warn(
              `Fetching ${this.options.topic}-${data.partitionIndex} failed: ${errorName(data.errorCode)}${data.errorMessage ? ` (${data.errorMessage})` : ''}`,
            )
          continue
        }
        await this.deliver(session, data)
      }
    }
    if (moved) {
      session.epoch = 0
      session.partitions.clear()
      await this.refreshLeaders().catch(() => {})
    }
  }

  /** Prints the acquired records of one partition and queues their acknowledgements for the next request. */
  private async deliver(session: Session, data: ShareFetchResponsePartitionData): Promise<void> {
    const acquired = acquiredOffsets(data.acquiredRecords)
    if (acquired.size === 0) return
    const partition = data.partitionIndex
    const acks: Array<{ offset: bigint; type: number }> = []
    const present = new Map<
      bigint,
      { record: DecodedRecord; epoch: number; timestampType: IncomingRecord['timestampType'] }
    >()
    for (const batch of decodeRecordBatches(data.records)) {
      if (batch.control) continue
      for (const record of batch.records)
        if (acquired.has(record.offset))
          present.set(record.offset, { record, epoch: batch.partitionLeaderEpoch, timestampType: batch.timestampType })
    }
    const parts: Buffer[] = []
    const formatter = this.options.formatter
    const valueOnly = formatter instanceof DefaultFormatter && formatter.valueOnly
    const type = AckType[this.options.acknowledge]
    let printed = 0
    const delivered: ShareDeliveredRecord[] = []
    for (const [offset, deliveryCount] of acquired) {
      const found = present.get(offset)
      if (!found) {
        // A transaction marker, an aborted or compacted-away record: nothing to show, nothing to redeliver.
        acks.push({ offset, type: AckType.gap })
        continue
      }
      const limitReached = this.options.maxMessages !== undefined && this.records + printed >= this.options.maxMessages
      if (this.stopping || limitReached || this.failure !== undefined) {
        acks.push({ offset, type: AckType.release })
        continue
      }
      const { record } = found
      if (this.options.events) {
        delivered.push({ partition, offset, key: record.key, value: record.value })
        printed++
        acks.push({ offset, type })
        continue
      }
      const mark = parts.length
      try {
        if (valueOnly) formatter.formatValue(record.value, parts)
        else
          formatter.format(
            {
              topic: this.options.topic,
              partition,
              offset: offset.toString(),
              timestamp: record.timestamp.toString(),
              timestampType: found.timestampType,
              key: record.key,
              value: record.value,
              headers: record.headers,
              deliveryCount,
              leaderEpoch: found.epoch,
            },
            parts,
          )
      } catch (error) {
        parts.length = mark
        if (this.options.rejectOnError) {
          this.options.reporter.warn(
            `Rejecting the record at ${this.options.topic}-${partition}@${offset}: ${(error as Error).message}`,
          )
          acks.push({ offset, type: AckType.reject })
          continue
        }
        // The script halts; the record goes back to the group for another member.
        acks.push({ offset, type: AckType.release })
        this.fail(error)
        continue
      }
      printed++
      this.bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0)
      acks.push({ offset, type })
    }
    if (printed > 0) {
      this.records += printed
      this.armIdleTimer()
      if (this.options.events) await this.options.events.records(partition, delivered)
      else await this.write(Buffer.concat(parts))
    }
    const queue = session.pending.get(partition) ?? []
    queue.push(...acks)
    session.pending.set(partition, queue)
    if (this.options.maxMessages !== undefined && this.records >= this.options.maxMessages) this.finish('max-messages')
  }

  /** Resolves once the output took the bytes (a full pipe holds the next fetch; Ctrl-C's grace timer bounds a stall). */
  private write(chunk: Buffer): Promise<void> {
    if (this.outputClosed) return Promise.resolve()
    return new Promise((resolve) => {
      this.options.output.write(chunk, () => resolve())
    })
  }

  private takeAcks(session: Session): Map<number, AckBatch[]> {
    const acks = new Map<number, AckBatch[]>()
    for (const [partition, entries] of session.pending) if (entries.length > 0) acks.set(partition, ackBatches(entries))
    session.pending.clear()
    return acks
  }

  private restoreAcks(session: Session, acks: Map<number, AckBatch[]>): void {
    for (const [partition, batches] of acks) {
      const queue = session.pending.get(partition) ?? []
      for (const batch of batches)
        for (let offset = batch.firstOffset; offset <= batch.lastOffset; offset++)
          queue.push({ offset, type: batch.acknowledgeTypes[0]! })
      session.pending.set(partition, queue)
    }
  }

  private countAcks(acks: Map<number, AckBatch[]>): void {
    for (const batches of acks.values())
      for (const batch of batches) {
        const count = Number(batch.lastOffset - batch.firstOffset + 1n)
        const type = batch.acknowledgeTypes[0]
        if (type === AckType.accept) this.acked.accepted += count
        else if (type === AckType.release) this.acked.released += count
        else if (type === AckType.reject) this.acked.rejected += count
      }
  }

  /**
   * The events' view of answered acknowledgements: the offsets of delivered records per partition. Gaps, and records
   * released because they were fetched past --max-messages or while stopping, were never delivered: left out.
   */
  private reportAcks(acks: Map<number, AckBatch[]>, errors: string[]): void {
    if (!this.options.events) return
    const delivered = AckType[this.options.acknowledge]
    const partitions: Array<{ partition: number; offsets: bigint[] }> = []
    for (const [partition, batches] of acks) {
      const offsets: bigint[] = []
      for (const batch of batches)
        if (batch.acknowledgeTypes[0] === delivered)
          for (let offset = batch.firstOffset; offset <= batch.lastOffset; offset++) offsets.push(offset)
      if (offsets.length > 0) partitions.push({ partition, offsets })
    }
    if (partitions.length === 0) return
    this.options.events.acknowledged(partitions, errors.length > 0 ? errors.join(', ') : undefined)
  }

  /** The last acknowledgements, in a ShareAcknowledge that also closes each share session (epoch -1). */
  private async closeSessions(): Promise<void> {
    await Promise.all(
      [...this.sessions].map(async ([leader, session]) => {
        if (session.epoch === 0) return
        const acks = this.takeAcks(session)
        try {
          const response = await this.client.send(leader, ShareAcknowledge, {
            groupId: this.options.group,
            memberId: this.memberId,
            shareSessionEpoch: -1,
            topics:
              acks.size === 0
                ? []
                : [
                    {
                      topicId: this.topicId,
                      partitions: [...acks].map(([partitionIndex, acknowledgementBatches]) => ({
                        partitionIndex,
                        acknowledgementBatches,
                      })),
                    },
                  ],
          })
          if (response.errorCode !== 0) {
            this.reportAcks(acks, [errorName(response.errorCode)])
            this.options.reporter.warn(
              `Acknowledging the last records failed: ${errorName(response.errorCode)}${response.errorMessage ? ` (${response.errorMessage})` : ''}; they are delivered again after their acquisition lock expires.`,
            )
            return
          }
          let failed = false
          const errors: string[] = []
          for (const topic of response.responses)
            for (const p of topic.partitions)
              if (p.errorCode !== 0) {
                failed = true
                errors.push(`${this.options.topic}-${p.partitionIndex}: ${errorName(p.errorCode)}`)
                this.options.reporter.warn(
                  `Acknowledging records of ${this.options.topic}-${p.partitionIndex} failed: ${errorName(p.errorCode)}`,
                )
              }
          if (!failed) this.countAcks(acks)
          this.reportAcks(acks, errors)
        } catch (error) {
          this.options.reporter.warn(`Acknowledging the last records failed: ${(error as Error).message}`)
        }
        session.epoch = 0
      }),
    )
  }
}

/** Heartbeat errors after which the member joins again with epoch 0 (same member id). */
function rejoins(code: number): boolean {
  return code === ERROR.FENCED_MEMBER_EPOCH || code === ERROR.UNKNOWN_MEMBER_ID
}
