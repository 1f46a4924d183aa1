/**
 * kafkit's admin and console commands against a SASL_SSL listener (SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512
 * over TLS, PEM certificates made here with openssl), on a KRaft stack started through kafkit itself with broker
 * overrides that add a SECURE listener beside the PLAINTEXT one kafkit's readiness check uses. Each command runs with
 * `--command-config <file>` holding Kafka's own client properties, and Kafka's own tools read the same file to
 * cross-check what kafkit says (topic list, records, offsets, groups, configs).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  freePorts,
  json,
  run,
  sandbox,
  type Run,
  type Sandbox,
} from './helpers.js'

const PLAIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule'
const SCRAM_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule'

interface Mechanism {
  name: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'
  slug: string
  user: string
  password: string
  module: string
}

/** One user per mechanism: PLAIN users live in the broker's JAAS config, SCRAM users are created after start. */
const MECHANISMS: Mechanism[] = [
  { name: 'PLAIN', slug: 'plain', user: 'admin', password: 'admin-secret', module: PLAIN_MODULE },
  { name: 'SCRAM-SHA-256', slug: 'scram256', user: 'alice', password: 'alice-256-secret', module: SCRAM_MODULE },
  { name: 'SCRAM-SHA-512', slug: 'scram512', user: 'bob', password: 'bob-512-secret', module: SCRAM_MODULE },
]

const RECORDS = 12

/** A throwaway CA and a server certificate for 127.0.0.1 / localhost, PEM, the key unencrypted PKCS#8. */
async function makeCertificates(dir: string): Promise<{ ca: string; keystore: string }> {
  const openssl = async (args: string[]) => {
    const result = await run('openssl', args, process.env, 60_000)
    if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`)
  }
  const file = (name: string) => join(dir, name)
  writeFileSync(
    file('server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  )
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=kafkit-test-ca'].concat([
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
    ]),
  )
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file('server.key')])
  await openssl(['req', '-new', '-key', file('server.key'), '-subj', '/CN=localhost', '-out', file('server.csr')])
  await openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ])
  // Kafka's PEM key store file: the private key, then the certificate chain.
  writeFileSync(
    file('keystore.pem'),
    readFileSync(file('server.key'), 'utf8') + readFileSync(file('server.pem'), 'utf8'),
  )
  return { ca: file('ca.pem'), keystore: file('keystore.pem') }
}

/** Broker settings adding a SASL_SSL listener named SECURE; PLAINTEXT and CONTROLLER stay as kafkit plans them. */
function secureOverrides(ports: { plaintext: number; controller: number; secure: number }, keystore: string) {
  const { plaintext, controller, secure } = ports
  const plainUsers = MECHANISMS.filter((m) => m.name === 'PLAIN')
    .map((m) => `user_${m.user}="${m.password}"`)
    .join(' ')
  return [
    `listeners=PLAINTEXT://127.0.0.1:${plaintext},CONTROLLER://127.0.0.1:${controller},SECURE://127.0.0.1:${secure}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${plaintext},SECURE://127.0.0.1:${secure}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    `listener.name.secure.plain.sasl.jaas.config=${PLAIN_MODULE} required ${plainUsers};`,
    `listener.name.secure.scram-sha-256.sasl.jaas.config=${SCRAM_MODULE} required;`,
    `listener.name.secure.scram-sha-512.sasl.jaas.config=${SCRAM_MODULE} required;`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
  ]
}

/** Kafka client properties, Kafka's own spellings, read by kafkit and by Kafka's tools alike. */
function clientProperties(mechanism: Mechanism, ca: string | undefined, password = mechanism.password): string {
  return [
    'security.protocol=SASL_SSL',
    `sasl.mechanism=${mechanism.name}`,
    `sasl.jaas.config=${mechanism.module} required username="${mechanism.user}" password="${password}";`,
    ...(ca ? ['ssl.truststore.type=PEM', `ssl.truststore.location=${ca}`] : []),
    '',
  ].join('\n')
}

