/**
 * The console producer: stream lines (or JSON records) from stdin or a file into one topic with bounded
 * memory, batching ourselves because kafkajs has no linger: records collect per partition and go out
 * when a partition's batch is full, after the linger time, or at the end of input. Reading pauses while
 * the bytes read but not yet acknowledged exceed --max-memory-bytes, so a 10 GB file streams through a
 * few tens of MB.
 *
 * Delivery follows the Java producer: idempotent by default, requests retried (kafkajs's retrier, with the
 * same sequence numbers, so the broker drops duplicates) until the records' delivery timeout expires, which is
 * counted from the moment a record was read. While the broker is away, reading pauses at the memory limit and
 * everything goes out, in order, once it is back. Only records whose delivery timeout expires fail; then
 * nothing after them is sent, and the error names the first input line that was not acknowledged.
 */
import { fastPathInstalled } from './kafkajs-internals.js'
import { recycleRequestBuffer } from './kafkajs-fast.js'
import type { Readable } from 'node:stream'
import type { Message, Producer } from 'kafkajs'
import { unreachable as unreachableAt } from './unreachable.js'
import { KafkitError } from '../errors.js'
import { sleep } from '../util/sleep.js'
import type { Reporter } from '../output/reporter.js'
import { parseJsonRecord } from '../records/json-records.js'
import { LineParser, RecordParseError, type LineReaderOptions } from '../records/line-reader.js'
import { LineSplitter } from '../records/line-splitter.js'
import { partitionForKey } from '../records/partitioner.js'
import { PRE_ENCODED, RecordBatchBuilder } from '../records/record-batch.js'
import type { OutgoingRecord } from '../records/types.js'
import { ensureTopic } from './auto-create.js'
import { createClient } from './client.js'
import { compressionType, registerCodecs } from './codecs.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { withClient } from './connect.js'

interface ProduceOptions {
  connection: ConnectionSettings
  topic: string
  input: Readable
  /** Where the input comes from, for messages ("stdin", a file name). */
  inputName: string
  json: boolean
  reader: LineReaderOptions
  partition?: number
  acks: -1 | 0 | 1
  compression?: string
  idempotent: boolean
  /** Send each record alone and wait for its acknowledgement (the script's --sync). */
  sync: boolean
  /** Bytes per partition batch before it is sent (capped below the broker's 1 MB message limit). */
  batchBytes: number
  lingerMs: number
  maxMemoryBytes: number
  requestTimeoutMs: number
  deliveryTimeoutMs: number
  retries: number
  retryBackoffMs: number
  retryBackoffMaxMs: number
  /** Ask the broker to create a missing topic, as the Java producer does (allow.auto.create.topics). */
  autoCreate: boolean
  reporter: Reporter
  debug: boolean
  /**
   * Turns each read record into the bytes to send (the schema formats: src/schemas/serde.ts); throws RecordParseError
   * for a record its schema refuses. With ignore.error=true such a line is reported and skipped.
   */
  serialize?: (record: OutgoingRecord, lineNumber: number) => OutgoingRecord
}

export interface ProduceResult {
  topic: string
  /** Records read from the input. */
  records: number
  /** Records the broker acknowledged (all of them when acks=0 and the requests were written). */
  acknowledged: number
  failed: number
  /** Records read but never sent (the second Ctrl-C). */
  notSent: number
  /** Input lines after a delivery failure that were never read (counted, not sent); undefined when not counted to the end. */
  unread?: number
  /** The first input line whose record was not acknowledged (every line before it was); undefined when all were. */
  firstUnacknowledgedLine?: number
  bytes: number
  elapsedMs: number
  recordsPerSecond: number
  interrupted: boolean
  /** The first delivery error, when some records failed. */
  error?: string
}

/** Lets the command stop a running produce: "flush" sends what was read and stops reading; "abandon" stops now. */
export interface ProduceControl {
  stop(mode: 'flush' | 'abandon'): void
  /** The counts so far, for a stop cut short by a second Ctrl-C. */
  progress(): ProduceResult
}

