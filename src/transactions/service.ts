/**
 * What `kafkit transactions` does (kafka-transactions.sh 4.4, org.apache.kafka.tools.TransactionsCommand), on
 * kafkit's own client: list, describe, describe-producers, find-hanging, abort and forceTerminateTransaction, with
 * the Java tool's steps (find-hanging: candidate open transactions older than the maximum transaction timeout, their
 * transactional ids by producer id, then those whose coordinator does not list the partition).
 */
import type { KafkaClient } from '../client/kafka-client.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError, errorMessage } from '../errors.js'
import { javaHashMapOrder, topicPartitionHash } from '../output/java-format.js'
import type { Reporter } from '../output/reporter.js'
import type * as TxnAdmin from '../cluster/transaction-admin.js'
import type { ProducerState, TransactionDescription } from '../cluster/transaction-admin.js'
import type { TransactionsAction } from './options.js'

export type { ProducerState, TransactionDescription }

export interface TransactionsContext {
  connection: ConnectionSettings
  reporter: Reporter
  debug?: boolean
  /** The clock, for durations (tests). */
  now?: () => number
}

export interface ListedTransaction {
  transactionalId: string
  coordinator: number
  producerId: string
  state: string
}
export interface TransactionsListResult {
  command: 'list'
  transactions: ListedTransaction[]
}
export interface TransactionsDescribeResult extends TransactionDescription {
  command: 'describe'
  /** now - transactionStartTimeMs; null without a running transaction. */
  transactionDurationMs: number | null
}
export interface TransactionsProducersResult {
  command: 'describe-producers'
  topic: string
  partition: number
  brokerId: number | null
  producers: ProducerState[]
}
export interface HangingTransaction {
  topic: string
  partition: number
  producerId: string
  producerEpoch: number
  coordinatorEpoch: number
  startOffset: number
  lastTimestamp: number
  durationMinutes: number
}
export interface TransactionsHangingResult {
  command: 'find-hanging'
  transactions: HangingTransaction[]
}
export interface TransactionsAbortResult {
  command: 'abort'
  topic: string
  partition: number
  producerId: string
  producerEpoch: number
  coordinatorEpoch: number
}
export interface TransactionsTerminateResult {
  command: 'forceTerminateTransaction'
  transactionalId: string
}
export type TransactionsResult =
  | TransactionsListResult
  | TransactionsDescribeResult
  | TransactionsProducersResult
  | TransactionsHangingResult
  | TransactionsAbortResult
  | TransactionsTerminateResult

/** The script's printErrorAndExit(message, cause) line. */
function failed(message: string, cause: unknown): KafkitError {
  return new KafkitError(`${message}: ${errorMessage(cause)}.`, { cause, code: 'TRANSACTIONS_FAILED' })
}

async function attempt<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof KafkitError) throw error
    throw failed(message, error)
  }
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export async function runTransactions(
  ctx: TransactionsContext,
  action: TransactionsAction,
): Promise<TransactionsResult> {
  const [{ withClient }, admin] = await Promise.all([
    import('../cluster/connect.js'),
    import('../cluster/transaction-admin.js'),
  ])
  const now = ctx.now ?? Date.now
  return withClient(ctx.connection, ctx.debug ? { reporter: ctx.reporter } : {}, async (client) => {
    switch (action.command) {
      case 'list': {
        const byBroker = await attempt('Failed to list transactions', () =>
          admin.listTransactions(client, {
            ...(action.durationFilterMs !== undefined ? { durationMs: action.durationFilterMs } : {}),
            ...(action.transactionalIdPattern !== undefined
              ? { transactionalIdPattern: action.transactionalIdPattern }
              : {}),
          }),
        )
        return { command: 'list', transactions: listRows(byBroker) }
      }
      case 'describe': {
        const d = await attempt(
          `Failed to describe transaction state of transactional-id \`${action.transactionalId}\``,
          () => admin.describeTransaction(client, action.transactionalId),
        )
        return {
          command: 'describe',
          ...d,
          // The Java admin client collects them in a HashSet.
          topicPartitions: javaHashMapOrder(d.topicPartitions, (tp) => topicPartitionHash(tp.topic, tp.partition)),
          transactionDurationMs: d.transactionStartTimeMs === null ? null : now() - d.transactionStartTimeMs,
        }
      }
      case 'describe-producers': {
        const key = `${action.topic}-${action.partition}`
        const where = action.brokerId === undefined ? 'leader' : `broker ${action.brokerId}`
        const states = await attempt(`Failed to describe producers for partition ${key} on ${where}`, () =>
          admin.describeProducers(client, [{ topic: action.topic, partition: action.partition }], action.brokerId),
        )
        return {
          command: 'describe-producers',
          topic: action.topic,
          partition: action.partition,
          brokerId: action.brokerId ?? null,
          producers: states.get(key) ?? [],
        }
      }
      case 'abort':
        return abort(client, admin, action)
      case 'find-hanging':
        return findHanging(client, admin, action, now)
      case 'forceTerminateTransaction':
        await attempt(`Failed to force terminate transactionalId \`${action.transactionalId}\``, () =>
          admin.fenceProducer(client, action.transactionalId, DEFAULT_REQUEST_TIMEOUT_MS),
        )
        return { command: 'forceTerminateTransaction', transactionalId: action.transactionalId }
    }
  })
}

