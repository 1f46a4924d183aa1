/** Flag rules of `kafkit transactions` (kafka-transactions.sh 4.4: its sub-commands and their arguments), pure. */
import { UsageError } from '../errors.js'

export const TRANSACTIONS_COMMANDS = [
  'list',
  'describe',
  'describe-producers',
  'abort',
  'find-hanging',
  'forceTerminateTransaction',
] as const
export type TransactionsCommandName = (typeof TRANSACTIONS_COMMANDS)[number]

export interface TransactionsFlags {
  'transactional-id'?: string
  transactionalId?: string
  topic?: string
  partition?: number
  'broker-id'?: number
  'start-offset'?: number
  'producer-id'?: number
  'producer-epoch'?: number
  'coordinator-epoch'?: number
  'max-transaction-timeout'?: number
  'duration-filter'?: number
  'transactional-id-pattern'?: string
}

/** Which flags each sub-command takes (the script's argparse4j sub-parsers refuse the others). */
const ALLOWED: Record<TransactionsCommandName, Array<keyof TransactionsFlags>> = {
  list: ['duration-filter', 'transactional-id-pattern'],
  describe: ['transactional-id'],
  'describe-producers': ['broker-id', 'topic', 'partition'],
  abort: ['topic', 'partition', 'start-offset', 'producer-id', 'producer-epoch', 'coordinator-epoch'],
  'find-hanging': ['broker-id', 'max-transaction-timeout', 'topic', 'partition'],
  forceTerminateTransaction: ['transactionalId'],
}

export type TransactionsAction =
  | { command: 'list'; durationFilterMs?: number; transactionalIdPattern?: string }
  | { command: 'describe'; transactionalId: string }
  | { command: 'describe-producers'; topic: string; partition: number; brokerId?: number }
  | {
      command: 'abort'
      topic: string
      partition: number
      startOffset?: number
      producer?: { producerId: number; producerEpoch: number; coordinatorEpoch: number }
    }
  | {
      command: 'find-hanging'
      topic?: string
      partition?: number
      brokerId?: number
      maxTransactionTimeoutMinutes: number
    }
  | { command: 'forceTerminateTransaction'; transactionalId: string }

const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })

const required = <T>(value: T | undefined, flag: string): T => {
  if (value === undefined) throw usage(`argument --${flag} is required`)
  return value
}

export function parseTransactionsAction(command: string | undefined, f: TransactionsFlags): TransactionsAction {
  if (command === undefined)
    throw new UsageError(`too few arguments: give a command, one of ${TRANSACTIONS_COMMANDS.join(', ')}.`, {
      code: 'BAD_FLAGS',
    })
  if (!(TRANSACTIONS_COMMANDS as readonly string[]).includes(command))
    throw usage(
      `argument COMMAND: invalid choice: '${command}' (choose from ${TRANSACTIONS_COMMANDS.map((c) => `'${c}'`).join(', ')})`,
    )
  const name = command as TransactionsCommandName
  const unexpected = (Object.keys(f) as Array<keyof TransactionsFlags>).filter(
    (k) => f[k] !== undefined && !ALLOWED[name].includes(k),
  )
  if (unexpected.length > 0)
    throw usage(
      `${name} does not take ${unexpected.map((k) => `--${k}`).join(', ')} (it takes ${ALLOWED[name].map((k) => `--${k}`).join(', ') || 'no flags'}).`,
    )
  switch (name) {
    case 'list':
      return {
        command: 'list',
        ...(f['duration-filter'] !== undefined ? { durationFilterMs: f['duration-filter'] } : {}),
        ...(f['transactional-id-pattern'] !== undefined
          ? { transactionalIdPattern: f['transactional-id-pattern'] }
          : {}),
      }
    case 'describe':
      return { command: 'describe', transactionalId: required(f['transactional-id'], 'transactional-id') }
    case 'describe-producers':
      return {
        command: 'describe-producers',
        topic: required(f.topic, 'topic'),
        partition: required(f.partition, 'partition'),
        ...(f['broker-id'] !== undefined ? { brokerId: f['broker-id'] } : {}),
      }
    case 'abort': {
      const topic = required(f.topic, 'topic')
      const partition = required(f.partition, 'partition')
      if (f['start-offset'] !== undefined) return { command: 'abort', topic, partition, startOffset: f['start-offset'] }
      if (f['producer-id'] === undefined)
        throw usage(
          'The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)',
        )
      if (f['producer-epoch'] === undefined) throw usage('Missing required argument --producer-epoch')
      if (f['coordinator-epoch'] === undefined) throw usage('Missing required argument --coordinator-epoch')
      return {
        command: 'abort',
        topic,
        partition,
        producer: {
          producerId: f['producer-id'],
          producerEpoch: f['producer-epoch'],
          // A transaction that hung before its first marker shows coordinator epoch -1 in describe-producers; the
          // script then sends 0, which is at most any real epoch.
          coordinatorEpoch: Math.max(0, f['coordinator-epoch']),
        },
      }
    }
    case 'find-hanging':
      if (f.topic === undefined && f['broker-id'] === undefined)
        throw usage(
          'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search',
        )
      if (f.partition !== undefined && f.topic === undefined)
        throw usage('The --partition argument requires --topic to be provided')
      return {
        command: 'find-hanging',
        ...(f.topic !== undefined ? { topic: f.topic } : {}),
        ...(f.partition !== undefined ? { partition: f.partition } : {}),
        ...(f['broker-id'] !== undefined ? { brokerId: f['broker-id'] } : {}),
        maxTransactionTimeoutMinutes: f['max-transaction-timeout'] ?? 15,
      }
    case 'forceTerminateTransaction':
      return {
        command: 'forceTerminateTransaction',
        transactionalId: required(f.transactionalId, 'transactionalId'),
      }
  }
}
