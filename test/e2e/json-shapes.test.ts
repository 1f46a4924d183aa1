/**
 * The `--json` results are a contract (scripts parse them): their shapes, not their values, are kept in
 * test/snapshots/json-shapes.json. Each case runs the built CLI with --json against one real stack (Kafka 4.x)
 * and compares the shape: key names and typeof, recursively; array elements merged; keys that hold data (topic
 * names, config names) folded into "*". A new or missing key or a new type fails here (see shapeBreaks: a union
 * member or an optional key that one run does not produce does not). When a change is meant, rewrite the snapshot with
 *   UPDATE_SNAPSHOTS=1 node --import tsx --test test/e2e/json-shapes.test.ts
 * and let the diff of the snapshot show the change in review.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_4,
  eventually,
  freePorts,
  json,
  kafkaClient,
  needsRealKafka,
  repoRoot,
  runtimeArgs,
  sandbox,
  type Run,
  type Sandbox,
} from './helpers.js'
import type { Consumer } from 'kafkajs'
import { mergeShapes, shapeBreaks, shapeOf, widenShape, type Shape } from './json-shape.js'

interface Case {
  /** The snapshot's key. */
  name: string
  args: string[]
  /** Exit code expected (errors have a JSON shape too). */
  code?: number
  /** stdout holds one JSON document per line (records, live frames) rather than one document. */
  lines?: boolean
  /** Paths of objects keyed by data (topic names, config names), see shapeOf. */
  maps?: string[]
  input?: string
  /**
   * Types this run cannot produce, added to the shape at a path (see widenShape): a field that is null when all is
   * well, the elements of a list that is empty here. An array left [] in the snapshot is not pinned down.
   */
  widen?: Record<string, Shape>
  /** Stops the stack (run last). */
  stopsStack?: boolean
  /** What only a real Kafka serves (skipped with KAFKIT_TEST_RUNTIME=embedded, see needsRealKafka). */
  needs?: string
}

/** Objects keyed by data in `up`'s result (see Case.maps). */
const MAPS = { up: ['details'] }

/**
 * Commands with a result that no case runs, and why. A new command must be added to the cases or here (checked below
 * against oclif.manifest.json), so the contract cannot silently miss one.
 */
const NOT_COVERED: Record<string, string> = {
  help: 'prints help, no result',
  'completion:fish': 'prints a script, no result',
  restart: 'same UpResult as up, and a second start costs ~20 s',
  'broker:start': 'needs a multi-broker stack',
  'broker:stop': 'needs a multi-broker stack',
  'kafka-server-start': 'runs a server from a properties file (script-mirrors.test.ts)',
  'zookeeper-server-start': 'runs a server from a properties file (script-mirrors.test.ts)',
  'kafka-server-stop': 'acts on every Kafka server of the machine',
  'connect-standalone': 'runs a Connect worker (connect.test.ts, the quickstart step)',
  'connect-distributed': 'runs a Connect worker (connect.test.ts)',
  'schema-registry:check': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'schema-registry:compatibility': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'schema-registry:delete': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'schema-registry:get': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'schema-registry:register': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'schema-registry:subjects': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'schema-registry:versions': "needs a Schema Registry: schemas.test.ts runs it against the stack's registry",
  'connect:connectors': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:create': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:delete': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:describe': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:pause': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:plugins': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:restart': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:resume': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:status': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:stop': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:tasks': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:update': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:validate': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:offsets:alter': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:offsets:get': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'connect:offsets:reset': 'needs a Connect worker; the REST documents are checked field by field in connect.test.ts',
  'zookeeper-server-stop': 'acts on every ZooKeeper of the machine',
  'share-groups': 'needs a share consumer (JVM); its results are checked field by field in share-groups.test.ts',
  'streams-groups': 'needs a Kafka Streams app (JVM); its results are checked field by field in share-groups.test.ts',
  'dump-log':
    "reads a stopped stack's data files (files, lines, findings); checked against Kafka's DumpLogSegments in dump-log.test.ts",
  'producer-perf-test': 'a load test; its --json document is checked field by field in perf-test.test.ts',
  'consumer-perf-test': 'a load test; its --json document is checked field by field in perf-test.test.ts',
  'share-consumer-perf-test': 'a load test on a share group; its --json document is checked in perf-test.test.ts',
  'delete-records': 'its results are checked field by field in partitions-admin.test.ts (with the Java tool beside it)',
  'leader-election': 'needs a multi-broker stack; results checked in partitions-admin.test.ts',
  'reassign-partitions': 'needs a multi-broker stack; results checked in partitions-admin.test.ts',
  'log-dirs': 'its results are checked field by field in partitions-admin.test.ts (with the Java tool beside it)',
  'streams-application-reset': 'needs a Kafka Streams app (JVM); its result is checked in streams-reset.test.ts',
  transactions: 'needs an open transaction (a Java producer); its --json results are checked in transactions.test.ts',
  'verifiable-producer': 'its --json summary and event lines are checked against the Java tool in transactions.test.ts',
  'verifiable-consumer': 'its --json summary and event lines are checked against the Java tool in transactions.test.ts',
  'verifiable-share-consumer':
    'its event lines and --json summary are checked against the Java tool in replica-verification.test.ts',
  'replica-verification':
    'runs until stopped (or --max-reports); its lines and --json result are checked against the Java tool in replica-verification.test.ts',
  'e2e-latency': 'a latency run; its lines are checked against the Java tool in transactions.test.ts',
  acls: 'needs a stack with an authorizer and SASL users; its --json result is checked in acls.test.ts',
  'delegation-tokens': 'needs a SASL listener and a token secret; checked in acls.test.ts',
  'client-metrics': 'its results are checked against the Java tool in acls.test.ts',
  'console-share-consumer':
    "a share group starts at the latest offset, so a run here prints nothing; its --json lines are console-consumer's plus deliveryCount (share-consumer.test.ts)",
}

