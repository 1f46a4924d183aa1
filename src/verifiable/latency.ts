/**
 * `kafkit e2e-latency` (kafka-e2e-latency.sh, org.apache.kafka.tools.EndToEndLatency 4.4): sends one record at a time,
 * waits for its acknowledgement, reads it back, and times the round trip; prints the Java tool's progress lines
 * ("i<TAB>ms" every 1000 records), "Avg latency: X ms" and the 50th/99th/99.9th percentiles. The record bytes come
 * from java.util.Random(0), as the Java tool's do, so both write the same records.
 */
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type { PartitionReader } from '../cluster/verifiable-clients.js'
import { partitionForKey } from '../records/partitioner.js'
import { JavaRandom, javaDouble, randomBytesOfLen } from './java.js'

export interface LatencyOptions {
  connection: ConnectionSettings
  topic: string
  numRecords: number
  acks: '1' | 'all'
  recordSize: number
  recordKeySize: number
  numHeaders: number
  headerKeySize: number
  /** -1: null header values. */
  headerValueSize: number
  reporter: Reporter
  debug: boolean
}

export interface LatencyResult {
  topic: string
  records: number
  createdTopic: boolean
  avgLatencyMs: number
  p50: number
  p99: number
  p999: number
}

/** The Java tool's summary lines from the latencies (ms, whole) and the total time (ns). */
export function latencySummary(
  latenciesMs: number[],
  totalNs: number,
): { lines: string[]; avg: number; p50: number; p99: number; p999: number } {
  const n = latenciesMs.length
  const avg = totalNs / n / 1000 / 1000
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.floor(n * q)]!
  const [p50, p99, p999] = [at(0.5), at(0.99), at(0.999)]
  return {
    lines: [`Avg latency: ${avg.toFixed(4)} ms`, `Percentiles: 50th = ${p50}, 99th = ${p99}, 99.9th = ${p999}`],
    avg,
    p50,
    p99,
    p999,
  }
}

/** The progress line of record i: `i<TAB>elapsed ms` as a Java double. */
export const progressLine = (i: number, elapsedNs: number) => `${i}\t${javaDouble(elapsedNs / 1000 / 1000)}`

/** How long a record may take to come back (the Java tool's poll timeout). */
const POLL_TIMEOUT_MS = 60_000

export async function runLatency(options: LatencyOptions, print: (line: string) => void): Promise<LatencyResult> {
  const [{ withClient }, admin, clients] = await Promise.all([
    import('../cluster/connect.js'),
    import('../cluster/admin.js'),
    import('../cluster/verifiable-clients.js'),
  ])
  const debug = options.debug ? { reporter: options.reporter } : {}
  const { partitions, created } = await withClient(options.connection, debug, async (client) => {
    let created = false
    if (!(await admin.listTopics(client)).includes(options.topic)) {
      print(`Topic "${options.topic}" does not exist. Will create topic with 1 partition(s) and replication factor = 1`)
      await admin.createTopic(client, { name: options.topic, partitions: 1, replicationFactor: 1, configs: {} })
      created = true
    }
    const [info] = await admin.topicMetadata(client, [options.topic])
    return { partitions: info?.partitions.length ?? 1, created }
  })
  const producer = await clients.PlainProducer.open(options.connection, {
    clientId: 'kafkit-e2e-latency',
    acks: options.acks === 'all' ? -1 : 1,
    retries: 2,
    ...debug,
  })
  const readers = new Map<number, PartitionReader>()
  try {
    const random = new JavaRandom(0)
    const latencies: number[] = []
    let totalNs = 0
    for (let i = 0; i < options.numRecords; i++) {
      const key = randomBytesOfLen(random, options.recordKeySize)
      const value = randomBytesOfLen(random, options.recordSize)
      const headers: Record<string, Buffer | null> = {}
      for (let h = 0; h < options.numHeaders; h++) {
        const headerKey = randomBytesOfLen(random, options.headerKeySize).toString('utf8')
        headers[headerKey] = options.headerValueSize === -1 ? null : randomBytesOfLen(random, options.headerValueSize)
      }
      // The Java producer's key is never null here (an empty array without --record-key-size): it is hashed.
      const partition = partitionForKey(key, partitions)
      let reader = readers.get(partition)
      if (!reader) {
        reader = await clients.PartitionReader.open(
          options.connection,
          options.topic,
          partition,
          options.debug ? options.reporter : undefined,
        )
        readers.set(partition, reader)
      }
      const begin = process.hrtime.bigint()
      const [sent] = await producer.send(options.topic, [
        { partition, key, value, ...(options.numHeaders > 0 ? { headers } : {}) },
      ])
      const deadline = Date.now() + POLL_TIMEOUT_MS
      let read: Awaited<ReturnType<typeof reader.read>> = []
      while (read.length === 0 && Date.now() < deadline)
        read = await reader.read(sent!.offset, Math.min(500, deadline - Date.now()))
      const elapsedNs = Number(process.hrtime.bigint() - begin)
      const record = read[0]
      if (!record)
        throw new KafkitError(`poll() timed out before finding a result (timeout:[${POLL_TIMEOUT_MS}ms])`, {
          code: 'LATENCY_TIMEOUT',
        })
      if (!record.value || !record.value.equals(value))
        throw new KafkitError(
          `The message value read [${record.value?.toString('utf8') ?? 'null'}] did not match the message value sent [${value.toString('utf8')}]`,
          { code: 'LATENCY_MISMATCH' },
        )
      if (!record.key || !record.key.equals(key))
        throw new KafkitError(`The message key read did not match the message key sent [${key.toString('utf8')}]`, {
          code: 'LATENCY_MISMATCH',
        })
      if (i % 1000 === 0) print(progressLine(i, elapsedNs))
      totalNs += elapsedNs
      latencies.push(Math.floor(elapsedNs / 1_000_000))
    }
    const summary = latencySummary(latencies, totalNs)
    for (const line of summary.lines) print(line)
    return {
      topic: options.topic,
      records: options.numRecords,
      createdTopic: created,
      avgLatencyMs: summary.avg,
      p50: summary.p50,
      p99: summary.p99,
      p999: summary.p999,
    }
  } finally {
    await producer.close()
    for (const reader of readers.values()) await reader.close()
  }
}
