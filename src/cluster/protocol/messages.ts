/**
 * The Kafka requests kafkit sends itself because kafkajs 2.x cannot: DescribeTopicPartitions (topic ids and
 * eligible leader replicas, as `kafka-topics --describe` shows them), ListOffsets v1-v10 (max-timestamp and
 * read-uncommitted offsets, as `kafka-get-offsets` returns them), DescribeConfigs with the empty broker name
 * (cluster-wide broker defaults), IncrementalAlterConfigs (what `kafka-configs --alter` sends) and OffsetDelete
 * (`kafka-consumer-groups --delete-offsets`; kafkajs has no such call).
 * Field layouts follow the schemas in Kafka's clients/src/main/resources/common/message/*.json. Pure.
 */
import { Reader, Writer } from './codec.js'

export interface ApiCall<T> {
  apiKey: number
  apiName: string
  version: number
  flexible: boolean
  body: Buffer
  decode(reader: Reader): T
}

export const ApiKey = {
  ListOffsets: 2,
  Metadata: 3,
  DescribeConfigs: 32,
  IncrementalAlterConfigs: 44,
  OffsetDelete: 47,
  DescribeTopicPartitions: 75,
} as const

/** Java's ConfigResource.Type ids. */
export const ResourceType = { topic: 2, broker: 4 } as const

/** Java's ConfigEntry.ConfigSource names, by the id the protocol carries. */
const CONFIG_SOURCES: Record<number, string> = {
  0: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
}

export function configSourceName(id: number): string {
  return CONFIG_SOURCES[id] ?? 'UNKNOWN'
}

// ---------------------------------------------------------------- DescribeTopicPartitions (v0, flexible)

interface PartitionInfo {
  errorCode: number
  partition: number
  leader: number
  leaderEpoch: number
  replicas: number[]
  isr: number[]
  /** null when the broker did not report ELR (the script then prints "N/A"). */
  elr: number[] | null
  lastKnownElr: number[] | null
  offlineReplicas: number[]
}

export interface TopicPartitionsInfo {
  errorCode: number
  name: string
  topicId: string
  isInternal: boolean
  partitions: PartitionInfo[]
}

export interface DescribeTopicPartitionsResult {
  topics: TopicPartitionsInfo[]
  nextCursor: { topic: string; partition: number } | null
}

export function describeTopicPartitions(
  topics: string[],
  cursor: { topic: string; partition: number } | null,
  limit = 2000,
): ApiCall<DescribeTopicPartitionsResult> {
  const w = new Writer(true)
  w.array(topics, (x, name) => x.string(name).tags())
  w.int32(limit)
  // A nullable struct is one signed byte: -1 for null, 1 for present.
  if (cursor) w.int8(1).string(cursor.topic).int32(cursor.partition).tags()
  else w.int8(-1)
  w.tags()
  return {
    apiKey: ApiKey.DescribeTopicPartitions,
    apiName: 'DescribeTopicPartitions',
    version: 0,
    flexible: true,
    body: w.bytes(),
    decode(r) {
      r.int32() // throttle time
      const int32s = (x: Reader) => x.int32()
      const parsed =
        r.array((t) => {
          const topic: TopicPartitionsInfo = {
            errorCode: t.int16(),
            name: t.string() ?? '',
            topicId: t.uuid(),
            isInternal: t.bool(),
            partitions:
              t.array((p) => {
                const info: PartitionInfo = {
                  errorCode: p.int16(),
                  partition: p.int32(),
                  leader: p.int32(),
                  leaderEpoch: p.int32(),
                  replicas: p.array(int32s) ?? [],
                  isr: p.array(int32s) ?? [],
                  elr: p.array(int32s),
                  lastKnownElr: p.array(int32s),
                  offlineReplicas: p.array(int32s) ?? [],
                }
                p.tags()
                return info
              }) ?? [],
          }
          t.int32() // authorized operations
          t.tags()
          return topic
        }) ?? []
      let nextCursor: DescribeTopicPartitionsResult['nextCursor'] = null
      if (r.int8() >= 0) {
        nextCursor = { topic: r.string() ?? '', partition: r.int32() }
        r.tags()
      }
      r.tags()
      return { topics: parsed, nextCursor }
    },
  }
}

// ---------------------------------------------------------------- Metadata (v10-v12, flexible)

