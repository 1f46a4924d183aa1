import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parse } from 'yaml'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  freePorts,
  json,
  kcatConsume,
  produce,
  repoRoot,
  sandbox,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * There is no Docker engine on our machines, so these tests stop at the boundary: a recording stand-in for the
 * `docker` CLI (test/fixtures/docker) is first on PATH. It logs every call, which the tests assert in order, and it
 * emulates containers by running REAL Kafka from .cache/kafka with the configuration kafkit put in the Compose
 * file, so readiness, produce/consume, broker failover and data kept across down/up are checked against Kafka.
 * The last suite runs against this machine's real docker client (no engine) for doctor, up and auto.
 *
 * Commands of docs/docker.md exercised here (the lead can check the list):
 */
export const DOC_EXAMPLES = [
  'kafkit doctor',
  'kafkit up --runtime docker',
  'kafkit up --runtime docker --brokers 2 --network devnet',
  'kafkit up --runtime docker --mode zookeeper',
  'kafkit up --runtime docker --image native',
  'kafkit status',
  'kafkit logs broker-1 -n 5',
  'kafkit logs broker-2 -f -n 0',
  'kafkit broker stop 2',
  'kafkit broker start 2',
  'kafkit down',
  'kafkit purge --force',
]

const fixtures = join(repoRoot, 'test', 'fixtures', 'docker')
const INSPECT = 'docker inspect --format {{.State.Running}} {{.State.Pid}} {{.State.ExitCode}}'
const ENGINE_DOWN = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'

interface FakeDocker {
  state: string
  env: NodeJS.ProcessEnv
  /** Every docker call so far, as one string each (the Compose file path shown as <file>); clears the log when asked. */
  calls(reset?: boolean): string[]
}

function fakeDocker(knobs: NodeJS.ProcessEnv = {}): FakeDocker {
  const state = mkdtempSync(join(tmpdir(), 'kafkit-fake-docker-'))
  const log = join(state, 'calls.log')
  return {
    state,
    env: {
      PATH: `${fixtures}:${process.env.PATH}`,
      FAKE_DOCKER_STATE: state,
      FAKE_DOCKER_NODE: process.execPath,
      ...knobs,
    },
    calls(reset = false) {
      const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []
      if (reset) rmSync(log, { force: true })
      return lines.map((line) => {
        const argv = JSON.parse(line) as string[]
        const f = argv.indexOf('-f')
        if (f >= 0 && argv.includes('-p')) argv[f + 1] = '<file>'
        return argv.join(' ')
      })
    },
  }
}

/**
 * Asserts a call sequence: a string must be the next call; an array is a group of calls made in parallel, in any
 * order. Returns the calls left after the expected ones.
 */
function expectSequence(actual: string[], expected: Array<string | string[]>): string[] {
  let i = 0
  for (const item of expected) {
    if (typeof item === 'string') {
      assert.equal(actual[i], item, `call ${i + 1} of:\n${actual.join('\n')}`)
      i++
    } else {
      assert.deepEqual(
        [...actual.slice(i, i + item.length)].sort(),
        [...item].sort(),
        `calls ${i + 1}-${i + item.length} of:\n${actual.join('\n')}`,
      )
      i += item.length
    }
  }
  return actual.slice(i)
}

/** The readiness loop: only `docker inspect` of the given containers, every one of them at least once per round. */
function assertReadinessLoop(rest: string[], containers: string[]): void {
  assert.ok(rest.length >= containers.length, `at least one readiness round, got:\n${rest.join('\n')}`)
  for (const call of rest)
    assert.ok(
      containers.some((c) => call === `${INSPECT} ${c}`),
      `unexpected call in the readiness loop: ${call}`,
    )
  for (const c of containers) assert.ok(rest.includes(`${INSPECT} ${c}`))
}

const detectCalls = ['docker --version', 'docker info --format {{.ServerVersion}}', 'docker compose version --short']

