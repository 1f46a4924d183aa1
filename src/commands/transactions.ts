import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { parseTransactionsAction } from '../transactions/options.js'
import type { TransactionsResult } from '../transactions/service.js'

export default class Transactions extends KafkitCommand<typeof Transactions> {
  static override aliases = ['kafka-transactions', 'kafka-transactions.sh']
  static override deprecateAliases = false
  static override summary =
    'Inspect transactions and recover from hanging ones, like kafka-transactions.sh (list, describe, describe-producers, find-hanging, abort, forceTerminateTransaction).'
  static override description = `Takes kafka-transactions.sh's sub-commands and flags (Kafka 4.4) and prints its tab-separated tables; the bootstrap server defaults to the running local stack.
list: every coordinator's transactional ids (--duration-filter MS, --transactional-id-pattern REGEX).
describe --transactional-id ID: the transaction's state on its coordinator.
describe-producers --topic T --partition N [--broker-id ID]: the partition's active producers (on its leader, or on a replica).
find-hanging --broker-id ID | --topic T [--partition N] [--max-transaction-timeout MIN]: open transactions no coordinator will finish.
abort --topic T --partition N --start-offset O (or --producer-id, --producer-epoch, --coordinator-epoch): write an ABORT marker.
forceTerminateTransaction --transactionalId ID: fence the producer and abort its transaction.`
  static override examples = [
    '<%= config.bin %> transactions list',
    '<%= config.bin %> transactions describe --transactional-id payments-tx',
    '<%= config.bin %> transactions describe-producers --topic orders --partition 0',
    '<%= config.bin %> transactions find-hanging --broker-id 1 --max-transaction-timeout 5',
    '<%= config.bin %> transactions abort --topic orders --partition 0 --start-offset 42',
    '<%= config.bin %> kafka-transactions.sh --bootstrap-server localhost:9092 list',
  ]

  static override args = {
    command: Args.string({
      description: 'list, describe, describe-producers, find-hanging, abort, forceTerminateTransaction',
    }),
  }

  static override flags = {
    ...connectionFlags,
    'transactional-id': Flags.string({ description: 'describe: the transactional id.' }),
    transactionalId: Flags.string({ description: 'forceTerminateTransaction: the transactional id.' }),
    topic: Flags.string({ description: 'Topic name (describe-producers, abort, find-hanging).' }),
    partition: Flags.integer({
      description: 'Partition number (describe-producers, abort, find-hanging with --topic).',
    }),
    'broker-id': Flags.integer({
      description: 'describe-producers: the replica to ask; find-hanging: the broker to search.',
    }),
    'start-offset': Flags.integer({ description: 'abort: start offset of the transaction to abort (brokers 3.0+).' }),
    'producer-id': Flags.integer({ description: 'abort: producer id (brokers older than 3.0).' }),
    'producer-epoch': Flags.integer({ description: 'abort: producer epoch (brokers older than 3.0).' }),
    'coordinator-epoch': Flags.integer({ description: 'abort: coordinator epoch (brokers older than 3.0).' }),
    'max-transaction-timeout': Flags.integer({
      description: 'find-hanging: maximum transaction timeout in minutes (default 15).',
      min: 0,
    }),
    'duration-filter': Flags.integer({
      description: 'list: only transactions running longer than this (ms); < 0: all.',
    }),
    'transactional-id-pattern': Flags.string({
      description: 'list: transactional ids matching this regular expression.',
    }),
  }

  async run(): Promise<TransactionsResult> {
    const rest = this.flags
    const action = parseTransactionsAction(this.args.command, {
      'transactional-id': rest['transactional-id'],
      transactionalId: rest.transactionalId,
      topic: rest.topic,
      partition: rest.partition,
      'broker-id': rest['broker-id'],
      'start-offset': rest['start-offset'],
      'producer-id': rest['producer-id'],
      'producer-epoch': rest['producer-epoch'],
      'coordinator-epoch': rest['coordinator-epoch'],
      'max-transaction-timeout': rest['max-transaction-timeout'],
      'duration-filter': rest['duration-filter'],
      'transactional-id-pattern': rest['transactional-id-pattern'],
    })
    const [{ runTransactions }, { renderTransactions }] = await Promise.all([
      import('../transactions/service.js'),
      import('../transactions/views.js'),
    ])
    const result = await runTransactions(
      { connection: connectionFromFlags(this.flags), reporter: this.reporter, debug: this.debugEnabled },
      action,
    )
    const text = renderTransactions(result)
    if (text !== undefined) this.log(text)
    return result
  }
}
