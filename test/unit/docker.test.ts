import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parse } from 'yaml'
import { UsageError } from '../../src/errors.js'
import { DEFAULT_KAFKA_VERSION } from '../../src/model/versions.js'
import {
  ADVERTISED_HOST,
  CONTAINER_PORTS,
  composeProjectName,
  containerName,
  kafkaEnvName,
  networkBootstrapServers,
  renderCompose,
  toYaml,
  zookeeperEnvName,
  type ComposeService,
  type RenderedCompose,
} from '../../src/runtime/compose.js'
import { engineFix, engineMessage } from '../../src/runtime/docker.js'
import { parseImageRef, resolveImages } from '../../src/runtime/images.js'
import { assertRuntimeOptions, runtimeFor } from '../../src/runtime/index.js'
import { planStack, resolveShape, type ShapeRequest } from '../../src/model/plan.js'

const repoRoot = new URL('../..', import.meta.url).pathname

describe('resolveImages: pinned images for every mode and version', () => {
  const cases: Array<{
    name: string
    request: Parameters<typeof resolveImages>[0]
    kafka?: string
    zookeeper?: string
    version?: string
    error?: RegExp
  }> = [
    {
      name: 'KRaft default',
      request: { mode: 'kraft' },
      kafka: `apache/kafka:${DEFAULT_KAFKA_VERSION}`,
      version: DEFAULT_KAFKA_VERSION,
    },
    {
      name: 'KRaft --version 3.9.2',
      request: { mode: 'kraft', version: '3.9.2' },
      kafka: 'apache/kafka:3.9.2',
      version: '3.9.2',
    },
    {
      name: '--image native',
      request: { mode: 'kraft', image: 'native' },
      kafka: `apache/kafka-native:${DEFAULT_KAFKA_VERSION}`,
      version: DEFAULT_KAFKA_VERSION,
    },
    {
      name: 'native before its first release',
      request: { mode: 'kraft', image: 'native', version: '3.7.2' },
      error: /no apache\/kafka-native image for Kafka 3\.7\.2: the first is 3\.8\.0/,
    },
    {
      name: 'apache/kafka before its first release',
      request: { mode: 'kraft', version: '3.6.2' },
      error: /no apache\/kafka image for Kafka 3\.6\.2: the first is 3\.7\.0/,
    },
    { name: 'KRaft before 3.3', request: { mode: 'kraft', version: '3.2.3' }, error: /predates production KRaft/ },
    {
      name: 'an Apache tag gives the version',
      request: { mode: 'kraft', image: 'apache/kafka:3.9.1' },
      kafka: 'apache/kafka:3.9.1',
      version: '3.9.1',
    },
    {
      name: 'an untagged Apache repository gets the version tag',
      request: { mode: 'kraft', image: 'apache/kafka-native', version: '4.0.0' },
      kafka: 'apache/kafka-native:4.0.0',
      version: '4.0.0',
    },
    {
      name: 'a digest is pinned',
      request: { mode: 'kraft', image: `registry.local:5000/kafka@sha256:${'a'.repeat(64)}`, version: '4.1.0' },
      kafka: `registry.local:5000/kafka@sha256:${'a'.repeat(64)}`,
      version: '4.1.0',
    },
    {
      name: 'an untagged custom image is refused',
      request: { mode: 'kraft', image: 'example/kafka' },
      error: /has no tag: pin one/,
    },
    {
      name: '`latest` is refused',
      request: { mode: 'kraft', image: 'apache/kafka:latest' },
      error: /must pin a version: `latest` moves/,
    },
    {
      name: 'a contradicting --version is refused',
      request: { mode: 'kraft', image: 'apache/kafka:3.9.1', version: '4.0.0' },
      error: /contradicts/,
    },
    {
      name: 'a malformed reference is refused',
      request: { mode: 'kraft', image: 'Not An Image' },
      error: /Invalid --image/,
    },
    {
      name: 'ZooKeeper default: Confluent 7.9.0 pair',
      request: { mode: 'zookeeper' },
      kafka: 'confluentinc/cp-kafka:7.9.0',
      zookeeper: 'confluentinc/cp-zookeeper:7.9.0',
      version: '3.9',
    },
    {
      name: 'ZooKeeper 3.8.1 → CP 7.8.0',
      request: { mode: 'zookeeper', version: '3.8.1' },
      kafka: 'confluentinc/cp-kafka:7.8.0',
      zookeeper: 'confluentinc/cp-zookeeper:7.8.0',
      version: '3.8.1',
    },
    {
      name: 'ZooKeeper on 4.x',
      request: { mode: 'zookeeper', version: '4.0.0' },
      error: /has no ZooKeeper mode: it was removed in Kafka 4\.0/,
    },
    {
      name: 'ZooKeeper on an unmapped line',
      request: { mode: 'zookeeper', version: '3.2.0' },
      error: /no ZooKeeper-mode image for Kafka 3\.2\.0/,
    },
    {
      name: 'ZooKeeper with the native image',
      request: { mode: 'zookeeper', image: 'native' },
      error: /runs KRaft only/,
    },
    {
      name: 'ZooKeeper with a custom broker image',
      request: { mode: 'zookeeper', image: 'example/cp-kafka:7.9.1' },
      kafka: 'example/cp-kafka:7.9.1',
      zookeeper: 'confluentinc/cp-zookeeper:7.9.0',
      version: '3.9',
    },
    { name: 'a bad version', request: { mode: 'kraft', version: 'five' }, error: /Unknown Kafka version "five"/ },
  ]
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(
          () => resolveImages(c.request),
          (e: Error) => e instanceof UsageError && c.error!.test(e.message),
        )
        return
      }
      const images = resolveImages(c.request)
      assert.equal(images.kafka, c.kafka)
      assert.equal(images.zookeeper, c.zookeeper)
      assert.equal(images.version, c.version)
      for (const image of [images.kafka, images.zookeeper].filter(Boolean) as string[]) {
        const ref = parseImageRef(image)
        assert.ok(ref.digest || (ref.tag && ref.tag !== 'latest'), `${image} is pinned`)
      }
    })
  }

  it('parseImageRef keeps a registry port out of the tag', () => {
    assert.deepEqual(parseImageRef('localhost:5000/kafka'), { repository: 'localhost:5000/kafka' })
    assert.deepEqual(parseImageRef('localhost:5000/kafka:4.0.0'), { repository: 'localhost:5000/kafka', tag: '4.0.0' })
    assert.deepEqual(parseImageRef('a/b@sha256:ff'), { repository: 'a/b', digest: 'sha256:ff' })
  })
})

