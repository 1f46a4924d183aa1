import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  KAFKA_3,
  KAFKA_4,
  distHome,
  eventually,
  freePorts,
  JavaTools,
  sandbox,
  startStack,
  type Run,
  type Sandbox,
} from './helpers.js'

/**
 * metadata-quorum, features, cluster, broker-api-versions and storage through the built CLI on one 4.4 KRaft stack,
 * compared byte for byte with Kafka's own tools (MetadataQuorumCommand, FeatureCommand, ClusterTool,
 * BrokerApiVersionsCommand, StorageTool via kafka-run-class.sh), with --bootstrap-server and --bootstrap-controller.
 * What moves on its own (the metadata log's offsets, the finalized-features epoch, fetch times) is compared by
 * pattern. Then a real feature change seen by both tools, and a node formatted by `kafkit storage format` that a
 * Kafka server starts on.
 */

const TOOL_ENV = { ...process.env, KAFKA_HEAP_OPTS: '-Xmx256m' }

/** The metadata log grows while the test runs: offsets, high watermarks and the features epoch are masked. */
const maskStatus = (text: string) => text.replace(/^(HighWatermark: +)\d+$/m, '$1N')
const maskEpoch = (text: string) => text.replace(/Epoch: \d+$/gm, 'Epoch: N')
/** --replication rows: log end offset, lag and times vary; the cells (trimmed) are compared, the numbers masked. */
const maskReplication = (text: string) =>
  text
    .split('\n')
    .map((line, i) =>
      i === 0
        ? line
        : line
            .split('\t')
            .map((cell, c) => ([2, 4, 5].includes(c) ? cell.trim().replace(/^\d+( ms ago)?$/, 'N$1') : cell.trim()))
            .join('\t'),
    )
    .join('\n')

