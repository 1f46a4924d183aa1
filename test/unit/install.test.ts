import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { UsageError } from '../../src/errors.js'
import {
  APACHE_ARCHIVE_BASE,
  APACHE_DOWNLOADS_BASE,
  INSTALL_RECORD,
  apacheDownloadUrls,
  findInstalled,
  kafkaArchiveName,
  listInstalled,
  loggingBackend,
  mavenPom,
  missingLoggingArtifacts,
  parseSha512File,
  resolveMavenRepository,
  resolveMirror,
  validateKafkaVersion,
} from '../../src/install/index.js'
import { classNamesOf, listJarEntries } from '../../src/install/jar-entries.js'
import { writeLaunchScripts } from '../../src/install/launch-scripts.js'
import { sweepAbandoned } from '../../src/install/store.js'
import { SilentReporter } from '../../src/output/reporter.js'

const scratch = mkdtempSync(join(tmpdir(), 'kafkit-install-unit-'))
after(() => rmSync(scratch, { recursive: true, force: true }))

// A real digest shape: 128 hex chars.
const DIGEST = 'ab12'.repeat(32)

describe('parseSha512File', () => {
  it('reads sha512sum style "<hex>  <file>"', () => {
    assert.deepEqual(parseSha512File(`${DIGEST}  kafka_2.13-3.9.2.tgz\n`), {
      sha512: DIGEST,
      fileName: 'kafka_2.13-3.9.2.tgz',
    })
  })

  it('reads sha512sum binary-mode "<hex> *<file>" and a bare digest', () => {
    assert.equal(parseSha512File(`${DIGEST} *kafka_2.13-3.9.2.tgz`)?.sha512, DIGEST)
    assert.deepEqual(parseSha512File(`${DIGEST}\n`), { sha512: DIGEST })
  })

  it('reads gpg --print-md style: upper case, grouped, wrapped over lines', () => {
    const groups = DIGEST.toUpperCase().match(/.{8}/g)!
    const text = `kafka_2.13-3.9.0.tgz: ${groups.slice(0, 6).join(' ')}\n                      ${groups
      .slice(6, 12)
      .join(' ')}\n                      ${groups.slice(12).join(' ')}\n`
    assert.deepEqual(parseSha512File(text), { sha512: DIGEST, fileName: 'kafka_2.13-3.9.0.tgz' })
  })

  it('is case-insensitive for sha512sum style too', () => {
    assert.equal(parseSha512File(`${DIGEST.toUpperCase()}  x.tgz`)?.sha512, DIGEST)
  })

  it('rejects text that is not a SHA-512 checksum', () => {
    assert.equal(parseSha512File('<html>404 Not Found</html>'), undefined)
    assert.equal(parseSha512File(`${'ab'.repeat(32)}  short-sha256.tgz`), undefined)
    assert.equal(parseSha512File('kafka.tgz: ABCD EF01'), undefined)
  })
})

describe('Apache URLs', () => {
  it('names the Scala 2.13 binary archive', () => {
    assert.equal(kafkaArchiveName('4.4.0'), 'kafka_2.13-4.4.0.tgz')
  })

  it('tries downloads.apache.org, then the archive', () => {
    assert.deepEqual(apacheDownloadUrls('3.9.2'), [
      `${APACHE_DOWNLOADS_BASE}/3.9.2/kafka_2.13-3.9.2.tgz`,
      `${APACHE_ARCHIVE_BASE}/3.9.2/kafka_2.13-3.9.2.tgz`,
    ])
    assert.equal(APACHE_DOWNLOADS_BASE, 'https://downloads.apache.org/kafka')
    assert.equal(APACHE_ARCHIVE_BASE, 'https://archive.apache.org/dist/kafka')
  })

  it('uses only the mirror when one is given, ignoring trailing slashes', () => {
    assert.deepEqual(apacheDownloadUrls('4.4.0', 'http://mirror.local/kafka/'), [
      'http://mirror.local/kafka/4.4.0/kafka_2.13-4.4.0.tgz',
    ])
  })

  it('takes the mirror option over KAFKIT_APACHE_MIRROR, and validates it', () => {
    const env = { KAFKIT_APACHE_MIRROR: 'https://env.example/kafka/' }
    assert.equal(resolveMirror(undefined, env), 'https://env.example/kafka')
    assert.equal(resolveMirror('http://flag.example', env), 'http://flag.example')
    assert.equal(resolveMirror(undefined, {}), undefined)
    assert.throws(() => resolveMirror('ftp://old.example', {}), UsageError)
  })
})

