/**
 * The requests behind kafka-transactions.sh, on kafkit's own client (../client/), as Kafka's Admin client sends them:
 * ListTransactions to every broker (each is the coordinator of some transactional ids), DescribeTransactions and
 * InitProducerId (Admin.fenceProducers, what forceTerminateTransaction is) to a transactional id's coordinator
 * (FindCoordinator key type 1), DescribeProducers to a partition's leader (or a chosen replica), and the abort of a
 * hanging transaction as Admin.abortTransaction does it: an ABORT marker written with WriteTxnMarkers to the leader.
 */
import { CoordinatorType, type KafkaClient } from '../client/kafka-client.js'
import { ERROR, KafkaProtocolError, check } from '../client/errors.js'
import { DescribeProducers } from '../protocol/messages/describe-producers.js'
import { DescribeTransactions } from '../protocol/messages/describe-transactions.js'
import { InitProducerId } from '../protocol/messages/init-producer-id.js'
import { ListTransactions } from '../protocol/messages/list-transactions.js'
import { WriteTxnMarkers } from '../protocol/messages/write-txn-markers.js'

export interface TransactionListing {
  transactionalId: string
  producerId: string
  state: string
}

export interface ListTransactionsFilter {
  states?: string[]
  producerIds?: bigint[]
  /** Only transactions running longer than this (ms); ListTransactions v1+. */
  durationMs?: number
  /** Transactional ids matching this regular expression (broker side, re2j); ListTransactions v2+. */
  transactionalIdPattern?: string
}

/**
 * Why a broker that speaks ListTransactions up to `version` cannot apply the filter, or undefined. Encoding would fail
 * with a field-level message; this says which Kafka is needed (the duration filter came with 3.8, the transactional
 * id pattern with 4.1, so Kafka 3.9's kafka-transactions.sh has no --transactional-id-pattern).
 */
export function listFilterUnsupported(
  filter: ListTransactionsFilter,
  version: number,
  nodeId: number,
): string | undefined {
  if (filter.transactionalIdPattern !== undefined && version < 2)
    return `filtering by transactional id pattern needs ListTransactions v2 (Kafka 4.1 or newer); broker ${nodeId} speaks up to v${version}`
  if (filter.durationMs !== undefined && version < 1)
    return `filtering by duration needs ListTransactions v1 (Kafka 3.8 or newer); broker ${nodeId} speaks v0`
  return undefined
}

/** Every broker's transactions, by coordinator id, in the brokers' order. */
export async function listTransactions(
  client: KafkaClient,
  filter: ListTransactionsFilter = {},
): Promise<Map<number, TransactionListing[]>> {
  await client.metadata([])
  const brokers = [...client.brokers.keys()]
  const answers = await Promise.all(
    brokers.map(async (nodeId) => {
      const unsupported = listFilterUnsupported(filter, await client.versionOf(ListTransactions, nodeId), nodeId)
      if (unsupported) throw new Error(unsupported)
      const response = await client.retry(`ListTransactions on broker ${nodeId}`, async () => {
        const r = await client.send(nodeId, ListTransactions, {
          stateFilters: filter.states ?? [],
          producerIdFilters: filter.producerIds ?? [],
          ...(filter.durationMs !== undefined ? { durationFilter: BigInt(filter.durationMs) } : {}),
          ...(filter.transactionalIdPattern !== undefined
            ? { transactionalIdPattern: filter.transactionalIdPattern }
            : {}),
        })
        check(r.errorCode, `ListTransactions on broker ${nodeId}`)
        return r
      })
      return [
        nodeId,
        response.transactionStates.map((s) => ({
          transactionalId: s.transactionalId,
          producerId: String(s.producerId),
          state: s.transactionState,
        })),
      ] as const
    }),
  )
  return new Map(answers)
}

export interface TransactionDescription {
  coordinatorId: number
  transactionalId: string
  producerId: string
  producerEpoch: number
  state: string
  transactionTimeoutMs: number
  /** null when no transaction is running (the broker sends -1). */
  transactionStartTimeMs: number | null
  /** In the broker's order. */
  topicPartitions: Array<{ topic: string; partition: number }>
}

