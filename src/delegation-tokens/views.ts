/**
 * kafka-delegation-tokens.sh's text (DelegationTokenCommand 4.4), byte for byte: its "Calling ..." lines, the
 * printf table (`%n%-15s %-30s %-15s %-15s %-25s %-15s %-15s %-15s%n` per row, a blank line before each) and dates as
 * SimpleDateFormat("yyyy-MM-dd'T'HH:mm") writes them in the local time zone. "Completed ... New expiry date" and
 * "Total number of tokens" end without a line break, as in the script. Pure.
 */
import type { TokenCreateResult, TokenDescribeResult, TokenExpiryResult, TokenView } from './service.js'

const pad = (text: string, width: number) => text.padEnd(width)
const two = (n: number) => String(n).padStart(2, '0')

/** SimpleDateFormat("yyyy-MM-dd'T'HH:mm") in the JVM's (here: the process's) time zone. */
export function tokenDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`
}

const row = (cells: string[]) => {
  const widths = [15, 30, 15, 15, 25, 15, 15, 15]
  return `\n${cells.map((c, i) => pad(c, widths[i]!)).join(' ')}\n`
}

/** Java's List.toString of principals. */
const list = (items: string[]) => `[${items.join(', ')}]`

export function renderTokens(tokens: TokenView[]): string {
  return (
    row(['TOKENID', 'HMAC', 'OWNER', 'REQUESTER', 'RENEWERS', 'ISSUEDATE', 'EXPIRYDATE', 'MAXDATE']) +
    tokens
      .map((t) =>
        row([
          t.tokenId,
          t.hmac,
          t.owner,
          t.requester,
          list(t.renewers),
          tokenDate(t.issueTimestamp),
          tokenDate(t.expiryTimestamp),
          tokenDate(t.maxTimestamp),
        ]),
      )
      .join('')
  )
}

export function renderCreate(result: TokenCreateResult): string {
  return (
    `Calling create token operation with renewers :${list(result.renewers)} , max-life-time-period :${result.maxLifetimeMs}\n` +
    `Created delegation token with tokenId : ${result.token.tokenId}\n` +
    renderTokens([result.token])
  )
}

export function renderExpiry(result: TokenExpiryResult): string {
  const verb = result.action === 'renew' ? 'renew' : 'expire'
  const period = result.action === 'renew' ? 'renew-time-period' : 'expire-time-period'
  return (
    `Calling ${verb} token operation with hmac :${result.hmac} , ${period} :${result.periodMs}\n` +
    `Completed ${verb} operation. New expiry date : ${tokenDate(result.expiryTimestamp)}`
  )
}

export function renderDescribe(result: TokenDescribeResult): string {
  return (
    (result.owners.length === 0
      ? 'Calling describe token operation for current user.\n'
      : `Calling describe token operation for owners: ${list(result.owners)}\n`) +
    `Total number of tokens : ${result.tokens.length}` +
    renderTokens(result.tokens)
  )
}
