import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mergeShapes, shapeBreaks, shapeOf, widenShape } from '../e2e/json-shape.js'

/** The comparator of the --json contract test (test/e2e/json-shapes.test.ts) must be able to fail. */
describe('JSON shapes for the --json contract', () => {
  it('keeps key names and typeof, merges array elements, marks keys seen in some elements optional', () => {
    assert.deepEqual(
      shapeOf({
        b: 1,
        a: [
          { x: 's', y: null },
          { x: 's', y: 2, z: true },
        ],
        e: [],
      }),
      {
        a: [{ x: 'string', y: 'null|number', 'z?': 'boolean' }],
        b: 'number',
        e: [],
      },
    )
  })

  it('folds data keys into "*" at the given paths', () => {
    assert.deepEqual(
      shapeOf({ topics: [{ configs: { 'retention.ms': '1', 'segment.bytes': '2' } }] }, ['topics[].configs']),
      {
        topics: [{ configs: { '*': 'string' } }],
      },
    )
  })

  it('keeps object and primitive alternatives apart', () => {
    assert.deepEqual(mergeShapes({ a: 'number' }, 'null'), { '|': [{ a: 'number' }, 'null'] })
    assert.deepEqual(widenShape({ cluster: { id: 'string' }, error: 'null' }, 'error', 'string'), {
      cluster: { id: 'string' },
      error: 'null|string',
    })
    assert.deepEqual(widenShape({ list: [{ rate: 'null' }] }, 'list[].rate', 'number'), {
      list: [{ rate: 'null|number' }],
    })
  })

  it('a new key, a gone key, a changed type or structure breaks the contract', () => {
    const contract = shapeOf({ id: 1, name: 'n', tags: ['t'], owner: { name: 'o' } })
    assert.deepEqual(shapeBreaks(contract, contract), [])
    assert.deepEqual(
      shapeBreaks(shapeOf({ id: 1, name: 'n', tags: ['t'], owner: { name: 'o' }, extra: 1 }), contract),
      ['$.extra: new key'],
    )
    assert.deepEqual(shapeBreaks(shapeOf({ id: 1, tags: ['t'], owner: { name: 'o' } }), contract), ['$.name: gone'])
    assert.deepEqual(shapeBreaks(shapeOf({ id: '1', name: 'n', tags: ['t'], owner: { name: 'o' } }), contract), [
      '$.id: string where the contract has number',
    ])
    assert.deepEqual(shapeBreaks(shapeOf({ id: 1, name: 'n', tags: [1], owner: { name: 'o' } }), contract), [
      '$.tags[]: number where the contract has string',
    ])
    assert.equal(shapeBreaks(shapeOf({ id: 1, name: 'n', tags: ['t'], owner: 'o' }), contract).length, 1)
  })

  it('what a run may not show does not break it: an empty array, one member of a union, an optional key', () => {
    const contract = {
      id: 'null|number',
      tags: ['string'],
      'note?': 'string',
      owner: { '|': [{ name: 'string' }, 'null'] },
    }
    assert.deepEqual(shapeBreaks(shapeOf({ id: null, tags: [], owner: null }), contract), [])
    assert.deepEqual(shapeBreaks(shapeOf({ id: 2, tags: ['a'], note: 'x', owner: { name: 'o' } }), contract), [])
    assert.equal(shapeBreaks(shapeOf({ id: 2, tags: ['a'], owner: { name: 1 } }), contract).length, 1)
  })
})
