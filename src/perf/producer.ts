/**
 * producer-perf-test: Kafka's ProducerPerformance loop (generate a record, stamp its send time, send, throttle) on
 * kafkit's data path. Each record's latency is its acknowledgement time minus its send time, as the Java tool's
 * callback measures it; the figures go through the Java tool's own bookkeeping (./stats.ts).
 *
 * Batching follows kafkit's console producer rather than the Java accumulator: one request in flight at a time
 * (kafkajs keeps idempotent sequences in order only so), and while it is out the next batch of each partition keeps
 * growing (up to 900 KiB), so the batch size adapts to the load. An idle producer sends a batch once it holds
 * batch.size bytes or its first record waited linger.ms, as the Java producer does.
 */
import type { ConnectionSettings } from '../connection/settings.js'
import type { PerfBatch, PerfSender } from '../cluster/perf-produce.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { partitionForKey } from '../records/partitioner.js'
import { RecordBatchBuilder } from '../records/record-batch.js'
import type { ProducerPerfOptions } from './options.js'
import { seededRandom } from './random.js'
import { metricsTable } from './views.js'
import { ProducerStats, ThroughputThrottler, type LatencySummary } from './stats.js'

export interface ProducerPerfResult {
  topic: string
  transactionalId?: string
  /** Every acknowledged record (the Java tool's summary line). */
  total: LatencySummary
  /** The records after --warmup-records (the Java tool's "steady state" line). */
  steadyState?: LatencySummary
  /** Produce requests sent and the average records per request (how kafkit batched). */
  requests: number
  recordsPerRequest: number
  /** The lines the Java tool would print (progress, summary), in order. */
  lines: string[]
}

interface RunContext {
  connection: ConnectionSettings
  reporter: Reporter
  debug: boolean
  /** Where the Java tool's lines go as they happen (stdout, or nowhere with --json). */
  print: (line: string) => void
}

/** Kafka refuses a record batch over message.max.bytes (1 MB by default): stay under it, as the console producer does. */
const MAX_BATCH_BYTES = 900 * 1024
/** Records generated between two turns of the event loop (acknowledgements are handled there). */
const YIELD_EVERY = 1024

interface OpenBatch extends PerfBatch {
  /** Send time (ms) of each record, in order. */
  times: number[]
  /** Value size of each record, when they differ (payload file, monotonic). */
  sizes: number[] | undefined
  /** How many records, from the first, were sent during the warm-up. */
  warm: number
}

export async function runProducerPerf(options: ProducerPerfOptions, context: RunContext): Promise<ProducerPerfResult> {
  const lines: string[] = []
  const print = (line: string) => {
    lines.push(line)
    context.print(line)
  }
  if (options.payload.kind === 'file') {
    print(`Reading payloads from: ${options.payload.path}`)
    print(`Number of records read: ${options.payload.payloads.length}`)
  }
  const { openPerfSender } = await import('../cluster/perf-produce.js')
  const sender = await openPerfSender({
    connection: context.connection,
    topic: options.topic,
    properties: options.properties,
    ...(options.transactionalId !== undefined ? { transactionalId: options.transactionalId } : {}),
    reporter: context.reporter,
    debug: context.debug,
  })
  const run = new ProducerPerfRun(options, sender, print)
  let failed = true
  try {
    await run.run()
    failed = false
  } finally {
    await sender.close()
    if (failed) run.abandon()
  }
  const total = run.stats.summary()
  print(run.stats.totalLine(total))
  const steady = run.steady?.summary()
  if (run.steady && steady) print(run.steady.totalLine(steady))
  return {
    topic: options.topic,
    ...(options.transactionalId !== undefined ? { transactionalId: options.transactionalId } : {}),
    total,
    ...(steady ? { steadyState: steady } : {}),
    requests: sender.requests,
    recordsPerRequest: sender.requests > 0 ? Math.round(total.records / sender.requests) : 0,
    lines,
  }
}

class ProducerPerfRun {
  readonly stats: ProducerStats
  steady: ProducerStats | undefined
  private readonly open = new Map<number, OpenBatch>()
  /** Batches closed at MAX_BATCH_BYTES, waiting for the request in flight, oldest first. */
  private sealed: OpenBatch[] = []
  private inFlight: Promise<void> | undefined
  private bufferedBytes = 0
  private failure: Error | undefined
  private spaceWaiter: (() => void) | undefined
  private drainWaiter: (() => void) | undefined
  private lingerTimer: NodeJS.Timeout | undefined
  private sticky = 0
  private readonly batchSize: number
  private readonly lingerMs: number
  private readonly bufferMemory: number
  private readonly random: () => number
  private readonly spare: Buffer[] = []

