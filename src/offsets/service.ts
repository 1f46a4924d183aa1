/**
 * `kafkit get-offsets`: kafka-get-offsets.sh's ListOffsets lookup. The request is sent by kafkit's own client
 * (../cluster/admin.ts; read_uncommitted like the Java admin client): kafkajs 2.x stops at v3, so it can
 * neither ask for max-timestamp (-3 needs v7) nor for the high watermark (its admin reads the last stable
 * offset), and it silently swaps "no offset for this timestamp" for the end offset.
 */
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { isInternalTopic } from '../topics/names.js'
import {
  compareTopicPartitions,
  partitionSelected,
  topicSelected,
  type PartitionSelector,
  type TimeSpec,
} from './options.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { kafkaError, listOffsets, listOffsetsVersion, topicMetadata } from '../cluster/admin.js'
import { withClient } from '../cluster/connect.js'

interface OffsetsRequest {
  selector: PartitionSelector
  time: TimeSpec
  excludeInternal: boolean
}

interface PartitionOffset {
  topic: string
  partition: number
  offset: number
  /** The record timestamp ListOffsets returned (timestamp and max-timestamp lookups), else null. */
  timestamp: number | null
}

export interface OffsetsResult {
  time: string
  offsets: PartitionOffset[]
  /** Partitions that answered with an error (the script prints "Skip getting offsets ..." for them). */
  skipped: Array<{ topic: string; partition: number; error: string }>
}

export async function getOffsets(
  settings: ConnectionSettings,
  request: OffsetsRequest,
  reporter?: Reporter,
): Promise<OffsetsResult> {
  return withClient(settings, { reporter }, async (client) => {
    // One Metadata request for every topic: the names and their partitions' leaders.
    const topics = (await topicMetadata(client, null)).filter(
      (t) =>
        t.errorCode === 0 &&
        topicSelected(request.selector, t.name) &&
        !(request.excludeInternal && isInternalTopic(t.name)),
    )
    const targets = topics.flatMap((t) =>
      t.partitions
        .filter((p) => partitionSelected(request.selector, t.name, p.partition))
        .map((p) => ({ topic: t.name, partition: p.partition, leader: p.leader })),
    )
    if (targets.length === 0) {
      throw new KafkitError('Could not match any topic-partitions with the specified filters.', {
        code: 'NO_MATCH',
        suggestions: ['kafkit topics --list'],
      })
    }

    const supported = await listOffsetsVersion(client)
    if (supported < request.time.minVersion) {
      throw new KafkitError(
        `--time ${request.time.name} needs ListOffsets v${request.time.minVersion}, and this cluster supports up to v${supported}.`,
        {
          code: 'UNSUPPORTED_BY_BROKER',
          suggestions: ['max-timestamp needs Kafka 3.0+, earliest-local 3.6+, latest-tiered 3.9+.'],
        },
      )
    }

    const skipped: OffsetsResult['skipped'] = []
    const byLeader = new Map<number, Array<{ topic: string; partition: number }>>()
    for (const t of targets) {
      if (t.leader < 0) {
        skipped.push({
          topic: t.topic,
          partition: t.partition,
          error: 'There is no leader for this topic-partition as we are in the middle of a leadership election.',
        })
        continue
      }
      byLeader.set(t.leader, [...(byLeader.get(t.leader) ?? []), { topic: t.topic, partition: t.partition }])
    }
    const responses = await Promise.all(
      [...byLeader].map(([leader, partitions]) => listOffsets(client, leader, partitions, request.time.timestamp)),
    )
    const offsets: PartitionOffset[] = []
    for (const r of responses.flat()) {
      if (r.errorCode !== 0) {
        skipped.push({ topic: r.topic, partition: r.partition, error: kafkaError(r.errorCode).message })
        continue
      }
      // -1 is "no offset" (no record at or after the timestamp): the script leaves the partition out.
      if (r.offset < 0n) continue
      offsets.push({
        topic: r.topic,
        partition: r.partition,
        offset: Number(r.offset),
        timestamp: r.timestamp >= 0n ? Number(r.timestamp) : null,
      })
    }
    for (const s of skipped.sort(compareTopicPartitions))
      reporter?.warn(`Skip getting offsets for topic-partition ${s.topic}-${s.partition} due to error: ${s.error}`)
    return {
      time: request.time.name === 'timestamp' ? String(request.time.timestamp) : request.time.name,
      offsets: offsets.sort(compareTopicPartitions),
      skipped,
    }
  })
}
