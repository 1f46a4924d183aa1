import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PrerequisiteError, UsageError } from '../errors.js'
import { inspectDistribution } from '../install/distribution.js'
import { javaCommand } from './java.js'
import { assertModeSupported } from './compatibility.js'
import { JvmRuntime } from './jvm.js'
import type { ResolveRequest, ResolvedKafka, RuntimeDetection } from './types.js'

/** Where Homebrew lives: HOMEBREW_PREFIX (set by `brew shellenv`), else `brew --prefix`. */
function homebrewPrefix(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HOMEBREW_PREFIX) return env.HOMEBREW_PREFIX
  try {
    return (
      execFileSync('brew', ['--prefix'], {
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || undefined
    )
  } catch {
    return undefined
  }
}

/**
 * The Homebrew `kafka` formula: jars in `opt/kafka/libexec/libs`, scripts without `.sh` in `bin/`, configs in
 * `etc/kafka`. kafkit runs the formula's jars with its own generated configs (so several stacks can coexist)
 * and the formula's `openjdk` when installed. Kafka 4.x formulas are KRaft only; ZooKeeper mode needs a 3.x
 * formula, whose libs include ZooKeeper.
 */
export class HomebrewRuntime extends JvmRuntime {
  readonly name = 'homebrew' as const

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    super()
  }

  kafkaHome(prefix: string): string {
    return join(prefix, 'opt', 'kafka', 'libexec')
  }

  async detect(): Promise<RuntimeDetection> {
    const prefix = homebrewPrefix(this.env)
    if (!prefix) {
      return {
        runtime: this.name,
        usable: false,
        reason: 'Homebrew not found (no HOMEBREW_PREFIX, no brew on PATH)',
        fix: 'Install Homebrew from https://brew.sh, or use another runtime',
      }
    }
    const dist = inspectDistribution(this.kafkaHome(prefix), 'homebrew')
    if (!dist) {
      return {
        runtime: this.name,
        usable: false,
        reason: `Homebrew at ${prefix} has no kafka formula`,
        fix: 'brew install kafka',
      }
    }
    return { runtime: this.name, usable: true, reason: `Homebrew kafka ${dist.version} at ${prefix}`, found: dist.home }
  }

  async resolve(request: ResolveRequest): Promise<ResolvedKafka> {
    const prefix = homebrewPrefix(this.env)
    if (!prefix)
      throw new PrerequisiteError('Homebrew not found (no HOMEBREW_PREFIX, no brew on PATH).', {
        code: 'HOMEBREW_MISSING',
        suggestions: ['Install Homebrew from https://brew.sh, or use --runtime dist.'],
      })
    const dist = inspectDistribution(this.kafkaHome(prefix), 'homebrew')
    if (!dist)
      throw new PrerequisiteError(`Homebrew at ${prefix} has no kafka formula.`, {
        code: 'HOMEBREW_NO_KAFKA',
        suggestions: ['brew install kafka'],
      })
    if (request.version && request.version !== dist.version) {
      throw new UsageError(`Homebrew has Kafka ${dist.version}, not ${request.version}.`, {
        code: 'VERSION_UNAVAILABLE',
        suggestions: [`Use --runtime dist --version ${request.version}, or omit --version.`],
      })
    }
    assertModeSupported(dist.version, request.mode, 'Homebrew kafka formula')
    return { version: dist.version, home: dist.home, description: `Homebrew kafka ${dist.version} at ${dist.home}` }
  }

  protected override java(): string {
    // The formula depends on Homebrew's openjdk; prefer it so a system Java 8 can't break the stack.
    const prefix = homebrewPrefix(this.env)
    const brewJava = prefix ? join(prefix, 'opt', 'openjdk', 'bin', 'java') : undefined
    return brewJava && existsSync(brewJava) ? brewJava : javaCommand(this.env)
  }
}