describe('validateKafkaVersion', () => {
  it('accepts 3.x and 4.x release numbers', () => {
    for (const version of ['3.9.2', '4.4.0', '3.10.1']) assert.doesNotThrow(() => validateKafkaVersion(version))
  })

  it('rejects anything else with a usage error (exit 2) describing the expected shape', () => {
    for (const version of ['banana', '4.4', '2.8.1', '4.4.0-rc1', '']) {
      assert.throws(
        () => validateKafkaVersion(version),
        (error: unknown) =>
          error instanceof UsageError && error.exitCode === 2 && /major\.minor\.patch/.test(error.message),
        version,
      )
    }
  })
})

describe('Maven assembly helpers', () => {
  it('adds reload4j for 3.x only when Maven did not resolve it', () => {
    const resolved = ['kafka_2.13-3.9.2.jar', 'slf4j-api-1.7.36.jar', 'slf4j-reload4j-1.7.36.jar']
    assert.deepEqual(missingLoggingArtifacts('3.9.2', resolved), ['ch.qos.reload4j:reload4j:1.2.25'])
    assert.deepEqual(missingLoggingArtifacts('3.9.2', [...resolved, 'reload4j-1.2.25.jar']), [])
  })

  it('adds the log4j SLF4J binding for 4.x at exactly the resolved log4j-core version', () => {
    const resolved = ['kafka_2.13-4.4.0.jar', 'log4j-api-2.25.5.jar', 'log4j-core-2.25.5.jar', 'slf4j-api-1.7.36.jar']
    assert.deepEqual(missingLoggingArtifacts('4.4.0', resolved), ['org.apache.logging.log4j:log4j-slf4j-impl:2.25.5'])
    assert.deepEqual(missingLoggingArtifacts('4.4.0', [...resolved, 'log4j-slf4j-impl-2.25.5.jar']), [])
    // SLF4J 2 needs log4j's slf4j2 binding instead.
    const slf4j2 = resolved.map((name) => name.replace('slf4j-api-1.7.36', 'slf4j-api-2.0.16'))
    assert.deepEqual(missingLoggingArtifacts('4.4.0', slf4j2), ['org.apache.logging.log4j:log4j-slf4j2-impl:2.25.5'])
  })

  it('overrides the central repository in the generated pom only when asked', () => {
    const plain = mavenPom('4.4.0')
    assert.match(plain, /<artifactId>kafka_2\.13<\/artifactId><version>4\.4\.0<\/version>/)
    assert.match(plain, /<artifactId>kafka-tools<\/artifactId><version>4\.4\.0<\/version>/)
    assert.doesNotMatch(plain, /<repositories>/)
    const custom = mavenPom('3.9.2', 'https://nexus.example/repo?a=1&b=2')
    assert.match(
      custom,
      /<repository><id>central<\/id><url>https:\/\/nexus\.example\/repo\?a=1&amp;b=2<\/url><\/repository>/,
    )
    assert.match(custom, /<pluginRepository><id>central<\/id>/)
  })

  it('takes --maven-repo over KAFKIT_MAVEN_REPO and rejects non-URLs', () => {
    assert.equal(resolveMavenRepository(undefined, { KAFKIT_MAVEN_REPO: 'file:///srv/m2/' }), 'file:///srv/m2')
    assert.equal(
      resolveMavenRepository('https://a.example', { KAFKIT_MAVEN_REPO: 'file:///srv/m2' }),
      'https://a.example',
    )
    assert.throws(() => resolveMavenRepository('nexus.local', {}), UsageError)
  })

  it('picks the logging backend from the jars present', () => {
    assert.equal(loggingBackend(['log4j-core-2.25.5.jar']), 'log4j2')
    assert.equal(loggingBackend(['reload4j-1.2.25.jar']), 'log4j1')
    assert.equal(loggingBackend(['slf4j-api-1.7.36.jar']), 'none')
  })
})

