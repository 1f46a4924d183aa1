/**
 * kafkit acls, delegation-tokens and client-metrics against Kafka 4.4's own AclCommand, DelegationTokenCommand and
 * ClientMetricsCommand on one stack started by kafkit with a StandardAuthorizer, a SASL_PLAINTEXT listener (SCRAM
 * users admin, alice) and a delegation-token secret. The PLAINTEXT listener kafkit's readiness uses, and the
 * CONTROLLER one, authenticate as User:ANONYMOUS, made a super user like admin; alice has no ACL to start with.
 * Outputs are compared byte for byte where the Java tool's order is fixed (one resource, one entry); where Java
 * prints several resources or entries, its order comes from identity hash codes and varies run to run, so blocks and
 * lines are compared as sets. Effects are checked with Kafka's console consumer logged in as alice.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_4, distHome, eventually, freePorts, json, run, sandbox, type Run, type Sandbox } from './helpers.js'

const SCRAM_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule'
const USERS = { admin: 'admin-secret', alice: 'alice-secret' } as const
type User = keyof typeof USERS

function ok(result: Run, what: string): Run {
  assert.equal(
    result.code,
    0,
    `${what} exited ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
  )
  return result
}

/** The blocks of an AclCommand listing (each "Current ACLs ..." with its entries, entries sorted), sorted. */
const aclBlocks = (text: string) =>
  text
    .split('\n\n')
    .filter((b) => b.trim() !== '')
    .map((b) => {
      const [head, ...entries] = b.split('\n')
      return [head, ...entries.sort()].join('\n')
    })
    .sort()