/** The lines of a tool's stdout, without blanks. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '')
const sorted = (items: string[]) => [...items].sort()

function ok(result: Run, what: string): Run {
  assert.equal(
    result.code,
    0,
    `${what} exited ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
  )
  return result
}

/** A failure is one `Error: ...` line plus hints, never a stack trace. */
function assertCleanFailure(result: Run, what: string, pattern: RegExp): void {
  assert.notEqual(result.code, 0, `${what} should fail\n${result.stdout}`)
  assert.equal(result.stdout, '', `${what} printed to stdout: ${result.stdout}`)
  const [first, ...rest] = lines(result.stderr)
  assert.match(first ?? '', /^Error: /, `${what}: first stderr line\n${result.stderr}`)
  assert.match(first!, pattern, `${what}: error line\n${result.stderr}`)
  assert.doesNotMatch(result.stderr, /^\s+at .+[(:]\d+/m, `${what} printed a stack trace\n${result.stderr}`)
  for (const line of rest) assert.match(line, /^Try: |^ {2,}\S/, `${what}: unexpected stderr line "${line}"`)
}

for (const version of [KAFKA_4, KAFKA_3]) {
  describe(`SASL_SSL listener (Kafka ${version}, KRaft, PEM certificates)`, () => {
    let box: Sandbox
    let dir: string
    let secure: string
    let plaintext: string
    let ca: string
    const kafka3 = version.startsWith('3.')
    const configFile = (name: string) => join(dir, `${name}.properties`)

    /** Kafka's own script from the test distribution, with a small heap. */
    const javaTool = (tool: string, args: string[], input?: string) =>
      run(join(distHome(version), 'bin', tool), args, { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }, 120_000, input)

    const kafkit = (mechanism: string, args: string[], input?: string) =>
      box.kafkit([...args, '--bootstrap-server', secure, '--command-config', configFile(mechanism)], {
        input,
        timeoutMs: 120_000,
      })

    before(async () => {
      box = sandbox()
      dir = mkdtempSync(join(tmpdir(), 'kafkit-secure-'))
      const certificates = await makeCertificates(dir)
      ca = certificates.ca
      const base = await freePorts(3)
      const ports = { plaintext: base, controller: base + 1, secure: base + 2 }
      plaintext = `127.0.0.1:${ports.plaintext}`
      secure = `127.0.0.1:${ports.secure}`
      const up = await box.kafkit([
        'up',
        '--stack',
        'secure',
        '--runtime',
        'dist',
        '--version',
        version,
        '--port',
        String(ports.plaintext),
        '--controller-port',
        String(ports.controller),
        '--timeout',
        '120s',
        '--json',
        ...secureOverrides(ports, certificates.keystore).flatMap((o) => ['--override', o]),
      ])
      ok(up, 'kafkit up')
      assert.equal(json(up).bootstrapServers, plaintext)

      // SCRAM credentials are cluster metadata on KRaft: created over the plaintext listener, one mechanism per call.
      for (const m of MECHANISMS.filter((m) => m.name !== 'PLAIN')) {
        ok(
          await javaTool('kafka-configs.sh', [
            '--bootstrap-server',
            plaintext,
            '--alter',
            '--entity-type',
            'users',
            '--entity-name',
            m.user,
            '--add-config',
            `${m.name}=[iterations=4096,password=${m.password}]`,
          ]),
          `kafka-configs.sh --alter ${m.user}`,
        )
      }
      // The broker serves SCRAM logins from its metadata image: wait until it describes both credentials.
      await eventually(
        async () => {
          const described = ok(
            await javaTool('kafka-configs.sh', [
              '--bootstrap-server',
              plaintext,
              '--describe',
              '--entity-type',
              'users',
            ]),
            'kafka-configs.sh --describe users',
          ).stdout
          return MECHANISMS.filter((m) => m.name !== 'PLAIN').every((m) =>
            new RegExp(`'${m.user}' are ${m.name}=`).test(described),
          )
        },
        60_000,
        'SCRAM credentials visible on the broker',
      )

      for (const m of MECHANISMS) {
        writeFileSync(configFile(m.slug), clientProperties(m, ca))
        writeFileSync(configFile(`${m.slug}-wrong-password`), clientProperties(m, ca, 'not-the-password'))
      }
      writeFileSync(configFile('no-truststore'), clientProperties(MECHANISMS[0]!, undefined))
    })

    after(async () => {
      await box?.cleanup()
      if (dir) rmSync(dir, { recursive: true, force: true })
    })

    for (const mechanism of MECHANISMS) {
      it(`${mechanism.name}: topics, configs, console round trip, get-offsets and consumer groups agree with Kafka's tools`, async () => {
        const m = mechanism.slug
        const topic = `secure-${m}`
        const group = `kafkit-${m}`
        const javaGroup = `java-${m}`
        const props = configFile(m)
        const javaConnection = ['--bootstrap-server', secure, '--command-config', props]

        // topics --create / --describe
        ok(
          await kafkit(m, [
            'topics',
            '--create',
            '--topic',
            topic,
            '--partitions',
            '3',
            '--replication-factor',
            '1',
            '--config',
            'retention.ms=3600000',
          ]),
          'topics --create',
        )
        const described = json(
          ok(await kafkit(m, ['topics', '--describe', '--topic', topic, '--json']), 'topics --describe'),
        )
        const view = described.topics.find((t: { name: string }) => t.name === topic)
        assert.ok(view, `topics --describe has ${topic}: ${JSON.stringify(described)}`)
        assert.equal(view.partitionCount, 3)
        assert.deepEqual(
          view.partitions.map((p: { partition: number; leader: number }) => [p.partition, p.leader]),
          [
            [0, 1],
            [1, 1],
            [2, 1],
          ],
        )
        const describedText = ok(
          await kafkit(m, ['topics', '--describe', '--topic', topic]),
          'topics --describe',
        ).stdout
        const javaDescribed = ok(
          await javaTool('kafka-topics.sh', [...javaConnection, '--describe', '--topic', topic]),
          'kafka-topics.sh --describe',
        ).stdout
        assert.equal(describedText, javaDescribed, 'topics --describe prints what kafka-topics.sh prints')

        // configs --describe
        const configs = json(
          ok(
            await kafkit(m, ['configs', '--describe', '--entity-type', 'topics', '--entity-name', topic, '--json']),
            'configs --describe',
          ),
        )
        const entries = configs.entities[0].configs as Array<{ name: string; value: string }>
        assert.deepEqual(
          entries.filter((e) => e.name === 'retention.ms').map((e) => e.value),
          ['3600000'],
        )
        const configsText = ok(
          await kafkit(m, ['configs', '--describe', '--entity-type', 'topics', '--entity-name', topic]),
          'configs --describe',
        ).stdout
        const javaConfigs = ok(
          await javaTool('kafka-configs.sh', [
            ...javaConnection,
            '--describe',
            '--entity-type',
            'topics',
            '--entity-name',
            topic,
          ]),
          'kafka-configs.sh --describe',
        ).stdout
        assert.equal(configsText, javaConfigs, 'configs --describe prints what kafka-configs.sh prints')

        // console-producer, then console-consumer: the same records come back, and Kafka's consumer reads them too.
        const produced = Array.from({ length: RECORDS }, (_, i) => `k${i}:${m}-value-${i}`)
        ok(
          await kafkit(
            m,
            ['console-producer', '--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=:'],
            produced.join('\n') + '\n',
          ),
          'console-producer',
        )
        const consumed = ok(
          await kafkit(m, [
            'console-consumer',
            '--topic',
            topic,
            '--from-beginning',
            '--max-messages',
            String(RECORDS),
            '--group',
            group,
            '--timeout-ms',
            '60000',
            '--property',
            'print.key=true',
            '--property',
            'key.separator=:',
          ]),
          'console-consumer',
        )
        assert.deepEqual(sorted(lines(consumed.stdout)), sorted(produced))
        const javaConsumed = ok(
          await javaTool('kafka-console-consumer.sh', [
            '--bootstrap-server',
            secure,
            // Kafka 4.2 renamed --consumer.config and --property (KIP-1147) and warns on stdout about the old names.
            kafka3 ? '--consumer.config' : '--command-config',
            props,
            '--topic',
            topic,
            '--from-beginning',
            '--max-messages',
            String(RECORDS),
            '--group',
            javaGroup,
            '--timeout-ms',
            '60000',
            ...['print.key=true', 'key.separator=:'].flatMap((p) => [
              kafka3 ? '--property' : '--formatter-property',
              p,
            ]),
          ]),
          'kafka-console-consumer.sh',
        )
        assert.deepEqual(sorted(lines(javaConsumed.stdout)), sorted(lines(consumed.stdout)))

        // get-offsets
        const offsets = json(ok(await kafkit(m, ['get-offsets', '--topic', topic, '--json']), 'get-offsets'))
        assert.equal(
          offsets.offsets.reduce((sum: number, o: { offset: number }) => sum + o.offset, 0),
          RECORDS,
        )
        const offsetsText = ok(await kafkit(m, ['get-offsets', '--topic', topic]), 'get-offsets').stdout
        const javaOffsets = ok(
          await javaTool('kafka-get-offsets.sh', [...javaConnection, '--topic', topic]),
          'kafka-get-offsets.sh',
        ).stdout
        assert.deepEqual(sorted(lines(offsetsText)), sorted(lines(javaOffsets)))

        // consumer-groups --list / --describe
        const groups = json(ok(await kafkit(m, ['consumer-groups', '--list', '--json']), 'consumer-groups --list'))
        const groupNames = groups.groups.map((g: { group: string }) => g.group) as string[]
        assert.ok(groupNames.includes(group) && groupNames.includes(javaGroup), groupNames.join(','))
        const javaGroups = ok(
          await javaTool('kafka-consumer-groups.sh', [...javaConnection, '--list']),
          'kafka-consumer-groups.sh --list',
        ).stdout
        assert.deepEqual(sorted(groupNames), sorted(lines(javaGroups)))
        const groupView = json(
          ok(
            await kafkit(m, ['consumer-groups', '--describe', '--group', group, '--json']),
            'consumer-groups --describe',
          ),
        ).groups[0]
        assert.equal(groupView.group, group)
        assert.equal(groupView.totalLag, 0)
        assert.equal(
          groupView.partitions.reduce((sum: number, p: { currentOffset: number }) => sum + p.currentOffset, 0),
          RECORDS,
        )

        // topics --list, last: every topic so far, as kafka-topics.sh lists them through the same file.
        const listed = json(ok(await kafkit(m, ['topics', '--list', '--json']), 'topics --list')).topics as string[]
        assert.ok(listed.includes(topic), listed.join(','))
        const javaListed = ok(
          await javaTool('kafka-topics.sh', [...javaConnection, '--list']),
          'kafka-topics.sh --list',
        )
        assert.deepEqual(sorted(listed), sorted(lines(javaListed.stdout)))
      })
    }

    if (!kafka3) {
      it('up --with connect --connect-config: the worker uses the SASL_SSL listener; a FileStream source fills a topic', async () => {
        // Only the secured listener: without its security settings (for the worker and for the source's producer)
        // the worker would never start, or the task would never write.
        const workerClient = join(dir, 'worker-client.properties')
        writeFileSync(workerClient, `bootstrap.servers=${secure}\n${clientProperties(MECHANISMS[0]!, ca)}`)
        const connectPort = await freePorts(1)
        const up = ok(
          await box.kafkit(
            ['up', '--stack', 'secure', '--with', 'connect', '--connect-port', String(connectPort)].concat([
              '--connect-config',
              workerClient,
              '--json',
            ]),
            { env: { KAFKA_HEAP_OPTS: '-Xmx256m' }, timeoutMs: 120_000 },
          ),
          'up --with connect',
        )
        assert.ok(
          json(up).services.some((s: { name: string }) => s.name === 'connect'),
          up.stdout,
        )
        const workerFile = join(box.home, 'stacks', 'secure', 'connect', 'connect-distributed.properties')
        const worker = readFileSync(workerFile, 'utf8')
        assert.match(worker, new RegExp(`^bootstrap\\.servers=${secure.replace(/\./g, '\\.')}$`, 'm'))
        for (const prefix of ['', 'producer.', 'consumer.', 'admin.'])
          assert.match(worker, new RegExp(`^${prefix.replace('.', '\\.')}security\\.protocol=SASL_SSL$`, 'm'))
        assert.equal(statSync(workerFile).mode & 0o777, 0o600)

        const input = join(dir, 'connect-lines.txt')
        writeFileSync(input, 'one\ntwo\nthree\n')
        const source = join(dir, 'connect-source.properties')
        writeFileSync(
          source,
          `name=secure-lines\nconnector.class=FileStreamSource\ntasks.max=1\nfile=${input}\ntopic=secure-connect\n`,
        )
        const connect = (args: string[]) => box.kafkit(['connect', ...args, '--stack', 'secure'])
        ok(await connect(['create', source]), 'connect create')
        await eventually(
          async () => {
            const status = json(await connect(['status', 'secure-lines', '--json']))
            return status.connector?.state === 'RUNNING' && status.tasks?.[0]?.state === 'RUNNING'
          },
          30_000,
          'connector and task RUNNING',
        )
        const payloads = async () => {
          const out = await kafkit('plain', [
            'console-consumer',
            '--topic',
            'secure-connect',
            '--from-beginning',
            '--exit-at-end',
          ])
          return lines(out.stdout).map((line) => JSON.parse(line).payload as string)
        }
        await eventually(async () => (await payloads()).length === 3, 30_000, 'the three lines in the topic')
        assert.deepEqual(await payloads(), ['one', 'two', 'three'])
      })
    }

    it('a wrong password fails with exit 1 and a one-line authentication error, no stack trace', async () => {
      for (const m of MECHANISMS) {
        const wrong = `${m.slug}-wrong-password`
        const listed = await kafkit(wrong, ['topics', '--list'])
        assert.equal(listed.code, 1, `topics --list with a wrong ${m.name} password: ${listed.stderr}`)
        assertCleanFailure(
          listed,
          `topics --list (${m.name})`,
          /^Error: Authentication failed at 127\.0\.0\.1:\d+ \(--bootstrap-server\): SASL .*authentication failed/,
        )
        const consumed = await kafkit(wrong, [
          'console-consumer',
          '--topic',
          `secure-${m.slug}`,
          '--from-beginning',
          '--max-messages',
          '1',
          '--timeout-ms',
          '30000',
        ])
        assert.equal(consumed.code, 1, `console-consumer with a wrong ${m.name} password: ${consumed.stderr}`)
        assertCleanFailure(consumed, `console-consumer (${m.name})`, /^Error: Authentication failed at /)
        const produced = await kafkit(wrong, ['console-producer', '--topic', `secure-${m.slug}`], 'never-written\n')
        assert.equal(produced.code, 1, `console-producer with a wrong ${m.name} password: ${produced.stderr}`)
        assertCleanFailure(produced, `console-producer (${m.name})`, /^Error: Authentication failed at /)
        assert.match(listed.stderr, /^Try: .*sasl\.jaas\.config/m)
      }
    })

    it('without a trust store the broker certificate is refused (TLS is really verified)', async () => {
      const result = await kafkit('no-truststore', ['topics', '--list'])
      assertCleanFailure(result, 'topics --list without a trust store', /certificate/i)
    })
  })
}
