import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { connectionFromFlags } from '../connection/settings.js'
import { connectionFlags } from '../flags.js'
import { durationFlag, optionalDurationFlag } from '../flags.js'

export default class Lag extends KafkitCommand<typeof Lag> {
  static override summary =
    'Watch consumer lag live: committed and end offsets, produce and consume rates, time to catch up.'
  static override description = `Short form of consumer-groups --describe --watch. Without GROUP, every consumer group (new ones appear as they are created).
On a terminal the screen is redrawn in place every --interval, fitted to the terminal (largest lag first, the rest
folded), with the group's state and members joining or leaving;
otherwise one JSON line per interval. Rates are measured over the last five intervals (at least 10 s). Ctrl-C stops.`
  static override examples = [
    '<%= config.bin %> lag orders-app',
    '<%= config.bin %> lag --interval 1s',
    '<%= config.bin %> lag orders-app --count 3 > lag.jsonl',
  ]
  static override args = { group: Args.string({ description: 'Consumer group (default: all groups).' }) }
  static override flags = {
    ...connectionFlags,
    interval: durationFlag('Refresh interval', '2s', { min: 1 }),
    count: Flags.integer({ description: 'Stop after this many refreshes.', min: 1 }),
    timeout: optionalDurationFlag('Request timeout; also how long the first connection may take (else 3s)', { min: 1 }),
  }

  async run(): Promise<undefined> {
    const { runWatch } = await import('../groups/run-watch.js')
    return runWatch(
      {
        connection: connectionFromFlags(this.flags),
        stack: this.flags.stack,
        reporter: this.reporter,
        debug: this.debugEnabled,
        ...(this.flags.timeout ? { requestTimeoutMs: this.flags.timeout } : {}),
      },
      {
        groups: this.args.group ? [this.args.group] : [],
        intervalMs: this.flags.interval,
        ...(this.flags.count !== undefined ? { count: this.flags.count } : {}),
        json: this.jsonEnabled(),
      },
    )
  }
}
