import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { planStack, resolveShape } from '../../src/model/plan.js'
import { containerName, networkBootstrapServers, renderCompose } from '../../src/runtime/compose.js'
import { resolveImages } from '../../src/runtime/images.js'
import { parseServiceList, planServices, DEFAULT_SERVICE_PORTS } from '../../src/services/catalog.js'
import { renderConnectConfig, workerClientEntries } from '../../src/services/connect.js'
import {
  archiveUrl,
  registryCommand,
  registryHome,
  registryJar,
  registryVersionFor,
  renderRegistryConfig,
} from '../../src/services/registry.js'
import { parseProperties } from '../../src/util/properties.js'
import { renderServices } from '../../src/stack/views.js'
import type { StackState } from '../../src/model/state.js'

const repoRoot = new URL('../..', import.meta.url).pathname

describe('parseServiceList (--with)', () => {
  it('takes comma-separated and repeated names, in start order, without duplicates', () => {
    assert.deepEqual(parseServiceList(['connect,schema-registry']), ['schema-registry', 'connect'])
    assert.deepEqual(parseServiceList(['connect', 'registry', 'connect']), ['schema-registry', 'connect'])
    assert.deepEqual(parseServiceList(undefined), [])
  })
  it('refuses an unknown service, naming the known ones', () => {
    assert.throws(
      () => parseServiceList(['connect,ksql']),
      /Unknown service "ksql" in --with: expected connect, schema-registry/,
    )
  })
})

describe('planServices', () => {
  it('gives new services their default port or the one asked for', () => {
    assert.deepEqual(planServices(undefined, ['connect', 'schema-registry']), [
      { name: 'schema-registry', port: DEFAULT_SERVICE_PORTS['schema-registry'] },
      { name: 'connect', port: 8083 },
    ])
    assert.deepEqual(planServices(undefined, ['connect'], { connect: 18083 }), [{ name: 'connect', port: 18083 }])
    assert.equal(DEFAULT_SERVICE_PORTS['schema-registry'], 8081)
  })
  it('keeps the services a stack has (with their pid and version) and adds the new ones', () => {
    const existing = [{ name: 'connect' as const, port: 8083, pid: 42, version: '4.4.0' }]
    assert.deepEqual(planServices(existing, ['schema-registry']), [
      { name: 'schema-registry', port: 8081 },
      { name: 'connect', port: 8083, pid: 42, version: '4.4.0' },
    ])
    assert.deepEqual(planServices(existing, []), existing)
  })
  it('refuses to move a service a stack has, two services on one port, and impossible ports', () => {
    assert.throws(
      () => planServices([{ name: 'connect', port: 8083 }], ['connect'], { connect: 9000 }),
      /listens on port 8083/,
    )
    assert.throws(
      () => planServices(undefined, ['connect', 'schema-registry'], { connect: 8081 }),
      /cannot share port 8081/,
    )
    assert.throws(() => planServices(undefined, ['connect'], { connect: 70_000 }), /expected 1-65535/)
  })
})

const stack = (brokers: number): Pick<StackState, 'dir' | 'bootstrapServers' | 'nodes' | 'kafka'> => ({
  dir: '/home/u/stacks/dev',
  bootstrapServers: Array.from({ length: brokers }, (_, i) => `127.0.0.1:${9092 + i}`).join(','),
  nodes: Array.from({ length: brokers }, (_, i) => ({
    name: `kafka-${i + 1}`,
    role: 'combined' as const,
    nodeId: i + 1,
    port: 9092 + i,
    configFile: '',
    dataDir: '',
    logFile: '',
  })),
  kafka: { version: '4.4.0', home: '/nonexistent/kafka', description: '' },
})

