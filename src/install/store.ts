import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { distributionsDir } from '../paths.js'
import { compareVersions } from '../model/versions.js'
import {
  INSTALL_RECORD,
  inspectDistribution,
  readInstallRecord,
  type InstallRecord,
  type KafkaDistribution,
} from './distribution.js'

/**
 * The cache of installed distributions: `<distributionsDir()>/<version>/` (libs/, bin/, config/ and the
 * `.kafkit-install.json` record). Everything that starts with a dot is kafkit's scratch space (staging
 * and replaced installs) and is never reported as installed.
 */

/** An installed distribution plus where it came from (its install record). */
export interface InstalledDistribution extends KafkaDistribution {
  source: InstallRecord['source']
  installedAt: string
  /** Download URL, Maven repository, or adopted path. */
  origin: string
  sha512?: string
}

export function installedHome(version: string, dir: string = distributionsDir()): string {
  return join(dir, version)
}

/** The distribution installed as `<dir>/<version>`, if that directory really holds Kafka `version`. */
export function readInstalled(version: string, dir: string = distributionsDir()): InstalledDistribution | undefined {
  const home = installedHome(version, dir)
  const record = readInstallRecord(home)
  const distribution = inspectDistribution(home, record?.source ?? 'path')
  // A directory named 4.4.0 holding other jars would make `up --version 4.4.0` run the wrong Kafka.
  if (!distribution || distribution.version !== version) return undefined
  return {
    ...distribution,
    source: record?.source ?? 'path',
    // Directories copied in by hand have no record; their mtime is the best "installed at" we have.
    installedAt: record?.installedAt ?? statSync(home).mtime.toISOString(),
    origin: record?.origin ?? home,
    ...(record?.sha512 ? { sha512: record.sha512 } : {}),
  }
}

/** Every installed distribution, oldest version first. */
export function listInstalled(dir: string = distributionsDir()): InstalledDistribution[] {
  if (!existsSync(dir)) return []
  const installed: InstalledDistribution[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || !entry.isDirectory()) continue
    const distribution = readInstalled(entry.name, dir)
    if (distribution) installed.push(distribution)
  }
  return installed.sort((a, b) => compareVersions(a.version, b.version))
}

export interface FindInstalledOptions {
  /** Only consider distributions that pass, e.g. `(d) => d.supportsZooKeeper`. */
  where?: (distribution: InstalledDistribution) => boolean
  dir?: string
}

/** Exactly `version` when given, otherwise the newest installed distribution (that passes `where`). */
export function findInstalled(version?: string, options: FindInstalledOptions = {}): InstalledDistribution | undefined {
  const dir = options.dir ?? distributionsDir()
  const where = options.where ?? (() => true)
  if (version) {
    const distribution = readInstalled(version, dir)
    return distribution && where(distribution) ? distribution : undefined
  }
  return listInstalled(dir).filter(where).at(-1)
}

/**
 * A private directory inside the cache where one install is assembled. It lives on the same filesystem
 * as the final location so that `commit()` is a single atomic rename, and its name carries our pid so
 * that a later install can tell an abandoned one (Ctrl-C, crash) from one still running.
 */
export class Staging {
  private constructor(
    readonly dir: string,
    /** The distribution being assembled; becomes `<cache>/<version>` on commit. */
    readonly home: string,
    private readonly cacheDir: string,
  ) {}

  static create(label: string, cacheDir: string = distributionsDir()): Staging {
    mkdirSync(cacheDir, { recursive: true })
    sweepAbandoned(cacheDir)
    const dir = join(cacheDir, `.tmp-${label}-${process.pid}-${randomBytes(4).toString('hex')}`)
    mkdirSync(dir)
    return new Staging(dir, join(dir, 'home'), cacheDir)
  }

  /**
   * Writes the install record and renames the assembled distribution into place. With `replace`, an
   * existing directory for the version is moved aside first and only deleted once the new one is in place.
   * Returns false when another kafkit process installed the same version meanwhile (theirs is kept).
   */
  async commit(home: string, record: InstallRecord, options: { replace: boolean }): Promise<boolean> {
    await writeFile(join(home, INSTALL_RECORD), `${JSON.stringify(record, null, 2)}\n`)
    const target = installedHome(record.version, this.cacheDir)
    let previous: string | undefined
    if (options.replace && existsSync(target)) {
      previous = join(this.cacheDir, `.old-${record.version}-${process.pid}-${randomBytes(4).toString('hex')}`)
      await rename(target, previous)
    }
    try {
      await rename(home, target)
    } catch (error) {
      if (previous) await rename(previous, target).catch(() => {})
      const code = (error as NodeJS.ErrnoException).code
      // rename(2) refuses to replace a non-empty directory: someone else finished first.
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && readInstalled(record.version, this.cacheDir)) return false
      throw error
    }
    if (previous) await rm(previous, { recursive: true, force: true })
    return true
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** Removes `.tmp-*` / `.old-*` directories left by kafkit processes that no longer exist. */
export function sweepAbandoned(cacheDir: string): void {
  if (!existsSync(cacheDir)) return
  for (const name of readdirSync(cacheDir)) {
    const match = /^\.(?:tmp|old)-.+-(\d+)-[0-9a-f]{8}$/.exec(name)
    if (!match || processAlive(Number(match[1]))) continue
    try {
      rmSync(join(cacheDir, name), { recursive: true, force: true })
    } catch {
      // Best effort; a leftover only costs disk space and is retried next time.
    }
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
