import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { KafkitError, UsageError, errorMessage } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { parseProperties } from '../stack/render.js'
import { resolveBootstrap } from './bootstrap.js'
import { seconds, type ServerReport, type Verdict } from './probe.js'

/**
 * Connection flags shared by every command that talks to a cluster, with the spellings Kafka's scripts use
 * across 3.9, 4.0 and 4.2: --bootstrap-server (and the old --broker-list), --command-config and the
 * client-specific --producer.config / --consumer.config, repeated --command-property key=value.
 * -b is kcat's and rpk's short form (Kafka's scripts have no short flags, so none can clash).
 */
export const connectionFlags = {
  'bootstrap-server': Flags.string({
    char: 'b',
    description: 'Kafka to connect to, host:port[,host:port] (default: KAFKIT_BOOTSTRAP_SERVER, else the running local stack).',
    helpGroup: 'CONNECTION',
    aliases: ['broker-list'],
  }),
  'command-config': Flags.string({
    description: 'Client properties file (security.protocol, sasl.*, ssl.*), as Kafka tools take it.',
    helpGroup: 'CONNECTION',
    aliases: ['producer.config', 'consumer.config', 'admin.config'],
  }),
  'command-property': Flags.string({
    description: 'Client property key=value, repeatable (also --producer-property / --consumer-property).',
    helpGroup: 'CONNECTION',
    multiple: true, multipleNonGreedy: true,
    aliases: ['producer-property', 'consumer-property'],
  }),
  stack: Flags.string({
    description: 'Local stack whose bootstrap servers are the default.',
    default: 'default',
    env: 'KAFKIT_STACK',
    helpGroup: 'CONNECTION',
  }),
}

export interface ConnectionFlagValues {
  'bootstrap-server'?: string
  'command-config'?: string
  'command-property'?: string[]
  stack?: string
}

/** kafkajs-independent description of how to connect; src/cluster/client.ts turns it into a client. */
export interface ConnectionSettings {
  servers: string[]
  from: string
  ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string[]; cert?: string; key?: string; passphrase?: string }
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  /** Client properties kafkit does not map, kept for commands that understand them (acks, linger.ms ...). */
  properties: Record<string, string>
}

export function connectionFromFlags(flags: ConnectionFlagValues, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const bootstrap = resolveBootstrap({ bootstrapServer: flags['bootstrap-server'], stack: flags.stack }, env)
  const properties: Record<string, string> = {}
  if (flags['command-config']) {
    let text: string
    try {
      text = readFileSync(flags['command-config'], 'utf8')
    } catch {
      throw new UsageError(`Cannot read --command-config file ${flags['command-config']}.`, { code: 'NO_SUCH_FILE' })
    }
    Object.assign(properties, parseProperties(text))
  }
  for (const item of flags['command-property'] ?? []) {
    const index = item.indexOf('=')
    if (index <= 0) throw new UsageError(`Invalid client property "${item}": expected key=value.`, { code: 'BAD_PROPERTY' })
    properties[item.slice(0, index)] = item.slice(index + 1)
  }
  return { servers: bootstrap.servers, from: bootstrap.from, ...securityFrom(properties), properties }
}

/** Maps Kafka client security properties to what kafkit's client needs; unsupported mechanisms are refused. */
export function securityFrom(properties: Record<string, string>): Pick<ConnectionSettings, 'ssl' | 'sasl'> {
  const protocol = (properties['security.protocol'] ?? 'PLAINTEXT').toUpperCase()
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new UsageError(`Unknown security.protocol "${properties['security.protocol']}": expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.`, { code: 'BAD_PROPERTY' })
  }
  const result: Pick<ConnectionSettings, 'ssl' | 'sasl'> = {}
  if (protocol.endsWith('SSL')) {
    const ca = properties['ssl.truststore.certificates'] ?? readPem(properties['ssl.ca.location'])
    result.ssl = {
      rejectUnauthorized: properties['ssl.endpoint.identification.algorithm'] !== '',
      ...(ca ? { ca: [ca] } : {}),
    }
  }
  if (protocol.startsWith('SASL')) {
    const mechanism = (properties['sasl.mechanism'] ?? 'GSSAPI').toUpperCase()
    const map: Record<string, 'plain' | 'scram-sha-256' | 'scram-sha-512'> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' }
    if (!map[mechanism]) throw new UsageError(`SASL mechanism ${mechanism} is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.`, { code: 'BAD_PROPERTY' })
    const jaas = properties['sasl.jaas.config'] ?? ''
    const username = properties['sasl.username'] ?? /username="([^"]*)"/.exec(jaas)?.[1]
    const password = properties['sasl.password'] ?? /password="([^"]*)"/.exec(jaas)?.[1]
    if (username === undefined || password === undefined) {
      throw new UsageError('SASL needs a username and password: set sasl.jaas.config (or sasl.username / sasl.password).', { code: 'BAD_PROPERTY' })
    }
    result.sasl = { mechanism: map[mechanism]!, username, password }
  }
  return result
}

