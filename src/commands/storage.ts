import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'

const SUBCOMMANDS = ['random-uuid', 'info', 'format', 'version-mapping', 'feature-dependencies'] as const

interface StorageResult {
  command: (typeof SUBCOMMANDS)[number]
  uuid?: string
  info?: import('../kraft/storage.js').StorageInfo
  kafkaVersion?: string
  text?: string
}

export default class Storage extends KafkitCommand<typeof Storage> {
  static override aliases = ['kafka-storage', 'kafka-storage.sh']
  static override deprecateAliases = false
  static override summary = 'KRaft storage for hand-made setups, like kafka-storage.sh: random-uuid, format, info.'
  static override description = `Takes kafka-storage.sh's subcommands and flags (Kafka 4.4). random-uuid and info are kafkit's own; format runs Kafka's own StorageTool (from KAFKA_HOME, else the newest Kafka kafkit installed), because the bootstrap metadata it writes must be exactly what that Kafka's broker reads. kafkit up formats its own stacks: this is for servers you configure yourself, following Kafka's quickstart.
version-mapping and feature-dependencies are the same as kafkit features'.`
  static override examples = [
    '<%= config.bin %> storage random-uuid',
    '<%= config.bin %> storage format -t "$(kafkit storage random-uuid)" -c config/server.properties --standalone',
    '<%= config.bin %> storage info -c config/server.properties',
    '<%= config.bin %> kafka-storage.sh format --cluster-id q1Sh-9_ISia_zwGINzRvyQ --config server.properties --ignore-formatted',
  ]

  static override args = {
    command: Args.string({ description: 'Subcommand.', required: true, options: [...SUBCOMMANDS] }),
  }

  static override flags = {
    config: Flags.string({ char: 'c', description: 'format, info: the Kafka server configuration file.' }),
    'cluster-id': Flags.string({ char: 't', description: 'format: the cluster id (kafkit storage random-uuid).' }),
    'add-scram': Flags.string({
      char: 'S',
      description: "format: a SCRAM credential, e.g. 'SCRAM-SHA-256=[name=alice,password=alice-secret]' (repeatable).",
      multiple: true,
      multipleNonGreedy: true,
    }),
    'ignore-formatted': Flags.boolean({ char: 'g', description: 'format: skip directories already formatted.' }),
    'release-version': Flags.string({
      char: 'r',
      description: 'format, version-mapping: the release version (4.4, 3.9-IV0 ...).',
    }),
    feature: Flags.string({
      char: 'f',
      description: 'format: a feature level, feature=level (repeatable); feature-dependencies: the feature to look up.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    standalone: Flags.boolean({
      char: 's',
      description: 'format: a single-controller dynamic quorum (no controller.quorum.voters).',
      exclusive: ['no-initial-controllers', 'initial-controllers'],
    }),
    'no-initial-controllers': Flags.boolean({
      char: 'N',
      description: 'format: a node of a dynamic quorum formatted without the voter set.',
      exclusive: ['standalone', 'initial-controllers'],
    }),
    'initial-controllers': Flags.string({
      char: 'I',
      description: 'format: the initial dynamic quorum, id@host:port:directory-id,...',
      exclusive: ['standalone', 'no-initial-controllers'],
    }),
  }

  async run(): Promise<StorageResult> {
    const f = this.flags
    const command = this.args.command as StorageResult['command']
    const [{ UsageError, KafkitError }, storage] = await Promise.all([
      import('../errors.js'),
      import('../kraft/storage.js'),
    ])
    const print = (text: string) => {
      if (!this.jsonEnabled()) process.stdout.write(text)
    }
    switch (command) {
      case 'random-uuid': {
        const uuid = storage.randomUuid()
        print(`${uuid}\n`)
        return { command, uuid }
      }
      case 'version-mapping':
      case 'feature-dependencies': {
        const features = await import('../kraft/features.js')
        if (command === 'feature-dependencies' && !f.feature)
          throw new UsageError('feature-dependencies needs --feature feature=level.', { code: 'BAD_FLAGS' })
        const text =
          command === 'version-mapping'
            ? features.renderVersionMapping(features.versionMapping(f['release-version']))
            : features.featureDependencies(f.feature ?? [])
        print(text)
        return { command, text }
      }
      case 'info': {
        if (!f.config) throw new UsageError('info needs --config (-c) server.properties.', { code: 'BAD_FLAGS' })
        const info = storage.storageInfo(storage.storageConfig(f.config))
        print(storage.renderStorageInfo(info))
        return this.finish({ command, info }, info.problems.length > 0 ? 1 : 0)
      }
      default: {
        if (!f.config || !f['cluster-id'])
          throw new UsageError('format needs --cluster-id (-t) and --config (-c).', { code: 'BAD_FLAGS' })
        const args = [
          '--cluster-id',
          f['cluster-id'],
          '--config',
          f.config,
          ...(f['add-scram'] ?? []).flatMap((s) => ['--add-scram', s]),
          ...(f['ignore-formatted'] ? ['--ignore-formatted'] : []),
          ...(f['release-version'] ? ['--release-version', f['release-version']] : []),
          ...(f.feature ?? []).flatMap((s) => ['--feature', s]),
          ...(f.standalone ? ['--standalone'] : []),
          ...(f['no-initial-controllers'] ? ['--no-initial-controllers'] : []),
          ...(f['initial-controllers'] ? ['--initial-controllers', f['initial-controllers']] : []),
        ]
        const result = await storage.formatStorage(args)
        print(result.stdout)
        if (result.exitCode !== 0) {
          const lines = `${result.stderr}\n${result.stdout}`
            .split('\n')
            .filter((l) => l.trim() && !l.startsWith('SLF4J'))
          throw new KafkitError(lines[0] ?? `Kafka's StorageTool failed (exit ${result.exitCode}).`, {
            code: 'FORMAT_FAILED',
            details: lines.slice(1, 8),
          })
        }
        return { command, kafkaVersion: result.kafkaVersion, text: result.stdout }
      }
    }
  }
}
