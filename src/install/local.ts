import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { KafkitError, UsageError, errorMessage } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { assertSha512, parseSha512File, sha512OfFile } from './checksum.js'
import { inspectDistribution, type KafkaDistribution } from './distribution.js'
import { writeLaunchScripts } from './launch-scripts.js'
import type { Staging } from './store.js'
import { unpackKafkaTarball } from './tarball.js'
import { outputTail } from './tools.js'
import { isValidKafkaVersion } from '../model/versions.js'
import { runCommand } from '../util/child.js'

type LocalSource = { kind: 'directory'; path: string } | { kind: 'tarball'; path: string }

/** `--source <path>`: an unpacked distribution directory or a .tgz; anything else is a usage error. */
export function classifyLocalSource(source: string, cwd: string = process.cwd()): LocalSource {
  const path = resolve(cwd, source)
  if (!existsSync(path)) {
    throw new UsageError(
      `Invalid --source "${source}": expected apache, maven, or the path of a Kafka directory or .tgz (${path} does not exist).`,
    )
  }
  if (statSync(path).isDirectory()) return { kind: 'directory', path }
  if (/\.(tgz|tar\.gz)$/i.test(path)) return { kind: 'tarball', path }
  throw new UsageError(`Invalid --source "${source}": ${path} is a file but not a .tgz archive.`)
}

/** The Kafka version of an unpacked directory, refusing directories that are not Kafka 3.x/4.x. */
export function inspectLocalDirectory(path: string): KafkaDistribution {
  const distribution = inspectDistribution(path, 'path')
  if (!distribution) {
    throw new UsageError(`${path} is not a Kafka distribution: it has no libs/kafka_2.13-<version>.jar.`, {
      suggestions: [
        'Point --source at the directory that contains bin/ and libs/ (the unpacked kafka_2.13-<version>/).',
      ],
    })
  }
  assertSupported(distribution.version, path)
  return distribution
}

function assertSupported(version: string, path: string): void {
  if (!isValidKafkaVersion(version)) {
    throw new UsageError(`${path} holds Kafka ${version}; kafkit supports Kafka 3.x and 4.x releases.`)
  }
}

/** Copies an inspected directory to `staging.home` (the caller has already checked its version). */
export async function copyLocalDirectory(
  distribution: KafkaDistribution,
  staging: Staging,
  reporter: Reporter,
): Promise<string> {
  reporter.step(`Copying Kafka ${distribution.version} from ${distribution.home}`)
  // cp -R keeps modes (bin/*.sh stay executable) and symlinks as they are; far simpler than a JS tree copy.
  const result = await runCommand('cp', ['-R', distribution.home, staging.home])
  if (result.code !== 0) {
    throw new KafkitError(`Could not copy ${distribution.home} into kafkit's cache.`, {
      code: 'COPY_FAILED',
      details: outputTail(result.output, 5),
    })
  }
  // A bare libs/ directory (e.g. jars collected by hand) becomes usable like the tarball. Only a nicety:
  // the directory is still adopted as it is when its jars cannot be read.
  if (!existsSync(join(staging.home, 'bin', 'kafka-run-class.sh'))) {
    try {
      await writeLaunchScripts(staging.home, distribution.version, reporter)
      reporter.info(
        `${distribution.home} has no bin/kafka-run-class.sh; generated bin/ scripts like --source maven does.`,
      )
    } catch (error) {
      reporter.warn(
        `${distribution.home} has no bin/kafka-run-class.sh and kafkit could not generate one: ${errorMessage(error)}`,
      )
    }
  }
  return staging.home
}

/**
 * Unpacks a local .tgz after checking it against a `<file>.sha512` lying beside it, when there is one
 * (Apache publishes it next to every archive, so people who downloaded by hand often have it too).
 */
export async function unpackLocalTarball(
  path: string,
  staging: Staging,
  reporter: Reporter,
): Promise<{ distribution: KafkaDistribution; sha512: string }> {
  const sha512 = await sha512OfFile(path)
  const checksumFile = `${path}.sha512`
  if (existsSync(checksumFile)) {
    const published = parseSha512File(readFileSync(checksumFile, 'utf8'))
    if (!published)
      throw new KafkitError(`Could not read ${checksumFile} (neither sha512sum nor gpg format).`, {
        code: 'CHECKSUM_UNREADABLE',
      })
    assertSha512(basename(path), published.sha512, sha512)
    reporter.step(`Verified SHA-512 against ${basename(checksumFile)}`)
  }
  reporter.step(`Unpacking ${path}`)
  const distribution = await unpackKafkaTarball(path, join(staging.dir, 'unpacked'))
  assertSupported(distribution.version, path)
  return { distribution, sha512 }
}
