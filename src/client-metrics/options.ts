/** Flag rules of `kafkit client-metrics` (kafka-client-metrics.sh, ClientMetricsCommand 4.4, KIP-714), pure. */
import { UsageError } from '../errors.js'

export const METRICS_ACTIONS = ['alter', 'delete', 'describe', 'list'] as const
export type MetricsAction = (typeof METRICS_ACTIONS)[number]

/** The selectors --match takes (the script's help lists them; the broker checks them). */
export const MATCH_SELECTORS = [
  'client_id',
  'client_instance_id',
  'client_software_name',
  'client_software_version',
  'client_source_address',
  'client_source_port',
]

export interface MetricsFlags {
  alter?: boolean
  delete?: boolean
  describe?: boolean
  list?: boolean
  name?: string
  'generate-name'?: boolean
  interval?: string
  metrics?: string[]
  match?: string[]
}

export type MetricsRequest =
  | {
      action: 'alter'
      /** Absent with --generate-name: the service makes a UUID. */
      name?: string
      /** Config key -> value; an empty value deletes the key, as in the script. */
      changes: Array<{ key: 'interval.ms' | 'metrics' | 'match'; value: string }>
    }
  | { action: 'delete'; name: string }
  | { action: 'describe'; name?: string }
  | { action: 'list' }

const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })
const given = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false)

export function metricsRequest(f: MetricsFlags): MetricsRequest {
  const actions = METRICS_ACTIONS.filter((a) => f[a])
  if (actions.length !== 1)
    throw new UsageError('Command must include exactly one action: --alter, --delete, --describe or --list.', {
      code: 'ONE_ACTION',
    })
  const action = actions[0]!
  const invalid = (...names: Array<keyof MetricsFlags>) => {
    for (const name of names)
      if (given(f[name])) throw usage(`Option "[${action}]" can't be used with option "[${name}]"`)
  }
  if (action === 'delete' || action === 'describe') invalid('generate-name', 'interval', 'match', 'metrics')
  if (action === 'list') invalid('name', 'generate-name', 'interval', 'match', 'metrics')
  if (action === 'alter' && given(f.name) === Boolean(f['generate-name']))
    throw usage('One of --name or --generate-name must be specified with --alter.')
  if (action === 'delete' && !given(f.name))
    throw usage('A client metrics resource name must be specified with --delete.')
  if (f.interval !== undefined && f.interval.trim() !== '' && !/^-?\d+$/.test(f.interval.trim()))
    throw usage('Invalid interval value. Enter an integer, or leave empty to reset.')

  if (action === 'alter') {
    const changes: Array<{ key: 'interval.ms' | 'metrics' | 'match'; value: string }> = []
    if (f.interval !== undefined) changes.push({ key: 'interval.ms', value: f.interval.trim() })
    // The script splits these at commas and joins them back: repeated flags add up.
    if (f.metrics !== undefined) changes.push({ key: 'metrics', value: f.metrics.join(',') })
    if (f.match !== undefined) changes.push({ key: 'match', value: f.match.join(',') })
    return { action, ...(f.name !== undefined ? { name: f.name } : {}), changes }
  }
  if (action === 'delete') return { action, name: f.name! }
  if (action === 'describe') return { action, ...(f.name !== undefined ? { name: f.name } : {}) }
  return { action }
}
