/**
 * `kafkit verifiable-producer` (kafka-verifiable-producer.sh, org.apache.kafka.tools.VerifiableProducer 4.4): sends
 * increasing integers ("0", "1", ... or "PREFIX.N") to a topic and prints one JSON event per line, as the Java tool
 * does: startup_complete, producer_send_success (or producer_send_error) per record, shutdown_complete and tool_data.
 */
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import { partitionForKey } from '../records/partitioner.js'
import { javaDouble } from './java.js'

export interface VerifiableProducerOptions {
  connection: ConnectionSettings
  topic: string
  /** -1: until stopped. */
  maxMessages: number
  /** Messages per second; < 0: unthrottled. */
  throughput: number
  acks: -1 | 0 | 1
  /** First record timestamp (ms); each next one adds the time since the start, as the Java tool does. */
  createTime?: number
  valuePrefix?: number
  repeatingKeys?: number
  reporter: Reporter
  debug: boolean
}

export interface VerifiableProducerResult {
  topic: string
  sent: number
  acked: number
  failed: number
  targetThroughput: number
  avgThroughput: number
  stopped: boolean
}

/** One JSON event line, fields in the Java tool's order (Jackson: timestamp, name, then the event's own). */
export function eventLine(name: string, fields: Record<string, unknown> = {}, now = Date.now()): string {
  return JSON.stringify({ timestamp: now, name, ...fields })
}

/** tool_data's avg_throughput is a Java double ("5.0", not "5"). */
export function toolDataLine(sent: number, acked: number, target: number, avg: number, now = Date.now()): string {
  const line = eventLine('tool_data', { sent, acked, target_throughput: target, avg_throughput: 0 }, now)
  return line.replace(/"avg_throughput":0}$/, `"avg_throughput":${javaDouble(avg)}}`)
}

export function valueOf(i: number, prefix?: number): string {
  return prefix === undefined ? String(i) : `${prefix}.${i}`
}

/** How many records one request carries at most (kafkajs has no batching of its own). */
const MAX_BATCH = 500

export interface ProducerControl {
  stop(): void
}

export async function runVerifiableProducer(
  options: VerifiableProducerOptions,
  print: (line: string) => void,
  control?: (c: ProducerControl) => void,
): Promise<VerifiableProducerResult> {
  const [{ PlainProducer }, { withClient }, { ensureTopic }] = await Promise.all([
    import('../cluster/verifiable-clients.js'),
    import('../cluster/connect.js'),
    import('../cluster/auto-create.js'),
  ])
  // A missing topic is created on first use (allow.auto.create.topics), as the Java producer's metadata request does.
  const { partitions } = await withClient(
    options.connection,
    options.debug ? { reporter: options.reporter } : {},
    (c) => ensureTopic(c, options.topic, { autoCreate: true, reporter: options.reporter }),
  )
  const producer = await PlainProducer.open(options.connection, {
    clientId: 'verifiable-producer',
    acks: options.acks,
    ...(options.debug ? { reporter: options.reporter } : {}),
  })
  let stopping = false
  let wake: (() => void) | undefined
  control?.({
    stop: () => {
      stopping = true
      wake?.()
    },
  })
  let sent = 0
  let acked = 0
  let failed = 0
  const startMs = Date.now()
  try {
    print(eventLine('startup_complete'))
    const max = options.maxMessages < 0 ? Number.MAX_SAFE_INTEGER : options.maxMessages
    let createTime = options.createTime
    let keyCounter = 0
    let sticky = 0
    const queue: Array<{ key: string | null; value: string; timestamp?: number }> = []
    let inFlight: Promise<void> | undefined

    const flush = async (): Promise<void> => {
      const batch = queue.splice(0, MAX_BATCH)
      if (batch.length === 0) return
      // Unkeyed records go to one partition per request, the next one each time (the Java producer's sticky
      // partitioner also fills one partition's batch before moving on).
      const unkeyedPartition = sticky++ % Math.max(1, partitions)
      const records = batch.map((r) => ({
        partition: r.key === null ? unkeyedPartition : partitionForKey(Buffer.from(r.key), partitions),
        key: r.key,
        value: r.value,
        ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
      }))
      try {
        const offsets = await producer.send(options.topic, records)
        const now = Date.now()
        records.forEach((r, i) => {
          acked++
          print(
            eventLine(
              'producer_send_success',
              { key: r.key, value: r.value, offset: offsets[i]!.offset, topic: options.topic, partition: r.partition },
              now,
            ),
          )
        })
      } catch (error) {
        const e = error as Error
        const now = Date.now()
        for (const r of records) {
          failed++
          print(
            eventLine(
              'producer_send_error',
              { key: r.key, value: r.value, topic: options.topic, exception: `class ${e.name}`, message: e.message },
              now,
            ),
          )
        }
      }
    }
    const pump = () => {
      if (inFlight || queue.length === 0) return
      inFlight = flush().finally(() => {
        inFlight = undefined
        pump()
      })
    }

    for (let i = 0; i < max && !stopping; i++) {
      const sendStartMs = Date.now()
      let key: string | null = null
      if (options.repeatingKeys !== undefined) {
        key = String(keyCounter++)
        if (keyCounter === options.repeatingKeys) keyCounter = 0
      }
      queue.push({
        key,
        value: valueOf(i, options.valuePrefix),
        ...(createTime !== undefined ? { timestamp: createTime } : {}),
      })
      if (createTime !== undefined) createTime += Date.now() - startMs
      sent++
      pump()
      // Back-pressure: the Java producer blocks when its buffer is full; here the queue is bounded.
      while (queue.length >= MAX_BATCH * 2 && inFlight && !stopping) await inFlight
      if (options.throughput > 0) {
        // ThroughputThrottler: never ahead of i / throughput seconds since the start.
        const due = startMs + ((i + 1) * 1000) / options.throughput
        const wait = due - Math.max(Date.now(), sendStartMs)
        if (wait > 0)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait)
            wake = () => {
              clearTimeout(timer)
              resolve()
            }
          })
      } else if (i % MAX_BATCH === MAX_BATCH - 1) {
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    // close(): what was handed to the producer is sent before it closes.
    while (inFlight || queue.length > 0) {
      pump()
      await inFlight
    }
  } finally {
    await producer.close()
  }
  print(eventLine('shutdown_complete'))
  const stopMs = Date.now()
  const avgThroughput = (1000 * acked) / (stopMs - startMs)
  print(toolDataLine(sent, acked, options.throughput, avgThroughput, stopMs))
  return {
    topic: options.topic,
    sent,
    acked,
    failed,
    targetThroughput: options.throughput,
    avgThroughput,
    stopped: stopping,
  }
}
