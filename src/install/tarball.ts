import { mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError, PrerequisiteError } from '../errors.js'
import { inspectDistribution, type KafkaDistribution } from './distribution.js'
import { outputTail } from './tools.js'
import { runCommand } from '../util/child.js'

/**
 * Unpacks a Kafka .tgz into `into` and checks it has the official shape: one top-level directory
 * (`kafka_2.13-<version>/`) with `libs/kafka_2.13-<version>.jar`. Returns that directory as a distribution;
 * the caller renames it into the cache, which is how "the top-level dir's content" ends up in place.
 * We shell out to tar because node has no built-in tar reader and every target system has tar.
 */
export async function unpackKafkaTarball(archive: string, into: string): Promise<KafkaDistribution> {
  mkdirSync(into, { recursive: true })
  const result = await runCommand('tar', ['-xzf', archive, '-C', into])
  if (result.missing) {
    throw new PrerequisiteError('tar not found on PATH: kafkit needs it to unpack the Kafka archive.', {
      code: 'TAR_MISSING',
      suggestions: ['Install tar (e.g. `apt install tar`), or use --source maven.'],
    })
  }
  if (result.code !== 0) {
    throw new KafkitError(`Could not unpack ${archive}: it is not a readable .tgz archive.`, {
      code: 'NOT_A_KAFKA_TARBALL',
      details: outputTail(result.output, 5),
    })
  }
  // macOS tar may add AppleDouble `._*` entries beside the real directory; they are not content.
  const entries = readdirSync(into).filter((name) => !name.startsWith('._'))
  const top = entries.length === 1 ? join(into, entries[0]!) : undefined
  if (!top || !statSync(top).isDirectory()) {
    throw new KafkitError(
      `${archive} is not a Kafka tarball: expected a single top-level directory, found ${describe(entries)}.`,
      {
        code: 'NOT_A_KAFKA_TARBALL',
      },
    )
  }
  const distribution = inspectDistribution(top, 'apache')
  if (!distribution) {
    throw new KafkitError(`${archive} is not a Kafka tarball: ${entries[0]}/libs/ holds no kafka_2.13-<version>.jar.`, {
      code: 'NOT_A_KAFKA_TARBALL',
    })
  }
  return distribution
}

function describe(entries: string[]): string {
  if (entries.length === 0) return 'nothing'
  const shown = entries.slice(0, 3).join(', ')
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown
}
