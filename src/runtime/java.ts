import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { delimiter, dirname, isAbsolute, join } from 'node:path'
import { PrerequisiteError } from '../errors.js'
import { kafkitCache } from '../paths.js'
import { runCommand } from '../util/child.js'

interface JavaInfo {
  path: string
  /** Feature version: 17 for "17.0.15". */
  major: number
  version: string
}

/** The java kafkit launches: $JAVA_HOME/bin/java when set (like Kafka's scripts), else `java` on PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JAVA_HOME) {
    const candidate = join(env.JAVA_HOME, 'bin', 'java')
    if (existsSync(candidate)) return candidate
  }
  return 'java'
}

export function parseJavaVersion(output: string): { version: string; major: number } | undefined {
  // `java -version` prints e.g. `openjdk version "17.0.15" 2025-04-15` or `java version "1.8.0_392"`.
  const match = /version "([^"]+)"/.exec(output)
  if (!match) return undefined
  const version = match[1]!
  const parts = version.split(/[._-]/).map((p) => Number.parseInt(p, 10))
  const major = parts[0] === 1 ? (parts[1] ?? 0) : (parts[0] ?? 0)
  return { version, major }
}

export async function detectJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo | undefined> {
  const path = javaCommand(env)
  const key = versionKey(path, env)
  const known = key ? knownVersions(env)[key] : undefined
  if (known) return { path, ...known }
  const result = await runCommand(path, ['-version'], { env, timeoutMs: 15_000 })
  if (result.missing) return undefined
  const parsed = parseJavaVersion(`${result.stderr}\n${result.stdout}`)
  if (parsed && key) rememberVersion(env, key, parsed)
  return parsed ? { path, ...parsed } : undefined
}

/** The real file behind a java command (a bare name is looked up on PATH, like a shell would); undefined if none. */
export function javaBinary(java: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    if (isAbsolute(java) || java.includes('/')) return existsSync(java) ? realpathSync(java) : undefined
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (dir && existsSync(join(dir, java))) return realpathSync(join(dir, java))
    }
  } catch {
    // unreadable: treated as unknown
  }
  return undefined
}

/*
 * `java -version` starts a JVM (0.05-0.3 s) on every `up`. Its answer is remembered per java binary (real path, size,
 * mtime), so an upgraded or replaced JDK is asked again. Scripts (jenv/sdkman shims and the like, whose answer
 * depends on the environment) are always asked.
 */
const VERSIONS_FILE = 'java-versions.json'

function versionKey(java: string, env: NodeJS.ProcessEnv): string | undefined {
  const binary = javaBinary(java, env)
  if (!binary) return undefined
  try {
    const fd = openSync(binary, 'r')
    const head = Buffer.alloc(2)
    try {
      readSync(fd, head, 0, 2, 0)
    } finally {
      closeSync(fd)
    }
    if (head.toString('latin1') === '#!') return undefined
    const stat = statSync(binary)
    return `${binary}|${stat.size}|${stat.mtimeMs}`
  } catch {
    return undefined
  }
}

function knownVersions(env: NodeJS.ProcessEnv): Record<string, { version: string; major: number }> {
  try {
    return JSON.parse(readFileSync(join(kafkitCache(env), VERSIONS_FILE), 'utf8')) as Record<
      string,
      { version: string; major: number }
    >
  } catch {
    return {}
  }
}

function rememberVersion(env: NodeJS.ProcessEnv, key: string, info: { version: string; major: number }): void {
  try {
    const file = join(kafkitCache(env), VERSIONS_FILE)
    mkdirSync(dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(
      tmp,
      `${JSON.stringify({ ...knownVersions(env), [key]: { version: info.version, major: info.major } }, null, 2)}\n`,
    )
    renameSync(tmp, file)
  } catch {
    // asked again next time
  }
}

/** Kafka 4.x brokers need Java 17; 3.x runs on 11 (8 was deprecated and is refused here). */
export function minimumJavaFor(kafkaVersion: string): number {
  return Number.parseInt(kafkaVersion, 10) >= 4 ? 17 : 11
}

export async function requireJava(kafkaVersion: string, env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo> {
  const java = await detectJava(env)
  const minimum = minimumJavaFor(kafkaVersion)
  if (!java) {
    throw new PrerequisiteError(
      `Java not found: Kafka ${kafkaVersion} needs Java ${minimum} or newer on PATH or in JAVA_HOME.`,
      {
        code: 'JAVA_MISSING',
        suggestions: [
          'Install a JDK (e.g. `apt install openjdk-17-jre-headless` or `brew install openjdk@17`) or set JAVA_HOME.',
        ],
      },
    )
  }
  if (java.major < minimum) {
    throw new PrerequisiteError(
      `Java ${java.version} at ${java.path} is too old: Kafka ${kafkaVersion} needs Java ${minimum} or newer.`,
      {
        code: 'JAVA_TOO_OLD',
        suggestions: [`Install Java ${minimum}+ and point JAVA_HOME at it.`],
      },
    )
  }
  return java
}
