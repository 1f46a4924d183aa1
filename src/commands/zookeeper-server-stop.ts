import { KafkitCommand } from '../base-command.js'
import { durationFlag } from '../flags.js'
import { stopServers, type ServerStopResult } from '../runtime/foreground.js'

export default class ZookeeperServerStop extends KafkitCommand<typeof ZookeeperServerStop> {
  static override summary = 'Stop ZooKeeper servers running on this machine, like zookeeper-server-stop.sh.'
  static override examples = ['<%= config.bin %> zookeeper-server-stop']
  static override flags = { timeout: durationFlag('How long to wait before SIGKILL', '30s') }

  async run(): Promise<ServerStopResult> {
    const result = await stopServers('zookeeper', {}, this.flags.timeout)
    this.log(`Stopped ${result.stopped.length} ZooKeeper server(s): pid ${result.stopped.map((s) => s.pid).join(', ')}`)
    return result
  }
}
