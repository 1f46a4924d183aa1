/**
 * Application class-data sharing (AppCDS) for the JVMs kafkit starts: a broker loads some 5,000 classes from ~90 jars
 * on every start, and a class-data archive of them (mapped, already parsed and verified) takes about a second off a
 * start on a small machine.
 *
 * The archive is made by the JVM itself (`-XX:ArchiveClassesAtExit`, JDK 13+) when a process that ran without one
 * exits cleanly, and kept in kafkit's cache per java binary, Kafka distribution and main class. Safety:
 * - the JVM writes to a file of its own (`<key>.<node>.tmp`); only after that process was seen to exit by itself after
 *   SIGTERM (the archive is complete once the process is gone) is it renamed into place, atomically. A process that
 *   was killed or died on its own leaves its file behind unused, and it is deleted. (A truncated archive crashes a JVM,
 *   so a partial file must never sit at the final name.)
 * - the key holds the java binary (real path, size, mtime) and the distribution's libs/ (path, mtime), so a new JDK or
 *   a changed distribution gets a new archive; the JVM checks the rest itself (its own build, the class path) and runs
 *   without the archive when it does not match (-Xshare:auto).
 * - JDKs before 13 (no dynamic archives), user JVM options that already set class-data sharing, and
 *   KAFKIT_CDS=off leave the command line as it was.
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { join } from 'node:path'
import { jvmArchivesDir } from '../paths.js'
import { javaBinary } from './java.js'

/** First bytes of a dynamic archive (0xf00baba8, little-endian), written last by the JVM. */
const DYNAMIC_MAGIC = 0xf00baba8
/** Dynamic archives arrived in JDK 13 (JEP 350). */
const MIN_JAVA = 13
/** Quietens the JVM's notes on classes it cannot archive (old class files in some jars), which would fill the log. */
const QUIET = '-Xlog:cds=off,cds+dynamic=off'

interface CdsPlan {
  /** JVM options to add (before the class path). */
  args: string[]
  /** The file the JVM writes at exit, when this start makes the archive. */
  pending?: string
}

interface CdsRequest {
  java: string
  /** Feature version of that java (17 for 17.0.15); undefined when unknown: no archive then. */
  javaMajor: number | undefined
  /** Distribution home (jars in libs/). */
  home: string
  mainClass: string
  /** A string unique to the process (its properties file): names the file it writes. */
  marker: string
  /** JVM options the user gave (KAFKA_OPTS, KAFKA_JVM_PERFORMANCE_OPTS): theirs win. */
  userOpts: string
  env?: NodeJS.ProcessEnv
}

export function cdsPlan(request: CdsRequest): CdsPlan | undefined {
  const env = request.env ?? process.env
  if (/^(off|0|false|no)$/i.test(env.KAFKIT_CDS ?? '')) return undefined
  if (!request.javaMajor || request.javaMajor < MIN_JAVA) return undefined
  if (/Xshare|SharedArchiveFile|ArchiveClassesAtExit|AOTCache/.test(request.userOpts)) return undefined
  try {
    const dir = jvmArchivesDir(env)
    const key = archiveKey(request.java, request.home, request.mainClass, env)
    if (!key) return undefined
    const archive = join(dir, `${key}.jsa`)
    if (isArchive(archive)) return { args: [`-XX:SharedArchiveFile=${archive}`, QUIET] }
    mkdirSync(dir, { recursive: true })
    const pending = pendingFile(dir, key, request.marker)
    rmSync(pending, { force: true })
    return { args: [`-XX:ArchiveClassesAtExit=${pending}`, QUIET], pending }
  } catch {
    return undefined
  }
}

/**
 * After a process of this marker ended: `clean` (it exited by itself after SIGTERM) puts the archive it wrote in
 * place; otherwise whatever it wrote is dropped. Never throws: the archive is an optimisation.
 */
export function settleCds(marker: string, clean: boolean, env: NodeJS.ProcessEnv = process.env): void {
  try {
    const dir = jvmArchivesDir(env)
    if (!existsSync(dir)) return
    const suffix = `.${markerHash(marker)}.tmp`
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(suffix)) continue
      const file = join(dir, name)
      if (clean && isArchive(file)) renameSync(file, join(dir, `${name.slice(0, -suffix.length)}.jsa`))
      else rmSync(file, { force: true })
    }
  } catch {
    // An archive we could not move is made again next time.
  }
}

function pendingFile(dir: string, key: string, marker: string): string {
  return join(dir, `${key}.${markerHash(marker)}.tmp`)
}

function markerHash(marker: string): string {
  return createHash('sha256').update(marker).digest('hex').slice(0, 12)
}

function archiveKey(java: string, home: string, mainClass: string, env: NodeJS.ProcessEnv): string | undefined {
  const binary = javaBinary(java, env)
  if (!binary) return undefined
  const javaStat = statSync(binary)
  const libs = join(home, 'libs')
  const libsStat = statSync(libs)
  const parts = [binary, javaStat.size, javaStat.mtimeMs, realpathSync(libs), libsStat.mtimeMs, mainClass]
  return `${mainClass.split('.').pop()}-${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16)}`
}

/** A whole dynamic archive: the JVM writes the header (with this magic) after everything else. */
function isArchive(file: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const header = Buffer.alloc(4)
    if (readSync(fd, header, 0, 4, 0) !== 4) return false
    return header.readUInt32LE(0) === DYNAMIC_MAGIC
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