describe("Compose naming and the images' environment convention", () => {
  it('project names are lowercase, and folding never merges two stacks', () => {
    assert.equal(composeProjectName('default'), 'kafkit-default')
    assert.equal(composeProjectName('my_stack-2'), 'kafkit-my_stack-2')
    assert.match(composeProjectName('My.Stack'), /^kafkit-my-stack-[0-9a-f]{6}$/)
    assert.notEqual(composeProjectName('Foo'), composeProjectName('foo'))
    assert.match(composeProjectName('Foo'), /^[a-z0-9][a-z0-9_-]*$/)
  })
  for (const [property, env] of [
    ['log.dirs', 'KAFKA_LOG_DIRS'],
    ['node.id', 'KAFKA_NODE_ID'],
    ['group.initial.rebalance.delay.ms', 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS'],
    ['a_b.c-d', 'KAFKA_A__B_C___D'],
    ['listener.name.host.ssl.keystore.location', 'KAFKA_LISTENER_NAME_HOST_SSL_KEYSTORE_LOCATION'],
  ]) {
    it(`${property} → ${env}`, () => assert.equal(kafkaEnvName(property!), env))
  }
  for (const [property, env] of [
    ['clientPort', 'ZOOKEEPER_CLIENT_PORT'],
    ['tickTime', 'ZOOKEEPER_TICK_TIME'],
    ['autopurge.snapRetainCount', 'ZOOKEEPER_AUTOPURGE_SNAP_RETAIN_COUNT'],
  ]) {
    it(`${property} → ${env}`, () => assert.equal(zookeeperEnvName(property!), env))
  }
})

interface ShapeCase {
  name: string
  shape: ShapeRequest
  network?: string
  overrides?: Record<string, string>
  rf: number
  minIsr: number
}

const SHAPES: ShapeCase[] = [
  { name: 'kraft-combined', shape: { mode: 'kraft' }, rf: 1, minIsr: 1 },
  { name: 'kraft-1c-2b', shape: { mode: 'kraft', brokers: 2 }, rf: 2, minIsr: 1 },
  {
    name: 'kraft-1c-3b-network',
    shape: { mode: 'kraft', brokers: 3, port: 19092 },
    network: 'devnet',
    rf: 3,
    minIsr: 2,
  },
  {
    name: 'kraft-3c-5b',
    shape: { mode: 'kraft', brokers: 5, controllers: 3 },
    rf: 3,
    minIsr: 2,
    overrides: { 'sasl.jaas.config': 'secret="$ecret"', 'log.retention.ms': '60000' },
  },
  { name: 'zookeeper-1b', shape: { mode: 'zookeeper' }, rf: 1, minIsr: 1 },
  {
    name: 'zookeeper-3b-network',
    shape: { mode: 'zookeeper', brokers: 3, zookeeperPort: 12181 },
    network: 'devnet',
    rf: 3,
    minIsr: 2,
  },
]

const CLUSTER_ID = 'MkU3OEVBNTcwNTJENDM2Qg'
const validationDir = mkdtempSync(join(tmpdir(), 'kafkit-compose-'))
after(() => rmSync(validationDir, { recursive: true, force: true }))

function render(c: ShapeCase): { plan: ReturnType<typeof planStack>; rendered: RenderedCompose } {
  const plan = planStack(`s-${c.name}`, `/home/u/.local/state/kafkit/stacks/s-${c.name}`, resolveShape(c.shape))
  const images = resolveImages({ mode: plan.mode })
  const rendered = renderCompose({
    stack: plan.stack,
    dir: plan.dir,
    mode: plan.mode,
    nodes: plan.nodes,
    clusterId: plan.mode === 'kraft' ? CLUSTER_ID : undefined,
    images,
    heap: '512m',
    overrides: c.overrides,
    network: c.network,
  })
  return { plan, rendered }
}

/** Splits "A://h:1,B://h:2" into { A: 'h:1', B: 'h:2' }. */
function listenerMap(value: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (value ?? '')
      .split(',')
      .filter(Boolean)
      .map((l) => {
        const [name, address] = l.split('://')
        return [name!, address!]
      }),
  )
}

