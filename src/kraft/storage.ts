/**
 * kafka-storage.sh (Kafka 4.4's kafka.tools.StorageTool): `random-uuid` and `info` are native; `format` runs Kafka's
 * own StorageTool from the Kafka kafkit runs (KAFKA_HOME, else the newest in kafkit's cache). Formatting writes
 * meta.properties and, on a controller, the bootstrap.checkpoint metadata snapshot (feature levels, SCRAM users, the
 * initial voter set as KRaft control records), which only a Kafka of the same version or newer can read: Kafka's
 * writer is the one guaranteed to match the broker that starts on it, so kafkit does not reimplement it.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError, PrerequisiteError } from '../errors.js'
import { parseProperties } from '../util/properties.js'

/** The UUIDs Kafka never hands out: ZERO_UUID and ONE_UUID (METADATA_TOPIC_ID). */
const RESERVED = new Set(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ'])

/**
 * Uuid.randomUuid(): a random (version 4) UUID in URL-safe base64 without padding, drawn again while it is reserved or
 * contains a '-' (so it can never be mistaken for a command-line flag).
 */
export function randomUuid(bytes: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const b = Buffer.from(bytes())
    b[6] = (b[6]! & 0x0f) | 0x40
    b[8] = (b[8]! & 0x3f) | 0x80
    const uuid = b.toString('base64url')
    if (!RESERVED.has(uuid) && !uuid.includes('-')) return uuid
  }
}

export interface StorageConfig {
  /** log.dirs (or log.dir, default /tmp/kafka-logs) and metadata.log.dir, sorted and distinct. */
  directories: string[]
  kraft: boolean
}

/** StorageTool.configToLogDirectories, from a server.properties. */
export function storageConfig(path: string): StorageConfig {
  if (!existsSync(path)) throw new KafkitError(`${path} (No such file or directory)`, { code: 'STORAGE' })
  const props = parseProperties(readFileSync(path, 'utf8'))
  const logDirs = (props['log.dirs'] ?? props['log.dir'] ?? '/tmp/kafka-logs')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
  const metadata = props['metadata.log.dir']?.trim()
  const directories = [...new Set([...logDirs, ...(metadata ? [metadata] : [])])].sort()
  return { directories, kraft: (props['process.roles'] ?? '').trim() !== '' }
}

export interface StorageInfo {
  directories: string[]
  found: string[]
  /** meta.properties of the first formatted directory, as Kafka re-writes it (sorted keys). */
  metadata?: Record<string, string>
  problems: string[]
}

/** StorageTool.infoCommand's checks. */
export function storageInfo(config: StorageConfig): StorageInfo {
  const found: string[] = []
  const problems: string[] = []
  let first: Record<string, string> | undefined
  for (const dir of config.directories) {
    if (!existsSync(dir)) {
      problems.push(`${dir} does not exist`)
      continue
    }
    if (!statSync(dir).isDirectory()) {
      problems.push(`${dir} is not a directory`)
      continue
    }
    found.push(dir)
    const metaPath = join(dir, 'meta.properties')
    if (!existsSync(metaPath)) {
      problems.push(`${dir} is not formatted.`)
      continue
    }
    let meta: Record<string, string>
    try {
      meta = metaProperties(parseProperties(readFileSync(metaPath, 'utf8')))
    } catch (error) {
      problems.push(`Error loading ${metaPath}: ${(error as Error).message}`)
      continue
    }
    if (!first) first = meta
    else if (first['cluster.id'] !== meta['cluster.id'])
      problems.push('Mismatched cluster IDs between storage directories.')
    else if (nodeIdOf(first) !== nodeIdOf(meta)) problems.push('Mismatched node IDs between storage directories.')
  }
  if (first) {
    if (config.kraft && first.version === '0')
      problems.push(
        'The kafka configuration file appears to be for a cluster in KRaft mode, but the directories are formatted for legacy mode.',
      )
    if (!config.kraft && first.version === '1')
      problems.push(
        'The kafka configuration file appears to be for a legacy cluster, but the directories are formatted for a cluster in KRaft mode.',
      )
  }
  return { directories: config.directories, found, ...(first ? { metadata: first } : {}), problems }
}

