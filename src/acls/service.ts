/**
 * What `kafkit acls` does (kafka-acls.sh, AclCommand 4.4) on kafkit's own client: --add describes each resource's
 * ACLs first and creates only the entries not there yet (naming the others, as 4.4 does), --remove deletes by filter
 * (each entry's exact filter, or every ACL of the filter when no principal is given) after the script's question,
 * --list describes by filter (or everything) and groups the bindings by resource.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import { KafkaProtocolError } from '../client/errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError, UsageError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type * as SecurityAdmin from '../cluster/security-admin.js'
import type { AclBindingCodes, AclFilterCodes } from '../cluster/security-admin.js'
import {
  code,
  entryKey,
  names,
  patternKey,
  type AccessControlEntry,
  type AclBinding,
  type ResourcePattern,
} from './model.js'
import type { AclRequest, PatternEntries } from './options.js'
import { removeQuestion } from './views.js'

export interface AclsContext {
  connection: ConnectionSettings
  reporter: Reporter
  requestTimeoutMs?: number
  debug?: boolean
  /** Asks the script's y/n question; absent when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>
}

/**
 * Whose kafka-acls.sh text is printed: the broker's. '3.9' (Kafka 3.9's Scala AclCommand) for a broker before Kafka
 * 4.0, so that a 3.9 command line pasted against a 3.9 cluster prints what the 3.9 script prints; '4.4' otherwise.
 */
export type AclScriptVersion = '3.9' | '4.4'

export interface AclAddResult {
  action: 'add'
  scriptVersion: AclScriptVersion
  resources: Array<{ pattern: ResourcePattern; added: AccessControlEntry[]; existing: AccessControlEntry[] }>
}

export interface AclRemoveResult {
  action: 'remove'
  filters: Array<{
    filter: ResourcePattern
    /** The entries asked for; empty: every ACL of the filter. */
    entries: AccessControlEntry[]
    /** Not confirmed at the prompt: nothing removed for this filter. */
    skipped: boolean
    removed: AclBinding[]
  }>
}

export interface AclListResult {
  action: 'list'
  scriptVersion: AclScriptVersion
  resources: PatternEntries[]
  /** With --principal: the resources again, narrowed to each principal's entries. */
  byPrincipal?: Array<{ principal: string; resources: PatternEntries[] }>
}

export type AclResult = AclAddResult | AclRemoveResult | AclListResult

const toBinding = (b: AclBindingCodes): AclBinding => ({
  pattern: {
    resourceType: names.resourceType(b.resourceType),
    name: b.resourceName,
    patternType: names.patternType(b.patternType),
  },
  entry: {
    principal: b.principal,
    host: b.host,
    operation: names.operation(b.operation),
    permissionType: names.permissionType(b.permissionType),
  },
})

const toCodes = (pattern: ResourcePattern, entry: AccessControlEntry): AclBindingCodes => ({
  resourceType: code.resourceType(pattern.resourceType),
  resourceName: pattern.name,
  patternType: code.patternType(pattern.patternType),
  principal: entry.principal,
  host: entry.host,
  operation: code.operation(entry.operation),
  permissionType: code.permissionType(entry.permissionType),
})

/** A filter on a resource pattern, for every entry (AccessControlEntryFilter.ANY) or exactly one. */
function filterCodes(pattern: ResourcePattern, entry?: AccessControlEntry): AclFilterCodes {
  return {
    resourceType: code.resourceType(pattern.resourceType),
    resourceName: pattern.name,
    patternType: code.patternType(pattern.patternType),
    principal: entry?.principal ?? null,
    host: entry?.host ?? null,
    operation: entry ? code.operation(entry.operation) : 1,
    permissionType: entry ? code.permissionType(entry.permissionType) : 1,
  }
}

const ANY_FILTER: AclFilterCodes = {
  resourceType: 1,
  resourceName: null,
  patternType: 1,
  principal: null,
  host: null,
  operation: 1,
  permissionType: 1,
}

