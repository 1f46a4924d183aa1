/**
 * Runs the live-lag loop for `consumer-groups --describe --watch` and `kafkit lag` until Ctrl-C (or --count), with the
 * terminal's normal screen and cursor restored and the connection closed on the way out (also when it fails), so
 * Ctrl-C ends with exit code 0 and no stack trace (a second Ctrl-C exits at once with 130).
 */
import { handleInterrupts } from '../signals.js'
import { LagScreen } from './screen.js'
import { watchLag, type GroupsContext } from './service.js'

export async function runWatch(
  ctx: GroupsContext,
  options: {
    groups: string[]
    allGroups?: boolean
    intervalMs: number
    count?: number
    json: boolean
  },
): Promise<undefined> {
  const screen = new LagScreen(process.stdout, { intervalMs: options.intervalMs, json: options.json })
  const controller = new AbortController()
  // A second Ctrl-C, or STOP_GRACE_MS after the first (a frame stuck in a stalled pipe), exits at once with 130.
  const interrupts = handleInterrupts({ stop: () => controller.abort(), beforeExit: () => screen.close() })
  try {
    await watchLag(
      ctx,
      {
        groups: options.groups,
        intervalMs: options.intervalMs,
        signal: controller.signal,
        ...(options.allGroups ? { allGroups: true } : {}),
        ...(options.count !== undefined ? { count: options.count } : {}),
      },
      (frame) => screen.show(frame),
    )
  } finally {
    interrupts.release()
    screen.close()
  }
  // The frames were the output (one JSON line each without a terminal); nothing more to print for --json.
  return undefined
}
