import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  PERF_HEADER,
  PERF_ROW,
  PERF_TOTAL,
  TOOL_ENV,
  distHome,
  eventShapes,
  eventually,
  freePorts,
  json,
  jsonEvents,
  linesUntil,
  maskColumns,
  produce,
  REPORT_STAMP,
  stampless,
  run,
  runClass,
  sandbox,
  saslPlainOverrides,
  saslPlainProperties,
  startOpenTransactions,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * The Kafka 3.9 half of the script comparisons: acls, transactions, producer-perf-test / consumer-perf-test,
 * streams-application-reset, verifiable-producer / verifiable-consumer, e2e-latency, replica-verification,
 * delegation-tokens and client-metrics through the built CLI against
 * a 3.9.2 KRaft stack, each beside 3.9.2's own tool on the same broker (the .cache dist has no scripts for them:
 * kafka-run-class.sh runs the classes, Scala kafka.admin.AclCommand for kafka-acls.sh). The command lines are 3.9's
 * spellings (--producer-props, --messages, e2e-latency's positional arguments). The 4.4 tests (acls, transactions,
 * perf-test, streams-reset) check the rest; here one or two checks per command. One stack with StandardAuthorizer,
 * User:ANONYMOUS a super user: ACLs are stored and listed, every client may do anything. Beside kafkit's PLAINTEXT
 * listener a SASL_PLAINTEXT one (SASL/PLAIN user admin, also a super user) and a token secret, for delegation tokens.
 */

const USERS = { admin: 'admin-secret' }