/** Kafka refuses a record batch over message.max.bytes (1 MB by default); stay under it with room for framing. */
const MAX_BATCH_BYTES = 900 * 1024
/**
 * One produce request at a time. kafkajs takes its per-broker lock (which fixes the idempotent sequence
 * numbers) only after some awaits, so concurrent sendBatch calls can overtake each other and reorder a
 * partition; serial requests keep the input order. Reading and parsing the next batches overlaps the wait.
 */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024

interface PartitionBatch {
  partition: number
  /** The records, encoded as they were read. */
  builder: RecordBatchBuilder
  /** Bytes counted against --max-memory-bytes (the encoded size). */
  bytes: number
  /** Input line of the batch's first record: no earlier line of this partition is in it. */
  firstLine: number
  /** When its first record was read: the delivery timeout counts from here. */
  createdAt: number
}

/** How long the rest of the input is counted after a delivery failure (an endless pipe must not hold the exit). */
const COUNT_UNREAD_MS = 3000

export class DeliveryFailedError extends KafkitError {
  constructor(
    readonly result: ProduceResult,
    message: string,
    details: string[],
  ) {
    super(message, { code: 'DELIVERY_FAILED', details })
  }
}

class AbandonedError extends KafkitError {
  constructor(readonly result: ProduceResult) {
    super(
      `Abandoned: ${result.notSent} record(s) read were not sent or not acknowledged (${result.acknowledged} acknowledged, ${result.failed} failed).`,
      { code: 'ABANDONED' },
    )
  }
}

export async function produceRecords(
  options: ProduceOptions,
  control?: (control: ProduceControl) => void,
): Promise<ProduceResult> {
  const compression = compressionType(options.compression)
  if (compression !== 0) registerCodecs()
  // The topic check (and auto-creation) goes through kafkit's own client; kafkajs then only produces.
  const { partitions } = await withClient(
    options.connection,
    options.debug ? { reporter: options.reporter } : {},
    (client) => ensureTopic(client, options.topic, { autoCreate: options.autoCreate, reporter: options.reporter }),
  )
  if (options.partition !== undefined && options.partition >= partitions) {
    throw new KafkitError(
      `Topic "${options.topic}" has ${partitions} partition(s): there is no partition ${options.partition}.`,
      { code: 'BAD_PARTITION' },
    )
  }
  const problems = new DeliveryProblems()
  const kafka = createClient({
    servers: options.connection.servers,
    ssl: options.connection.ssl,
    sasl: options.connection.sasl,
    clientId: 'kafkit-console-producer',
    requestTimeoutMs: options.requestTimeoutMs,
    // Reconnecting and metadata use the client-wide retrier: when it gives up, kafkajs stops retrying the send too.
    retries: options.retries,
    ...(options.debug ? { reporter: options.reporter } : {}),
    onError: (message) => problems.seen(message),
  })
  if (!fastPathInstalled)
    options.reporter.debug('kafkajs was loaded before the fast path could be installed: using its own encoder')
  const producer = kafka.producer({
    idempotent: options.idempotent,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: options.autoCreate,
    // Every record carries its partition (ours agrees with the Java client's); kafkajs only has to honour it.
    createPartitioner:
      () =>
      ({ message }) =>
        message.partition!,
    // Retried inside kafkajs with the same sequence numbers; the delivery timeout (ProduceRun) bounds the time.
    retry: {
      retries: options.retries,
      initialRetryTime: options.retryBackoffMs,
      maxRetryTime: Math.max(options.retryBackoffMs, options.retryBackoffMaxMs),
    },
  })
  try {
    await producer.connect()
  } catch (error) {
    throw unreachable(options, error)
  }
  let abandoned = false
  try {
    return await new ProduceRun(producer, options, partitions, compression, problems).run(control)
  } catch (error) {
    abandoned = true
    throw error
  } finally {
    // After an expired delivery kafkajs may still be retrying; do not let its reconnects hold the exit.
    const disconnect = producer.disconnect().catch(() => {})
    if (abandoned) await Promise.race([disconnect, sleep(2000, { unref: true })])
    else await disconnect
  }
}

