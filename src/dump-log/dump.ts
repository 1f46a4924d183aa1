/**
 * DumpLogSegments (Kafka 4.4, org.apache.kafka.tools.DumpLogSegments) in TypeScript: the same walk over each file and
 * the same lines, so scripts that parse the tool's output read kafkit's. stdout gets the dump, stderr the checks'
 * findings (index mismatches, non-consecutive offsets), as the tool prints them.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { KafkitError } from '../errors.js'
import { javaHashMapOrder, javaStringHash } from '../output/java-format.js'
import { decrementSequence } from '../records/batch-layout.js'
import { crc32c } from '../records/crc32c.js'
import {
  batchRecords,
  CorruptRecordError,
  fileBatches,
  loadDecompressors,
  type Decompress,
  type FileBatch,
} from './batches.js'
import { controlRecordText, parserFor, type DecoderName, type Parser } from './parsers.js'

export const INT_MAX = 2_147_483_647

export interface DumpOptions {
  files: string[]
  printDataLog: boolean
  deepIteration: boolean
  verifyIndexOnly: boolean
  indexSanityCheck: boolean
  /** Integer.MAX_VALUE when not given: the tool reports trailing bytes only then. */
  maxBytes: number
  maxMessageSize: number
  decoder: DecoderName
  skipRecordMetadata: boolean
}

export interface DumpSink {
  out(line: string): void
  err(line: string): void
  /** Text without a line end: what the tool has printed of a record when its decoder fails. */
  partial?(text: string): void
}

interface State {
  indexMismatches: Map<string, Map<bigint, bigint>>
  timeIndexErrors: {
    mismatch: Map<string, Array<[bigint, bigint]>>
    outOfOrder: Map<string, Array<[bigint, bigint]>>
    notFound: Map<string, Array<[bigint, bigint]>>
  }
  nonConsecutive: Map<string, Map<bigint, bigint>>
}

const push = <K>(map: Map<string, K>, file: string, make: () => K, add: (k: K) => void) => {
  if (!map.has(file)) map.set(file, make())
  add(map.get(file)!)
}

export async function dumpFiles(options: DumpOptions, sink: DumpSink): Promise<void> {
  const state: State = {
    indexMismatches: new Map(),
    timeIndexErrors: { mismatch: new Map(), outOfOrder: new Map(), notFound: new Map() },
    nonConsecutive: new Map(),
  }
  const parser = await parserFor(options.decoder)
  // The codecs load on first use (src/records/compression.ts): this costs nothing when no batch is compressed.
  const decompress = await loadDecompressors()
  for (const file of options.files) {
    sink.out(`Dumping ${file}`)
    const name = basename(file)
    const suffix = name.includes('.') ? name.slice(name.lastIndexOf('.')) : ''
    switch (suffix) {
      case '.log':
      case '.checkpoint':
        await dumpLog(file, options, state, sink, parser, options.deepIteration ? decompress : undefined)
        break
      case '.index':
        dumpIndex(file, options, state, sink)
        break
      case '.timeindex':
        dumpTimeIndex(file, options, state, sink, decompress)
        break
      case '.snapshot':
        dumpProducerSnapshot(file, sink)
        break
      case '.txnindex':
        dumpTxnIndex(file, sink)
        break
      default:
        sink.err(`Ignoring unknown file ${file}`)
    }
  }
  for (const [file, mismatches] of byFileInHashMapOrder(state.indexMismatches)) {
    sink.err(`Mismatches in :${file}`)
    // Kafka keeps them in a TreeMap with reverse order.
    for (const [index, log] of [...mismatches].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)))
      sink.err(`  Index offset: ${index}, log offset: ${log}`)
  }
  const { mismatch, outOfOrder, notFound } = state.timeIndexErrors
  for (const [file, list] of byFileInHashMapOrder(mismatch)) {
    sink.err(`Found timestamp mismatch in :${file}`)
    for (const [a, b] of list) sink.err(`  Index timestamp: ${a}, log timestamp: ${b}`)
  }
  for (const [file, list] of byFileInHashMapOrder(outOfOrder)) {
    sink.err(`Found out of order timestamp in :${file}`)
    for (const [a, b] of list) sink.err(`  Index timestamp: ${a}, Previously indexed timestamp: ${b}`)
  }
  for (const [, list] of byFileInHashMapOrder(notFound)) {
    sink.err('The following indexed offsets are not found in the log.')
    for (const [a, b] of list) sink.err(`Indexed offset: ${a}, found log offset: ${b}`)
  }
  for (const [file, pairs] of byFileInHashMapOrder(state.nonConsecutive)) {
    sink.err(`Non-consecutive offsets in ${file}`)
    for (const [a, b] of [...pairs].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)))
      sink.err(`  ${a} is followed by ${b}`)
  }
}