const SNAPSHOT = join(repoRoot, 'test', 'snapshots', 'json-shapes.json')
const STACK = 'shapes'

describe('--json result shapes (the contract in test/snapshots/json-shapes.json)', () => {
  let box: Sandbox
  let shimDir: string
  let upShape: Shape | undefined
  const consumers: Consumer[] = []
  // Before the stack stops: a kafkajs consumer whose broker went away keeps retrying and holds the process.
  const disconnectConsumers = async () => {
    for (const consumer of consumers.splice(0)) await consumer.disconnect()
  }
  const seen: Record<string, Shape> = {}
  const update = process.env.UPDATE_SNAPSHOTS === '1'
  const snapshot: Record<string, Shape> = existsSync(SNAPSHOT) ? JSON.parse(readFileSync(SNAPSHOT, 'utf8')) : {}

  before(async () => {
    box = sandbox()
    shimDir = mkdtempSync(join(tmpdir(), 'kafkit-shapes-shims-'))
    // `up` itself is a case: its result is recorded here and compared in the 'up' test.
    const port = await freePorts(1)
    const up = await box.kafkit([
      'up',
      '--stack',
      STACK,
      ...runtimeArgs(KAFKA_4),
      '--port',
      String(port),
      '--controller-port',
      String(await freePorts(1)),
      '--json',
    ])
    assert.equal(up.code, 0, up.stderr)
    upShape = shapeOf(JSON.parse(up.stdout), MAPS.up)
    const bootstrap = json(up).bootstrapServers as string
    // Data for every list to hold at least one element, and each case its own (any one runs alone with --test-name-pattern).
    const kafka = kafkaClient(bootstrap)
    const admin = kafka.admin()
    await admin.connect()
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: ['shapes', 'to-alter', 'to-delete'].map((topic) => ({
          topic,
          numPartitions: 2,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '3600000' }],
        })),
      })
      for (const groupId of ['shapes-group', 'shapes-undo']) {
        await admin.setOffsets({
          groupId,
          topic: 'shapes',
          partitions: [
            { partition: 0, offset: '0' },
            { partition: 1, offset: '0' },
          ],
        })
      }
      const producer = kafka.producer()
      await producer.connect()
      await producer.send({
        topic: 'shapes',
        messages: [
          { key: 'k', value: 'v', headers: { h: 'x' }, partition: 0 },
          { value: 'w', partition: 1 },
        ],
      })
      await producer.disconnect()
      // A live member, so member lists are not empty.
      const consumer = kafka.consumer({ groupId: 'shapes-live' })
      consumers.push(consumer)
      await consumer.connect()
      await consumer.subscribe({ topic: 'shapes', fromBeginning: true })
      await consumer.run({ eachMessage: async () => {} })
      await eventually(
        async () => (await admin.describeGroups(['shapes-live'])).groups[0]?.state === 'Stable',
        60_000,
        'shapes-live stable',
      )
    } finally {
      await admin.disconnect()
    }
    const reset = await box.kafkit(
      ['consumer-groups', '--reset-offsets', '--group', 'shapes-undo', '--topic', 'shapes', '--to-latest', '--execute'],
      { env: { KAFKIT_STACK: STACK } },
    )
    assert.equal(reset.code, 0, reset.stderr)
  })

  after(async () => {
    if (update) {
      writeFileSync(
        SNAPSHOT,
        `${JSON.stringify(Object.fromEntries(Object.entries(seen).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`,
      )
    }
    await disconnectConsumers()
    await box?.cleanup()
  })

  const cases: Case[] = [
    { name: 'up', args: [] },
    { name: 'version', args: ['version'] },
    { name: 'doctor', args: ['doctor'], widen: { 'checks[].fix': 'string', usableRuntime: 'null' } },
    {
      name: 'status',
      args: ['status'],
      maps: ['details'],
      widen: { clusterError: 'string', 'cluster.controller': 'null', cluster: 'null' },
    },
    { name: 'status --all', args: ['status', '--all'] },
    { name: 'topics --create', args: ['topics', '--create', '--topic', 'created', '--partitions', '1'] },
    { name: 'topics --list', args: ['topics', '--list'] },
    {
      name: 'topics --describe',
      args: ['topics', '--describe', '--topic', 'shapes'],
      maps: ['topics[].configs'],
      widen: Object.fromEntries(
        ['elr', 'lastKnownElr', 'offlineReplicas'].map((list) => [`topics[].partitions[].${list}`, ['number']]),
      ),
    },
    { name: 'topics --alter', args: ['topics', '--alter', '--topic', 'to-alter', '--partitions', '3'] },
    { name: 'topics --delete', args: ['topics', '--delete', '--topic', 'to-delete', '--yes'] },
    { name: 'console-producer', args: ['console-producer', '--topic', 'shapes'], input: '{"value":"json"}\n' },
    {
      name: 'console-consumer',
      args: ['console-consumer', '--topic', 'shapes', '--from-beginning', '--exit-at-end'],
      lines: true,
    },
    { name: 'get-offsets', args: ['get-offsets', '--topic', 'shapes'], widen: { 'offsets[].timestamp': 'number' } },
    { name: 'configs --describe', args: ['configs', '--describe', '--topic', 'shapes'] },
    {
      name: 'configs --alter',
      args: ['configs', '--alter', '--topic', 'shapes', '--add-config', 'retention.ms=600000'],
      maps: ['set'],
    },
    { name: 'consumer-groups --list', args: ['consumer-groups', '--list'] },
    { name: 'consumer-groups --list --type --state', args: ['consumer-groups', '--list', '--type', '--state'] },
    { name: 'groups --list', args: ['groups', '--list'] },
    { name: 'consumer-groups --describe', args: ['consumer-groups', '--describe', '--group', 'shapes-group'] },
    {
      name: 'consumer-groups --describe (live group)',
      args: ['consumer-groups', '--describe', '--group', 'shapes-live'],
    },
    {
      name: 'consumer-groups --describe --members',
      args: ['consumer-groups', '--describe', '--group', 'shapes-live', '--members'],
    },
    {
      name: 'consumer-groups --describe --state',
      args: ['consumer-groups', '--describe', '--group', 'shapes-live', '--state'],
    },
    {
      name: 'consumer-groups --reset-offsets --dry-run',
      args: [
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'shapes-group',
        '--topic',
        'shapes',
        '--to-latest',
        '--dry-run',
      ],
    },
    {
      name: 'consumer-groups --reset-offsets --execute',
      args: [
        'consumer-groups',
        '--reset-offsets',
        '--group',
        'shapes-group',
        '--topic',
        'shapes',
        '--to-earliest',
        '--execute',
      ],
    },
    {
      name: 'consumer-groups --undo-reset',
      args: ['consumer-groups', '--undo-reset', '--group', 'shapes-undo', '--execute'],
    },
    {
      name: 'lag',
      args: ['lag', 'shapes-group', '--count', '1'],
      lines: true,
      // Rates need two samples.
      widen: Object.fromEntries(
        [
          'windowSeconds',
          'groups[].consumeRate',
          'groups[].produceRate',
          'groups[].etaSeconds',
          'groups[].partitions[].consumeRate',
          'groups[].partitions[].produceRate',
          'groups[].partitions[].etaSeconds',
        ].map((path) => [path, 'number']),
      ),
    },
    { name: 'logs', args: ['logs', '--lines', '2'] },
    {
      name: 'metadata-quorum describe --status',
      args: ['metadata-quorum', 'describe', '--status'],
      needs: 'DescribeQuorum',
    },
    {
      name: 'metadata-quorum describe --replication',
      args: ['metadata-quorum', 'describe', '--replication'],
      needs: 'DescribeQuorum',
    },
    { name: 'features describe', args: ['features', 'describe'], widen: { 'features[].epoch': 'null' } },
    { name: 'features version-mapping', args: ['features', 'version-mapping'] },
    {
      name: 'features upgrade --dry-run',
      args: ['features', 'upgrade', '--release-version', '4.4', '--dry-run'],
      widen: { 'results[].error': 'string' },
      needs: 'UpdateFeatures',
    },
    { name: 'cluster cluster-id', args: ['cluster', 'cluster-id'] },
    { name: 'cluster list-endpoints', args: ['cluster', 'list-endpoints'], widen: { 'nodes[].rack': 'string' } },
    { name: 'cluster api-versions', args: ['cluster', 'api-versions'] },
    { name: 'broker-api-versions', args: ['broker-api-versions'] },
    { name: 'storage random-uuid', args: ['storage', 'random-uuid'] },
    { name: 'install kafka --list', args: ['install', 'kafka', '--list'] },
    { name: 'shims install', args: ['shims', 'install', '--dir', '<shims>'] },
    { name: 'shims uninstall', args: ['shims', 'uninstall', '--dir', '<shims>'] },
    { name: 'error (unknown topic)', args: ['topics', '--describe', '--topic', 'no-such-topic'], code: 1 },
    { name: 'error (usage)', args: ['topics', '--list', '--partitions', 'x'], code: 2 },
    // Last, in this order: they stop the stack.
    { name: 'down', args: ['down'], stopsStack: true },
    // Alone it stops the running stack; after down there is nothing left to stop.
    {
      name: 'purge',
      args: ['purge', '--force'],
      stopsStack: true,
      widen: { stopped: ['string'], removed: ['string'] },
    },
  ]

  it('every command of the manifest is covered or listed as not covered, with a reason', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { hidden?: boolean }>
    }
    const runs = (id: string, c: Case) =>
      c.name === 'up' ? id === 'up' : id.split(':').every((word, i) => c.args[i] === word)
    const missing = Object.keys(manifest.commands).filter(
      (id) => !manifest.commands[id]!.hidden && !(id in NOT_COVERED) && !cases.some((c) => runs(id, c)),
    )
    assert.deepEqual(missing, [])
  })

  for (const c of cases) {
    it(c.name, c.needs ? needsRealKafka(c.needs) : {}, async () => {
      let shape: Shape
      if (c.name === 'up') {
        assert.ok(upShape, 'up ran in before()')
        shape = upShape
      } else {
        if (c.stopsStack) await disconnectConsumers()
        const args = c.args.map((a) => (a === '<shims>' ? shimDir : a))
        const result: Run = await box.kafkit([...args, '--json'], {
          env: { KAFKIT_STACK: STACK },
          input: c.input ?? '',
        })
        assert.equal(result.code, c.code ?? 0, `${c.name}: ${result.stderr}${result.stdout}`)
        const documents = c.lines ? result.stdout.split('\n').filter(Boolean) : [result.stdout]
        assert.ok(documents.length > 0, `${c.name} printed no JSON`)
        shape = documents.map((d) => shapeOf(JSON.parse(d), c.maps)).reduce(mergeShapes)
        for (const [path, extra] of Object.entries(c.widen ?? {})) shape = widenShape(shape, path, extra)
      }
      seen[c.name] = shape
      if (update) return
      assert.ok(c.name in snapshot, `no snapshot for "${c.name}": run with UPDATE_SNAPSHOTS=1 and commit the file`)
      const breaks = shapeBreaks(shape, snapshot[c.name]!)
      assert.deepEqual(
        breaks,
        [],
        `the --json shape of "${c.name}" changed; if that is meant, UPDATE_SNAPSHOTS=1 rewrites the snapshot`,
      )
    })
  }
})
