import { PrerequisiteError, UsageError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { DistRuntime } from './dist.js'
import { DockerRuntime } from './docker.js'
import { EmbeddedRuntime } from './embedded.js'
import { HomebrewRuntime } from './homebrew.js'
import type { Runtime, RuntimeChoice, RuntimeDetection, RuntimeName, RuntimeOptions } from './types.js'

export const RUNTIME_CHOICES = ['auto', 'docker', 'homebrew', 'dist', 'embedded'] as const

/** The order `auto` tries: containers first (nothing to install), then what is on the machine. */
const AUTO_ORDER: RuntimeName[] = ['docker', 'homebrew', 'dist', 'embedded']

/** Runtimes advertised but not in this build (none at present; kept for the next one that arrives in stages). */
const NOT_YET: Partial<Record<RuntimeName, string>> = {}

export function runtimeFor(name: RuntimeName, env: NodeJS.ProcessEnv = process.env): Runtime {
  switch (name) {
    case 'dist':
      return new DistRuntime(env)
    case 'homebrew':
      return new HomebrewRuntime(env)
    case 'docker':
      return new DockerRuntime(env)
    case 'embedded':
      return new EmbeddedRuntime()
    default:
      throw new PrerequisiteError(`The ${name} runtime is ${NOT_YET[name] ?? 'unknown'}.`, {
        code: 'RUNTIME_UNAVAILABLE',
        suggestions: ['Use --runtime dist (an Apache Kafka distribution run with Java) or --runtime homebrew.'],
      })
  }
}

async function detectRuntime(name: RuntimeName, env: NodeJS.ProcessEnv = process.env): Promise<RuntimeDetection> {
  const notYet = NOT_YET[name]
  if (notYet) return { runtime: name, usable: false, reason: notYet }
  return runtimeFor(name, env).detect()
}

export async function detectAll(env: NodeJS.ProcessEnv = process.env): Promise<RuntimeDetection[]> {
  return Promise.all(AUTO_ORDER.map((name) => detectRuntime(name, env)))
}

const OPTION_FLAGS: Record<keyof RuntimeOptions, string> = { image: '--image', network: '--network' }

/** Refuses options the chosen runtime does not read (`--image` with the dist runtime), naming the runtime that does. */
export function assertRuntimeOptions(runtime: Runtime, options: RuntimeOptions | undefined): void {
  const given = (Object.keys(options ?? {}) as Array<keyof RuntimeOptions>).filter((k) => options?.[k] !== undefined)
  const unsupported = given.filter((k) => !(runtime.supportedOptions ?? []).includes(k))
  if (unsupported.length > 0) {
    throw new UsageError(
      `${unsupported.map((k) => OPTION_FLAGS[k]).join(' and ')} ${unsupported.length > 1 ? 'apply' : 'applies'} to containers; the ${runtime.name} runtime runs Kafka as local processes.`,
      {
        code: 'OPTION_UNSUPPORTED',
        suggestions: ['Add --runtime docker (kafkit doctor shows whether Docker is usable here).'],
      },
    )
  }
}

export function parseRuntimeChoice(value: string): RuntimeChoice {
  if ((RUNTIME_CHOICES as readonly string[]).includes(value)) return value as RuntimeChoice
  throw new UsageError(`Unknown runtime "${value}": expected one of ${RUNTIME_CHOICES.join(', ')}.`, {
    code: 'BAD_RUNTIME',
  })
}

/**
 * `auto`: the first usable runtime in AUTO_ORDER, saying which and why (and why the earlier ones were skipped).
 * An explicit choice that is not usable fails with its reason and fix (exit 3).
 */
export async function chooseRuntime(
  choice: RuntimeChoice,
  reporter: Reporter,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Runtime> {
  if (choice !== 'auto') {
    const detection = await detectRuntime(choice, env)
    if (!detection.usable) {
      throw new PrerequisiteError(`The ${choice} runtime is not usable: ${detection.reason}.`, {
        code: 'RUNTIME_UNUSABLE',
        suggestions: detection.fix ? [detection.fix] : [],
      })
    }
    return runtimeFor(choice, env)
  }
  const skipped: string[] = []
  for (const name of AUTO_ORDER) {
    const detection = await detectRuntime(name, env)
    if (detection.usable) {
      reporter.info(`Runtime: ${name} (${detection.reason})${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}`)
      return runtimeFor(name, env)
    }
    skipped.push(`${name}: ${detection.reason}`)
  }
  throw new PrerequisiteError('No runtime can start Kafka on this machine.', {
    code: 'NO_RUNTIME',
    details: skipped,
    suggestions: [
      "Install Java 17+ (kafkit then downloads Kafka itself), or Homebrew's kafka formula.",
      'kafkit doctor shows each runtime and its fix.',
    ],
  })
}
