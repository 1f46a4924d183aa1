import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { kafkitCommand, withTarget } from '../../src/output/commands.js'
import { targetOf } from '../../src/connection/source.js'
import { renderDown, renderUp } from '../../src/stack/views.js'
import { diagnoseLog } from '../../src/stack/diagnose.js'
import { missingStackHints } from '../../src/model/missing.js'
import type { UpResult } from '../../src/stack/service.js'

describe('kafkitCommand: printed commands run as printed', () => {
  const cases: Array<[string, Parameters<typeof kafkitCommand>[1], string]> = [
    ['status', { stack: 'default' }, 'kafkit status'],
    ['status', {}, 'kafkit status'],
    ['status', { stack: 'ux' }, 'kafkit status --stack ux'],
    ['logs -f', { stack: 'ux' }, 'kafkit logs -f --stack ux'],
    ['topics --list', { bootstrapServer: 'h:9092', stack: 'ux' }, 'kafkit topics --list --bootstrap-server h:9092'],
  ]
  for (const [args, target, expected] of cases)
    it(`${args} ${JSON.stringify(target)}`, () => assert.equal(kafkitCommand(args, target), expected))

  it('targets the stack or the --bootstrap-server a connection came from', () => {
    assert.deepEqual(targetOf({ servers: ['127.0.0.1:29092'], source: { kind: 'stack', stack: 'ux' } }), {
      stack: 'ux',
    })
    assert.deepEqual(targetOf({ servers: ['a:1', 'b:2'], source: { kind: 'flag' } }), { bootstrapServer: 'a:1,b:2' })
    // KAFKIT_BOOTSTRAP_SERVER is still in the environment when the hint is pasted.
    assert.deepEqual(targetOf({ servers: ['a:1'], source: { kind: 'env' } }), {})
  })

  it('up and down hints carry --stack for a stack other than default', () => {
    const up = {
      stack: 'ux',
      alreadyRunning: true,
      runtime: 'dist',
      mode: 'kraft',
      kafkaVersion: '4.4.0',
      kafka: '',
      clusterId: null,
      bootstrapServers: '127.0.0.1:29092',
      brokers: 1,
      controllers: 0,
      nodes: [],
      details: {},
      elapsedMs: 1,
    } as unknown as UpResult
    assert.match(renderUp(up), /^Try: kafkit status --stack ux · kafkit logs -f --stack ux · kafkit down --stack ux$/m)
    assert.match(renderUp({ ...up, stack: 'default' }), /^Try: kafkit status · kafkit logs -f · kafkit down$/m)
    assert.match(
      renderDown({ stack: 'ux', processes: [{ name: 'kafka-1', result: 'stopped' }] }),
      /kafkit up --stack ux starts it again/,
    )
  })

  it('log diagnoses name the stack in every command they print', () => {
    const fix = diagnoseLog(['org.apache.kafka.common.errors.InconsistentClusterIdException: boom'], 'ux')?.fix ?? ''
    assert.equal(fix, "kafkit purge --force --stack ux, then kafkit up --stack ux (this deletes the stack's data).")
  })
})

describe('missingStackHints: point at the stacks that exist', () => {
  const ux = { stack: 'ux', running: true, bootstrapServers: '127.0.0.1:29092' }
  const old = { stack: 'old', running: false, bootstrapServers: '127.0.0.1:19092' }
  it('names the running stacks and how to select one, and does not suggest a second Kafka', () => {
    const hints = missingStackHints('default', [ux])
    assert.deepEqual(hints.details, ['Running stacks: ux (127.0.0.1:29092).'])
    assert.deepEqual(hints.suggestions, ['Use --stack ux or export KAFKIT_STACK=ux.'])
  })
  it('lists stopped stacks after running ones', () => {
    const hints = missingStackHints('default', [old, ux])
    assert.deepEqual(hints.details, ['Running stacks: ux (127.0.0.1:29092).', 'Stopped stacks: old.'])
    assert.deepEqual(hints.suggestions, ['Use --stack ux or export KAFKIT_STACK=ux.'])
  })
  it('with only stopped stacks: start one again, or create the named one', () => {
    assert.deepEqual(missingStackHints('default', [old]).suggestions, [
      'kafkit up --stack old starts old again.',
      'kafkit up creates "default".',
    ])
    assert.deepEqual(missingStackHints('ux', [old]).suggestions, [
      'kafkit up --stack old starts old again.',
      'kafkit up --stack ux creates "ux".',
    ])
  })
  it('with no stacks at all: create it', () => {
    assert.deepEqual(missingStackHints('default', []), { details: [], suggestions: ['kafkit up creates "default".'] })
  })
})

describe('withTarget: suggestions from domain errors run as printed', () => {
  const cases: Array<[string, { stack?: string; bootstrapServer?: string }, string]> = [
    ['kafkit topics --list', { stack: 'ux' }, 'kafkit topics --list --stack ux'],
    ['List topics: kafkit topics --list', { stack: 'ux' }, 'List topics: kafkit topics --list --stack ux'],
    [
      'Create it: kafkit topics --create --topic orders',
      { bootstrapServer: 'b:9092' },
      'Create it: kafkit topics --create --topic orders --bootstrap-server b:9092',
    ],
    ['kafkit topics --list', { stack: 'default' }, 'kafkit topics --list'],
    // Stack commands never get --bootstrap-server; a hint that names its target is left alone.
    ['Start it: kafkit up', { stack: 'ux', bootstrapServer: 'b:9092' }, 'Start it: kafkit up --stack ux'],
    ['kafkit status', { bootstrapServer: 'b:9092' }, 'kafkit status'],
    [
      'kafkit purge --force --stack dev, then kafkit up --stack dev',
      { stack: 'ux' },
      'kafkit purge --force --stack dev, then kafkit up --stack dev',
    ],
    // Prose around a command is not a command: unchanged.
    [
      'Check the address and that the brokers are running, or use the local stack: kafkit up',
      { stack: 'ux' },
      'Check the address and that the brokers are running, or use the local stack: kafkit up',
    ],
    ['Run the command with --help to see its flags.', { stack: 'ux' }, 'Run the command with --help to see its flags.'],
    // Commands that take neither flag are left as they are.
    ['kafkit install kafka --version 3.8.1', { stack: 'ux' }, 'kafkit install kafka --version 3.8.1'],
  ]
  for (const [suggestion, target, expected] of cases) {
    it(`${suggestion} (${JSON.stringify(target)})`, () => assert.equal(withTarget(suggestion, target), expected))
  }
})
