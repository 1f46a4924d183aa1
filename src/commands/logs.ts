import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { stackFlag } from '../flags.js'
import { handleInterrupts } from '../signals.js'
import { showLogs, type LogsResult } from '../stack/log-service.js'

export default class Logs extends KafkitCommand<typeof Logs> {
  static override summary = "Show a stack's process logs (all processes, or one), optionally following them."
  static override examples = [
    '<%= config.bin %> logs',
    '<%= config.bin %> logs kafka-1 -n 100',
    '<%= config.bin %> logs broker-2 -f',
  ]
  static override args = {
    process: Args.string({
      description: 'Process name as shown by `kafkit status` (kafka-1, broker-2, controller-1, zookeeper).',
    }),
  }
  static override flags = {
    stack: stackFlag,
    follow: Flags.boolean({ char: 'f', description: 'Keep printing new lines until Ctrl-C.' }),
    lines: Flags.integer({ char: 'n', description: 'How many lines to show from the end.', default: 50 }),
  }

  async run(): Promise<LogsResult> {
    const controller = new AbortController()
    // A second Ctrl-C, or STOP_GRACE_MS after the first (output stuck in a stalled pipe), exits at once with 130.
    const interrupts = handleInterrupts({ stop: () => controller.abort() })
    try {
      return await showLogs({
        stack: this.flags.stack,
        process: this.args.process,
        lines: this.flags.lines,
        follow: this.flags.follow,
        json: this.jsonEnabled(),
        signal: controller.signal,
        write: (text) => process.stdout.write(text),
      })
    } finally {
      interrupts.release()
    }
  }
}
