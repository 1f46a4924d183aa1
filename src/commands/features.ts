import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { FEATURE_FLAGS, bootstrapOf, checkSubcommandFlags } from '../kraft/options.js'
import type { VersionMapping } from '../kraft/features.js'
import type { FeaturesDescribeResult, FeaturesUpdateResult } from '../kraft/service.js'

type FeaturesResult = FeaturesDescribeResult | FeaturesUpdateResult | VersionMapping | { text: string }

export default class Features extends KafkitCommand<typeof Features> {
  static override aliases = ['kafka-features', 'kafka-features.sh']
  static override deprecateAliases = false
  static override summary =
    'Describe, upgrade, downgrade and disable feature flags (metadata.version ...), like kafka-features.sh.'
  static override description = `Takes kafka-features.sh's subcommands and flags (Kafka 4.4) and prints what it prints.
describe: supported and finalized levels (ApiVersions of one node: --node-id, else any). upgrade / downgrade: --release-version X (every feature to that release's level), --metadata X (deprecated) or --feature f=level (repeatable); disable --feature f; --dry-run validates only; --unsafe allows lossy downgrades. A failed update exits 1 after printing every result.
version-mapping [--release-version X] and feature-dependencies --feature f=level read Kafka 4.4's own tables (MetadataVersion, Feature), with no cluster.`
  static override examples = [
    '<%= config.bin %> features describe',
    '<%= config.bin %> features upgrade --release-version 4.4 --dry-run',
    '<%= config.bin %> features downgrade --feature group.version=0 --dry-run',
    '<%= config.bin %> features version-mapping --release-version 3.9',
    '<%= config.bin %> kafka-features.sh --bootstrap-server localhost:9092 feature-dependencies --feature eligible.leader.replicas.version=1',
  ]

  static override args = {
    command: Args.string({
      description: 'Subcommand.',
      required: true,
      options: Object.keys(FEATURE_FLAGS),
    }),
  }

  static override flags = {
    ...connectionFlags,
    'bootstrap-controller': Flags.string({
      description: 'KRaft controllers to connect to, host:port[,host:port] (instead of --bootstrap-server).',
      helpGroup: 'CONNECTION',
    }),
    'node-id': Flags.integer({ description: 'describe: the node to ask (default: any).', min: 0 }),
    'release-version': Flags.string({
      description: 'A release version such as 4.4 or 4.4-IV2: upgrade/downgrade every feature to its levels there.',
    }),
    metadata: Flags.string({ description: 'DEPRECATED: the metadata.version to set, such as 3.9-IV0.' }),
    feature: Flags.string({
      description: 'feature=level (upgrade, downgrade, feature-dependencies) or a feature name (disable); repeatable.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'dry-run': Flags.boolean({ description: 'Validate the change without making it.' }),
    unsafe: Flags.boolean({ description: 'Allow a downgrade that may lose metadata.' }),
  }

  async run(): Promise<FeaturesResult> {
    const f = this.flags
    const command = this.args.command
    checkSubcommandFlags('features', command, FEATURE_FLAGS, f)
    const features = await import('../kraft/features.js')
    if (command === 'version-mapping') {
      const mapping = features.versionMapping(f['release-version'])
      if (!this.jsonEnabled()) process.stdout.write(features.renderVersionMapping(mapping))
      return mapping
    }
    if (command === 'feature-dependencies') {
      if (!f.feature)
        throw new (await import('../errors.js')).UsageError('feature-dependencies needs --feature feature=level.', {
          code: 'BAD_FLAGS',
        })
      const text = features.featureDependencies(f.feature)
      if (!this.jsonEnabled()) process.stdout.write(text)
      return { text }
    }

    const bootstrap = bootstrapOf(f)
    const ctx = {
      connection: connectionFromFlags({ ...f, 'bootstrap-server': bootstrap.server }),
      controllers: bootstrap.controllers,
      reporter: this.reporter,
      debug: this.debugEnabled,
    }
    const service = await import('../kraft/service.js')
    if (command === 'describe') {
      const result = await service.describeFeatures(ctx, f['node-id'])
      if (!this.jsonEnabled()) process.stdout.write(features.renderFeatureDescribe(result.features))
      return result
    }
    const op = command as 'upgrade' | 'downgrade' | 'disable'
    const result = await service.updateFeatures(
      ctx,
      op,
      {
        ...(f.metadata !== undefined ? { metadata: f.metadata } : {}),
        ...(f.feature !== undefined ? { feature: f.feature } : {}),
        ...(f['release-version'] !== undefined ? { releaseVersion: f['release-version'] } : {}),
        unsafe: f.unsafe,
      },
      f['dry-run'],
    )
    if (!this.jsonEnabled())
      process.stdout.write((result.notice ?? '') + features.renderFeatureUpdates(op, result.results, result.dryRun))
    if (result.failed > 0) {
      process.stderr.write(`${result.failed} out of ${result.results.length} operation(s) failed.\n`)
      return this.finish(result, 1)
    }
    return result
  }
}
