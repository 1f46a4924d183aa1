import { KafkitCommand } from '../base-command.js'
import { stackFlag } from '../flags.js'
import { renderStatus } from '../output/stack-views.js'
import { stackStatus, type StatusResult } from '../stack/service.js'

export default class Status extends KafkitCommand<typeof Status> {
  static override summary = 'Show the processes of a local stack and the cluster as Kafka reports it.'
  static override description = 'Per process: role, node id, pid, port, alive, uptime. Then the cluster id, controller and brokers from a Metadata request. Stale pids are detected and cleaned.'
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json']
  static override flags = { stack: stackFlag }

  async run(): Promise<StatusResult> {
    const status = await stackStatus(this.flags.stack, this.reporter)
    this.log(renderStatus(status))
    return status
  }
}
