/**
 * `up --with connect,schema-registry` on a dist stack (Kafka 4.4): both services start beside the broker, answer their
 * REST APIs, show in `status` and `logs`, keep a registered schema and a connector created with `kafkit connect create`
 * (the FileStream source kafkit adds to the install) across `down`/`up`, and go with `purge`. The connector's status,
 * pause/resume, restart and offsets reset go through `kafkit connect` against the stack's worker. A taken service port
 * is refused before anything starts, naming it.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { eventually, freePorts, json, KAFKA_4, kcatConsume, repoRoot, sandbox, type Sandbox } from './helpers.js'

const STACK = 'svc'
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'

async function rest(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

describe('stack services: Connect and the Schema Registry', { timeout: 170_000 }, () => {
  let box: Sandbox
  let bootstrap: string
  let connectUrl: string
  let registryUrl: string
  let schemaId: number
  let ports: { broker: number; controller: number; connect: number; registry: number }

  before(async () => {
    box = sandbox()
    const base = await freePorts(4)
    ports = { broker: base, controller: base + 1, connect: base + 2, registry: base + 3 }
    const up = await box.kafkit([
      'up',
      '--stack',
      STACK,
      '--runtime',
      'dist',
      '--version',
      KAFKA_4,
      '--port',
      String(ports.broker),
      '--controller-port',
      String(ports.controller),
      '--with',
      'connect,schema-registry',
      '--connect-port',
      String(ports.connect),
      '--schema-registry-port',
      String(ports.registry),
      '--json',
    ])
    assert.equal(up.code, 0, up.stderr)
    const result = json(up)
    bootstrap = result.bootstrapServers
    assert.deepEqual(
      result.services.map((s: any) => [s.name, s.port, s.alive]),
      [
        ['schema-registry', ports.registry, true],
        ['connect', ports.connect, true],
      ],
    )
    connectUrl = `http://127.0.0.1:${ports.connect}`
    registryUrl = `http://127.0.0.1:${ports.registry}`
  })

  after(async () => {
    await box?.cleanup()
  })

  it('status shows a row per service, in --json and in the table', async () => {
    const status = json(await box.kafkit(['status', '--stack', STACK, '--json']))
    const registry = status.services.find((s: any) => s.name === 'schema-registry')
    assert.equal(registry.url, registryUrl)
    assert.match(registry.description, /^Apicurio Registry 3\.(0|3)\.\d+$/)
    assert.ok(registry.pid > 0)
    const connect = status.services.find((s: any) => s.name === 'connect')
    assert.equal(connect.description, `Kafka Connect ${KAFKA_4} (distributed)`)
    const text = await box.kafkit(['status', '--stack', STACK])
    assert.match(
      text.stdout,
      new RegExp(`connect\\s+Kafka Connect ${KAFKA_4} \\(distributed\\)\\s+\\d+\\s+${connectUrl}\\s+running`),
    )
    assert.match(text.stdout, new RegExp(`schema-registry\\s+Apicurio Registry .*${registryUrl}\\s+running`))
  })

  it('the registry registers a schema through its Confluent-compatible API', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] })
    const created = await rest(`${registryUrl}/apis/ccompat/v7/subjects/orders-value/versions`, {
      method: 'POST',
      body: JSON.stringify({ schema }),
    })
    assert.equal(created.status, 200, JSON.stringify(created.body))
    schemaId = created.body.id
    assert.ok(Number.isInteger(schemaId))
    const subjects = await rest(`${registryUrl}/apis/ccompat/v7/subjects`)
    assert.deepEqual(subjects.body, ['orders-value'])
  })

  it('kafkit connect: the FileStream source from a properties file runs; status, pause/resume, restart, offsets reset', async () => {
    const connect = (args: string[]) => box.kafkit(['connect', ...args, '--stack', STACK])
    const plugins = json(await connect(['plugins', '--json']))
    assert.ok(JSON.stringify(plugins).includes(FILE_SOURCE), JSON.stringify(plugins))
    const input = join(box.home, 'lines.txt')
    writeFileSync(input, 'one\ntwo\nthree\n')
    const file = join(box.home, 'lines-source.properties')
    writeFileSync(file, `name=lines\nconnector.class=${FILE_SOURCE}\ntasks.max=1\nfile=${input}\ntopic=lines\n`)
    const created = await connect(['create', file])
    assert.equal(created.code, 0, created.stderr)
    const running = async () => {
      const status = json(await connect(['status', 'lines', '--json']))
      return status.connector?.state === 'RUNNING' && status.tasks?.[0]?.state === 'RUNNING'
    }
    await eventually(running, 30_000, 'connector and task RUNNING')
    const payloads = async () => (await kcatConsume(bootstrap, 'lines')).map((line) => JSON.parse(line).payload)
    // The worker's JsonConverter writes each value with its schema: {"schema":{...},"payload":"one"}.
    await eventually(async () => (await payloads()).length === 3, 30_000, 'the three lines in the topic')
    assert.deepEqual(await payloads(), ['one', 'two', 'three'])

    assert.equal((await connect(['pause', 'lines'])).code, 0)
    await eventually(
      async () => json(await connect(['status', 'lines', '--json'])).connector?.state === 'PAUSED',
      30_000,
      'PAUSED',
    )
    assert.equal((await connect(['resume', 'lines'])).code, 0)
    await eventually(running, 30_000, 'RUNNING after resume')
    const restart = await connect(['restart', 'lines', '--include-tasks'])
    assert.equal(restart.code, 0, restart.stderr)
    await eventually(running, 30_000, 'RUNNING after restart')
    // KIP-875: offsets are reset on a stopped connector; resumed, it reads the file again from the start.
    assert.equal((await connect(['stop', 'lines'])).code, 0)
    await eventually(
      async () => json(await connect(['status', 'lines', '--json'])).connector?.state === 'STOPPED',
      30_000,
      'STOPPED',
    )
    const reset = await connect(['offsets', 'reset', 'lines'])
    assert.equal(reset.code, 0, reset.stderr)
    assert.equal((await connect(['resume', 'lines'])).code, 0)
    await eventually(async () => (await payloads()).length === 6, 30_000, 'the file read again after the reset')
  })

  it('logs <service> shows the service log; an unknown name lists the services', async () => {
    const connect = await box.kafkit(['logs', 'connect', '--stack', STACK, '-n', '400'])
    assert.equal(connect.code, 0, connect.stderr)
    assert.match(connect.stdout, /DistributedHerder/)
    const registry = await box.kafkit(['logs', 'schema-registry', '--stack', STACK, '-n', '400', '--json'])
    assert.match(json(registry).processes[0].logFile, /logs\/schema-registry\.log$/)
    const unknown = await box.kafkit(['logs', 'nope', '--stack', STACK])
    assert.notEqual(unknown.code, 0)
    assert.match(unknown.stderr, /it has kafka-1, schema-registry, connect/)
  })

  it('a taken service port is refused before anything starts, naming it', async () => {
    const held: Server = createServer()
    const port = await freePorts(1)
    await new Promise<void>((resolve) => held.listen(port, '127.0.0.1', resolve))
    try {
      const brokerPort = await freePorts(2)
      const result = await box.kafkit([
        'up',
        '--stack',
        'taken',
        '--runtime',
        'dist',
        '--version',
        KAFKA_4,
        '--port',
        String(brokerPort),
        '--controller-port',
        String(brokerPort + 1),
        '--with',
        'schema-registry',
        '--schema-registry-port',
        String(port),
      ])
      assert.notEqual(result.code, 0)
      assert.match(result.stderr, new RegExp(`Port ${port} \\(Schema Registry REST API\\) is already in use`))
      assert.match(result.stderr, /--schema-registry-port/)
      assert.equal(existsSync(join(box.home, 'stacks', 'taken', 'state.json')), false, 'no stack was started')
    } finally {
      held.close()
    }
  })

  it('down stops the services, up starts them again with the schema and the connector kept', async () => {
    const down = json(await box.kafkit(['down', '--stack', STACK, '--json']))
    assert.deepEqual(
      down.processes.map((p: any) => p.name),
      ['connect', 'schema-registry', 'kafka-1'],
    )
    assert.ok(down.processes.every((p: any) => p.result === 'stopped' || p.result === 'killed'))
    const up = await box.kafkit(['up', '--stack', STACK, '--json'])
    assert.equal(up.code, 0, up.stderr)
    assert.ok(json(up).services.every((s: any) => s.alive))
    const byId = await rest(`${registryUrl}/apis/ccompat/v7/schemas/ids/${schemaId}`)
    assert.equal(byId.status, 200)
    assert.match(byId.body.schema, /"Order"/)
    const connectors = await rest(`${connectUrl}/connectors`)
    assert.deepEqual(connectors.body, ['lines'])
    await eventually(
      async () =>
        json(await box.kafkit(['connect', 'status', 'lines', '--stack', STACK, '--json'])).connector?.state ===
        'RUNNING',
      30_000,
      'connector running again',
    )
  })

  it('purge stops everything and deletes the stack with its services data', async () => {
    const status = json(await box.kafkit(['status', '--stack', STACK, '--json']))
    const pids: number[] = status.services.map((s: any) => s.pid)
    const purge = json(await box.kafkit(['purge', '--force', '--stack', STACK, '--json']))
    assert.deepEqual([...purge.stopped].sort(), ['connect', 'kafka-1', 'schema-registry'])
    // Gone, or a zombie not yet reaped by whoever adopted it (its command line is empty then).
    const running = (pid: number) =>
      existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0
    for (const pid of pids) assert.equal(running(pid), false, `service process ${pid} gone`)
    assert.equal(existsSync(join(box.home, 'stacks', STACK)), false)
  })
})

/**
 * The docker runtime up to the boundary: no engine runs here, so the recording stand-in for the `docker` CLI
 * (test/fixtures/docker) runs the containers' processes from the Compose file kafkit wrote: Connect from apache/kafka's
 * connect-distributed.sh with the bind-mounted worker config, the registry with its H2 file on the named volume.
 */
