/**
 * `kafkit verifiable-consumer` (kafka-verifiable-consumer.sh, org.apache.kafka.tools.VerifiableConsumer 4.4): a
 * classic group member on one topic that prints its events as JSON lines, as the Java tool does: startup_complete,
 * partitions_assigned / partitions_revoked, record_data (--verbose), records_consumed, offsets_committed (unless
 * --enable-autocommit), shutdown_complete and shutdown_requested.
 */
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type { GroupRecord } from '../cluster/verifiable-clients.js'
import { eventLine } from './producer.js'

export interface VerifiableConsumerOptions {
  connection: ConnectionSettings
  topic: string
  groupId: string
  /** -1: until stopped. */
  maxMessages: number
  sessionTimeoutMs?: number
  verbose: boolean
  autoCommit: boolean
  resetPolicy: 'earliest' | 'latest'
  reporter: Reporter
  debug: boolean
}

export interface VerifiableConsumerResult {
  topic: string
  groupId: string
  consumed: number
  committed: number
  stopped: boolean
}

export interface ConsumerControl {
  stop(): void
}

/** What one fetched batch contributes: the records within --max-messages, and the offset to commit after them. */
export function takeRecords(
  records: GroupRecord[],
  consumed: number,
  maxMessages: number,
): {
  taken: GroupRecord[]
  summary?: { topic: string; partition: number; count: number; minOffset: number; maxOffset: number }
} {
  const taken = maxMessages >= 0 ? records.slice(0, Math.max(0, maxMessages - consumed)) : records
  if (taken.length === 0) return { taken }
  const first = taken[0]!
  return {
    taken,
    summary: {
      topic: first.topic,
      partition: first.partition,
      count: taken.length,
      minOffset: first.offset,
      maxOffset: taken[taken.length - 1]!.offset,
    },
  }
}

export async function runVerifiableConsumer(
  options: VerifiableConsumerOptions,
  print: (line: string) => void,
  control?: (c: ConsumerControl) => void,
): Promise<VerifiableConsumerResult> {
  const [{ GroupMember }, { withClient }, { ensureTopic }] = await Promise.all([
    import('../cluster/verifiable-clients.js'),
    import('../cluster/connect.js'),
    import('../cluster/auto-create.js'),
  ])
  // The Java consumer's metadata request creates a missing topic (allow.auto.create.topics); kafkajs's subscribe fails.
  await withClient(options.connection, options.debug ? { reporter: options.reporter } : {}, (c) =>
    ensureTopic(c, options.topic, { autoCreate: true, reporter: options.reporter }),
  )
  let consumed = 0
  let committed = 0
  let stopped = false
  let finish!: () => void
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const isFinished = () => options.maxMessages >= 0 && consumed >= options.maxMessages
  control?.({
    stop: () => {
      if (stopped) return
      stopped = true
      // The Java tool's shutdown hook prints this before it closes the consumer.
      print(eventLine('shutdown_requested'))
      finish()
    },
  })
  print(eventLine('startup_complete'))
  const partitionsOf = (ps: Array<{ topic: string; partition: number }>) =>
    ps.map((p) => ({ topic: p.topic, partition: p.partition }))
  const member = await GroupMember.start(
    options.connection,
    {
      groupId: options.groupId,
      topic: options.topic,
      fromBeginning: options.resetPolicy === 'earliest',
      ...(options.sessionTimeoutMs ? { sessionTimeoutMs: options.sessionTimeoutMs } : {}),
      autoCommit: options.autoCommit,
      ...(options.debug ? { reporter: options.reporter } : {}),
    },
    {
      assigned: (ps) => print(eventLine('partitions_assigned', { partitions: partitionsOf(ps) })),
      revoked: (ps) => print(eventLine('partitions_revoked', { partitions: partitionsOf(ps) })),
      batch: async (records, commit) => {
        if (isFinished() || stopped || records.length === 0) return
        const { taken, summary } = takeRecords(records, consumed, options.maxMessages)
        if (options.verbose)
          for (const r of taken)
            print(
              eventLine('record_data', {
                key: r.key,
                value: r.value,
                topic: r.topic,
                partition: r.partition,
                offset: r.offset,
              }),
            )
        consumed += taken.length
        print(eventLine('records_consumed', { count: records.length, partitions: summary ? [summary] : [] }))
        if (summary && !options.autoCommit) {
          const offsets = [{ topic: summary.topic, partition: summary.partition, offset: summary.maxOffset + 1 }]
          try {
            await commit(offsets)
            committed++
            print(eventLine('offsets_committed', { offsets, success: true }))
          } catch (error) {
            print(eventLine('offsets_committed', { offsets, error: (error as Error).message, success: false }))
          }
        }
        if (isFinished()) finish()
      },
    },
  )
  await finished
  await member.close()
  print(eventLine('shutdown_complete'))
  // After --max-messages the Java tool's shutdown hook runs at exit and prints this last.
  if (!stopped) print(eventLine('shutdown_requested'))
  return { topic: options.topic, groupId: options.groupId, consumed, committed, stopped }
}
