import { existsSync } from 'node:fs'
import { KafkitError, UsageError, errorMessage } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { distributionsDir } from '../paths.js'
import { fetchFromApache, resolveMirror } from './apache.js'
import type { InstallRecord } from './distribution.js'
import { classifyLocalSource, copyLocalDirectory, inspectLocalDirectory, unpackLocalTarball } from './local.js'
import { assembleFromMaven, resolveMavenRepository } from './maven.js'
import { Staging, installedHome, readInstalled, type InstalledDistribution } from './store.js'
import { findExecutable } from './tools.js'
import { DEFAULT_KAFKA_VERSION, DEFAULT_ZOOKEEPER_KAFKA_VERSION, isValidKafkaVersion } from '../model/versions.js'

export interface InstallRequest {
  /** Defaults to DEFAULT_KAFKA_VERSION for apache/maven; for a path it is read from the jars and must match if given. */
  version?: string
  /** `apache`, `maven`, or the path of an unpacked distribution directory or a .tgz. */
  source: 'apache' | 'maven' | (string & {})
  /** Apache mirror base URL (else KAFKIT_APACHE_MIRROR); when set, only the mirror is tried. */
  mirror?: string
  /** Maven repository URL (else KAFKIT_MAVEN_REPO, else Maven's default). */
  repository?: string
  /** Reinstall even when the version is already installed. */
  force?: boolean
  /** Environment to read KAFKIT_* and PATH from; tests pass their own. */
  env?: NodeJS.ProcessEnv
}

export interface InstallResult extends InstalledDistribution {
  /** True when nothing was done because the version was already installed. */
  alreadyInstalled: boolean
}

export function validateKafkaVersion(version: string): void {
  if (!isValidKafkaVersion(version)) {
    throw new UsageError(
      `Invalid Kafka version "${version}": expected a release number like ${DEFAULT_KAFKA_VERSION} or ${DEFAULT_ZOOKEEPER_KAFKA_VERSION} (major.minor.patch, Kafka 3.x or 4.x).`,
      { code: 'INVALID_VERSION', suggestions: ['See https://kafka.apache.org/downloads for released versions.'] },
    )
  }
}

/**
 * Installs one Kafka distribution into the cache. All work happens in a staging directory inside the cache
 * that is renamed into place only when complete and removed on any failure, so an interrupted or failed
 * install never leaves a half-populated `<cache>/<version>`.
 */
export async function installKafka(request: InstallRequest, reporter: Reporter): Promise<InstallResult> {
  const env = request.env ?? process.env
  const cacheDir = distributionsDir(env)
  const force = request.force ?? false
  if (request.version !== undefined) validateKafkaVersion(request.version)

  if (request.source === 'apache' || request.source === 'maven') {
    const version = request.version ?? DEFAULT_KAFKA_VERSION
    // Resolve (and so validate) URLs before touching the network or the cache.
    const mirror = request.source === 'apache' ? resolveMirror(request.mirror, env) : undefined
    const repository = request.source === 'maven' ? resolveMavenRepository(request.repository, env) : undefined
    const existing = alreadyInstalled(version, cacheDir, force, reporter)
    if (existing) return existing
    return withStaging(
      version,
      cacheDir,
      async (staging) => {
        if (request.source === 'apache') {
          const fetched = await fetchFromApache(version, staging, reporter, mirror)
          return {
            home: fetched.distribution.home,
            record: record(version, 'apache', fetched.origin, fetched.sha512),
          }
        }
        const assembled = await assembleFromMaven(version, staging, reporter, { repository, env })
        return { home: assembled.distribution.home, record: record(version, 'maven', assembled.origin) }
      },
      { force, reporter },
    )
  }

  const local = classifyLocalSource(request.source)
  if (local.kind === 'directory') {
    const distribution = inspectLocalDirectory(local.path)
    assertRequestedVersion(request.version, distribution.version, local.path)
    const existing = alreadyInstalled(distribution.version, cacheDir, force, reporter)
    if (existing) return existing
    return withStaging(
      distribution.version,
      cacheDir,
      async (staging) => ({
        home: await copyLocalDirectory(distribution, staging, reporter),
        record: record(distribution.version, 'path', local.path),
      }),
      { force, reporter },
    )
  }

  // A tarball's version is only known once unpacked, so the already-installed check happens inside.
  return withStaging(
    'local',
    cacheDir,
    async (staging) => {
      const { distribution, sha512 } = await unpackLocalTarball(local.path, staging, reporter)
      assertRequestedVersion(request.version, distribution.version, local.path)
      const existing = alreadyInstalled(distribution.version, cacheDir, force, reporter)
      if (existing) return existing
      return { home: distribution.home, record: record(distribution.version, 'path', local.path, sha512) }
    },
    { force, reporter },
  )
}

