/** Flag rules of `kafkit streams-groups` (kafka-streams-groups.sh's --list and --describe), pure. */
import { UsageError } from '../errors.js'

export const STREAMS_ACTIONS = ['list', 'describe'] as const
export type StreamsAction = (typeof STREAMS_ACTIONS)[number]

export function checkStreamsFlags(
  actions: StreamsAction[],
  f: {
    group?: string[]
    'all-groups'?: boolean
    members?: boolean
    offsets?: boolean
    state?: string
    verbose?: boolean
  },
): StreamsAction {
  if (actions.length !== 1)
    throw new UsageError(
      `Command must include exactly one action: --list, --describe${actions.length > 1 ? ' (got both)' : ''}.`,
      {
        code: 'ONE_ACTION',
        suggestions: [
          "Resetting, deleting offsets and deleting streams groups are kafka-streams-groups.sh's for now (kafkit does --list and --describe).",
        ],
      },
    )
  const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })
  const groups = f.group ?? []
  if (groups.length > 0 && f['all-groups']) throw usage('Use either --group or --all-groups, not both.')
  if (actions[0] === 'list') {
    if (f.members || f.offsets || f.verbose || groups.length > 0 || f['all-groups'])
      throw usage('--list takes only --state.')
    return 'list'
  }
  if (groups.length === 0 && !f['all-groups'])
    throw usage('Option [describe] takes one of these options: [all-groups], [group]')
  if ([f.members, f.offsets, f.state !== undefined].filter(Boolean).length > 1)
    throw usage('Option [describe] takes at most one of these options: [members], [offsets], [state]')
  if (f.state) throw usage('Option [describe] does not take a value for [state]')
  return 'describe'
}