/** Kafka's refusals, with what to do about them. */
function explain(error: unknown): never {
  if (error instanceof KafkaProtocolError) {
    if (error.type === 'SECURITY_DISABLED')
      throw new KafkitError(`${error.message}`, {
        code: 'SECURITY_DISABLED',
        suggestions: [
          'The brokers run without an authorizer: start them with authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer (kafkit up --override ...).',
        ],
        cause: error,
      })
    if (error.type === 'CLUSTER_AUTHORIZATION_FAILED')
      throw new KafkitError(error.message, {
        code: 'NOT_AUTHORIZED',
        suggestions: [
          'Managing ACLs needs ALTER (adding, removing) or DESCRIBE (listing) on the cluster, or a super user.',
        ],
        cause: error,
      })
  }
  throw error
}

async function withAdmin<T>(
  ctx: AclsContext,
  fn: (client: KafkaClient, admin: typeof SecurityAdmin) => Promise<T>,
): Promise<T> {
  const [{ withClient }, admin] = await Promise.all([
    import('../cluster/connect.js'),
    import('../cluster/security-admin.js'),
  ])
  return withClient(
    ctx.connection,
    {
      ...(ctx.debug ? { reporter: ctx.reporter } : {}),
      ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
    },
    (client) => fn(client, admin).catch(explain),
  )
}

/** Bindings grouped by resource pattern, in the order first seen, each entry once. */
export function groupByPattern(bindings: AclBinding[]): PatternEntries[] {
  const groups = new Map<string, PatternEntries>()
  for (const b of bindings) {
    const group = groups.get(patternKey(b.pattern)) ?? { pattern: b.pattern, entries: [] }
    if (!group.entries.some((e) => entryKey(e) === entryKey(b.entry))) group.entries.push(b.entry)
    groups.set(patternKey(b.pattern), group)
  }
  return [...groups.values()]
}

export async function runAcls(ctx: AclsContext, request: AclRequest): Promise<AclResult> {
  if (request.action === 'remove' && !request.force && !ctx.confirm)
    throw new UsageError('Refusing to remove ACLs without confirmation: no terminal to ask on.', {
      code: 'CONFIRMATION_REQUIRED',
      suggestions: ['Add --force to remove them without the question (kafka-acls.sh --force).'],
    })
  return withAdmin(ctx, async (client, admin): Promise<AclResult> => {
    const scriptVersion: AclScriptVersion = (await client.brokerBeforeKafka4()) ? '3.9' : '4.4'
    if (request.action === 'add') {
      const resources: AclAddResult['resources'] = []
      for (const { pattern, entries } of request.resources) {
        const present = new Set(
          (await admin.describeAcls(client, filterCodes(pattern))).map((b) => entryKey(toBinding(b).entry)),
        )
        const added = entries.filter((e) => !present.has(entryKey(e)))
        const existing = entries.filter((e) => present.has(entryKey(e)))
        await admin.createAcls(
          client,
          added.map((e) => toCodes(pattern, e)),
        )
        resources.push({ pattern, added, existing })
      }
      return { action: 'add', scriptVersion, resources }
    }
    if (request.action === 'remove') {
      const filters: AclRemoveResult['filters'] = []
      for (const { pattern, entries } of request.filters) {
        if (!request.force && !(await ctx.confirm!(removeQuestion(pattern, entries)))) {
          filters.push({ filter: pattern, entries, skipped: true, removed: [] })
          continue
        }
        const removed = await admin.deleteAcls(
          client,
          entries.length === 0 ? [filterCodes(pattern)] : entries.map((e) => filterCodes(pattern, e)),
        )
        filters.push({ filter: pattern, entries, skipped: false, removed: removed.map(toBinding) })
      }
      return { action: 'remove', filters }
    }
    const bindings: AclBinding[] = []
    for (const filter of request.filters.length > 0 ? request.filters.map((f) => filterCodes(f)) : [ANY_FILTER])
      bindings.push(...(await admin.describeAcls(client, filter)).map(toBinding))
    const resources = groupByPattern(bindings)
    if (request.principals.length === 0) return { action: 'list', scriptVersion, resources }
    return {
      action: 'list',
      scriptVersion,
      resources,
      byPrincipal: request.principals.map((principal) => ({
        principal,
        resources: resources
          .map((r) => ({ pattern: r.pattern, entries: r.entries.filter((e) => e.principal === principal) }))
          .filter((r) => r.entries.length > 0),
      })),
    }
  })
}
