/**
 * `configs` flags → one validated request, with kafka-configs.sh's rules and messages: the entity from
 * --entity-type/--entity-name/--entity-default or the short forms --topic/--broker/--broker-defaults,
 * and --add-config's list syntax (`k1=v1,k2=[a,b],k3=v3`). Pure.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'
import { parseProperties } from '../util/properties.js'
import { validateTopicName } from '../topics/names.js'

export type EntityType = 'topics' | 'brokers'

export interface Entity {
  type: EntityType
  /** Topic name or broker id; undefined: every entity of the type (describe only); '' : the broker defaults. */
  name?: string
}

interface ConfigsFlags {
  describe?: boolean
  alter?: boolean
  all?: boolean
  'entity-type'?: string
  'entity-name'?: string
  'entity-default'?: boolean
  topic?: string
  broker?: string
  'broker-defaults'?: boolean
  'add-config'?: string
  'add-config-file'?: string
  'delete-config'?: string[]
}

export type ConfigsRequest =
  | { action: 'describe'; entity: Entity; all: boolean }
  | { action: 'alter'; entity: Entity & { name: string }; set: Record<string, string>; delete: string[] }

const SUPPORTED: EntityType[] = ['topics', 'brokers']
const SCRIPT_TYPES = ['clients', 'users', 'broker-loggers', 'ips', 'client-metrics', 'groups']

const usage = (message: string, code = 'BAD_CONFIGS_ARGS') => new UsageError(message, { code })

export function resolveEntity(flags: ConfigsFlags): Entity {
  const generic = flags['entity-type'] !== undefined || flags['entity-name'] !== undefined || flags['entity-default']
  const specific = flags.topic !== undefined || flags.broker !== undefined || flags['broker-defaults']
  if (generic && specific)
    throw usage(
      '--entity-{type,name,default} should not be used in conjunction with specific entity flags (--topic, --broker, --broker-defaults).',
      'CONFLICTING_FLAGS',
    )
  if (specific) {
    const given = [
      flags.topic !== undefined && 'topics',
      (flags.broker !== undefined || flags['broker-defaults']) && 'brokers',
    ].filter(Boolean)
    if (given.length > 1 || (flags.broker !== undefined && flags['broker-defaults']))
      throw usage('Give one entity: --topic, --broker or --broker-defaults.', 'CONFLICTING_FLAGS')
    if (flags.topic !== undefined) return { type: 'topics', name: validateTopicName(flags.topic) }
    return { type: 'brokers', name: flags['broker-defaults'] ? '' : brokerId(flags.broker!) }
  }
  const type = flags['entity-type']
  if (type === undefined)
    throw usage(
      'At least one entity type must be specified: --entity-type topics|brokers (or --topic NAME, --broker ID).',
      'MISSING_ENTITY',
    )
  if (!(SUPPORTED as string[]).includes(type)) {
    if (SCRIPT_TYPES.includes(type))
      throw usage(
        `Entity type ${type} is not supported by kafkit configs (topics and brokers are); use kafka-configs.sh for it.`,
        'UNSUPPORTED_ENTITY',
      )
    throw usage(`Invalid entity type ${type}, the entity type must be one of topics, brokers.`, 'BAD_ENTITY_TYPE')
  }
  if (flags['entity-default'] && flags['entity-name'] !== undefined)
    throw usage('Give either --entity-name or --entity-default, not both.', 'CONFLICTING_FLAGS')
  if (type === 'topics') {
    if (flags['entity-default'])
      throw usage(
        '--entity-default is for brokers; topics have no default entity (broker-level defaults: --entity-type brokers --entity-default).',
        'CONFLICTING_FLAGS',
      )
    return {
      type: 'topics',
      name: flags['entity-name'] === undefined ? undefined : validateTopicName(flags['entity-name']),
    }
  }
  if (flags['entity-default']) return { type: 'brokers', name: '' }
  return { type: 'brokers', name: flags['entity-name'] === undefined ? undefined : brokerId(flags['entity-name']) }
}

function brokerId(value: string): string {
  if (!/^-?\d+$/.test(value.trim()))
    throw usage(`The entity name for brokers must be a valid integer broker id, but it is: ${value}`, 'BAD_BROKER_ID')
  return String(Number(value.trim()))
}