describe('renderConnectConfig', () => {
  it('points the worker at the stack, on 127.0.0.1, with replication fitted to the brokers', () => {
    const props = parseProperties(renderConnectConfig(stack(1), { port: 8083 }))
    assert.equal(props['bootstrap.servers'], '127.0.0.1:9092')
    assert.equal(props.listeners, 'http://127.0.0.1:8083')
    assert.equal(props['rest.advertised.port'], '8083')
    assert.equal(props['group.id'], 'kafkit-connect')
    assert.deepEqual(
      [props['config.storage.topic'], props['offset.storage.topic'], props['status.storage.topic']],
      ['connect-configs', 'connect-offsets', 'connect-status'],
    )
    assert.equal(props['config.storage.replication.factor'], '1')
    assert.equal(props['value.converter'], 'org.apache.kafka.connect.json.JsonConverter')
    assert.equal(props['plugin.discovery'], 'service_load')
    // The distribution has no plugins/ folder here: only the stack's own.
    assert.equal(props['plugin.path'], '/home/u/stacks/dev/connect/plugins')
    const three = parseProperties(renderConnectConfig(stack(4), { port: 8083 }))
    assert.equal(three['offset.storage.replication.factor'], '3')
  })
  it('up --connect-config: the security settings for the worker and again for its producers, consumers and admins', () => {
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";'
    const client = {
      'bootstrap.servers': '127.0.0.1:9094',
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': jaas,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': '/ca.pem',
    }
    const props = parseProperties(renderConnectConfig(stack(1), { port: 8083 }, { client }))
    assert.equal(props['bootstrap.servers'], '127.0.0.1:9094')
    for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
      assert.equal(props[`${prefix}security.protocol`], 'SASL_SSL')
      assert.equal(props[`${prefix}sasl.mechanism`], 'PLAIN')
      assert.equal(props[`${prefix}sasl.jaas.config`], jaas)
      assert.equal(props[`${prefix}ssl.truststore.location`], '/ca.pem')
    }
    assert.equal(props['producer.bootstrap.servers'], undefined)
    // Without one, nothing of it: the stack's PLAINTEXT listener.
    assert.equal(parseProperties(renderConnectConfig(stack(1), { port: 8083 }))['security.protocol'], undefined)
    assert.throws(
      () => workerClientEntries({ 'security.protocol': 'SSL', 'group.id': 'x' }),
      /--connect-config takes bootstrap.servers and the client security settings .* not group.id/,
    )
  })
  it('lists the given plugin folders', () => {
    const props = parseProperties(renderConnectConfig(stack(1), { port: 1 }, { pluginDirs: ['/a/plugins', '/b'] }))
    assert.equal(props['plugin.path'], '/a/plugins,/b')
  })
})

describe('the Schema Registry (Apicurio)', () => {
  it('follows the Java found: 3.3.3 on 21+, 3.0.9 on 17-20, none below', () => {
    assert.equal(registryVersionFor(25), '3.3.3')
    assert.equal(registryVersionFor(21), '3.3.3')
    assert.equal(registryVersionFor(17), '3.0.9')
    assert.equal(registryVersionFor(11), undefined)
  })
  it('installs from Maven Central into the cache, one folder per version', () => {
    assert.equal(
      archiveUrl('3.0.9'),
      'https://repo1.maven.org/maven2/io/apicurio/apicurio-registry-app/3.0.9/apicurio-registry-app-3.0.9-all.tar.gz',
    )
    const env = { KAFKIT_CACHE: '/c' }
    assert.equal(registryHome('3.0.9', env), '/c/schema-registry/apicurio-3.0.9')
    assert.equal(registryJar('3.0.9', env), '/c/schema-registry/apicurio-3.0.9/apicurio-registry-app-3.0.9-runner.jar')
  })
  it('binds 127.0.0.1 (management too) and keeps its schemas in an H2 file in the stack', () => {
    const props = parseProperties(renderRegistryConfig({ dir: '/s/dev' }, { port: 8081 }, 40001))
    assert.equal(props['quarkus.http.host'], '127.0.0.1')
    assert.equal(props['quarkus.http.port'], '8081')
    assert.equal(props['quarkus.management.host'], '127.0.0.1')
    assert.equal(props['quarkus.management.port'], '40001')
    assert.equal(props['apicurio.datasource.url'], 'jdbc:h2:file:/s/dev/schema-registry/data/registry')
  })
  it('runs the runner jar with a small heap and the rendered config (the file is its process marker)', () => {
    const { command, args } = registryCommand('/j/bin/java', '3.0.9', '/s/dev/schema-registry/application.properties', {
      KAFKIT_CACHE: '/c',
      KAFKIT_SCHEMA_REGISTRY_OPTS: '-Dx=1',
    })
    assert.equal(command, '/j/bin/java')
    assert.ok(args.includes('-Xmx256m'))
    assert.ok(args.includes('-Dx=1'))
    assert.ok(args.includes('-Dquarkus.config.locations=/s/dev/schema-registry/application.properties'))
    assert.deepEqual(args.slice(-2), [
      '-jar',
      '/c/schema-registry/apicurio-3.0.9/apicurio-registry-app-3.0.9-runner.jar',
    ])
  })
})