/** A transactional id's state from its coordinator; TRANSACTIONAL_ID_NOT_FOUND and others as KafkaProtocolError. */
export async function describeTransaction(
  client: KafkaClient,
  transactionalId: string,
): Promise<TransactionDescription> {
  return client.withCoordinator(transactionalId, CoordinatorType.Transaction, async (nodeId) => {
    const response = await client.send(nodeId, DescribeTransactions, { transactionalIds: [transactionalId] })
    const state = response.transactionStates.find((s) => s.transactionalId === transactionalId)
    if (!state) throw new KafkaProtocolError(ERROR.COORDINATOR_NOT_AVAILABLE, `DescribeTransactions ${transactionalId}`)
    check(state.errorCode, `DescribeTransactions ${transactionalId}`)
    return {
      coordinatorId: nodeId,
      transactionalId,
      producerId: String(state.producerId),
      producerEpoch: state.producerEpoch,
      state: state.transactionState,
      transactionTimeoutMs: state.transactionTimeoutMs,
      transactionStartTimeMs: state.transactionStartTimeMs < 0n ? null : Number(state.transactionStartTimeMs),
      topicPartitions: state.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition }))),
    }
  })
}

export interface ProducerState {
  producerId: string
  producerEpoch: number
  lastSequence: number
  lastTimestamp: number
  /** -1: none (the broker's "unknown"). */
  coordinatorEpoch: number
  /** null: no open transaction. */
  currentTransactionStartOffset: number | null
}

/** The active producers of partitions, asked of each leader (or of `brokerId` for all of them). */
export async function describeProducers(
  client: KafkaClient,
  partitions: Array<{ topic: string; partition: number }>,
  brokerId?: number,
): Promise<Map<string, ProducerState[]>> {
  const byBroker =
    brokerId === undefined
      ? await client.byLeader(partitions, (p) => p)
      : new Map<number, Array<{ topic: string; partition: number }>>([[brokerId, partitions]])
  const result = new Map<string, ProducerState[]>()
  for (const [nodeId, items] of byBroker) {
    if (nodeId < 0) {
      const first = items[0]!
      throw new KafkaProtocolError(
        ERROR.UNKNOWN_TOPIC_OR_PARTITION,
        `DescribeProducers ${first.topic}-${first.partition}`,
      )
    }
    const topics = new Map<string, number[]>()
    for (const p of items) topics.set(p.topic, [...(topics.get(p.topic) ?? []), p.partition])
    const response = await client.send(nodeId, DescribeProducers, {
      topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
    })
    for (const t of response.topics)
      for (const p of t.partitions) {
        check(p.errorCode, `DescribeProducers ${t.name}-${p.partitionIndex}`, p.errorMessage)
        result.set(
          `${t.name}-${p.partitionIndex}`,
          p.activeProducers.map((s) => ({
            producerId: String(s.producerId),
            producerEpoch: s.producerEpoch,
            lastSequence: s.lastSequence,
            lastTimestamp: Number(s.lastTimestamp),
            coordinatorEpoch: s.coordinatorEpoch < 0 ? -1 : s.coordinatorEpoch,
            currentTransactionStartOffset: s.currentTxnStartOffset < 0n ? null : Number(s.currentTxnStartOffset),
          })),
        )
      }
  }
  return result
}

export interface AbortSpec {
  topic: string
  partition: number
  producerId: bigint
  producerEpoch: number
  coordinatorEpoch: number
}

/** Admin.abortTransaction: an ABORT marker for one partition, written by its leader. */
export async function abortTransaction(client: KafkaClient, spec: AbortSpec): Promise<void> {
  const leaders = await client.byLeader([spec], (s) => s)
  const leader = [...leaders.keys()][0] ?? -1
  if (leader < 0) throw new KafkaProtocolError(ERROR.LEADER_NOT_AVAILABLE, `${spec.topic}-${spec.partition}`)
  const response = await client.send(leader, WriteTxnMarkers, {
    markers: [
      {
        producerId: spec.producerId,
        producerEpoch: spec.producerEpoch,
        transactionResult: false,
        coordinatorEpoch: spec.coordinatorEpoch,
        topics: [{ name: spec.topic, partitionIndexes: [spec.partition] }],
      },
    ],
  })
  for (const marker of response.markers)
    for (const t of marker.topics)
      for (const p of t.partitions) check(p.errorCode, `WriteTxnMarkers ${t.name}-${p.partitionIndex}`)
}

/**
 * Admin.forceTerminateTransaction (= fenceProducers): InitProducerId for the transactional id on its coordinator,
 * which bumps the epoch and aborts the open transaction. The transaction timeout is the admin request timeout, as the
 * Java client sends it.
 */
export async function fenceProducer(
  client: KafkaClient,
  transactionalId: string,
  transactionTimeoutMs: number,
): Promise<{ producerId: string; producerEpoch: number }> {
  return client.withCoordinator(transactionalId, CoordinatorType.Transaction, async (nodeId) => {
    const response = await client.send(nodeId, InitProducerId, {
      transactionalId,
      transactionTimeoutMs,
      producerId: -1n,
      producerEpoch: -1,
    })
    check(response.errorCode, `InitProducerId ${transactionalId}`)
    return { producerId: String(response.producerId), producerEpoch: response.producerEpoch }
  })
}