/** Rows of `list`: coordinators in the order of the script's HashMap<Integer, ...> (ascending for small ids). */
export function listRows(byBroker: Map<number, TxnAdmin.TransactionListing[]>): ListedTransaction[] {
  return javaHashMapOrder([...byBroker.keys()], (id) => id).flatMap((coordinator) =>
    byBroker.get(coordinator)!.map((l) => ({
      transactionalId: l.transactionalId,
      coordinator,
      producerId: l.producerId,
      state: l.state,
    })),
  )
}

async function abort(
  client: KafkaClient,
  admin: typeof TxnAdmin,
  action: Extract<TransactionsAction, { command: 'abort' }>,
): Promise<TransactionsAbortResult> {
  const key = `${action.topic}-${action.partition}`
  let spec: TxnAdmin.AbortSpec
  if (action.producer) {
    spec = {
      topic: action.topic,
      partition: action.partition,
      producerId: BigInt(action.producer.producerId),
      producerEpoch: action.producer.producerEpoch,
      coordinatorEpoch: action.producer.coordinatorEpoch,
    }
  } else {
    const states = await attempt(`Failed to validate producer state for partition ${key}`, () =>
      admin.describeProducers(client, [{ topic: action.topic, partition: action.partition }]),
    )
    const found = (states.get(key) ?? []).find((s) => s.currentTransactionStartOffset === action.startOffset)
    if (!found)
      throw new KafkitError(
        `Could not find any open transactions starting at offset ${action.startOffset} on partition ${key}`,
        {
          code: 'TRANSACTION_NOT_FOUND',
          suggestions: [
            `kafkit transactions describe-producers --topic ${action.topic} --partition ${action.partition}`,
          ],
        },
      )
    spec = {
      topic: action.topic,
      partition: action.partition,
      producerId: BigInt(found.producerId),
      producerEpoch: found.producerEpoch,
      coordinatorEpoch: Math.max(0, found.coordinatorEpoch),
    }
  }
  const described = `AbortTransactionSpec(topicPartition=${key}, producerId=${spec.producerId}, producerEpoch=${spec.producerEpoch}, coordinatorEpoch=${spec.coordinatorEpoch})`
  await attempt(`Failed to abort transaction ${described}`, () => admin.abortTransaction(client, spec))
  return {
    command: 'abort',
    topic: spec.topic,
    partition: spec.partition,
    producerId: String(spec.producerId),
    producerEpoch: spec.producerEpoch,
    coordinatorEpoch: spec.coordinatorEpoch,
  }
}

export interface OpenTransaction {
  topic: string
  partition: number
  producer: ProducerState
}

/** Open transactions (a start offset) whose last write is older than the maximum transaction timeout. */
export function candidateTransactions(
  states: Map<string, ProducerState[]>,
  partitions: Array<{ topic: string; partition: number }>,
  maxTimeoutMs: number,
  now: number,
): OpenTransaction[] {
  return partitions.flatMap(({ topic, partition }) =>
    (states.get(`${topic}-${partition}`) ?? [])
      .filter((p) => p.currentTransactionStartOffset !== null && now - p.lastTimestamp > maxTimeoutMs)
      .map((producer) => ({ topic, partition, producer })),
  )
}

/**
 * The candidates that are hanging: no transactional id lists their producer id, the id is unknown to its
 * coordinator, or the coordinator's transaction does not include (or no longer waits for a marker on) the partition.
 */
