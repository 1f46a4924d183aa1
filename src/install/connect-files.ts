/**
 * What Kafka's quickstart needs for its Connect step, in a distribution kafkit installed: the config files of the
 * Apache tarball's config/ and the FileStream connector. The tarball has them; a distribution assembled from Maven does
 * not (Maven resolves jars only), so kafkit writes them, at install time and again on demand for older installs.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { inspectDistribution } from './distribution.js'
import { downloadFile, fetchText, NotFoundError } from './download.js'
import { MAVEN_CENTRAL, resolveMavenRepository } from './maven.js'

/**
 * The newest connect-file on Maven Central (4.4.0 was not published there). On a newer Kafka's class path it fails
 * (NoClassDefFoundError for AppInfoParser), so it runs isolated in its own plugin folder with its own kafka-clients.
 */
export const CONNECT_FILE_FALLBACK_VERSION = '4.3.1'
/** `<home>/plugins/connect-file`: where the isolated FileStream connector lives when libs/ cannot hold it. */
export const CONNECT_FILE_PLUGIN_DIR = join('plugins', 'connect-file')

export interface ConnectFiles {
  home: string
  version: string
  /** Files this call created (relative to home); empty when everything was there already. */
  written: string[]
  /** The log4j config Connect's scripts point at, absolute (connect-log4j2.yaml/.properties on 4.x, connect-log4j.properties on 3.x). */
  log4jConfig: string
  /** Where the FileStream connector is: `libs/connect-file-<v>.jar` or the plugin folder (relative to home). */
  fileConnector: string
  /**
   * The plugin.path entry that loads it (relative to home): the jar itself, or `plugins` for the plugin folder, since
   * Connect takes each folder inside a plugin.path entry as one plugin (a jar directly inside is a plugin of its own).
   */
  pluginPath: string
}

/** The quickstart's config files, as the Apache tarball's config/ has them (comments shortened). */
export function connectConfigFiles(version: string): Record<string, string> {
  const header = `# Written by kafkit: the file of the same name in the Apache Kafka ${version} distribution.\n`
  const converters = [
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=true',
    'value.converter.schemas.enable=true',
  ]
  const files: Record<string, string> = {
    'connect-standalone.properties': lines(header, [
      'bootstrap.servers=localhost:9092',
      ...converters,
      'offset.storage.file.filename=/tmp/connect.offsets',
      'offset.flush.interval.ms=10000',
      '# plugin.path: add the FileStream connector as the quickstart does:',
      `#   echo "plugin.path=libs/connect-file-${version}.jar" >> config/connect-standalone.properties`,
    ]),
    'connect-distributed.properties': lines(header, [
      'bootstrap.servers=localhost:9092',
      'group.id=connect-cluster',
      ...converters,
      'offset.storage.topic=connect-offsets',
      'offset.storage.replication.factor=1',
      'config.storage.topic=connect-configs',
      'config.storage.replication.factor=1',
      'status.storage.topic=connect-status',
      'status.storage.replication.factor=1',
      'offset.flush.interval.ms=10000',
    ]),
    'connect-file-source.properties': lines(header, [
      'name=local-file-source',
      'connector.class=FileStreamSource',
      'tasks.max=1',
      'file=test.txt',
      'topic=connect-test',
    ]),
    'connect-file-sink.properties': lines(header, [
      'name=local-file-sink',
      'connector.class=FileStreamSink',
      'tasks.max=1',
      'file=test.sink.txt',
      'topics=connect-test',
    ]),
  }
  if (Number.parseInt(version, 10) < 4) {
    files['connect-log4j.properties'] = lines(header, [
      'log4j.rootLogger=INFO, stdout, connectAppender',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.connectAppender=org.apache.log4j.DailyRollingFileAppender',
      "log4j.appender.connectAppender.DatePattern='.'yyyy-MM-dd-HH",
      'log4j.appender.connectAppender.File=${kafka.logs.dir}/connect.log',
      'log4j.appender.connectAppender.layout=org.apache.log4j.PatternLayout',
      'connect.log.pattern=[%d] %p %X{connector.context}%m (%c:%L)%n',
      'log4j.appender.stdout.layout.ConversionPattern=${connect.log.pattern}',
      'log4j.appender.connectAppender.layout.ConversionPattern=${connect.log.pattern}',
      'log4j.logger.org.reflections=ERROR',
    ])
  } else {
    // The tarball's connect-log4j2.yaml needs jackson-dataformat-yaml, which Maven does not bring: the same in properties.
    files['connect-log4j2.properties'] = lines(header, [
      'status = warn',
      'property.connect.log.pattern = [%d] %p %X{connector.context}%m (%c:%L)%n',
      'appender.stdout.type = Console',
      'appender.stdout.name = STDOUT',
      'appender.stdout.layout.type = PatternLayout',
      'appender.stdout.layout.pattern = ${connect.log.pattern}',
      'appender.connect.type = RollingFile',
      'appender.connect.name = ConnectAppender',
      'appender.connect.fileName = ${sys:kafka.logs.dir}/connect.log',
      'appender.connect.filePattern = ${sys:kafka.logs.dir}/connect.log.%d{yyyy-MM-dd-HH}',
      'appender.connect.layout.type = PatternLayout',
      'appender.connect.layout.pattern = ${connect.log.pattern}',
      'appender.connect.policies.type = Policies',
      'appender.connect.policies.time.type = TimeBasedTriggeringPolicy',
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.stdout.ref = STDOUT',
      'rootLogger.appenderRef.connect.ref = ConnectAppender',
      'logger.reflections.name = org.reflections',
      'logger.reflections.level = ERROR',
    ])
  }
  return files
}

