/**
 * Where the fields of a record batch (magic v2, Kafka's DefaultRecordBatch) lie, shared by the readers of segment
 * files (dump-log) and the embedded broker's storage, which both work on headers without decoding the records.
 */

/** baseOffset (8) and batchLength (4) precede what batchLength counts. */
export const LOG_OVERHEAD = 12
export const BASE_OFFSET = 0
export const BATCH_LENGTH = 8
export const PARTITION_LEADER_EPOCH = 12
export const MAGIC = 16
export const CRC = 17
/** The CRC-32C covers everything from the attributes to the end of the batch. */
export const ATTRIBUTES = 21
export const LAST_OFFSET_DELTA = 23
export const BASE_TIMESTAMP = 27
export const MAX_TIMESTAMP = 35
export const PRODUCER_ID = 43
export const PRODUCER_EPOCH = 51
export const BASE_SEQUENCE = 53
export const RECORDS_COUNT = 57
/** The whole v2 header: a batch is never shorter (DefaultRecordBatch.RECORD_BATCH_OVERHEAD). */
export const V2_HEADER = 61
/** Bytes up to and including the magic byte (Records.HEADER_SIZE_UP_TO_MAGIC). */
export const HEADER_SIZE_UP_TO_MAGIC = 17
/** LegacyRecord.RECORD_OVERHEAD_V0: the smallest size Kafka's batch readers accept before they look at the magic. */
export const MIN_RECORD_OVERHEAD = 14

export const ATTR_COMPRESSION = 0x07
export const ATTR_LOG_APPEND_TIME = 0x08
export const ATTR_TRANSACTIONAL = 0x10
export const ATTR_CONTROL = 0x20

/** Kafka's sequence arithmetic: sequences wrap at Integer.MAX_VALUE to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > 0x7fffffff - increment ? increment - (0x7fffffff - sequence) - 1 : sequence + increment
}

export function decrementSequence(sequence: number, decrement: number): number {
  return sequence < decrement ? 0x7fffffff - (decrement - sequence) + 1 : sequence - decrement
}