describe(`acls, delegation-tokens and client-metrics (Kafka ${KAFKA_4}, StandardAuthorizer, SASL SCRAM)`, () => {
  let box: Sandbox
  let dir: string
  let plaintext: string
  let sasl: string
  const props = (user: User) => join(dir, `${user}.properties`)
  const admin = () => ['--bootstrap-server', sasl, '--command-config', props('admin')]

  const javaEnv = () => ({ ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' })
  const javaClass = (main: string, args: string[]) =>
    run(join(distHome(KAFKA_4), 'bin', 'kafka-run-class.sh'), [main, ...args], javaEnv(), 120_000)
  const javaAcls = (args: string[]) => javaClass('org.apache.kafka.tools.AclCommand', [...admin(), ...args])
  const javaTokens = (args: string[]) =>
    javaClass('org.apache.kafka.tools.DelegationTokenCommand', [...admin(), ...args])
  const javaMetrics = (args: string[]) =>
    javaClass('org.apache.kafka.tools.ClientMetricsCommand', ['--bootstrap-server', plaintext, ...args])
  const kafkit = (args: string[]) => box.kafkit(args, { timeoutMs: 60_000 })

  /** Kafka's console consumer as `user` on the SASL listener, partition 0 from the start (no group, so topic READ is all it needs). */
  const consumeAs = (user: User, topic: string) =>
    run(
      join(distHome(KAFKA_4), 'bin', 'kafka-console-consumer.sh'),
      ['--bootstrap-server', sasl, '--command-config', props(user), '--topic', topic].concat([
        '--partition',
        '0',
        '--offset',
        'earliest',
        '--max-messages',
        '1',
        '--timeout-ms',
        '15000',
      ]),
      javaEnv(),
      60_000,
    )

  before(async () => {
    box = sandbox()
    dir = mkdtempSync(join(tmpdir(), 'kafkit-acls-'))
    const base = await freePorts(3)
    plaintext = `127.0.0.1:${base}`
    sasl = `127.0.0.1:${base + 2}`
    const overrides = [
      `listeners=PLAINTEXT://${plaintext},CONTROLLER://127.0.0.1:${base + 1},SASL://${sasl}`,
      `advertised.listeners=PLAINTEXT://${plaintext},SASL://${sasl}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT',
      'sasl.enabled.mechanisms=SCRAM-SHA-256',
      `listener.name.sasl.scram-sha-256.sasl.jaas.config=${SCRAM_MODULE} required;`,
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users=User:admin;User:ANONYMOUS',
      'allow.everyone.if.no.acl.found=false',
      'delegation.token.secret.key=kafkit-acls-test-secret',
    ]
    ok(
      await box.kafkit([
        'up',
        '--stack',
        'acls',
        '--runtime',
        'dist',
        '--version',
        KAFKA_4,
        '--port',
        String(base),
        '--controller-port',
        String(base + 1),
        '--timeout',
        '120s',
        ...overrides.flatMap((o) => ['--override', o]),
      ]),
      'kafkit up',
    )
    // SCRAM credentials are cluster metadata on KRaft: made with kafka-configs over PLAINTEXT, both users at once.
    await Promise.all(
      Object.entries(USERS).map(async ([user, password]) =>
        ok(
          await run(
            join(distHome(KAFKA_4), 'bin', 'kafka-configs.sh'),
            ['--bootstrap-server', plaintext, '--alter', '--entity-type', 'users', '--entity-name', user].concat([
              '--add-config',
              `SCRAM-SHA-256=[iterations=4096,password=${password}]`,
            ]),
            javaEnv(),
          ),
          `kafka-configs ${user}`,
        ),
      ),
    )
    for (const [user, password] of Object.entries(USERS))
      writeFileSync(
        props(user as User),
        [
          'security.protocol=SASL_PLAINTEXT',
          'sasl.mechanism=SCRAM-SHA-256',
          `sasl.jaas.config=${SCRAM_MODULE} required username="${user}" password="${password}";`,
          '',
        ].join('\n'),
      )
    // The broker serves SCRAM logins from its metadata image: wait until admin can log in.
    await eventually(
      async () => (await kafkit(['topics', '--list', ...admin()])).code === 0,
      60_000,
      'admin logs in over SASL',
    )
    for (const topic of ['secret', 'shared'])
      ok(await kafkit(['topics', '--create', '--topic', topic, '--bootstrap-server', plaintext]), `create ${topic}`)
    ok(
      await box.kafkit(['console-producer', '--topic', 'secret', '--bootstrap-server', plaintext], {
        input: 'top-secret\n',
      }),
      'produce',
    )
  })

  after(async () => {
    await box?.cleanup()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('--add prints what AclCommand prints, and Java and kafkit list the same ACLs byte for byte', async () => {
    const added = ok(
      await kafkit([
        'acls',
        ...admin(),
        '--add',
        '--allow-principal',
        'User:alice',
        '--operation',
        'Describe',
        '--topic',
        'shared',
      ]),
      'kafkit acls --add',
    )
    assert.equal(
      added.stdout,
      'Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name=shared, patternType=LITERAL)`: \n' +
        ' \t(principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW)\n\n',
    )
    const javaAdded = ok(
      await javaAcls(['--add', '--allow-principal', 'User:alice', '--operation', 'Describe', '--topic', 'other']),
      'AclCommand --add',
    )
    assert.equal(added.stdout.replace('name=shared', 'name=other'), javaAdded.stdout)

    // Adding it again: 4.4 names the binding that exists and adds nothing.
    const again = ok(
      await kafkit([
        'acls',
        ...admin(),
        '--add',
        '--allow-principal',
        'User:alice',
        '--operation',
        'Describe',
        '--topic',
        'shared',
      ]),
      'kafkit acls --add again',
    )
    const javaAgain = ok(
      await javaAcls(['--add', '--allow-principal', 'User:alice', '--operation', 'Describe', '--topic', 'shared']),
      'AclCommand --add again',
    )
    assert.equal(again.stdout, javaAgain.stdout)
    assert.match(again.stdout, /^Acl \(pattern=ResourcePattern\(resourceType=TOPIC, name=shared.*already exists\.\n$/)

    await Promise.all(
      [
        ['--topic', 'shared'],
        ['--topic', 'other', '--resource-pattern-type', 'match'],
      ].map(async (filter) => {
        const [java, ours] = await Promise.all([
          javaAcls(['--list', ...filter]),
          kafkit(['acls', ...admin(), '--list', ...filter]),
        ])
        const text = ok(ours, `kafkit acls --list ${filter.join(' ')}`).stdout
        assert.equal(text, ok(java, `AclCommand --list ${filter.join(' ')}`).stdout, filter.join(' '))
        assert.match(
          text,
          /^Current ACLs for resource `ResourcePattern\(resourceType=TOPIC, name=\w+, patternType=LITERAL\)`:\n\t\(principal=User:alice, host=\*, operation=DESCRIBE, permissionType=ALLOW\)\n\n$/,
        )
      }),
    )
    const json_ = json(
      ok(await kafkit(['acls', ...admin(), '--list', '--topic', 'shared', '--json']), 'kafkit acls --list --json'),
    )
    assert.deepEqual(json_.resources, [
      {
        pattern: { resourceType: 'TOPIC', name: 'shared', patternType: 'LITERAL' },
        entries: [{ principal: 'User:alice', host: '*', operation: 'DESCRIBE', permissionType: 'ALLOW' }],
      },
    ])
  })

  it('the conveniences (--producer --consumer --idempotent, prefixed patterns) match AclCommand, and --principal filters', async () => {
    ok(
      await kafkit(
        [
          'acls',
          ...admin(),
          '--add',
          '--allow-principal',
          'User:alice',
          '--producer',
          '--consumer',
          '--idempotent',
        ].concat(['--topic', 'app.', '--group', 'app-group', '--resource-pattern-type', 'prefixed']),
      ),
      'kafkit --producer --consumer',
    )
    ok(
      await javaAcls(
        ['--add', '--allow-principal', 'User:bob', '--producer', '--consumer', '--idempotent'].concat([
          '--topic',
          'app.',
          '--group',
          'app-group',
          '--resource-pattern-type',
          'prefixed',
        ]),
      ),
      'AclCommand --producer --consumer',
    )
    const java = ok(await javaAcls(['--list']), 'AclCommand --list').stdout
    const ours = ok(await kafkit(['acls', ...admin(), '--list']), 'kafkit --list').stdout
    assert.deepEqual(aclBlocks(ours), aclBlocks(java))
    // Both tools made the same entries for alice and bob on the prefixed topic: READ, WRITE, CREATE, DESCRIBE.
    const prefixed = aclBlocks(ours).find((b) => b.includes('name=app., patternType=PREFIXED'))!
    for (const who of ['alice', 'bob'])
      for (const op of ['READ', 'WRITE', 'CREATE', 'DESCRIBE'])
        assert.ok(
          prefixed.includes(`(principal=User:${who}, host=*, operation=${op}, permissionType=ALLOW)`),
          `${who} ${op}`,
        )
    assert.ok(
      aclBlocks(ours).some(
        (b) => b.includes('resourceType=CLUSTER') && b.includes('User:alice, host=*, operation=IDEMPOTENT_WRITE'),
      ),
    )

    const javaBob = ok(await javaAcls(['--list', '--principal', 'User:bob']), 'AclCommand --list --principal').stdout
    const oursBob = ok(
      await kafkit(['acls', ...admin(), '--list', '--principal', 'User:bob']),
      'kafkit --principal',
    ).stdout
    assert.ok(oursBob.startsWith('ACLs for principal `User:bob`\n'))
    assert.deepEqual(
      aclBlocks(oursBob.replace(/^ACLs for principal.*\n/, '')),
      aclBlocks(javaBob.replace(/^ACLs for principal.*\n/, '')),
    )
    assert.doesNotMatch(oursBob, /User:alice/)
  })

  it('a user without an ACL is refused by a real client, allowed after --add, refused again after --remove', async () => {
    const refused = await consumeAs('alice', 'secret')
    assert.doesNotMatch(refused.stdout, /top-secret/)
    assert.match(refused.stderr, /TopicAuthorizationException|Not authorized to access topics/)

    ok(
      await kafkit([
        'kafka-acls.sh',
        ...admin(),
        '--add',
        '--allow-principal',
        'User:alice',
        '--operation',
        'Read',
        '--topic',
        'secret',
      ]),
      'kafkit --add Read',
    )
    await eventually(
      async () => (await consumeAs('alice', 'secret')).stdout.includes('top-secret'),
      60_000,
      'alice reads',
    )

    // Without --force the script asks; kafkit has no terminal here, so it refuses and removes nothing.
    const unconfirmed = await kafkit([
      'acls',
      ...admin(),
      '--remove',
      '--allow-principal',
      'User:alice',
      '--operation',
      'Read',
      '--topic',
      'secret',
    ])
    assert.equal(unconfirmed.code, 2, unconfirmed.stderr)
    assert.equal(unconfirmed.stdout, '')
    assert.match(
      unconfirmed.stderr,
      /^Error: Refusing to remove ACLs without confirmation: no terminal to ask on\.\nTry: Add --force/,
    )
    assert.match(
      ok(await kafkit(['acls', ...admin(), '--list', '--topic', 'secret']), 'still there').stdout,
      /operation=READ/,
    )

    const removed = ok(
      await kafkit([
        'acls',
        ...admin(),
        '--remove',
        '--force',
        '--allow-principal',
        'User:alice',
        '--operation',
        'Read',
        '--topic',
        'secret',
        '--json',
      ]),
      'kafkit --remove --force',
    )
    assert.equal(json(removed).filters[0].removed.length, 1)
    assert.equal(ok(await kafkit(['acls', ...admin(), '--list', '--topic', 'secret']), 'list after remove').stdout, '')
    await eventually(
      async () => /TopicAuthorizationException|Not authorized/.test((await consumeAs('alice', 'secret')).stderr),
      60_000,
      'alice refused again',
    )

    // --remove without principals removes every ACL of the resource (what Java added on "other" too).
    ok(await kafkit(['acls', ...admin(), '--remove', '--force', '--topic', 'other']), 'remove all of other')
    assert.equal(ok(await javaAcls(['--list', '--topic', 'other']), 'list other').stdout, '')
  })

  it('refuses bad flag combinations as the script does, with one clear line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--list', '--add'], /exactly one action: --list, --add, --remove/],
      [
        ['--add', '--allow-principal', 'User:a', '--topic', 't', '--resource-pattern-type', 'match'],
        /'--resource-pattern-type' value of 'MATCH' is not valid when adding acls/,
      ],
      [
        ['--add', '--topic', 't'],
        /You must specify one of: --allow-principal, --deny-principal when trying to add ACLs/,
      ],
      [['--add', '--allow-principal', 'User:a'], /You must provide at least one resource/],
      [
        ['--add', '--allow-principal', 'User:a', '--group', 'g', '--operation', 'Write'],
        /ResourceType GROUP only supports operations/,
      ],
      [['--add', '--allow-principal', 'alice', '--topic', 't'], /principalType:principalName/],
      [['--list', '--producer'], /Option "\[list\]" can't be used with option "\[producer\]"/],
      [
        ['--add', '--allow-principal', 'User:a', '--consumer', '--topic', 't'],
        /With --consumer you must specify a --topic and a --group/,
      ],
      [['--add', '--allow-principal', 'User:a', '--topic', 't', '--operation', 'Fly'], /Unknown --operation "Fly"/],
    ]
    for (const [args, message] of cases) {
      const result = await kafkit(['acls', ...admin(), ...args])
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr.split('\n')[0]!, /^Error: /)
      assert.match(result.stderr, message, args.join(' '))
    }
  })

  it('delegation tokens: created, described, renewed and expired by kafkit, described alike by DelegationTokenCommand', async () => {
    const created = ok(
      await kafkit([
        'kafka-delegation-tokens.sh',
        ...admin(),
        '--create',
        '--max-life-time-period',
        '-1',
        '--renewer-principal',
        'User:alice',
      ]),
      'kafkit --create',
    )
    const [first, second] = created.stdout.split('\n')
    assert.equal(first, 'Calling create token operation with renewers :[User:alice] , max-life-time-period :-1')
    const tokenId = /^Created delegation token with tokenId : (\S+)$/.exec(second!)![1]!
    const row = created.stdout.split('\n').find((l) => l.startsWith(tokenId))!
    const hmac = row.split(/\s+/)[1]!
    assert.match(
      row,
      new RegExp(`^${tokenId} +\\S+ User:admin +User:admin +\\[User:alice\\] +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d`),
    )

    const describeArgs = ['--describe', '--owner-principal', 'User:admin']
    const java = ok(await javaTokens(describeArgs), 'DelegationTokenCommand --describe').stdout
    const ours = ok(await kafkit(['delegation-tokens', ...admin(), ...describeArgs]), 'kafkit --describe').stdout
    assert.equal(ours, java)
    assert.ok(ours.includes(`${tokenId} ${hmac}`))
    // Without --owner-principal kafkit lists the caller's tokens (the script asks with an empty list and gets none).
    const all = json(
      ok(await kafkit(['delegation-tokens', ...admin(), '--describe', '--json']), 'kafkit --describe --json'),
    )
    assert.deepEqual(
      all.tokens.map((t: { tokenId: string }) => t.tokenId),
      [tokenId],
    )

    const renewed = ok(
      await kafkit(['delegation-tokens', ...admin(), '--renew', '--hmac', hmac, '--renew-time-period', '3600000']),
      'kafkit --renew',
    )
    const javaRenewed = ok(
      await javaTokens(['--renew', '--hmac', hmac, '--renew-time-period', '3600000']),
      'Java --renew',
    )
    assert.equal(renewed.stdout.split('\n')[0], javaRenewed.stdout.split('\n')[0])
    assert.match(renewed.stdout, /\nCompleted renew operation\. New expiry date : \d{4}-\d\d-\d\dT\d\d:\d\d$/)

    ok(
      await kafkit(['delegation-tokens', ...admin(), '--expire', '--hmac', hmac, '--expiry-time-period', '-1']),
      'kafkit --expire',
    )
    await eventually(
      async () =>
        /Total number of tokens : 0\n/.test(
          ok(await kafkit(['delegation-tokens', ...admin(), ...describeArgs]), 'describe after expire').stdout,
        ),
      30_000,
      'token gone',
    )

    // Token requests are refused on the PLAINTEXT listener: one line and the way out.
    const plain = await kafkit(['delegation-tokens', '--bootstrap-server', plaintext, '--describe'])
    assert.equal(plain.code, 1)
    assert.match(
      plain.stderr,
      /^Error: DescribeDelegationToken: Delegation Token requests are not allowed.*\nTry: Connect to a SASL/,
    )
  })

  it('client-metrics: alter, describe, list and delete agree with ClientMetricsCommand', async () => {
    const p = ['--bootstrap-server', plaintext]
    const altered = ok(
      await kafkit([
        'kafka-client-metrics.sh',
        ...p,
        '--alter',
        '--name',
        'producers',
        '--metrics',
        'org.apache.kafka.producer.',
        '--interval',
        '5000',
        '--match',
        'client_software_name=apache-kafka-java',
      ]),
      'kafkit --alter',
    )
    assert.equal(altered.stdout, 'Altered client metrics config for producers.\n')
    ok(
      await javaMetrics([
        '--alter',
        '--name',
        'consumers',
        '--metrics',
        'org.apache.kafka.consumer.,org.apache.kafka.consumer.fetch',
      ]),
      'Java --alter',
    )

    // The JVMs start side by side: each comparison is independent of the others.
    await Promise.all(
      [['--list'], ['--describe'], ['--describe', '--name', 'nope']].map(async (args) => {
        const [java, ours] = await Promise.all([javaMetrics(args), kafkit(['client-metrics', ...p, ...args])])
        assert.equal(
          ok(ours, `kafkit ${args.join(' ')}`).stdout,
          ok(java, `Java ${args.join(' ')}`).stdout,
          args.join(' '),
        )
      }),
    )
    assert.match(
      ok(await kafkit(['client-metrics', ...p, '--describe', '--name', 'producers']), 'describe').stdout,
      /^Client metrics configs for producers are:\n {2}interval\.ms=5000\n/,
    )
    // An empty value resets a setting, as in the script.
    ok(await kafkit(['client-metrics', ...p, '--alter', '--name', 'producers', '--interval', '']), 'reset interval')
    assert.match(
      ok(await kafkit(['client-metrics', ...p, '--describe', '--name', 'producers']), 'describe after reset').stdout,
      /interval\.ms=300000/,
    )

    const generated = json(
      ok(await kafkit(['client-metrics', ...p, '--alter', '--generate-name', '--metrics', 'x.', '--json']), 'generate'),
    )
    assert.match(generated.name, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
    for (const name of ['producers', generated.name as string])
      assert.equal(
        ok(await kafkit(['client-metrics', ...p, '--delete', '--name', name]), `delete ${name}`).stdout,
        `Deleted client metrics config for ${name}.\n`,
      )
    assert.equal(ok(await javaMetrics(['--list']), 'Java --list').stdout, 'consumers\n')
  })
})
