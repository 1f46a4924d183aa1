import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { durationFlag, stackFlag } from '../../flags.js'
import { stopBroker, type BrokerResult } from '../../stack/service.js'

export default class BrokerStop extends KafkitCommand<typeof BrokerStop> {
  static override summary = 'Stop one broker of a running stack (for failover experiments).'
  static override examples = ['<%= config.bin %> broker stop 2']
  static override args = { id: Args.integer({ description: 'Broker id (1..N).', required: true }) }
  static override flags = {
    stack: stackFlag,
    timeout: durationFlag('How long the broker gets to shut down before SIGKILL', '30s'),
  }

  async run(): Promise<BrokerResult> {
    const result = await stopBroker(this.flags.stack, this.args.id, this.flags.timeout, this.reporter)
    this.log(
      result.result === 'not-running'
        ? `Broker ${result.broker} was not running.`
        : `Stopped broker ${result.broker} (${result.name}).`,
    )
    return result
  }
}
