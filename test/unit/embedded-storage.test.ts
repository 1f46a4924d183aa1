import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  unlinkSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BrokerError, type LogConfig, type PartitionLog } from '../../src/embedded/contracts.js'
import { openLogStore } from '../../src/embedded/storage/index.js'
import { decodeRecordBatches } from '../../src/records/batch-decoder.js'
import { crc32c } from '../../src/records/crc32c.js'
import { makeBatch, values } from '../fixtures/embedded-storage/batches.js'

const CONFIG: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  retentionMs: -1,
  retentionBytes: -1,
  timestampType: 'CreateTime',
  maxMessageBytes: 1024 * 1024,
}

let root: string
before(() => {
  root = mkdtempSync(join(tmpdir(), 'kafkit-storage-'))
})
after(() => rmSync(root, { recursive: true, force: true }))

let dirs = 0
const freshDir = () => join(root, `store-${dirs++}`)
const warnings: string[] = []
const open = (dir: string) => openLogStore(dir, { warn: (m) => warnings.push(m) })

/** Every record of the log from `from` on, read in fetches of `maxBytes`, as a consumer would. */
function readAll(log: PartitionLog, from = log.logStartOffset, maxBytes = 64 * 1024) {
  const records: Array<{ offset: bigint; value: string; timestamp: bigint }> = []
  let offset = from
  while (offset < log.logEndOffset) {
    const chunk = log.read(offset, maxBytes)
    assert.ok(chunk.length > 0, `read at ${offset} returned nothing`)
    for (const batch of decodeRecordBatches(chunk)) {
      for (const r of batch.records)
        if (r.offset >= offset) records.push({ offset: r.offset, value: r.value!.toString(), timestamp: r.timestamp })
      offset = batch.lastOffset + 1n
    }
  }
  return records
}

const errorCode = (fn: () => unknown): number => {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof BrokerError, String(error))
    return error.errorCode
  }
  assert.fail('expected a BrokerError')
}

const batchesIn = (buffer: Buffer) => {
  const sizes: number[] = []
  for (let at = 0; at < buffer.length; at += buffer.readInt32BE(at + 8) + 12)
    sizes.push(buffer.readInt32BE(at + 8) + 12)
  return sizes
}