/**
 * Metadata from v10 on carries topic ids (kafkajs stops at v6): for brokers without DescribeTopicPartitions
 * (ZooKeeper mode, KRaft before 3.8), which is where the Java tool gets them from too. No ELR here.
 */
export function metadata(
  version: number,
  topics: string[],
  allowAutoTopicCreation = false,
): ApiCall<TopicPartitionsInfo[]> {
  const w = new Writer(true)
  w.array(topics, (x, name) => {
    for (let i = 0; i < 16; i++) x.int8(0) // topic id: zero, we ask by name
    x.string(name).tags()
  })
  w.bool(allowAutoTopicCreation)
  if (version <= 10) w.bool(false) // include cluster authorized operations (v8-v10)
  w.bool(false) // include topic authorized operations
  w.tags()
  return {
    apiKey: ApiKey.Metadata,
    apiName: 'Metadata',
    version,
    flexible: true,
    body: w.bytes(),
    decode(r) {
      r.int32() // throttle time
      r.array((b) => {
        b.int32()
        b.string()
        b.int32()
        b.string()
        b.tags()
      })
      r.string() // cluster id
      r.int32() // controller id
      const int32s = (x: Reader) => x.int32()
      const result =
        r.array((t) => {
          const topic: TopicPartitionsInfo = {
            errorCode: t.int16(),
            name: t.string() ?? '',
            topicId: t.uuid(),
            isInternal: t.bool(),
            partitions:
              t.array((p) => {
                const info: PartitionInfo = {
                  errorCode: p.int16(),
                  partition: p.int32(),
                  leader: p.int32(),
                  leaderEpoch: p.int32(),
                  replicas: p.array(int32s) ?? [],
                  isr: p.array(int32s) ?? [],
                  elr: null,
                  lastKnownElr: null,
                  offlineReplicas: p.array(int32s) ?? [],
                }
                p.tags()
                return info
              }) ?? [],
          }
          t.int32() // topic authorized operations
          t.tags()
          return topic
        }) ?? []
      if (version <= 10) r.int32() // cluster authorized operations
      r.tags()
      return result
    },
  }
}

// ---------------------------------------------------------------- ListOffsets (v1-v10)

export const LIST_OFFSETS_MAX_VERSION = 10

interface ListOffsetsPartitionResult {
  topic: string
  partition: number
  errorCode: number
  timestamp: bigint
  offset: bigint
}

export function listOffsets(
  version: number,
  partitions: Array<{ topic: string; partition: number }>,
  timestamp: bigint,
  isolationLevel: 0 | 1 = 0,
): ApiCall<ListOffsetsPartitionResult[]> {
  const flexible = version >= 6
  const byTopic = new Map<string, number[]>()
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
  const w = new Writer(flexible)
  w.int32(-1) // replica id: a consumer, not a follower
  if (version >= 2) w.int8(isolationLevel)
  w.array([...byTopic], (x, [topic, ids]) => {
    x.string(topic)
    x.array(ids, (y, partition) => {
      y.int32(partition)
      if (version >= 4) y.int32(-1) // current leader epoch: unknown
      y.int64(timestamp)
      y.tags()
    })
    x.tags()
  })
  if (version >= 10) w.int32(30_000) // timeout for offsets served from remote storage
  w.tags()
  return {
    apiKey: ApiKey.ListOffsets,
    apiName: 'ListOffsets',
    version,
    flexible,
    body: w.bytes(),
    decode(r) {
      if (version >= 2) r.int32() // throttle time
      const results: ListOffsetsPartitionResult[] = []
      r.array((t) => {
        const topic = t.string() ?? ''
        t.array((p) => {
          const partition = p.int32()
          const errorCode = p.int16()
          const ts = p.int64()
          const offset = p.int64()
          if (version >= 4) p.int32() // leader epoch
          p.tags()
          results.push({ topic, partition, errorCode, timestamp: ts, offset })
        })
        t.tags()
      })
      r.tags()
      return results
    },
  }
}

// ---------------------------------------------------------------- DescribeConfigs (v1-v4)

interface ConfigSynonym {
  name: string
  value: string | null
  source: number
}

interface ConfigEntryInfo {
  name: string
  value: string | null
  readOnly: boolean
  source: number
  sensitive: boolean
  synonyms: ConfigSynonym[]
}

interface DescribeConfigsResourceResult {
  errorCode: number
  errorMessage: string | null
  resourceType: number
  resourceName: string
  configs: ConfigEntryInfo[]
}