  constructor(
    private readonly options: ProducerPerfOptions,
    private readonly sender: PerfSender,
    private readonly print: (line: string) => void,
  ) {
    const p = options.properties
    this.batchSize = Math.min(MAX_BATCH_BYTES, positiveInt(p['batch.size'], 'batch.size') ?? 16_384)
    this.lingerMs = positiveInt(p['linger.ms'], 'linger.ms') ?? 5
    this.bufferMemory = positiveInt(p['buffer.memory'], 'buffer.memory') ?? 32 * 1024 * 1024
    this.random = seededRandom(options.randomSeed)
    this.sticky = Math.floor(this.random() * Math.max(1, sender.partitions))
    this.stats = new ProducerStats(options.numRecords, options.reportingIntervalMs, false, print)
  }

  abandon(): void {
    clearTimeout(this.lingerTimer)
  }

  async run(): Promise<void> {
    const o = this.options
    if (o.warmupRecords > 0)
      this.print(
        `Warmup first ${o.warmupRecords} records. Steady state results will print after the complete test summary.`,
      )
    const partitions = this.sender.partitions
    const payload = o.payload
    // Random upper-case letters like the Java tool's payloads, drawn from a pool at a random offset per record
    // (the Java tool draws every byte: the same kind of data, without a generator call per byte).
    const pool = payload.kind === 'size' ? letters(payload.size + 65_536, this.random) : undefined
    const transactional = o.transactionalId !== undefined
    let transactionSize = 0
    let transactionStart = 0
    const throttler = new ThroughputThrottler(o.throughput, Date.now())
    const range = o.recordKeyRange ?? 1
    for (let i = 0; i < o.numRecords; i++) {
      if (this.failure) throw this.failed(this.failure)
      if (transactional && transactionSize === 0) {
        await this.sender.beginTransaction()
        transactionStart = Date.now()
      }
      const key =
        o.keyDistribution === 'range'
          ? Buffer.from(String(i % range))
          : o.keyDistribution === 'random'
            ? Buffer.from(String(Math.floor(this.random() * range)))
            : null
      const now = Date.now()
      if (i === o.warmupRecords && o.warmupRecords > 0) {
        this.steady = new ProducerStats(o.numRecords - o.warmupRecords, o.reportingIntervalMs, true, this.print)
        this.stats.suppressPrinting()
      }
      const partition = partitions <= 1 ? 0 : key ? partitionForKey(key, partitions) : this.sticky
      const batch = this.batchFor(partition)
      let added: number
      let valueSize: number
      if (pool) {
        valueSize = (payload as { size: number }).size
        const offset = Math.floor(this.random() * 65_536)
        added = key
          ? batch.builder.append(key, pool.subarray(offset, offset + valueSize), [], now)
          : batch.builder.appendRange(pool, -1, -1, offset, offset + valueSize, now)
      } else {
        const value =
          payload.kind === 'file'
            ? payload.payloads[Math.floor(this.random() * payload.payloads.length)]!
            : Buffer.from(String(i))
        valueSize = value.length
        added = batch.builder.append(key, value, [], now)
        ;(batch.sizes ??= []).push(valueSize)
      }
      batch.times.push(now)
      if (i < o.warmupRecords) batch.warm++
      this.bufferedBytes += added
      if (batch.builder.size >= MAX_BATCH_BYTES) this.seal(batch)
      this.pump(batch.builder.size >= this.batchSize)
      if (transactional) {
        transactionSize++
        if (o.transactionDurationMs <= now - transactionStart) {
          await this.flush()
          await this.sender.commitTransaction()
          transactionSize = 0
        }
      }
      if (throttler.shouldThrottle(i, now)) {
        const ms = throttler.throttleMs()
        if (ms > 0) await sleep(ms)
      } else if (i % YIELD_EVERY === YIELD_EVERY - 1) {
        await new Promise(setImmediate)
      }
      if (this.bufferedBytes >= this.bufferMemory) await this.space()
    }
    await this.flush()
    if (transactional && transactionSize > 0) await this.sender.commitTransaction()
  }

  private batchFor(partition: number): OpenBatch {
    let batch = this.open.get(partition)
    if (!batch) {
      const builder = new RecordBatchBuilder(
        Math.min(this.batchSize + 1024, 64 * 1024),
        MAX_BATCH_BYTES + 1024,
        this.spare.pop(),
      )
      batch = { partition, builder, times: [], sizes: undefined, warm: 0 }
      this.open.set(partition, batch)
    }
    return batch
  }

  private seal(batch: OpenBatch): void {
    this.open.delete(batch.partition)
    this.sealed.push(batch)
    this.nextSticky(batch.partition)
  }

