/**
 * The console consumer:
 *  - without --group it reads the partitions straight from their leaders (Fetch, no group, nothing committed),
 *    from the start kafkit computed itself (earliest, latest, an offset, a time), so a run leaves no group behind;
 *  - with --group it is an ordinary member (kafkajs's round-robin protocol), starts from the group's committed
 *    offsets (else earliest with --from-beginning, latest without), and commits only offsets of records whose
 *    bytes the output stream has accepted, so a restart resumes after the last printed record.
 * Both survive broker restarts: they reconnect within about a second of the broker being back and go on after
 * the last printed record, saying on stderr that the connection was lost and regained.
 * Output is formatted per fetched batch into one buffer and written once; a full pipe pauses fetching.
 */
import type { Writable } from 'node:stream'
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs'
import { ensureTopic } from './auto-create.js'
import {
  createFetchCluster,
  fastPathInstalled,
  kafkajs,
  leaveGroup,
  visibleRecords,
  type FetchCluster,
  type FetchedPartition,
} from './kafkajs-internals.js'
import { GroupsClient } from './groups.js'
import { tpKey, type CommittedOffsets } from '../model/groups.js'
import { unreachable as unreachableAt } from './unreachable.js'
import { KafkitError } from '../errors.js'
import { sleep } from '../util/sleep.js'
import type { Reporter } from '../output/reporter.js'
import { DefaultFormatter, type RecordFormatter } from '../records/formatter.js'
import { startOffset, type StartSpec } from '../records/offset-spec.js'
import type { ConsumerSettings } from '../records/console-options.js'
import type { Header, IncomingRecord } from '../records/types.js'
import { createClient } from './client.js'
import { registerCodecs } from './codecs.js'
import type { ConnectionSettings } from '../connection/settings.js'

const { PartitionAssigners } = kafkajs

/** What to read (the script's flag rules, records/console-options.ts) and where the records go. */
interface ConsumeOptions extends ConsumerSettings {
  connection: ConnectionSettings
  exitAtEnd: boolean
  formatter: RecordFormatter
  output: Writable
  reporter: Reporter
  debug: boolean
}

type StopReason = 'end' | 'max-messages' | 'timeout' | 'interrupted' | 'output-closed'

export interface ConsumeResult {
  records: number
  bytes: number
  elapsedMs: number
  reason: StopReason
  topics: string[]
  group?: string
  /** Offsets committed for --group, per topic-partition (the next record to read). */
  committed?: Array<{ topic: string; partition: number; offset: string }>
}

export interface ConsumeControl {
  stop(): void
  /** What was printed and committed so far, for a stop cut short by a second Ctrl-C. */
  progress(): ConsumeResult
}

