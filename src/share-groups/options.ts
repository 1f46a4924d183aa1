/** Flag rules of `kafkit share-groups` (and the state names `kafkit streams-groups` shares), pure. */
import { UsageError } from '../errors.js'

/** GroupState.groupStatesForType(SHARE), in the order the script's message names them. */
export const SHARE_GROUP_STATES = ['Empty', 'Stable', 'Dead']
/** GroupState.groupStatesForType(STREAMS), as kafka-streams-groups.sh's help lists them. */
export const STREAMS_GROUP_STATES = ['Empty', 'NotReady', 'Stable', 'Assigning', 'Reconciling', 'Dead']

/** `--state stable,empty` → Kafka's state names (case-insensitive, as GroupState.parse reads them). */
export function parseGroupStates(value: string, valid: string[]): string[] {
  const states = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return [
    ...new Set(
      states.map((s) => {
        const found = valid.find((known) => known.toLowerCase() === s.toLowerCase())
        if (!found)
          throw new UsageError(`Invalid state list '${value}'. Valid states are: ${valid.join(', ')}`, {
            code: 'BAD_STATE',
          })
        return found
      }),
    ),
  ]
}

export const SHARE_ACTIONS = ['list', 'describe', 'reset-offsets', 'delete-offsets', 'delete', 'undo-reset'] as const
export type ShareAction = (typeof SHARE_ACTIONS)[number]

export interface ShareFlagSet {
  group?: string[]
  'all-groups'?: boolean
  topic?: string[]
  'all-topics'?: boolean
  members?: boolean
  offsets?: boolean
  state?: string
  'from-file'?: string
  'dry-run'?: boolean
  execute?: boolean
  export?: boolean
  verbose?: boolean
  yes?: boolean
}

/** The one action given, and the script's rules about which flags go with it (checked before connecting). */
export function checkShareFlags(actions: ShareAction[], f: ShareFlagSet): ShareAction {
  if (actions.length !== 1) {
    throw new UsageError(
      `Command must include exactly one action: ${SHARE_ACTIONS.map((a) => `--${a}`).join(', ')}${actions.length > 1 ? ` (got ${actions.map((a) => `--${a}`).join(' and ')})` : ''}.`,
      { code: 'ONE_ACTION' },
    )
  }
  const action = actions[0]!
  const groups = f.group ?? []
  const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })
  if (groups.length > 0 && f['all-groups']) throw usage('Use either --group or --all-groups, not both.')
  if ((f.topic?.length ?? 0) > 0 && action !== 'reset-offsets' && action !== 'delete-offsets')
    throw usage('--topic goes with --reset-offsets or --delete-offsets.')
  if (action !== 'describe' && (f.members || f.offsets || f.verbose))
    throw usage('--members, --offsets and --verbose go with --describe.')
  switch (action) {
    case 'describe':
      if (groups.length === 0 && !f['all-groups'])
        throw usage('Option [describe] takes one of these options: [all-groups], [group]')
      if ([f.members, f.offsets, f.state !== undefined].filter(Boolean).length > 1)
        throw usage('Option [describe] takes at most one of these options: [members], [offsets], [state]')
      if (f.state) throw usage('Option [describe] does not take a value for [state]')
      break
    case 'delete':
      if (groups.length === 0 && !f['all-groups'])
        throw usage('Option [delete] takes the options [group] or [all-groups].')
      break
    case 'delete-offsets':
      if (groups.length !== 1 || (f.topic?.length ?? 0) === 0)
        throw usage('Option [delete-offsets] takes one [group] and at least one [topic].')
      break
    case 'reset-offsets': {
      if (f.execute && f['dry-run']) throw usage('Option [reset-offsets] only accepts one of [execute] and [dry-run]')
      if (groups.length !== 1)
        throw usage('Option [reset-offsets] takes one [group] (share groups are reset one at a time).')
      const scopes = [(f.topic?.length ?? 0) > 0, f['all-topics'], f['from-file'] !== undefined].filter(Boolean).length
      if (scopes === 0)
        throw usage('Option [reset-offsets] takes one of these options: [all-topics], [from-file], [topic]')
      if (scopes > 1) throw usage('Choose one scope for [reset-offsets]: [all-topics], [from-file] or [topic].')
      break
    }
    case 'undo-reset':
      if (groups.length > 1) throw usage('--undo-reset takes at most one --group.')
      break
    case 'list':
      break
  }
  if (action !== 'reset-offsets' && action !== 'undo-reset' && (f.execute || f['dry-run']))
    throw usage('--execute and --dry-run go with --reset-offsets or --undo-reset.')
  if (action !== 'reset-offsets' && f.export) throw usage('--export goes with --reset-offsets.')
  return action
}
