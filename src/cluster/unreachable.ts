/**
 * The one error for "no Kafka answered at this address", naming where the address came from and, after a probe of
 * ./probe.ts, what is at the address instead of kafkajs's own words.
 */
import { KafkitError, errorMessage } from '../errors.js'
import { describeSource, type BootstrapServers } from '../connection/source.js'
import { KafkaProtocolError } from '../client/errors.js'
import { seconds, type ServerReport, type Verdict } from './probe.js'

export function unreachable(settings: BootstrapServers, error: unknown, reports: ServerReport[] = []): KafkitError {
  const refused = authenticationFailure(error)
  if (refused !== undefined) {
    // A broker answered and refused the credentials: not an address problem, so no "cannot reach" and no port hints.
    return new KafkitError(
      `Authentication failed at ${settings.servers.join(',')} (${describeSource(settings.source)}): ${refused}`,
      {
        code: 'AUTH_FAILED',
        cause: error,
        suggestions: [
          'Check sasl.mechanism and the username and password (sasl.jaas.config, or sasl.username / sasl.password) of the --command-config file',
        ],
      },
    )
  }
  const checkAddress =
    settings.source.kind === 'stack'
      ? ['See whether the stack runs: kafkit status', 'Start it: kafkit up']
      : ['Check the address and that the brokers are running, or use the local stack: kafkit up']
  const report = mostTelling(reports)
  if (report) {
    const { server, verdict } = report
    switch (verdict.kind) {
      case 'controller':
        return new KafkitError(`${server} is a KRaft controller port, not a broker listener`, {
          code: 'CONTROLLER_PORT',
          cause: error,
          suggestions: report.stack
            ? [`use ${report.stack.bootstrapServers}, the broker listener of stack ${report.stack.name}`]
            : [
                "Clients connect to a broker listener (listeners=PLAINTEXT://...), not to controller.listener.names: kafkit status shows a local stack's",
              ],
        })
      case 'not-kafka':
        return new KafkitError(
          `${server} answered, but not as Kafka (${verdict.looksLike ? `it looks like ${verdict.looksLike}` : `not a Kafka broker: ${verdict.detail}`})`,
          {
            code: 'NOT_KAFKA',
            cause: error,
            suggestions:
              verdict.looksLike === 'a TLS listener'
                ? [
                    'If it is a Kafka SSL listener, connect with TLS: --command-property security.protocol=SSL (or a --command-config file)',
                  ]
                : [
                    `Check the port (${describeSource(settings.source)}): a broker listener is usually 9092; kafkit status shows a local stack's`,
                  ],
          },
        )
      case 'silent':
        return unreachableError(
          settings,
          error,
          verdict.handshake
            ? `${server} accepted the connection but did not finish the TLS handshake within ${seconds(verdict.timeoutMs)}`
            : `${server} accepted the connection but did not answer Kafka's ApiVersions request within ${seconds(verdict.timeoutMs)} (a hung broker, or not Kafka)`,
          checkAddress,
        )
      case 'unreachable':
        return unreachableError(
          settings,
          error,
          reports.every((r) => r.verdict.kind === 'unreachable' && r.verdict.reason === verdict.reason)
            ? verdict.reason
            : `${server}: ${verdict.reason}`,
          checkAddress,
        )
      case 'tls-failed':
        return unreachableError(settings, error, `TLS handshake with ${server} failed: ${verdict.reason}`, [
          'Check the ssl.* settings of the --command-config file, and that the listener is an SSL one',
        ])
      case 'broker':
        break // never chosen by mostTelling: kafkajs's own error says what went wrong with a broker
    }
  }
  return unreachableError(settings, error, errorMessage(error), checkAddress)
}

function unreachableError(
  settings: BootstrapServers,
  cause: unknown,
  reason: string,
  suggestions: string[],
): KafkitError {
  return new KafkitError(
    `Cannot reach Kafka at ${settings.servers.join(',')} (${describeSource(settings.source)}): ${reason}`,
    { code: 'UNREACHABLE', cause, suggestions },
  )
}

/**
 * The report worth showing: none when any server is a broker (kafkajs's error is then about that broker: SASL, TLS,
 * metadata), else a wrong kind of server before a silent one before an unreachable one, since one mistyped port in
 * a list is the likeliest story.
 */
function mostTelling(reports: ServerReport[]): ServerReport | undefined {
  if (reports.some((r) => r.verdict.kind === 'broker')) return undefined
  const rank: Record<Verdict['kind'], number> = {
    controller: 0,
    'not-kafka': 1,
    'tls-failed': 2,
    silent: 3,
    unreachable: 4,
    broker: 5,
  }
  return [...reports].sort((a, b) => rank[a.verdict.kind] - rank[b.verdict.kind])[0]
}

/** SASL_AUTHENTICATION_FAILED, UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE. */
const AUTHENTICATION_ERRORS = new Set([58, 33, 34])

/**
 * The broker's refusal of the SASL credentials: kafkit's client's error (a Kafka error code), or kafkajs's SASL
 * authentication error (the console data path), or one wrapping either.
 */
function authenticationFailure(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof KafkaProtocolError && AUTHENTICATION_ERRORS.has(current.code)) return current.message
    if (current.name === 'KafkaJSSASLAuthenticationError') return current.message
    current = current.cause ?? (current as { originalError?: unknown }).originalError
  }
  return undefined
}
