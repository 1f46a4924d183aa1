/**
 * Kafka's ACL vocabulary as kafka-acls.sh (AclCommand, Kafka 4.4) names, parses and prints it: the enums' protocol
 * codes, SecurityUtils' operation and principal parsing, AclEntry.supportedOperations, and the toString of
 * ResourcePattern, ResourcePatternFilter, AccessControlEntry and AclBinding that the script's output is made of. Pure.
 */
import { UsageError } from '../errors.js'

/** Java's ResourceType, by protocol code. */
export const RESOURCE_TYPES = [
  'UNKNOWN',
  'ANY',
  'TOPIC',
  'GROUP',
  'CLUSTER',
  'TRANSACTIONAL_ID',
  'DELEGATION_TOKEN',
  'USER',
] as const
export type ResourceTypeName = (typeof RESOURCE_TYPES)[number]

/** Java's PatternType, by protocol code. */
export const PATTERN_TYPES = ['UNKNOWN', 'ANY', 'MATCH', 'LITERAL', 'PREFIXED'] as const
export type PatternTypeName = (typeof PATTERN_TYPES)[number]

/** Java's AclOperation, by protocol code (TWO_PHASE_COMMIT is KIP-939's, Kafka 4.x). */
export const OPERATIONS = [
  'UNKNOWN',
  'ANY',
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
  'CREATE_TOKENS',
  'DESCRIBE_TOKENS',
  'TWO_PHASE_COMMIT',
] as const
export type OperationName = (typeof OPERATIONS)[number]

/** Java's AclPermissionType, by protocol code. */
export const PERMISSION_TYPES = ['UNKNOWN', 'ANY', 'DENY', 'ALLOW'] as const
export type PermissionTypeName = (typeof PERMISSION_TYPES)[number]

export const code = {
  resourceType: (name: ResourceTypeName) => RESOURCE_TYPES.indexOf(name),
  patternType: (name: PatternTypeName) => PATTERN_TYPES.indexOf(name),
  operation: (name: OperationName) => OPERATIONS.indexOf(name),
  permissionType: (name: PermissionTypeName) => PERMISSION_TYPES.indexOf(name),
}

const nameOf = <T extends readonly string[]>(names: T, id: number): T[number] => names[id] ?? names[0]!

export const names = {
  resourceType: (id: number): ResourceTypeName => nameOf(RESOURCE_TYPES, id),
  patternType: (id: number): PatternTypeName => nameOf(PATTERN_TYPES, id),
  operation: (id: number): OperationName => nameOf(OPERATIONS, id),
  permissionType: (id: number): PermissionTypeName => nameOf(PERMISSION_TYPES, id),
}

/** The name of the cluster resource (Resource.CLUSTER_NAME). */
export const CLUSTER_NAME = 'kafka-cluster'
export const WILDCARD_HOST = '*'

/** AclEntry.supportedOperations (Kafka 4.4), ALL added as AclCommand.validateOperation does. */
export const SUPPORTED_OPERATIONS: Partial<Record<ResourceTypeName, OperationName[]>> = {
  TOPIC: ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DELETE', 'ALTER', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  GROUP: ['READ', 'DESCRIBE', 'DELETE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  CLUSTER: ['CREATE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'ALTER', 'DESCRIBE'],
  TRANSACTIONAL_ID: ['DESCRIBE', 'WRITE', 'TWO_PHASE_COMMIT'],
  DELEGATION_TOKEN: ['DESCRIBE'],
  USER: ['CREATE_TOKENS', 'DESCRIBE_TOKENS'],
}

/** SecurityUtils.operationName: READ -> Read, IDEMPOTENT_WRITE -> IdempotentWrite. */
export function pascalCase(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}

/** The operations --operation accepts, as the script's help lists them (AclEntry.ACL_OPERATIONS). */
export const OPERATION_CHOICES = OPERATIONS.filter((o) => o !== 'UNKNOWN' && o !== 'ANY').map(pascalCase)

/**
 * SecurityUtils.operation: `Read` or `READ`, `IdempotentWrite` or `IDEMPOTENTWRITE`. kafkit also takes the enum's
 * own spelling (`IDEMPOTENT_WRITE`, `idempotent-write`), and names an unknown operation instead of answering with the
 * script's "ResourceType TOPIC only supports operations ..." for it.
 */
export function parseOperation(text: string): OperationName {
  const key = text.trim().toUpperCase().replace(/[-_]/g, '')
  const found = OPERATIONS.find((o) => o !== 'UNKNOWN' && o !== 'ANY' && o.replace(/_/g, '') === key)
  if (!found)
    throw new UsageError(`Unknown --operation "${text}".`, {
      code: 'BAD_OPERATION',
      suggestions: [`Valid operations: ${OPERATION_CHOICES.join(', ')}.`],
    })
  return found
}

/** The script's EnumConverter: any|match|literal|prefixed, in any case. */
export function parsePatternType(text: string): PatternTypeName {
  const found = PATTERN_TYPES.find((p) => p !== 'UNKNOWN' && p === text.trim().toUpperCase())
  if (!found)
    throw new UsageError(`Unknown resource-pattern-type: ${text}`, {
      code: 'BAD_PATTERN_TYPE',
      suggestions: ['Use one of: any, match, literal, prefixed.'],
    })
  return found
}

/** SecurityUtils.parseKafkaPrincipal: `Type:name`, split at the first colon; KafkaPrincipal.toString joins them back. */
export function parsePrincipal(text: string): string {
  const value = text.trim()
  const colon = value.indexOf(':')
  if (value === '' || colon < 0)
    throw new UsageError(`expected a string in format principalType:principalName but got ${value}`, {
      code: 'BAD_PRINCIPAL',
      suggestions: ['Write principals as User:alice (User:* for every user).'],
    })
  return value
}

export interface ResourcePattern {
  resourceType: ResourceTypeName
  name: string
  patternType: PatternTypeName
}

export interface AccessControlEntry {
  principal: string
  host: string
  operation: OperationName
  permissionType: PermissionTypeName
}

export interface AclBinding {
  pattern: ResourcePattern
  entry: AccessControlEntry
}

/** ResourcePattern.toString (ResourcePatternFilter's reads the same, `<any>` for a null name). */
export function patternText(p: { resourceType: string; name: string | null; patternType: string }): string {
  return `ResourcePattern(resourceType=${p.resourceType}, name=${p.name ?? '<any>'}, patternType=${p.patternType})`
}

/** AccessControlEntry.toString. */
export function entryText(e: AccessControlEntry): string {
  return `(principal=${e.principal}, host=${e.host}, operation=${e.operation}, permissionType=${e.permissionType})`
}

/** AclBinding.toString. */
export function bindingText(b: AclBinding): string {
  return `(pattern=${patternText(b.pattern)}, entry=${entryText(b.entry)})`
}

export const patternKey = (p: ResourcePattern) => `${p.resourceType}\u0000${p.patternType}\u0000${p.name}`
export const entryKey = (e: AccessControlEntry) =>
  `${e.principal}\u0000${e.host}\u0000${e.operation}\u0000${e.permissionType}`
