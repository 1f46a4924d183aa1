/** What kafka-transactions.sh prints: ToolsUtils.prettyPrintTable (every cell padded to its column and followed by a tab). */
import type {
  TransactionsDescribeResult,
  TransactionsHangingResult,
  TransactionsListResult,
  TransactionsProducersResult,
  TransactionsResult,
} from './service.js'

export function prettyPrintTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!) + '\t').join('')
  return [headers, ...rows].map(line).join('\n')
}

export function renderList(r: TransactionsListResult): string {
  return prettyPrintTable(
    ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'],
    r.transactions.map((t) => [t.transactionalId, String(t.coordinator), t.producerId, t.state]),
  )
}

export function renderDescribe(r: TransactionsDescribeResult): string {
  return prettyPrintTable(
    [
      'CoordinatorId',
      'TransactionalId',
      'ProducerId',
      'ProducerEpoch',
      'TransactionState',
      'TransactionTimeoutMs',
      'CurrentTransactionStartTimeMs',
      'TransactionDurationMs',
      'TopicPartitions',
    ],
    [
      [
        String(r.coordinatorId),
        r.transactionalId,
        r.producerId,
        String(r.producerEpoch),
        r.state,
        String(r.transactionTimeoutMs),
        r.transactionStartTimeMs === null ? 'None' : String(r.transactionStartTimeMs),
        r.transactionDurationMs === null ? 'None' : String(r.transactionDurationMs),
        r.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(','),
      ],
    ],
  )
}

export function renderProducers(r: TransactionsProducersResult): string {
  return prettyPrintTable(
    [
      'ProducerId',
      'ProducerEpoch',
      'LatestCoordinatorEpoch',
      'LastSequence',
      'LastTimestamp',
      'CurrentTransactionStartOffset',
    ],
    r.producers.map((p) => [
      p.producerId,
      String(p.producerEpoch),
      String(p.coordinatorEpoch),
      String(p.lastSequence),
      String(p.lastTimestamp),
      p.currentTransactionStartOffset === null ? 'None' : String(p.currentTransactionStartOffset),
    ]),
  )
}

export function renderHanging(r: TransactionsHangingResult): string {
  return prettyPrintTable(
    [
      'Topic',
      'Partition',
      'ProducerId',
      'ProducerEpoch',
      'CoordinatorEpoch',
      'StartOffset',
      'LastTimestamp',
      'Duration(min)',
    ],
    r.transactions.map((t) => [
      t.topic,
      String(t.partition),
      t.producerId,
      String(t.producerEpoch),
      String(t.coordinatorEpoch),
      String(t.startOffset),
      String(t.lastTimestamp),
      String(t.durationMinutes),
    ]),
  )
}

/** The text the script prints; abort and forceTerminateTransaction print nothing. */
export function renderTransactions(r: TransactionsResult): string | undefined {
  switch (r.command) {
    case 'list':
      return renderList(r)
    case 'describe':
      return renderDescribe(r)
    case 'describe-producers':
      return renderProducers(r)
    case 'find-hanging':
      return renderHanging(r)
    default:
      return undefined
  }
}
