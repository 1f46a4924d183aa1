/** verifiable-share-consumer without Kafka: its flag rules and the Java tool's event lines. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UsageError } from '../../src/errors.js'
import { checkShareConsumerFlags } from '../../src/verifiable/options.js'
import { acknowledgedEvent, recordsEvents } from '../../src/verifiable/share-consumer.js'

describe('verifiable-share-consumer flags', () => {
  it('takes the modes in any case and the reset strategies', () => {
    assert.deepEqual(checkShareConsumerFlags({ 'acknowledgement-mode': 'SYNC', 'offset-reset-strategy': '' }), {
      acknowledgementMode: 'sync',
      offsetResetStrategy: '',
    })
    assert.equal(
      checkShareConsumerFlags({ 'acknowledgement-mode': 'auto', 'offset-reset-strategy': 'Earliest' })
        .offsetResetStrategy,
      'earliest',
    )
    assert.equal(
      checkShareConsumerFlags({ 'acknowledgement-mode': 'auto', 'offset-reset-strategy': 'by_duration:PT1H' })
        .offsetResetStrategy,
      'by_duration:pt1h',
    )
  })

  it('refuses a wrong mode, a wrong strategy and --ack-pattern', () => {
    for (const bad of [
      { 'acknowledgement-mode': 'manual', 'offset-reset-strategy': '' },
      { 'acknowledgement-mode': 'auto', 'offset-reset-strategy': 'none' },
      { 'acknowledgement-mode': 'sync', 'offset-reset-strategy': '', 'ack-pattern': 'accept,release' },
    ])
      assert.throws(() => checkShareConsumerFlags(bad), UsageError, JSON.stringify(bad))
  })
})

describe('verifiable-share-consumer events', () => {
  const records = [
    { offset: 4n, key: Buffer.from('k'), value: Buffer.from('v') },
    { offset: 5n, key: null, value: null },
  ]

  it('records_consumed after record_data (verbose), fields in the Java order', () => {
    assert.deepEqual(recordsEvents('t', 1, records, true, 9), [
      '{"timestamp":9,"name":"record_data","key":"k","value":"v","topic":"t","partition":1,"offset":4}',
      '{"timestamp":9,"name":"record_data","key":null,"value":null,"topic":"t","partition":1,"offset":5}',
      '{"timestamp":9,"name":"records_consumed","count":2,"partitions":[{"topic":"t","partition":1,"count":2,"offsets":[4,5]}]}',
    ])
    assert.equal(recordsEvents('t', 1, records, false, 9).length, 1)
  })

  it('offsets_acknowledged: offsets newest first, error only on failure', () => {
    assert.equal(
      acknowledgedEvent('t', [{ partition: 0, offsets: [0n, 1n, 2n] }], undefined, 3),
      '{"timestamp":3,"name":"offsets_acknowledged","count":3,"partitions":[{"topic":"t","partition":0,"count":3,"offsets":[2,1,0]}],"success":true}',
    )
    assert.equal(
      acknowledgedEvent('t', [{ partition: 2, offsets: [7n] }], 'INVALID_RECORD_STATE', 3),
      '{"timestamp":3,"name":"offsets_acknowledged","count":1,"partitions":[{"topic":"t","partition":2,"count":1,"offsets":[7]}],"error":"INVALID_RECORD_STATE","success":false}',
    )
  })
})
