/**
 * The one hand-encoded Kafka request still sent over kafkajs's connections: Metadata v10+ for the topic
 * auto-creation of the console producer and consumer (./auto-create.ts), which run on kafkajs. Every other request
 * uses the generated codec (../../protocol/) through kafkit's own client.
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
  Metadata: 3,
} as const

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