describe(`metadata-quorum, features, cluster, broker-api-versions, storage on Kafka ${KAFKA_4}`, () => {
  let box: Sandbox
  let bootstrap: string
  let controller: string
  let scratch: string
  let server: ChildProcess | undefined
  let tools: JavaTools
  let tools3: JavaTools | undefined

  const k = (args: string[], env: NodeJS.ProcessEnv = {}) => box.kafkit(args, { env })
  const java = (mainClass: string, args: string[]): Promise<Run> => tools.run(mainClass, args)
  /** Both tools, the same arguments: kafkit through the script's name. */
  const both = async (script: string, mainClass: string, args: string[]) => {
    const theirs = await java(mainClass, args)
    return { ours: await k([script, ...args]), theirs }
  }
  const same = (r: { ours: Run; theirs: Run }, mask: (s: string) => string = (s) => s) => {
    assert.equal(r.theirs.code, 0, r.theirs.stderr)
    assert.equal(r.ours.code, 0, r.ours.stderr)
    assert.equal(mask(r.ours.stdout), mask(r.theirs.stdout))
  }

  before(async () => {
    box = sandbox()
    tools = new JavaTools(KAFKA_4)
    bootstrap = await startStack(box, { version: KAFKA_4 })
    const state = JSON.parse(readFileSync(join(box.home, 'stacks', 'test', 'state.json'), 'utf8'))
    controller = `127.0.0.1:${state.controllerPort}`
    scratch = mkdtempSync(join(tmpdir(), 'kafkit-storage-e2e-'))
  })

  const stopServer = async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve))
      server.kill('SIGKILL')
      await exited
    }
    server = undefined
  }

  after(async () => {
    tools?.close()
    tools3?.close()
    await stopServer()
    await box?.cleanup()
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  describe('metadata-quorum', () => {
    const MQ = 'org.apache.kafka.tools.MetadataQuorumCommand'
    it('describe --status, through a broker and through the controller', async () => {
      const viaBroker = await both('kafka-metadata-quorum.sh', MQ, [
        '--bootstrap-server',
        bootstrap,
        'describe',
        '--status',
      ])
      same(viaBroker, maskStatus)
      assert.match(viaBroker.ours.stdout, /^ClusterId: {14}\S{22}\nLeaderId: {15}1\n/)
      assert.match(
        viaBroker.ours.stdout,
        /CurrentVoters: {10}\[\{"id": 1, "endpoints": \["CONTROLLER:\/\/127\.0\.0\.1:\d+"\]\}\]\n/,
      )
      same(
        await both('kafka-metadata-quorum', MQ, ['--bootstrap-controller', controller, 'describe', '--status']),
        maskStatus,
      )
    })

    it('describe --replication [--human-readable]', async () => {
      for (const extra of [[], ['--human-readable']]) {
        const r = await both('metadata-quorum', MQ, [
          '--bootstrap-server',
          bootstrap,
          'describe',
          '--replication',
          ...extra,
        ])
        same(r, maskReplication)
        assert.match(
          r.ours.stdout.split('\n')[1]!,
          extra.length ? /\t\d+ ms ago +\t\d+ ms ago +\tLeader\t$/ : /\t\d{13} +\t\d{13} +\tLeader\t$/,
        )
      }
    })

    it('refuses what the tool refuses', async () => {
      const r = await k(['metadata-quorum', '-b', bootstrap, 'describe'])
      assert.notEqual(r.code, 0)
      assert.match(r.stderr, /One of --status or --replication must be specified with describe sub-command/)
    })

    it('--json', async () => {
      const r = await k(['metadata-quorum', '-b', bootstrap, 'describe', '--replication', '--json'])
      assert.equal(r.code, 0, r.stderr)
      const doc = JSON.parse(r.stdout)
      assert.equal(doc.view, 'replication')
      assert.equal(doc.replicas[0].status, 'Leader')
    })
  })

  describe('features', () => {
    const FC = 'org.apache.kafka.tools.FeatureCommand'
    it('describe (any node, --node-id, --bootstrap-controller)', async () => {
      same(await both('kafka-features.sh', FC, ['--bootstrap-server', bootstrap, 'describe']), maskEpoch)
      same(
        await both('kafka-features.sh', FC, ['--bootstrap-server', bootstrap, 'describe', '--node-id', '1']),
        maskEpoch,
      )
      same(await both('kafka-features.sh', FC, ['--bootstrap-controller', controller, 'describe']), maskEpoch)
    })

    it('version-mapping and feature-dependencies, from Kafka 4.4’s tables', async () => {
      for (const args of [
        ['version-mapping'],
        ['version-mapping', '--release-version', '3.9'],
        ['version-mapping', '--release-version', '4.0-IV1'],
        ['feature-dependencies', '--feature', 'eligible.leader.replicas.version=1', '--feature', 'metadata.version=21'],
        ['feature-dependencies', '--feature', 'share.version=2'],
      ])
        same(await both('kafka-features.sh', FC, ['--bootstrap-server', bootstrap, ...args]))
    })

    it('upgrade / downgrade / disable --dry-run, with the tool’s lines and exit code', async () => {
      for (const args of [
        ['upgrade', '--release-version', '4.4', '--dry-run'],
        ['downgrade', '--release-version', '4.0', '--dry-run'],
        ['downgrade', '--feature', 'group.version=0', '--dry-run'],
        ['upgrade', '--feature', 'share.version=3', '--dry-run'],
        ['disable', '--feature', 'streams.version', '--dry-run'],
        ['downgrade', '--metadata', '3.9', '--dry-run'],
      ]) {
        const r = await both('kafka-features.sh', FC, ['--bootstrap-server', bootstrap, ...args])
        assert.equal(r.ours.stdout, r.theirs.stdout, args.join(' '))
        assert.equal(r.ours.code, r.theirs.code, `${args.join(' ')}: ${r.ours.stderr}`)
      }
      const c = await both('kafka-features.sh', FC, [
        '--bootstrap-controller',
        controller,
        'upgrade',
        '--feature',
        'kraft.version=1',
        '--dry-run',
      ])
      same(c)
    })

    it('a real downgrade by kafkit and upgrade by the tool, seen by both describes', async () => {
      const level = async (tool: 'ours' | 'theirs') => {
        const r =
          tool === 'ours'
            ? await k(['features', '-b', bootstrap, 'describe'])
            : await java(FC, ['--bootstrap-server', bootstrap, 'describe'])
        return /Feature: share\.version +.*FinalizedVersionLevel: (\d+)/.exec(r.stdout)?.[1]
      }
      const down = await k(['features', '-b', bootstrap, 'downgrade', '--feature', 'share.version=1'])
      assert.equal(down.code, 0, down.stderr)
      assert.equal(down.stdout, 'share.version was downgraded to 1.\n')
      await eventually(
        async () => (await level('theirs')) === '1' && (await level('ours')) === '1',
        30_000,
        'share.version 1',
      )
      const up = await java(FC, ['--bootstrap-server', bootstrap, 'upgrade', '--feature', 'share.version=2'])
      assert.equal(up.stdout, 'share.version was upgraded to 2.\n')
      await eventually(
        async () => (await level('ours')) === '2' && (await level('theirs')) === '2',
        30_000,
        'share.version 2',
      )
    })
  })

  describe('cluster and broker-api-versions', () => {
    const CT = 'org.apache.kafka.tools.ClusterTool'
    it('cluster-id, list-endpoints, api-versions through a broker and through the controller', async () => {
      for (const connect of [
        ['--bootstrap-server', bootstrap],
        ['--bootstrap-controller', controller],
      ])
        for (const command of ['cluster-id', 'list-endpoints', 'api-versions'])
          same(await both('kafka-cluster.sh', CT, [command, ...connect]))
      same(
        await both('kafka-cluster.sh', CT, [
          'list-endpoints',
          '--bootstrap-server',
          bootstrap,
          '--include-fenced-brokers',
        ]),
      )
    })

    it('unregister of a node that is not registered fails in both', async () => {
      const r = await both('kafka-cluster.sh', CT, ['unregister', '--bootstrap-server', bootstrap, '--id', '5'])
      assert.equal(r.theirs.code, 1)
      assert.equal(r.ours.code, 1)
      assert.match(r.ours.stderr, /Broker ID 5 is not currently registered/)
    })

    it('broker-api-versions prints what kafka-broker-api-versions.sh prints (usable: kafkit’s own 4.4 codec)', async () => {
      const r = await both('kafka-broker-api-versions.sh', 'org.apache.kafka.tools.BrokerApiVersionsCommand', [
        '--bootstrap-server',
        bootstrap,
      ])
      same(r)
      assert.match(
        r.ours.stdout,
        /^127\.0\.0\.1:\d+ \(id: 1 rack: null isFenced: false\) -> \(\n\tProduce\(0\): \d+ to \d+ \[usable: \d+\],\n/,
      )
    })
  })

  it('every example of docs/cluster.md (but storage’s and those for hand-made clusters) runs against the local stack by default', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'cluster.md'), 'utf8')
    const examples = [...doc.matchAll(/^kafkit ((?!storage)(?!.*localhost:)[^\n]+)$/gm)].map((m) => m[1]!)
    assert.ok(examples.length >= 12, `${examples.length} examples`)
    for (const example of examples) {
      const r = await k(example.split(' '), { KAFKIT_STACK: 'test' })
      assert.equal(r.code, 0, `kafkit ${example}: ${r.stderr}`)
      assert.ok(r.stdout.length > 0, `kafkit ${example} printed nothing`)
    }
  })

  /** A single-node KRaft server (broker and controller) of a dynamic quorum, its data in the scratch directory. */
  const nodeConfig = (dir: string, port: number) => {
    const path = join(scratch, `${dir}.properties`)
    writeFileSync(
      path,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.bootstrap.servers=127.0.0.1:${port + 1}`,
        'controller.listener.names=CONTROLLER',
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`,
        'offsets.topic.replication.factor=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        `log.dirs=${join(scratch, dir)}`,
        '',
      ].join('\n'),
    )
    return path
  }
  const startServer = async (version: string, config: string, address: string, id: string) => {
    server = spawn(join(distHome(version), 'bin', 'kafka-server-start.sh'), [config], {
      env: { ...TOOL_ENV, LOG_DIR: join(scratch, `logs-${version}`) },
      stdio: 'ignore',
    })
    const clusterId = await eventually(
      async () => {
        const r = await k(['cluster', 'cluster-id', '-b', address])
        return r.code === 0 && r.stdout
      },
      90_000,
      `the Kafka ${version} server on the formatted directory`,
    )
    assert.equal(clusterId, `Cluster ID: ${id}\n`)
  }

  describe('storage', () => {
    const ST = 'kafka.tools.StorageTool'
    it('random-uuid: the same form as Kafka’s', async () => {
      const theirs = await java(ST, ['random-uuid'])
      const ours = await k(['storage', 'random-uuid'])
      assert.match(theirs.stdout, /^[A-Za-z0-9_]{22}\n$/)
      for (let i = 0; i < 3; i++) {
        const r = i === 0 ? ours : await k(['kafka-storage.sh', 'random-uuid'])
        assert.match(r.stdout, /^[A-Za-z0-9_]{22}\n$/)
      }
    })

    it('format and info as kafka-storage.sh, then a Kafka server starts on the formatted directory', async () => {
      const port = await freePorts(2)
      const config = (dir: string) => nodeConfig(dir, port)
      const ours = config('ours')
      const theirs = config('theirs')
      const id = (await k(['storage', 'random-uuid'])).stdout.trim()

      const notFormatted = [await k(['storage', 'info', '-c', ours]), await java(ST, ['info', '-c', ours])]
      assert.equal(notFormatted[0].stdout, notFormatted[1].stdout)
      assert.equal(notFormatted[0].code, 1)
      assert.equal(notFormatted[1].code, 1)

      const missingQuorum = await k(['storage', 'format', '-t', id, '-c', ours])
      assert.equal(missingQuorum.code, 1)
      assert.match(
        missingQuorum.stderr,
        /you must specify one of the following: --standalone, --initial-controllers, or --no-initial-controllers/,
      )

      const formatted = await k(['kafka-storage.sh', 'format', '--cluster-id', id, '--config', ours, '--standalone'])
      assert.equal(formatted.code, 0, formatted.stderr)
      const javaFormatted = await java(ST, ['format', '--cluster-id', id, '--config', theirs, '--standalone'])
      assert.equal(javaFormatted.code, 0, javaFormatted.stderr)
      assert.equal(
        formatted.stdout.replaceAll(join(scratch, 'ours'), 'DIR'),
        javaFormatted.stdout.replaceAll(join(scratch, 'theirs'), 'DIR'),
      )

      const again = await k(['storage', 'format', '-t', id, '-c', ours, '--standalone'])
      assert.equal(again.code, 1)
      assert.match(again.stderr, /is already formatted. Use --ignore-formatted/)
      assert.equal((await k(['storage', 'format', '-t', id, '-c', ours, '--standalone', '-g'])).code, 0)

      const info = [await k(['storage', 'info', '-c', ours]), await java(ST, ['info', '-c', ours])]
      assert.equal(info[0].code, 0, info[0].stderr)
      assert.equal(info[0].stdout, info[1].stdout)
      assert.match(
        info[0].stdout,
        new RegExp(`Found metadata: \\{cluster.id=${id}, directory.id=\\S{22}, node.id=1, version=1\\}`),
      )

      const address = `127.0.0.1:${port}`
      await startServer(KAFKA_4, ours, address, id)
      // --standalone made a dynamic quorum: the voter carries the directory id the format wrote.
      const status = await k(['metadata-quorum', '-b', address, 'describe', '--status'])
      const directoryId = /directory.id=(\S{22})/.exec(info[0].stdout)![1]
      assert.match(status.stdout, new RegExp(`CurrentVoters: +\\[\\{"id": 1, "directoryId": "${directoryId}"`))
      // The voter changes of a dynamic quorum, as dry runs (a single-voter quorum cannot lose its voter).
      const MQ = 'org.apache.kafka.tools.MetadataQuorumCommand'
      for (const args of [
        ['--command-config', ours, 'add-controller', '--dry-run'],
        [
          'remove-controller',
          '--controller-id',
          '1',
          '--controller-directory-id',
          directoryId!,
          '--dry-run',
          '--unregister',
        ],
      ])
        same(await both('kafka-metadata-quorum.sh', MQ, ['--bootstrap-server', address, ...args]))
      await stopServer()
    })

    it(`Kafka ${KAFKA_3}: storage format with its StorageTool (KAFKA_HOME), then describe as its own tools`, async () => {
      tools3 = new JavaTools(KAFKA_3)
      const port = await freePorts(2)
      const config = nodeConfig('kafka3', port)
      const id = (await k(['storage', 'random-uuid'])).stdout.trim()
      const formatted = await k(['storage', 'format', '-t', id, '-c', config, '--standalone'], {
        KAFKA_HOME: distHome(KAFKA_3),
      })
      assert.equal(formatted.code, 0, formatted.stderr)
      assert.match(formatted.stdout, /with metadata.version 3.9-IV0/)
      const address = `127.0.0.1:${port}`
      await startServer(KAFKA_3, config, address, id)
      const compare = async (script: string, mainClass: string, args: string[], mask: (s: string) => string) => {
        const theirs = await tools3!.run(mainClass, ['--bootstrap-server', address, ...args])
        const ours = await k([script, '--bootstrap-server', address, ...args])
        same({ ours, theirs }, mask)
      }
      await compare(
        'kafka-metadata-quorum.sh',
        'org.apache.kafka.tools.MetadataQuorumCommand',
        ['describe', '--status'],
        maskStatus,
      )
      await compare(
        'kafka-metadata-quorum.sh',
        'org.apache.kafka.tools.MetadataQuorumCommand',
        ['describe', '--replication'],
        maskReplication,
      )
      // kafka-features.sh 3.9 separates its columns with tabs and knows metadata.version levels below 3.3-IV3; kafkit
      // prints as 4.4's script does (padded columns, "UNKNOWN 1" for the 3.0-IV1 a 3.9 broker supports).
      const features = await both('kafka-features.sh', 'org.apache.kafka.tools.FeatureCommand', [
        '--bootstrap-server',
        address,
        'describe',
      ])
      same(features, maskEpoch)
      assert.match(
        features.ours.stdout,
        /Feature: metadata.version +SupportedMinVersion: UNKNOWN 1 +SupportedMaxVersion: 3.9-IV0 /,
      )
      // The 3.9 script's "usable" is its own client's range: kafkit's is 4.4's, so 4.4's tool is the reference here,
      // and the 4.x APIs a 3.9 broker lacks show as UNSUPPORTED.
      const apis = await both('kafka-broker-api-versions.sh', 'org.apache.kafka.tools.BrokerApiVersionsCommand', [
        '--bootstrap-server',
        address,
      ])
      same(apis)
      assert.match(apis.ours.stdout, /\tStreamsGroupHeartbeat\(88\): UNSUPPORTED,\n/)
      await stopServer()
    })
  })
})
