/**
 * Records as the console tools see them, independent of the client library: bytes stay Buffers (never
 * decoded unless a format asks for text), null stays null, headers keep their order and duplicates.
 */

export type Bytes = Buffer | null

export interface Header {
  key: string
  value: Bytes
}

/** A record read from input (a line or a JSON object), ready to be produced. */
export interface OutgoingRecord {
  key: Bytes
  value: Bytes
  headers: Header[]
  /** Explicit partition (from --partition or the JSON input); otherwise the partitioner decides. */
  partition?: number
  /** CreateTime in ms; otherwise the producer stamps the send time. */
  timestamp?: number
}

type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NO_TIMESTAMP'

/** A record read from Kafka, as the formatters print it. */
export interface IncomingRecord {
  topic: string
  partition: number
  /** int64 as a decimal string (kafkajs's representation); exact beyond 2^53. */
  offset: string
  timestamp: string
  timestampType: TimestampType
  key: Bytes
  value: Bytes
  headers: Header[]
  /** Share groups: how many times the record was delivered (ShareFetch's acquired records), printed by print.delivery. */
  deliveryCount?: number
  /** Share groups: the batch's partition leader epoch, printed by print.epoch. */
  leaderEpoch?: number
}
