/**
 * Flag rules of `kafkit acls` (kafka-acls.sh, AclCommand 4.4), pure: the script's checkArgs, then the resource
 * patterns and ACL entries its flags stand for (getResourceFilter, getAcl, the --producer / --consumer conveniences,
 * validateOperation). Java builds these in HashSets, so its order of several resources or entries varies from run to
 * run (enum hash codes are identity hashes); kafkit keeps the order of the flags.
 */
import { UsageError } from '../errors.js'
import {
  CLUSTER_NAME,
  SUPPORTED_OPERATIONS,
  WILDCARD_HOST,
  entryKey,
  parseOperation,
  parsePatternType,
  parsePrincipal,
  patternKey,
  type AccessControlEntry,
  type OperationName,
  type PatternTypeName,
  type ResourcePattern,
  type ResourceTypeName,
} from './model.js'

export const ACL_ACTIONS = ['add', 'remove', 'list'] as const
export type AclAction = (typeof ACL_ACTIONS)[number]

export interface AclFlags {
  add?: boolean
  remove?: boolean
  list?: boolean
  topic?: string[]
  cluster?: boolean
  group?: string[]
  'transactional-id'?: string[]
  'delegation-token'?: string[]
  'user-principal'?: string[]
  'resource-pattern-type'?: string
  operation?: string[]
  'allow-principal'?: string[]
  'deny-principal'?: string[]
  'allow-host'?: string[]
  'deny-host'?: string[]
  principal?: string[]
  producer?: boolean
  consumer?: boolean
  idempotent?: boolean
  force?: boolean
}

/** Resource patterns with the entries to add, remove (none: every ACL of the pattern) or nothing (list). */
export interface PatternEntries {
  pattern: ResourcePattern
  entries: AccessControlEntry[]
}

export type AclRequest =
  | { action: 'add'; resources: PatternEntries[] }
  | { action: 'remove'; filters: PatternEntries[]; force: boolean }
  | { action: 'list'; filters: ResourcePattern[]; principals: string[] }

const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })

const has = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false)

/** CommandLineUtils.checkInvalidArgs' wording. */
function checkInvalid(f: AclFlags, used: keyof AclFlags, invalid: Array<keyof AclFlags>): void {
  if (!has(f[used])) return
  const clash = invalid.find((o) => has(f[o]))
  if (clash) throw usage(`Option "[${used}]" can't be used with option "[${clash}]"`)
}

/** AclCommandOptions.checkArgs, in its order. */
export function checkAclFlags(f: AclFlags): AclAction {
  const actions = ACL_ACTIONS.filter((a) => f[a])
  if (actions.length !== 1)
    throw new UsageError('Command must include exactly one action: --list, --add, --remove.', { code: 'ONE_ACTION' })
  checkInvalid(f, 'list', ['producer', 'consumer', 'allow-host', 'allow-principal', 'deny-host', 'deny-principal'])
  checkInvalid(f, 'producer', ['operation', 'deny-principal', 'deny-host'])
  checkInvalid(f, 'consumer', ['operation', 'deny-principal', 'deny-host'])
  if (has(f.principal) && !f.list) throw usage('The --principal option is only available if --list is set')
  if (f.producer && !has(f.topic)) throw usage('With --producer you must specify a --topic')
  if (f.idempotent && !f.producer) throw usage('The --idempotent option is only available if --producer is set')
  if (f.consumer && (!has(f.topic) || !has(f.group) || (!f.producer && (f.cluster || has(f['transactional-id'])))))
    throw usage(
      'With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.',
    )
  return actions[0]!
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>()
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item)
  return [...seen.values()]
}

/** getResourceFilter: the patterns (filters for --list / --remove) of the resource flags, in the script's order. */
export function resourcePatterns(f: AclFlags, patternType: PatternTypeName, required: boolean): ResourcePattern[] {
  const patterns: ResourcePattern[] = []
  const add = (resourceType: ResourceTypeName, values: string[] | undefined, trim = true) => {
    for (const v of values ?? []) patterns.push({ resourceType, name: trim ? v.trim() : v, patternType })
  }
  add('TOPIC', f.topic)
  if (patternType === 'LITERAL' && (f.cluster || f.idempotent))
    patterns.push({ resourceType: 'CLUSTER', name: CLUSTER_NAME, patternType: 'LITERAL' })
  add('GROUP', f.group)
  // The script trims every resource name but transactional ids.
  add('TRANSACTIONAL_ID', f['transactional-id'], false)
  add('DELEGATION_TOKEN', f['delegation-token'])
  add('USER', f['user-principal'])
  if (patterns.length === 0 && required)
    throw usage(
      'You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>',
    )
  return uniqueBy(patterns, patternKey)
}