export function hangingTransactions(
  candidates: OpenTransaction[],
  transactionalIds: Map<string, string>,
  descriptions: Map<string, TransactionDescription | null>,
): OpenTransaction[] {
  // The script groups them in a HashMap<Long, List<OpenTransaction>> by producer id and prints in its order.
  const longHash = (id: string) => {
    const v = BigInt(id)
    return Number(BigInt.asIntN(32, v ^ (v >> 32n)))
  }
  const byProducer = javaHashMapOrder([...new Set(candidates.map((c) => c.producer.producerId))], longHash)
  const ordered = byProducer.flatMap((id) => candidates.filter((c) => c.producer.producerId === id))
  return ordered.filter((c) => {
    const id = transactionalIds.get(c.producer.producerId)
    const description = id === undefined ? null : (descriptions.get(id) ?? null)
    if (!description) return true
    return !description.topicPartitions.some((tp) => tp.topic === c.topic && tp.partition === c.partition)
  })
}

async function findHanging(
  client: KafkaClient,
  admin: typeof TxnAdmin,
  action: Extract<TransactionsAction, { command: 'find-hanging' }>,
  now: () => number,
): Promise<TransactionsHangingResult> {
  let partitions: Array<{ topic: string; partition: number }>
  if (action.topic !== undefined && action.partition !== undefined) {
    partitions = [{ topic: action.topic, partition: action.partition }]
  } else {
    const { topicMetadata, listTopics } = await import('./../cluster/admin.js')
    const topics =
      action.topic !== undefined ? [action.topic] : await attempt('Failed to list topics', () => listTopics(client))
    const described = await attempt(`Failed to describe ${topics.length} topics`, () => topicMetadata(client, topics))
    partitions = described.flatMap((t) => {
      if (t.errorCode !== 0 && action.topic !== undefined)
        throw failed(`Failed to describe ${topics.length} topics`, new Error(`topic ${t.name}: error ${t.errorCode}`))
      return t.partitions
        .filter((p) => action.brokerId === undefined || p.replicas.includes(action.brokerId))
        .map((p) => ({ topic: t.name, partition: p.partition }))
    })
  }
  const maxTimeoutMs = action.maxTransactionTimeoutMinutes * 60_000
  const candidates: OpenTransaction[] = []
  for (let i = 0; i < partitions.length; i += 500) {
    const batch = partitions.slice(i, i + 500)
    const states = await attempt(
      `Failed to describe producers for ${batch.length} partitions on broker ${action.brokerId === undefined ? 'Optional.empty' : `Optional[${action.brokerId}]`}`,
      () => admin.describeProducers(client, batch, action.brokerId),
    )
    candidates.push(...candidateTransactions(states, batch, maxTimeoutMs, now()))
  }
  let hanging: OpenTransaction[] = []
  if (candidates.length > 0) {
    const producerIds = [...new Set(candidates.map((c) => c.producer.producerId))]
    const listings = await attempt(`Failed to list transactions for ${producerIds.length} producers`, () =>
      admin.listTransactions(client, { producerIds: producerIds.map((id) => BigInt(id)) }),
    )
    const transactionalIds = new Map<string, string>()
    for (const l of [...listings.values()].flat())
      if (producerIds.includes(l.producerId)) transactionalIds.set(l.producerId, l.transactionalId)
    const descriptions = new Map<string, TransactionDescription | null>()
    for (const id of new Set(transactionalIds.values())) {
      try {
        descriptions.set(id, await admin.describeTransaction(client, id))
      } catch (error) {
        if ((error as { type?: string }).type !== 'TRANSACTIONAL_ID_NOT_FOUND')
          throw failed(`Failed to describe ${transactionalIds.size} transactions`, error)
        descriptions.set(id, null)
      }
    }
    hanging = hangingTransactions(candidates, transactionalIds, descriptions)
  }
  const at = now()
  return {
    command: 'find-hanging',
    transactions: hanging.map((h) => ({
      topic: h.topic,
      partition: h.partition,
      producerId: h.producer.producerId,
      producerEpoch: h.producer.producerEpoch,
      coordinatorEpoch: h.producer.coordinatorEpoch,
      startOffset: h.producer.currentTransactionStartOffset ?? -1,
      lastTimestamp: h.producer.lastTimestamp,
      durationMinutes: Math.floor((at - h.producer.lastTimestamp) / 60_000),
    })),
  }
}