  private nextSticky(partition: number): void {
    if (partition === this.sticky && this.sender.partitions > 1)
      this.sticky = (this.sticky + 1) % this.sender.partitions
  }

  /**
   * Starts the next request if none is out: sealed batches first (the oldest of each partition), else the open
   * ones: at once after a request (their records waited for it), or when idle once one holds batch.size bytes
   * (`force`) or linger.ms passed.
   */
  private pump(force: boolean): void {
    if (this.inFlight || this.failure) return
    let batches: OpenBatch[]
    if (this.sealed.length > 0) {
      const seen = new Set<number>()
      batches = []
      this.sealed = this.sealed.filter((b) => {
        if (seen.has(b.partition)) return true
        seen.add(b.partition)
        batches.push(b)
        return false
      })
    } else {
      if (this.open.size === 0) return
      if (!force) {
        this.lingerTimer ??= setTimeout(() => {
          this.lingerTimer = undefined
          this.pump(true)
        }, this.lingerMs)
        return
      }
      batches = [...this.open.values()]
      this.open.clear()
      for (const b of batches) this.nextSticky(b.partition)
    }
    clearTimeout(this.lingerTimer)
    this.lingerTimer = undefined
    this.inFlight = this.sender.send(batches).then(
      () => {
        this.inFlight = undefined
        this.acknowledged(batches)
        this.pump(true)
        if (!this.inFlight) this.drainWaiter?.()
      },
      (error: unknown) => {
        this.inFlight = undefined
        this.failure = error instanceof Error ? error : new Error(String(error))
        this.spaceWaiter?.()
        this.drainWaiter?.()
      },
    )
  }

  private acknowledged(batches: OpenBatch[]): void {
    const now = Date.now()
    const constant = this.options.payload.kind === 'size' ? this.options.payload.size : 0
    for (const batch of batches) {
      const { times, sizes, warm } = batch
      for (let j = 0; j < times.length; j++) {
        const latency = now - times[j]!
        const bytes = sizes ? sizes[j]! : constant
        this.stats.record(latency, bytes, now)
        if (j >= warm) this.steady?.record(latency, bytes, now)
      }
      this.bufferedBytes -= batch.builder.size
      const buffer = batch.builder.release()
      if (buffer.length >= MAX_BATCH_BYTES && this.spare.length < 4) this.spare.push(buffer)
    }
    if (this.bufferedBytes < this.bufferMemory) {
      const waiter = this.spaceWaiter
      this.spaceWaiter = undefined
      waiter?.()
    }
  }

  private space(): Promise<void> {
    if (this.failure || this.bufferedBytes < this.bufferMemory) return Promise.resolve()
    return new Promise((resolve) => {
      this.spaceWaiter = resolve
    })
  }

  /** Sends everything generated so far and waits for the acknowledgements (end of run, transaction commit). */
  private async flush(): Promise<void> {
    for (const batch of [...this.open.values()]) this.seal(batch)
    this.pump(true)
    while ((this.inFlight || this.sealed.length > 0) && !this.failure) {
      await new Promise<void>((resolve) => {
        this.drainWaiter = resolve
        if (!this.inFlight) this.pump(true)
      })
      this.drainWaiter = undefined
    }
    if (this.failure) throw this.failed(this.failure)
  }

  /** Unlike the Java tool (which prints each failed record's exception and goes on), a failed request ends the run. */
  private failed(failure: Error): KafkitError {
    return new KafkitError(
      `${failure.message} (${this.stats.recorded} of ${this.options.numRecords} records were acknowledged).`,
      { code: 'DELIVERY_FAILED', cause: failure },
    )
  }
}

function letters(length: number, random: () => number): Buffer {
  const buffer = Buffer.allocUnsafe(length)
  for (let i = 0; i < length; i++) buffer[i] = 65 + Math.floor(random() * 26)
  return buffer
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.round(ms))))
}

function positiveInt(value: string | undefined, key: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.trim())
  if (!Number.isInteger(n) || n < 0)
    throw new KafkitError(`Invalid ${key} "${value}": expected a whole number.`, { code: 'BAD_PROPERTY' })
  return n
}

/** The producer figures kafkit has, in ToolsUtils.printMetrics's layout (kafkajs keeps no metrics registry). */
export function metricsLines(result: ProducerPerfResult, clientId: string): string[] {
  return metricsTable('producer-metrics', clientId, [
    ['record-send-total', result.total.records],
    ['record-send-rate', result.total.recordsPerSecond],
    ['request-total', result.requests],
    ['records-per-request-avg', result.requests > 0 ? result.total.records / result.requests : 0],
    ['record-latency-avg', result.total.avgLatencyMs],
    ['record-latency-max', result.total.maxLatencyMs],
    ['record-value-byte-total', result.total.bytes],
  ])
}
