import { PrerequisiteError, UsageError } from '../errors.js'
import { inspectDistribution, type KafkaDistribution } from '../install/distribution.js'
import { findInstalled, installDefault, listInstalled } from '../install/index.js'
import {
  compareVersions,
  DEFAULT_KAFKA_VERSION,
  DEFAULT_ZOOKEEPER_KAFKA_VERSION,
  isValidKafkaVersion,
} from '../model/versions.js'
import { detectJava, minimumJavaFor } from './java.js'
import type { Reporter } from '../output/reporter.js'
import { assertModeSupported } from './compatibility.js'
import { JvmRuntime } from './jvm.js'
import type { ResolveRequest, ResolvedKafka, RuntimeDetection } from './types.js'

/** An Apache Kafka distribution run with Java: KAFKA_HOME, or one installed in kafkit's cache. */
export class DistRuntime extends JvmRuntime {
  readonly name = 'dist' as const

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    super()
  }

  async detect(): Promise<RuntimeDetection> {
    const java = await detectJava(this.env)
    if (!java) {
      return {
        runtime: this.name,
        usable: false,
        reason: 'Java not found on PATH or in JAVA_HOME',
        fix: 'Install a JDK 17+ (apt install openjdk-17-jre-headless, brew install openjdk@17) or set JAVA_HOME',
      }
    }
    const fromEnv = this.fromKafkaHome()
    const installed = listInstalled()
    const newest = fromEnv ?? installed.at(-1)
    if (java.major < minimumJavaFor(newest?.version ?? DEFAULT_KAFKA_VERSION)) {
      return {
        runtime: this.name,
        usable: false,
        reason: `Java ${java.version} is too old for Kafka ${newest?.version ?? DEFAULT_KAFKA_VERSION} (needs ${minimumJavaFor(newest?.version ?? DEFAULT_KAFKA_VERSION)}+)`,
        fix: 'Install Java 17+ and set JAVA_HOME',
      }
    }
    if (fromEnv)
      return {
        runtime: this.name,
        usable: true,
        reason: `Java ${java.version}; KAFKA_HOME is Kafka ${fromEnv.version}`,
        found: fromEnv.home,
      }
    if (this.env.KAFKA_HOME) {
      return {
        runtime: this.name,
        usable: false,
        reason: `KAFKA_HOME=${this.env.KAFKA_HOME} is not a Kafka distribution (no libs/kafka_*.jar)`,
        fix: 'Point KAFKA_HOME at an unpacked Kafka, or unset it',
      }
    }
    if (installed.length > 0) {
      return {
        runtime: this.name,
        usable: true,
        reason: `Java ${java.version}; Kafka ${installed.map((d) => d.version).join(', ')} installed`,
        found: newest!.home,
      }
    }
    return {
      runtime: this.name,
      usable: true,
      reason: `Java ${java.version}; no Kafka installed yet (up installs ${DEFAULT_KAFKA_VERSION})`,
    }
  }

  async resolve(request: ResolveRequest, reporter: Reporter): Promise<ResolvedKafka> {
    if (request.version && !isValidKafkaVersion(request.version)) {
      throw new UsageError(
        `Unknown Kafka version "${request.version}": expected a release like ${DEFAULT_ZOOKEEPER_KAFKA_VERSION} or ${DEFAULT_KAFKA_VERSION}.`,
        { code: 'BAD_VERSION' },
      )
    }
    const fromEnv = this.fromKafkaHome()
    if (this.env.KAFKA_HOME && !fromEnv) {
      throw new PrerequisiteError(
        `KAFKA_HOME=${this.env.KAFKA_HOME} is not a Kafka distribution (no libs/kafka_2.13-*.jar).`,
        {
          code: 'KAFKA_HOME_INVALID',
          suggestions: ['Point KAFKA_HOME at an unpacked Kafka, or unset it to use kafkit-installed versions.'],
        },
      )
    }
    if (fromEnv && (!request.version || request.version === fromEnv.version)) {
      assertModeSupported(fromEnv.version, request.mode, `KAFKA_HOME ${fromEnv.home}`)
      return describe(fromEnv)
    }
    const wanted = request.version
    let found = wanted ? findInstalled(wanted) : newestMatching(request.mode)
    if (!found) {
      const version = wanted ?? (request.mode === 'zookeeper' ? DEFAULT_ZOOKEEPER_KAFKA_VERSION : DEFAULT_KAFKA_VERSION)
      assertModeSupported(version, request.mode, 'requested')
      if (!request.install) {
        throw new PrerequisiteError(`Kafka ${version} is not installed.`, {
          code: 'KAFKA_NOT_INSTALLED',
          suggestions: [`kafkit install kafka --version ${version}`],
        })
      }
      reporter.step(`Kafka ${version} is not installed yet: installing it into kafkit's cache`)
      const installed = await installDefault(version, reporter)
      found = inspectDistribution(installed.home, installed.source) ?? found
      if (!found) throw new PrerequisiteError(`Installing Kafka ${version} did not produce a usable distribution.`)
    }
    assertModeSupported(found.version, request.mode, found.home)
    return describe(found)
  }

  private fromKafkaHome(): KafkaDistribution | undefined {
    return this.env.KAFKA_HOME ? inspectDistribution(this.env.KAFKA_HOME, 'env') : undefined
  }
}

function newestMatching(mode: ResolveRequest['mode']): KafkaDistribution | undefined {
  const candidates = listInstalled()
    .map((d) => inspectDistribution(d.home, d.source))
    .filter(
      (d): d is KafkaDistribution => Boolean(d) && (mode === 'zookeeper' ? d!.supportsZooKeeper : d!.supportsKraft),
    )
    .sort((a, b) => compareVersions(a.version, b.version))
  return candidates.at(-1)
}

function describe(d: KafkaDistribution): ResolvedKafka {
  return {
    version: d.version,
    home: d.home,
    description: `Apache Kafka ${d.version} (${d.source === 'env' ? 'KAFKA_HOME' : d.source}) at ${d.home}`,
  }
}
