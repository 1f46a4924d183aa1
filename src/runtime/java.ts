import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PrerequisiteError } from '../errors.js'
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
  const major = parts[0] === 1 ? parts[1] ?? 0 : parts[0] ?? 0
  return { version, major }
}

export async function detectJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo | undefined> {
  const path = javaCommand(env)
  const result = await runCommand(path, ['-version'], { env, timeoutMs: 15_000 })
  if (result.missing) return undefined
  const parsed = parseJavaVersion(`${result.stderr}\n${result.stdout}`)
  return parsed ? { path, ...parsed } : undefined
}

/** Kafka 4.x brokers need Java 17; 3.x runs on 11 (8 was deprecated and is refused here). */
export function minimumJavaFor(kafkaVersion: string): number {
  return Number.parseInt(kafkaVersion, 10) >= 4 ? 17 : 11
}

export async function requireJava(kafkaVersion: string, env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo> {
  const java = await detectJava(env)
  const minimum = minimumJavaFor(kafkaVersion)
  if (!java) {
    throw new PrerequisiteError(`Java not found: Kafka ${kafkaVersion} needs Java ${minimum} or newer on PATH or in JAVA_HOME.`, {
      code: 'JAVA_MISSING',
      suggestions: ['Install a JDK (e.g. `apt install openjdk-17-jre-headless` or `brew install openjdk@17`) or set JAVA_HOME.'],
    })
  }
  if (java.major < minimum) {
    throw new PrerequisiteError(`Java ${java.version} at ${java.path} is too old: Kafka ${kafkaVersion} needs Java ${minimum} or newer.`, {
      code: 'JAVA_TOO_OLD',
      suggestions: [`Install Java ${minimum}+ and point JAVA_HOME at it.`],
    })
  }
  return java
}
