import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../../base-command.js'
import { connectFlags } from '../../flags.js'
import type { RestartResult } from '../../connect/service.js'

export default class ConnectRestart extends KafkitCommand<typeof ConnectRestart> {
  static override summary =
    'Restart a connector (and its tasks with --include-tasks, only failed ones with --only-failed).'
  static override examples = [
    '<%= config.bin %> connect restart local-file-source',
    '<%= config.bin %> connect restart local-file-source --include-tasks --only-failed',
    '<%= config.bin %> connect restart local-file-source --task 0',
  ]
  static override args = { name: Args.string({ description: 'Connector name.', required: true }) }
  static override flags = {
    ...connectFlags,
    'include-tasks': Flags.boolean({ description: "Restart the connector's tasks too.", default: false }),
    'only-failed': Flags.boolean({ description: 'Restart only what is FAILED.', default: false }),
    task: Flags.integer({ description: 'Restart only this task.', exclusive: ['include-tasks', 'only-failed'] }),
  }

  async run(): Promise<RestartResult> {
    const { restartConnector } = await import('../../connect/service.js')
    const result = await restartConnector(this.flags, this.args.name, {
      includeTasks: this.flags['include-tasks'],
      onlyFailed: this.flags['only-failed'],
      task: this.flags.task,
    })
    this.log(
      this.flags.task === undefined
        ? `Restarting connector ${result.name}.`
        : `Restarting task ${this.flags.task} of connector ${result.name}.`,
    )
    return result
  }
}
