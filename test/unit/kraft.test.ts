/**
 * metadata-quorum, features, cluster, broker-api-versions and storage without Kafka: flag rules, Kafka's feature
 * tables, the update plans, and the views against what the 4.4 Java tools printed on a local stack.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { QuorumInfo } from '../../src/cluster/kraft-admin.js'
import { FEATURE_TABLES } from '../../src/kraft/feature-tables.js'
import {
  featureDependencies,
  levelToString,
  metadataVersionFromString,
  parseNameAndLevel,
  planFeatureUpdates,
  renderFeatureDescribe,
  renderFeatureUpdates,
  renderVersionMapping,
  versionMapping,
} from '../../src/kraft/features.js'
import { bootstrapOf, checkSubcommandFlags, FEATURE_FLAGS, quorumDescribeView } from '../../src/kraft/options.js'
import { randomUuid, renderStorageInfo, storageConfig, storageInfo } from '../../src/kraft/storage.js'
import {
  apiVersionEntries,
  hashMapOrderOfNodes,
  nodeString,
  prettyPrintTable,
  quorumStatus,
  renderEndpoints,
  renderQuorumStatus,
  renderReplication,
  replicationRows,
} from '../../src/kraft/views.js'
import {
  checkDirectoryId,
  renderAddController,
  renderRemoveController,
  voterFromConfig,
} from '../../src/kraft/voters.js'

describe('feature tables (MetadataVersion, Feature of Kafka 4.4.0)', () => {
  it('parses release versions as MetadataVersion.fromVersionString', () => {
    assert.equal(metadataVersionFromString('3.9').level, 21)
    assert.equal(metadataVersionFromString('4.4').version, '4.4-IV2')
    assert.equal(metadataVersionFromString('3.7.1').version, '3.7-IV4')
    assert.equal(metadataVersionFromString('4.0-IV1').level, 23)
    assert.throws(
      () => metadataVersionFromString('9.9'),
      /^KafkitError: Unknown metadata.version '9.9'. Supported metadata.version are: 3.3-IV3, 3.4-IV0, .*, 4.5-IV0$/,
    )
    assert.equal(FEATURE_TABLES.latestProduction, '4.4-IV2')
  })

  it('names metadata.version levels, other features by number', () => {
    assert.equal(levelToString('metadata.version', 33), '4.4-IV2')
    assert.equal(levelToString('metadata.version', 99), 'UNKNOWN 99')
    assert.equal(levelToString('group.version', 1), '1')
  })

  it('version-mapping and feature-dependencies print as kafka-features.sh 4.4', () => {
    assert.equal(
      renderVersionMapping(versionMapping('3.9')),
      'metadata.version=21 (3.9)\nkraft.version=1\ntransaction.version=0\ngroup.version=0\neligible.leader.replicas.version=0\nshare.version=0\nstreams.version=0\n',
    )
    assert.match(renderVersionMapping(versionMapping()), /^metadata.version=33 \(4.4-IV2\)\n/)
    assert.equal(
      featureDependencies(['eligible.leader.replicas.version=1', 'metadata.version=21', 'group.version=1']),
      'eligible.leader.replicas.version=1 requires:\n    metadata.version=23 (4.0-IV1)\nmetadata.version=21 (3.9-IV0) has no dependencies.\ngroup.version=1 has no dependencies.\n',
    )
    assert.throws(() => featureDependencies(['foo=1']), /Unknown feature: foo/)
    assert.throws(() => featureDependencies(['group.version=7']), /No feature:group.version with feature level 7/)
  })

  it('parses feature=level as Short.parseShort', () => {
    assert.deepEqual(parseNameAndLevel(' group.version = 1 '), { name: 'group.version', level: 1 })
    assert.throws(() => parseNameAndLevel('group.version'), /equals sign not found/)
    assert.throws(() => parseNameAndLevel('a=40000'), /unable to parse 40000 as a short/)
  })
})

describe('feature updates', () => {
  it('--release-version upgrades every feature with a level above 0, sorted by name', () => {
    const plan = planFeatureUpdates('upgrade', { releaseVersion: '3.9' })
    assert.deepEqual(
      plan.updates.map((u) => `${u.feature}=${u.level}/${u.upgradeType}`),
      ['kraft.version=1/1', 'metadata.version=21/1'],
    )
    const down = planFeatureUpdates('downgrade', { releaseVersion: '3.9', unsafe: true })
    assert.equal(down.updates.length, 7)
    assert.ok(down.updates.every((u) => u.upgradeType === 3))
  })

  it('refuses what the tool refuses', () => {
    assert.throws(
      () => planFeatureUpdates('upgrade', { releaseVersion: '4.4', feature: ['group.version=1'] }),
      /Can not specify `release-version` with other feature flags./,
    )
    assert.throws(() => planFeatureUpdates('upgrade', {}), /You must specify at least one feature to upgrade/)
    assert.throws(
      () => planFeatureUpdates('disable', { feature: ['a', 'a'] }),
      /Feature a was specified more than once./,
    )
    const legacy = planFeatureUpdates('downgrade', { metadata: '3.9' })
    assert.equal(legacy.notice, ' `metadata` flag is deprecated and may be removed in a future release.\n')
    assert.deepEqual(legacy.updates, [{ feature: 'metadata.version', level: 21, upgradeType: 2 }])
  })

  it('prints results as FeatureCommand.update', () => {
    const results = [
      { feature: 'group.version', level: 0, error: null },
      { feature: 'share.version', level: 3, error: 'Invalid update version 3 for feature share.version.' },
    ]
    assert.equal(
      renderFeatureUpdates('downgrade', results, true),
      'group.version can be downgraded to 0.\nCan not downgrade share.version to 3. Invalid update version 3 for feature share.version.\n',
    )
    assert.equal(
      renderFeatureUpdates('disable', [{ feature: 'streams.version', level: 0, error: null }], false),
      'streams.version was disabled.\n',
    )
  })

  it('describe pads as the tool does', () => {
    assert.equal(
      renderFeatureDescribe([
        {
          feature: 'metadata.version',
          supportedMinVersion: 7,
          supportedMaxVersion: 33,
          finalizedVersionLevel: 33,
          epoch: 95,
        },
      ]),
      'Feature: metadata.version                          SupportedMinVersion: 3.3-IV3          SupportedMaxVersion: 4.4-IV2          FinalizedVersionLevel: 4.4-IV2          Epoch: 95\n',
    )
  })
})

describe('flag rules', () => {
  it('takes --bootstrap-server or --bootstrap-controller, not both', () => {
    assert.deepEqual(bootstrapOf({ 'bootstrap-controller': 'h:9093' }), { server: 'h:9093', controllers: true })
    assert.deepEqual(bootstrapOf({}), { controllers: false })
    assert.throws(
      () => bootstrapOf({ 'bootstrap-server': 'a', 'bootstrap-controller': 'b' }),
      /cannot be given together/,
    )
  })

  it('describe needs exactly one of --status and --replication', () => {
    assert.equal(quorumDescribeView({ status: true }), 'status')
    assert.equal(quorumDescribeView({ replication: true, 'human-readable': true }), 'replication')
    assert.throws(() => quorumDescribeView({}), /One of --status or --replication must be specified/)
    assert.throws(
      () => quorumDescribeView({ status: true, replication: true }),
      /Only one of --status or --replication/,
    )
    assert.throws(
      () => quorumDescribeView({ status: true, 'human-readable': true }),
      /only supported along with --replication/,
    )
  })

  it('refuses another subcommand’s flag', () => {
    assert.throws(
      () => checkSubcommandFlags('features', 'describe', FEATURE_FLAGS, { 'dry-run': true }),
      /--dry-run is not an option of `features describe`/,
    )
    checkSubcommandFlags('features', 'upgrade', FEATURE_FLAGS, { 'dry-run': true, unsafe: false })
  })
})

const quorum: QuorumInfo = {
  leaderId: 1,
  leaderEpoch: 2,
  highWatermark: 100,
  voters: [
    {
      replicaId: 1,
      directoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
      logEndOffset: 100,
      lastFetchTimestamp: 1000,
      lastCaughtUpTimestamp: 1000,
    },
    {
      replicaId: 2,
      directoryId: 'oS8_cXJWTKO9jaCM8dLCJA',
      logEndOffset: 90,
      lastFetchTimestamp: 990,
      lastCaughtUpTimestamp: 900,
    },
  ],
  observers: [
    {
      replicaId: 3,
      directoryId: 'AAAAAAAAAAAAAAAAAAAAAA',
      logEndOffset: 95,
      lastFetchTimestamp: null,
      lastCaughtUpTimestamp: null,
    },
  ],
  endpoints: { 1: ['CONTROLLER://127.0.0.1:9093'] },
}

describe('metadata-quorum views', () => {
  it('--status: the voter furthest behind, nodes as MetadataQuorumCommand.Node', () => {
    assert.equal(
      renderQuorumStatus(quorumStatus('abc', quorum)),
      [
        'ClusterId:              abc',
        'LeaderId:               1',
        'LeaderEpoch:            2',
        'HighWatermark:          100',
        'MaxFollowerLag:         10',
        'MaxFollowerLagTimeMs:   100',
        'CurrentVoters:          [{"id": 1, "endpoints": ["CONTROLLER://127.0.0.1:9093"]}, {"id": 2, "directoryId": "oS8_cXJWTKO9jaCM8dLCJA"}]',
        'CurrentObservers:       [{"id": 3}]',
        '',
      ].join('\n'),
    )
  })

  it('--replication: leader, followers, observers; tab-ended padded columns', () => {
    assert.equal(
      renderReplication(replicationRows(quorum, false)),
      'NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\tLastCaughtUpTimestamp\tStatus  \t\n' +
        '1     \tAAAAAAAAAAAAAAAAAAAAAA\t100         \t0  \t1000              \t1000                 \tLeader  \t\n' +
        '2     \toS8_cXJWTKO9jaCM8dLCJA\t90          \t10 \t990               \t900                  \tFollower\t\n' +
        '3     \tAAAAAAAAAAAAAAAAAAAAAA\t95          \t5  \t-1                \t-1                   \tObserver\t\n',
    )
    assert.equal(prettyPrintTable(['Ab', 'C'], [['x', 'long']]), 'Ab\tC   \t\nx \tlong\t\n')
    const human = replicationRows(quorum, true, 1500)
    assert.equal(human[1]!.lastCaughtUpTimestamp, '600 ms ago')
    assert.equal(human[2]!.lastFetchTimestamp, '-1')
    assert.throws(() => replicationRows(quorum, true, 500), /possible drift in system clock/)
  })
})

describe('cluster and api-versions views', () => {
  it('list-endpoints widths follow the longest host and rack', () => {
    assert.equal(
      renderEndpoints([{ id: 1, host: '127.0.0.1', port: 9092, rack: null, fenced: false }], false),
      'ID         HOST      PORT       RACK       STATE      ENDPOINT_TYPE  \n1          127.0.0.1 9092       null       unfenced   broker         \n',
    )
    assert.equal(
      renderEndpoints([{ id: 1, host: 'h', port: 9093, rack: 'r', fenced: false }], true),
      'ID         HOST PORT       RACK ENDPOINT_TYPE  \n1          h 9093       r controller     \n',
    )
  })

  it('each API with its usable version; missing broker APIs UNSUPPORTED, controller-only APIs left out', () => {
    const entries = apiVersionEntries([
      { apiKey: 0, minVersion: 3, maxVersion: 99 },
      { apiKey: 55, minVersion: 0, maxVersion: 2 },
      { apiKey: 999, minVersion: 0, maxVersion: 0 },
    ])
    assert.equal(entries[0], 'Produce(0): 3 to 99 [usable: 13]')
    assert.equal(entries[1], 'Fetch(1): UNSUPPORTED')
    assert.ok(entries.includes('DescribeQuorum(55): 0 to 2 [usable: 2]'))
    assert.ok(!entries.some((e) => e.startsWith('Vote(')))
    assert.equal(entries.at(-1), 'UNKNOWN(999): 0')
  })

  it('nodes print and order as org.apache.kafka.common.Node in a HashMap', () => {
    assert.equal(
      nodeString({ id: 1, host: 'localhost', port: 9092, rack: null }),
      'localhost:9092 (id: 1 rack: null isFenced: false)',
    )
    const nodes = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', port: 9090 + id, rack: null }))
    assert.equal(hashMapOrderOfNodes(nodes).length, 3)
  })
})

describe('storage', () => {
  it('random-uuid: 22 base64url characters, a version 4 UUID, never a "-"', () => {
    for (let i = 0; i < 200; i++) {
      const uuid = randomUuid()
      assert.match(uuid, /^[A-Za-z0-9_]{22}$/)
      const bytes = Buffer.from(uuid, 'base64url')
      assert.equal(bytes[6]! >> 4, 4)
      assert.equal(bytes[8]! >> 6, 2)
    }
    // Bytes whose encoding has a '-' are drawn again.
    let calls = 0
    const uuid = randomUuid(() => (calls++ === 0 ? Buffer.alloc(16, 0xfb) : Buffer.alloc(16, 1)))
    assert.equal(calls, 2)
    assert.ok(!uuid.includes('-'))
  })

  it('info: directories, metadata and problems as StorageTool.infoCommand', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-storage-'))
    try {
      const a = join(dir, 'a')
      mkdirSync(a)
      writeFileSync(join(a, 'meta.properties'), 'node.id=1\ndirectory.id=x\nversion=1\ncluster.id=c1\nextra=y\n')
      writeFileSync(join(dir, 'server.properties'), `process.roles=broker\nlog.dirs=${join(dir, 'b')},${a}\n`)
      const info = storageInfo(storageConfig(join(dir, 'server.properties')))
      assert.equal(
        renderStorageInfo(info),
        `Found log directory:\n  ${a}\n\nFound metadata: {cluster.id=c1, directory.id=x, node.id=1, version=1}\n\nFound problem:\n  ${join(dir, 'b')} does not exist\n\n`,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('metadata-quorum add-controller / remove-controller', () => {
  it('reads the new voter from its server.properties as MetadataQuorumCommand does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-voter-'))
    try {
      writeFileSync(
        join(dir, 'meta.properties'),
        'version=1\ncluster.id=c\nnode.id=4\ndirectory.id=5mk6L6r6TKqs0ThqUzgPXg\n',
      )
      const props = {
        'node.id': '4',
        'process.roles': 'controller',
        'log.dirs': `${dir},/elsewhere`,
        listeners: 'CONTROLLER://:9093,PLAINTEXT://h:9092',
        'advertised.listeners': 'CONTROLLER://c4.example:19093',
        'controller.listener.names': 'controller',
      }
      const voter = voterFromConfig(props)
      assert.deepEqual(voter, {
        id: 4,
        directoryId: '5mk6L6r6TKqs0ThqUzgPXg',
        endpoints: [{ name: 'CONTROLLER', host: 'c4.example', port: 19093 }],
      })
      assert.equal(
        renderAddController(voter, true),
        'DRY RUN of adding controller 4 with directory id 5mk6L6r6TKqs0ThqUzgPXg and endpoints: CONTROLLER://c4.example:19093\n',
      )
      assert.deepEqual(voterFromConfig({ ...props, 'advertised.listeners': '' }).endpoints, [
        { name: 'CONTROLLER', host: 'localhost', port: 9093 },
      ])
      assert.throws(
        () => voterFromConfig({ ...props, 'process.roles': 'broker' }),
        /process.roles did not contain 'controller'/,
      )
      assert.throws(
        () => voterFromConfig({ ...props, 'controller.listener.names': 'OTHER' }),
        /Cannot find information about controller listener name: OTHER/,
      )
      assert.throws(
        () => voterFromConfig({ ...props, 'log.dirs': '/nowhere' }),
        /Unable to read meta.properties from \/nowhere/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('checks the directory id as Uuid.fromString, prints as the script', () => {
    assert.equal(checkDirectoryId('5mk6L6r6TKqs0ThqUzgPXg'), '5mk6L6r6TKqs0ThqUzgPXg')
    assert.throws(() => checkDirectoryId('abc'), /Input string `abc` decoded as 2 bytes/)
    assert.equal(
      renderRemoveController(2, 'x', { dryRun: true, unregister: true }),
      'DRY RUN of removing KRaft controller 2 with directory id x\nDRY RUN of unregistering KRaft controller 2\n',
    )
    assert.equal(
      renderRemoveController(2, 'x', { dryRun: false, unregister: false }),
      'Removed KRaft controller 2 with directory id x\n',
    )
  })
})