describe('renderServices', () => {
  it('adds nothing for a stack without services, a row per service otherwise', () => {
    assert.deepEqual(renderServices([]), [])
    const text = renderServices([
      {
        name: 'connect',
        description: 'Kafka Connect 4.4.0 (distributed)',
        version: '4.4.0',
        port: 8083,
        url: 'http://127.0.0.1:8083',
        pid: null,
        alive: false,
        uptimeMs: null,
        startedAt: null,
        logFile: '/x',
      },
    ]).join('\n')
    assert.match(text, /SERVICE\s+RUNS\s+PID\s+URL\s+STATUS/)
    assert.match(text, /connect\s+Kafka Connect 4\.4\.0 \(distributed\)\s+-?\s*http:\/\/127\.0\.0\.1:8083\s+stopped/)
  })
})

describe('renderCompose with services (docker runtime)', () => {
  const plan = planStack('dev', '/home/u/.local/state/kafkit/stacks/dev', resolveShape({ mode: 'kraft', brokers: 2 }))
  const rendered = renderCompose({
    stack: plan.stack,
    dir: plan.dir,
    mode: plan.mode,
    nodes: plan.nodes,
    clusterId: 'MkU3OEVBNTcwNTJENDM2Qg',
    images: resolveImages({ mode: plan.mode }),
    heap: '512m',
    services: [
      { name: 'schema-registry', port: 8081 },
      { name: 'connect', port: 8083 },
    ],
    kafkaVersion: '4.4.0',
  })
  const { compose, project } = rendered

  it('runs Connect from apache/kafka at the stack version, with the rendered worker config, on 127.0.0.1:8083', () => {
    const connect = compose.services.connect!
    assert.equal(connect.image, 'apache/kafka:4.4.0')
    assert.equal(connect.container_name, containerName(project, 'connect'))
    assert.deepEqual(connect.command, [
      '/opt/kafka/bin/connect-distributed.sh',
      '/opt/kafkit/connect-distributed.properties',
    ])
    assert.deepEqual(connect.ports, ['127.0.0.1:8083:8083'])
    assert.deepEqual(connect.depends_on, ['broker-1', 'broker-2'])
    assert.ok(
      connect.volumes.includes(
        `${plan.dir}/connect/connect-distributed.properties:/opt/kafkit/connect-distributed.properties:ro`,
      ),
    )
  })
  it('runs the registry from a pinned Apicurio image with its H2 file on a named volume', () => {
    const registry = compose.services['schema-registry']!
    assert.match(registry.image, /^apicurio\/apicurio-registry:\d+\.\d+\.\d+$/)
    assert.deepEqual(registry.ports, ['127.0.0.1:8081:8080'])
    assert.equal(registry.environment.APICURIO_DATASOURCE_URL, 'jdbc:h2:file:/var/lib/kafkit-registry/registry')
    assert.equal(compose.volumes['schema-registry-data']?.name, `${project}_schema-registry-data`)
  })
  it('renders a Connect worker config for the container: in-network bootstrap, all interfaces, its own name', () => {
    const props = parseProperties(
      renderConnectConfig(
        stack(2),
        { port: 8083 },
        {
          pluginDirs: ['/opt/kafkit/plugins'],
          container: {
            bootstrapServers: networkBootstrapServers(project, plan.nodes),
            host: 'kafkit-dev-connect',
            port: 8083,
          },
        },
      ),
    )
    assert.equal(props['bootstrap.servers'], networkBootstrapServers(project, plan.nodes))
    assert.equal(props.listeners, 'http://0.0.0.0:8083')
    assert.equal(props['rest.advertised.host.name'], 'kafkit-dev-connect')
  })
  it('passes the compose-spec schema (dclint)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-services-compose-'))
    try {
      const file = join(dir, 'services.yml')
      writeFileSync(file, rendered.yaml)
      const report = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            join(repoRoot, 'node_modules', 'dclint', 'bin', 'dclint.cjs'),
            file,
            '-f',
            'json',
            '--no-color',
            '--disable-rule',
            'no-quotes-in-volumes',
            'require-quotes-in-ports',
            'require-project-name-field',
            'services-alphabetical-order',
          ],
          { timeout: 60_000 },
          (error, stdout, stderr) =>
            stdout.trim().startsWith('[') ? resolve(stdout) : reject(new Error(`dclint: ${stderr || error?.message}`)),
        ),
      )
      const [result] = JSON.parse(report) as Array<{ messages: Array<{ rule: string; message: string }> }>
      assert.deepEqual(result!.messages, [])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
