import { Args } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { durationFlag, stackFlag } from '../../flags.js'
import { startBroker, type BrokerResult } from '../../stack/service.js'

export default class BrokerStart extends KafkitCommand<typeof BrokerStart> {
  static override summary = 'Start one stopped broker of a running stack again and wait until it is back.'
  static override examples = ['<%= config.bin %> broker start 2']
  static override args = { id: Args.integer({ description: 'Broker id (1..N).', required: true }) }
  static override flags = { stack: stackFlag, timeout: durationFlag('How long to wait for the broker', '120s') }

  async run(): Promise<BrokerResult> {
    const result = await startBroker(this.flags.stack, this.args.id, this.flags.timeout, this.reporter)
    this.log(
      result.result === 'already-running'
        ? `Broker ${result.broker} is already running.`
        : `Broker ${result.broker} (${result.name}) is back.`,
    )
    return result
  }
}
