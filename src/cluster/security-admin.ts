/**
 * The requests behind kafka-acls.sh, kafka-delegation-tokens.sh and kafka-client-metrics.sh, on kafkit's own client:
 * CreateAcls, DescribeAcls, DeleteAcls; Create/Renew/Expire/DescribeDelegationToken; ListConfigResources (v0 was
 * ListClientMetricsResources). Java's admin client sends all of them to any broker (the least loaded), so do we.
 * Answers come back as plain data; a request-level Kafka error is thrown as KafkaProtocolError, per-item errors are
 * returned beside the data so the caller can word them.
 */
import type { KafkaClient } from '../client/kafka-client.js'
import { check } from '../client/errors.js'
import { CreateAcls } from '../protocol/messages/create-acls.js'
import { CreateDelegationToken } from '../protocol/messages/create-delegation-token.js'
import { DeleteAcls } from '../protocol/messages/delete-acls.js'
import { DescribeAcls } from '../protocol/messages/describe-acls.js'
import { DescribeDelegationToken } from '../protocol/messages/describe-delegation-token.js'
import { ExpireDelegationToken } from '../protocol/messages/expire-delegation-token.js'
import { ListConfigResources } from '../protocol/messages/list-config-resources.js'
import { RenewDelegationToken } from '../protocol/messages/renew-delegation-token.js'

// ---------------------------------------------------------------- ACLs

/** An ACL binding with the protocol's codes (Java's ResourceType, PatternType, AclOperation, AclPermissionType). */
export interface AclBindingCodes {
  resourceType: number
  resourceName: string
  patternType: number
  principal: string
  host: string
  operation: number
  permissionType: number
}

/** A binding filter: null name, principal or host match any; code 1 (ANY) matches any type, pattern, op, permission. */
export interface AclFilterCodes {
  resourceType: number
  resourceName: string | null
  patternType: number
  principal: string | null
  host: string | null
  operation: number
  permissionType: number
}

export async function describeAcls(client: KafkaClient, filter: AclFilterCodes): Promise<AclBindingCodes[]> {
  const answer = await client.send('any', DescribeAcls, {
    resourceTypeFilter: filter.resourceType,
    resourceNameFilter: filter.resourceName,
    patternTypeFilter: filter.patternType,
    principalFilter: filter.principal,
    hostFilter: filter.host,
    operation: filter.operation,
    permissionType: filter.permissionType,
  })
  check(answer.errorCode, 'DescribeAcls', answer.errorMessage)
  return answer.resources.flatMap((r) =>
    r.acls.map((a) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      patternType: r.patternType,
      principal: a.principal,
      host: a.host,
      operation: a.operation,
      permissionType: a.permissionType,
    })),
  )
}

/** CreateAcls of some bindings; throws the first binding's error, as Java's `createAcls(...).all().get()` does. */
export async function createAcls(client: KafkaClient, bindings: AclBindingCodes[]): Promise<void> {
  if (bindings.length === 0) return
  const answer = await client.send('any', CreateAcls, {
    creations: bindings.map((b) => ({
      resourceType: b.resourceType,
      resourceName: b.resourceName,
      resourcePatternType: b.patternType,
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permissionType: b.permissionType,
    })),
  })
  for (const result of answer.results) check(result.errorCode, 'CreateAcls', result.errorMessage)
}

/** DeleteAcls of some filters; answers the bindings deleted. */
export async function deleteAcls(client: KafkaClient, filters: AclFilterCodes[]): Promise<AclBindingCodes[]> {
  if (filters.length === 0) return []
  const answer = await client.send('any', DeleteAcls, {
    filters: filters.map((f) => ({
      resourceTypeFilter: f.resourceType,
      resourceNameFilter: f.resourceName,
      patternTypeFilter: f.patternType,
      principalFilter: f.principal,
      hostFilter: f.host,
      operation: f.operation,
      permissionType: f.permissionType,
    })),
  })
  const deleted: AclBindingCodes[] = []
  for (const result of answer.filterResults) {
    check(result.errorCode, 'DeleteAcls', result.errorMessage)
    for (const m of result.matchingAcls) {
      check(m.errorCode, 'DeleteAcls', m.errorMessage)
      deleted.push({
        resourceType: m.resourceType,
        resourceName: m.resourceName,
        patternType: m.patternType,
        principal: m.principal,
        host: m.host,
        operation: m.operation,
        permissionType: m.permissionType,
      })
    }
  }
  return deleted
}

