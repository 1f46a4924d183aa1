/**
 * ProducerPerformance's bookkeeping, ported from Kafka 4.4's ProducerPerformance.Stats and ThroughputThrottler so that
 * kafkit's lines carry the same figures, computed the same way: a progress line per reporting window (printed when an
 * acknowledgement arrives after the window is over), a summary with percentiles from at most 500,000 sampled
 * latencies, and, with --warmup-records, a second "steady state" set of statistics.
 */
import { javaFixed } from './format.js'

const MAX_SAMPLES = 500_000

export interface LatencySummary {
  records: number
  bytes: number
  elapsedMs: number
  recordsPerSecond: number
  mbPerSecond: number
  avgLatencyMs: number
  maxLatencyMs: number
  /** Latency (ms) at the 50th, 75th, 90th, 95th, 99th and 99.9th percentiles of the sampled records. */
  percentiles: { p50: number; p75: number; p90: number; p95: number; p99: number; p999: number }
}

export class ProducerStats {
  private readonly start: number
  private readonly latencies: Int32Array
  private readonly sampling: number
  private iteration = 0
  private index = 0
  private count = 0
  private bytes = 0
  private maxLatency = 0
  private totalLatency = 0
  private windowCount = 0
  private windowMaxLatency = 0
  private windowTotalLatency = 0
  private windowBytes = 0
  private windowStart: number
  private suppressed = false

  constructor(
    numRecords: number,
    private readonly reportingIntervalMs: number,
    private readonly steadyState: boolean,
    private readonly print: (line: string) => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.start = this.windowStart = clock()
    // Java: sampling = numRecords / min(numRecords, 500000), integer division.
    this.sampling = Math.floor(numRecords / Math.max(1, Math.min(numRecords, MAX_SAMPLES)))
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1)
  }

  /** One acknowledged record: its latency (send to acknowledgement), size and the time of the acknowledgement. */
  record(latency: number, bytes: number, time: number): void {
    this.count++
    this.bytes += bytes
    this.totalLatency += latency
    if (latency > this.maxLatency) this.maxLatency = latency
    this.windowCount++
    this.windowBytes += bytes
    this.windowTotalLatency += latency
    if (latency > this.windowMaxLatency) this.windowMaxLatency = latency
    if (this.iteration % this.sampling === 0 && this.index < this.latencies.length) {
      this.latencies[this.index++] = latency
    }
    if (time - this.windowStart >= this.reportingIntervalMs) {
      if (this.steadyState && this.count === this.windowCount) this.print('In steady state.')
      if (!this.suppressed) this.print(this.windowLine())
      this.newWindow()
    }
    this.iteration++
  }

  /** The warm-up statistics stop printing progress once the steady-state ones start (as the Java tool does). */
  suppressPrinting(): void {
    this.suppressed = true
  }

  get recorded(): number {
    return this.count
  }

  windowLine(): string {
    const elapsed = this.clock() - this.windowStart
    const recsPerSec = (1000 * this.windowCount) / elapsed
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024)
    return (
      `${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
      `${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.`
    )
  }

  private newWindow(): void {
    this.windowStart = this.clock()
    this.windowCount = 0
    this.windowMaxLatency = 0
    this.windowTotalLatency = 0
    this.windowBytes = 0
  }

  summary(): LatencySummary {
    const elapsedMs = this.clock() - this.start
    const [p50, p75, p90, p95, p99, p999] = percentiles(
      this.latencies,
      this.index,
      [0.5, 0.75, 0.9, 0.95, 0.99, 0.999],
    ) as [number, number, number, number, number, number]
    return {
      records: this.count,
      bytes: this.bytes,
      elapsedMs,
      recordsPerSecond: (1000 * this.count) / elapsedMs,
      mbPerSecond: (1000 * this.bytes) / elapsedMs / (1024 * 1024),
      avgLatencyMs: this.totalLatency / this.count,
      maxLatencyMs: this.maxLatency,
      percentiles: { p50, p75, p90, p95, p99, p999 },
    }
  }

  /** The Java tool's final line (with " steady state" after the count for the steady-state statistics). */
  totalLine(summary = this.summary()): string {
    return formatTotalLine(summary, this.steadyState)
  }
}

export function formatTotalLine(s: LatencySummary, steadyState: boolean): string {
  const p = s.percentiles
  return (
    `${s.records}${steadyState ? ' steady state' : ''} records sent, ${javaFixed(s.recordsPerSecond, 6)} records/sec (${javaFixed(s.mbPerSecond, 2)} MB/sec), ` +
    `${javaFixed(s.avgLatencyMs, 2)} ms avg latency, ${javaFixed(s.maxLatencyMs, 2)} ms max latency, ` +
    `${p.p50} ms 50th, ${p.p95} ms 95th, ${p.p99} ms 99th, ${p.p999} ms 99.9th.`
  )
}

/** Java's Stats.percentiles: sorts the samples and takes the one at floor(p * count) (0 when there is none). */
export function percentiles(latencies: Int32Array, count: number, wanted: number[]): number[] {
  const size = Math.min(count, latencies.length)
  const sorted = latencies.subarray(0, size).sort()
  return wanted.map((p) => sorted[Math.floor(p * size)] ?? 0)
}

/**
 * Kafka's ThroughputThrottler: after each record, if the average rate since the start is above the target, add
 * 1/target seconds to a sleep deficit and sleep it off once it reaches 2 ms. A negative target never throttles.
 */
export class ThroughputThrottler {
  private readonly sleepTimeNs: number
  private sleepDeficitNs = 0

  constructor(
    private readonly targetThroughput: number,
    private readonly startMs: number,
  ) {
    this.sleepTimeNs = targetThroughput > 0 ? 1e9 / targetThroughput : Number.MAX_SAFE_INTEGER
  }

  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.targetThroughput < 0) return false
    const elapsedSec = (sendStartMs - this.startMs) / 1000
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.targetThroughput
  }

  /** How long to sleep now (ms, possibly fractional); 0: not yet (the deficit is below 2 ms). */
  throttleMs(): number {
    this.sleepDeficitNs += this.sleepTimeNs
    if (this.sleepDeficitNs < 2_000_000) return 0
    const ms = this.sleepDeficitNs / 1e6
    this.sleepDeficitNs = 0
    return ms
  }
}