describe('renderCompose: every shape, checked structurally', () => {
  for (const c of SHAPES) {
    describe(c.name, () => {
      const { plan, rendered } = render(c)
      const { compose, project } = rendered
      const services = compose.services
      const env = (name: string) => services[name]!.environment
      const brokers = plan.nodes.filter((n) => n.role === 'broker' || n.role === 'combined')

      it('the YAML text parses back to exactly the typed project', () => {
        assert.deepEqual(parse(rendered.yaml), JSON.parse(JSON.stringify(compose)))
        assert.equal(rendered.env, `COMPOSE_PROJECT_NAME=${project}\n`)
        assert.doesNotMatch(rendered.yaml, /\{\{/)
      })

      it('one service per node, named like the node, with a unique container name', () => {
        assert.deepEqual(
          Object.keys(services),
          plan.nodes.map((n) => n.name),
        )
        for (const node of plan.nodes)
          assert.equal(services[node.name]!.container_name, containerName(project, node.name))
      })

      it('pinned images: apache/kafka for KRaft, the Confluent pair for ZooKeeper', () => {
        for (const node of plan.nodes) {
          const image = services[node.name]!.image
          assert.doesNotMatch(image, /:latest$/)
          assert.match(image, /:\d+\.\d+\.\d+$/)
          if (plan.mode === 'kraft') assert.equal(image, `apache/kafka:${DEFAULT_KAFKA_VERSION}`)
          else
            assert.equal(
              image,
              node.role === 'zookeeper' ? 'confluentinc/cp-zookeeper:7.9.0' : 'confluentinc/cp-kafka:7.9.0',
            )
        }
      })

      it('publishes only on 127.0.0.1, at the planned ports', () => {
        for (const node of plan.nodes) {
          const expected =
            node.role === 'zookeeper'
              ? [`127.0.0.1:${node.port}:${CONTAINER_PORTS.zookeeper}`]
              : [
                  ...(node.role !== 'controller' ? [`127.0.0.1:${node.port}:${CONTAINER_PORTS.host}`] : []),
                  ...(node.controllerPort !== undefined
                    ? [`127.0.0.1:${node.controllerPort}:${CONTAINER_PORTS.controller}`]
                    : []),
                ]
          assert.deepEqual(services[node.name]!.ports, expected)
        }
      })

      it('separate listeners: INTERNAL between containers, HOST advertised as localhost:<published port>', () => {
        for (const node of brokers) {
          const e = env(node.name)
          const listeners = listenerMap(e.KAFKA_LISTENERS)
          assert.equal(listeners.INTERNAL, `0.0.0.0:${CONTAINER_PORTS.internal}`)
          assert.equal(listeners.HOST, `0.0.0.0:${CONTAINER_PORTS.host}`)
          const advertised = listenerMap(e.KAFKA_ADVERTISED_LISTENERS)
          assert.deepEqual(advertised, {
            INTERNAL: `${containerName(project, node.name)}:${CONTAINER_PORTS.internal}`,
            HOST: `${ADVERTISED_HOST}:${node.port}`,
          })
          assert.equal(e.KAFKA_INTER_BROKER_LISTENER_NAME, 'INTERNAL')
          for (const name of Object.keys(listeners))
            assert.match(e.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP!, new RegExp(`(^|,)${name}:PLAINTEXT`))
        }
        assert.equal(
          networkBootstrapServers(project, plan.nodes),
          brokers.map((n) => `${containerName(project, n.name)}:19092`).join(','),
        )
      })

      it('KRaft: voters by container name, a stable CLUSTER_ID, controllers advertise nothing; ZooKeeper: zookeeper.connect by name', () => {
        const voters = plan.nodes
          .filter((n) => n.role === 'controller' || n.role === 'combined')
          .map((n) => `${n.nodeId}@${containerName(project, n.name)}:9093`)
          .join(',')
        for (const node of plan.nodes.filter((n) => n.role !== 'zookeeper')) {
          const e = env(node.name)
          if (plan.mode === 'kraft') {
            assert.equal(e.CLUSTER_ID, CLUSTER_ID)
            assert.equal(e.KAFKA_NODE_ID, String(node.nodeId))
            assert.equal(e.KAFKA_CONTROLLER_QUORUM_VOTERS, voters)
            assert.equal(e.KAFKA_PROCESS_ROLES, node.role === 'combined' ? 'broker,controller' : node.role)
            if (node.role === 'controller') {
              assert.equal(e.KAFKA_ADVERTISED_LISTENERS, undefined)
              assert.deepEqual(listenerMap(e.KAFKA_LISTENERS), { CONTROLLER: '0.0.0.0:9093' })
            }
          } else {
            assert.equal(e.CLUSTER_ID, undefined)
            assert.equal(e.KAFKA_BROKER_ID, String(node.nodeId))
            assert.equal(e.KAFKA_ZOOKEEPER_CONNECT, `${containerName(project, 'zookeeper')}:2181`)
          }
        }
        if (plan.mode === 'zookeeper')
          assert.deepEqual(env('zookeeper'), {
            ZOOKEEPER_CLIENT_PORT: '2181',
            ZOOKEEPER_TICK_TIME: '2000',
            KAFKA_HEAP_OPTS: '-Xms64m -Xmx256m',
          })
      })

      it(`internal topics fitted to ${brokers.length} broker(s) (RF ${c.rf}, min ISR ${c.minIsr}), no rebalance delay, data on the volume`, () => {
        for (const node of brokers) {
          const e = env(node.name)
          assert.equal(e.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, String(c.rf))
          assert.equal(e.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR, String(c.rf))
          assert.equal(e.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR, String(c.minIsr))
          assert.equal(e.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS, '0')
          assert.equal(e.KAFKA_LOG_DIRS, '/var/lib/kafka/data')
          assert.equal(e.KAFKA_HEAP_OPTS, '-Xms128m -Xmx512m')
        }
      })

      it('one named volume per data directory, declared with the project prefix', () => {
        const declared = compose.volumes
        for (const node of plan.nodes) {
          const mounts = services[node.name]!.volumes
          const paths =
            node.role === 'zookeeper' ? ['/var/lib/zookeeper/data', '/var/lib/zookeeper/log'] : ['/var/lib/kafka/data']
          assert.deepEqual(
            mounts.map((m) => m.split(':')[1]),
            paths,
          )
          for (const mount of mounts) {
            const key = mount.split(':')[0]!
            assert.equal(declared[key]?.name, `${project}_${key}`)
            assert.equal(declared[key]?.labels['dev.kafkit.stack'], plan.stack)
          }
        }
        assert.equal(
          Object.keys(declared).length,
          plan.nodes.reduce((n, node) => n + (node.role === 'zookeeper' ? 2 : 1), 0),
        )
      })

      it('depends_on names real services, in start order', () => {
        for (const [name, service] of Object.entries(services) as Array<[string, ComposeService]>) {
          for (const dependency of service.depends_on ?? [])
            assert.ok(services[dependency], `${name} depends on ${dependency}`)
          const node = plan.nodes.find((n) => n.name === name)!
          if (node.role === 'broker') assert.ok((service.depends_on ?? []).length > 0)
        }
      })

      it(c.network ? `joins the external network ${c.network}` : "uses the project's own network", () => {
        if (c.network) {
          assert.deepEqual(compose.networks, { [c.network]: { external: true } })
          for (const service of Object.values(services)) assert.deepEqual(service.networks, [c.network])
        } else {
          assert.equal(compose.networks, undefined)
          for (const service of Object.values(services)) assert.equal(service.networks, undefined)
        }
      })

      if (c.overrides) {
        it('overrides reach the brokers only, with `$` escaped from Compose interpolation', () => {
          for (const node of plan.nodes) {
            const e = env(node.name)
            if (node.role === 'controller') assert.equal(e.KAFKA_LOG_RETENTION_MS, undefined)
            else assert.equal(e.KAFKA_LOG_RETENTION_MS, '60000')
            if (node.role !== 'controller') assert.equal(e.KAFKA_SASL_JAAS_CONFIG, 'secret="$$ecret"')
          }
          assert.match(rendered.yaml, /KAFKA_SASL_JAAS_CONFIG: "secret=\\"\$\$ecret\\""/)
        })
      }

      // The dclint check below renders its own copy; the same input must give the same text byte for byte.
      it('renders deterministically (the copy the schema check validates is this file)', () =>
        assert.equal(render(c).rendered.yaml, rendered.yaml))
    })
  }

  it('refuses an override that would land on an image variable', () => {
    const plan = planStack('s', '/x', resolveShape({ mode: 'kraft' }))
    assert.throws(
      () =>
        renderCompose({
          stack: 's',
          dir: '/x',
          mode: 'kraft',
          nodes: plan.nodes,
          clusterId: CLUSTER_ID,
          images: { kafka: 'apache/kafka:4.4.0' },
          heap: '1g',
          overrides: { 'heap.opts': 'x' },
        }),
      /KAFKA_HEAP_OPTS/,
    )
  })
})

describe('every rendered Compose file passes the compose-spec schema (dclint)', () => {
  // Style rules off, each for a reason: every string is double-quoted on purpose (no YAML 1.1 surprises like base-60
  // ports), the project is named by the .env beside the file (so Compose v1 reads it too), and services are in start
  // order rather than alphabetical. Schema errors and every other rule still fail the test.
  const disabled = [
    'no-quotes-in-volumes',
    'require-quotes-in-ports',
    'require-project-name-field',
    'services-alphabetical-order',
  ]
  // Written here rather than by the structural tests above, so this suite also runs alone (--test-name-pattern).
  before(() => {
    for (const c of SHAPES) writeFileSync(join(validationDir, `${c.name}.yml`), render(c).rendered.yaml)
  })
  it(`${SHAPES.length} files: no schema error, no warning`, async () => {
    const files = SHAPES.map((c) => join(validationDir, `${c.name}.yml`))
    const report = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [
          join(repoRoot, 'node_modules', 'dclint', 'bin', 'dclint.cjs'),
          ...files,
          '-f',
          'json',
          '--no-color',
          '--disable-rule',
          ...disabled,
        ],
        { timeout: 60_000 },
        (error, stdout, stderr) =>
          stdout.trim().startsWith('[') ? resolve(stdout) : reject(new Error(`dclint: ${stderr || error?.message}`)),
      ),
    )
    const results = JSON.parse(report) as Array<{
      filePath: string
      messages: Array<{ rule: string; message: string }>
      errorCount: number
      warningCount: number
    }>
    assert.equal(results.length, files.length)
    for (const result of results) assert.deepEqual(result.messages, [], result.filePath)
  })

  it('and the validator does reject a broken file (so the check can fail)', async () => {
    const bad = join(validationDir, 'broken.yml')
    writeFileSync(
      bad,
      toYaml({ services: { kafka: { image: 'apache/kafka:4.4.0', ports: { '9092': 9092 }, bogus: true } } }),
    )
    const report = await new Promise<string>((resolve) =>
      execFile(
        process.execPath,
        [join(repoRoot, 'node_modules', 'dclint', 'bin', 'dclint.cjs'), bad, '-f', 'json', '--no-color'],
        (_e, stdout) => resolve(stdout),
      ),
    )
    const [result] = JSON.parse(report) as Array<{ messages: Array<{ rule: string }> }>
    assert.ok(result!.messages.some((m) => m.rule === 'invalid-schema'))
  })
})