function unreachable(options: ProduceOptions, error: unknown): KafkitError {
  return unreachableAt(options.connection, error)
}

/** kafkajs retries silently; its error log tells us why a request is slow, for the user and the final message. */
class DeliveryProblems {
  last: string | undefined
  since: number | undefined
  private listener: ((message: string) => void) | undefined

  seen(raw: string): void {
    // kafkajs logs a request that was pending when its connection closed as "Response Produce(key: 0, version: 7)".
    const message = /^Response \w+\(key/.test(raw)
      ? 'the connection to the broker closed with a request in flight'
      : raw
    this.last = message
    this.since ??= Date.now()
    this.listener?.(message)
  }

  onFirst(listener: (message: string) => void): void {
    this.listener = listener
  }

  /** A request went through: the trouble, if any, is over. Returns how long it lasted. */
  cleared(): number | undefined {
    if (this.since === undefined) return undefined
    const lasted = Date.now() - this.since
    this.since = undefined
    return lasted
  }
}

class ProduceRun {
  private readonly batches = new Map<number, PartitionBatch>()
  /** Full batches waiting for the request in flight, in input order. */
  private queue: PartitionBatch[] = []
  private sending: Promise<void> | undefined
  private readonly parser: LineParser
  private readonly batchBytes: number
  private bufferedBytes = 0
  private records = 0
  private lineNumber = 0
  private bytes = 0
  private acknowledged = 0
  private failed = 0
  private unread: number | undefined
  private firstFailedLine: number | undefined
  private firstError: string | undefined
  private stickyPartition: number
  private lingerTimer: NodeJS.Timeout | undefined
  private stopMode: 'flush' | 'abandon' | undefined
  private spaceWaiter: (() => void) | undefined
  private abandon: ((error: Error) => void) | undefined
  private retryingNoticeShown = false
  private readonly started = Date.now()
  /** Buffers of acknowledged full batches, for the next ones. */
  private readonly spareBuffers: Buffer[] = []

  constructor(
    private readonly producer: Producer,
    private readonly options: ProduceOptions,
    private partitions: number,
    private readonly compression: number,
    private readonly problems: DeliveryProblems,
  ) {
    this.parser = new LineParser(options.reader)
    this.batchBytes = Math.max(1, Math.min(options.batchBytes, MAX_BATCH_BYTES))
    this.stickyPartition = partitions > 0 ? Math.floor(Math.random() * partitions) : 0
    problems.onFirst((message) => {
      if (this.retryingNoticeShown || !this.sending) return
      this.retryingNoticeShown = true
      options.reporter.warn(
        `Delivery is being retried: ${message}. Records wait up to ${seconds(options.deliveryTimeoutMs)} (delivery.timeout.ms) for Kafka.`,
      )
    })
  }

  async run(control?: (control: ProduceControl) => void): Promise<ProduceResult> {
    const abandoned = new Promise<never>((_, reject) => {
      this.abandon = reject
    })
    abandoned.catch(() => {})
    control?.({
      stop: (mode) => {
        this.stopMode = mode === 'abandon' || this.stopMode === 'flush' ? 'abandon' : 'flush'
        this.options.input.pause()
        this.options.input.destroy()
        this.spaceWaiter?.()
        if (this.stopMode === 'abandon') this.abandon?.(new AbandonedError(this.result()))
      },
      progress: () => this.result(),
    })
    return Promise.race([this.produce(), abandoned])
  }

