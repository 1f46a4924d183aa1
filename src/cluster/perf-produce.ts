/**
 * The producer under producer-perf-test: kafkajs with kafkit's pre-encoded batches (the console producer's fast path,
 * ./kafkajs-fast.ts), idempotent with acks=all by default as the Java producer is, transactional when asked. The
 * caller builds the record batches and decides when to send them; this module only delivers one request's batches
 * (one per partition) and says when the broker acknowledged them.
 */
import type { Message, Producer, Transaction } from 'kafkajs'
import { fastPathInstalled } from './kafkajs-internals.js'
import { ensureTopic } from './auto-create.js'
import { createClient } from './client.js'
import { compressionType, registerCodecs } from './codecs.js'
import { withClient } from './connect.js'
import { unreachable } from './unreachable.js'
import { KafkitError, UsageError } from '../errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import { PRE_ENCODED, type RecordBatchBuilder } from '../records/record-batch.js'

export interface PerfBatch {
  partition: number
  builder: RecordBatchBuilder
}

export interface PerfSender {
  partitions: number
  /** Sends one request (at most one batch per partition); resolves when the broker acknowledged it. */
  send(batches: PerfBatch[]): Promise<void>
  beginTransaction(): Promise<void>
  commitTransaction(): Promise<void>
  close(): Promise<void>
  /** Requests sent and acknowledged, for --print-metrics. */
  readonly requests: number
}

interface PerfSenderOptions {
  connection: ConnectionSettings
  topic: string
  /** The Java producer properties given (acks, compression.type, enable.idempotence, request.timeout.ms, retries ...). */
  properties: Record<string, string>
  transactionalId?: string
  reporter: Reporter
  debug: boolean
}

export async function openPerfSender(options: PerfSenderOptions): Promise<PerfSender> {
  const p = options.properties
  const acks = parseAcks(p.acks)
  const idempotenceOff = p['enable.idempotence']?.trim().toLowerCase() === 'false'
  if (options.transactionalId !== undefined && (idempotenceOff || acks !== -1))
    throw new UsageError('A transactional producer needs enable.idempotence=true and acks=all.', {
      code: 'BAD_PROPERTY',
    })
  const idempotent = !idempotenceOff && acks === -1
  const compression = compressionType(p['compression.type'])
  if (compression !== 0) registerCodecs()
  const requestTimeoutMs = intProperty(p, 'request.timeout.ms') ?? 30_000
  const autoCreate = p['allow.auto.create.topics']?.trim().toLowerCase() !== 'false'
  const { partitions } = await withClient(
    options.connection,
    options.debug ? { reporter: options.reporter } : {},
    (client) => ensureTopic(client, options.topic, { autoCreate, reporter: options.reporter }),
  )
  const kafka = createClient({
    servers: options.connection.servers,
    ssl: options.connection.ssl,
    sasl: options.connection.sasl,
    clientId: p['client.id'] ?? 'perf-producer-client',
    requestTimeoutMs,
    retries: intProperty(p, 'retries') ?? 5,
    ...(options.debug ? { reporter: options.reporter } : {}),
  })
  if (!fastPathInstalled)
    options.reporter.debug('kafkajs was loaded before the fast path could be installed: using its own encoder')
  const producer: Producer = kafka.producer({
    idempotent: idempotent || options.transactionalId !== undefined,
    // One request at a time keeps each partition's sequence numbers in order (see ./produce.ts).
    maxInFlightRequests: 1,
    allowAutoTopicCreation: autoCreate,
    ...(options.transactionalId !== undefined ? { transactionalId: options.transactionalId } : {}),
    createPartitioner:
      () =>
      ({ message }) =>
        message.partition!,
    retry: { retries: intProperty(p, 'retries') ?? 5, initialRetryTime: 100, maxRetryTime: 1000 },
  })
  try {
    await producer.connect()
  } catch (error) {
    throw unreachable(options.connection, error)
  }
  let transaction: Transaction | undefined
  let requests = 0
  const messages = (batch: PerfBatch): Message[] => {
    if (fastPathInstalled) return [{ value: null, partition: batch.partition, [PRE_ENCODED]: batch.builder } as Message]
    return batch.builder.decode().map((record) => ({
      key: record.key,
      value: record.value,
      partition: batch.partition,
      timestamp: String(record.timestamp),
    }))
  }
  return {
    partitions,
    get requests() {
      return requests
    },
    async send(batches) {
      const request = {
        acks,
        compression,
        timeout: requestTimeoutMs,
        topicMessages: [{ topic: options.topic, messages: batches.flatMap(messages) }],
      }
      try {
        await (transaction ?? producer).sendBatch(request)
      } catch (error) {
        throw new KafkitError(`Sending to ${options.topic} failed: ${(error as Error).message}`, {
          code: 'DELIVERY_FAILED',
          cause: error,
        })
      }
      requests++
    },
    async beginTransaction() {
      transaction = await producer.transaction()
    },
    async commitTransaction() {
      const current = transaction
      transaction = undefined
      await current?.commit()
    },
    async close() {
      if (transaction) await transaction.abort().catch(() => {})
      await producer.disconnect().catch(() => {})
    },
  }
}

function parseAcks(value: string | undefined): -1 | 0 | 1 {
  const text = value?.trim().toLowerCase()
  if (text === undefined || text === 'all' || text === '-1') return -1
  if (text === '0') return 0
  if (text === '1') return 1
  throw new UsageError(`Invalid acks "${value}": expected all, -1, 0 or 1.`, { code: 'BAD_PROPERTY' })
}

function intProperty(properties: Record<string, string>, key: string): number | undefined {
  const value = properties[key]
  if (value === undefined) return undefined
  const n = Number(value.trim())
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`Invalid ${key} "${value}": expected a whole number.`, { code: 'BAD_PROPERTY' })
  return n
}
