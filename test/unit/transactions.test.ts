import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { listFilterUnsupported } from '../../src/cluster/transaction-admin.js'
import { parseTransactionsAction } from '../../src/transactions/options.js'
import {
  candidateTransactions,
  hangingTransactions,
  listRows,
  type ProducerState,
  type TransactionDescription,
} from '../../src/transactions/service.js'
import { prettyPrintTable, renderDescribe, renderProducers } from '../../src/transactions/views.js'

describe('transactions flag rules (kafka-transactions.sh 4.4)', () => {
  it('reads each sub-command', () => {
    assert.deepEqual(parseTransactionsAction('list', {}), { command: 'list' })
    assert.deepEqual(parseTransactionsAction('list', { 'duration-filter': 5, 'transactional-id-pattern': 'a.*' }), {
      command: 'list',
      durationFilterMs: 5,
      transactionalIdPattern: 'a.*',
    })
    assert.deepEqual(parseTransactionsAction('describe', { 'transactional-id': 't' }), {
      command: 'describe',
      transactionalId: 't',
    })
    assert.deepEqual(parseTransactionsAction('find-hanging', { 'broker-id': 1 }), {
      command: 'find-hanging',
      brokerId: 1,
      maxTransactionTimeoutMinutes: 15,
    })
    assert.deepEqual(parseTransactionsAction('abort', { topic: 't', partition: 0, 'start-offset': 7 }), {
      command: 'abort',
      topic: 't',
      partition: 0,
      startOffset: 7,
    })
  })

  it('sends coordinator epoch 0 for the -1 describe-producers shows, as the script does', () => {
    const action = parseTransactionsAction('abort', {
      topic: 't',
      partition: 1,
      'producer-id': 9,
      'producer-epoch': 2,
      'coordinator-epoch': -1,
    })
    assert.deepEqual(action, {
      command: 'abort',
      topic: 't',
      partition: 1,
      producer: { producerId: 9, producerEpoch: 2, coordinatorEpoch: 0 },
    })
  })

  const refuses = (command: string | undefined, flags: object, message: RegExp) =>
    assert.throws(
      () => parseTransactionsAction(command, flags),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
    )

  it("refuses what the script refuses, with the script's message", () => {
    refuses(undefined, {}, /give a command/)
    refuses('bogus', {}, /invalid choice: 'bogus'/)
    refuses('describe', {}, /--transactional-id is required/)
    refuses('list', { topic: 'x' }, /list does not take --topic/)
    refuses('find-hanging', {}, /requires either --topic or --broker-id/)
    refuses('find-hanging', { 'broker-id': 1, partition: 0 }, /--partition argument requires --topic/)
    refuses('abort', { topic: 't', partition: 0 }, /either with --start-offset/)
    refuses('abort', { topic: 't', partition: 0, 'producer-id': 1 }, /Missing required argument --producer-epoch/)
    refuses(
      'abort',
      { topic: 't', partition: 0, 'producer-id': 1, 'producer-epoch': 0 },
      /Missing required argument --coordinator-epoch/,
    )
    refuses('forceTerminateTransaction', {}, /--transactionalId is required/)
  })
})

describe('transactions views (ToolsUtils.prettyPrintTable)', () => {
  it('pads every cell to its column and ends it with a tab', () => {
    assert.equal(prettyPrintTable(['A', 'Bee'], [['long', '1']]), 'A   \tBee\t\nlong\t1  \t')
    assert.equal(prettyPrintTable(['A'], []), 'A\t')
  })

  it('prints None for what is absent', () => {
    const text = renderProducers({
      command: 'describe-producers',
      topic: 't',
      partition: 0,
      brokerId: null,
      producers: [
        {
          producerId: '5',
          producerEpoch: 0,
          coordinatorEpoch: -1,
          lastSequence: 2,
          lastTimestamp: 1700000000000,
          currentTransactionStartOffset: null,
        },
      ],
    })
    assert.equal(
      text.split('\n')[1],
      '5         \t0            \t-1                    \t2           \t1700000000000\tNone                         \t',
    )
    const described = renderDescribe({
      command: 'describe',
      coordinatorId: 1,
      transactionalId: 'x',
      producerId: '3',
      producerEpoch: 1,
      state: 'Empty',
      transactionTimeoutMs: 60000,
      transactionStartTimeMs: null,
      transactionDurationMs: null,
      topicPartitions: [],
    })
    assert.match(described.split('\n')[1]!, /^1 +\tx +\t3 +\t1 +\tEmpty +\t60000 +\tNone +\tNone +\t +\t$/)
  })

  it("orders list rows by the script's HashMap of coordinator ids", () => {
    const rows = listRows(
      new Map([
        [3, [{ transactionalId: 'c', producerId: '1', state: 'Ongoing' }]],
        [1, [{ transactionalId: 'a', producerId: '2', state: 'Empty' }]],
      ]),
    )
    assert.deepEqual(
      rows.map((r) => r.coordinator),
      [1, 3],
    )
  })
})

describe('find-hanging rules', () => {
  const producer = (id: string, start: number | null, lastTimestamp: number): ProducerState => ({
    producerId: id,
    producerEpoch: 0,
    coordinatorEpoch: 0,
    lastSequence: 0,
    lastTimestamp,
    currentTransactionStartOffset: start,
  })
  const now = 10 * 60_000

  it('keeps open transactions older than the maximum timeout', () => {
    const states = new Map([['t-0', [producer('1', 5, 0), producer('2', null, 0), producer('3', 9, now - 1000)]]])
    const found = candidateTransactions(states, [{ topic: 't', partition: 0 }], 60_000, now)
    assert.deepEqual(
      found.map((c) => c.producer.producerId),
      ['1'],
    )
  })

  it('is hanging without a transactional id, without a description, or when the coordinator does not list the partition', () => {
    const open = (id: string, partition: number) => ({ topic: 't', partition, producer: producer(id, 1, 0) })
    const description = (partitions: number[]): TransactionDescription => ({
      coordinatorId: 1,
      transactionalId: 'x',
      producerId: '0',
      producerEpoch: 0,
      state: 'Ongoing',
      transactionTimeoutMs: 1,
      transactionStartTimeMs: 0,
      topicPartitions: partitions.map((partition) => ({ topic: 't', partition })),
    })
    const hanging = hangingTransactions(
      [open('1', 0), open('2', 0), open('3', 0), open('4', 1)],
      new Map([
        ['2', 'gone'],
        ['3', 'live'],
        ['4', 'live'],
      ]),
      new Map([
        ['gone', null],
        ['live', description([0])],
      ]),
    )
    assert.deepEqual(
      hanging.map((h) => h.producer.producerId),
      ['1', '2', '4'],
    )
  })
})

describe('ListTransactions filters and the broker version', () => {
  it('names the Kafka a filter needs instead of failing to encode it', () => {
    assert.equal(listFilterUnsupported({}, 0, 1), undefined)
    assert.equal(listFilterUnsupported({ durationMs: 5 }, 1, 1), undefined)
    assert.equal(listFilterUnsupported({ transactionalIdPattern: 'a.*' }, 2, 1), undefined)
    // A Kafka 3.9 broker speaks ListTransactions v1.
    assert.equal(
      listFilterUnsupported({ transactionalIdPattern: 'a.*' }, 1, 1),
      'filtering by transactional id pattern needs ListTransactions v2 (Kafka 4.1 or newer); broker 1 speaks up to v1',
    )
    assert.match(
      listFilterUnsupported({ durationMs: 5 }, 0, 3)!,
      /needs ListTransactions v1 \(Kafka 3\.8 or newer\); broker 3/,
    )
  })
})
