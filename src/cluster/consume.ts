/**
 * The console consumer. kafkajs only consumes through a group, so:
 *  - without --group kafkit joins a fresh random group (like the script's "console-consumer-NNNNN"), with a
 *    private assigner that gives this one member exactly the wanted partitions, never commits, and seeks every
 *    partition to the start kafkit computed itself (earliest, latest, an offset, a time): no committed offset
 *    is ever read or written, and the empty group disappears from the broker on its own;
 *  - with --group it is an ordinary member (kafkajs's round-robin protocol), starts from the group's committed
 *    offsets (else earliest with --from-beginning, latest without), and commits only offsets of records whose
 *    bytes the output stream has accepted, so a restart resumes after the last printed record.
 * Output is formatted per fetched batch into one buffer and written once; a full pipe pauses fetching.
 */
// Must stay the first import: it replaces kafkajs's record decoder before kafkajs loads (see the module).
import { installed as fastPathInstalled } from './kafkajs-fast.js'
import { randomInt } from 'node:crypto'
import type { Writable } from 'node:stream'
import kafkajs from 'kafkajs'
import type { Admin, Assigner, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs'
import { unreachable as unreachableAt } from './connection.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { DefaultFormatter, type RecordFormatter } from '../records/formatter.js'
import { startOffset, type StartSpec } from '../records/offset-spec.js'
import type { Header, IncomingRecord } from '../records/types.js'
import { createClient } from './client.js'
import { registerCodecs } from './codecs.js'
import type { ConnectionSettings } from './connection.js'

const { AssignerProtocol, PartitionAssigners } = kafkajs

export interface ConsumeOptions {
  connection: ConnectionSettings
  topic?: string
  /** Java-style regular expression matched against whole topic names (--include / --whitelist). */
  include?: string
  partition?: number
  /** Where to start without a group (default: latest, or earliest with --from-beginning). */
  start?: StartSpec
  fromBeginning: boolean
  group?: string
  exitAtEnd: boolean
  maxMessages?: number
  /** Stop when no record arrived for this long. */
  timeoutMs?: number
  readCommitted: boolean
  formatter: RecordFormatter
  output: Writable
  reporter: Reporter
  debug: boolean
}

export type StopReason = 'end' | 'max-messages' | 'timeout' | 'interrupted' | 'output-closed'

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
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`
const INTERNAL_TOPICS = /^__(consumer_offsets|transaction_state|share_group_state)$/
const COMMIT_INTERVAL_MS = 1000

export async function consumeRecords(options: ConsumeOptions, control?: (control: ConsumeControl) => void): Promise<ConsumeResult> {
  registerCodecs()
  const kafka = createClient({
    servers: options.connection.servers,
    ssl: options.connection.ssl,
    sasl: options.connection.sasl,
    clientId: 'kafkit-console-consumer',
    ...(options.debug ? { reporter: options.reporter } : {}),
  })
  if (!fastPathInstalled) options.reporter.debug('kafkajs fast path not installed: using its own decoder')
  const admin = kafka.admin()
  try {
    await admin.connect()
  } catch (error) {
    throw unreachable(options, error)
  }
  let states: Map<string, PartitionState>
  let topics: string[]
  try {
    topics = await resolveTopics(admin, options)
    states = await startPositions(admin, options, topics)
  } catch (error) {
    if (error instanceof KafkitError) throw error
    throw unreachable(options, error)
  } finally {
    await admin.disconnect().catch(() => {})
  }
  return new ConsumeRun(kafka, options, topics, states).run(control)
}

function unreachable(options: ConsumeOptions, error: unknown): KafkitError {
  return unreachableAt(options.connection, error)
}

async function resolveTopics(admin: Admin, options: ConsumeOptions): Promise<string[]> {
  const existing = await admin.listTopics()
  if (options.topic !== undefined) {
    if (!existing.includes(options.topic)) {
      throw new KafkitError(`Topic "${options.topic}" does not exist.`, { code: 'UNKNOWN_TOPIC', suggestions: ['List topics: kafkit topics --list'] })
    }
    return [options.topic]
  }
  let pattern: RegExp
  try {
    pattern = new RegExp(`^(?:${options.include})$`)
  } catch (error) {
    throw new KafkitError(`Invalid --include regular expression "${options.include}": ${(error as Error).message}`, { code: 'BAD_REGEX' })
  }
  // Like the Java consumer's pattern subscription: whole-name matches, internal topics left out.
  const topics = existing.filter((t) => pattern.test(t) && !INTERNAL_TOPICS.test(t)).sort()
  if (topics.length === 0) {
    throw new KafkitError(`No topic matches --include "${options.include}".`, { code: 'UNKNOWN_TOPIC', suggestions: ['List topics: kafkit topics --list'] })
  }
  return topics
}

/** Start and end offsets of every partition to read, decided before joining so nothing depends on timing. */
async function startPositions(admin: Admin, options: ConsumeOptions, topics: string[]): Promise<Map<string, PartitionState>> {
  const states = new Map<string, PartitionState>()
  const committed = new Map<string, string>()
  if (options.group !== undefined) {
    for (const entry of await admin.fetchOffsets({ groupId: options.group, topics })) {
      for (const p of entry.partitions) if (BigInt(p.offset) >= 0n) committed.set(key(entry.topic, p.partition), p.offset)
    }
  }
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic)
    if (options.partition !== undefined && !offsets.some((o) => o.partition === options.partition)) {
      throw new KafkitError(`Topic "${topic}" has ${offsets.length} partition(s): there is no partition ${options.partition}.`, { code: 'BAD_PARTITION' })
    }
    const spec: StartSpec = options.start ?? { kind: options.fromBeginning ? 'earliest' : 'latest' }
    const forTime = spec.kind === 'time' ? await admin.fetchTopicOffsetsByTimestamp(topic, spec.timestamp) : []
    for (const o of offsets) {
      if (options.partition !== undefined && o.partition !== options.partition) continue
      const saved = committed.get(key(topic, o.partition))
      const start = saved !== undefined ? saved : startOffset(spec, o.low, o.high, forTime.find((t) => t.partition === o.partition)?.offset)
      states.set(key(topic, o.partition), { topic, partition: o.partition, start, end: BigInt(o.high), done: BigInt(start) >= BigInt(o.high) })
    }
  }
  return states
}

/** For the private random group: this single member gets exactly the partitions kafkit decided to read. */
function fixedAssigner(states: Map<string, PartitionState>) {
  return (): Assigner => ({
    name: 'kafkit-fixed',
    version: 1,
    async assign({ members }) {
      const assignment: Record<string, number[]> = {}
      for (const s of states.values()) (assignment[s.topic] ??= []).push(s.partition)
      return members.map((member, index) => ({
        memberId: member.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: index === 0 ? assignment : {}, userData: Buffer.alloc(0) }),
      }))
    },
    protocol({ topics }) {
      return { name: 'kafkit-fixed', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) }
    },
  })
}

class ConsumeRun {
  private consumer!: Consumer
  private records = 0
  private bytes = 0
  private readonly started = Date.now()
  private finished: ((reason: StopReason) => void) | undefined
  private stopping = false
  private idleTimer: NodeJS.Timeout | undefined
  private commitTimer: NodeJS.Timeout | undefined
  private commitDirty = false
  private pendingWrites = 0
  private writesDone: (() => void) | undefined
  private outputError: Error | undefined

  constructor(private readonly kafka: Kafka, private readonly options: ConsumeOptions, private readonly topics: string[], private readonly states: Map<string, PartitionState>) {}

  async run(control?: (control: ConsumeControl) => void): Promise<ConsumeResult> {
    const done = new Promise<StopReason>((resolve) => { this.finished = resolve })
    control?.({ stop: () => this.finish('interrupted') })
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
      await this.shutdown()
      if (this.outputError) throw new KafkitError(`Cannot write output: ${this.outputError.message}`, { code: 'OUTPUT', cause: this.outputError })
      return this.result(reason)
    } finally {
      clearTimeout(this.idleTimer)
      clearInterval(this.commitTimer)
      this.options.output.off('error', onOutputError)
    }
  }

  private result(reason: StopReason): ConsumeResult {
    const committed = this.options.group === undefined ? undefined : [...this.states.values()]
      .filter((s) => s.committed !== undefined).map((s) => ({ topic: s.topic, partition: s.partition, offset: s.committed! }))
    return {
      records: this.records,
      bytes: this.bytes,
      elapsedMs: Date.now() - this.started,
      reason,
      topics: this.topics,
      ...(this.options.group === undefined ? {} : { group: this.options.group, committed }),
    }
  }

  private async start(): Promise<void> {
    const group = this.options.group
    this.consumer = this.kafka.consumer({
      groupId: group ?? `kafkit-console-consumer-${randomInt(100_000)}`,
      partitionAssigners: group === undefined ? [fixedAssigner(this.states)] : [PartitionAssigners.roundRobin],
      allowAutoTopicCreation: false,
      readUncommitted: !this.options.readCommitted,
      // Measured: 2 MB per partition / 8 MB per fetch is faster and leaner than larger fetches (decoding overlaps the next fetch).
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxBytes: 8 * 1024 * 1024,
      maxWaitTimeInMs: 500,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5000 },
    })
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      // Also fires for batches of only control records (transaction markers), which eachBatch never sees.
      this.advance(payload.topic, payload.partition, payload.lastOffset)
    })
    // kafkajs forgets seeks when it restarts its consumer after a retriable crash (a fresh broker answers
    // COORDINATOR_NOT_AVAILABLE while it creates __consumer_offsets), so every join seeks again, from what
    // was already printed.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      if (group === undefined) this.seekAll()
    })
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && !this.stopping) this.fail(payload.error)
    })
    try {
      await this.consumer.connect()
      for (const topic of this.topics) await this.consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning })
      // Resolving (not committing) moves kafkajs's fetch position past each handled batch.
      await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch: (payload) => this.onBatch(payload) })
    } catch (error) {
      throw unreachable(this.options, error)
    }
    if (group === undefined) {
      this.seekAll()
    } else {
      this.commitTimer = setInterval(() => void this.commit(), COMMIT_INTERVAL_MS)
    }
  }

  /** Without --group: position every partition at kafkit's computed start (or past what was printed). */
  private seekAll(): void {
    try {
      for (const s of this.states.values()) this.consumer.seek({ topic: s.topic, partition: s.partition, offset: s.printed ?? s.start })
    } catch {
      // kafkajs is between a crash and its restart (no consumer group yet): the next GROUP_JOIN seeks.
    }
  }

  private failure: unknown
  private fail(error: unknown): void {
    this.failure = error
    this.finish('interrupted')
  }

  private finish(reason: StopReason): void {
    if (this.stopping) return
    this.stopping = true
    this.finished?.(reason)
  }

  private armIdleTimer(): void {
    if (this.options.timeoutMs === undefined) return
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.finish('timeout'), this.options.timeoutMs)
  }

  private async onBatch({ batch, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.stopping || !isRunning() || isStale()) return
    const state = this.states.get(key(batch.topic, batch.partition))
    if (!state) return
    const parts: Buffer[] = []
    let messages = batch.messages
    if (this.options.exitAtEnd && messages.length > 0 && BigInt(messages[messages.length - 1]!.offset) >= state.end) {
      // Records produced after the start are not printed (one BigInt comparison per batch in the common case).
      messages = messages.filter((m) => BigInt(m.offset) < state.end)
    }
    if (this.options.maxMessages !== undefined) messages = messages.slice(0, Math.max(0, this.options.maxMessages - this.records))
    const count = messages.length
    const formatter = this.options.formatter
    const valueOnly = formatter instanceof DefaultFormatter && formatter.valueOnly
    for (const message of messages) {
      // The default output (values only) needs no record object: the value bytes and a line separator.
      if (valueOnly) formatter.formatValue(message.value ?? null, parts)
      else formatter.format(toRecord(batch.topic, batch.partition, message), parts)
      this.bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0)
    }
    const last = count > 0 ? messages[count - 1]!.offset : undefined
    if (count > 0) {
      this.records += count
      this.armIdleTimer()
      const next = (BigInt(last!) + 1n).toString()
      await this.write(Buffer.concat(parts), () => {
        state.printed = next
        this.commitDirty = true
      })
    }
    if (this.options.maxMessages !== undefined && this.records >= this.options.maxMessages) this.finish('max-messages')
  }

  /** Exit-at-end bookkeeping: a partition is done once its position passes the end offset seen at start. */
  private advance(topic: string, partition: number, lastOffset: string): void {
    if (!this.options.exitAtEnd) return
    const state = this.states.get(key(topic, partition))
    if (!state || state.done || BigInt(lastOffset) + 1n < state.end) return
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
    if (ok) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        this.options.output.off('drain', done)
        this.options.output.off('close', done)
        resolve()
      }
      this.options.output.once('drain', done)
      this.options.output.once('close', done)
    })
  }

  private async flushWrites(): Promise<void> {
    if (this.pendingWrites === 0 || this.outputError) return
    // A stuck output (a terminal paused with Ctrl-S) must not hold the exit forever.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => { this.writesDone = resolve }),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, 5000) }),
    ])
    clearTimeout(timer)
  }

  /** --group: commit the next offset after the last printed record of every partition that moved. */
  private async commit(): Promise<void> {
    if (this.options.group === undefined || !this.commitDirty) return
    this.commitDirty = false
    const offsets = [...this.states.values()]
      .filter((s) => s.printed !== undefined && s.printed !== s.committed)
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

  private async shutdown(): Promise<void> {
    clearInterval(this.commitTimer)
    // Order matters for --group: everything printed is committed while still a member, then the group is left.
    await this.flushWrites()
    await this.commit()
    await this.consumer.disconnect().catch(() => {})
    if (this.failure) {
      throw new KafkitError(`Consuming failed: ${(this.failure as Error).message}`, { code: 'CONSUME_FAILED', cause: this.failure })
    }
  }
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
