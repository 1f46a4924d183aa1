/**
 * The console producer: stream lines (or JSON records) from stdin or a file into one topic with bounded
 * memory, batching ourselves because kafkajs has no linger: records collect per partition and go out
 * when a partition's batch is full, after the linger time, or at the end of input. Reading pauses while
 * the bytes read but not yet acknowledged exceed --max-memory-bytes, so a 10 GB file streams through a
 * few tens of MB.
 */
// Must stay the first import: it replaces two kafkajs modules before kafkajs loads (see the module).
import { installed as fastPathInstalled } from './kafkajs-fast.js'
import type { Readable } from 'node:stream'
import type { Kafka, Message, Producer } from 'kafkajs'
import { unreachable as unreachableAt } from './connection.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { parseJsonRecord } from '../records/json-records.js'
import { LineParser, RecordParseError, type LineReaderOptions } from '../records/line-reader.js'
import { LineSplitter } from '../records/line-splitter.js'
import { partitionForKey } from '../records/partitioner.js'
import { recordSize, type OutgoingRecord } from '../records/types.js'
import { createClient } from './client.js'
import { compressionType, registerCodecs } from './codecs.js'
import type { ConnectionSettings } from './connection.js'

export interface ProduceOptions {
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
  retries: number
  retryBackoffMs: number
  /** Produce to a topic that does not exist, letting the broker create it (allow.auto.create.topics=true). */
  autoCreate: boolean
  reporter: Reporter
  debug: boolean
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
  messages: Message[]
  bytes: number
}

export class AbandonedError extends KafkitError {
  constructor(readonly result: ProduceResult) {
    super(`Abandoned: ${result.notSent} record(s) read were not sent or not acknowledged (${result.acknowledged} acknowledged, ${result.failed} failed).`, { code: 'ABANDONED' })
  }
}

export async function produceRecords(options: ProduceOptions, control?: (control: ProduceControl) => void): Promise<ProduceResult> {
  const compression = compressionType(options.compression)
  if (compression !== 0) registerCodecs()
  const kafka = createClient({
    servers: options.connection.servers,
    ssl: options.connection.ssl,
    sasl: options.connection.sasl,
    clientId: 'kafkit-console-producer',
    requestTimeoutMs: options.requestTimeoutMs,
    retries: options.retries,
    ...(options.debug ? { reporter: options.reporter } : {}),
  })
  if (!fastPathInstalled) options.reporter.debug('kafkajs was loaded before the fast path could be installed: using its own encoder')
  const partitions = await topicPartitions(kafka, options)
  if (options.partition !== undefined && options.partition >= partitions) {
    throw new KafkitError(`Topic "${options.topic}" has ${partitions} partition(s): there is no partition ${options.partition}.`, { code: 'BAD_PARTITION' })
  }
  const producer = kafka.producer({
    idempotent: options.idempotent,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: options.autoCreate,
    // Every record carries its partition (ours agrees with the Java client's); kafkajs only has to honour it.
    createPartitioner: () => ({ message }) => message.partition!,
    retry: { retries: options.retries, initialRetryTime: options.retryBackoffMs, maxRetryTime: Math.max(options.retryBackoffMs, 5000) },
  })
  try {
    await producer.connect()
  } catch (error) {
    throw unreachable(options, error)
  }
  try {
    return await new ProduceRun(producer, options, partitions, compression).run(control)
  } finally {
    await producer.disconnect().catch(() => {})
  }
}

function unreachable(options: ProduceOptions, error: unknown): KafkitError {
  return unreachableAt(options.connection, error)
}

