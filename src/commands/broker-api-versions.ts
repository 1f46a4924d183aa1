import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import type { ApiVersionsResult } from '../kraft/service.js'

export default class BrokerApiVersions extends KafkitCommand<typeof BrokerApiVersions> {
  static override aliases = ['kafka-broker-api-versions', 'kafka-broker-api-versions.sh']
  static override deprecateAliases = false
  static override summary = "Every broker's API version ranges, like kafka-broker-api-versions.sh."
  static override description = `Prints what kafka-broker-api-versions.sh prints: per broker, each API's version range and the newest version kafkit would use ("usable": kafkit's own range is its protocol codec's, Kafka 4.4's), and UNSUPPORTED for broker APIs the broker lacks.
Kafka 4.x also has \`kafka-cluster.sh api-versions\` (kafkit cluster api-versions), which can ask controllers too; both are kept.`
  static override examples = [
    '<%= config.bin %> broker-api-versions',
    '<%= config.bin %> kafka-broker-api-versions.sh --bootstrap-server localhost:9092',
  ]

  static override flags = { ...connectionFlags }

  async run(): Promise<ApiVersionsResult> {
    const [service, views] = await Promise.all([import('../kraft/service.js'), import('../kraft/views.js')])
    const result = await service.apiVersions(
      {
        connection: connectionFromFlags(this.flags),
        controllers: false,
        reporter: this.reporter,
        debug: this.debugEnabled,
      },
      'hashmap',
    )
    if (!this.jsonEnabled()) process.stdout.write(views.renderApiVersions(result.nodes))
    return result
  }
}