function lines(header: string, body: string[]): string {
  return `${header}${body.join('\n')}\n`
}

/** The log4j config of Connect's scripts in this home: the tarball's own if there, else the one kafkit writes. */
export function connectLog4jConfig(home: string, version: string): string {
  const config = join(home, 'config')
  if (Number.parseInt(version, 10) < 4) return join(config, 'connect-log4j.properties')
  const yaml = join(config, 'connect-log4j2.yaml')
  return existsSync(yaml) ? yaml : join(config, 'connect-log4j2.properties')
}

/**
 * Makes `home` (a Kafka distribution) ready for Connect's quickstart: writes the missing config files (never
 * overwriting one, since users edit them, as the quickstart's `echo ... >> config/connect-standalone.properties`) and
 * fetches the FileStream connector when libs/ has none: connect-file-<version> into libs/ when Maven Central has it,
 * else connect-file-4.3.1 with kafka-clients-4.3.1 into plugins/connect-file/. Idempotent and cheap when all is there.
 * Jars come from ~/.m2 when present, else from KAFKIT_MAVEN_REPO or Maven Central over HTTPS (SHA-1 checked).
 */
export async function ensureConnectFiles(
  home: string,
  reporter: Reporter,
  options: { repository?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ConnectFiles> {
  const env = options.env ?? process.env
  const distribution = inspectDistribution(home, 'path')
  if (!distribution) {
    throw new KafkitError(`${home} is not a Kafka distribution (no libs/kafka_*.jar).`, { code: 'NOT_A_DISTRIBUTION' })
  }
  const { version } = distribution
  const written: string[] = []
  const configDir = join(home, 'config')
  const hasTarballYaml = existsSync(join(configDir, 'connect-log4j2.yaml'))
  for (const [name, text] of Object.entries(connectConfigFiles(version))) {
    if (name === 'connect-log4j2.properties' && hasTarballYaml) continue
    const path = join(configDir, name)
    if (existsSync(path)) continue
    try {
      mkdirSync(configDir, { recursive: true })
      writeFileSync(path, text)
      written.push(join('config', name))
    } catch (error) {
      // A distribution kafkit does not own (KAFKA_HOME, Homebrew's libexec) may be read-only: the worker can still run.
      reporter.warn(`Could not write ${path}: ${(error as Error).message}`)
    }
  }

  const libs = readdirSync(distribution.libsDir)
  const inLibs = libs.find((name) => /^connect-file-\d.*\.jar$/.test(name))
  const pluginDir = join(home, CONNECT_FILE_PLUGIN_DIR)
  let fileConnector: string
  if (inLibs) {
    fileConnector = join('libs', inLibs)
  } else if (existsSync(join(pluginDir, `connect-file-${CONNECT_FILE_FALLBACK_VERSION}.jar`))) {
    fileConnector = CONNECT_FILE_PLUGIN_DIR
  } else {
    const repository = (resolveMavenRepository(options.repository, env) ?? MAVEN_CENTRAL).replace(/\/+$/, '')
    const fetchJar = (artifact: string, v: string, dir: string) =>
      fetchMavenJar({ repository, artifact, version: v, dir, reporter, env })
    if (await fetchJar('connect-file', version, distribution.libsDir)) {
      fileConnector = join('libs', `connect-file-${version}.jar`)
    } else {
      reporter.step(
        `connect-file ${version} is not in ${repository}: using connect-file ${CONNECT_FILE_FALLBACK_VERSION} in its own plugin folder ${CONNECT_FILE_PLUGIN_DIR}`,
      )
      const staging = `${pluginDir}.partial`
      mkdirSync(staging, { recursive: true })
      for (const artifact of ['connect-file', 'kafka-clients']) {
        if (!(await fetchJar(artifact, CONNECT_FILE_FALLBACK_VERSION, staging))) {
          throw new KafkitError(`${artifact} ${CONNECT_FILE_FALLBACK_VERSION} is not in ${repository}.`, {
            code: 'CONNECT_FILE_MISSING',
          })
        }
      }
      renameSync(staging, pluginDir)
      fileConnector = CONNECT_FILE_PLUGIN_DIR
    }
    written.push(fileConnector)
  }
  if (written.length > 0) reporter.info(`Added Connect's quickstart files: ${written.join(', ')}`)
  const pluginPath = fileConnector === CONNECT_FILE_PLUGIN_DIR ? dirname(CONNECT_FILE_PLUGIN_DIR) : fileConnector
  return { home, version, written, log4jConfig: connectLog4jConfig(home, version), fileConnector, pluginPath }
}

/** One org.apache.kafka jar into `dir`; false when the repository does not have that version. */
async function fetchMavenJar(request: {
  repository: string
  artifact: string
  version: string
  dir: string
  reporter: Reporter
  env: NodeJS.ProcessEnv
}): Promise<boolean> {
  const { repository, artifact, version, dir } = request
  const name = `${artifact}-${version}.jar`
  const target = join(dir, name)
  const relative = `org/apache/kafka/${artifact}/${version}/${name}`
  const local = join(request.env.HOME ?? homedir(), '.m2', 'repository', relative)
  if (existsSync(local)) {
    copyFileSync(local, target)
    return true
  }
  const url = `${repository}/${relative}`
  if (url.startsWith('file:')) {
    const path = fileURLToPath(url)
    if (!existsSync(path)) return false
    copyFileSync(path, target)
    return true
  }
  const partial = `${target}.partial`
  try {
    await downloadFile(url, partial, request.reporter, name)
  } catch (error) {
    if (error instanceof NotFoundError) return false
    throw error
  }
  const expected = (await fetchText(`${url}.sha1`)).trim().split(/\s+/)[0]?.toLowerCase()
  const actual = createHash('sha1').update(readFileSync(partial)).digest('hex')
  if (expected !== actual) {
    throw new KafkitError(`Checksum mismatch for ${url}: SHA-1 ${actual}, published ${expected}.`, {
      code: 'CHECKSUM_MISMATCH',
    })
  }
  renameSync(partial, target)
  return true
}
