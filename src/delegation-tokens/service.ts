/**
 * What `kafkit delegation-tokens` does (kafka-delegation-tokens.sh 4.4) on kafkit's own client: create, renew,
 * expire and describe delegation tokens (KIP-48). Brokers answer these only on an authenticated SASL or mutual-TLS
 * connection and only with delegation.token.secret.key set; those refusals are explained here.
 */
import { KafkaProtocolError } from '../client/errors.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type { DelegationTokenData } from '../cluster/security-admin.js'
import { decodeHmac, principalText, type TokenRequest } from './options.js'

export interface TokensContext {
  connection: ConnectionSettings
  reporter: Reporter
  requestTimeoutMs?: number
  debug?: boolean
}

export interface TokenView {
  tokenId: string
  /** Base64, as the script prints it and takes it back with --hmac. */
  hmac: string
  owner: string
  requester: string
  renewers: string[]
  issueTimestamp: number
  expiryTimestamp: number
  maxTimestamp: number
}

export interface TokenCreateResult {
  action: 'create'
  renewers: string[]
  maxLifetimeMs: number
  token: TokenView
}

export interface TokenExpiryResult {
  action: 'renew' | 'expire'
  hmac: string
  periodMs: number
  expiryTimestamp: number
}

export interface TokenDescribeResult {
  action: 'describe'
  owners: string[]
  tokens: TokenView[]
}

export type TokenResult = TokenCreateResult | TokenExpiryResult | TokenDescribeResult

export function tokenView(t: DelegationTokenData): TokenView {
  return {
    tokenId: t.tokenId,
    hmac: t.hmac.toString('base64'),
    owner: principalText(t.owner),
    requester: principalText(t.requester),
    renewers: t.renewers.map(principalText),
    issueTimestamp: t.issueTimestamp,
    expiryTimestamp: t.expiryTimestamp,
    maxTimestamp: t.maxTimestamp,
  }
}

function explain(error: unknown): never {
  if (error instanceof KafkaProtocolError) {
    if (error.type === 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED')
      throw new KafkitError(error.message, {
        code: 'TOKEN_REQUEST_NOT_ALLOWED',
        suggestions: [
          'Connect to a SASL (or mutual TLS) listener with credentials: --bootstrap-server <sasl listener> --command-config <client properties with sasl.*>.',
        ],
        cause: error,
      })
    if (error.type === 'DELEGATION_TOKEN_AUTH_DISABLED')
      throw new KafkitError(error.message, {
        code: 'TOKEN_AUTH_DISABLED',
        suggestions: ['The brokers need delegation.token.secret.key (the same on every broker and controller).'],
        cause: error,
      })
  }
  throw error
}

export async function runTokens(ctx: TokensContext, request: TokenRequest): Promise<TokenResult> {
  const hmac = request.action === 'renew' || request.action === 'expire' ? decodeHmac(request.hmac) : undefined
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
    async (client): Promise<TokenResult> => {
      try {
        if (request.action === 'create') {
          const token = await admin.createDelegationToken(client, request)
          return {
            action: 'create',
            renewers: request.renewers.map(principalText),
            maxLifetimeMs: request.maxLifetimeMs,
            token: tokenView(token),
          }
        }
        if (request.action === 'renew' || request.action === 'expire') {
          const expiryTimestamp =
            request.action === 'renew'
              ? await admin.renewDelegationToken(client, hmac!, request.periodMs)
              : await admin.expireDelegationToken(client, hmac!, request.periodMs)
          return { action: request.action, hmac: request.hmac, periodMs: request.periodMs, expiryTimestamp }
        }
        // The script sends an empty owner list without --owner-principal, which brokers answer with no token at
        // all; kafkit asks for every token the caller may describe, as the script's help says it does.
        const tokens = await admin.describeDelegationTokens(client, request.owners.length ? request.owners : null)
        return { action: 'describe', owners: request.owners.map(principalText), tokens: tokens.map(tokenView) }
      } catch (error) {
        explain(error)
      }
    },
  )
}