/** getAcl: every allowed principal x operation x host, then every denied one. */
export function aclEntries(f: AclFlags, operations: OperationName[]): AccessControlEntry[] {
  const principals = (values?: string[]) => uniqueBy((values ?? []).map(parsePrincipal), (p) => p)
  const hosts = (hostValues: string[] | undefined, principalValues: string[] | undefined) =>
    has(hostValues)
      ? uniqueBy(
          hostValues!.map((h) => h.trim()),
          (h) => h,
        )
      : has(principalValues)
        ? [WILDCARD_HOST]
        : []
  const entries: AccessControlEntry[] = []
  const expand = (ps: string[], hs: string[], permissionType: 'ALLOW' | 'DENY') => {
    for (const principal of ps)
      for (const operation of operations)
        for (const host of hs) entries.push({ principal, host, operation, permissionType })
  }
  expand(principals(f['allow-principal']), hosts(f['allow-host'], f['allow-principal']), 'ALLOW')
  expand(principals(f['deny-principal']), hosts(f['deny-host'], f['deny-principal']), 'DENY')
  return uniqueBy(entries, entryKey)
}

/** getResourceFilterToAcls: the CLI's own ACLs, or the --producer / --consumer ones (both may be given). */
export function patternEntries(f: AclFlags, patternType: PatternTypeName): PatternEntries[] {
  const patterns = resourcePatterns(f, patternType, true)
  const result = new Map<string, PatternEntries>()
  const put = (pattern: ResourcePattern, entries: AccessControlEntry[], merge = false) => {
    const key = patternKey(pattern)
    const existing = merge ? (result.get(key)?.entries ?? []) : []
    result.set(key, { pattern, entries: uniqueBy([...existing, ...entries], entryKey) })
  }
  if (!f.producer && !f.consumer) {
    const operations = uniqueBy((f.operation?.length ? f.operation : ['All']).map(parseOperation), (o) => o)
    const entries = aclEntries(f, operations)
    for (const pattern of patterns) put(pattern, entries)
  }
  if (f.producer) {
    for (const p of patterns.filter((p) => p.resourceType === 'TOPIC'))
      put(p, aclEntries(f, ['WRITE', 'DESCRIBE', 'CREATE']))
    for (const p of patterns.filter((p) => p.resourceType === 'TRANSACTIONAL_ID'))
      put(p, aclEntries(f, ['WRITE', 'DESCRIBE']))
    if (f.idempotent)
      put({ resourceType: 'CLUSTER', name: CLUSTER_NAME, patternType: 'LITERAL' }, aclEntries(f, ['IDEMPOTENT_WRITE']))
  }
  if (f.consumer) {
    for (const p of patterns.filter((p) => p.resourceType === 'TOPIC'))
      put(p, aclEntries(f, ['READ', 'DESCRIBE']), true)
    for (const p of patterns.filter((p) => p.resourceType === 'GROUP')) put(p, aclEntries(f, ['READ']), true)
  }
  const all = [...result.values()]
  for (const { pattern, entries } of all) {
    const valid = [...(SUPPORTED_OPERATIONS[pattern.resourceType] ?? []), 'ALL']
    if (entries.some((e) => !valid.includes(e.operation)))
      throw usage(`ResourceType ${pattern.resourceType} only supports operations [${valid.join(', ')}]`)
  }
  return all
}

/** The request the flags stand for, after checkAclFlags. */
export function aclRequest(f: AclFlags): AclRequest {
  const action = checkAclFlags(f)
  const patternType = parsePatternType(f['resource-pattern-type'] ?? 'literal')
  if (action === 'list')
    return {
      action,
      filters: resourcePatterns(f, patternType, false),
      principals: uniqueBy((f.principal ?? []).map(parsePrincipal), (p) => p),
    }
  if (action === 'add') {
    if (patternType !== 'LITERAL' && patternType !== 'PREFIXED')
      throw usage(`A '--resource-pattern-type' value of '${patternType}' is not valid when adding acls.`)
    const resources = patternEntries(f, patternType)
    if (resources.some((r) => r.entries.length === 0))
      throw usage('You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.')
    return { action, resources }
  }
  return { action, filters: patternEntries(f, patternType), force: Boolean(f.force) }
}
