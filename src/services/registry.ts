/**
 * The Schema Registry of a stack: Apicurio Registry (Apache-2.0, on Maven Central, Confluent-compatible API at
 * /apis/ccompat/v7). Confluent's registry is not on Maven Central, so it cannot be installed like Kafka is.
 * The version follows the Java found: 3.3.x needs Java 21, 3.0.x runs on 17.
 */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError, PrerequisiteError } from '../errors.js'
import { downloadFile, fetchText } from '../install/download.js'
import type { ServiceState, StackState } from '../model/state.js'
import type { Reporter } from '../output/reporter.js'
import { kafkitCache } from '../paths.js'
import { runCommand } from '../util/child.js'
import { renderProperties } from './properties.js'

export const REGISTRY_VERSIONS = { java21: '3.3.3', java17: '3.0.9' } as const
export const REGISTRY_HEAP = '256m'
export const REGISTRY_READY_PATH = '/apis/ccompat/v7/subjects'
const MAVEN_BASE = 'https://repo1.maven.org/maven2/io/apicurio/apicurio-registry-app'

/** The registry version for a Java feature version; undefined when that Java is too old for any. */
export function registryVersionFor(javaMajor: number): string | undefined {
  if (javaMajor >= 21) return REGISTRY_VERSIONS.java21
  if (javaMajor >= 17) return REGISTRY_VERSIONS.java17
  return undefined
}

/** What `doctor` says about the registry for the Java found. */
export function registryChoice(java: { version: string; major: number } | undefined): {
  ok: boolean
  details: string
} {
  if (!java) return { ok: false, details: 'needs Java 17+ (none found)' }
  const version = registryVersionFor(java.major)
  if (!version) return { ok: false, details: `Java ${java.version} is too old: Apicurio Registry needs Java 17+` }
  const installed = existsSync(registryJar(version))
  return {
    ok: true,
    details: `Apicurio Registry ${version} on Java ${java.version}${java.major < 21 ? ` (${REGISTRY_VERSIONS.java21} needs Java 21+)` : ''}; ${installed ? `installed at ${registryHome(version)}` : 'installed on first `up --with schema-registry`'}`,
  }
}

export function archiveName(version: string): string {
  return `apicurio-registry-app-${version}-all.tar.gz`
}

export function archiveUrl(version: string): string {
  return `${MAVEN_BASE}/${version}/${archiveName(version)}`
}

/** `$KAFKIT_CACHE/schema-registry/apicurio-<version>/`: the unpacked Quarkus app (runner jar, lib/, app/, quarkus/). */
export function registryHome(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitCache(env), 'schema-registry', `apicurio-${version}`)
}

/**
 * The jar to run: 3.0.x ships one runner jar (`apicurio-registry-app-<v>-runner.jar`), 3.3.x Quarkus's fast-jar
 * layout (`quarkus-run.jar` beside app/, lib/ and quarkus/).
 */
export function registryJar(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = registryHome(version, env)
  const runner = join(home, `apicurio-registry-app-${version}-runner.jar`)
  const fastJar = join(home, FAST_JAR)
  return !existsSync(runner) && existsSync(fastJar) ? fastJar : runner
}

const FAST_JAR = 'quarkus-run.jar'

/** Archives kafkit downloaded (kept, so a purged cache folder is rebuilt without the network). */
function downloadsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitCache(env), 'downloads')
}

function sha1OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

/**
 * Installs the registry into kafkit's cache unless it is there: the archive from Maven Central over HTTPS (checked
 * against the .sha1 Maven publishes beside it), unpacked into a temporary folder and renamed into place, so an
 * interrupted install never leaves a half folder that looks installed.
 */
