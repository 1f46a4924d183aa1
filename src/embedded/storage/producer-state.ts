/**
 * Idempotent producers' state for one partition, as Kafka's ProducerStateManager keeps it: per producer id the epoch
 * and the metadata of its last five batches (the most a producer has in flight), so a retried batch is found and
 * answered with its first offsets instead of being written twice. Rebuilt from the log's batch headers on open.
 */
import { BrokerError } from '../contracts.js'
import { ERRORS } from './errors.js'

/** ProducerStateEntry.NUM_BATCHES_TO_RETAIN, which is also max.in.flight.requests.per.connection's limit. */
const BATCHES_TO_RETAIN = 5

export interface BatchMetadata {
  firstSeq: number
  lastSeq: number
  firstOffset: number
  lastOffset: number
  /** The batch's max timestamp as written (the append time for LogAppendTime topics). */
  timestamp: number
}

interface ProducerEntry {
  epoch: number
  batches: BatchMetadata[]
}

export class ProducerState {
  private readonly producers = new Map<bigint, ProducerEntry>()

  /** The earlier append of this very batch (same epoch, same sequence range), if it is still remembered. */
  findDuplicate(producerId: bigint, epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    const entry = this.producers.get(producerId)
    if (entry?.epoch !== epoch) return undefined
    return entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq)
  }

  /** ProducerAppendInfo's checks for a client's batch (checkProducerEpoch, then checkSequence). */
  validate(producerId: bigint, epoch: number, firstSeq: number): void {
    const entry = this.producers.get(producerId)
    // No entry: a new producer, or one whose batches retention or DeleteRecords removed; Kafka accepts any sequence.
    if (entry === undefined) return
    if (epoch < entry.epoch)
      throw new BrokerError(
        ERRORS.INVALID_PRODUCER_EPOCH,
        `Epoch of producer ${producerId} is ${epoch}, which is smaller than the last seen epoch ${entry.epoch}`,
      )
    if (epoch !== entry.epoch) {
      if (firstSeq !== 0)
        throw new BrokerError(
          ERRORS.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `Invalid sequence number for new epoch of producer ${producerId}: ${epoch} (request epoch), ${firstSeq} (seq. number), ${entry.epoch} (current producer epoch)`,
        )
      return
    }
    const lastSeq = entry.batches.length === 0 ? -1 : entry.batches[entry.batches.length - 1]!.lastSeq
    const inSequence = firstSeq === lastSeq + 1 || (firstSeq === 0 && lastSeq === 0x7fffffff)
    if (!inSequence)
      throw new BrokerError(
        ERRORS.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Out of order sequence number for producer ${producerId}: ${firstSeq} (incoming seq. number), ${lastSeq} (current end sequence number)`,
      )
  }

  /** Records an appended batch (also replays the log on open, unchecked, as Kafka's recovery does). */
  update(producerId: bigint, epoch: number, batch: BatchMetadata): void {
    let entry = this.producers.get(producerId)
    if (entry === undefined) {
      entry = { epoch, batches: [] }
      this.producers.set(producerId, entry)
    } else if (entry.epoch !== epoch) {
      entry.epoch = epoch
      entry.batches = []
    }
    entry.batches.push(batch)
    if (entry.batches.length > BATCHES_TO_RETAIN) entry.batches.shift()
  }

  clear(): void {
    this.producers.clear()
  }
}