function readPem(path: string | undefined): string | undefined {
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new UsageError(`Cannot read ssl.ca.location file ${path}.`, { code: 'NO_SUCH_FILE' })
  }
}

/**
 * The one error for "no Kafka answered at this address", naming where the address came from. With `reports` (the
 * probe of ./probe.ts, run after kafkajs failed) it names what is at the address instead of kafkajs's own words.
 */
export function unreachable(settings: Pick<ConnectionSettings, 'servers' | 'from'>, error: unknown, reports: ServerReport[] = []): KafkitError {
  const checkAddress = settings.from.startsWith('stack ')
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
            : ['Clients connect to a broker listener (listeners=PLAINTEXT://...), not to controller.listener.names: kafkit status shows a local stack\'s'],
        })
      case 'not-kafka':
        return new KafkitError(`${server} answered, but not as Kafka (${verdict.looksLike ? `it looks like ${verdict.looksLike}` : `not a Kafka broker: ${verdict.detail}`})`, {
          code: 'NOT_KAFKA',
          cause: error,
          suggestions: verdict.looksLike === 'a TLS listener'
            ? ['If it is a Kafka SSL listener, connect with TLS: --command-property security.protocol=SSL (or a --command-config file)']
            : [`Check the port (${settings.from}): a broker listener is usually 9092; kafkit status shows a local stack's`],
        })
      case 'silent':
        return unreachableError(settings, error, verdict.handshake
          ? `${server} accepted the connection but did not finish the TLS handshake within ${seconds(verdict.timeoutMs)}`
          : `${server} accepted the connection but did not answer Kafka's ApiVersions request within ${seconds(verdict.timeoutMs)} (a hung broker, or not Kafka)`,
        checkAddress)
      case 'unreachable':
        return unreachableError(settings, error,
          reports.every((r) => r.verdict.kind === 'unreachable' && r.verdict.reason === verdict.reason) ? verdict.reason : `${server}: ${verdict.reason}`,
          checkAddress)
      case 'tls-failed':
        return unreachableError(settings, error, `TLS handshake with ${server} failed: ${verdict.reason}`,
          ['Check the ssl.* settings of the --command-config file, and that the listener is an SSL one'])
    }
  }
  return unreachableError(settings, error, errorMessage(error), checkAddress)
}

function unreachableError(settings: Pick<ConnectionSettings, 'servers' | 'from'>, cause: unknown, reason: string, suggestions: string[]): KafkitError {
  return new KafkitError(`Cannot reach Kafka at ${settings.servers.join(',')} (${settings.from}): ${reason}`, { code: 'UNREACHABLE', cause, suggestions })
}

/**
 * The report worth showing: none when any server is a broker (kafkajs's error is then about that broker: SASL, TLS,
 * metadata), else a wrong kind of server before a silent one before an unreachable one, since one mistyped port in
 * a list is the likeliest story.
 */
export function mostTelling(reports: ServerReport[]): ServerReport | undefined {
  if (reports.some((r) => r.verdict.kind === 'broker')) return undefined
  const rank: Record<Verdict['kind'], number> = { controller: 0, 'not-kafka': 1, 'tls-failed': 2, silent: 3, unreachable: 4, broker: 5 }
  return [...reports].sort((a, b) => rank[a.verdict.kind] - rank[b.verdict.kind])[0]
}

export type { Reporter }