/** The tool keeps its findings per file in java.util.HashMaps, and prints them in their order. */
export function byFileInHashMapOrder<V>(map: Map<string, V>): Array<[string, V]> {
  return javaHashMapOrder([...map], ([file]) => javaStringHash(file))
}

/** The file, or its first `limit` bytes (--max-bytes: a large segment is not read whole). */
function readFile(file: string, limit = Infinity): Buffer {
  try {
    if (limit === Infinity) return readFileSync(file)
    const fd = openSync(file, 'r')
    try {
      const buffer = Buffer.alloc(Math.min(limit, fstatSync(fd).size))
      let read = 0
      while (read < buffer.length) {
        const n = readSync(fd, buffer, read, buffer.length - read, read)
        if (n === 0) break
        read += n
      }
      return buffer.subarray(0, read)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new KafkitError(
      code === 'ENOENT' ? `${file} (No such file or directory)` : `${file}: ${(error as Error).message}`,
      { code: 'DUMP_LOG_FILE' },
    )
  }
}

/** The number in a segment file's name: 00000000000000000042.log -> 42. */
function startOffsetOf(file: string): bigint {
  const head = basename(file).split('.')[0]!
  if (!/^-?\d+$/.test(head)) throw new KafkitError(`For input string: "${head}"`, { code: 'DUMP_LOG_FILE' })
  return BigInt(head)
}

async function dumpLog(
  file: string,
  options: DumpOptions,
  state: State,
  sink: DumpSink,
  parser: Parser,
  decompress: Decompress | undefined,
): Promise<void> {
  const name = basename(file)
  if (name.endsWith('.log')) sink.out(`Log starting offset: ${startOffsetOf(file)}`)
  else if (name === 'bootstrap.checkpoint') sink.out('KRaft bootstrap snapshot')
  else {
    const match = /^(\d{20})-(\d{10})\.checkpoint$/.exec(name)
    if (!match) throw new KafkitError(`${name} is not a KRaft snapshot file name.`, { code: 'DUMP_LOG_FILE' })
    sink.out(`Snapshot end offset: ${BigInt(match[1]!)}, epoch: ${Number(match[2]!)}`)
  }
  const data = readFile(file, options.maxBytes === INT_MAX ? Infinity : options.maxBytes)
  const end = data.length
  let validBytes = 0
  const lastOffset = { value: -1n }
  try {
    for (const batch of fileBatches(data, end, file)) {
      sink.out(batchLine(batch, validBytes))
      if (decompress) await dumpBatchRecords(batch, lastOffset, file, options, state, sink, parser, decompress)
      validBytes += batch.bytes.length
    }
  } catch (error) {
    if (error instanceof CorruptRecordError) throw new KafkitError(error.message, { code: 'CORRUPT_RECORD' })
    throw error
  }
  const trailing = end - validBytes
  if (trailing > 0 && options.maxBytes === INT_MAX) sink.out(`Found ${trailing} invalid bytes at the end of ${name}`)
}

export function batchLine(batch: FileBatch, position: number): string {
  const head =
    batch.magic >= 2
      ? `baseOffset: ${batch.baseOffset} lastOffset: ${batch.lastOffset} count: ${batch.count}` +
        ` baseSequence: ${batch.baseSequence} lastSequence: ${batch.lastSequence} producerId: ${batch.producerId}` +
        ` producerEpoch: ${batch.producerEpoch} partitionLeaderEpoch: ${batch.partitionLeaderEpoch}` +
        ` isTransactional: ${batch.isTransactional} isControl: ${batch.isControl}` +
        ` deleteHorizonMs: ${batch.deleteHorizonMs === undefined ? 'OptionalLong.empty' : `OptionalLong[${batch.deleteHorizonMs}]`}`
      : `offset: ${batch.lastOffset}`
  return (
    `${head} position: ${position} ${batch.timestampType}: ${batch.maxTimestamp} size: ${batch.bytes.length}` +
    ` magic: ${batch.magic} compresscodec: ${batch.compression} crc: ${batch.crc} isvalid: ${batch.isValid}`
  )
}

async function dumpBatchRecords(
  batch: FileBatch,
  lastOffset: { value: bigint },
  file: string,
  options: DumpOptions,
  state: State,
  sink: DumpSink,
  parser: Parser,
  decompress: Decompress,
): Promise<void> {
  let records
  try {
    records = batchRecords(batch, decompress)
  } catch (error) {
    // Kafka would stop here with a stack trace; one note per batch lets the rest of the file be read.
    sink.err(
      `kafkit: cannot read the records of the batch at position ${batch.position} (compresscodec: ${batch.compression}): ${(error as Error).message}`,
    )
    return
  }
  const path = resolve(file)
  for (const record of records) {
    if (record.offset !== lastOffset.value + 1n) {
      const previous = lastOffset.value
      push(
        state.nonConsecutive,
        path,
        () => new Map<bigint, bigint>(),
        (m) => m.set(previous, record.offset),
      )
    }
    lastOffset.value = record.offset
    let line = ''
    if (!options.skipRecordMetadata) {
      line +=
        `| offset: ${record.offset} ${batch.timestampType}: ${record.timestamp}` +
        ` keySize: ${record.key?.length ?? -1} valueSize: ${record.value?.length ?? -1}`
      if (batch.magic >= 2) line += ` sequence: ${record.sequence} headerKeys: [${record.headerKeys.join(',')}]`
      if (record.legacy) line += ` isValid: ${record.legacy.isValid} crc: ${record.legacy.crc}`
      if (batch.isControl) line += await controlRecordText(record)
    }
    if (options.printDataLog && !batch.isControl) {
      let prefix = options.skipRecordMetadata ? '| ' : ' '
      let parsed
      try {
        parsed = parser(record)
      } catch (error) {
        sink.partial?.(line)
        throw new KafkitError((error as Error).message, { code: 'DECODER_FAILED' })
      }
      if (parsed.key !== undefined) {
        line += `${prefix}key: ${parsed.key}`
        prefix = ' '
      }
      if (parsed.value !== undefined) line += `${prefix}payload: ${parsed.value}`
    }
    sink.out(line)
  }
}

function siblingOf(file: string, suffix: string): string {
  return join(dirname(resolve(file)), `${basename(file).split('.')[0]}${suffix}`)
}

function dumpIndex(file: string, options: DumpOptions, state: State, sink: DumpSink): void {
  const baseOffset = startOffsetOf(file)
  const log = readFile(siblingOf(file, '.log'))
  const index = readFile(file)
  const entries = Math.floor(index.length / 8)
  if (entries === 0) {
    sink.out(`${file} is empty.`)
    return
  }
  if (options.indexSanityCheck) {
    const lastOffset = baseOffset + BigInt(index.readInt32BE((entries - 1) * 8))
    if (lastOffset < baseOffset)
      throw new KafkitError(
        `Corrupt index found, index file (${resolve(file)}) has non-zero size but the last offset is ${lastOffset} which is less than the base offset ${baseOffset}`,
        { code: 'CORRUPT_INDEX' },
      )
    if (index.length % 8 !== 0)
      throw new KafkitError(
        `Index file ${resolve(file)} is corrupt, found ${index.length} bytes which is neither positive nor a multiple of 8`,
        { code: 'CORRUPT_INDEX' },
      )
    sink.out(`${file} passed sanity check.`)
    return
  }
  for (let i = 0; i < entries; i++) {
    const offset = baseOffset + BigInt(index.readInt32BE(i * 8))
    const position = index.readInt32BE(i * 8 + 4)
    // A preallocated index ends in zeros: the first entry back at the base offset ends it.
    if (offset === baseOffset && i > 0) return
    const slice = log.subarray(position, Math.min(log.length, position + options.maxMessageSize))
    const first = fileBatches(slice, slice.length, file).next()
    if (first.done) throw new KafkitError(`No batch at position ${position} of ${siblingOf(file, '.log')}`)
    if (first.value.lastOffset !== offset)
      push(
        state.indexMismatches,
        resolve(file),
        () => new Map<bigint, bigint>(),
        (m) => m.set(offset, first.value.lastOffset),
      )
    if (!options.verifyIndexOnly) sink.out(`offset: ${offset} position: ${position}`)
  }
}

function dumpTimeIndex(file: string, options: DumpOptions, state: State, sink: DumpSink, decompress: Decompress): void {
  const baseOffset = startOffsetOf(file)
  const log = readFile(siblingOf(file, '.log'))
  readFile(siblingOf(file, '.index'))
  const index = readFile(file)
  const entries = Math.floor(index.length / 12)
  const entry = (i: number) => ({
    timestamp: index.readBigInt64BE(i * 12),
    offset: baseOffset + BigInt(index.readInt32BE(i * 12 + 8)),
  })
  const path = resolve(file)
  if (options.indexSanityCheck) {
    if (entries !== 0) {
      const last = entry(entries - 1)
      const first = entry(0)
      if (last.timestamp < first.timestamp)
        throw new KafkitError(
          `Corrupt time index found, time index file (${path}) has non-zero size but the last timestamp is ${last.timestamp} which is less than the first timestamp ${first.timestamp}`,
          { code: 'CORRUPT_INDEX' },
        )
      if (last.offset < baseOffset)
        throw new KafkitError(
          `Corrupt time index found, time index file (${path}) has non-zero size but the last offset is ${last.offset} which is less than the first offset ${baseOffset}`,
          { code: 'CORRUPT_INDEX' },
        )
    }
    if (index.length % 12 !== 0)
      throw new KafkitError(
        `Time index file ${path} is corrupt, found ${index.length} bytes which is neither positive nor a multiple of 12`,
        { code: 'CORRUPT_INDEX' },
      )
    sink.out(`${file} passed sanity check.`)
    return
  }
  const batches = [...fileBatches(log, log.length, file)]
  const errors = state.timeIndexErrors
  const add = (map: Map<string, Array<[bigint, bigint]>>, pair: [bigint, bigint]) =>
    push(
      map,
      path,
      () => [] as Array<[bigint, bigint]>,
      (list) => list.push(pair),
    )
  let previous = -1n
  for (let i = 0; i < entries; i++) {
    const { timestamp, offset } = entry(i)
    if (offset === baseOffset && i > 0) return
    const match = batches.find((b) => b.lastOffset >= offset)
    if (!match) add(errors.notFound, [offset, -1n])
    else if (match.lastOffset !== offset) add(errors.notFound, [offset, match.lastOffset])
    else {
      let max = -1n
      try {
        for (const record of batchRecords(match, decompress)) if (record.timestamp > max) max = record.timestamp
      } catch {
        // An unreadable batch: its header's max timestamp is what its records would give.
        max = match.maxTimestamp
      }
      if (max !== timestamp) add(errors.mismatch, [timestamp, max])
      if (previous >= timestamp) add(errors.outOfOrder, [timestamp, previous])
    }
    if (!options.verifyIndexOnly) sink.out(`timestamp: ${timestamp} offset: ${offset}`)
    previous = timestamp
  }
}

function dumpProducerSnapshot(file: string, sink: DumpSink): void {
  const data = readFile(file)
  const fail = (message: string) => sink.err(message)
  if (data.length < 2) return fail('Snapshot failed schema validation: Truncated file')
  const version = data.readInt16BE(0)
  if (version !== 1) return fail(`Snapshot contained an unknown file version ${version}`)
  let entries: Array<{
    producerId: bigint
    epoch: number
    lastSequence: number
    lastOffset: bigint
    offsetDelta: number
    timestamp: bigint
    coordinatorEpoch: number
    currentTxnFirstOffset: bigint
  }>
  let crc: number
  try {
    crc = data.readUInt32BE(2)
    const count = data.readInt32BE(6)
    entries = []
    for (let i = 0, at = 10; i < count; i++, at += 46) {
      if (at + 46 > data.length) throw new Error('Truncated file')
      entries.push({
        producerId: data.readBigInt64BE(at),
        epoch: data.readInt16BE(at + 8),
        lastSequence: data.readInt32BE(at + 10),
        lastOffset: data.readBigInt64BE(at + 14),
        offsetDelta: data.readInt32BE(at + 22),
        timestamp: data.readBigInt64BE(at + 26),
        coordinatorEpoch: data.readInt32BE(at + 34),
        currentTxnFirstOffset: data.readBigInt64BE(at + 38),
      })
    }
  } catch (error) {
    return fail(`Snapshot failed schema validation: ${(error as Error).message}`)
  }
  const computed = crc32c(data, 6, data.length)
  if (crc !== computed)
    return fail(`Snapshot is corrupt (CRC is no longer valid). Stored crc: ${crc}. Computed crc: ${computed}`)
  for (const e of entries) {
    let line =
      `producerId: ${e.producerId} producerEpoch: ${e.epoch} coordinatorEpoch: ${e.coordinatorEpoch}` +
      ` currentTxnFirstOffset: ${e.currentTxnFirstOffset >= 0n ? `OptionalLong[${e.currentTxnFirstOffset}]` : 'OptionalLong.empty'}` +
      ` lastTimestamp: ${e.timestamp}`
    if (e.lastOffset >= 0n)
      line +=
        ` firstSequence: ${decrementSequence(e.lastSequence, e.offsetDelta)} lastSequence: ${e.lastSequence}` +
        ` lastOffset: ${e.lastOffset} offsetDelta: ${e.offsetDelta} timestamp: ${e.timestamp}`
    sink.out(line)
  }
}

function dumpTxnIndex(file: string, sink: DumpSink): void {
  const data = readFile(file)
  for (let at = 0; at + 34 <= data.length; at += 34)
    sink.out(
      `version: ${data.readInt16BE(at)} producerId: ${data.readBigInt64BE(at + 2)} firstOffset: ${data.readBigInt64BE(at + 10)}` +
        ` lastOffset: ${data.readBigInt64BE(at + 18)} lastStableOffset: ${data.readBigInt64BE(at + 26)}`,
    )
}