describe('embedded storage: appends and reads', () => {
  it('assigns offsets, keeps the batch byte for byte but the base offset and leader epoch, and survives a restart', () => {
    const dir = freshDir()
    const store = open(dir)
    const log = store.open('orders', 0, CONFIG)
    assert.equal(log.logEndOffset, 0n)
    const first = makeBatch({ values: values(0, 3) })
    const sent = Buffer.from(first)
    const r1 = log.append(first, 5n)
    assert.deepEqual(r1, { baseOffset: 0n, lastOffset: 2n, logAppendTimeMs: -1n, logStartOffset: 0n, duplicate: false })
    const r2 = log.append(makeBatch({ values: values(3, 2), gzip: true }), 5n)
    assert.equal(r2.baseOffset, 3n)
    assert.equal(log.logEndOffset, 5n)
    const stored = log.read(0n, 1_000_000)
    assert.deepEqual(stored.subarray(17, sent.length), sent.subarray(17), 'CRC and everything after it unchanged')
    assert.equal(stored.readBigInt64BE(0), 0n)
    assert.equal(stored.readInt32BE(12), 0, 'the leader epoch, as a single-node Kafka writes it')
    assert.deepEqual(
      readAll(log).map((r) => r.value),
      values(0, 5),
    )
    assert.ok(existsSync(join(dir, 'orders-0', '00000000000000000000.log')), 'log')
    assert.ok(existsSync(join(dir, 'orders-0', '00000000000000000000.index')), 'index')
    assert.ok(existsSync(join(dir, 'orders-0', '00000000000000000000.timeindex')), 'time index')
    store.close()
    const again = open(dir).open('orders', 0, CONFIG)
    assert.equal(again.logEndOffset, 5n)
    assert.deepEqual(
      readAll(again).map((r) => r.value),
      values(0, 5),
    )
    assert.equal(again.append(makeBatch({ values: ['x'] }), 0n).baseOffset, 5n)
    again.close()
  })

  it('rolls segments at segment.bytes, named by base offset, with sparse indexes every 4096 bytes', () => {
    const dir = freshDir()
    const store = open(dir)
    const log = store.open('t', 3, { ...CONFIG, segmentBytes: 20_000 })
    for (let n = 0; n < 6000; n += 20) log.append(makeBatch({ values: values(n, 20) }), 0n)
    const files = readdirSync(join(dir, 't-3')).sort()
    const logs = files.filter((f) => f.endsWith('.log'))
    assert.ok(logs.length >= 5, files.join(' '))
    for (const name of logs) {
      assert.match(name, /^\d{20}\.log$/)
      assert.ok(statSync(join(dir, 't-3', name)).size <= 20_000, `${name} within segment.bytes`)
      const index = readFileSync(join(dir, 't-3', name.replace('.log', '.index')))
      const timeIndex = readFileSync(join(dir, 't-3', name.replace('.log', '.timeindex')))
      assert.equal(index.length % 8, 0)
      assert.equal(timeIndex.length % 12, 0)
      if (name !== logs.at(-1)) assert.ok(index.length >= 8 * 3, `${name}: ${index.length / 8} index entries`)
      // Every entry points at a batch whose last offset is the entry's offset (what DumpLogSegments checks).
      const base = Number(name.slice(0, 20))
      const data = readFileSync(join(dir, 't-3', name))
      for (let i = 0; i < index.length; i += 8) {
        const position = index.readInt32BE(i + 4)
        assert.equal(
          Number(data.readBigInt64BE(position)) + data.readInt32BE(position + 23),
          base + index.readInt32BE(i),
        )
      }
    }
    // Each segment starts right after the last offset of the one before.
    for (let i = 1; i < logs.length; i++) {
      const previous = readFileSync(join(dir, 't-3', logs[i - 1]!))
      const sizes = batchesIn(previous)
      const lastAt = sizes.slice(0, -1).reduce((a, b) => a + b, 0)
      const lastOffset = Number(previous.readBigInt64BE(lastAt)) + previous.readInt32BE(lastAt + 23)
      assert.equal(Number(logs[i]!.slice(0, 20)), lastOffset + 1)
    }
    // Any offset reads from the batch holding it, in any segment.
    for (const offset of [0n, 1n, 19n, 20n, 777n, 1234n, 4321n, 5999n]) {
      const chunk = log.read(offset, 1)
      const [batch] = decodeRecordBatches(chunk)
      assert.ok(batch!.baseOffset <= offset && offset <= batch!.lastOffset, `offset ${offset}`)
      assert.equal(batchesIn(chunk).length, 1)
    }
    assert.equal(readAll(log, 0n, 3000).length, 6000)
    store.close()
    // Reopened (as after a crash): the indexes rebuilt from the logs are the same bytes.
    const indexes = () =>
      logs.flatMap((n) => ['.index', '.timeindex'].map((s) => readFileSync(join(dir, 't-3', n.replace('.log', s)))))
    const before = indexes()
    unlinkSync(join(dir, 't-3', '.kafkit_cleanshutdown'))
    const reopened = open(dir).open('t', 3, { ...CONFIG, segmentBytes: 20_000 })
    assert.deepEqual(indexes(), before)
    assert.equal(readAll(reopened, 0n, 100_000).length, 6000)
    reopened.close()
  })

  it('reads whole batches within maxBytes, always at least one, and refuses offsets out of range', () => {
    const store = open(freshDir())
    const log = store.open('t', 0, CONFIG)
    for (let n = 0; n < 50; n += 10) log.append(makeBatch({ values: values(n, 10) }), 0n)
    const sizes = batchesIn(log.read(0n, 1_000_000))
    assert.equal(sizes.length, 5)
    assert.equal(batchesIn(log.read(0n, 1)).length, 1)
    assert.equal(batchesIn(log.read(0n, 0)).length, 1)
    assert.equal(batchesIn(log.read(0n, sizes[0]! + sizes[1]! + 10)).length, 2)
    assert.equal(batchesIn(log.read(15n, sizes[1]! + sizes[2]!)).length, 2)
    assert.equal(batchesIn(log.read(15n, sizes[1]! + sizes[2]! - 1)).length, 1)
    assert.equal(log.read(15n, 1).readBigInt64BE(0), 10n, 'the batch holding the offset')
    assert.equal(log.read(50n, 1000).length, 0, 'at the log end: nothing')
    assert.equal(
      errorCode(() => log.read(51n, 1000)),
      1,
    )
    assert.equal(
      errorCode(() => log.read(-1n, 1000)),
      1,
    )
    store.close()
  })
})