  private async produce(): Promise<ProduceResult> {
    let parseError: RecordParseError | undefined
    try {
      await this.readInput()
    } catch (error) {
      if (error instanceof RecordParseError) parseError = error
      else if (!this.stopMode)
        throw new KafkitError(`Cannot read ${this.options.inputName}: ${(error as Error).message}`, {
          code: 'INPUT',
          cause: error,
        })
    }
    await this.drain()
    if (this.failed > 0 && !this.stopMode) this.unread = await this.countUnread()
    const result = this.result()
    if (parseError) {
      throw new RecordParseError(
        `${parseError.message} (${result.acknowledged} record(s) before it were sent)`,
        parseError.lineNumber,
      )
    }
    if (result.failed > 0) {
      const unread =
        result.unread === undefined
          ? `the rest of ${this.options.inputName} was not read`
          : `${result.unread} more line(s) of ${this.options.inputName} never read`
      throw new DeliveryFailedError(
        result,
        `${result.failed} of ${result.records} record(s) read were not delivered to ${this.options.topic}: ${result.error}`,
        [
          `${result.acknowledged} acknowledged, ${result.failed} failed, ${unread}.`,
          `Every line before line ${result.firstUnacknowledgedLine} was acknowledged; resend from that line (tail -n +${result.firstUnacknowledgedLine}).`,
        ],
      )
    }
    return result
  }

  private result(): ProduceResult {
    const elapsedMs = Date.now() - this.started
    const notSent = this.records - this.acknowledged - this.failed
    const firstUnacknowledged =
      this.failed > 0 || notSent > 0 ? Math.min(this.firstFailedLine ?? Infinity, this.oldestPendingLine()) : undefined
    return {
      topic: this.options.topic,
      records: this.records,
      acknowledged: this.acknowledged,
      failed: this.failed,
      notSent,
      ...(this.unread === undefined ? {} : { unread: this.unread }),
      ...(firstUnacknowledged === undefined || !Number.isFinite(firstUnacknowledged)
        ? {}
        : { firstUnacknowledgedLine: firstUnacknowledged }),
      bytes: this.bytes,
      elapsedMs,
      recordsPerSecond: elapsedMs > 0 ? Math.round((this.acknowledged * 1000) / elapsedMs) : this.acknowledged,
      interrupted: this.stopMode !== undefined,
      ...(this.firstError ? { error: this.firstError } : {}),
    }
  }

  /** The first input line of any record still waiting (open, queued or in flight); the next line when none. */
  private oldestPendingLine(): number {
    let oldest = this.lineNumber + 1
    for (const batch of this.batches.values()) oldest = Math.min(oldest, batch.firstLine)
    for (const batch of this.queue) oldest = Math.min(oldest, batch.firstLine)
    for (const batch of this.inFlight) oldest = Math.min(oldest, batch.firstLine)
    return oldest
  }

  private async readInput(): Promise<void> {
    const splitter = new LineSplitter()
    const parser = this.parser
    const json = this.options.json
    // Lines that are a value, or a key and a value: encoded straight from the input chunk, nothing allocated per line.
    const simple = !json && parser.simple && !this.options.serialize
    const serialize = this.options.serialize
    const parseKey = this.options.reader.parseKey
    const ignoreError = this.options.reader.ignoreError
    const separatorLength = this.options.reader.keySeparator.length
    // CreateTime is when a record was read (the Java producer stamps it in send()); one clock read per chunk.
    let now = Date.now()
    const onLine = (data: Buffer, start: number, end: number) => {
      const lineNumber = ++this.lineNumber
      if (simple) {
        const separator = parseKey ? parser.keySeparatorIndex(data, start, end) : -1
        if (separator === -1) {
          // Throws the reader's error for a line without its key separator (unless ignore.error).
          if (parseKey && !ignoreError) parser.parse(data.subarray(start, end), lineNumber)
          this.addRange(data, -1, -1, start, end, lineNumber, now)
        } else {
          this.addRange(data, start, separator, separator + separatorLength, end, lineNumber, now)
        }
        return
      }
      const line = data.subarray(start, end)
      let record = json ? parseJsonRecord(line, lineNumber) : parser.parse(line, lineNumber)
      if (serialize) {
        try {
          record = serialize(record, lineNumber)
        } catch (error) {
          if (!(ignoreError && error instanceof RecordParseError)) throw error
          this.options.reporter.warn(`${error.message} (skipped: ignore.error=true)`)
          return
        }
      }
      this.add(record, lineNumber, now)
    }
    // Leaving the loop early must not destroy the input: after a failure the rest is still counted (countUnread).
    for await (const chunk of this.options.input.iterator({ destroyOnReturn: false })) {
      if (this.stopMode) return
      now = Date.now()
      splitter.pushRanges(chunk as Buffer, onLine)
      // A delivery failure stops reading: sending the rest of a large file into a dead broker only adds failures.
      if (this.failed > 0) return
      if (this.bufferedBytes >= this.options.maxMemoryBytes) await this.waitForSpace()
      if (this.failed > 0) return
      if (this.options.sync) await this.drain()
    }
    if (!this.stopMode) splitter.end((line) => onLine(line, 0, line.length))
  }

