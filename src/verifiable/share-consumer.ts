/**
 * `kafkit verifiable-share-consumer` (kafka-verifiable-share-consumer.sh, org.apache.kafka.tools.VerifiableShareConsumer
 * 4.4): a share group member on one topic (kafkit's own share consumer, cluster/share-consume.ts) that prints the
 * Java tool's JSON events: startup_complete, offset_reset_strategy_set (--offset-reset-strategy), record_data
 * (--verbose), records_consumed, offsets_acknowledged, shutdown_complete and shutdown_requested.
 */
import type { ShareConsumeControl, ShareConsumeEvents } from '../cluster/share-consume.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { eventLine } from './producer.js'

export interface VerifiableShareConsumerOptions {
  connection: ConnectionSettings
  topic: string
  groupId: string
  /** -1: until stopped. */
  maxMessages: number
  verbose: boolean
  acknowledgementMode: 'auto' | 'sync' | 'async'
  offsetResetStrategy: string
  reporter: Reporter
  debug: boolean
}

export interface VerifiableShareConsumerResult {
  topic: string
  groupId: string
  consumed: number
  acknowledged: number
  stopped: boolean
}

export interface ShareConsumerControl {
  stop(): void
}

type PartitionOffsets = Array<{ partition: number; offsets: bigint[] }>

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'))

/** The event lines of one delivery: record_data per record (verbose), then records_consumed. */
export function recordsEvents(
  topic: string,
  partition: number,
  records: Array<{ offset: bigint; key: Buffer | null; value: Buffer | null }>,
  verbose: boolean,
  now = Date.now(),
): string[] {
  const lines = verbose
    ? records.map((r) =>
        eventLine(
          'record_data',
          { key: text(r.key), value: text(r.value), topic, partition, offset: Number(r.offset) },
          now,
        ),
      )
    : []
  const offsets = records.map((r) => Number(r.offset)).sort((a, b) => a - b)
  lines.push(
    eventLine(
      'records_consumed',
      { count: records.length, partitions: [{ topic, partition, count: offsets.length, offsets }] },
      now,
    ),
  )
  return lines
}

/**
 * offsets_acknowledged: the offsets in the order the Java client's callback hands them (newest first), `error` only
 * when the acknowledgement failed.
 */
export function acknowledgedEvent(
  topic: string,
  partitions: PartitionOffsets,
  error?: string,
  now = Date.now(),
): string {
  const rows = partitions.map(({ partition, offsets }) => {
    const sorted = [...new Set(offsets.map(Number))].sort((a, b) => b - a)
    return { topic, partition, count: sorted.length, offsets: sorted }
  })
  const count = rows.reduce((sum, r) => sum + r.count, 0)
  return eventLine(
    'offsets_acknowledged',
    { count, partitions: rows, ...(error !== undefined ? { error } : {}), success: error === undefined },
    now,
  )
}

export async function runVerifiableShareConsumer(
  options: VerifiableShareConsumerOptions,
  print: (line: string) => void,
  control?: (c: ShareConsumerControl) => void,
): Promise<VerifiableShareConsumerResult> {
  const [{ shareConsume }, { withClient }, { alterConfigs, ResourceType, ConfigOperation }, { JsonFormatter }] =
    await Promise.all([
      import('../cluster/share-consume.js'),
      import('../cluster/connect.js'),
      import('../cluster/admin.js'),
      import('../records/formatter.js'),
    ])
  const { shareConsumerSettings } = await import('../records/share-options.js')
  // --group-id wins over a group.id in --command-config, as the Java tool puts it last.
  const properties = { ...options.connection.properties }
  delete properties['group.id']
  const settings = shareConsumerSettings(
    {
      topic: options.topic,
      group: options.groupId,
      ...(options.maxMessages >= 0 ? { 'max-messages': options.maxMessages } : {}),
    },
    properties,
  )
  let stopped = false
  let consumer: ShareConsumeControl | undefined
  let acknowledged = 0
  control?.({
    stop: () => {
      if (stopped) return
      stopped = true
      // The Java tool's shutdown hook prints this before it wakes the consumer up.
      print(eventLine('shutdown_requested'))
      consumer?.stop()
    },
  })
  print(eventLine('startup_complete'))
  if (options.offsetResetStrategy !== '') {
    await withClient(options.connection, options.debug ? { reporter: options.reporter } : {}, async (client) => {
      const result = await alterConfigs(client, 'any', { type: ResourceType.group, name: options.groupId }, [
        { name: 'share.auto.offset.reset', operation: ConfigOperation.set, value: options.offsetResetStrategy },
      ])
      if (result.errorCode !== 0)
        throw new KafkitError(
          `Setting share.auto.offset.reset of group ${options.groupId} failed: ${result.errorMessage ?? `error ${result.errorCode}`}`,
          { code: 'ALTER_CONFIG_FAILED' },
        )
    })
    print(eventLine('offset_reset_strategy_set', { offsetResetStrategy: options.offsetResetStrategy.split(':')[0] }))
  }
  const events: ShareConsumeEvents = {
    records: (partition, records) => {
      for (const line of recordsEvents(options.topic, partition, records, options.verbose)) print(line)
    },
    acknowledged: (partitions, error) => {
      print(acknowledgedEvent(options.topic, partitions, error))
      if (error === undefined) acknowledged += partitions.reduce((sum, p) => sum + p.offsets.length, 0)
    },
  }
  const result = await shareConsume(
    {
      connection: options.connection,
      ...settings,
      formatter: new JsonFormatter(),
      output: process.stdout,
      reporter: options.reporter,
      events,
    },
    (c) => {
      consumer = c
      if (stopped) c.stop()
    },
  )
  print(eventLine('shutdown_complete'))
  // After --max-messages the Java tool's shutdown hook runs at exit and prints this last.
  if (!stopped) print(eventLine('shutdown_requested'))
  return { topic: options.topic, groupId: options.groupId, consumed: result.records, acknowledged, stopped }
}
