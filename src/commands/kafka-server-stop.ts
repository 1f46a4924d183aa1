import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { durationFlag } from '../flags.js'
import { stopServers, type ServerStopResult } from '../runtime/foreground.js'

export default class KafkaServerStop extends KafkitCommand<typeof KafkaServerStop> {
  static override summary = 'Stop Kafka servers running on this machine, like kafka-server-stop.sh.'
  static override description =
    'Sends SIGTERM to every local kafka.Kafka process (including kafkit stacks), or only those matching --process-role / --node-id. Exits 1 with "No kafka server to stop" when none runs, like the script.'
  static override examples = ['<%= config.bin %> kafka-server-stop', '<%= config.bin %> kafka-server-stop --node-id 2']
  static override flags = {
    'process-role': Flags.string({
      description: 'Only servers with this KRaft role.',
      options: ['broker', 'controller'],
    }),
    'node-id': Flags.integer({ description: 'Only the server with this node.id / broker.id.' }),
    timeout: durationFlag('How long to wait for each server to exit before SIGKILL', '30s'),
  }

  async run(): Promise<ServerStopResult> {
    const result = await stopServers(
      'kafka',
      { processRole: this.flags['process-role'], nodeId: this.flags['node-id'] },
      this.flags.timeout,
    )
    this.log(`Stopped ${result.stopped.length} Kafka server(s): pid ${result.stopped.map((s) => s.pid).join(', ')}`)
    return result
  }
}