export function describeConfigs(
  version: number,
  resources: Array<{ type: number; name: string }>,
  includeSynonyms: boolean,
): ApiCall<DescribeConfigsResourceResult[]> {
  const flexible = version >= 4
  const w = new Writer(flexible)
  w.array(resources, (x, resource) =>
    x
      .int8(resource.type)
      .string(resource.name)
      .array(null, () => {})
      .tags(),
  )
  w.bool(includeSynonyms)
  if (version >= 3) w.bool(false) // documentation
  w.tags()
  return {
    apiKey: ApiKey.DescribeConfigs,
    apiName: 'DescribeConfigs',
    version,
    flexible,
    body: w.bytes(),
    decode(r) {
      r.int32()
      const results =
        r.array((x) => {
          const result: DescribeConfigsResourceResult = {
            errorCode: x.int16(),
            errorMessage: x.string(),
            resourceType: x.int8(),
            resourceName: x.string() ?? '',
            configs:
              x.array((c) => {
                const entry: ConfigEntryInfo = {
                  name: c.string() ?? '',
                  value: c.string(),
                  readOnly: c.bool(),
                  source: c.int8(),
                  sensitive: c.bool(),
                  synonyms:
                    c.array((s) => {
                      const synonym = { name: s.string() ?? '', value: s.string(), source: s.int8() }
                      s.tags()
                      return synonym
                    }) ?? [],
                }
                if (version >= 3) {
                  c.int8()
                  c.string()
                }
                c.tags()
                return entry
              }) ?? [],
          }
          x.tags()
          return result
        }) ?? []
      r.tags()
      return results
    },
  }
}

// ---------------------------------------------------------------- IncrementalAlterConfigs (v0-v1)

export const ConfigOperation = { set: 0, delete: 1, append: 2, subtract: 3 } as const

interface AlterableConfig {
  name: string
  operation: number
  value: string | null
}

interface AlterConfigsResourceResult {
  errorCode: number
  errorMessage: string | null
  resourceType: number
  resourceName: string
}

export function incrementalAlterConfigs(
  version: number,
  resources: Array<{ type: number; name: string; configs: AlterableConfig[] }>,
  validateOnly = false,
): ApiCall<AlterConfigsResourceResult[]> {
  const flexible = version >= 1
  const w = new Writer(flexible)
  w.array(resources, (x, resource) => {
    x.int8(resource.type).string(resource.name)
    x.array(resource.configs, (y, config) => y.string(config.name).int8(config.operation).string(config.value).tags())
    x.tags()
  })
  w.bool(validateOnly)
  w.tags()
  return {
    apiKey: ApiKey.IncrementalAlterConfigs,
    apiName: 'IncrementalAlterConfigs',
    version,
    flexible,
    body: w.bytes(),
    decode(r) {
      r.int32()
      const results =
        r.array((x) => {
          const result = {
            errorCode: x.int16(),
            errorMessage: x.string(),
            resourceType: x.int8(),
            resourceName: x.string() ?? '',
          }
          x.tags()
          return result
        }) ?? []
      r.tags()
      return results
    },
  }
}

// ---------------------------------------------------------------- OffsetDelete (v0, the only version up to 4.x)

export interface OffsetDeleteResult {
  errorCode: number
  topics: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }>
}

/**
 * request  => group_id [topics => name [partitions => partition_index]]
 * response => error_code throttle_time_ms [topics => name [partitions => partition_index error_code]]
 */
export function offsetDelete(
  groupId: string,
  topics: Array<{ topic: string; partitions: number[] }>,
): ApiCall<OffsetDeleteResult> {
  const w = new Writer(false)
  w.string(groupId)
  w.array(topics, (x, t) => x.string(t.topic).array(t.partitions, (y, p) => y.int32(p)))
  return {
    apiKey: ApiKey.OffsetDelete,
    apiName: 'OffsetDelete',
    version: 0,
    flexible: false,
    body: w.bytes(),
    decode(r) {
      const errorCode = r.int16()
      r.int32() // throttle_time_ms
      const decoded =
        r.array((x) => ({
          topic: x.string() ?? '',
          partitions: x.array((y) => ({ partition: y.int32(), errorCode: y.int16() })) ?? [],
        })) ?? []
      return { errorCode, topics: decoded }
    },
  }
}
