import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { LogConfig } from '../../src/embedded/contracts.js'
import { openLogStore } from '../../src/embedded/storage/index.js'
import { makeBatch, values } from '../fixtures/embedded-storage/batches.js'
import { KAFKA_4, distHome, runClass, type Run } from './helpers.js'

/**
 * The embedded broker's segment files read by Kafka's own DumpLogSegments (one JVM start for every file): the tool
 * walks each .log checking CRCs and offsets, and checks every .index and .timeindex entry against the log
 * (mismatches, offsets not found, timestamps out of order go to stderr). The store wrote two partitions: one rolled
 * over several segments with plain, gzip and idempotent batches, then reopened as after a crash and appended to; one
 * LogAppendTime.
 */

const CONFIG: LogConfig = {
  segmentBytes: 16 * 1024,
  retentionMs: -1,
  retentionBytes: -1,
  timestampType: 'CreateTime',
  maxMessageBytes: 1024 * 1024,
}
const RECORDS = 3000
const STAMPED = 30

describe(`embedded storage files read by Kafka ${KAFKA_4}'s DumpLogSegments`, () => {
  let dataDir: string
  let dump: Run
  const files = (partition: string, suffix: string) =>
    readdirSync(join(dataDir, partition))
      .filter((f) => f.endsWith(suffix))
      .sort()
      .map((f) => join(dataDir, partition, f))

  before(async () => {
    assert.ok(existsSync(distHome(KAFKA_4)), `Kafka ${KAFKA_4} is missing from .cache/kafka (npm run kafka:fetch)`)
    dataDir = mkdtempSync(join(tmpdir(), 'kafkit-storage-e2e-'))
    const store = openLogStore(dataDir)
    const orders = store.open('orders', 0, CONFIG)
    let sequence = 0
    for (let n = 0, i = 0; n < RECORDS; i++) {
      const count = 10 + (i % 7) * 5
      const batch = values(n, Math.min(count, RECORDS - n))
      const timestamp = 1_700_000_000_000 + n * 10
      if (i % 3 === 0) orders.append(makeBatch({ values: batch, timestamp }), 0n)
      else if (i % 3 === 1) orders.append(makeBatch({ values: batch, timestamp, gzip: true }), 0n)
      else {
        orders.append(makeBatch({ values: batch, timestamp, producerId: 5n, epoch: 0, sequence }), 0n)
        sequence += batch.length
      }
      n += batch.length
    }
    const stamped = store.open('stamped', 0, { ...CONFIG, timestampType: 'LogAppendTime' })
    for (let n = 0; n < STAMPED; n += 10)
      stamped.append(makeBatch({ values: values(n, 10), timestamp: 1 }), BigInt(1_800_000_000_000 + n))
    store.close()
    // Reopened after a crash (no clean shutdown marker): recovery rewrites the indexes it rebuilds, then one more batch.
    rmSync(join(dataDir, 'orders-0', '.kafkit_cleanshutdown'))
    const reopened = openLogStore(dataDir)
    reopened.open('orders', 0, CONFIG).append(makeBatch({ values: values(RECORDS, 10) }), 0n)
    reopened.close()

    const all = ['orders-0', 'stamped-0'].flatMap((p) => ['.log', '.index', '.timeindex'].flatMap((s) => files(p, s)))
    dump = await runClass(KAFKA_4, 'org.apache.kafka.tools.DumpLogSegments', [
      '--files',
      all.join(','),
      '--print-data-log',
    ])
  })

  after(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('reads every file without an error or a finding', () => {
    assert.equal(dump.code, 0, dump.stderr)
    // Kafka 4.4's tool starts each file's offset check at -1, so it reports every segment not based at 0, its own
    // included; nothing else may appear (index mismatches, offsets not found, timestamps out of order).
    const expected = ['orders-0', 'stamped-0']
      .flatMap((p) => files(p, '.log'))
      .filter((f) => !f.endsWith('00000000000000000000.log'))
      .flatMap((f) => [`Non-consecutive offsets in ${f}`, `  -1 is followed by ${Number(f.slice(-24, -4))}`])
    assert.ok(expected.length >= 6, 'segments based above 0')
    assert.deepEqual(dump.stderr.trim().split('\n').sort(), expected.sort())
    assert.doesNotMatch(dump.stdout, /invalid bytes|Exception/)
  })

  it('finds every batch valid, with contiguous offsets and the records in order', () => {
    const batches = [...dump.stdout.matchAll(/^baseOffset: (\d+) lastOffset: (\d+) count: (\d+) .*isvalid: (\w+)/gm)]
    assert.ok(batches.length > 100, `${batches.length} batches`)
    assert.ok(
      batches.every((b) => b[4] === 'true'),
      'every CRC valid',
    )
    const orders = [...dump.stdout.matchAll(/payload: (record-\d+)/g)].map((m) => m[1])
    assert.deepEqual(orders, [...values(0, RECORDS + 10), ...values(0, STAMPED)])
    assert.equal(files('orders-0', '.log').length > 3, true, 'rolled over several segments')
    assert.match(dump.stdout, /producerId: 5 producerEpoch: 0 .*isTransactional: false/)
    assert.match(dump.stdout, /compresscodec: gzip/)
  })

  it('reads the sparse indexes the store wrote, entries that match the log', () => {
    const indexes = [...dump.stdout.matchAll(/^offset: (\d+) position: (\d+)$/gm)]
    const expected = files('orders-0', '.index').reduce((sum, f) => sum + readFileSync(f).length / 8, 0)
    assert.ok(expected > 3, `${expected} index entries`)
    assert.equal(indexes.length, expected)
    const times = [...dump.stdout.matchAll(/^timestamp: (\d+) offset: (\d+)$/gm)]
    assert.ok(times.length >= expected, `${times.length} time index entries`)
  })

  it('shows LogAppendTime batches stamped with the broker time', () => {
    const stamped = dump.stdout.slice(dump.stdout.indexOf('stamped-0'))
    assert.match(stamped, /LogAppendTime: 1800000000000/)
    assert.match(stamped, /LogAppendTime: 1800000000020/)
  })
})
