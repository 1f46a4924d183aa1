import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { parseConnectorFile, parseOffsetsFile } from '../../src/connect/files.js'
import { resolveArgumentFile, rewriteWorkerProperties } from '../../src/connect/worker-config.js'
import { workerJvmArgs } from '../../src/connect/worker.js'
import {
  connectorRows,
  renderConnectors,
  renderOffsets,
  renderStatus,
  renderValidationErrors,
  validationErrors,
  type ValidationResponse,
} from '../../src/connect/views.js'
import { connectConfigFiles, connectLog4jConfig, ensureConnectFiles } from '../../src/install/connect-files.js'
import { UsageError } from '../../src/errors.js'
import { SilentReporter } from '../../src/output/reporter.js'

describe('connector files', () => {
  it('reads properties, the REST JSON and flat JSON alike', () => {
    const props = parseConnectorFile('name=src\nconnector.class=FileStreamSource\nfile=test.txt\n', 'src.properties')
    assert.deepEqual(props, {
      name: 'src',
      config: { name: 'src', 'connector.class': 'FileStreamSource', file: 'test.txt' },
    })
    const rest = parseConnectorFile('{"name":"a","config":{"connector.class":"X","tasks.max":2,"b":true}}', 'a.json')
    assert.deepEqual(rest, { name: 'a', config: { 'connector.class': 'X', 'tasks.max': '2', b: 'true', name: 'a' } })
    const flat = parseConnectorFile('{"connector.class":"X"}', '/tmp/my-sink.json')
    assert.equal(flat.name, 'my-sink')
    assert.equal(parseConnectorFile('{"connector.class":"X","name":"n"}', 'f.json', 'override').config.name, 'override')
  })

  it('refuses broken files with the reason', () => {
    assert.throws(
      () => parseConnectorFile('{"name":', 'a.json'),
      (e: unknown) => e instanceof UsageError && /not valid JSON/.test(e.message),
    )
    assert.throws(() => parseConnectorFile('name=a\n', 'a.properties'), /has no connector\.class/)
    assert.throws(() => parseConnectorFile('{"connector.class":"X","n":{"a":1}}', 'a.json'), /"n" must be a string/)
    assert.throws(() => parseConnectorFile('[1]', 'a.json'), /expected a JSON object/)
  })

  it('checks the offsets document', () => {
    const doc = { offsets: [{ partition: { filename: 'f' }, offset: { position: 2 } }] }
    assert.deepEqual(parseOffsetsFile(JSON.stringify({ connector: 'c', ...doc }), 'o.json'), doc)
    assert.throws(() => parseOffsetsFile('{"offsets":[{"partition":{}}]}', 'o.json'), /expected \{"offsets"/)
  })
})

describe('worker properties', () => {
  const home = '/opt/kafka'
  const base = { cwd: '/work', home, version: '4.4.0', fileConnector: 'plugins' }

  it('maps the quickstart line to the FileStream connector this distribution has, appending only', () => {
    const text = 'bootstrap.servers=localhost:9092\nplugin.path=libs/connect-file-4.4.0.jar\n'
    const result = rewriteWorkerProperties(text, { ...base, bootstrap: '127.0.0.1:39092', exists: () => false })
    assert.ok(result.text.startsWith(text))
    assert.match(
      result.text,
      /\n# Added by kafkit\nplugin\.path=\/opt\/kafka\/plugins\nplugin\.discovery=service_load\nbootstrap\.servers=127\.0\.0\.1:39092\n$/,
    )
    assert.deepEqual(result.pluginPath, ['/opt/kafka/plugins'])
    assert.equal(result.notes.length, 2)
  })

  it('resolves relative entries against the working directory, then the home; keeps what the user set', () => {
    const exists = (p: string) => p === '/opt/kafka/libs/connect-file-3.9.2.jar' || p === '/work/mine'
    const result = rewriteWorkerProperties(
      'plugin.path=libs/connect-file-3.9.2.jar, mine,/abs\nplugin.discovery=hybrid_warn\nbootstrap.servers=broker:9092',
      { ...base, version: '3.9.2', bootstrap: '127.0.0.1:1', exists },
    )
    assert.deepEqual(result.pluginPath, ['/opt/kafka/libs/connect-file-3.9.2.jar', '/work/mine', '/abs'])
    assert.doesNotMatch(result.text, /plugin\.discovery=service_load|bootstrap\.servers=127/)
  })

  it('changes nothing but discovery when there is nothing to resolve', () => {
    const result = rewriteWorkerProperties('bootstrap.servers=localhost:9092', { ...base, exists: () => true })
    assert.equal(result.text, 'bootstrap.servers=localhost:9092\n# Added by kafkit\nplugin.discovery=service_load\n')
  })

  it('finds argument files in the working directory, else the home', () => {
    const exists = (p: string) => p === '/opt/kafka/config/connect-standalone.properties'
    assert.equal(
      resolveArgumentFile('config/connect-standalone.properties', '/work', home, exists),
      '/opt/kafka/config/connect-standalone.properties',
    )
    assert.equal(resolveArgumentFile('x.json', '/work', home, exists), '/work/x.json')
  })

  it("honours the scripts' variables", () => {
    const options = {
      mode: 'standalone' as const,
      home,
      log4jConfig: '/c/l.properties',
      logsDir: '/logs',
      args: ['w.properties'],
    }
    const defaults = workerJvmArgs({ ...options, version: '4.4.0', env: {} })
    assert.deepEqual(defaults.slice(0, 2), ['-Xms256M', '-Xmx2G'])
    assert.ok(defaults.includes('-Dlog4j2.configurationFile=/c/l.properties'))
    assert.deepEqual(defaults.slice(-4), [
      '-cp',
      '/opt/kafka/libs/*',
      'org.apache.kafka.connect.cli.ConnectStandalone',
      'w.properties',
    ])
    const env = {
      KAFKA_HEAP_OPTS: '-Xmx256m',
      KAFKA_LOG4J_OPTS: '-Dlog4j.configuration=file:/x',
      KAFKA_OPTS: '-Da=b',
      LOG_DIR: '/l2',
    }
    const custom = workerJvmArgs({ ...options, version: '3.9.2', env })
    assert.equal(custom[0], '-Xmx256m')
    assert.ok(
      custom.includes('-Dlog4j.configuration=file:/x') &&
        custom.includes('-Da=b') &&
        custom.includes('-Dkafka.logs.dir=/l2'),
    )
    assert.ok(
      workerJvmArgs({ ...options, version: '3.9.2', env: {} }).includes('-Dlog4j.configuration=file:/c/l.properties'),
    )
  })
})

describe('views', () => {
  it('names each key the worker refused', () => {
    const response: ValidationResponse = {
      error_count: 1,
      configs: [
        { value: { name: 'topics', value: null, errors: ['Must configure one of topics or topics.regex'] } },
        { value: { name: 'tasks.max', value: '0', errors: ['Invalid value 0', 'must be at least 1'] } },
        { value: { name: 'file', value: 'x', errors: [] } },
      ],
    }
    assert.deepEqual(renderValidationErrors(validationErrors(response)), [
      'topics: Must configure one of topics or topics.regex',
      'tasks.max=0: Invalid value 0; must be at least 1',
    ])
  })

  it('tables for connectors, status and offsets', () => {
    const rows = connectorRows({
      b: {
        status: {
          name: 'b',
          connector: { state: 'PAUSED', worker_id: 'w' },
          tasks: [{ id: 0, state: 'PAUSED', worker_id: 'w' }],
          type: 'sink',
        },
      },
      a: {
        status: {
          name: 'a',
          connector: { state: 'RUNNING', worker_id: 'w' },
          tasks: [
            { id: 0, state: 'RUNNING', worker_id: 'w' },
            { id: 1, state: 'FAILED', worker_id: 'w' },
          ],
          type: 'source',
        },
        info: { name: 'a', config: { 'connector.class': 'FileStreamSource' }, tasks: [] },
      },
    })
    assert.equal(
      renderConnectors(rows),
      [
        'NAME  TYPE    STATE    TASKS        CLASS',
        'a     source  RUNNING  1/2 RUNNING  FileStreamSource',
        'b     sink    PAUSED   0/1 RUNNING  -',
      ].join('\n'),
    )
    const status = renderStatus({
      name: 'a',
      type: 'source',
      connector: { state: 'RUNNING', worker_id: 'w:8083' },
      tasks: [{ id: 0, state: 'FAILED', worker_id: 'w:8083', trace: 'java.lang.Boom: no\n\tat x' }],
    })
    assert.match(status, /^task 0 +FAILED +w:8083 +java\.lang\.Boom: no$/m)
    assert.equal(
      renderOffsets([{ partition: { filename: 'f' }, offset: { position: 6 } }]),
      'PARTITION   OFFSET\nfilename=f  position=6',
    )
  })
})

describe('Connect quickstart files', () => {
  it('the tarball files, with the log4j config of the version', () => {
    assert.deepEqual(Object.keys(connectConfigFiles('4.4.0')).sort(), [
      'connect-distributed.properties',
      'connect-file-sink.properties',
      'connect-file-source.properties',
      'connect-log4j2.properties',
      'connect-standalone.properties',
    ])
    assert.ok('connect-log4j.properties' in connectConfigFiles('3.9.2'))
    assert.match(
      connectConfigFiles('3.9.2')['connect-file-source.properties']!,
      /\nfile=test\.txt\ntopic=connect-test\n/,
    )
    assert.equal(connectLog4jConfig('/h', '3.9.2'), '/h/config/connect-log4j.properties')
  })

  it('ensureConnectFiles writes what is missing, keeps what is there, and is idempotent', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kafkit-connect-'))
    mkdirSync(join(home, 'libs'))
    mkdirSync(join(home, 'config'))
    writeFileSync(join(home, 'libs', 'kafka_2.13-3.9.2.jar'), '')
    writeFileSync(join(home, 'libs', 'connect-file-3.9.2.jar'), '')
    writeFileSync(join(home, 'config', 'connect-standalone.properties'), 'mine\n')
    const first = await ensureConnectFiles(home, new SilentReporter())
    assert.equal(first.version, '3.9.2')
    assert.equal(first.fileConnector, 'libs/connect-file-3.9.2.jar')
    assert.equal(first.pluginPath, 'libs/connect-file-3.9.2.jar')
    assert.ok(!first.written.includes('config/connect-standalone.properties'))
    assert.equal(readFileSync(join(home, 'config', 'connect-standalone.properties'), 'utf8'), 'mine\n')
    assert.ok(existsSync(join(home, 'config', 'connect-log4j.properties')))
    assert.deepEqual((await ensureConnectFiles(home, new SilentReporter())).written, [])
  })
})