describe(`docker runtime: KRaft life cycle against a recording docker stand-in (real Kafka ${KAFKA_4})`, () => {
  let box: Sandbox
  let docker: FakeDocker
  let bootstrap: string
  let port: number
  const run = (args: string[]) => box.kafkit([...args, '--stack', 'life'], { env: docker.env })
  const c = (node: string) => `kafkit-life-${node}`
  const compose = (args: string) => `docker compose -p kafkit-life -f <file> ${args}`

  before(async () => {
    box = sandbox()
    docker = fakeDocker({ FAKE_DOCKER_NETWORKS: 'devnet' })
    assert.ok(existsSync(join(distHome(KAFKA_4), 'libs')), `the stand-in runs Kafka from ${distHome(KAFKA_4)}`)
  })
  after(async () => {
    await box.kafkit(['purge', '--force', '--stack', 'life'], { env: docker.env })
    await box.cleanup()
    rmSync(docker.state, { recursive: true, force: true })
  })

  it('up --runtime docker --brokers 2 --network devnet: pulls, starts containers in order, waits for Metadata', async () => {
    port = await freePorts(2)
    const result = await run([
      'up',
      '--runtime',
      'docker',
      '--brokers',
      '2',
      '--network',
      'devnet',
      '--port',
      String(port),
      '--controller-port',
      String(await freePorts(1)),
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const up = json(result)
    assert.equal(up.runtime, 'docker')
    assert.deepEqual(
      up.nodes.map((n: { name: string }) => n.name),
      ['controller-1', 'broker-1', 'broker-2'],
    )
    assert.deepEqual(up.details, {
      images: `apache/kafka:${KAFKA_4}`,
      composeProject: 'kafkit-life',
      composeFile: join(box.home, 'stacks', 'life', 'docker', 'compose.yml'),
      network: 'devnet',
      networkBootstrap: `${c('broker-1')}:19092,${c('broker-2')}:19092`,
    })
    assert.match(result.stderr, new RegExp(`Pulling image apache/kafka:${KAFKA_4} \\(first use`))
    bootstrap = up.bootstrapServers
    const rest = expectSequence(docker.calls(true), [
      ...detectCalls,
      `${INSPECT} ${c('controller-1')}`,
      `${INSPECT} ${c('broker-1')}`,
      `${INSPECT} ${c('broker-2')}`,
      'docker info --format {{.ServerVersion}}',
      'docker compose version --short',
      'docker network inspect --format {{.Name}} devnet',
      `docker image inspect --format {{.Id}} apache/kafka:${KAFKA_4}`,
      `docker pull apache/kafka:${KAFKA_4}`,
      compose('up -d --no-deps controller-1'),
      `${INSPECT} ${c('controller-1')}`,
      compose('up -d --no-deps broker-1'),
      `${INSPECT} ${c('broker-1')}`,
      compose('up -d --no-deps broker-2'),
      `${INSPECT} ${c('broker-2')}`,
    ])
    assertReadinessLoop(rest, [c('controller-1'), c('broker-1'), c('broker-2')])
  })

  it('the Compose file kafkit wrote advertises localhost:<published port> and joins devnet', () => {
    const file = parse(readFileSync(join(box.home, 'stacks', 'life', 'docker', 'compose.yml'), 'utf8'))
    assert.equal(
      file.services['broker-2'].environment.KAFKA_ADVERTISED_LISTENERS,
      `INTERNAL://${c('broker-2')}:19092,HOST://localhost:${port + 1}`,
    )
    assert.deepEqual(file.services['broker-2'].ports, [`127.0.0.1:${port + 1}:9092`])
    assert.deepEqual(file.networks, { devnet: { external: true } })
    assert.equal(
      readFileSync(join(box.home, 'stacks', 'life', 'docker', '.env'), 'utf8'),
      'COMPOSE_PROJECT_NAME=kafkit-life\n',
    )
  })

  it('clients on the host produce and consume (kafkajs in, kcat out)', async () => {
    await produce(bootstrap, 'docked', ['one', 'two'])
    assert.deepEqual(await kcatConsume(bootstrap, 'docked'), ['one', 'two'])
  })

  it('status maps nodes to containers and shows the runtime details', async () => {
    const result = await run(['status', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const status = json(result)
    assert.deepEqual(
      status.nodes.map((n: { alive: boolean }) => n.alive),
      [true, true, true],
    )
    assert.deepEqual(
      status.cluster.brokers.map((b: { nodeId: number; host: string }) => [b.nodeId, b.host]),
      [
        [1, 'localhost'],
        [2, 'localhost'],
      ],
    )
    assert.equal(status.nodes[1].logFile.length > 0, true)
    assert.equal(status.details.networkBootstrap, `${c('broker-1')}:19092,${c('broker-2')}:19092`)
    assert.deepEqual(docker.calls(true), [
      `${INSPECT} ${c('controller-1')}`,
      `${INSPECT} ${c('broker-1')}`,
      `${INSPECT} ${c('broker-2')}`,
    ])
    const human = await run(['status'])
    assert.match(human.stdout, /Network bootstrap: kafkit-life-broker-1:19092,kafkit-life-broker-2:19092/)
    docker.calls(true)
  })

  it("logs broker-1 -n 5 reads the container's log through docker logs", async () => {
    const result = await run(['logs', 'broker-1', '-n', '5'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.trim().split('\n').length, 5)
    assert.match(result.stdout, /\] (INFO|WARN) /)
    assert.deepEqual(docker.calls(true), [`docker logs --tail 5 ${c('broker-1')}`])
  })

  it('broker stop 2 stops one container (followed live by logs -f) and clients keep working', async () => {
    const follow = run(['logs', 'broker-2', '-f', '-n', '0'])
    await eventually(
      async () => docker.calls().includes(`docker logs --follow --tail 0 ${c('broker-2')}`),
      30_000,
      'logs -f attached',
    )
    docker.calls(true)
    const result = await run(['broker', 'stop', '2', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(json(result).result, 'stopped')
    assert.deepEqual(docker.calls(true), [
      `${INSPECT} ${c('broker-2')}`,
      'docker compose version --short',
      compose('stop -t 30 broker-2'),
      `${INSPECT} ${c('broker-2')}`,
    ])
    const followed: Run = await follow
    assert.equal(followed.code, 0, followed.stderr)
    assert.match(followed.stdout, /shut(ting)? ?down/i, "logs -f printed the broker's shutdown as it happened")
    const status = json(await run(['status', '--json']))
    assert.deepEqual(
      status.nodes.map((n: { name: string; alive: boolean }) => [n.name, n.alive]),
      [
        ['controller-1', true],
        ['broker-1', true],
        ['broker-2', false],
      ],
    )
    docker.calls(true)
  })

  it('broker start 2 starts that container again and waits for it', async () => {
    const result = await run(['broker', 'start', '2', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(json(result).result, 'started')
    const rest = expectSequence(docker.calls(true), [
      `${INSPECT} ${c('controller-1')}`,
      `${INSPECT} ${c('broker-1')}`,
      `${INSPECT} ${c('broker-2')}`,
      'docker info --format {{.ServerVersion}}',
      'docker compose version --short',
      'docker network inspect --format {{.Name}} devnet',
      `docker image inspect --format {{.Id}} apache/kafka:${KAFKA_4}`,
      compose('up -d --no-deps broker-2'),
      `${INSPECT} ${c('broker-2')}`,
    ])
    assertReadinessLoop(rest, [c('broker-2')])
  })

  it('down stops brokers, then the controller; named volumes keep the data for the next up', async () => {
    const down = await run(['down', '--json'])
    assert.equal(down.code, 0, down.stderr)
    assert.deepEqual(
      json(down).processes.map((p: { result: string }) => p.result),
      ['stopped', 'stopped', 'stopped'],
    )
    expectSequence(docker.calls(true), [
      [
        `${INSPECT} ${c('broker-1')}`,
        `${INSPECT} ${c('broker-2')}`,
        'docker compose version --short',
        compose('stop -t 30 broker-1'),
        compose('stop -t 30 broker-2'),
        `${INSPECT} ${c('broker-1')}`,
        `${INSPECT} ${c('broker-2')}`,
      ],
      `${INSPECT} ${c('controller-1')}`,
      compose('stop -t 30 controller-1'),
      `${INSPECT} ${c('controller-1')}`,
    ])
    const volumes = readdirSync(join(docker.state, 'volumes')).sort()
    assert.deepEqual(volumes, [
      'kafkit-life_broker-1-data',
      'kafkit-life_broker-2-data',
      'kafkit-life_controller-1-data',
    ])
    const up = await run(['up', '--json'])
    assert.equal(up.code, 0, up.stderr)
    assert.doesNotMatch(up.stderr, /Pulling/, 'the image is pulled once')
    assert.deepEqual(await kcatConsume(bootstrap, 'docked'), ['one', 'two'])
    docker.calls(true)
  })

  it('purge --force stops the containers and removes them with their volumes', async () => {
    const result = await run(['purge', '--force', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const purge = json(result)
    assert.deepEqual(purge.stopped.sort(), ['broker-1', 'broker-2', 'controller-1'])
    assert.deepEqual(purge.removed, [
      `container ${c('controller-1')}`,
      `container ${c('broker-1')}`,
      `container ${c('broker-2')}`,
      'volume kafkit-life_controller-1-data',
      'volume kafkit-life_broker-1-data',
      'volume kafkit-life_broker-2-data',
    ])
    assert.equal(docker.calls(true).at(-1), compose('down --volumes --remove-orphans'))
    assert.deepEqual(readdirSync(join(docker.state, 'volumes')), [])
    assert.equal(existsSync(join(box.home, 'stacks', 'life')), false)
  })
})

describe(`docker runtime: ZooKeeper mode on the Confluent images (stand-in runs Kafka ${KAFKA_3})`, () => {
  let box: Sandbox
  let docker: FakeDocker
  before(() => {
    box = sandbox()
    docker = fakeDocker({ FAKE_DOCKER_CP_KAFKA: KAFKA_3 })
  })
  after(async () => {
    await box.cleanup()
    rmSync(docker.state, { recursive: true, force: true })
  })

  it('up --runtime docker --mode zookeeper: ZooKeeper first, then the broker, ready through Metadata', async () => {
    const port = await freePorts(1)
    const zookeeperPort = await freePorts(1)
    const result = await box.kafkit(
      [
        'up',
        '--runtime',
        'docker',
        '--mode',
        'zookeeper',
        '--stack',
        'zk',
        '--port',
        String(port),
        '--zookeeper-port',
        String(zookeeperPort),
        '--json',
      ],
      { env: docker.env },
    )
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`)
    const up = json(result)
    assert.equal(up.kafkaVersion, '3.9')
    assert.equal(up.details.images, 'confluentinc/cp-zookeeper:7.9.0, confluentinc/cp-kafka:7.9.0')
    const calls = docker.calls(true)
    const pulls = calls.filter((call) => call.startsWith('docker pull'))
    assert.deepEqual(pulls, ['docker pull confluentinc/cp-zookeeper:7.9.0', 'docker pull confluentinc/cp-kafka:7.9.0'])
    const ups = calls.filter((call) => call.includes(' up -d '))
    assert.deepEqual(ups, [
      'docker compose -p kafkit-zk -f <file> up -d --no-deps zookeeper',
      'docker compose -p kafkit-zk -f <file> up -d --no-deps broker-1',
    ])
    // ZooKeeper's port is awaited (with its container checked) before the broker starts.
    const between = calls.slice(calls.indexOf(ups[0]!) + 1, calls.indexOf(ups[1]!))
    assert.ok(
      between.length >= 1 && between.every((call) => call === `${INSPECT} kafkit-zk-zookeeper`),
      between.join('\n'),
    )
    await produce(up.bootstrapServers, 'zk-docked', ['hello from cp-kafka'])
    assert.deepEqual(await kcatConsume(up.bootstrapServers, 'zk-docked'), ['hello from cp-kafka'])
    const status = json(await box.kafkit(['status', '--stack', 'zk', '--json'], { env: docker.env }))
    assert.deepEqual(
      status.cluster.brokers.map((b: { nodeId: number }) => b.nodeId),
      [1],
    )
    const purge = await box.kafkit(['purge', '--force', '--stack', 'zk', '--json'], { env: docker.env })
    assert.equal(purge.code, 0, purge.stderr)
    assert.deepEqual(
      json(purge).removed.filter((r: string) => r.startsWith('volume')),
      ['volume kafkit-zk_zookeeper-data', 'volume kafkit-zk_zookeeper-log', 'volume kafkit-zk_broker-1-data'],
    )
  })
})

describe('docker runtime: failure paths against the stand-in (no Kafka needed)', () => {
  let box: Sandbox
  const states: string[] = []
  const fresh = (knobs: NodeJS.ProcessEnv = {}) => {
    const docker = fakeDocker(knobs)
    states.push(docker.state)
    return docker
  }
  before(() => {
    box = sandbox()
  })
  after(async () => {
    await box.cleanup()
    for (const state of states) rmSync(state, { recursive: true, force: true })
  })

  it("engine down: up --runtime docker exits 3 with the engine's message and the fix, after only detection", async () => {
    const docker = fresh({ FAKE_DOCKER_ENGINE: 'down' })
    const result = await box.kafkit(['up', '--runtime', 'docker', '--stack', 'down1'], { env: docker.env })
    assert.equal(result.code, 3, result.stderr)
    assert.match(
      result.stderr,
      /The docker runtime is not usable: Docker client 28\.2\.2 found, but the engine is not reachable \(Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock\. Is the docker daemon running\?\)/,
    )
    assert.match(result.stderr, /Try: Start the Docker engine/)
    assert.deepEqual(docker.calls(), detectCalls)
  })

  it('permission denied on the socket: doctor names the docker group', async () => {
    const docker = fresh({ FAKE_DOCKER_ENGINE: 'denied' })
    const doctor = json(await box.kafkit(['doctor', '--json'], { env: docker.env }))
    const row = doctor.runtimes.find((r: { runtime: string }) => r.runtime === 'docker')
    assert.equal(row.usable, false)
    assert.match(row.reason, /permission denied while trying to connect to the Docker daemon socket/)
    assert.match(row.fix, /docker group/)
  })

  it("pull failure: exit 3 with the registry's message; status with the engine gone exits 3; purge cleans up", async () => {
    const docker = fresh({ FAKE_DOCKER_PULL_FAIL: `apache/kafka:${KAFKA_4}` })
    const port = await freePorts(1)
    const result = await box.kafkit(
      [
        'up',
        '--runtime',
        'docker',
        '--stack',
        'pullfail',
        '--port',
        String(port),
        '--controller-port',
        String(await freePorts(1)),
      ],
      { env: docker.env },
    )
    assert.equal(result.code, 3, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `Error: Docker could not pull apache/kafka:${KAFKA_4}: Error response from daemon: manifest for apache/kafka:${KAFKA_4} not found: manifest unknown: manifest unknown`,
      ),
    )
    assert.match(result.stderr, /Try: Check the image and tag exist/)
    assert.deepEqual(docker.calls(true), [
      ...detectCalls,
      `${INSPECT} kafkit-pullfail-kafka-1`,
      'docker info --format {{.ServerVersion}}',
      'docker compose version --short',
      `docker image inspect --format {{.Id}} apache/kafka:${KAFKA_4}`,
      `docker pull apache/kafka:${KAFKA_4}`,
    ])
    const status = await box.kafkit(['status', '--stack', 'pullfail'], {
      env: { ...docker.env, FAKE_DOCKER_ENGINE: 'down' },
    })
    assert.equal(status.code, 3, status.stderr)
    assert.match(
      status.stderr,
      new RegExp(`The Docker engine is not reachable: ${ENGINE_DOWN.replace(/[.?]/g, '\\$&')}`),
    )
    assert.deepEqual(docker.calls(true), [`${INSPECT} kafkit-pullfail-kafka-1`])
    const purge = await box.kafkit(['purge', '--force', '--stack', 'pullfail'], { env: docker.env })
    assert.equal(purge.code, 0, purge.stderr)
    assert.deepEqual(docker.calls(true), [
      `${INSPECT} kafkit-pullfail-kafka-1`,
      'docker compose version --short',
      'docker compose -p kafkit-pullfail -f <file> down --volumes --remove-orphans',
    ])
  })

  it('a missing --network is named with the command that creates it (exit 3); a `latest` image is refused (exit 2)', async () => {
    const docker = fresh()
    const missing = await box.kafkit(
      [
        'up',
        '--runtime',
        'docker',
        '--stack',
        'nonet',
        '--network',
        'nope',
        '--port',
        String(await freePorts(1)),
        '--controller-port',
        String(await freePorts(1)),
      ],
      { env: docker.env },
    )
    assert.equal(missing.code, 3, missing.stderr)
    assert.match(
      missing.stderr,
      /The Docker network "nope" does not exist: Error response from daemon: network nope not found/,
    )
    assert.match(missing.stderr, /Try: docker network create nope/)
    assert.ok(docker.calls(true).includes('docker network inspect --format {{.Name}} nope'))
    const latest = await box.kafkit(
      ['up', '--runtime', 'docker', '--stack', 'latest', '--image', 'apache/kafka:latest'],
      { env: docker.env },
    )
    assert.equal(latest.code, 2, latest.stderr)
    assert.match(latest.stderr, /--image must pin a version/)
    assert.deepEqual(docker.calls(true), detectCalls, 'refused before anything is pulled')
  })

  it('readiness timeout: the container runs but never answers; the error shows its docker logs tail and it is stopped again', async () => {
    const docker = fresh({ FAKE_DOCKER_HANG: '1' })
    const result = await box.kafkit(
      [
        'up',
        '--runtime',
        'docker',
        '--image',
        'native',
        '--stack',
        'hang',
        '--timeout',
        '6s',
        '--port',
        String(await freePorts(1)),
        '--controller-port',
        String(await freePorts(1)),
      ],
      { env: docker.env },
    )
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /The stack did not become ready within 6s/)
    assert.match(result.stderr, /Last lines of docker logs kafkit-hang-kafka-1:/)
    assert.match(result.stderr, /^ {4}\[fake\] broker process started; it will never answer Kafka requests$/m)
    const calls = docker.calls(true)
    assert.ok(calls.includes(`docker pull apache/kafka-native:${KAFKA_4}`))
    const logs = calls.indexOf('docker logs --tail 200 kafkit-hang-kafka-1')
    assert.ok(logs > 0, calls.join('\n'))
    expectSequence(calls.slice(logs), [
      'docker logs --tail 200 kafkit-hang-kafka-1',
      `${INSPECT} kafkit-hang-kafka-1`,
      'docker compose -p kafkit-hang -f <file> stop -t 10 kafka-1',
      `${INSPECT} kafkit-hang-kafka-1`,
    ])
    await box.kafkit(['purge', '--force', '--stack', 'hang'], { env: docker.env })
  })

  it('Compose v1: detected as docker-compose and used for every compose command', async () => {
    const docker = fresh({ FAKE_DOCKER_COMPOSE: 'v1', FAKE_DOCKER_HANG: '1' })
    const doctor = json(await box.kafkit(['doctor', '--json'], { env: docker.env }))
    assert.match(
      doctor.runtimes.find((r: { runtime: string }) => r.runtime === 'docker').reason,
      /Compose 1\.29\.2 \(docker-compose\)/,
    )
    docker.calls(true)
    const result = await box.kafkit(
      [
        'up',
        '--runtime',
        'docker',
        '--stack',
        'v1',
        '--timeout',
        '2s',
        '--port',
        String(await freePorts(1)),
        '--controller-port',
        String(await freePorts(1)),
      ],
      { env: docker.env },
    )
    assert.equal(result.code, 1)
    const calls = docker.calls(true)
    assert.ok(calls.includes('docker-compose -p kafkit-v1 -f <file> up -d --no-deps kafka-1'), calls.join('\n'))
    assert.ok(!calls.some((call) => call.startsWith('docker compose -p')))
    await box.kafkit(['purge', '--force', '--stack', 'v1'], { env: docker.env })
    assert.equal(docker.calls().at(-1), 'docker-compose -p kafkit-v1 -f <file> down --volumes --remove-orphans')
  })
})

describe('docker runtime on this machine: a docker client at most, no engine', () => {
  let box: Sandbox
  // DOCKER_HOST points at a socket that cannot exist, so this holds even where an engine runs.
  const env = { DOCKER_HOST: 'unix:///nonexistent/kafkit-test/docker.sock' }
  const unusable = /Docker client [\w.]+ found, but the engine is not reachable \(.+\)|Docker not found on PATH/
  before(() => {
    box = sandbox()
  })
  after(async () => box.cleanup())

  it('kafkit doctor says why Docker is unusable, with the fix', async () => {
    const result = await box.kafkit(['doctor', '--json'], { env })
    assert.equal(result.code, 0, result.stderr)
    const row = json(result).runtimes.find((r: { runtime: string }) => r.runtime === 'docker')
    assert.equal(row.usable, false)
    assert.match(row.reason, unusable)
    assert.match(row.fix, /Start the Docker engine|Install Docker/)
    const human = await box.kafkit(['doctor'], { env })
    assert.match(human.stdout, /docker\s+unavailable\s+(Docker client|Docker not found)/)
  })

  it('kafkit up --runtime docker exits 3 with a clear message', async () => {
    const result = await box.kafkit(['up', '--runtime', 'docker', '--stack', 'nodocker'], { env })
    assert.equal(result.code, 3, result.stderr)
    assert.match(result.stderr, /^Error: The docker runtime is not usable: /m)
    assert.match(result.stderr, unusable)
    assert.match(result.stderr, /^Try: /m)
    assert.equal(existsSync(join(box.home, 'stacks', 'nodocker')), false)
  })

  it('auto skips Docker with the reason (and --image then needs --runtime docker)', async () => {
    const result = await box.kafkit(['up', '--stack', 'auto', '--image', `apache/kafka:${KAFKA_4}`], { env })
    assert.equal(result.code, 2, result.stderr)
    assert.match(
      result.stderr,
      /Runtime: dist \(.*\); skipped docker: (Docker client [\w.]+ found, but the engine is not reachable|Docker not found on PATH)/,
    )
    assert.match(result.stderr, /--image applies to containers; the dist runtime runs Kafka as local processes/)
  })
})