function nodeIdOf(meta: Record<string, string>): string | undefined {
  return meta['node.id'] ?? meta['broker.id']
}

/** MetaProperties.Builder(props).build().toProperties(): the fields Kafka knows, validated as it does. */
function metaProperties(props: Record<string, string>): Record<string, string> {
  const version = props.version
  if (version !== '0' && version !== '1')
    throw new Error(
      version === undefined ? 'Failed to find property version' : `Unknown meta.properties version ${version}`,
    )
  const out: Record<string, string> = { version }
  if (props['cluster.id'] !== undefined) out['cluster.id'] = props['cluster.id']
  else if (version === '1') throw new Error('cluster.id was not found.')
  const idKey = version === '1' ? 'node.id' : 'broker.id'
  if (props[idKey] !== undefined) out[idKey] = props[idKey]
  else if (version === '1') throw new Error('node.id was not found.')
  if (props['directory.id'] !== undefined) out['directory.id'] = props['directory.id']
  return out
}

/** The text `kafka-storage.sh info` prints (its exit code: 1 when there are problems). */
export function renderStorageInfo(info: StorageInfo): string {
  if (info.directories.length === 0) return 'No directories specified.\n'
  let out = ''
  if (info.found.length > 0) {
    out += info.found.length === 1 ? 'Found log directory:\n' : 'Found log directories:\n'
    for (const d of info.found) out += `  ${d}\n`
    out += '\n'
  }
  if (info.metadata) {
    const keys = Object.keys(info.metadata).sort()
    out += `Found metadata: {${keys.map((k) => `${k}=${info.metadata![k]}`).join(', ')}}\n\n`
  }
  if (info.problems.length > 0) {
    out += info.problems.length === 1 ? 'Found problem:\n' : 'Found problems:\n'
    for (const p of info.problems) out += `  ${p}\n`
    out += '\n'
  }
  return out
}

/** Where `storage format` finds Kafka's StorageTool: KAFKA_HOME, else the newest Kafka in kafkit's cache. */
export async function storageToolHome(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ home: string; version: string }> {
  const { inspectDistribution, listInstalled } = await import('../install/index.js')
  if (env.KAFKA_HOME) {
    const found = inspectDistribution(env.KAFKA_HOME, 'env')
    if (found) return { home: found.home, version: found.version }
  }
  const newest = listInstalled().at(-1)
  if (newest) return { home: newest.home, version: newest.version }
  throw new PrerequisiteError('storage format runs Kafka’s own StorageTool, and no Kafka is installed.', {
    code: 'NO_KAFKA',
    suggestions: ['kafkit install kafka', 'or set KAFKA_HOME to an unpacked Kafka distribution'],
  })
}

export interface FormatResult {
  kafkaVersion: string
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs `kafka.tools.StorageTool format <args>` with kafkit's Java and the chosen Kafka's jars. */
export async function formatStorage(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<FormatResult> {
  const [{ home, version }, { javaCommand }, { runCommand }] = await Promise.all([
    storageToolHome(env),
    import('../runtime/java.js'),
    import('../util/child.js'),
  ])
  const heap = env.KAFKA_HEAP_OPTS?.split(/\s+/).filter(Boolean) ?? ['-Xmx256m']
  const result = await runCommand(
    javaCommand(env),
    [
      ...heap,
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      // Kafka's own tool logging: warnings only, on stderr (kafka-run-class.sh's default for the tools).
      `-Dlog4j2.configurationFile=${join(home, 'config', 'tools-log4j2.properties')}`,
      `-Dlog4j.configuration=file:${join(home, 'config', 'tools-log4j.properties')}`,
      '-cp',
      join(home, 'libs', '*'),
      'kafka.tools.StorageTool',
      'format',
      ...args,
    ],
    { timeoutMs: 120_000 },
  )
  if (result.missing) throw new PrerequisiteError('Java not found on PATH or in JAVA_HOME.', { code: 'NO_JAVA' })
  // runCommand's output has lost its final newline; the tool's lines all end with one.
  const stdout = result.stdout && !result.stdout.endsWith('\n') ? `${result.stdout}\n` : result.stdout
  return { kafkaVersion: version, exitCode: result.code, stdout, stderr: result.stderr }
}