describe('embedded storage: validation', () => {
  const store = () => open(freshDir())
  it('answers bad batches with the error codes Kafka uses', () => {
    const s = store()
    const log = s.open('t', 0, { ...CONFIG, maxMessageBytes: 500 })
    const good = () => makeBatch({ values: ['a', 'b'] })
    const corrupt = good()
    corrupt[corrupt.length - 1]! ^= 0xff
    assert.equal(
      errorCode(() => log.append(corrupt, 0n)),
      2,
      'CRC mismatch: CORRUPT_MESSAGE',
    )
    const v1 = good()
    v1[16] = 1
    assert.equal(
      errorCode(() => log.append(v1, 0n)),
      87,
      'magic 1: INVALID_RECORD (Produce v3+)',
    )
    const badMagic = good()
    badMagic[16] = 7
    assert.equal(
      errorCode(() => log.append(badMagic, 0n)),
      2,
      'unknown magic: CORRUPT_MESSAGE',
    )
    const tiny = good()
    tiny.writeInt32BE(5, 8)
    assert.equal(
      errorCode(() => log.append(tiny, 0n)),
      2,
    )
    assert.equal(
      errorCode(() => log.append(Buffer.alloc(0), 0n)),
      87,
      'no batch',
    )
    assert.equal(
      errorCode(() => log.append(good().subarray(0, 40), 0n)),
      87,
      'only a partial batch',
    )
    assert.equal(
      errorCode(() => log.append(Buffer.concat([good(), good()]), 0n)),
      87,
      'two batches',
    )
    const offsetSet = good()
    offsetSet.writeBigInt64BE(10n, 0)
    assert.equal(
      errorCode(() => log.append(offsetSet, 0n)),
      87,
      'base offset not 0',
    )
    assert.equal(
      errorCode(() => log.append(makeBatch({ values: [String('x').repeat(600)] }), 0n)),
      10,
    )
    assert.equal(
      errorCode(() =>
        log.append(makeBatch({ values: ['a'], producerId: 1n, epoch: 0, sequence: 0, transactional: true }), 0n),
      ),
      48,
    )
    assert.equal(
      errorCode(() => log.append(makeBatch({ values: ['a'], producerId: 1n, epoch: 0, sequence: -1 }), 0n)),
      87,
    )
    const control = good()
    control.writeInt16BE(0x20, 21)
    control.writeUInt32BE(crc32c(control, 21), 17)
    assert.equal(
      errorCode(() => log.append(control, 0n)),
      87,
      'control batch from a client',
    )
    const miscounted = good()
    miscounted.writeInt32BE(5, 57)
    miscounted.writeUInt32BE(crc32c(miscounted, 21), 17)
    assert.equal(
      errorCode(() => log.append(miscounted, 0n)),
      87,
    )
    assert.equal(
      errorCode(() => s.open('../escape', 0, CONFIG)),
      17,
    )
    const tooBig = s.open('small', 0, { ...CONFIG, segmentBytes: 100 })
    assert.equal(
      errorCode(() => tooBig.append(makeBatch({ values: ['x'.repeat(100)] }), 0n)),
      18,
    )
    assert.equal(log.logEndOffset, 0n, 'nothing appended')
    // A trailing partial batch is ignored, as Kafka's batch iterator ignores it.
    assert.equal(log.append(Buffer.concat([good(), good().subarray(0, 30)]), 0n).lastOffset, 1n)
    s.close()
  })
})

