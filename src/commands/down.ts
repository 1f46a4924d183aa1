import { KafkitCommand } from '../base-command.js'
import { durationFlag, stackFlag } from '../flags.js'
import { renderDown } from '../stack/views.js'
import { downStack, type DownResult } from '../stack/service.js'

export default class Down extends KafkitCommand<typeof Down> {
  static override summary = 'Stop a local stack gracefully, keeping its data.'
  static override description =
    'Sends SIGTERM to brokers, then controllers, then ZooKeeper, waits for a clean shutdown, and kills what is still running after --timeout.'
  static override examples = ['<%= config.bin %> down', '<%= config.bin %> down --stack other --timeout 10s']
  static override flags = {
    stack: stackFlag,
    timeout: durationFlag('How long each process gets to shut down before SIGKILL', '30s'),
  }

  async run(): Promise<DownResult> {
    const result = await downStack(this.flags.stack, this.flags.timeout, this.reporter)
    this.log(renderDown(result))
    return result
  }
}
