import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { capabilities } from '../model/versions.js'
import { join } from 'node:path'

/** Where a distribution came from. `env` is KAFKA_HOME; `homebrew` is a Homebrew formula's libexec. */
type DistributionSource = 'apache' | 'maven' | 'path' | 'env' | 'homebrew'

/**
 * A Kafka installation kafkit can launch: a directory whose `libs/` holds the Kafka jars (the layout of the
 * official .tgz, of a Homebrew formula's libexec, and of what `install --source maven` assembles).
 */
export interface KafkaDistribution {
  version: string
  home: string
  libsDir: string
  source: DistributionSource
  /** Kafka 4.0 removed ZooKeeper mode. */
  supportsZooKeeper: boolean
  /** KRaft is production-ready from 3.3. */
  supportsKraft: boolean
}

/** Metadata kafkit writes beside an installed distribution (`.kafkit-install.json`). */
export interface InstallRecord {
  version: string
  source: Exclude<DistributionSource, 'env' | 'homebrew'>
  installedAt: string
  /** Download URL, Maven repository, or adopted path. */
  origin: string
  sha512?: string
}

export const INSTALL_RECORD = '.kafkit-install.json'

/** The Kafka version of a distribution, read from the name of its `kafka_<scala>-<version>.jar`. */
function detectKafkaVersion(libsDir: string): string | undefined {
  if (!existsSync(libsDir)) return undefined
  for (const file of readdirSync(libsDir)) {
    const match = /^kafka_\d+\.\d+-(\d+\.\d+\.\d+[\w.-]*?)\.jar$/.exec(file)
    if (match && !/-(sources|javadoc|test)$/.test(match[1]!)) return match[1]
  }
  return undefined
}

export function inspectDistribution(home: string, source: DistributionSource): KafkaDistribution | undefined {
  const libsDir = join(home, 'libs')
  const version = detectKafkaVersion(libsDir)
  if (!version) return undefined
  return { version, home, libsDir, source, ...capabilities(version) }
}

export function readInstallRecord(home: string): InstallRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(home, INSTALL_RECORD), 'utf8')) as InstallRecord
  } catch {
    return undefined
  }
}
