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
  'errors.deadletterqueue.group.enable': 'false',
  'file.delete.delay.ms': '60000',
  'flush.messages': MAX_LONG,
  'flush.ms': MAX_LONG,
  'follower.replication.throttled.replicas': '',
  'index.interval.bytes': '4096',
  'leader.replication.throttled.replicas': '',
  'local.retention.bytes': '-2',
  'local.retention.ms': '-2',
  'max.compaction.lag.ms': MAX_LONG,
  'max.decompressed.message.bytes': '2147483639',
  'max.message.bytes': '1048588',
  'message.timestamp.after.max.ms': '3600000',
  'message.timestamp.before.max.ms': MAX_LONG,
  'message.timestamp.type': 'CreateTime',
  'min.cleanable.dirty.ratio': '0.5',
  'min.compaction.lag.ms': '0',
  'min.insync.replicas': '1',
  preallocate: 'false',
  'remote.copy.lag.bytes': '-1',
  'remote.copy.lag.ms': '0',
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

/**
 * The order Kafka 4.4 answers a topic's DescribeConfigs in (its LogConfig HashMap's), which kafka-topics --describe
 * and kafka-configs --describe print as received: kafkit's views print it as received too, so the broker gives it.
 */
export const TOPIC_CONFIG_ORDER: readonly string[] = [
  'compression.type',
  'errors.deadletterqueue.group.enable',
  'remote.copy.lag.bytes',
  'remote.log.delete.on.disable',
  'leader.replication.throttled.replicas',
  'remote.storage.enable',
  'min.insync.replicas',
  'segment.jitter.ms',
  'remote.log.copy.disable',
  'local.retention.ms',
  'cleanup.policy',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'compression.lz4.level',
  'segment.bytes',
  'retention.ms',
  'compression.gzip.level',
  'remote.copy.lag.ms',
  'flush.messages',
  'compression.zstd.level',
  'max.compaction.lag.ms',
  'file.delete.delay.ms',
  'max.message.bytes',
  'min.compaction.lag.ms',
  'message.timestamp.type',
  'local.retention.bytes',
  'preallocate',
  'index.interval.bytes',
  'min.cleanable.dirty.ratio',
  'unclean.leader.election.enable',
  'retention.bytes',
  'delete.retention.ms',
  'message.timestamp.after.max.ms',
  'max.decompressed.message.bytes',
  'message.timestamp.before.max.ms',
  'segment.ms',
  'segment.index.bytes',
]

/**
 * The broker config Kafka 4.4 names as the DEFAULT_CONFIG synonym of a topic config set on the topic (what
 * kafka-configs --describe prints in `synonyms={...}`); keys absent here get none (Kafka lists none for them either).
 */
export const TOPIC_CONFIG_BROKER_SYNONYMS: Readonly<Record<string, string>> = {
  'compression.type': 'compression.type',
  'min.insync.replicas': 'min.insync.replicas',
  'cleanup.policy': 'log.cleanup.policy',
  'compression.lz4.level': 'compression.lz4.level',
  'segment.bytes': 'log.segment.bytes',
  'compression.gzip.level': 'compression.gzip.level',
  'flush.messages': 'log.flush.interval.messages',
  'compression.zstd.level': 'compression.zstd.level',
  'max.compaction.lag.ms': 'log.cleaner.max.compaction.lag.ms',
  'file.delete.delay.ms': 'log.segment.delete.delay.ms',
  'max.message.bytes': 'message.max.bytes',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
  'message.timestamp.type': 'log.message.timestamp.type',
  preallocate: 'log.preallocate',
  'index.interval.bytes': 'log.index.interval.bytes',
  'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
  'retention.bytes': 'log.retention.bytes',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'message.timestamp.after.max.ms': 'log.message.timestamp.after.max.ms',
  'max.decompressed.message.bytes': 'max.decompressed.message.bytes',
  'message.timestamp.before.max.ms': 'log.message.timestamp.before.max.ms',
  'segment.index.bytes': 'log.index.size.max.bytes',
}

const LIST_KEYS = new Set([
  'cleanup.policy',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
])
const BOOLEAN_KEYS = new Set([
  'errors.deadletterqueue.group.enable',
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
