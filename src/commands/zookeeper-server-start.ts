import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { startServer, type ServerStartResult } from '../runtime/foreground.js'

export default class ZookeeperServerStart extends KafkitCommand<typeof ZookeeperServerStart> {
  static override summary = 'Run ZooKeeper from a properties file, like zookeeper-server-start.sh (Kafka 3.x).'
  static override description =
    'Runs in the foreground unless --daemon. Without a file, a local config (127.0.0.1:2181) is generated. Uses the ZooKeeper bundled with a Kafka 3.x distribution.'
  static override examples = [
    '<%= config.bin %> zookeeper-server-start config/zookeeper.properties',
    '<%= config.bin %> zookeeper-server-start --daemon',
  ]
  static override args = { properties: Args.string({ description: 'zookeeper.properties file.' }) }
  static override flags = {
    daemon: Flags.boolean({ description: 'Run in the background; output goes to a zookeeper.out log.' }),
    version: Flags.string({
      char: 'V',
      description: 'Kafka 3.x version whose ZooKeeper to run (default: newest installed 3.x, else 3.9.2).',
    }),
  }

  async run(): Promise<ServerStartResult> {
    const result = await startServer(
      {
        kind: 'zookeeper',
        propertiesFile: this.args.properties,
        overrides: {},
        daemon: this.flags.daemon,
        version: this.flags.version,
      },
      this.reporter,
    )
    if (result.logFile) this.log(`ZooKeeper started in the background: pid ${result.pid}, log ${result.logFile}`)
    // The server's own exit code (a foreground run ends when the server does), as the script's.
    return this.finish(result, result.exitCode ?? 0)
  }
}