describe('stack services on the docker runtime (recording stand-in)', { timeout: 120_000 }, () => {
  let box: Sandbox
  let state: string
  let env: NodeJS.ProcessEnv
  const calls = () =>
    readFileSync(join(state, 'calls.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as string[]).join(' '))

  before(() => {
    box = sandbox()
    state = mkdtempSync(join(tmpdir(), 'kafkit-fake-docker-'))
    env = {
      PATH: `${join(repoRoot, 'test', 'fixtures', 'docker')}:${process.env.PATH}`,
      FAKE_DOCKER_STATE: state,
      FAKE_DOCKER_NODE: process.execPath,
    }
  })

  after(async () => {
    await box?.kafkit(['purge', '--force', '--stack', 'dock'], { env })
    await box?.cleanup()
    rmSync(state, { recursive: true, force: true })
  })

  it('up --with pulls the pinned images, starts both Compose services and waits for their REST APIs; purge removes them', async () => {
    const base = await freePorts(4)
    const up = await box.kafkit(
      [
        'up',
        '--stack',
        'dock',
        '--runtime',
        'docker',
        '--port',
        String(base),
        '--controller-port',
        String(base + 1),
        '--with',
        'connect,schema-registry',
        '--connect-port',
        String(base + 2),
        '--schema-registry-port',
        String(base + 3),
        '--json',
      ],
      { env },
    )
    assert.equal(up.code, 0, up.stderr)
    const result = json(up)
    assert.deepEqual(
      result.services.map((s: any) => [s.name, s.alive, s.description]),
      [
        ['schema-registry', true, 'Apicurio Registry 3.3.3 (apicurio/apicurio-registry:3.3.3)'],
        ['connect', true, `Kafka Connect ${KAFKA_4} (apache/kafka:${KAFKA_4})`],
      ],
    )
    const log = calls()
    assert.ok(log.includes('docker pull apicurio/apicurio-registry:3.3.3'), log.join('\n'))
    const composeUps = log.filter((c) => / up -d --no-deps /.test(c)).map((c) => c.split(' ').at(-1))
    assert.deepEqual(composeUps, ['kafka-1', 'schema-registry', 'connect'])
    const registered = await rest(`http://127.0.0.1:${base + 3}/apis/ccompat/v7/subjects/s/versions`, {
      method: 'POST',
      body: JSON.stringify({ schema: '"string"' }),
    })
    assert.equal(registered.status, 200, JSON.stringify(registered.body))
    assert.deepEqual((await rest(`http://127.0.0.1:${base + 2}/connectors`)).body, [])
    const logs = await box.kafkit(['logs', 'connect', '--stack', 'dock', '--json'], { env })
    assert.match(json(logs).processes[0].logFile, /^docker logs kafkit-dock-connect$/)

    const purge = json(await box.kafkit(['purge', '--force', '--stack', 'dock', '--json'], { env }))
    assert.deepEqual([...purge.stopped].sort(), ['connect', 'kafka-1', 'schema-registry'])
    assert.ok(purge.removed.includes('container kafkit-dock-connect'), purge.removed.join(', '))
    assert.ok(purge.removed.includes('volume kafkit-dock_schema-registry-data'), purge.removed.join(', '))
  })
})