const ok = (result: Run, what: string): Run => {
  assert.equal(result.code, 0, `${what} exited ${result.code}\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  return result
}

/**
 * The blocks of a 3.9 AclCommand listing, each `head: \n \t<entry>\n\t<entry> \n` (Scala's mkString), as the head and
 * its entries sorted, blocks sorted: Java's order of resources and entries changes from run to run.
 */
function scalaAclBlocks(text: string): string[] {
  return text
    .split(' \n\n')
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const [head, ...entries] = block.replace(/^\n+/, '').split('\n')
      assert.match(head!, /: $/, `block head: ${block}`)
      assert.ok(entries[0]?.startsWith(' \t'), `first entry after a space: ${block}`)
      return [head, ...entries.map((e) => e.replace(/^ ?\t/, '')).sort()].join('\n')
    })
    .sort()
}

describe(`kafkit against Kafka ${KAFKA_3}'s own tools (acls, transactions, perf, streams reset, verifiable, replica verification)`, () => {
  let box: Sandbox
  let bootstrap: string
  let openTxn: ReturnType<typeof startOpenTransactions> | undefined
  let sasl: string

  const kafkit = (args: string[]) => box.kafkit([...args, '--bootstrap-server', bootstrap], { timeoutMs: 90_000 })
  const java = (mainClass: string, args: string[]) =>
    runClass(KAFKA_3, mainClass, ['--bootstrap-server', bootstrap, ...args])

  before(async () => {
    box = sandbox()
    // Ports: PLAINTEXT (kafkit's), CONTROLLER, SASL, and the unused ZooKeeper one startStack names.
    const base = await freePorts(4)
    sasl = `127.0.0.1:${base + 2}`
    bootstrap = await startStack(box, {
      version: KAFKA_3,
      stack: 'k3',
      port: base,
      controllerPort: base + 1,
      overrides: [
        ...saslPlainOverrides({ plaintext: base, controller: base + 1, sasl: base + 2 }, USERS),
        'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'super.users=User:ANONYMOUS;User:admin',
        'delegation.token.secret.key=kafkit-k3-test-secret',
      ],
    })
    await Promise.all(
      [
        ['tx', '2'],
        ['vt', '2'],
        ['in', '2'],
        ['ra-store-changelog', '1'],
        ['rb-store-changelog', '1'],
      ].map(async ([topic, partitions]) =>
        ok(await kafkit(['topics', '--create', '--topic', topic!, '--partitions', partitions!]), `create ${topic}`),
      ),
    )
    // Kafka 3.9's Java producer leaves open-a's transaction open on tx-0 and open-b's on tx-1 (4 records each, from
    // offset 0); it compiles and starts while the ACL checks run.
    openTxn = startOpenTransactions(KAFKA_3, bootstrap, 'tx', 4, 'open-a:0', 'open-b:1')
  })

  after(async () => {
    openTxn?.stop()
    await box?.cleanup()
  })

  it("acls: 3.9's Scala AclCommand text, byte for byte where its order is fixed; the same ACLs listed by both", async () => {
    const acls = (args: string[]) => java('kafka.admin.AclCommand', args)
    const describeOn = (topic: string) =>
      ['--add', '--allow-principal', 'User:alice', '--operation', 'Describe'].concat(['--topic', topic])
    const [ours, theirs] = await Promise.all([
      kafkit(['kafka-acls.sh', ...describeOn('shared')]),
      acls(describeOn('other')),
    ])
    assert.equal(
      ok(ours, 'kafkit acls --add').stdout,
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=shared, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW) \n\n',
    )
    assert.equal(ours.stdout.replace('name=shared', 'name=other'), ok(theirs, 'AclCommand --add').stdout)
    // Added again: 3.9's tool prints the same block again (4.4 says "already exists"), and so does kafkit.
    assert.equal(ok(await kafkit(['acls', ...describeOn('shared')]), 'kafkit acls --add again').stdout, ours.stdout)

    const roles = (who: string) =>
      ['--add', '--allow-principal', who, '--producer', '--consumer', '--idempotent', '--topic', 'app.'].concat([
        '--group',
        'app-group',
        '--resource-pattern-type',
        'prefixed',
      ])
    await Promise.all([
      kafkit(['acls', ...roles('User:alice')]).then((r) => ok(r, 'kafkit --producer --consumer')),
      acls(roles('User:bob')).then((r) => ok(r, 'AclCommand --producer --consumer')),
    ])
    const [list, javaList, shared, javaShared, bob, javaBob] = await Promise.all([
      kafkit(['acls', '--list']),
      acls(['--list']),
      kafkit(['acls', '--list', '--topic', 'shared']),
      acls(['--list', '--topic', 'shared']),
      kafkit(['acls', '--list', '--principal', 'User:bob']),
      acls(['--list', '--principal', 'User:bob']),
    ])
    assert.equal(ok(shared, 'kafkit --list --topic').stdout, ok(javaShared, 'AclCommand --list --topic').stdout)
    assert.match(
      shared.stdout,
      /^Current ACLs for resource `ResourcePattern\(.*name=shared.*\)`: \n \t\(principal=User:alice.*DESCRIBE.*\) \n\n$/,
    )
    assert.deepEqual(
      scalaAclBlocks(ok(list, 'kafkit --list').stdout),
      scalaAclBlocks(ok(javaList, 'AclCommand --list').stdout),
    )
    const prefixed = scalaAclBlocks(list.stdout).find((b) => b.includes('name=app., patternType=PREFIXED'))!
    for (const who of ['alice', 'bob'])
      for (const op of ['READ', 'WRITE', 'CREATE', 'DESCRIBE'])
        assert.ok(
          prefixed.includes(`(principal=User:${who}, host=*, operation=${op}, permissionType=ALLOW)`),
          `${who} ${op}`,
        )
    const principalHead = 'ACLs for principal `User:bob`\n'
    assert.ok(ok(bob, 'kafkit --principal').stdout.startsWith(principalHead), bob.stdout)
    assert.ok(ok(javaBob, 'AclCommand --principal').stdout.startsWith(principalHead), javaBob.stdout)
    assert.deepEqual(
      scalaAclBlocks(bob.stdout.slice(principalHead.length)),
      scalaAclBlocks(javaBob.stdout.slice(principalHead.length)),
    )

    // kafkit removes what Java added; Java lists nothing left.
    ok(await kafkit(['acls', '--remove', '--force', '--topic', 'other']), 'kafkit --remove')
    assert.equal(ok(await acls(['--list', '--topic', 'other']), 'AclCommand --list after remove').stdout, '')
  })

  it('transactions: list, describe, describe-producers and find-hanging print what 3.9 prints; abort ends a transaction as Java does', async () => {
    await openTxn!.opened()
    const tool = (args: string[]) => java('org.apache.kafka.tools.TransactionsCommand', args)
    const same = async (args: string[], timeColumns: string[] = []) => {
      const [theirs, ours] = await Promise.all([tool(args), kafkit(['transactions', ...args])])
      ok(theirs, `TransactionsCommand ${args.join(' ')}`)
      ok(ours, `kafkit transactions ${args.join(' ')}`)
      assert.deepEqual(maskColumns(ours.stdout, timeColumns), maskColumns(theirs.stdout, timeColumns), args.join(' '))
      return ours.stdout
    }
    const [listed, described] = await Promise.all([
      same(['list']),
      same(['describe', '--transactional-id', 'open-a'], ['TransactionDurationMs']),
      same(['describe-producers', '--topic', 'tx', '--partition', '0']),
      same(['find-hanging', '--broker-id', '1']),
    ])
    assert.match(listed, /^open-a\s+\t1\s+\t\d+\s+\tOngoing\s+\t$/m)
    assert.match(described, /\tOngoing\s+\t600000\s+\t\d+\s+\t\d+\s+\ttx-0\s*\t$/m)
    // 3.9's tool has no --transactional-id-pattern; kafkit names the Kafka it needs.
    const pattern = await kafkit(['transactions', 'list', '--transactional-id-pattern', 'open.*'])
    assert.equal(pattern.code, 1)
    assert.match(
      pattern.stderr,
      /^Error: Failed to list transactions: filtering by transactional id pattern needs ListTransactions v2 \(Kafka 4\.1 or newer\); broker 1 speaks up to v1\./,
    )

    const abort = (partition: number) => [
      'abort',
      '--topic',
      'tx',
      '--partition',
      String(partition),
      '--start-offset',
      '0',
    ]
    const [ours, theirs] = await Promise.all([kafkit(['transactions', ...abort(0)]), tool(abort(1))])
    assert.equal(ok(ours, 'kafkit abort').stdout, ok(theirs, 'TransactionsCommand abort').stdout)
    // No transaction left open on either partition, as both tools see it.
    for (const producers of await Promise.all(
      ['0', '1'].map((partition) => same(['describe-producers', '--topic', 'tx', '--partition', partition])),
    )) {
      assert.match(producers, /\tNone\s*\t$/m, producers)
      assert.doesNotMatch(producers, /\t\d+\s*\t$/m, producers)
    }
  })

  it("producer-perf-test and consumer-perf-test with 3.9's flags print ProducerPerformance's and ConsumerPerformance's lines", async () => {
    // 3.9's ProducerPerformance has no --bootstrap-server (4.2 added it) nor --reporting-interval.
    const produce = ['--topic', 'perf', '--num-records', '2000', '--record-size', '100', '--throughput', '-1'].concat([
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      'acks=all',
    ])
    const ours = ok(await box.kafkit(['kafka-producer-perf-test.sh', ...produce]), 'kafkit producer-perf-test')
    const theirs = ok(
      await runClass(KAFKA_3, 'org.apache.kafka.tools.ProducerPerformance', produce),
      'ProducerPerformance',
    )
    for (const r of [ours, theirs]) {
      const out = r.stdout.split('\n').filter(Boolean)
      assert.equal(PERF_TOTAL.exec(out.at(-1)!)?.[1], '2000', r.stdout)
    }
    const offsets = ok(await kafkit(['get-offsets', '--topic', 'perf']), 'get-offsets').stdout
    assert.equal(offsets, 'perf:0:4000\n')

    const consume = ['--topic', 'perf', '--messages', '4000', '--timeout', '60000']
    const [oursC, theirsC] = await Promise.all([
      kafkit(['kafka-consumer-perf-test.sh', ...consume]),
      java('org.apache.kafka.tools.ConsumerPerformance', consume),
    ])
    for (const [who, r] of [
      ['kafkit', oursC],
      ['ConsumerPerformance', theirsC],
    ] as const) {
      const [header, row, ...rest] = ok(r, who).stdout.split('\n').filter(Boolean)
      assert.equal(header, PERF_HEADER, who)
      assert.equal(PERF_ROW.exec(row ?? '')?.[1], '4000', `${who}: ${row}`)
      assert.deepEqual(rest, [], who)
    }
  })

  it('streams-application-reset: the dry run prints what 3.9 prints; both reset twin applications alike', async () => {
    ok(
      await box.kafkit(['console-producer', '--topic', 'in', '-b', bootstrap], { input: 'a\nb\nc\nd\ne\nf\n' }),
      'produce',
    )
    // Committed offsets at the log end, as an application that read everything leaves them.
    await Promise.all(
      ['ra', 'rb'].map(async (group) =>
        ok(
          await kafkit([
            'consumer-groups',
            '--reset-offsets',
            '--to-latest',
            '--execute',
            '--group',
            group,
            '--topic',
            'in',
          ]),
          `commit ${group}`,
        ),
      ),
    )
    const resetter = 'org.apache.kafka.tools.StreamsResetter'
    const dry = ['--application-id', 'ra', '--input-topics', 'in', '--dry-run']
    const [oursDry, theirsDry] = await Promise.all([kafkit(['streams-application-reset', ...dry]), java(resetter, dry)])
    assert.equal(ok(oursDry, 'kafkit dry run').stdout, ok(theirsDry, 'StreamsResetter dry run').stdout)
    assert.match(oursDry.stdout, /\nDeleting inferred internal topics \[ra-store-changelog\]\n/)

    const reset = (id: string) => ['--application-id', id, '--input-topics', 'in', '--to-earliest']
    const [ours, theirs] = await Promise.all([
      kafkit(['streams-application-reset', ...reset('ra')]),
      java(resetter, reset('rb')),
    ])
    assert.equal(
      ok(ours, 'kafkit reset').stdout.replace(/\bra\b/g, 'ID'),
      ok(theirs, 'StreamsResetter').stdout.replace(/\brb\b/g, 'ID'),
    )
    const groups = ok(
      await run(
        join(distHome(KAFKA_3), 'bin', 'kafka-consumer-groups.sh'),
        ['--bootstrap-server', bootstrap, '--describe', '--offsets', '--group', 'ra', '--group', 'rb'],
        TOOL_ENV,
      ),
      'kafka-consumer-groups.sh',
    ).stdout
    const rows = (group: string) =>
      groups
        .split('\n')
        .filter((l) => l.startsWith(`${group} `))
        .map((l) => l.split(/\s+/).slice(1, 4).join(' '))
        .sort()
    assert.deepEqual(rows('ra'), ['in 0 0', 'in 1 0'])
    assert.deepEqual(rows('rb'), rows('ra'))
    await eventually(
      async () => {
        const topics = ok(await kafkit(['topics', '--list']), 'topics').stdout.split('\n')
        return !topics.includes('ra-store-changelog') && !topics.includes('rb-store-changelog')
      },
      30_000,
      'both changelogs deleted',
    )
  })

  it('verifiable-producer, verifiable-consumer and e2e-latency write the events and lines of 3.9 tools', async () => {
    const produce = (prefix: string) => [
      '--topic',
      'vt',
      '--max-messages',
      '20',
      '--repeating-keys',
      '4',
      '--value-prefix',
      prefix,
    ]
    const [ours, theirs] = await Promise.all([
      kafkit(['kafka-verifiable-producer.sh', ...produce('2')]),
      java('org.apache.kafka.tools.VerifiableProducer', produce('1')),
    ])
    const [k, j] = [
      jsonEvents(ok(ours, 'kafkit verifiable-producer').stdout),
      jsonEvents(ok(theirs, 'VerifiableProducer').stdout),
    ]
    assert.deepEqual(eventShapes(k), eventShapes(j))
    const sends = (list: typeof j) => list.filter((e) => e.name === 'producer_send_success')
    assert.equal(sends(k).length, 20)
    const placement = (list: typeof j) => [...new Set(sends(list).map((e) => `${e.key}->${e.partition}`))].sort()
    assert.deepEqual(placement(k), placement(j))

    const consume = (group: string) => ['--topic', 'vt', '--group-id', group, '--max-messages', '40', '--verbose']
    const latency = (topic: string) => [bootstrap, topic, '20', '1', '20']
    const [oursC, theirsC, oursL, theirsL] = await Promise.all([
      kafkit(['kafka-verifiable-consumer.sh', ...consume('vkafkit')]),
      java('org.apache.kafka.tools.VerifiableConsumer', consume('vjava')),
      // 3.9's EndToEndLatency takes positional arguments only.
      box.kafkit(['kafka-e2e-latency.sh', ...latency('lat-k')]),
      runClass(KAFKA_3, 'org.apache.kafka.tools.EndToEndLatency', latency('lat-j')),
    ])
    const [kc, jc] = [
      jsonEvents(ok(oursC, 'kafkit verifiable-consumer').stdout),
      jsonEvents(ok(theirsC, 'VerifiableConsumer').stdout),
    ]
    // kafkit writes 4.4's events: 3.9's VerifiableConsumer has no shutdown_requested at the end of its run.
    const { shutdown_requested: requested, ...kShapes } = eventShapes(kc)
    assert.equal(requested, 'name,timestamp')
    assert.deepEqual(kShapes, eventShapes(jc))
    const records = (list: typeof jc) =>
      list
        .filter((e) => e.name === 'record_data')
        .map((e) => `${e.partition} ${e.offset} ${e.key} ${e.value}`)
        .sort()
    assert.equal(records(kc).length, 40)
    assert.deepEqual(records(kc), records(jc))
    const pattern = (stdout: string) =>
      stdout
        .replace(/lat-[jk]/g, 'TOPIC')
        .replace(/\d+(\.\d+)?/g, 'N')
        .split('\n')
    assert.deepEqual(pattern(ok(oursL, 'kafkit e2e-latency').stdout), pattern(ok(theirsL, 'EndToEndLatency').stdout))
    assert.match(oursL.stdout, /^Topic "lat-k" does not exist\. .*\n0\t\d+\.\d+\nAvg latency: \d+\.\d{4} ms\n/)
  })

  it("replica-verification with 3.9's --topic-white-list prints ReplicaVerificationTool's lines (time stamps aside)", async () => {
    const created = await kafkit(['topics', '--create', '--topic', 'rv3', '--partitions', '2'])
    assert.equal(created.code, 0, created.stderr)
    await produce(bootstrap, 'rv3', ['a', 'b', 'c', 'd'])
    const flags = ['--topic-white-list', 'rv3', '--report-interval-ms', '500', '--time', '-2']
    const [theirs, ours] = await Promise.all([
      linesUntil(
        join(distHome(KAFKA_3), 'bin', 'kafka-run-class.sh'),
        ['org.apache.kafka.tools.ReplicaVerificationTool', '--broker-list', bootstrap, ...flags],
        TOOL_ENV,
        (lines) => lines.some((l) => l.includes('max lag')),
        60_000,
      ),
      box.kafkit(['kafka-replica-verification.sh', '--broker-list', bootstrap, ...flags, '--max-reports', '1']),
    ])
    assert.equal(ours.code, 0, ours.stderr)
    const mine = ours.stdout.split('\n').filter((l) => l !== '')
    for (const line of mine) assert.match(line, REPORT_STAMP)
    const expected = stampless(theirs).slice(0, 2)
    assert.match(expected[1]!, /^<time>: max lag is 0 for partition rv3-\d at offset \d+ among 2 partitions$/)
    assert.deepEqual(stampless(mine), expected)
  })

  it("delegation-tokens: create, describe, renew and expire print what 3.9's DelegationTokenCommand prints", async () => {
    const config = saslPlainProperties(join(box.home, 'admin.properties'), 'admin', USERS.admin)
    const admin = ['--bootstrap-server', sasl, '--command-config', config]
    const tokens = (args: string[]) => box.kafkit(['delegation-tokens', ...admin, ...args], { timeoutMs: 90_000 })
    const javaTokens = (args: string[]) =>
      runClass(KAFKA_3, 'org.apache.kafka.tools.DelegationTokenCommand', [...admin, ...args])
    const create = ['--create', '--max-life-time-period', '-1', '--renewer-principal', 'User:admin']
    const [ours, theirs] = await Promise.all([tokens(create), javaTokens(create)])
    // The token id, HMAC and dates differ between two tokens; the rest is the same text.
    const created = (r: Run, what: string) => {
      const text = ok(r, what).stdout
      const id = /^Created delegation token with tokenId : (\S+)$/m.exec(text)?.[1]
      assert.ok(id, text)
      const hmac = text
        .split('\n')
        .find((l) => l.startsWith(id))!
        .split(/\s+/)[1]!
      const masked = text
        .replaceAll(id, '<id>'.padEnd(id.length))
        .replaceAll(hmac, '<hmac>'.padEnd(hmac.length))
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d/g, '<date>'.padEnd(16))
      return { hmac, masked }
    }
    const [mine, java] = [created(ours, 'kafkit --create'), created(theirs, 'DelegationTokenCommand --create')]
    assert.equal(mine.masked, java.masked)
    assert.match(
      mine.masked,
      /^Calling create token operation with renewers :\[User:admin\] , max-life-time-period :-1\n/,
    )

    const describe = ['--describe', '--owner-principal', 'User:admin']
    const [described, javaDescribed] = await Promise.all([tokens(describe), javaTokens(describe)])
    assert.equal(ok(described, 'kafkit --describe').stdout, ok(javaDescribed, 'Java --describe').stdout)
    assert.match(described.stdout, /Total number of tokens : 2\n/)
    for (const hmac of [mine.hmac, java.hmac]) assert.ok(described.stdout.includes(hmac))

    const renew = (hmac: string) => ['--renew', '--hmac', hmac, '--renew-time-period', '3600000']
    const expire = (hmac: string) => ['--expire', '--hmac', hmac, '--expiry-time-period', '-1']
    for (const [action, name] of [
      [renew, 'renew'],
      [expire, 'expire'],
    ] as const) {
      const [a, b] = await Promise.all([tokens(action(mine.hmac)), javaTokens(action(java.hmac))])
      const text = ok(a, `kafkit --${name}`).stdout.replace(mine.hmac, '<hmac>')
      assert.equal(text, ok(b, `Java --${name}`).stdout.replace(java.hmac, '<hmac>'))
      assert.match(
        text,
        new RegExp(`\\nCompleted ${name} operation\\. New expiry date : \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d$`),
      )
    }
    await eventually(
      async () => /Total number of tokens : 0\n/.test(ok(await tokens(describe), 'kafkit --describe').stdout),
      30_000,
      'both tokens expired',
    )
  })

  it("client-metrics: alter, describe, list and delete agree with 3.9's ClientMetricsCommand", async () => {
    const metrics = (args: string[]) => java('org.apache.kafka.tools.ClientMetricsCommand', args)
    const alter = (name: string) => [
      '--alter',
      '--name',
      name,
      '--metrics',
      'org.apache.kafka.producer.',
      '--interval',
      '5000',
    ]
    const [altered, javaAltered] = await Promise.all([
      kafkit(['kafka-client-metrics.sh', ...alter('mk'), '--match', 'client_software_name=apache-kafka-java']),
      metrics([...alter('mj'), '--match', 'client_software_name=apache-kafka-java']),
    ])
    assert.equal(ok(altered, 'kafkit --alter').stdout, 'Altered client metrics config for mk.\n')
    assert.equal(ok(javaAltered, 'Java --alter').stdout, 'Altered client metrics config for mj.\n')
    await Promise.all(
      [['--list'], ['--describe'], ['--describe', '--name', 'nope']].map(async (args) => {
        const [theirs, ours] = await Promise.all([metrics(args), kafkit(['client-metrics', ...args])])
        assert.equal(
          ok(ours, `kafkit ${args.join(' ')}`).stdout,
          ok(theirs, `Java ${args.join(' ')}`).stdout,
          args.join(' '),
        )
      }),
    )
    const [deleted, javaDeleted] = await Promise.all([
      kafkit(['client-metrics', '--delete', '--name', 'mj']),
      metrics(['--delete', '--name', 'mk']),
    ])
    assert.equal(ok(deleted, 'kafkit --delete').stdout, 'Deleted client metrics config for mj.\n')
    assert.equal(ok(javaDeleted, 'Java --delete').stdout, 'Deleted client metrics config for mk.\n')
    // Each tool deleted the other's subscription: none is left.
    assert.equal(ok(await kafkit(['client-metrics', '--list']), 'kafkit --list').stdout, '\n')
    assert.deepEqual(json(ok(await kafkit(['client-metrics', '--list', '--json']), 'kafkit --list --json')).names, [])
  })
})