export async function installRegistry(version: string, reporter: Reporter): Promise<string> {
  const home = registryHome(version)
  if (existsSync(registryJar(version))) return home
  const downloads = downloadsDir()
  mkdirSync(downloads, { recursive: true })
  const archive = join(downloads, archiveName(version))
  if (!existsSync(archive)) {
    reporter.step(`Installing Apicurio Registry ${version} into kafkit's cache (from Maven Central)`)
    const partial = `${archive}.${process.pid}.part`
    try {
      const expected = (await fetchText(`${archiveUrl(version)}.sha1`)).trim().split(/\s+/)[0]?.toLowerCase()
      await downloadFile(archiveUrl(version), partial, reporter, `Apicurio Registry ${version}`)
      const actual = await sha1OfFile(partial)
      if (expected && actual !== expected) {
        throw new KafkitError(
          `${archiveName(version)} does not match its published SHA-1 (${actual} != ${expected}).`,
          {
            code: 'CHECKSUM_MISMATCH',
            suggestions: ['Run the command again; if it fails again, the download is being altered on the way.'],
          },
        )
      }
      renameSync(partial, archive)
    } finally {
      rmSync(partial, { force: true })
    }
  }
  reporter.step(`Unpacking Apicurio Registry ${version}`)
  const staging = `${home}.${process.pid}.tmp`
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  try {
    const result = await runCommand('tar', ['-xzf', archive, '-C', staging], { timeoutMs: 300_000 })
    if (result.missing) throw new PrerequisiteError('tar not found on PATH: kafkit needs it to unpack the registry.')
    const runnable = [`apicurio-registry-app-${version}-runner.jar`, FAST_JAR].some((jar) =>
      existsSync(join(staging, jar)),
    )
    if (result.code !== 0 || !runnable) {
      rmSync(archive, { force: true })
      throw new KafkitError(
        `${archive} is not the Apicurio Registry app archive (removed; run again to download it).`,
        {
          code: 'NOT_A_REGISTRY_ARCHIVE',
        },
      )
    }
    rmSync(home, { recursive: true, force: true })
    renameSync(staging, home)
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
  return home
}

export function registryPaths(stack: Pick<StackState, 'dir'>): {
  dir: string
  configFile: string
  dataDir: string
  logFile: string
} {
  const dir = join(stack.dir, 'schema-registry')
  return {
    dir,
    configFile: join(dir, 'application.properties'),
    dataDir: join(dir, 'data'),
    logFile: join(stack.dir, 'logs', 'schema-registry.log'),
  }
}

/**
 * The registry's Quarkus config (read through quarkus.config.locations). It listens on 127.0.0.1 only; the management
 * interface (3.3 opens one on 0.0.0.0:9000) moves to 127.0.0.1 and a port kafkit picked free; schemas live in an
 * H2 file in the stack directory, so they outlast `down` and go with `purge`. The pool is small: one developer.
 */
export function renderRegistryConfig(
  stack: Pick<StackState, 'dir'>,
  service: Pick<ServiceState, 'port'>,
  managementPort: number,
): string {
  const paths = registryPaths(stack)
  return renderProperties(
    'Schema Registry (Apicurio) of this stack, written by kafkit at every start: edit the stack, not this file.',
    {
      'quarkus.http.host': '127.0.0.1',
      'quarkus.http.port': String(service.port),
      'quarkus.management.host': '127.0.0.1',
      'quarkus.management.port': String(managementPort),
      'apicurio.storage.kind': 'sql',
      'apicurio.storage.sql.kind': 'h2',
      'apicurio.datasource.url': `jdbc:h2:file:${join(paths.dataDir, 'registry')}`,
      'apicurio.datasource.jdbc.initial-size': '1',
      'apicurio.datasource.jdbc.min-size': '1',
      'apicurio.datasource.jdbc.max-size': '10',
      'quarkus.log.console.format': '[%d{yyyy-MM-dd HH:mm:ss,SSS}] %p %m (%c{3.})%n',
    },
  )
}

/** The java command line of the registry (KAFKIT_SCHEMA_REGISTRY_OPTS adds JVM options). */
export function registryCommand(
  java: string,
  version: string,
  configFile: string,
  env: NodeJS.ProcessEnv = process.env,
): { command: string; args: string[] } {
  return {
    command: java,
    args: [
      '-Xms64m',
      `-Xmx${REGISTRY_HEAP}`,
      '-XX:+UseSerialGC',
      '-Djava.awt.headless=true',
      ...(env.KAFKIT_SCHEMA_REGISTRY_OPTS ?? '').split(/\s+/).filter(Boolean),
      `-Dquarkus.config.locations=${configFile}`,
      '-jar',
      registryJar(version, env),
    ],
  }
}
