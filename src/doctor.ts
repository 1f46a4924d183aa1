import { detectJava, minimumJavaFor } from './runtime/java.js'
import { listInstalled } from './install/index.js'
import { DEFAULT_KAFKA_VERSION } from './model/versions.js'
import { detectAll } from './runtime/index.js'
import type { RuntimeDetection } from './runtime/types.js'
import { listStacks } from './model/state.js'
import { runCommand } from './util/child.js'
import { registryChoice } from './services/registry.js'

interface DoctorCheck {
  check: string
  ok: boolean
  details: string
  fix: string | null
}

export interface DoctorResult {
  checks: DoctorCheck[]
  runtimes: RuntimeDetection[]
  usableRuntime: string | null
  installed: string[]
  stacks: string[]
}

async function commandVersion(command: string, args: string[]): Promise<string | undefined> {
  const result = await runCommand(command, args, { timeoutMs: 15_000 })
  if (result.missing) return undefined
  return (
    `${result.stdout}\n${result.stderr}`
      .replace(/\u001B\[[0-9;]*m/g, '') // eslint-disable-line no-control-regex
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  )
}

/** Every prerequisite and runtime with its status and the fix; it changes nothing. */
export async function runDoctor(): Promise<DoctorResult> {
  const [java, mvn, tar, runtimes] = await Promise.all([
    detectJava(),
    commandVersion('mvn', ['-v', '-B']),
    commandVersion('tar', ['--version']),
    detectAll(),
  ])
  const nodeMajor = Number.parseInt(process.versions.node, 10)
  const needJava = minimumJavaFor(DEFAULT_KAFKA_VERSION)
  const checks: DoctorCheck[] = [
    {
      check: 'node',
      ok: nodeMajor >= 20,
      details: `Node ${process.versions.node}`,
      fix: nodeMajor >= 20 ? null : 'Install Node 20 or newer',
    },
    {
      check: 'java',
      ok: Boolean(java && java.major >= needJava),
      details: java ? `Java ${java.version} (${java.path})` : 'not found on PATH or in JAVA_HOME',
      fix:
        java && java.major >= needJava
          ? null
          : `Install Java ${needJava}+ (apt install openjdk-17-jre-headless, brew install openjdk@17) or set JAVA_HOME`,
    },
    (() => {
      // `up --with schema-registry` runs Apicurio Registry, whose version follows the Java found (3.3 needs 21).
      const registry = registryChoice(java)
      return {
        check: 'schema-registry',
        ok: registry.ok,
        details: registry.details,
        fix: registry.ok ? null : 'Install Java 17+ (21+ for Apicurio Registry 3.3) or set JAVA_HOME',
      }
    })(),
    {
      check: 'tar',
      ok: tar !== undefined,
      details: tar ?? 'not found',
      fix: tar ? null : 'Install tar (needed to unpack Apache downloads)',
    },
    {
      check: 'mvn',
      ok: mvn !== undefined,
      details: mvn ?? 'not found (optional: install kafka --source maven)',
      fix: mvn ? null : 'Optional: install Maven for --source maven',
    },
  ]
  const installed = listInstalled().map((d) => `${d.version} (${d.source})`)
  return {
    checks,
    runtimes,
    usableRuntime: runtimes.find((r) => r.usable)?.runtime ?? null,
    installed,
    stacks: listStacks(),
  }
}
