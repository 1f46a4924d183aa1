/**
 * kafka-features.sh's rules and text, pure (FeatureCommand 4.4): metadata.version names and levels, --release-version
 * parsing, version-mapping, feature-dependencies, the updates an upgrade/downgrade/disable asks for, and its result
 * lines. The tables are Kafka's own (MetadataVersion, Feature: ./feature-tables.ts, generated from the 4.4.0 jars).
 */
import { KafkitError } from '../errors.js'
import { javaFormat } from '../output/java-format.js'
import { FEATURE_TABLES } from './feature-tables.js'

export const METADATA_VERSION = 'metadata.version'

type MetadataVersion = (typeof FEATURE_TABLES.metadataVersions)[number]
const VERSIONS: readonly MetadataVersion[] = FEATURE_TABLES.metadataVersions
const VERSION_STRINGS: Record<string, string> = FEATURE_TABLES.versionStrings

/** Kafka's error for a bad `--release-version` / `--metadata` (TerseException in the tool: exit 1). */
function toolError(message: string): KafkitError {
  return new KafkitError(message, { code: 'FEATURES' })
}

/** MetadataVersion.fromVersionString(s, true): "x.y-IVn", "x.y" (newest production IV), "x.y.z" as "x.y". */
export function metadataVersionFromString(versionString: string): MetadataVersion {
  const segments = versionString.split('.')
  const key = segments.length <= 2 ? versionString : segments.slice(0, 2).join('.')
  const name = VERSION_STRINGS[key]
  const found = name === undefined ? undefined : VERSIONS.find((v) => v.version === name)
  if (!found)
    throw toolError(
      `Unknown metadata.version '${versionString}'. Supported metadata.version are: ${VERSIONS.map((v) => v.version).join(', ')}`,
    )
  return found
}

export function metadataVersionFromLevel(level: number): MetadataVersion | undefined {
  return VERSIONS.find((v) => v.level === level)
}

/** FeatureCommand.levelToString: metadata.version levels by name. */
export function levelToString(feature: string, level: number): string {
  if (feature !== METADATA_VERSION) return String(level)
  return metadataVersionFromLevel(level)?.version ?? `UNKNOWN ${level}`
}

/** Short.parseShort's rule, for feature=level. */
function parseShort(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined
  const n = Number(text)
  return n >= -32768 && n <= 32767 ? n : undefined
}

export function parseNameAndLevel(input: string): { name: string; level: number } {
  const equals = input.indexOf('=')
  if (equals < 0) throw toolError(`Can't parse feature=level string ${input}: equals sign not found.`)
  const name = input.slice(0, equals).trim()
  const levelString = input.slice(equals + 1).trim()
  const level = parseShort(levelString)
  if (level === undefined)
    throw toolError(`Can't parse feature=level string ${input}: unable to parse ${levelString} as a short.`)
  return { name, level }
}

function defaultLevel(feature: (typeof FEATURE_TABLES.features)[number], mv: MetadataVersion): number {
  return feature.defaultLevels[VERSIONS.indexOf(mv)]!
}

export interface VersionMapping {
  releaseVersion: string
  metadataVersion: number
  /** Each production feature's default level for that release, in Kafka's order. */
  features: Array<{ feature: string; level: number }>
}

/** `version-mapping [--release-version]`: metadata.version and each production feature's default level. */
export function versionMapping(releaseVersion?: string): VersionMapping {
  const release = releaseVersion ?? FEATURE_TABLES.latestProduction
  const mv = metadataVersionFromString(release)
  return {
    releaseVersion: release,
    metadataVersion: mv.level,
    features: FEATURE_TABLES.features.map((f) => ({ feature: f.name, level: defaultLevel(f, mv) })),
  }
}

export function renderVersionMapping(m: VersionMapping): string {
  return (
    `metadata.version=${m.metadataVersion} (${m.releaseVersion})\n` +
    m.features.map((f) => `${f.feature}=${f.level}\n`).join('')
  )
}

/** `feature-dependencies --feature f=v ...`. */
export function featureDependencies(features: string[]): string {
  let out = ''
  for (const input of features) {
    const { name, level } = parseNameAndLevel(input)
    if (name === METADATA_VERSION) {
      const mv = metadataVersionFromLevel(level)
      if (!mv) throw toolError(`Unknown metadata.version ${level}`)
      out += `${name}=${level} (${mv.version}) has no dependencies.\n`
      continue
    }
    const feature = FEATURE_TABLES.features.find((f) => f.name === name)
    if (!feature) throw toolError(`Unknown feature: ${name}`)
    const version = feature.levels.find((l) => l.level === level)
    if (!version) throw toolError(`No feature:${name} with feature level ${level}`)
    const deps = Object.entries(version.dependencies as Record<string, number>)
    if (deps.length === 0) {
      out += `${name}=${level} has no dependencies.\n`
      continue
    }
    out += `${name}=${level} requires:\n`
    for (const [dep, depLevel] of deps)
      out +=
        dep === METADATA_VERSION
          ? `    ${dep}=${depLevel} (${metadataVersionFromLevel(depLevel)?.version})\n`
          : `    ${dep}=${depLevel}\n`
  }
  return out
}