/**
 * `--add-config`: pairs separated by commas, except commas inside [...], which group a list value
 * (`cleanup.policy=[compact,delete]` sets "compact,delete"). Like the script, brackets are then dropped.
 */
export function parseAddConfig(value: string): Record<string, string> {
  const invalid = () =>
    usage(
      `Invalid --add-config "${value}": all configs to be added must be in the format "key=val" or "key=[val1,val2]" to group values which contain commas.`,
      'BAD_CONFIG',
    )
  const result: Record<string, string> = {}
  for (const pair of splitOutsideBrackets(value, ',')) {
    const parts = splitOutsideBrackets(pair, '=')
    if (parts.length !== 2) throw invalid()
    const key = parts[0]!.trim()
    if (!key) throw invalid()
    result[key] = parts[1]!.replace(/[[\]]/g, '').trim()
  }
  checkKeys(Object.keys(result))
  return result
}

function splitOutsideBrackets(text: string, separator: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const ch of text) {
    if (ch === '[') depth++
    else if (ch === ']') depth = Math.max(0, depth - 1)
    if (ch === separator && depth === 0) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts
}

function checkKeys(keys: string[]): void {
  for (const key of keys)
    if (!/^[$a-zA-Z0-9._-]*$/.test(key)) throw usage(`Invalid character found for config key: ${key}`, 'BAD_CONFIG')
}

/** `--delete-config k1,k2` (repeatable). */
export function parseDeleteConfig(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((k) => k.trim())
    .filter(Boolean)
}

export function resolveConfigsRequest(
  flags: ConfigsFlags,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ConfigsRequest {
  if (flags.describe && flags.alter)
    throw usage(
      'Conflicting actions --describe and --alter: the command must include exactly one action: --describe, --alter.',
      'CONFLICTING_FLAGS',
    )
  const altering =
    flags['add-config'] !== undefined ||
    flags['add-config-file'] !== undefined ||
    (flags['delete-config']?.length ?? 0) > 0
  // Friendlier than the script: the action may be left out; config changes imply --alter, else --describe.
  const action = flags.alter || (!flags.describe && altering) ? 'alter' : 'describe'
  const entity = resolveEntity(flags)
  if (action === 'describe') {
    if (altering)
      throw usage(
        'Options --add-config, --add-config-file and --delete-config go with --alter, not --describe.',
        'CONFLICTING_FLAGS',
      )
    return { action, entity, all: Boolean(flags.all) }
  }
  if (flags.all) throw usage('Option --all goes with --describe, not --alter.', 'CONFLICTING_FLAGS')
  if (entity.name === undefined) {
    throw usage(
      entity.type === 'topics'
        ? 'An entity name must be specified with --alter of topics: --entity-name NAME or --topic NAME.'
        : 'An entity-name or default entity must be specified with --alter of brokers: --entity-name ID, --broker ID or --entity-default.',
      'MISSING_ENTITY',
    )
  }
  if (flags['add-config'] !== undefined && flags['add-config-file'] !== undefined)
    throw usage('Only one of --add-config or --add-config-file must be specified.', 'CONFLICTING_FLAGS')
  if (!altering)
    throw usage(
      'At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter.',
      'MISSING_CHANGES',
    )
  let set: Record<string, string> = {}
  if (flags['add-config'] !== undefined) set = parseAddConfig(flags['add-config'])
  if (flags['add-config-file'] !== undefined) {
    let text: string
    try {
      text = readFile(flags['add-config-file'])
    } catch {
      throw usage(`Cannot read --add-config-file ${flags['add-config-file']}.`, 'NO_SUCH_FILE')
    }
    set = parseProperties(text)
    checkKeys(Object.keys(set))
  }
  const remove = parseDeleteConfig(flags['delete-config'])
  const both = remove.filter((k) => k in set)
  if (both.length > 0) throw usage(`Config ${both.join(', ')} is both added and deleted.`, 'CONFLICTING_FLAGS')
  return { action, entity: { type: entity.type, name: entity.name }, set, delete: remove }
}
