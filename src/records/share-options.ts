/**
 * The console share consumer's rules (kafka-console-share-consumer.sh 4.x), pure: flag checks, the consumer
 * properties that apply to a share consumer, and the acknowledgements a ShareFetch/ShareAcknowledge carries.
 */
import { UsageError } from '../errors.js'

/** ShareFetch/ShareAcknowledge acknowledge types (KIP-932): 0 Gap, 1 Accept, 2 Release, 3 Reject. */
export const AckType = { gap: 0, accept: 1, release: 2, reject: 3 } as const
export type AckTypeName = keyof typeof AckType

/** The script's default group and client id. */
export const DEFAULT_SHARE_GROUP = 'console-share-consumer'

export interface ShareConsumerFlagValues {
  topic?: string
  group?: string
  release?: boolean
  reject?: boolean
  'reject-message-on-error'?: boolean
  'max-messages'?: number
  'timeout-ms'?: number
}

export interface ShareConsumerSettings {
  topic: string
  group: string
  clientId: string
  /** How every printed record is acknowledged. */
  acknowledge: 'accept' | 'release' | 'reject'
  rejectOnError: boolean
  maxMessages?: number
  timeoutMs?: number
  /** max.poll.records: the most records one ShareFetch asks for. */
  maxRecords: number
  /** fetch.max.wait.ms, fetch.min.bytes, fetch.max.bytes. */
  maxWaitMs: number
  minBytes: number
  maxBytes: number
}

function intProperty(properties: Record<string, string>, key: string, fallback: number, min: number): number {
  const raw = properties[key]
  if (raw === undefined) return fallback
  const value = Number(raw.trim())
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`Invalid value ${raw} for configuration ${key}: expected an integer >= ${min}.`, {
      code: 'BAD_PROPERTY',
    })
  return value
}

export function shareConsumerSettings(
  flags: ShareConsumerFlagValues,
  properties: Record<string, string>,
): ShareConsumerSettings {
  if (flags.topic === undefined)
    throw new UsageError('Missing required argument "[topic]": give --topic NAME (or the topic as the argument).', {
      code: 'MISSING_TOPIC',
    })
  if (flags.release && flags.reject)
    throw new UsageError('At most one of --reject and --release may be specified.', { code: 'CONFLICTING_FLAGS' })
  const groups = new Set([flags.group, properties['group.id']].filter((g): g is string => g !== undefined))
  if (groups.size > 1) {
    throw new UsageError(
      `The group ids provided in different places (--group, group.id) do not match: ${[...groups].map((g) => `'${g}'`).join(', ')}.`,
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  if (flags['max-messages'] !== undefined && flags['max-messages'] < 0)
    throw new UsageError('--max-messages must not be negative.', { code: 'BAD_FLAG' })
  const mode = properties['share.acknowledgement.mode']?.trim().toLowerCase()
  if (mode !== undefined && mode !== 'implicit' && mode !== 'explicit')
    throw new UsageError(
      `Invalid value ${properties['share.acknowledgement.mode']} for configuration share.acknowledgement.mode: expected implicit or explicit.`,
      { code: 'BAD_PROPERTY' },
    )
  return {
    topic: flags.topic,
    group: [...groups][0] ?? DEFAULT_SHARE_GROUP,
    clientId: properties['client.id'] ?? DEFAULT_SHARE_GROUP,
    acknowledge: flags.reject ? 'reject' : flags.release ? 'release' : 'accept',
    rejectOnError: Boolean(flags['reject-message-on-error']),
    ...(flags['max-messages'] === undefined ? {} : { maxMessages: flags['max-messages'] }),
    // The script: a negative --timeout-ms means no timeout.
    ...(flags['timeout-ms'] === undefined || flags['timeout-ms'] < 0 ? {} : { timeoutMs: flags['timeout-ms'] }),
    maxRecords: intProperty(properties, 'max.poll.records', 500, 1),
    maxWaitMs: intProperty(properties, 'fetch.max.wait.ms', 500, 0),
    minBytes: intProperty(properties, 'fetch.min.bytes', 1, 0),
    maxBytes: intProperty(properties, 'fetch.max.bytes', 52_428_800, 0),
  }
}

/** Consumer properties kafkit's share consumer does not use (named in a warning). */
export function ignoredShareProperties(properties: Record<string, string>): string[] {
  const used = new Set([
    'group.id',
    'client.id',
    'max.poll.records',
    'fetch.max.wait.ms',
    'fetch.min.bytes',
    'fetch.max.bytes',
    'share.acknowledgement.mode',
  ])
  return Object.keys(properties).filter(
    (key) =>
      !used.has(key) &&
      !/^(security\.protocol|sasl\.|ssl\.|bootstrap\.servers|key\.deserializer|value\.deserializer)/.test(key),
  )
}

export interface AckBatch {
  firstOffset: bigint
  lastOffset: bigint
  /** One type for the whole range, or one per offset. */
  acknowledgeTypes: number[]
}

/**
 * Acknowledgements as ShareFetch/ShareAcknowledge take them: offsets in ascending order, runs of consecutive offsets
 * with the same type folded into one batch with a single type.
 */
export function ackBatches(acks: ReadonlyArray<{ offset: bigint; type: number }>): AckBatch[] {
  const sorted = [...acks].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0))
  const batches: AckBatch[] = []
  for (const { offset, type } of sorted) {
    const last = batches[batches.length - 1]
    if (last && last.lastOffset + 1n === offset && last.acknowledgeTypes[0] === type) last.lastOffset = offset
    else batches.push({ firstOffset: offset, lastOffset: offset, acknowledgeTypes: [type] })
  }
  return batches
}

/** Every offset of the acquired ranges of a ShareFetch partition, with its delivery count, in ascending order. */
export function acquiredOffsets(
  ranges: ReadonlyArray<{ firstOffset: bigint; lastOffset: bigint; deliveryCount: number }>,
): Map<bigint, number> {
  const offsets = new Map<bigint, number>()
  const sorted = [...ranges].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
  for (const range of sorted)
    for (let offset = range.firstOffset; offset <= range.lastOffset; offset++) offsets.set(offset, range.deliveryCount)
  return offsets
}
