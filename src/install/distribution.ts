import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where a distribution came from. `env` is KAFKA_HOME; `homebrew` is a Homebrew formula's libexec. */
export type DistributionSource = 'apache' | 'maven' | 'path' | 'env' | 'homebrew'

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
export function detectKafkaVersion(libsDir: string): string | undefined {
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

export function capabilities(version: string): Pick<KafkaDistribution, 'supportsZooKeeper' | 'supportsKraft'> {
  const [major = 0, minor = 0] = version.split('.').map((n) => Number.parseInt(n, 10))
  return {
    supportsZooKeeper: major < 4,
    supportsKraft: major > 3 || (major === 3 && minor >= 3),
  }
}

export function readInstallRecord(home: string): InstallRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(home, INSTALL_RECORD), 'utf8')) as InstallRecord
  } catch {
    return undefined
  }
}

/** Compares dotted versions numerically ("3.10.0" > "3.9.2"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