// ---------------------------------------------------------------- delegation tokens

export interface PrincipalParts {
  type: string
  name: string
}

export interface DelegationTokenData {
  tokenId: string
  hmac: Buffer
  owner: PrincipalParts
  requester: PrincipalParts
  renewers: PrincipalParts[]
  issueTimestamp: number
  expiryTimestamp: number
  maxTimestamp: number
}

export async function createDelegationToken(
  client: KafkaClient,
  options: { renewers: PrincipalParts[]; owner?: PrincipalParts; maxLifetimeMs: number },
): Promise<DelegationTokenData> {
  const answer = await client.send('any', CreateDelegationToken, {
    ownerPrincipalType: options.owner?.type ?? null,
    ownerPrincipalName: options.owner?.name ?? null,
    renewers: options.renewers.map((r) => ({ principalType: r.type, principalName: r.name })),
    maxLifetimeMs: BigInt(options.maxLifetimeMs),
  })
  check(answer.errorCode, 'CreateDelegationToken')
  return {
    tokenId: answer.tokenId,
    hmac: answer.hmac,
    owner: { type: answer.principalType, name: answer.principalName },
    // Before v3 the requester is the owner.
    requester: {
      type: answer.tokenRequesterPrincipalType || answer.principalType,
      name: answer.tokenRequesterPrincipalName || answer.principalName,
    },
    renewers: options.renewers,
    issueTimestamp: Number(answer.issueTimestampMs),
    expiryTimestamp: Number(answer.expiryTimestampMs),
    maxTimestamp: Number(answer.maxTimestampMs),
  }
}

/** DescribeDelegationToken: `owners` null asks for every token the caller may describe. */
export async function describeDelegationTokens(
  client: KafkaClient,
  owners: PrincipalParts[] | null,
): Promise<DelegationTokenData[]> {
  const answer = await client.send('any', DescribeDelegationToken, {
    owners: owners?.map((o) => ({ principalType: o.type, principalName: o.name })) ?? null,
  })
  check(answer.errorCode, 'DescribeDelegationToken')
  return answer.tokens.map((t) => ({
    tokenId: t.tokenId,
    hmac: t.hmac,
    owner: { type: t.principalType, name: t.principalName },
    requester: {
      type: t.tokenRequesterPrincipalType || t.principalType,
      name: t.tokenRequesterPrincipalName || t.principalName,
    },
    renewers: t.renewers.map((r) => ({ type: r.principalType, name: r.principalName })),
    issueTimestamp: Number(t.issueTimestamp),
    expiryTimestamp: Number(t.expiryTimestamp),
    maxTimestamp: Number(t.maxTimestamp),
  }))
}

/** RenewDelegationToken; answers the new expiry timestamp. */
export async function renewDelegationToken(client: KafkaClient, hmac: Buffer, periodMs: number): Promise<number> {
  const answer = await client.send('any', RenewDelegationToken, { hmac, renewPeriodMs: BigInt(periodMs) })
  check(answer.errorCode, 'RenewDelegationToken')
  return Number(answer.expiryTimestampMs)
}

/** ExpireDelegationToken; answers the new expiry timestamp. */
export async function expireDelegationToken(client: KafkaClient, hmac: Buffer, periodMs: number): Promise<number> {
  const answer = await client.send('any', ExpireDelegationToken, { hmac, expiryTimePeriodMs: BigInt(periodMs) })
  check(answer.errorCode, 'ExpireDelegationToken')
  return Number(answer.expiryTimestampMs)
}

// ---------------------------------------------------------------- config resources

/** Java's ConfigResource.Type id of client metrics subscriptions (KIP-714). */
export const CLIENT_METRICS_RESOURCE = 16

/**
 * The names of the config resources of some types (ListConfigResources, KIP-1142). v0 of the API was
 * ListClientMetricsResources: it knows client metrics only, which is what it answers.
 */
export async function listConfigResources(client: KafkaClient, types: number[]): Promise<string[]> {
  // v0 (Kafka 3.7 to 4.0) has no ResourceTypes field; its answers default to client metrics, which the filter keeps.
  const version = await client.versionOf(ListConfigResources)
  const answer = await client.send('any', ListConfigResources, { resourceTypes: version >= 1 ? types : [] }, version)
  check(answer.errorCode, 'ListConfigResources')
  return answer.configResources
    .filter((r) => types.length === 0 || types.includes(r.resourceType))
    .map((r) => r.resourceName)
}
