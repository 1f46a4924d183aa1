import { KafkitCommand } from '../base-command.js'
import { durationFlag, stackFlag } from '../flags.js'
import { renderUp } from '../stack/views.js'
import { DEFAULT_STOP_TIMEOUT_MS, downStack, requireState, upStack, type UpResult } from '../stack/service.js'

export default class Restart extends KafkitCommand<typeof Restart> {
  static override summary = 'Stop and start a local stack (data kept).'
  static override examples = ['<%= config.bin %> restart', '<%= config.bin %> restart --stack other']
  static override flags = {
    stack: stackFlag,
    timeout: durationFlag('How long to wait for readiness after the restart', '120s'),
  }

  async run(): Promise<UpResult> {
    requireState(this.flags.stack)
    await downStack(this.flags.stack, DEFAULT_STOP_TIMEOUT_MS, this.reporter)
    const result = await upStack(
      { stack: this.flags.stack, runtime: 'auto', timeoutMs: this.flags.timeout },
      this.reporter,
    )
    this.log(renderUp(result))
    return result
  }
}
