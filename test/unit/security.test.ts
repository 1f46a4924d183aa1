/**
 * acls, delegation-tokens and client-metrics without Kafka: the scripts' flag rules, the ACLs their flags stand for,
 * and the views against the text Kafka 4.4's AclCommand, DelegationTokenCommand and ClientMetricsCommand print.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { aclRequest, type AclFlags } from '../../src/acls/options.js'
import { parseOperation, pascalCase, patternText } from '../../src/acls/model.js'
import { groupByPattern } from '../../src/acls/service.js'
import { removeQuestion, renderAdd, renderList } from '../../src/acls/views.js'
import { metricsRequest } from '../../src/client-metrics/options.js'
import { kafkaUuid } from '../../src/client-metrics/service.js'
import { renderMetrics } from '../../src/client-metrics/views.js'
import { decodeHmac, tokenRequest } from '../../src/delegation-tokens/options.js'
import { renderCreate, renderDescribe, renderExpiry, tokenDate } from '../../src/delegation-tokens/views.js'
import { UsageError } from '../../src/errors.js'
import { beforeKafka4 } from '../../src/client/kafka-client.js'

const entry = (principal: string, operation: string, permissionType = 'ALLOW', host = '*') => ({
  principal,
  host,
  operation,
  permissionType,
})

function usageError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof UsageError && message.test(error.message))
}

describe('acls flags', () => {
  it('turns allow/deny principals, hosts and operations into entries per resource, in flag order', () => {
    const request = aclRequest({
      add: true,
      topic: ['orders', ' payments '],
      group: ['billing'],
      'allow-principal': ['User:alice', 'User:bob'],
      'deny-principal': ['User:mallory'],
      'deny-host': ['10.0.0.1'],
      operation: ['Read', 'describe'],
    })
    assert.equal(request.action, 'add')
    if (request.action !== 'add') return
    assert.deepEqual(
      request.resources.map((r) => patternText(r.pattern)),
      [
        'ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)',
        'ResourcePattern(resourceType=TOPIC, name=payments, patternType=LITERAL)',
        'ResourcePattern(resourceType=GROUP, name=billing, patternType=LITERAL)',
      ],
    )
    assert.deepEqual(request.resources[0]!.entries, [
      entry('User:alice', 'READ'),
      entry('User:alice', 'DESCRIBE'),
      entry('User:bob', 'READ'),
      entry('User:bob', 'DESCRIBE'),
      entry('User:mallory', 'READ', 'DENY', '10.0.0.1'),
      entry('User:mallory', 'DESCRIBE', 'DENY', '10.0.0.1'),
    ])
  })

  it('makes the --producer / --consumer / --idempotent ACLs as AclCommand does', () => {
    const request = aclRequest({
      add: true,
      producer: true,
      consumer: true,
      idempotent: true,
      topic: ['t'],
      group: ['g'],
      'transactional-id': ['tx'],
      'allow-principal': ['User:app'],
      'resource-pattern-type': 'PREFIXED',
    })
    if (request.action !== 'add') throw new Error('add expected')
    const byResource = Object.fromEntries(
      request.resources.map((r) => [
        `${r.pattern.resourceType}:${r.pattern.name}:${r.pattern.patternType}`,
        r.entries.map((e) => e.operation),
      ]),
    )
    assert.deepEqual(byResource, {
      'TOPIC:t:PREFIXED': ['WRITE', 'DESCRIBE', 'CREATE', 'READ'],
      'TRANSACTIONAL_ID:tx:PREFIXED': ['WRITE', 'DESCRIBE'],
      // The cluster is always a literal pattern.
      'CLUSTER:kafka-cluster:LITERAL': ['IDEMPOTENT_WRITE'],
      'GROUP:g:PREFIXED': ['READ'],
    })
  })

  it('removes every ACL of a resource when no principal is given, and lists by filter and principal', () => {
    const remove = aclRequest({ remove: true, topic: ['t'], 'resource-pattern-type': 'match' })
    assert.deepEqual(remove, {
      action: 'remove',
      force: false,
      filters: [{ pattern: { resourceType: 'TOPIC', name: 't', patternType: 'MATCH' }, entries: [] }],
    })
    assert.deepEqual(aclRequest({ list: true, principal: ['User:a'] }), {
      action: 'list',
      filters: [],
      principals: ['User:a'],
    })
    // A non-literal pattern type leaves the cluster out, as getResourceFilter does.
    assert.deepEqual(aclRequest({ list: true, cluster: true, 'resource-pattern-type': 'any' }), {
      action: 'list',
      filters: [],
      principals: [],
    })
  })

  const refusals: Array<[AclFlags, RegExp]> = [
    [{}, /exactly one action: --list, --add, --remove\./],
    [{ add: true, list: true }, /exactly one action/],
    [
      { list: true, 'allow-principal': ['User:a'] },
      /^Option "\[list\]" can't be used with option "\[allow-principal\]"$/,
    ],
    [
      { add: true, producer: true, operation: ['Read'], topic: ['t'] },
      /"\[producer\]" can't be used with option "\[operation\]"/,
    ],
    [{ add: true, principal: ['User:a'], topic: ['t'] }, /--principal option is only available if --list is set/],
    [{ add: true, producer: true }, /With --producer you must specify a --topic/],
    [{ add: true, idempotent: true, topic: ['t'] }, /--idempotent option is only available if --producer is set/],
    [{ add: true, consumer: true, topic: ['t'], group: ['g'], cluster: true }, /With --consumer you must specify/],
    [
      { add: true, topic: ['t'], 'allow-principal': ['User:a'], 'resource-pattern-type': 'any' },
      /value of 'ANY' is not valid when adding acls/,
    ],
    [{ add: true, topic: ['t'] }, /You must specify one of: --allow-principal, --deny-principal/],
    [{ remove: true }, /You must provide at least one resource/],
    [{ add: true, topic: ['t'], 'allow-principal': ['alice'] }, /principalType:principalName but got alice/],
    [{ list: true, 'resource-pattern-type': 'regex' }, /Unknown resource-pattern-type: regex/],
    [
      { add: true, 'delegation-token': ['x'], 'allow-principal': ['User:a'], operation: ['Write'] },
      /^ResourceType DELEGATION_TOKEN only supports operations \[DESCRIBE, ALL\]$/,
    ],
  ]
  for (const [flags, message] of refusals)
    it(`refuses ${JSON.stringify(flags)}`, () => usageError(() => aclRequest(flags), message))

  it('reads operations as SecurityUtils does, plus the enum spelling', () => {
    assert.equal(parseOperation('Read'), 'READ')
    assert.equal(parseOperation('IDEMPOTENTWRITE'), 'IDEMPOTENT_WRITE')
    assert.equal(parseOperation('idempotent_write'), 'IDEMPOTENT_WRITE')
    assert.equal(parseOperation('TwoPhaseCommit'), 'TWO_PHASE_COMMIT')
    usageError(() => parseOperation('Any'), /Unknown --operation "Any"/)
    assert.equal(pascalCase('DESCRIBE_CONFIGS'), 'DescribeConfigs')
  })
})

describe('acls views (AclCommand 4.4 text)', () => {
  const pattern = { resourceType: 'TOPIC', name: 't', patternType: 'LITERAL' } as const
  const alice = entry('User:alice', 'READ') as never

  it('prints --add with the space after the colon and before the tab, a blank line after', () => {
    assert.equal(
      renderAdd({
        action: 'add',
        scriptVersion: '4.4',
        resources: [{ pattern, added: [alice, entry('User:bob', 'WRITE') as never], existing: [] }],
      }),
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n' +
        '\t(principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW)\n\n',
    )
    assert.equal(
      renderAdd({ action: 'add', scriptVersion: '4.4', resources: [{ pattern, added: [], existing: [alice] }] }),
      'Acl (pattern=ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL), entry=(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)) already exists.\n',
    )
  })

  it('prints --list without the space, and per principal', () => {
    const resources = groupByPattern([
      { pattern, entry: alice },
      { pattern, entry: alice },
      { pattern: { ...pattern, name: 'u' }, entry: entry('User:bob', 'ALL') as never },
    ])
    assert.equal(resources.length, 2)
    assert.equal(resources[0]!.entries.length, 1)
    assert.equal(
      renderList({ action: 'list', scriptVersion: '4.4', resources }),
      'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`:\n' +
        '\t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n\n' +
        'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=u, patternType=LITERAL)`:\n' +
        '\t(principal=User:bob, host=*, operation=ALL, permissionType=ALLOW)\n\n',
    )
    assert.equal(
      renderList({
        action: 'list',
        scriptVersion: '4.4',
        resources,
        byPrincipal: [{ principal: 'User:carol', resources: [] }],
      }),
      'ACLs for principal `User:carol`\n',
    )
  })

  it("prints Kafka 3.9's Scala text for a broker before 4.0: a space before the first and last line break", () => {
    const bob = entry('User:bob', 'WRITE') as never
    assert.equal(
      renderAdd({ action: 'add', scriptVersion: '3.9', resources: [{ pattern, added: [alice], existing: [bob] }] }),
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n' +
        '\t(principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW) \n\n',
    )
    // 3.9 has no "already exists" line: an entry already there is named as added.
    assert.equal(
      renderAdd({ action: 'add', scriptVersion: '3.9', resources: [{ pattern, added: [], existing: [alice] }] }),
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n',
    )
    const resources = [{ pattern, entries: [alice] }]
    const block =
      'Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`: \n' +
      ' \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW) \n\n'
    assert.equal(renderList({ action: 'list', scriptVersion: '3.9', resources }), block)
    assert.equal(
      renderList({
        action: 'list',
        scriptVersion: '3.9',
        resources,
        byPrincipal: [
          { principal: 'User:alice', resources },
          { principal: 'User:nobody', resources: [] },
        ],
      }),
      `ACLs for principal \`User:alice\`\n${block}ACLs for principal \`User:nobody\`\n`,
    )
  })

  it('tells a broker before Kafka 4.0 by its Fetch versions (Produce v0 is advertised by 4.x again)', () => {
    const kafka39 = new Map([
      [0, { min: 0, max: 11 }],
      [1, { min: 0, max: 17 }],
    ])
    const kafka44 = new Map([
      [0, { min: 0, max: 13 }],
      [1, { min: 4, max: 18 }],
    ])
    assert.equal(beforeKafka4(kafka39), true)
    assert.equal(beforeKafka4(kafka44), false)
    assert.equal(beforeKafka4(new Map()), false)
  })

  it("asks the script's questions", () => {
    assert.equal(
      removeQuestion(pattern, []),
      'Are you sure you want to delete all ACLs for resource filter `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`? (y/n)',
    )
    assert.equal(
      removeQuestion(pattern, [alice]),
      'Are you sure you want to remove ACLs: \n \t(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)\n from resource filter `ResourcePattern(resourceType=TOPIC, name=t, patternType=LITERAL)`? (y/n)',
    )
  })
})

describe('delegation-tokens', () => {
  it('checks the flags as DelegationTokenCommand does', () => {
    assert.deepEqual(
      tokenRequest({
        create: true,
        'max-life-time-period': -1,
        'renewer-principal': ['User:b'],
        'owner-principal': ['User:o'],
      }),
      {
        action: 'create',
        renewers: [{ type: 'User', name: 'b' }],
        owner: { type: 'User', name: 'o' },
        maxLifetimeMs: -1,
      },
    )
    usageError(
      () => tokenRequest({ create: true, describe: true }),
      /exactly one action: --create, --renew, --expire or --describe/,
    )
    usageError(() => tokenRequest({ create: true }), /Missing required argument "\[max-life-time-period\]"/)
    usageError(() => tokenRequest({ renew: true, hmac: 'x' }), /Missing required argument "\[renew-time-period\]"/)
    usageError(() => tokenRequest({ describe: true, hmac: 'x' }), /"\[describe\]" can't be used with option "\[hmac\]"/)
    usageError(() => decodeHmac('not base64!'), /is not Base64/)
    assert.deepEqual(decodeHmac('AQID'), Buffer.from([1, 2, 3]))
  })

  const token = {
    tokenId: 'k5WXOETLTzGPjw4GFm4yUA',
    hmac: 'n5iq==',
    owner: 'User:admin',
    requester: 'User:admin',
    renewers: ['User:bob', 'User:carol'],
    issueTimestamp: new Date(2026, 10, 29, 21, 39).getTime(),
    expiryTimestamp: new Date(2026, 10, 30, 21, 39).getTime(),
    maxTimestamp: new Date(2026, 11, 6, 21, 39).getTime(),
  }
  const header =
    '\nTOKENID         HMAC                           OWNER           REQUESTER       RENEWERS                  ISSUEDATE       EXPIRYDATE      MAXDATE        \n'
  const row =
    '\nk5WXOETLTzGPjw4GFm4yUA n5iq==                         User:admin      User:admin      [User:bob, User:carol]    2026-11-29T21:39 2026-11-30T21:39 2026-12-06T21:39\n'

  it('prints the printf table and lines of DelegationTokenCommand', () => {
    assert.equal(tokenDate(new Date(2026, 0, 2, 3, 4).getTime()), '2026-01-02T03:04')
    assert.equal(
      renderCreate({ action: 'create', renewers: ['User:bob'], maxLifetimeMs: -1, token }),
      'Calling create token operation with renewers :[User:bob] , max-life-time-period :-1\n' +
        'Created delegation token with tokenId : k5WXOETLTzGPjw4GFm4yUA\n' +
        header +
        row,
    )
    assert.equal(
      renderDescribe({ action: 'describe', owners: ['User:admin'], tokens: [token] }),
      `Calling describe token operation for owners: [User:admin]\nTotal number of tokens : 1${header}${row}`,
    )
    assert.equal(
      renderDescribe({ action: 'describe', owners: [], tokens: [] }),
      `Calling describe token operation for current user.\nTotal number of tokens : 0${header}`,
    )
    assert.equal(
      renderExpiry({ action: 'expire', hmac: 'AQID', periodMs: -1, expiryTimestamp: token.issueTimestamp }),
      'Calling expire token operation with hmac :AQID , expire-time-period :-1\nCompleted expire operation. New expiry date : 2026-11-29T21:39',
    )
  })
})

describe('client-metrics', () => {
  it('checks the flags as ClientMetricsCommand does; empty values delete', () => {
    assert.deepEqual(
      metricsRequest({ alter: true, name: 'm', metrics: ['a.', 'b.'], match: ['client_id=x'], interval: '' }),
      {
        action: 'alter',
        name: 'm',
        changes: [
          { key: 'interval.ms', value: '' },
          { key: 'metrics', value: 'a.,b.' },
          { key: 'match', value: 'client_id=x' },
        ],
      },
    )
    usageError(() => metricsRequest({}), /exactly one action: --alter, --delete, --describe or --list\./)
    usageError(
      () => metricsRequest({ alter: true }),
      /One of --name or --generate-name must be specified with --alter\./,
    )
    usageError(
      () => metricsRequest({ alter: true, name: 'a', 'generate-name': true }),
      /One of --name or --generate-name/,
    )
    usageError(
      () => metricsRequest({ delete: true }),
      /A client metrics resource name must be specified with --delete\./,
    )
    usageError(() => metricsRequest({ list: true, name: 'x' }), /"\[list\]" can't be used with option "\[name\]"/)
    usageError(() => metricsRequest({ alter: true, name: 'x', interval: '5s' }), /Invalid interval value/)
  })

  it('prints what the script prints', () => {
    assert.equal(renderMetrics({ action: 'list', names: [] }), '\n')
    assert.equal(renderMetrics({ action: 'list', names: ['a', 'b'] }), 'a\nb\n')
    assert.equal(
      renderMetrics({
        action: 'describe',
        resources: [
          {
            name: 'a',
            configs: [
              { name: 'interval.ms', value: '5000' },
              { name: 'match', value: null },
            ],
          },
        ],
      }),
      'Client metrics configs for a are:\n  interval.ms=5000\n  match=null\n',
    )
    assert.equal(
      renderMetrics({ action: 'describe', missing: 'x', resources: [] }),
      "The client metric resource x doesn't exist and doesn't have dynamic config.\n",
    )
    // A 3.9 broker's result: 3.9's script prints the heading alone.
    assert.equal(
      renderMetrics({ action: 'describe', missing: 'x', resources: [{ name: 'x', configs: [] }] }),
      'Client metrics configs for x are:\n',
    )
  })

  it("generates names as Kafka's Uuid.randomUuid prints them", () => {
    for (let i = 0; i < 50; i++) assert.match(kafkaUuid(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
  })
})