describe('embedded storage: timestamps', () => {
  it('finds offsets by timestamp inside batches, and the max timestamp, for CreateTime', () => {
    const dir = freshDir()
    const store = open(dir)
    const log = store.open('t', 0, { ...CONFIG, segmentBytes: 200 })
    assert.equal(log.offsetForTimestamp(0n), null)
    assert.equal(log.maxTimestamp(), null)
    log.append(makeBatch({ values: values(0, 3), timestamps: [1000, 3000, 2000] }), 0n)
    log.append(makeBatch({ values: values(3, 3), timestamps: [2500, 5000, 4000], gzip: true }), 0n)
    log.append(makeBatch({ values: values(6, 3), timestamps: [6000, 6001, 6002] }), 0n)
    log.append(makeBatch({ values: values(9, 2), timestamps: [4000, 4500] }), 0n)
    assert.ok(readdirSync(join(dir, 't-0')).filter((f) => f.endsWith('.log')).length >= 3, 'spread over segments')
    assert.deepEqual(log.offsetForTimestamp(0n), { offset: 0n, timestamp: 1000n })
    assert.deepEqual(log.offsetForTimestamp(1500n), { offset: 1n, timestamp: 3000n })
    assert.deepEqual(log.offsetForTimestamp(3500n), { offset: 4n, timestamp: 5000n })
    assert.deepEqual(log.offsetForTimestamp(6001n), { offset: 7n, timestamp: 6001n })
    assert.equal(log.offsetForTimestamp(7000n), null)
    assert.deepEqual(log.maxTimestamp(), { offset: 8n, timestamp: 6002n })
    store.close()
  })

  it('stamps LogAppendTime batches with the broker time, recomputing the CRC', () => {
    const store = open(freshDir())
    const log = store.open('t', 0, { ...CONFIG, timestampType: 'LogAppendTime' })
    const result = log.append(makeBatch({ values: values(0, 3), timestamp: 1000 }), 9_000n)
    assert.equal(result.logAppendTimeMs, 9_000n)
    log.append(makeBatch({ values: values(3, 1), timestamp: 1000, gzip: true }), 9_500n)
    const stored = log.read(0n, 100_000)
    assert.equal(stored.readInt16BE(21) & 0x08, 0x08)
    assert.equal(stored.readBigInt64BE(35), 9_000n)
    assert.equal(stored.readUInt32BE(17), crc32c(stored, 21, batchesIn(stored)[0]!))
    assert.deepEqual(
      readAll(log).map((r) => r.timestamp),
      [9_000n, 9_000n, 9_000n, 9_500n],
    )
    assert.deepEqual(log.offsetForTimestamp(9_100n), { offset: 3n, timestamp: 9_500n })
    assert.deepEqual(log.maxTimestamp(), { offset: 3n, timestamp: 9_500n })
    store.close()
  })
})