export type FeatureOp = 'upgrade' | 'downgrade' | 'disable'
/** UpdateFeatures' upgrade types: 1 upgrade, 2 safe downgrade, 3 unsafe downgrade. */
export type UpgradeType = 1 | 2 | 3

export interface FeatureUpdatePlan {
  /** In the order Kafka's tool prints results: by feature name. */
  updates: Array<{ feature: string; level: number; upgradeType: UpgradeType }>
  /** Printed first on stdout, as the tool does for the deprecated --metadata. */
  notice?: string
}

export interface FeatureUpdateFlags {
  metadata?: string
  feature?: string[]
  releaseVersion?: string
  unsafe?: boolean
}

/** FeatureCommand.handleUpgradeOrDowngrade / handleDisable: the updates to send. */
export function planFeatureUpdates(op: FeatureOp, flags: FeatureUpdateFlags): FeatureUpdatePlan {
  const upgradeType: UpgradeType = op === 'upgrade' ? 1 : flags.unsafe ? 3 : 2
  const updates = new Map<string, number>()
  let notice: string | undefined
  const once = (name: string, level: number) => {
    if (updates.has(name)) throw toolError(`Feature ${name} was specified more than once.`)
    updates.set(name, level)
  }
  if (op === 'disable') {
    for (const name of flags.feature ?? []) once(name, 0)
  } else if (flags.releaseVersion !== undefined) {
    if (flags.metadata !== undefined || flags.feature !== undefined)
      throw toolError('Can not specify `release-version` with other feature flags.')
    const mv = metadataVersionFromString(flags.releaseVersion)
    updates.set(METADATA_VERSION, mv.level)
    for (const feature of FEATURE_TABLES.features) {
      const level = defaultLevel(feature, mv)
      if (upgradeType !== 1 || level > 0) updates.set(feature.name, level)
    }
  } else {
    if (flags.metadata !== undefined) {
      notice = ' `metadata` flag is deprecated and may be removed in a future release.\n'
      updates.set(METADATA_VERSION, metadataVersionFromString(flags.metadata).level)
    }
    for (const input of flags.feature ?? []) {
      const { name, level } = parseNameAndLevel(input)
      once(name, level)
    }
  }
  if (updates.size === 0) throw toolError(`You must specify at least one feature to ${op}`)
  const sorted = [...updates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return { updates: sorted.map(([feature, level]) => ({ feature, level, upgradeType })), ...(notice ? { notice } : {}) }
}

export interface FeatureUpdateResult {
  feature: string
  level: number
  /** null: done (or, with --dry-run, possible). */
  error: string | null
}

/** The tool's result lines (FeatureCommand.update), sorted by feature. */
export function renderFeatureUpdates(op: FeatureOp, results: FeatureUpdateResult[], dryRun: boolean): string {
  let out = ''
  for (const r of results) {
    if (r.error !== null) {
      const suffix = op === 'disable' ? `disable ${r.feature}` : `${op} ${r.feature} to ${r.level}`
      out += `${dryRun ? 'Can not ' : 'Could not '}${suffix}. ${r.error}\n`
    } else {
      const obj = op === 'disable' ? 'disabled.' : `${op}d to ${r.level}.`
      out += `${r.feature}${dryRun ? ' can be ' : ' was '}${obj}\n`
    }
  }
  return out
}

export interface FeatureDescription {
  feature: string
  supportedMinVersion: number
  supportedMaxVersion: number
  finalizedVersionLevel: number
  epoch: number | null
}

/** `describe`: one line per supported feature, sorted by name. */
export function renderFeatureDescribe(features: FeatureDescription[]): string {
  return features
    .map((f) =>
      javaFormat(
        '%-40s  SupportedMinVersion: %-15s  SupportedMaxVersion: %-15s  FinalizedVersionLevel: %-15s  Epoch: %s',
        f.feature,
        levelToString(f.feature, f.supportedMinVersion),
        levelToString(f.feature, f.supportedMaxVersion),
        levelToString(f.feature, f.finalizedVersionLevel),
        f.epoch === null ? '-' : String(f.epoch),
      ),
    )
    .map((line) => `Feature: ${line}\n`)
    .join('')
}