/**
 * For `up` when nothing suitable is installed: the official Apache tarball first (what users expect, no
 * Maven needed), then Maven when `mvn` is available (works behind firewalls that only allow a Maven
 * proxy, and when the Apache sites are down).
 */
export async function installDefault(
  version: string,
  reporter: Reporter,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstallResult> {
  validateKafkaVersion(version)
  const existing = readInstalled(version, distributionsDir(env))
  if (existing) return { ...existing, alreadyInstalled: true }
  // No "not installed yet" step here: callers announce why they install; the sources report each step.
  let apacheError: KafkitError
  try {
    return await installKafka({ version, source: 'apache', env }, reporter)
  } catch (error) {
    if (error instanceof UsageError) throw error
    apacheError = asKafkitError(error)
  }
  if (!findExecutable('mvn', env)) {
    throw new KafkitError(apacheError.message, {
      code: apacheError.code,
      details: apacheError.details,
      cause: apacheError,
      suggestions: [
        ...apacheError.suggestions,
        `Or install Maven (mvn): kafkit then assembles Kafka ${version} from Maven Central.`,
      ],
    })
  }
  reporter.warn(`Apache download failed (${apacheError.message}); assembling Kafka ${version} from Maven instead.`)
  try {
    return await installKafka({ version, source: 'maven', env }, reporter)
  } catch (error) {
    const mavenError = asKafkitError(error)
    throw new KafkitError(`Could not install Kafka ${version}: both the Apache download and Maven failed.`, {
      code: mavenError.code,
      cause: mavenError,
      details: [`apache: ${apacheError.message}`, `maven: ${mavenError.message}`, ...mavenError.details],
      suggestions: [...new Set([...apacheError.suggestions, ...mavenError.suggestions])],
    })
  }
}

interface StagedInstall {
  home: string
  record: InstallRecord
}

/** Runs `assemble` in a fresh staging directory, commits its result, and always cleans the staging up. */
async function withStaging(
  label: string,
  cacheDir: string,
  assemble: (staging: Staging) => Promise<StagedInstall | InstallResult>,
  options: { force: boolean; reporter: Reporter },
): Promise<InstallResult> {
  const staging = Staging.create(label, cacheDir)
  try {
    const staged = await assemble(staging)
    if ('alreadyInstalled' in staged) return staged
    const { version } = staged.record
    // Replace a broken leftover directory as well as a forced reinstall; a valid one is kept otherwise.
    const replace = options.force || existsSync(installedHome(version, cacheDir))
    if (replace && !options.force)
      options.reporter.warn(`Replacing ${installedHome(version, cacheDir)}: it is not a usable Kafka ${version}.`)
    const committed = await staging.commit(staged.home, staged.record, { replace })
    if (!committed)
      options.reporter.info(`Kafka ${version} was installed by another kafkit process meanwhile; keeping that one.`)
    const installed = readInstalled(version, cacheDir)
    if (!installed)
      throw new KafkitError(
        `Kafka ${version} was installed but cannot be read back from ${installedHome(version, cacheDir)}.`,
      )
    return { ...installed, alreadyInstalled: !committed }
  } finally {
    await staging.dispose()
  }
}

function alreadyInstalled(
  version: string,
  cacheDir: string,
  force: boolean,
  reporter: Reporter,
): InstallResult | undefined {
  if (force) return undefined
  const existing = readInstalled(version, cacheDir)
  if (!existing) return undefined
  reporter.info(`Kafka ${version} is already installed at ${existing.home} (use --force to reinstall).`)
  return { ...existing, alreadyInstalled: true }
}

function assertRequestedVersion(requested: string | undefined, found: string, path: string): void {
  if (requested !== undefined && requested !== found) {
    throw new UsageError(`--version ${requested} does not match ${path}, which holds Kafka ${found}.`, {
      suggestions: [`Drop --version, or pass --version ${found}.`],
    })
  }
}

function record(version: string, source: InstallRecord['source'], origin: string, sha512?: string): InstallRecord {
  return { version, source, installedAt: new Date().toISOString(), origin, ...(sha512 ? { sha512 } : {}) }
}

function asKafkitError(error: unknown): KafkitError {
  return error instanceof KafkitError ? error : new KafkitError(errorMessage(error), { cause: error })
}