describe('embedded storage: deletion and retention', () => {
  it('moves the log start offset on DeleteRecords (never back), deletes whole segments, and keeps it over a restart', () => {
    const dir = freshDir()
    const config = { ...CONFIG, segmentBytes: 2_000 }
    const store = open(dir)
    const log = store.open('t', 1, config)
    for (let n = 0; n < 200; n += 10) log.append(makeBatch({ values: values(n, 10) }), 0n)
    const segmentsBefore = readdirSync(join(dir, 't-1')).filter((f) => f.endsWith('.log')).length
    assert.equal(log.deleteRecordsBefore(105n), 105n)
    assert.equal(log.logStartOffset, 105n)
    assert.equal(log.deleteRecordsBefore(50n), 105n, 'never back')
    const remaining = readdirSync(join(dir, 't-1'))
      .filter((f) => f.endsWith('.log'))
      .sort()
    assert.ok(remaining.length < segmentsBefore, `${remaining.length} of ${segmentsBefore} segments left`)
    assert.ok(Number(remaining[0]!.slice(0, 20)) <= 105, remaining[0])
    assert.equal(
      errorCode(() => log.read(104n, 100)),
      1,
    )
    assert.equal(readAll(log)[0]!.offset, 105n)
    assert.equal(
      errorCode(() => log.deleteRecordsBefore(201n)),
      1,
    )
    store.close()
    const reopened = open(dir)
    const again = reopened.open('t', 1, config)
    assert.equal(again.logStartOffset, 105n)
    assert.equal(again.deleteRecordsBefore(-1n), 200n, '-1: up to the high watermark')
    assert.equal(again.logEndOffset, 200n)
    assert.match(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8'), /^0\n1\nt 1 200\n$/)
    reopened.remove('t', 1)
    assert.equal(existsSync(join(dir, 't-1')), false)
    assert.match(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8'), /^0\n0\n$/)
    const recreated = reopened.open('t', 1, config)
    assert.equal(recreated.logStartOffset, 0n)
    assert.equal(recreated.logEndOffset, 0n)
    reopened.close()
  })

  it('deletes whole segments by time and by size, never the active one', () => {
    const dir = freshDir()
    const store = open(dir)
    const log = store.open('t', 0, { ...CONFIG, segmentBytes: 1_000, retentionMs: 60_000 })
    for (let n = 0; n < 100; n += 10) log.append(makeBatch({ values: values(n, 10), timestamp: 1_000 + n }), 0n)
    assert.equal(log.applyRetention(30_000n), 0, 'nothing older than a minute yet')
    const deleted = log.applyRetention(1_000_000n)
    assert.ok(deleted > 0, 'expired segments deleted')
    assert.ok(log.logStartOffset > 0n && log.logStartOffset < 100n, 'the active segment stays')
    assert.equal(log.logEndOffset, 100n)
    log.append(makeBatch({ values: values(100, 10) }), 0n)
    assert.equal(readAll(log).at(-1)!.offset, 109n)

    const sized = store.open('s', 0, { ...CONFIG, segmentBytes: 1_000, retentionBytes: 500 })
    for (let n = 0; n < 100; n += 10) sized.append(makeBatch({ values: values(n, 10) }), 0n)
    // Three segments (884 + 884 + 442 bytes): a segment goes only while the rest still exceeds retention.bytes.
    assert.equal(sized.applyRetention(0n), 1)
    const total = readdirSync(join(dir, 's-0'))
      .filter((f) => f.endsWith('.log'))
      .reduce((sum, f) => sum + statSync(join(dir, 's-0', f)).size, 0)
    assert.equal(total, 884 + 442)
    assert.equal(sized.applyRetention(0n), 0, 'retention applied once is stable')
    store.close()
  })
})

describe('embedded storage: recovery', () => {
  function filled(dir: string) {
    const store = open(dir)
    const log = store.open('t', 0, CONFIG)
    for (let n = 0; n < 30; n += 10) log.append(makeBatch({ values: values(n, 10) }), 0n)
    store.close()
    // As after a crash: a clean shutdown leaves a marker that lets the next open skip the CRC checks.
    assert.ok(existsSync(join(dir, 't-0', '.kafkit_cleanshutdown')), 'clean shutdown marker')
    unlinkSync(join(dir, 't-0', '.kafkit_cleanshutdown'))
    return join(dir, 't-0', '00000000000000000000.log')
  }

  it('truncates a torn tail (a partial batch) and appends after it', () => {
    const dir = freshDir()
    const file = filled(dir)
    const size = statSync(file).size
    appendFileSync(file, makeBatch({ values: ['torn'] }).subarray(0, 50))
    warnings.length = 0
    const log = open(dir).open('t', 0, CONFIG)
    assert.equal(log.logEndOffset, 30n)
    assert.equal(statSync(file).size, size)
    assert.match(warnings.join('\n'), /torn write/)
    assert.equal(log.append(makeBatch({ values: ['next'] }), 0n).baseOffset, 30n)
    assert.deepEqual(
      readAll(log).map((r) => r.value),
      [...values(0, 30), 'next'],
    )
    log.close()
  })

  it('truncates a corrupted last batch (bad CRC)', () => {
    const dir = freshDir()
    const file = filled(dir)
    const data = readFileSync(file)
    data[data.length - 3]! ^= 0x55
    writeFileSync(file, data)
    warnings.length = 0
    const log = open(dir).open('t', 0, CONFIG)
    assert.equal(log.logEndOffset, 20n)
    assert.match(warnings.join('\n'), /bad CRC/)
    assert.deepEqual(
      readAll(log).map((r) => r.value),
      values(0, 20),
    )
    log.close()
  })
})

describe('embedded storage: idempotent producers', () => {
  const idem = (sequence: number, count = 2, epoch = 0, producerId = 42n) =>
    makeBatch({ values: values(sequence, count, 'p-'), producerId, epoch, sequence })

  it('answers a duplicate with its original offsets, refuses gaps and old epochs, and remembers across a restart', () => {
    const dir = freshDir()
    const store = open(dir)
    const log = store.open('t', 0, CONFIG)
    log.append(makeBatch({ values: ['plain'] }), 0n)
    assert.equal(log.append(idem(0), 0n).baseOffset, 1n)
    assert.equal(log.append(idem(2), 0n).baseOffset, 3n)
    const dup = log.append(idem(0), 0n)
    assert.deepEqual(dup, { baseOffset: 1n, lastOffset: 2n, logAppendTimeMs: -1n, logStartOffset: 0n, duplicate: true })
    assert.equal(log.logEndOffset, 5n, 'nothing appended for a duplicate')
    assert.equal(
      errorCode(() => log.append(idem(6), 0n)),
      45,
      'a gap: OUT_OF_ORDER_SEQUENCE_NUMBER',
    )
    assert.equal(
      errorCode(() => log.append(idem(1), 0n)),
      45,
      'overlapping but not a known batch',
    )
    assert.equal(log.append(idem(4, 2, 1, 99n), 0n).baseOffset, 5n, 'an unknown producer may start anywhere')
    assert.equal(
      errorCode(() => log.append(idem(5, 1, 1), 0n)),
      45,
      'a new epoch must start at sequence 0',
    )
    assert.equal(log.append(idem(0, 1, 1), 0n).baseOffset, 7n, 'a bumped epoch starts over at 0')
    assert.equal(
      errorCode(() => log.append(idem(1, 1, 0), 0n)),
      47,
      'an older epoch: INVALID_PRODUCER_EPOCH',
    )
    assert.equal(log.append(idem(1, 1, 1), 0n).baseOffset, 8n)
    store.close()

    const again = open(dir).open('t', 0, CONFIG)
    assert.deepEqual(again.append(idem(1, 1, 1), 0n), {
      baseOffset: 8n,
      lastOffset: 8n,
      logAppendTimeMs: -1n,
      logStartOffset: 0n,
      duplicate: true,
    })
    assert.deepEqual(again.append(idem(4, 2, 1, 99n), 0n).duplicate, true)
    assert.equal(
      errorCode(() => again.append(idem(0, 1, 0), 0n)),
      47,
    )
    assert.equal(again.append(idem(2, 1, 1), 0n).baseOffset, 9n)
    again.close()
  })

  it('remembers only the last five batches of a producer, as Kafka does', () => {
    const store = open(freshDir())
    const log = store.open('t', 0, CONFIG)
    for (let seq = 0; seq < 6; seq++) log.append(idem(seq, 1), 0n)
    assert.equal(log.append(idem(1, 1), 0n).duplicate, true)
    assert.equal(
      errorCode(() => log.append(idem(0, 1), 0n)),
      45,
    )
    store.close()
  })
})

describe('embedded storage: crash safety', () => {
  it('keeps every acknowledged record, in order, when the writer is killed during a 100,000-record produce', async () => {
    const dir = freshDir()
    const writer = fileURLToPath(new URL('../fixtures/embedded-storage/writer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let acknowledged = -1
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      let pending = ''
      const timer = setTimeout(() => reject(new Error(`no progress from the writer: ${stderr}`)), 30_000)
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString()
        const lines = pending.split('\n')
        pending = lines.pop()!
        if (lines.length > 0) acknowledged = Number(lines.at(-1))
        if (acknowledged >= 30_000) {
          child.kill('SIGKILL')
          clearTimeout(timer)
          resolve()
        }
      })
      child.on('exit', () => {
        clearTimeout(timer)
        reject(new Error(`the writer exited before it was killed: ${stderr}`))
      })
    })
    // Lines written before the kill may still be in the pipe: the last of them is the last acknowledged offset.
    await new Promise<void>((resolve) => child.stdout.on('end', resolve).resume())
    assert.equal(await exited, 'SIGKILL')
    const log = open(dir).open('crash', 0, {
      ...CONFIG,
      segmentBytes: 256 * 1024,
    })
    assert.ok(log.logEndOffset > BigInt(acknowledged), `log end ${log.logEndOffset}, acknowledged ${acknowledged}`)
    const records = readAll(log, 0n, 1024 * 1024)
    assert.equal(records.length, Number(log.logEndOffset))
    records.forEach((r, i) => {
      if (r.offset !== BigInt(i) || r.value !== `record-${i}`) assert.fail(`record ${i}: ${r.offset} ${r.value}`)
    })
    log.close()
  })
})
