import { Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import {
  DEFAULT_KAFKA_VERSION,
  installKafka,
  listInstalled,
  type InstallResult,
  type InstalledDistribution,
} from '../../install/index.js'
import { DEFAULT_ZOOKEEPER_KAFKA_VERSION } from '../../model/versions.js'
import { renderTable } from '../../output/table.js'
import { distributionsDir } from '../../paths.js'

export default class InstallKafka extends KafkitCommand<typeof InstallKafka> {
  static override summary = "Install a Kafka distribution into kafkit's cache."

  static override description = `Downloads the official Apache tarball (verified against its published SHA-512), or assembles the same jars with Maven, or adopts a distribution you already have. Installed versions are shared by all stacks and live in \`$KAFKIT_CACHE/kafka\` (default: the kafka/ directory of kafkit's home).

Installing a version that is already installed does nothing unless --force is given. Installs are atomic: a failed or interrupted install leaves nothing behind.`

  static override examples = [
    {
      description: `Install the default Kafka (${DEFAULT_KAFKA_VERSION}) from Apache.`,
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Install the last ZooKeeper-capable line.',
      command: `<%= config.bin %> <%= command.id %> --version ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`,
    },
    {
      description: 'Assemble Kafka from Maven Central (needs mvn).',
      command: `<%= config.bin %> <%= command.id %> --source maven -V ${DEFAULT_KAFKA_VERSION}`,
    },
    {
      description: 'Adopt a tarball or unpacked directory you already have.',
      command: `<%= config.bin %> <%= command.id %> --source ~/Downloads/kafka_2.13-${DEFAULT_ZOOKEEPER_KAFKA_VERSION}.tgz`,
    },
    { description: 'List installed distributions.', command: '<%= config.bin %> <%= command.id %> --list' },
  ]

  static override flags = {
    version: Flags.string({
      char: 'V',
      summary: `Kafka version to install (default ${DEFAULT_KAFKA_VERSION}).`,
      description: 'With --source <path> the version is read from the distribution; if given, it must match.',
    }),
    source: Flags.string({
      summary: 'Where to get Kafka: apache, maven, or the path of an unpacked distribution or .tgz.',
      default: 'apache',
    }),
    mirror: Flags.string({
      summary:
        'Apache mirror base URL, laid out as <mirror>/<version>/kafka_2.13-<version>.tgz (env: KAFKIT_APACHE_MIRROR).',
    }),
    'maven-repo': Flags.string({
      summary: 'Maven repository URL to resolve from instead of Maven Central (env: KAFKIT_MAVEN_REPO).',
    }),
    force: Flags.boolean({ summary: 'Reinstall even if the version is already installed.', default: false }),
    list: Flags.boolean({ summary: 'List installed distributions instead of installing.', default: false }),
  }

  public async run(): Promise<InstallResult | InstalledDistribution[]> {
    if (this.flags.list) return this.list()
    const result = await installKafka(
      {
        version: this.flags.version,
        source: this.flags.source,
        mirror: this.flags.mirror,
        repository: this.flags['maven-repo'],
        force: this.flags.force,
      },
      this.reporter,
    )
    this.log(
      result.alreadyInstalled
        ? `Kafka ${result.version} already installed (${result.source}) at ${result.home}`
        : `Installed Kafka ${result.version} (${result.source}) at ${result.home}`,
    )
    return result
  }

  private list(): InstalledDistribution[] {
    const installed = listInstalled()
    if (installed.length === 0) {
      this.log(`No Kafka distributions installed in ${distributionsDir()}. Run \`${this.config.bin} install kafka\`.`)
      return installed
    }
    const yesNo = (value: boolean) => (value ? 'yes' : 'no')
    this.log(
      renderTable(
        ['VERSION', 'SOURCE', 'ZOOKEEPER', 'KRAFT', 'PATH'],
        installed.map((d) => [d.version, d.source, yesNo(d.supportsZooKeeper), yesNo(d.supportsKraft), d.home]),
      ),
    )
    return installed
  }
}