/** The topic's partition count; an unknown topic is an error unless auto-creation was asked for. */
async function topicPartitions(kafka: Kafka, options: ProduceOptions): Promise<number> {
  const admin = kafka.admin()
  try {
    await admin.connect()
  } catch (error) {
    throw unreachable(options, error)
  }
  try {
    const topics = await admin.listTopics()
    if (!topics.includes(options.topic)) {
      if (!options.autoCreate) {
        throw new KafkitError(`Topic "${options.topic}" does not exist.`, {
          code: 'UNKNOWN_TOPIC',
          suggestions: [`Create it: kafkit topics --create --topic ${options.topic}`, 'Or let the broker create it: --producer-property allow.auto.create.topics=true'],
        })
      }
      return 0
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [options.topic] })
    return metadata.topics[0]?.partitions.length ?? 0
  } catch (error) {
    if (error instanceof KafkitError) throw error
    throw unreachable(options, error)
  } finally {
    await admin.disconnect().catch(() => {})
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
  private bytes = 0
  private acknowledged = 0
  private failed = 0
  private firstError: string | undefined
  private stickyPartition: number
  private lingerTimer: NodeJS.Timeout | undefined
  private stopMode: 'flush' | 'abandon' | undefined
  private spaceWaiter: (() => void) | undefined
  private abandon: ((error: Error) => void) | undefined
  private readonly started = Date.now()

  constructor(private readonly producer: Producer, private readonly options: ProduceOptions, private partitions: number, private readonly compression: number) {
    this.parser = new LineParser(options.reader)
    this.batchBytes = Math.max(1, Math.min(options.batchBytes, MAX_BATCH_BYTES))
    this.stickyPartition = partitions > 0 ? Math.floor(Math.random() * partitions) : 0
  }

  async run(control?: (control: ProduceControl) => void): Promise<ProduceResult> {
    const abandoned = new Promise<never>((_, reject) => { this.abandon = reject })
    abandoned.catch(() => {})
    control?.({
      stop: (mode) => {
        this.stopMode = mode === 'abandon' || this.stopMode === 'flush' ? 'abandon' : 'flush'
        this.options.input.pause()
        this.options.input.destroy()
        this.spaceWaiter?.()
        if (this.stopMode === 'abandon') this.abandon?.(new AbandonedError(this.result()))
      },
    })
    return Promise.race([this.produce(), abandoned])
  }

  private async produce(): Promise<ProduceResult> {
    let parseError: RecordParseError | undefined
    try {
      await this.readInput()
    } catch (error) {
      if (error instanceof RecordParseError) parseError = error
      else if (!this.stopMode) throw new KafkitError(`Cannot read ${this.options.inputName}: ${(error as Error).message}`, { code: 'INPUT', cause: error })
    }
    await this.drain()
    const result = this.result()
    if (parseError) {
      throw new RecordParseError(`${parseError.message} (${result.acknowledged} record(s) before it were sent)`, parseError.lineNumber)
    }
    if (result.failed > 0) {
      throw new KafkitError(`${result.failed} of ${result.records} record(s) were not delivered to ${this.options.topic}: ${result.error}`, {
        code: 'DELIVERY_FAILED', details: [`${result.acknowledged} acknowledged, ${result.failed} failed.`],
      })
    }
    return result
  }

  private result(): ProduceResult {
    const elapsedMs = Date.now() - this.started
    const notSent = this.records - this.acknowledged - this.failed
    return {
      topic: this.options.topic,
      records: this.records,
      acknowledged: this.acknowledged,
      failed: this.failed,
      notSent,
      bytes: this.bytes,
      elapsedMs,
      recordsPerSecond: elapsedMs > 0 ? Math.round((this.acknowledged * 1000) / elapsedMs) : this.acknowledged,
      interrupted: this.stopMode !== undefined,
      ...(this.firstError ? { error: this.firstError } : {}),
    }
  }

  private async readInput(): Promise<void> {
    const splitter = new LineSplitter()
    let lineNumber = 0
    const onLine = (line: Buffer) => {
      lineNumber++
      const record = this.options.json ? parseJsonRecord(line, lineNumber) : this.parser.parse(line, lineNumber)
      this.add(record)
    }
    for await (const chunk of this.options.input) {
      if (this.stopMode) return
      splitter.push(chunk as Buffer, onLine)
      // A delivery failure stops reading: sending the rest of a large file into a dead broker only adds failures.
      if (this.failed > 0) return
      if (this.bufferedBytes >= this.options.maxMemoryBytes) await this.waitForSpace()
      if (this.options.sync) await this.drain()
    }
    if (!this.stopMode) splitter.end(onLine)
  }

  private add(record: OutgoingRecord): void {
    const size = recordSize(record)
    this.records++
    this.bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0)
    this.bufferedBytes += size
    const partition = this.partitionFor(record)
    const message: Message = { key: record.key, value: record.value, partition }
    if (record.headers.length > 0) {
      // The fast path encodes the list as is (order, repeats, null values); kafkajs's own needs an object.
      message.headers = (fastPathInstalled ? record.headers : headerObject(record.headers)) as unknown as Message['headers']
    }
    if (record.timestamp !== undefined) message.timestamp = String(record.timestamp)
    let batch = this.batches.get(partition)
    if (!batch) {
      batch = { partition, messages: [], bytes: 0 }
      this.batches.set(partition, batch)
    }
    batch.messages.push(message)
    batch.bytes += size
    if (this.options.sync) {
      this.flushAll()
    } else if (batch.bytes >= this.batchBytes) {
      this.batches.delete(partition)
      if (record.key === null && record.partition === undefined && this.options.partition === undefined) this.nextSticky()
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
    if (front) this.queue.unshift(...batches)
    else this.queue.push(...batches)
    this.pump()
  }

  /** Starts the next request: the oldest batch of each partition, several partitions per request up to a size. */
  private pump(): void {
    if (this.sending || this.queue.length === 0) return
    if (this.failed > 0) {
      // After a failed delivery nothing later is sent: it would land behind a gap, out of order.
      for (const batch of this.queue) this.release(batch.bytes, batch.messages.length, true)
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
    const count = taken.reduce((sum, b) => sum + b.messages.length, 0)
    this.sending = this.producer
      .sendBatch({
        acks: this.options.acks,
        compression: this.compression,
        timeout: this.options.requestTimeoutMs,
        topicMessages: [{ topic: this.options.topic, messages: taken.flatMap((b) => b.messages) }],
      })
      .then(
        () => this.release(bytes, count, false),
        (error: Error & { type?: string }) => this.onFailure(taken, bytes, count, error),
      )
      .finally(() => {
        this.sending = undefined
        this.pump()
      })
  }

  private release(bytes: number, count: number, failed: boolean): void {
    this.bufferedBytes -= bytes
    if (failed) this.failed += count
    else this.acknowledged += count
    if (this.bufferedBytes < this.options.maxMemoryBytes) {
      const waiter = this.spaceWaiter
      this.spaceWaiter = undefined
      waiter?.()
    }
  }

  private onFailure(batches: PartitionBatch[], bytes: number, count: number, error: Error & { type?: string }): void {
    // A batch over the topic's max.message.bytes: halve it and send the halves first, down to single records.
    if (error.type === 'MESSAGE_TOO_LARGE' && batches.some((b) => b.messages.length > 1)) {
      const retry: PartitionBatch[] = []
      for (const batch of batches) {
        const half = Math.ceil(batch.messages.length / 2)
        const share = batch.bytes / batch.messages.length
        for (const part of batch.messages.length > 1 ? [batch.messages.slice(0, half), batch.messages.slice(half)] : [batch.messages]) {
          retry.push({ partition: batch.partition, messages: part, bytes: share * part.length })
        }
      }
      this.queue.unshift(...retry)
      return
    }
    this.firstError ??= error.message
    this.options.reporter.debug(`delivery of ${count} record(s) failed: ${error.message}`)
    this.release(bytes, count, true)
  }

  private waitForSpace(): Promise<void> {
    if (this.stopMode || this.bufferedBytes < this.options.maxMemoryBytes) return Promise.resolve()
    return new Promise((resolve) => { this.spaceWaiter = resolve })
  }

  /** Sends everything read so far and waits for the answers (end of input, --sync). */
  private async drain(): Promise<void> {
    this.flushAll()
    while (this.sending) await this.sending
  }
}

function headerObject(headers: OutgoingRecord['headers']): Record<string, Buffer | Buffer[]> {
  const object: Record<string, Buffer[]> = {}
  for (const h of headers) (object[h.key] ??= []).push(h.value ?? Buffer.alloc(0))
  return object
}
