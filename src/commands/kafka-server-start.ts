import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { parseKeyValues } from '../util/properties.js'
import { startServer, type ServerStartResult } from '../runtime/foreground.js'

export default class KafkaServerStart extends KafkitCommand<typeof KafkaServerStart> {
  static override summary = 'Run one Kafka server from a properties file, like kafka-server-start.sh.'
  static override description = `Runs in the foreground (Ctrl-C stops it) unless --daemon. Without a file, a single-node KRaft config is generated.
Unformatted KRaft storage is formatted with a new cluster id first, which the script would refuse.
Uses KAFKA_HOME, else a kafkit-installed Kafka (installing the default version if none).`
  static override examples = [
    '<%= config.bin %> kafka-server-start config/server.properties',
    '<%= config.bin %> kafka-server-start config/server.properties --override log.dirs=/tmp/k1 --override node.id=1',
    '<%= config.bin %> kafka-server-start --daemon',
  ]
  static override args = { properties: Args.string({ description: 'server.properties file.' }) }
  static override flags = {
    override: Flags.string({
      description: 'Override a property: key=value (repeatable), as the script accepts.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    daemon: Flags.boolean({ description: 'Run in the background; output goes to a kafkaServer.out log.' }),
    version: Flags.string({ char: 'V', description: 'Kafka version to run when KAFKA_HOME is not set.' }),
  }

  async run(): Promise<ServerStartResult> {
    const result = await startServer(
      {
        kind: 'kafka',
        propertiesFile: this.args.properties,
        overrides: parseKeyValues(this.flags.override, '--override'),
        daemon: this.flags.daemon,
        version: this.flags.version,
      },
      this.reporter,
    )
    if (result.logFile) this.log(`Kafka server started in the background: pid ${result.pid}, log ${result.logFile}`)
    // The server's own exit code (a foreground run ends when the server does), as the script's.
    return this.finish(result, result.exitCode ?? 0)
  }
}
