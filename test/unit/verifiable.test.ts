/**
 * verifiable-producer, verifiable-consumer and e2e-latency without Kafka: their flag rules, the Java renderings the
 * event lines rely on (Double.toString, java.util.Random, checked against a JVM's output), and the summaries.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { takeRecords } from '../../src/verifiable/consumer.js'
import { JavaRandom, javaDouble, randomBytesOfLen } from '../../src/verifiable/java.js'
import { latencySummary, progressLine } from '../../src/verifiable/latency.js'
import { checkConsumerFlags, latencySettings, producerAcks } from '../../src/verifiable/options.js'
import { eventLine, toolDataLine, valueOf } from '../../src/verifiable/producer.js'

describe('Java renderings', () => {
  it('Double.toString', () => {
    assert.equal(javaDouble(5), '5.0')
    assert.equal(javaDouble(2.2512381809995494), '2.2512381809995494')
    assert.equal(javaDouble(12345678.9), '1.23456789E7')
    assert.equal(javaDouble(0.0001234), '1.234E-4')
    assert.equal(javaDouble(0), '0.0')
    assert.equal(javaDouble(Number.POSITIVE_INFINITY), 'Infinity')
  })

  it('java.util.Random(seed).nextInt(bound), as a JVM draws them', () => {
    const r = new JavaRandom(0)
    assert.deepEqual(
      Array.from({ length: 20 }, () => r.nextInt(26)),
      [18, 18, 23, 21, 13, 9, 7, 15, 3, 16, 3, 23, 21, 2, 17, 0, 18, 19, 21, 24],
    )
    const q = new JavaRandom(42)
    assert.deepEqual(
      Array.from({ length: 5 }, () => q.nextInt(1_000_000_007)),
      [562431123, 117392763, 467211241, 102948884, 662969970],
    )
    assert.equal(q.nextInt(16), 15)
  })

  it('randomBytesOfLen draws once even for no bytes', () => {
    const r = new JavaRandom(0)
    assert.equal(randomBytesOfLen(r, 0).length, 0)
    assert.equal(randomBytesOfLen(r, 3).toString(), 'SSS')
  })
})

describe('verifiable-producer events', () => {
  it("puts timestamp and name first, as the tool's Jackson mapper does", () => {
    assert.equal(
      eventLine('producer_send_success', { key: null, value: '0', offset: 3, topic: 't', partition: 1 }, 7),
      '{"timestamp":7,"name":"producer_send_success","key":null,"value":"0","offset":3,"topic":"t","partition":1}',
    )
    assert.equal(
      toolDataLine(5, 5, -1, 20, 9),
      '{"timestamp":9,"name":"tool_data","sent":5,"acked":5,"target_throughput":-1,"avg_throughput":20.0}',
    )
    assert.equal(valueOf(4), '4')
    assert.equal(valueOf(4, 2), '2.4')
  })

  it('takes acks 0, 1 and -1 only', () => {
    assert.equal(producerAcks(-1), -1)
    assert.throws(() => producerAcks(2), UsageError)
  })
})

describe('verifiable-consumer rules', () => {
  const flags = { 'group-protocol': 'classic', 'reset-policy': 'earliest' }
  it('refuses what kafkajs cannot do, with the alternative', () => {
    assert.deepEqual(checkConsumerFlags(flags), { resetPolicy: 'earliest' })
    assert.deepEqual(checkConsumerFlags({ ...flags, 'reset-policy': 'LATEST' }), { resetPolicy: 'latest' })
    assert.throws(() => checkConsumerFlags({ ...flags, 'group-protocol': 'consumer' }), /classic group protocol only/)
    assert.throws(() => checkConsumerFlags({ ...flags, 'reset-policy': 'none' }), /none is not supported/)
    assert.throws(() => checkConsumerFlags({ ...flags, 'group-instance-id': 'x' }), /static membership/)
    assert.throws(() => checkConsumerFlags({ ...flags, 'group-protocol': 'bogus' }), /CLASSIC, CONSUMER/)
  })

  it('stops at --max-messages inside a batch', () => {
    const records = [5, 6, 7].map((offset) => ({ topic: 't', partition: 2, offset, key: null, value: String(offset) }))
    const { taken, summary } = takeRecords(records, 8, 10)
    assert.deepEqual(
      taken.map((r) => r.offset),
      [5, 6],
    )
    assert.deepEqual(summary, { topic: 't', partition: 2, count: 2, minOffset: 5, maxOffset: 6 })
    assert.equal(takeRecords(records, 10, 10).summary, undefined)
    assert.equal(takeRecords(records, 100, -1).taken.length, 3)
  })
})

describe('e2e-latency', () => {
  it('reads the named flags and the deprecated positional form', () => {
    const named = latencySettings([], { topic: 't', 'num-records': 10, 'producer-acks': 'all', 'record-size': 5 })
    assert.equal(named.positional, false)
    assert.equal(named.recordKeySize, 0)
    const positional = latencySettings(['h:9092', 't', '10', '1', '100', 'client.properties'], {})
    assert.deepEqual(
      [positional.bootstrapServer, positional.topic, positional.numRecords, positional.acks, positional.recordSize],
      ['h:9092', 't', 10, '1', 100],
    )
    assert.equal(positional.commandConfig, 'client.properties')
    assert.equal(positional.positional, true)
  })

  it("refuses with the tool's messages", () => {
    assert.throws(() => latencySettings(['a', 'b'], {}), /Expected 5 or 6 positional arguments, but got 2/)
    const base = { topic: 't', 'num-records': 1, 'producer-acks': '1', 'record-size': 1 }
    assert.throws(() => latencySettings([], { ...base, 'producer-acks': '0' }), /synchronous acknowledgement/)
    assert.throws(() => latencySettings([], { ...base, 'num-records': 0 }), /positive integer/)
    assert.throws(() => latencySettings([], { ...base, 'record-header-size': -2 }), /-1 for null header value/)
    assert.throws(() => latencySettings([], { topic: 't' }), /Missing required argument/)
  })

  it('summarises as EndToEndLatency.printResults', () => {
    const latencies = Array.from({ length: 1000 }, (_, i) => i % 10)
    const summary = latencySummary(latencies, 5_500_000_000)
    assert.deepEqual(summary.lines, ['Avg latency: 5.5000 ms', 'Percentiles: 50th = 5, 99th = 9, 99.9th = 9'])
    assert.equal(progressLine(0, 1_234_567), '0\t1.234567')
    assert.equal(progressLine(1000, 2_000_000), '1000\t2.0')
  })
})
