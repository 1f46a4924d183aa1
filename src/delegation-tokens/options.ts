/** Flag rules of `kafkit delegation-tokens` (kafka-delegation-tokens.sh, DelegationTokenCommand 4.4), pure. */
import { UsageError } from '../errors.js'
import type { PrincipalParts } from '../cluster/security-admin.js'

export const TOKEN_ACTIONS = ['create', 'renew', 'expire', 'describe'] as const
export type TokenAction = (typeof TOKEN_ACTIONS)[number]

export interface TokenFlags {
  create?: boolean
  renew?: boolean
  expire?: boolean
  describe?: boolean
  'owner-principal'?: string[]
  'renewer-principal'?: string[]
  'max-life-time-period'?: number
  'renew-time-period'?: number
  'expiry-time-period'?: number
  hmac?: string
}

export type TokenRequest =
  | { action: 'create'; renewers: PrincipalParts[]; owner?: PrincipalParts; maxLifetimeMs: number }
  | { action: 'renew'; hmac: string; periodMs: number }
  | { action: 'expire'; hmac: string; periodMs: number }
  | { action: 'describe'; owners: PrincipalParts[] }

const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })
const given = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false)

/** SecurityUtils.parseKafkaPrincipal: Type:name, split at the first colon. */
export function parsePrincipalParts(text: string): PrincipalParts {
  const value = text.trim()
  const colon = value.indexOf(':')
  if (colon < 0)
    throw new UsageError(`expected a string in format principalType:principalName but got ${value}`, {
      code: 'BAD_PRINCIPAL',
      suggestions: ['Write principals as User:alice.'],
    })
  return { type: value.slice(0, colon), name: value.slice(colon + 1) }
}

export const principalText = (p: PrincipalParts) => `${p.type}:${p.name}`

/** The script's checks (exactly one action, checkRequiredArgs, checkInvalidArgs), then the request. */
export function tokenRequest(f: TokenFlags): TokenRequest {
  const actions = TOKEN_ACTIONS.filter((a) => f[a])
  if (actions.length !== 1)
    throw new UsageError('Command must include exactly one action: --create, --renew, --expire or --describe', {
      code: 'ONE_ACTION',
    })
  const action = actions[0]!
  const required = (...names: Array<keyof TokenFlags>) => {
    for (const name of names) if (!given(f[name])) throw usage(`Missing required argument "[${name}]"`)
  }
  const invalid = (...names: Array<keyof TokenFlags>) => {
    for (const name of names)
      if (given(f[name])) throw usage(`Option "[${action}]" can't be used with option "[${name}]"`)
  }
  if (action === 'create') {
    required('max-life-time-period')
    invalid('hmac', 'renew-time-period', 'expiry-time-period')
    const owners = (f['owner-principal'] ?? []).map(parsePrincipalParts)
    return {
      action,
      renewers: (f['renewer-principal'] ?? []).map(parsePrincipalParts),
      ...(owners[0] ? { owner: owners[0] } : {}),
      maxLifetimeMs: f['max-life-time-period']!,
    }
  }
  if (action === 'renew') {
    required('hmac', 'renew-time-period')
    invalid('renewer-principal', 'max-life-time-period', 'expiry-time-period', 'owner-principal')
    return { action, hmac: f.hmac!, periodMs: f['renew-time-period']! }
  }
  if (action === 'expire') {
    required('hmac', 'expiry-time-period')
    invalid('max-life-time-period', 'renew-time-period', 'owner-principal')
    return { action, hmac: f.hmac!, periodMs: f['expiry-time-period']! }
  }
  invalid('renew-time-period', 'max-life-time-period', 'hmac', 'expiry-time-period')
  return { action, owners: (f['owner-principal'] ?? []).map(parsePrincipalParts) }
}

/** The token's HMAC as the script takes it (Base64); a value that is not Base64 is a usage error, not a decode crash. */
export function decodeHmac(text: string): Buffer {
  const value = text.trim()
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1)
    throw new UsageError(`--hmac "${text}" is not Base64 (the HMAC --create and --describe print).`, {
      code: 'BAD_HMAC',
    })
  return Buffer.from(value, 'base64')
}
