/**
 * `kafkit delete-records`: kafka-delete-records.sh (the --offset-json-file, executed at once as the script does) and
 * kafkit's shortcuts (--topic/--partition/--offset, --before TIME), which plan first: the low watermark each partition
 * would get, from ListOffsets (earliest, latest, and the first offset at or after --before), deleted only with
 * --execute.
 */
import { KafkitError } from '../errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import type { KafkaClient } from '../client/kafka-client.js'
import { listOffsets, topicMetadata } from '../cluster/admin.js'
import { withClient } from '../cluster/connect.js'
import { deleteRecords } from '../cluster/partitions-admin.js'
import { compareTopicPartitions, tpName, type OffsetTarget, type TopicPartition } from './options.js'

export type DeleteRecordsInput =
  | { kind: 'file'; targets: OffsetTarget[] }
  | {
      kind: 'shortcut'
      topic: string
      /** undefined: every partition of the topic. */
      partitions?: number[]
      /** Delete before this offset (-1: the high watermark, everything). */
      offset?: number
      /** Delete the records older than this time (epoch ms). */
      before?: number
      execute: boolean
    }

export interface DeletedPartition extends TopicPartition {
  /** The offset asked for (-1: the high watermark). */
  offset: number
  /** After the delete (or, in a dry run, what it would be). */
  lowWatermark: number | null
  /** Dry runs: the low and high watermarks now. */
  currentLowWatermark?: number
  highWatermark?: number
  error: string | null
  errorMessage: string | null
}

export interface DeleteRecordsResult {
  executed: boolean
  partitions: DeletedPartition[]
}

async function watermarks(
  client: KafkaClient,
  partitions: TopicPartition[],
  timestamp: bigint,
): Promise<Map<string, { offset: number; errorCode: number }>> {
  const byLeader = await client.byLeader(partitions, (p) => p)
  const answers = await Promise.all(
    [...byLeader].map(([leader, items]) =>
      leader < 0
        ? Promise.resolve(items.map((i) => ({ ...i, errorCode: 5, offset: -1n })))
        : listOffsets(client, leader, items, timestamp),
    ),
  )
  return new Map(answers.flat().map((a) => [tpName(a), { offset: Number(a.offset), errorCode: a.errorCode }]))
}

export async function runDeleteRecords(
  settings: ConnectionSettings,
  input: DeleteRecordsInput,
  reporter?: Reporter,
): Promise<DeleteRecordsResult> {
  return withClient(settings, { reporter }, async (client) => {
    if (input.kind === 'file') {
      const outcomes = await deleteRecords(client, input.targets)
      return {
        executed: true,
        partitions: outcomes.map((o, i) => ({
          topic: o.topic,
          partition: o.partition,
          offset: input.targets[i]!.offset,
          lowWatermark: o.lowWatermark,
          error: o.error,
          errorMessage: o.errorMessage,
        })),
      }
    }

    const [topic] = await topicMetadata(client, [input.topic])
    if (!topic || topic.errorCode !== 0 || topic.partitions.length === 0) {
      throw new KafkitError(`Topic ${input.topic} does not exist.`, {
        code: 'UNKNOWN_TOPIC',
        suggestions: ['kafkit topics --list'],
      })
    }
    const existing = topic.partitions.map((p) => p.partition).sort((a, b) => a - b)
    const missing = (input.partitions ?? []).filter((p) => !existing.includes(p))
    if (missing.length > 0) {
      throw new KafkitError(
        `Topic ${input.topic} has no partition ${missing.join(', ')} (it has ${existing.length} partition${existing.length === 1 ? '' : 's'}).`,
        { code: 'UNKNOWN_PARTITION' },
      )
    }
    const partitions = (input.partitions ?? existing).map((partition) => ({ topic: input.topic, partition }))
    const [low, high, at] = await Promise.all([
      watermarks(client, partitions, -2n),
      watermarks(client, partitions, -1n),
      input.before === undefined ? undefined : watermarks(client, partitions, BigInt(input.before)),
    ])
    const plan: DeletedPartition[] = partitions.map((p) => {
      const lw = low.get(tpName(p))!
      const hw = high.get(tpName(p))!
      const failed = lw.errorCode || hw.errorCode
      // No record at or after --before: every record is older, so all of them go (up to the high watermark).
      const offset = at ? at.get(tpName(p))!.offset : input.offset!
      const target = offset < 0 ? hw.offset : offset
      const beyond = !failed && target > hw.offset
      return {
        ...p,
        offset: at ? target : offset,
        lowWatermark: failed || beyond ? null : Math.max(lw.offset, target),
        currentLowWatermark: lw.offset,
        highWatermark: hw.offset,
        error: failed ? 'LEADER_NOT_AVAILABLE' : beyond ? 'OFFSET_OUT_OF_RANGE' : null,
        errorMessage: failed
          ? 'The partition has no leader now.'
          : beyond
            ? `Offset ${target} is beyond the high watermark ${hw.offset}.`
            : null,
      }
    })
    if (!input.execute) return { executed: false, partitions: plan.sort(compareTopicPartitions) }

    const outcomes = await deleteRecords(
      client,
      plan.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })),
    )
    return {
      executed: true,
      partitions: outcomes.map((o, i) => ({
        ...plan[i]!,
        lowWatermark: o.lowWatermark,
        error: o.error,
        errorMessage: o.errorMessage,
      })),
    }
  })
}