describe('toYaml', () => {
  it('quotes every string so YAML never reinterprets it', () => {
    const value = {
      a: ['9092:9092', 'yes', '1.0', 'x: y', '"quoted"', '#hash', ''],
      b: { 'dotted.key': 'on', n: 3, t: true },
      c: [],
      d: {},
    }
    assert.deepEqual(parse(toYaml(value)), value)
  })
})

describe('engine messages', () => {
  it("keeps the engine's own words and drops usage noise", () => {
    assert.equal(
      engineMessage({
        stdout: '\n',
        stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      }),
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    )
    assert.equal(
      engineMessage({
        stdout: '4.4.0: Pulling from apache/kafka\n',
        stderr:
          'Error response from daemon: manifest for apache/kafka:9.9.9 not found: manifest unknown: manifest unknown\n',
      }),
      'Error response from daemon: manifest for apache/kafka:9.9.9 not found: manifest unknown: manifest unknown',
    )
    assert.equal(
      engineMessage({
        stdout: '',
        stderr:
          "unknown flag: --short\n\nUsage:  docker [OPTIONS] COMMAND\n\nRun 'docker --help' for more information\n",
      }),
      'unknown flag: --short',
    )
  })
  it('suggests the docker group for a permission problem, starting the engine otherwise', () => {
    assert.match(engineFix('permission denied while trying to connect to the Docker daemon socket'), /docker group/)
    assert.match(engineFix('Cannot connect to the Docker daemon'), /systemctl start docker/)
  })
})

describe('runtime options', () => {
  it('--image and --network are refused by the local-process runtimes and accepted by docker', () => {
    assert.throws(
      () => assertRuntimeOptions(runtimeFor('dist'), { image: 'native' }),
      /--image applies to containers; the dist runtime/,
    )
    assert.throws(
      () => assertRuntimeOptions(runtimeFor('homebrew'), { image: 'native', network: 'n' }),
      /--image and --network apply/,
    )
    assert.doesNotThrow(() => assertRuntimeOptions(runtimeFor('dist'), undefined))
    assert.doesNotThrow(() => assertRuntimeOptions(runtimeFor('docker'), { image: 'native', network: 'n' }))
  })
})