  /**
   * After a failure, how many input lines were never read, so the counts in the message add up. Bounded in time:
   * a pipe that never ends (tail -f) is left alone.
   */
  private async countUnread(): Promise<number | undefined> {
    const input = this.options.input
    // Read to the end already (a stream destroys itself after its end): nothing was left unread.
    if (input.readableEnded) return 0
    if (input.destroyed) return undefined
    let count = 0
    let carry = false
    const counting = (async () => {
      for await (const chunk of input) {
        const buffer = chunk as Buffer
        for (let at = buffer.indexOf(0x0a); at !== -1; at = buffer.indexOf(0x0a, at + 1)) count++
        carry = buffer.length > 0 && buffer[buffer.length - 1] !== 0x0a
      }
      return count + (carry ? 1 : 0)
    })()
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), COUNT_UNREAD_MS)
    })
    try {
      return await Promise.race([counting, timeout])
    } catch {
      return undefined
    } finally {
      clearTimeout(timer)
      input.destroy()
    }
  }

  /** A record read from a simple line: key (keyStart < 0: none) and value are ranges of `data`. */
  private addRange(
    data: Buffer,
    keyStart: number,
    keyEnd: number,
    valueStart: number,
    valueEnd: number,
    lineNumber: number,
    now: number,
  ): void {
    this.records++
    this.bytes += (keyStart < 0 ? 0 : keyEnd - keyStart) + valueEnd - valueStart
    let partition: number
    if (this.options.partition !== undefined) partition = this.options.partition
    else if (this.partitions <= 0) partition = 0
    else if (keyStart >= 0) partition = partitionForKey(data, this.partitions, keyStart, keyEnd)
    else partition = this.stickyPartition
    const batch = this.batchFor(partition, lineNumber)
    this.added(
      batch,
      batch.builder.appendRange(data, keyStart, keyEnd, valueStart, valueEnd, now),
      keyStart < 0 && this.options.partition === undefined,
    )
  }

  private add(record: OutgoingRecord, lineNumber: number, now: number): void {
    this.records++
    this.bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0)
    const batch = this.batchFor(this.partitionFor(record), lineNumber)
    const size = batch.builder.append(record.key, record.value, record.headers, record.timestamp ?? now)
    this.added(
      batch,
      size,
      record.key === null && record.partition === undefined && this.options.partition === undefined,
    )
  }

  private batchFor(partition: number, lineNumber: number): PartitionBatch {
    let batch = this.batches.get(partition)
    if (!batch) {
      const builder = new RecordBatchBuilder(
        Math.min(this.batchBytes + 1024, 64 * 1024),
        this.batchBytes + 1024,
        this.spareBuffers.pop(),
      )
      batch = { partition, builder, bytes: 0, firstLine: lineNumber, createdAt: Date.now() }
      this.batches.set(partition, batch)
    }
    return batch
  }

  private added(batch: PartitionBatch, size: number, sticky: boolean): void {
    batch.bytes += size
    this.bufferedBytes += size
    if (this.options.sync) {
      this.flushAll()
    } else if (batch.bytes >= this.batchBytes) {
      this.batches.delete(batch.partition)
      if (sticky) this.nextSticky()
      this.enqueue([batch])
    } else if (!this.lingerTimer) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined
        this.flushAll()
      }, this.options.lingerMs)
    }
  }

  /** Explicit partition, else the Java client's choice: murmur2 of the key, or a sticky partition for unkeyed records. */
  private partitionFor(record: OutgoingRecord): number {
    if (record.partition !== undefined) return record.partition
    if (this.options.partition !== undefined) return this.options.partition
    if (this.partitions <= 0) return 0
    if (record.key !== null) return partitionForKey(record.key, this.partitions)
    return this.stickyPartition
  }

  private nextSticky(): void {
    if (this.partitions > 1) this.stickyPartition = (this.stickyPartition + 1) % this.partitions
  }

  private flushAll(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer)
    this.lingerTimer = undefined
    if (this.batches.size === 0) return
    const batches = [...this.batches.values()]
    this.batches.clear()
    this.nextSticky()
    this.enqueue(batches)
  }

  private enqueue(batches: PartitionBatch[], front = false): void {
    // Checksummed now, while the request in flight is out, rather than when its turn comes (uncompressed only).
    if (this.compression === 0 && fastPathInstalled) for (const batch of batches) batch.builder.recordsCrc()
    if (front) this.queue.unshift(...batches)
    else this.queue.push(...batches)
    this.pump()
  }

  private inFlight: PartitionBatch[] = []

  /** Starts the next request: the oldest batch of each partition, several partitions per request up to a size. */
  private pump(): void {
    if (this.sending || this.queue.length === 0) return
    if (this.failed > 0) {
      // After a failed delivery nothing later is sent: it would land behind a gap, out of order.
      this.failAll(this.queue)
      this.queue = []
      return
    }
    const taken: PartitionBatch[] = []
    const seen = new Set<number>()
    let bytes = 0
    this.queue = this.queue.filter((batch) => {
      if (seen.has(batch.partition)) return true
      seen.add(batch.partition)
      if (taken.length > 0 && bytes + batch.bytes > MAX_REQUEST_BYTES) return true
      taken.push(batch)
      bytes += batch.bytes
      return false
    })
    const count = taken.reduce((sum, b) => sum + b.builder.count, 0)
    this.inFlight = taken
    // The delivery timeout of the oldest record in this request, as the Java client counts it (from the read).
    const expiresIn = Math.min(...taken.map((b) => b.createdAt)) + this.options.deliveryTimeoutMs - Date.now()
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(0, expiresIn))
    })
    const request = this.producer
      .sendBatch({
        acks: this.options.acks,
        compression: this.compression,
        timeout: this.options.requestTimeoutMs,
        topicMessages: [{ topic: this.options.topic, messages: taken.flatMap((b) => this.messages(b)) }],
      })
      .then(
        () => 'sent' as const,
        (error: Error & { type?: string }) => error,
      )
    this.sending = Promise.race([request, expired])
      .then((outcome) => {
        clearTimeout(timer)
        if (outcome === 'sent') {
          const lasted = this.problems.cleared()
          if (lasted !== undefined && this.retryingNoticeShown)
            this.options.reporter.info(`Kafka answers again after ${seconds(lasted)}; delivery resumed.`)
          this.retryingNoticeShown = false
          this.release(bytes, count, false)
          // Acknowledged: kafkajs is done with these batches (a request that expired may still be retried, so not then).
          this.recycleRequest(taken)
          for (const batch of taken) this.recycle(batch.builder)
        } else if (outcome === 'expired') {
          const cause = this.problems.last ? `: ${this.problems.last}` : ''
          this.onFailure(
            taken,
            bytes,
            count,
            new Error(`delivery timeout expired (delivery.timeout.ms=${this.options.deliveryTimeoutMs})${cause}`),
          )
        } else {
          this.onFailure(taken, bytes, count, outcome)
        }
      })
      .finally(() => {
        this.inFlight = []
        this.sending = undefined
        this.pump()
      })
  }

  /** A batch as kafkajs messages: one that carries the encoded batch (kafkajs-fast.ts), or its records for kafkajs's own encoder. */
  private messages(batch: PartitionBatch): Message[] {
    if (fastPathInstalled) return [{ value: null, partition: batch.partition, [PRE_ENCODED]: batch.builder } as Message]
    return batch.builder.decode().map((record) => ({
      key: record.key,
      value: record.value,
      partition: batch.partition,
      timestamp: String(record.timestamp),
      ...(record.headers.length > 0 ? { headers: headerObject(record.headers) } : {}),
    }))
  }

  /** The request's buffer, when the broker answered the one request these batches went out in (acks=0: no answer, no proof it was written). */
  private recycleRequest(taken: PartitionBatch[]): void {
    const buffer = taken[0]?.builder.encodedInto[0]
    if (this.options.acks === 0 || !buffer) return
    if (taken.every((b) => b.builder.encodedInto.length === 1 && b.builder.encodedInto[0] === buffer))
      recycleRequestBuffer(buffer)
  }

  private recycle(builder: RecordBatchBuilder): void {
    const buffer = builder.release()
    if (buffer.length >= this.batchBytes + 1024 && this.spareBuffers.length < 8) this.spareBuffers.push(buffer)
  }

  private release(bytes: number, count: number, failed: boolean): void {
    this.bufferedBytes -= bytes
    if (failed) this.failed += count
    else this.acknowledged += count
    if (this.bufferedBytes < this.options.maxMemoryBytes || failed) {
      const waiter = this.spaceWaiter
      this.spaceWaiter = undefined
      waiter?.()
    }
  }

  private failAll(batches: PartitionBatch[]): void {
    for (const batch of batches) {
      this.firstFailedLine = Math.min(this.firstFailedLine ?? Infinity, batch.firstLine)
      this.release(batch.bytes, batch.builder.count, true)
    }
  }

  private onFailure(batches: PartitionBatch[], bytes: number, count: number, error: Error & { type?: string }): void {
    // A batch over the topic's max.message.bytes: halve it and send the halves first, down to single records.
    if (error.type === 'MESSAGE_TOO_LARGE' && batches.some((b) => b.builder.count > 1)) {
      const retry: PartitionBatch[] = []
      for (const batch of batches) {
        const records = batch.builder.decode()
        const half = Math.ceil(records.length / 2)
        const parts = records.length > 1 ? [records.slice(0, half), records.slice(half)] : [records]
        let bytesLeft = batch.bytes
        for (const [i, part] of parts.entries()) {
          const builder = new RecordBatchBuilder(1024)
          for (const r of part) builder.append(r.key, r.value, r.headers, r.timestamp)
          // The halves share the batch's counted bytes exactly, so the memory account still balances.
          const share = i === parts.length - 1 ? bytesLeft : Math.round((batch.bytes * part.length) / records.length)
          bytesLeft -= share
          // The second half's first line is not known exactly (keyed records interleave); the batch's is a safe lower bound.
          retry.push({
            partition: batch.partition,
            builder,
            bytes: share,
            firstLine: batch.firstLine,
            createdAt: batch.createdAt,
          })
        }
      }
      this.queue.unshift(...retry)
      return
    }
    this.firstError ??= error.message
    this.options.reporter.debug(`delivery of ${count} record(s) failed: ${error.message}`)
    this.failAll(batches)
    // Records still being collected will never be sent either.
    this.flushAll()
  }

  private waitForSpace(): Promise<void> {
    if (this.stopMode || this.failed > 0 || this.bufferedBytes < this.options.maxMemoryBytes) return Promise.resolve()
    return new Promise((resolve) => {
      this.spaceWaiter = resolve
    })
  }

  /** Sends everything read so far and waits for the answers (end of input, --sync). */
  private async drain(): Promise<void> {
    this.flushAll()
    while (this.sending) await this.sending
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

function headerObject(headers: OutgoingRecord['headers']): Record<string, Buffer | Buffer[]> {
  const object: Record<string, Buffer[]> = {}
  for (const h of headers) (object[h.key] ??= []).push(h.value ?? Buffer.alloc(0))
  return object
}