describe('launch scripts for Maven layouts', () => {
  it('lists jar entries from the zip central directory', async () => {
    const jar = join(scratch, 'entries.jar')
    writeFileSync(jar, storedZip(['META-INF/MANIFEST.MF', 'kafka/Kafka.class', 'kafka/Kafka$.class']))
    const entries = await listJarEntries(jar)
    assert.deepEqual(entries, ['META-INF/MANIFEST.MF', 'kafka/Kafka.class', 'kafka/Kafka$.class'])
    assert.deepEqual(classNamesOf(entries), ['kafka.Kafka'])
  })

  it('uses the classes each version really ships and skips tools it lacks', async () => {
    // 3.9-like: the Scala ConfigCommand/ConsoleProducer, Java TopicCommand, ZooKeeper present.
    const home = join(scratch, 'maven-3.9')
    mkdirSync(join(home, 'libs'), { recursive: true })
    writeFileSync(
      join(home, 'libs', 'kafka_2.13-3.9.2.jar'),
      storedZip(['kafka/Kafka.class', 'kafka/admin/ConfigCommand.class', 'kafka/tools/ConsoleProducer.class']),
    )
    writeFileSync(join(home, 'libs', 'kafka-tools-3.9.2.jar'), storedZip(['org/apache/kafka/tools/TopicCommand.class']))
    writeFileSync(
      join(home, 'libs', 'zookeeper-3.8.4.jar'),
      storedZip(['org/apache/zookeeper/server/quorum/QuorumPeerMain.class']),
    )
    writeFileSync(join(home, 'libs', 'reload4j-1.2.25.jar'), storedZip([]))
    const result = await writeLaunchScripts(home, '3.9.2', new SilentReporter())
    assert.equal(result.scripts['kafka-configs.sh'], 'kafka.admin.ConfigCommand')
    assert.equal(result.scripts['kafka-console-producer.sh'], 'kafka.tools.ConsoleProducer')
    assert.equal(result.scripts['kafka-topics.sh'], 'org.apache.kafka.tools.TopicCommand')
    assert.equal(result.scripts['zookeeper-server-start.sh'], 'org.apache.zookeeper.server.quorum.QuorumPeerMain')
    assert.ok(result.skipped.includes('kafka-get-offsets.sh'))
    assert.ok(!existsSync(join(home, 'bin', 'kafka-get-offsets.sh')))

    const topics = readFileSync(join(home, 'bin', 'kafka-topics.sh'), 'utf8')
    assert.match(topics, /Generated by kafkit/)
    assert.match(topics, /kafka-run-class\.sh" org\.apache\.kafka\.tools\.TopicCommand "\$@"/)
    assert.equal(statSync(join(home, 'bin', 'kafka-topics.sh')).mode & 0o111, 0o111)
    const runClass = readFileSync(join(home, 'bin', 'kafka-run-class.sh'), 'utf8')
    assert.match(runClass, /\$\{JAVA_HOME:\+\$JAVA_HOME\/bin\/\}java/)
    assert.match(runClass, /-cp "\$base_dir\/libs\/\*"/)
    assert.match(runClass, /-Dlog4j\.configuration=file:/)
    assert.ok(existsSync(join(home, 'config', 'tools-log4j.properties')))
  })

  it('refuses a layout without the broker main class', async () => {
    const home = join(scratch, 'maven-broken')
    mkdirSync(join(home, 'libs'), { recursive: true })
    writeFileSync(join(home, 'libs', 'kafka-tools-4.4.0.jar'), storedZip(['org/apache/kafka/tools/TopicCommand.class']))
    await assert.rejects(writeLaunchScripts(home, '4.4.0', new SilentReporter()), /kafka\.Kafka/)
  })
})

describe('listInstalled / findInstalled', () => {
  const cache = join(scratch, 'cache', 'kafka')
  const fakeInstall = (dirName: string, jarVersion = dirName, record?: object) => {
    const home = join(cache, dirName)
    mkdirSync(join(home, 'libs'), { recursive: true })
    writeFileSync(join(home, 'libs', `kafka_2.13-${jarVersion}.jar`), 'not really a jar')
    if (record) writeFileSync(join(home, INSTALL_RECORD), JSON.stringify(record))
    return home
  }
  fakeInstall('3.9.2', '3.9.2', {
    version: '3.9.2',
    source: 'maven',
    installedAt: '2025-01-01T00:00:00.000Z',
    origin: 'https://repo',
  })
  fakeInstall('4.4.0', '4.4.0', {
    version: '4.4.0',
    source: 'apache',
    installedAt: '2025-02-01T00:00:00.000Z',
    origin: 'https://dl',
    sha512: DIGEST,
  })
  fakeInstall('3.10.1')
  // Not installs: a staging directory, a directory whose jar is another version, a directory without jars.
  fakeInstall('.tmp-4.5.0-1-deadbeef', '4.5.0')
  fakeInstall('9.9.9', '3.1.0')
  mkdirSync(join(cache, '4.1.0', 'libs'), { recursive: true })

  it('lists real installs sorted numerically by version, with their records', () => {
    const installed = listInstalled(cache)
    assert.deepEqual(
      installed.map((d) => d.version),
      ['3.9.2', '3.10.1', '4.4.0'],
    )
    const [v392, v3101, v440] = installed
    assert.equal(v392!.source, 'maven')
    assert.equal(v392!.installedAt, '2025-01-01T00:00:00.000Z')
    assert.equal(v392!.origin, 'https://repo')
    assert.equal(v392!.supportsZooKeeper, true)
    assert.equal(v440!.supportsZooKeeper, false)
    assert.equal(v440!.supportsKraft, true)
    assert.equal(v440!.sha512, DIGEST)
    assert.equal(v440!.home, join(cache, '4.4.0'))
    // No record: adopted by hand, reported as a path install located at itself.
    assert.equal(v3101!.source, 'path')
    assert.equal(v3101!.origin, join(cache, '3.10.1'))
  })

  it('finds an exact version, the newest, or the newest matching a predicate', () => {
    assert.equal(findInstalled('3.9.2', { dir: cache })?.home, join(cache, '3.9.2'))
    assert.equal(findInstalled('4.1.0', { dir: cache }), undefined)
    assert.equal(findInstalled('9.9.9', { dir: cache }), undefined)
    assert.equal(findInstalled(undefined, { dir: cache })?.version, '4.4.0')
    assert.equal(findInstalled(undefined, { dir: cache, where: (d) => d.supportsZooKeeper })?.version, '3.10.1')
    assert.equal(findInstalled('4.4.0', { dir: cache, where: (d) => d.supportsZooKeeper }), undefined)
  })

  it('returns nothing for a cache that does not exist yet', () => {
    assert.deepEqual(listInstalled(join(scratch, 'missing')), [])
    assert.equal(findInstalled(undefined, { dir: join(scratch, 'missing') }), undefined)
  })

  it('sweeps staging directories of dead processes but not of live ones', () => {
    const dir = join(scratch, 'sweep')
    const dead = join(dir, '.tmp-4.4.0-999999999-deadbeef')
    const live = join(dir, `.tmp-4.4.0-${process.pid}-0badf00d`)
    mkdirSync(dead, { recursive: true })
    mkdirSync(live, { recursive: true })
    sweepAbandoned(dir)
    assert.equal(existsSync(dead), false)
    assert.equal(existsSync(live), true)
  })
})

/** A minimal valid zip of empty, stored entries (the CRC-32 of no bytes is 0), enough for listJarEntries. */
function storedZip(names: string[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const name of names) {
    const nameBytes = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(10, 4)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(10, 6)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(names.length, 8)
  end.writeUInt16LE(names.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
