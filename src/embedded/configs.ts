/**
 * Topic and broker configs as the embedded broker knows them: Kafka 4.x's topic-level keys with their defaults (so
 * kafka-configs --describe --all and kafka-topics --describe read like Kafka's), validation of set values, and the
 * LogConfig the storage reads.
 */
import { BrokerError, type LogConfig } from './contracts.js'

export const INVALID_CONFIG = 40

const MAX_LONG = '9223372036854775807'

/** Kafka 4.x topic configs (LogConfig) and their defaults with a broker's default server.properties. */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'compression.gzip.level': '-1',
  'compression.lz4.level': '9',
  'compression.type': 'producer',
  'compression.zstd.level': '3',
  'delete.retention.ms': '86400000',
  'file.delete.delay.ms': '60000',
  'flush.messages': MAX_LONG,
  'flush.ms': MAX_LONG,
  'follower.replication.throttled.replicas': '',
  'index.interval.bytes': '4096',
  'leader.replication.throttled.replicas': '',
  'local.retention.bytes': '-2',
  'local.retention.ms': '-2',
  'max.compaction.lag.ms': MAX_LONG,
  'max.message.bytes': '1048588',
  'message.timestamp.after.max.ms': '3600000',
  'message.timestamp.before.max.ms': MAX_LONG,
  'message.timestamp.type': 'CreateTime',
  'min.cleanable.dirty.ratio': '0.5',
  'min.compaction.lag.ms': '0',
  'min.insync.replicas': '1',
  preallocate: 'false',
  'remote.log.copy.disable': 'false',
  'remote.log.delete.on.disable': 'false',
  'remote.storage.enable': 'false',
  'retention.bytes': '-1',
  'retention.ms': '604800000',
  'segment.bytes': '1073741824',
  'segment.index.bytes': '10485760',
  'segment.jitter.ms': '0',
  'segment.ms': '604800000',
  'unclean.leader.election.enable': 'false',
}

const LIST_KEYS = new Set([
  'cleanup.policy',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
])
const BOOLEAN_KEYS = new Set([
  'preallocate',
  'remote.log.copy.disable',
  'remote.log.delete.on.disable',
  'remote.storage.enable',
  'unclean.leader.election.enable',
])
const CHOICES: Record<string, string[]> = {
  'cleanup.policy': ['delete', 'compact'],
  'compression.type': ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
  'message.timestamp.type': ['CreateTime', 'LogAppendTime'],
}

export function isListConfig(name: string): boolean {
  return LIST_KEYS.has(name)
}

/** Throws INVALID_CONFIG with Kafka's wording for an unknown key or a value of the wrong type. */
export function validateTopicConfig(name: string, value: string | null): void {
  const fallback = TOPIC_CONFIG_DEFAULTS[name]
  if (fallback === undefined) throw new BrokerError(INVALID_CONFIG, `Unknown topic config name: ${name}`)
  if (value === null) return
  const bad = (): never => {
    throw new BrokerError(INVALID_CONFIG, `Invalid value ${value} for configuration ${name}`)
  }
  if (CHOICES[name]) {
    const values = LIST_KEYS.has(name) ? value.split(',').map((v) => v.trim()) : [value]
    if (values.some((v) => !CHOICES[name]!.includes(v))) bad()
  } else if (BOOLEAN_KEYS.has(name)) {
    if (!/^(true|false)$/i.test(value)) bad()
  } else if (name === 'min.cleanable.dirty.ratio') {
    if (!Number.isFinite(Number(value))) bad()
  } else if (!LIST_KEYS.has(name)) {
    if (!/^-?\d+$/.test(value.trim())) bad()
  }
}

function numberOf(configs: Record<string, string>, name: string): number {
  return Number(configs[name] ?? TOPIC_CONFIG_DEFAULTS[name])
}

/** The storage's view of a topic's configs; the broker keeps one object per topic and updates it in place. */
export function logConfigOf(configs: Record<string, string>): LogConfig {
  return {
    segmentBytes: numberOf(configs, 'segment.bytes'),
    retentionMs: numberOf(configs, 'retention.ms'),
    retentionBytes: numberOf(configs, 'retention.bytes'),
    timestampType:
      (configs['message.timestamp.type'] ?? 'CreateTime') === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    maxMessageBytes: numberOf(configs, 'max.message.bytes'),
  }
}