interface PartitionState {
  topic: string
  partition: number
  start: string
  /** End offset seen at start (--exit-at-end). */
  end: bigint
  done: boolean
  /** Next offset after the last record the output accepted (--group commits this). */
  printed?: string
  committed?: string
  /** Next offset to fetch (group-less reading). */
  position?: string
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`
const INTERNAL_TOPICS = /^__(consumer_offsets|transaction_state|share_group_state)$/
const COMMIT_INTERVAL_MS = 1000

export async function consumeRecords(
  options: ConsumeOptions,
  control?: (control: ConsumeControl) => void,
): Promise<ConsumeResult> {
  registerCodecs()
  // The topic check, the topic list and the start offsets come from kafkit's own client; kafkajs then only fetches.
  const groups = await GroupsClient.connect(options.connection, options.debug ? { reporter: options.reporter } : {})
  let topics: string[]
  let states: Map<string, PartitionState>
  try {
    if (options.topic !== undefined)
      await ensureTopic(groups.kafka, options.topic, { autoCreate: options.autoCreate, reporter: options.reporter })
    topics = resolveTopics([...(await groups.topicPartitions()).keys()], options)
    states = await startPositions(groups, options, topics)
  } finally {
    await groups.close()
  }
  const kafka = createClient({
    servers: options.connection.servers,
    ssl: options.connection.ssl,
    sasl: options.connection.sasl,
    clientId: 'kafkit-console-consumer',
    // A hung broker (SIGSTOP) is noticed after this and the consumer reconnects; fetches wait 0.5 s at most.
    requestTimeoutMs: 10_000,
    ...(options.debug ? { reporter: options.reporter } : {}),
  })
  if (!fastPathInstalled) options.reporter.debug('kafkajs fast path not installed: using its own decoder')
  const run =
    options.group === undefined
      ? new DirectConsumeRun(kafka, options, topics, states)
      : new GroupConsumeRun(kafka, options, topics, states)
  return run.run(control)
}

function unreachable(options: ConsumeOptions, error: unknown): KafkitError {
  return unreachableAt(options.connection, error)
}

function resolveTopics(existing: string[], options: ConsumeOptions): string[] {
  if (options.topic !== undefined) {
    if (!existing.includes(options.topic)) {
      throw new KafkitError(`Topic "${options.topic}" does not exist.`, {
        code: 'UNKNOWN_TOPIC',
        suggestions: ['List topics: kafkit topics --list'],
      })
    }
    return [options.topic]
  }
  let pattern: RegExp
  try {
    pattern = new RegExp(`^(?:${options.include})$`)
  } catch (error) {
    throw new KafkitError(`Invalid --include regular expression "${options.include}": ${(error as Error).message}`, {
      code: 'BAD_REGEX',
    })
  }
  // Like the Java consumer's pattern subscription: whole-name matches, internal topics left out.
  const topics = existing.filter((t) => pattern.test(t) && !INTERNAL_TOPICS.test(t)).sort()
  if (topics.length === 0) {
    throw new KafkitError(`No topic matches --include "${options.include}".`, {
      code: 'UNKNOWN_TOPIC',
      suggestions: ['List topics: kafkit topics --list'],
    })
  }
  return topics
}

/** Start and end offsets of every partition to read, decided before joining so nothing depends on timing. */
async function startPositions(
  groups: GroupsClient,
  options: ConsumeOptions,
  topics: string[],
): Promise<Map<string, PartitionState>> {
  const states = new Map<string, PartitionState>()
  // A fresh cluster creates __consumer_offsets on first use; the client waits for its coordinator as Kafka's tools do.
  const committed: CommittedOffsets =
    options.group !== undefined ? await groups.committedOffsets(options.group) : new Map()
  const partitionsOf = await groups.topicPartitions(topics)
  for (const topic of topics) {
    const partitions = partitionsOf.get(topic) ?? []
    if (options.partition !== undefined && !partitions.includes(options.partition)) {
      throw new KafkitError(
        `Topic "${topic}" has ${partitions.length} partition(s): there is no partition ${options.partition}.`,
        { code: 'BAD_PARTITION' },
      )
    }
    const wanted = partitions
      .filter((partition) => options.partition === undefined || partition === options.partition)
      .map((partition) => ({ topic, partition }))
    const spec: StartSpec = options.start ?? { kind: options.fromBeginning ? 'earliest' : 'latest' }
    const [offsets, forTime] = await Promise.all([
      groups.logOffsets(wanted),
      spec.kind === 'time' ? groups.offsetsForTimes(wanted, spec.timestamp) : undefined,
    ])
    for (const { partition } of wanted) {
      const log = offsets.get(tpKey(topic, partition))
      if (!log)
        throw new KafkitError(`Partition ${partition} of "${topic}" has no leader: its offsets are unknown.`, {
          code: 'NO_LEADER',
          suggestions: [`Check the brokers: kafkit topics --describe --topic ${topic}`],
        })
      const saved = committed.get(tpKey(topic, partition))
      const timed = forTime?.get(tpKey(topic, partition))
      const start =
        saved !== undefined
          ? String(saved)
          : startOffset(
              spec,
              String(log.start),
              String(log.end),
              timed === null || timed === undefined ? undefined : String(timed),
            )
      states.set(key(topic, partition), {
        topic,
        partition,
        start,
        end: BigInt(log.end),
        done: BigInt(start) >= BigInt(log.end),
      })
    }
  }
  return states
}

/**
 * What both ways of reading share: formatting, writing with back-pressure, --max-messages, --timeout-ms,
 * --exit-at-end, and the record of what was printed (the position a restart or a commit resumes from).
 */
abstract class ConsumeRun {
  protected records = 0
  private bytes = 0
  private readonly started = Date.now()
  private finished: ((reason: StopReason) => void) | undefined
  /** Aborted when the run finishes: ends every wait (backoffs, polls) at once. */
  private readonly stopped = new AbortController()
  protected get stopping(): boolean {
    return this.stopped.signal.aborted
  }
  protected get stopSignal(): AbortSignal {
    return this.stopped.signal
  }
  private idleTimer: NodeJS.Timeout | undefined
  private pendingWrites = 0
  private writesDone: (() => void) | undefined
  /** Writers waiting for 'drain': a stop releases them, since a stalled pipe never drains. */
  private drainWaiters = new Set<() => void>()
  private outputError: Error | undefined
  private failure: unknown
  /** When the connection to Kafka was lost (a notice was printed); cleared when records flow again. */
  private lostAt: number | undefined

  constructor(
    protected readonly kafka: Kafka,
    protected readonly options: ConsumeOptions,
    protected readonly topics: string[],
    protected readonly states: Map<string, PartitionState>,
  ) {}

  protected abstract start(): Promise<void>
  protected abstract shutdown(): Promise<void>

  async run(control?: (control: ConsumeControl) => void): Promise<ConsumeResult> {
    const done = new Promise<StopReason>((resolve) => {
      this.finished = resolve
    })
    control?.({ stop: () => this.finish('interrupted'), progress: () => this.result('interrupted') })
    const onOutputError = (error: Error & { code?: string }) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.finish('output-closed')
      else {
        this.outputError = error
        this.finish('output-closed')
      }
    }
    this.options.output.on('error', onOutputError)
    try {
      if (this.options.exitAtEnd && [...this.states.values()].every((s) => s.done)) return this.result('end')
      if (this.options.maxMessages === 0) return this.result('max-messages')
      await this.start()
      this.armIdleTimer()
      const reason = await done
      await this.flushWrites()
      await this.shutdown()
      if (this.failure)
        throw new KafkitError(`Consuming failed: ${(this.failure as Error).message}`, {
          code: 'CONSUME_FAILED',
          cause: this.failure,
        })
      if (this.outputError)
        throw new KafkitError(`Cannot write output: ${this.outputError.message}`, {
          code: 'OUTPUT',
          cause: this.outputError,
        })
      return this.result(reason)
    } finally {
      clearTimeout(this.idleTimer)
      this.options.output.off('error', onOutputError)
    }
  }

  protected result(reason: StopReason): ConsumeResult {
    const committed =
      this.options.group === undefined
        ? undefined
        : [...this.states.values()]
            .filter((s) => s.committed !== undefined)
            .map((s) => ({ topic: s.topic, partition: s.partition, offset: s.committed! }))
    return {
      records: this.records,
      bytes: this.bytes,
      elapsedMs: Date.now() - this.started,
      reason,
      topics: this.topics,
      ...(this.options.group === undefined ? {} : { group: this.options.group, committed }),
    }
  }

  protected fail(error: unknown): void {
    this.failure = error
    this.finish('interrupted')
  }

  protected finish(reason: StopReason): void {
    if (this.stopping) return
    this.stopped.abort()
    for (const wake of this.drainWaiters) wake()
    this.finished?.(reason)
  }

  /** Says once on stderr (never stdout) that Kafka went away; `regained` says when it is back. */
  protected lost(error: unknown): void {
    if (this.lostAt !== undefined || this.stopping) return
    this.lostAt = Date.now()
    this.options.reporter.warn(`Lost the connection to Kafka (${(error as Error).message}); reconnecting…`)
  }

  protected regained(): void {
    if (this.lostAt === undefined || this.stopping) return
    this.options.reporter.info(
      `Reconnected to Kafka after ${((Date.now() - this.lostAt) / 1000).toFixed(1)} s; reading on from the last printed record.`,
    )
    this.lostAt = undefined
  }

  private armIdleTimer(): void {
    if (this.options.timeoutMs === undefined) return
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.finish('timeout'), this.options.timeoutMs)
  }

  /** Formats and writes one partition's records; resolves when the output can take more. */
  protected async deliver(state: PartitionState, all: KafkaMessage[]): Promise<void> {
    if (this.stopping) return
    let messages = all
    if (this.options.exitAtEnd && messages.length > 0 && BigInt(messages[messages.length - 1]!.offset) >= state.end) {
      // Records produced after the start are not printed (one BigInt comparison per batch in the common case).
      messages = messages.filter((m) => BigInt(m.offset) < state.end)
    }
    if (this.options.maxMessages !== undefined)
      messages = messages.slice(0, Math.max(0, this.options.maxMessages - this.records))
    const count = messages.length
    if (count > 0 && this.options.formatter.discard) {
      for (const message of messages) this.bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0)
      this.records += count
      this.armIdleTimer()
      this.printed(state, (BigInt(messages[count - 1]!.offset) + 1n).toString())
    } else if (count > 0) {
      const parts: Buffer[] = []
      const formatter = this.options.formatter
      if (formatter.prepare)
        await formatter.prepare(messages.map((m) => ({ key: m.key ?? null, value: m.value ?? null })))
      const valueOnly = formatter instanceof DefaultFormatter && formatter.valueOnly
      for (const message of messages) {
        // The default output (values only) needs no record object: the value bytes and a line separator.
        if (valueOnly) formatter.formatValue(message.value ?? null, parts)
        else formatter.format(toRecord(state.topic, state.partition, message), parts)
        this.bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0)
      }
      this.records += count
      this.armIdleTimer()
      const next = (BigInt(messages[count - 1]!.offset) + 1n).toString()
      await this.write(Buffer.concat(parts), () => this.printed(state, next))
    }
    if (this.options.maxMessages !== undefined && this.records >= this.options.maxMessages) this.finish('max-messages')
  }

  /** The output accepted everything before `next`. */
  protected printed(state: PartitionState, next: string): void {
    state.printed = next
  }

  /** Exit-at-end bookkeeping: a partition is done once its position passes the end offset seen at start. */
  protected advance(state: PartitionState, lastOffset: string): void {
    if (!this.options.exitAtEnd || state.done || BigInt(lastOffset) + 1n < state.end) return
    state.done = true
    if ([...this.states.values()].every((s) => s.done)) {
      // Let the write of this batch's records (already queued) complete before stopping.
      setImmediate(() => this.finish('end'))
    }
  }

  /** Writes one chunk; resolves when the stream can take more (backpressure), calls `printed` once the bytes are out. */
  private write(chunk: Buffer, printed: () => void): Promise<void> {
    if (this.stopping && this.outputError) return Promise.resolve()
    this.pendingWrites++
    const ok = this.options.output.write(chunk, (error) => {
      this.pendingWrites--
      if (!error) printed()
      if (this.pendingWrites === 0) this.writesDone?.()
    })
    if (ok || this.stopping) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        this.options.output.off('drain', done)
        this.options.output.off('close', done)
        this.drainWaiters.delete(done)
        resolve()
      }
      this.options.output.once('drain', done)
      this.options.output.once('close', done)
      this.drainWaiters.add(done)
    })
  }

  private async flushWrites(): Promise<void> {
    if (this.pendingWrites === 0 || this.outputError) return
    // A stuck output (a terminal paused with Ctrl-S, a pipe into a stalled reader) must not hold the exit forever;
    // capped below STOP_GRACE_MS so the commit and LeaveGroup that follow still fit before Ctrl-C's forced exit.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => {
        this.writesDone = resolve
      }),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FLUSH_WAIT_MS)
      }),
    ])
    clearTimeout(timer)
  }
}

/** How long a stop waits for the output to take what was written (see flushWrites). */
const FLUSH_WAIT_MS = 3000

/** Fetch sizes: measured, 2 MB per partition / 8 MB per fetch is faster and leaner than larger fetches. */
const FETCH = { maxBytesPerPartition: 2 * 1024 * 1024, maxBytes: 8 * 1024 * 1024, maxWaitTimeMs: 500 }
/** Reconnect backoff, as the Java client's reconnect.backoff.ms / reconnect.backoff.max.ms. */
const BACKOFF = { initialMs: 50, maxMs: 1000 }

type FetchRound =
  | { ok: true; fetched: Array<{ state: PartitionState; fetchOffset: string; data: FetchedPartition }> }
  | {
      ok: false
      error: Error & {
        type?: string
        name: string
        topic?: string
        partition?: number
        retriable?: boolean
        host?: string
        port?: number
      }
    }

/**
 * Without --group: read the partitions directly from their leaders, as kcat and the Java consumer's assign() do.
 * Nothing is committed and no group is created, so runs leave nothing behind. Losing the broker is not an error:
 * the loop reconnects with a short backoff and goes on from the next record it has not printed.
 */
class DirectConsumeRun extends ConsumeRun {
  private cluster!: FetchCluster
  private loop: Promise<void> | undefined

  protected async start(): Promise<void> {
    this.cluster = createFetchCluster(this.kafka)
    for (const s of this.states.values()) s.position = s.start
    try {
      await this.cluster.connect()
      await this.cluster.addMultipleTargetTopics(this.topics)
    } catch (error) {
      throw unreachable(this.options, error)
    }
    this.loop = this.fetchLoop().catch((error) => this.fail(error))
  }

  protected async shutdown(): Promise<void> {
    await this.loop
    await this.cluster.disconnect().catch(() => {})
  }

  private async fetchLoop(): Promise<void> {
    let failures = 0
    let round = this.fetchRound()
    while (!this.stopping) {
      const outcome = await round
      if (this.stopping) return
      if (!outcome.ok) {
        await this.recover(outcome.error, failures++)
        round = this.fetchRound()
        continue
      }
      failures = 0
      this.regained()
      // Positions move as soon as the answer is in, so the next fetch overlaps formatting and writing this one.
      for (const { state, data } of outcome.fetched) {
        const last = data.messages[data.messages.length - 1]
        if (last && BigInt(last.offset) >= BigInt(state.position!))
          state.position = (BigInt(last.offset) + 1n).toString()
      }
      round = this.fetchRound()
      for (const { state, fetchOffset, data } of outcome.fetched) {
        await this.deliver(state, visibleRecords(state.topic, fetchOffset, data))
        const last = data.messages[data.messages.length - 1]
        if (last) this.advance(state, last.offset)
        if (this.stopping) return
      }
    }
  }

  /** One Fetch per leader, in parallel; never rejects (the loop decides what an error means). */
  private async fetchRound(): Promise<FetchRound> {
    if (this.stopping) return { ok: true, fetched: [] }
    try {
      const byLeader = new Map<number, PartitionState[]>()
      for (const topic of this.topics) {
        const leaders = new Map(this.cluster.findTopicPartitionMetadata(topic).map((p) => [p.partitionId, p.leader]))
        for (const s of this.states.values()) {
          if (s.topic !== topic || (this.options.exitAtEnd && s.done)) continue
          const leader = leaders.get(s.partition)
          if (leader === undefined || leader < 0)
            throw Object.assign(new Error(`No leader for ${s.topic}-${s.partition}`), { type: 'LEADER_NOT_AVAILABLE' })
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), s])
        }
      }
      // Nothing left to fetch (--exit-at-end, all done): yield to the timers that finish the run instead of spinning.
      if (byLeader.size === 0) {
        await sleep(50, { signal: this.stopSignal })
        return { ok: true, fetched: [] }
      }
      const answers = await Promise.all(
        [...byLeader].map(async ([leader, states]) => {
          const broker = await this.cluster.findBroker({ nodeId: String(leader) })
          const wanted = new Map(states.map((s) => [key(s.topic, s.partition), { state: s, fetchOffset: s.position! }]))
          const response = await broker.fetch({
            isolationLevel: this.options.readCommitted ? 1 : 0,
            maxWaitTime: FETCH.maxWaitTimeMs,
            minBytes: 1,
            maxBytes: FETCH.maxBytes,
            topics: this.topics
              .map((topic) => ({
                topic,
                partitions: states
                  .filter((s) => s.topic === topic)
                  .map((s) => ({
                    partition: s.partition,
                    fetchOffset: s.position!,
                    maxBytes: FETCH.maxBytesPerPartition,
                  })),
              }))
              .filter((t) => t.partitions.length > 0),
          })
          return response.responses.flatMap((r) =>
            r.partitions.map((data) => ({ ...wanted.get(key(r.topicName, data.partition))!, data })),
          )
        }),
      )
      return { ok: true, fetched: answers.flat().filter((f) => f.state !== undefined) }
    } catch (error) {
      return { ok: false, error: error as FetchRound extends { ok: false; error: infer E } ? E : never }
    }
  }

  private async recover(error: Extract<FetchRound, { ok: false }>['error'], failures: number): Promise<void> {
    if (error.name === 'KafkaJSOffsetOutOfRange' && error.topic !== undefined && error.partition !== undefined) {
      // The records were deleted (retention, delete-records) or the log was truncated: restart where the Java
      // console consumer would (auto.offset.reset: earliest with --from-beginning, else latest).
      const state = this.states.get(key(error.topic, error.partition))
      if (state) state.position = await this.resetPosition(state)
      return
    }
    const cause = rootCause(error)
    if (cause.retriable === false && cause.name === 'KafkaJSProtocolError') throw error
    const connectionLost = CONNECTION_ERRORS.has(cause.name)
    if (connectionLost) {
      this.lost(error)
      if (error.host !== undefined && error.port !== undefined)
        this.cluster.removeBroker({ host: error.host, port: error.port })
    }
    this.options.reporter.debug(`fetch failed (${error.name}${error.type ? ` ${error.type}` : ''}): ${error.message}`)
    // Not a lost connection but still failing after ~10 s (a deleted topic, a partition without leader): say so once.
    if (failures === 12 && !connectionLost)
      this.options.reporter.warn(`Still cannot fetch: ${error.message}; retrying.`)
    await sleep(Math.min(BACKOFF.initialMs * 2 ** failures, BACKOFF.maxMs), { signal: this.stopSignal })
    try {
      if (!this.cluster.isConnected()) await this.cluster.connect()
      await this.cluster.refreshMetadata()
    } catch (refreshError) {
      if (CONNECTION_ERRORS.has(rootCause(refreshError as Error).name)) this.lost(refreshError)
      this.options.reporter.debug(`metadata refresh failed: ${(refreshError as Error).message}`)
    }
  }

  private async resetPosition(state: PartitionState): Promise<string> {
    const admin = this.kafka.admin()
    await admin.connect()
    try {
      const offsets = await admin.fetchTopicOffsets(state.topic)
      const found = offsets.find((o) => o.partition === state.partition)
      if (!found) return state.position!
      const target = this.options.fromBeginning ? found.low : found.high
      this.options.reporter.warn(
        `Offset ${state.position} of ${state.topic}-${state.partition} is no longer in the log; going on from ${this.options.fromBeginning ? 'the earliest' : 'the latest'} offset, ${target}.`,
      )
      return target
    } finally {
      await admin.disconnect().catch(() => {})
    }
  }
}

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
])

/**
 * With --group: an ordinary member of the group through kafkajs's consumer (round-robin assignment), starting
 * from the group's committed offsets, committing only offsets of records the output accepted. Broker restarts:
 * kafkajs retries with the same member id (so the coordinator takes it back at once); should it give up, the old
 * member is removed from the group (LeaveGroup) before a new one joins, so the join does not wait for its session
 * to time out. Every join seeks to what was printed, so nothing is printed twice.
 */
class GroupConsumeRun extends ConsumeRun {
  private consumer: Consumer | undefined
  private commitTimer: NodeJS.Timeout | undefined
  private commitDirty = false
  private memberId: string | undefined
  /** Partitions of the last assignment: a rejoin that keeps one resumes it from what was printed. */
  private held = new Set<string>()
  private restarting: Promise<void> | undefined

  private get group(): string {
    return this.options.group!
  }

  protected async start(): Promise<void> {
    try {
      await this.startConsumer()
    } catch (error) {
      throw unreachable(this.options, error)
    }
    this.commitTimer = setInterval(() => void this.commit(), COMMIT_INTERVAL_MS)
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.group,
      partitionAssigners: [PartitionAssigners.roundRobin],
      allowAutoTopicCreation: false,
      readUncommitted: !this.options.readCommitted,
      maxBytesPerPartition: FETCH.maxBytesPerPartition,
      maxBytes: FETCH.maxBytes,
      maxWaitTimeInMs: FETCH.maxWaitTimeMs,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      // Keep retrying with the same member (about two minutes at 1 s); kafkit restarts the consumer itself after that.
      retry: {
        retries: 120,
        initialRetryTime: BACKOFF.initialMs * 2,
        maxRetryTime: BACKOFF.maxMs,
        restartOnFailure: async () => false,
      },
    })
    this.consumer = consumer
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      // Also fires for batches of only control records (transaction markers), which eachBatch never sees.
      const state = this.states.get(key(payload.topic, payload.partition))
      if (state) this.advance(state, payload.lastOffset)
    })
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.memberId = payload.memberId
      this.regained()
      const assigned = new Set(
        Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((p) => key(topic, p))),
      )
      for (const k of assigned) {
        const state = this.states.get(k)
        // Held before and now again: nobody else read it in between, so resume after the last printed record.
        if (state?.printed !== undefined && this.held.has(k))
          consumer.seek({ topic: state.topic, partition: state.partition, offset: state.printed })
      }
      this.held = assigned
    })
    consumer.on(consumer.events.REQUEST_TIMEOUT, () => this.lost(new Error('request timed out')))
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping) return
      const cause = rootCause(payload.error)
      if (cause.retriable === false && cause.name === 'KafkaJSProtocolError') this.fail(payload.error)
      else this.restart(cause)
    })
    await consumer.connect()
    for (const topic of this.topics) await consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning })
    // Resolving (not committing) moves kafkajs's fetch position past each handled batch.
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch: (payload) => this.onBatch(payload) })
  }

  /** kafkajs gave up: remove the old member, then join again with a new consumer, retrying until Kafka answers. */
  private restart(cause: Error): void {
    if (this.restarting) return
    this.lost(cause)
    this.restarting = (async () => {
      const old = this.consumer
      this.consumer = undefined
      await old?.disconnect().catch(() => {})
      for (let attempt = 0; !this.stopping; attempt++) {
        await sleep(Math.min(BACKOFF.initialMs * 2 ** attempt, BACKOFF.maxMs), { signal: this.stopSignal })
        if (this.stopping) return
        try {
          if (this.memberId) await leaveGroup(this.kafka, this.group, this.memberId)
          this.memberId = undefined
          await this.startConsumer()
          return
        } catch (error) {
          this.options.reporter.debug(`restarting the group consumer failed: ${(error as Error).message}`)
          await (this.consumer as Consumer | undefined)?.disconnect().catch(() => {})
          this.consumer = undefined
        }
      }
    })().finally(() => {
      this.restarting = undefined
    })
  }

  private async onBatch({ batch, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.stopping || !isRunning() || isStale()) return
    const state = this.states.get(key(batch.topic, batch.partition))
    if (state) await this.deliver(state, batch.messages)
  }

  protected override printed(state: PartitionState, next: string): void {
    super.printed(state, next)
    this.commitDirty = true
  }

  /** Commit the next offset after the last printed record of every partition that moved. */
  private async commit(): Promise<void> {
    if (!this.commitDirty || !this.consumer) return
    this.commitDirty = false
    const offsets = [...this.states.values()]
      .filter((s) => s.printed !== undefined && s.printed !== s.committed && this.held.has(key(s.topic, s.partition)))
      .map((s) => ({ topic: s.topic, partition: s.partition, offset: s.printed! }))
    if (offsets.length === 0) return
    try {
      await this.consumer.commitOffsets(offsets)
      for (const o of offsets) this.states.get(key(o.topic, o.partition))!.committed = o.offset
    } catch (error) {
      this.commitDirty = true
      this.options.reporter.debug(`commit failed: ${(error as Error).message}`)
    }
  }

  protected async shutdown(): Promise<void> {
    clearInterval(this.commitTimer)
    await this.restarting
    // Order matters: everything printed is committed while still a member, then the group is left.
    await this.commit()
    await this.consumer?.disconnect().catch(() => {})
  }
}

function rootCause(error: Error & { cause?: unknown }): Error & { retriable?: boolean } {
  let current: Error & { cause?: unknown } = error
  while (current.cause instanceof Error) current = current.cause as Error & { cause?: unknown }
  return current
}

function toRecord(topic: string, partition: number, message: KafkaMessage): IncomingRecord {
  const context = (message as KafkaMessage & { batchContext?: { timestampType?: number } }).batchContext
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    timestampType: context?.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
    key: message.key ?? null,
    value: message.value ?? null,
    headers: headerList(message.headers),
  }
}

/** kafkajs decodes headers into an object (repeated keys become arrays); back to Kafka's ordered list. */
function headerList(headers: KafkaMessage['headers']): Header[] {
  if (!headers) return []
  const list: Header[] = []
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (Array.isArray(value)) for (const item of value) list.push({ key: name, value: toBytes(item) })
    else list.push({ key: name, value: toBytes(value) })
  }
  return list
}

function toBytes(value: Buffer | string | undefined | null): Buffer | null {
  if (value === undefined || value === null) return null
  return Buffer.isBuffer(value) ? value : Buffer.from(value)
}
