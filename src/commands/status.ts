import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { stackFlag } from '../flags.js'
import { renderStatus, renderStatusAll } from '../stack/views.js'
import { allStacksStatus, stackStatus, type StatusAllResult, type StatusResult } from '../stack/service.js'

export default class Status extends KafkitCommand<typeof Status> {
  static override summary = 'Show the processes of a local stack and the cluster as Kafka reports it.'
  static override description =
    'Per process: role, node id, pid, port, alive, uptime. Then the cluster id, controller and brokers from a Metadata request. Stale pids are detected and cleaned.\nWith --all: every stack, running or stopped, with its Kafka version, mode and ports.'
  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status --json',
    '<%= config.bin %> status --all',
  ]
  static override flags = {
    stack: stackFlag,
    all: Flags.boolean({ description: 'List every local stack: state (running/stopped), Kafka version, mode, ports.' }),
  }

  async run(): Promise<StatusResult | StatusAllResult> {
    if (this.flags.all) {
      const all = await allStacksStatus(this.reporter)
      this.log(renderStatusAll(all))
      return all
    }
    const status = await stackStatus(this.flags.stack, this.reporter)
    this.log(renderStatus(status))
    return status
  }
}
