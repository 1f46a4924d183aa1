import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { KafkitError, UsageError, errorMessage } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { parseProperties } from '../stack/render.js'
import { resolveBootstrap } from './bootstrap.js'

/**
 * Connection flags shared by every command that talks to a cluster, with the spellings Kafka's scripts use
 * across 3.9, 4.0 and 4.2: --bootstrap-server (and the old --broker-list), --command-config and the
 * client-specific --producer.config / --consumer.config, repeated --command-property key=value.
 */
export const connectionFlags = {
  'bootstrap-server': Flags.string({
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

/** The one error for "no Kafka answered at this address", naming where the address came from. */
export function unreachable(settings: Pick<ConnectionSettings, 'servers' | 'from'>, error: unknown): KafkitError {
  return new KafkitError(`Cannot reach Kafka at ${settings.servers.join(',')} (${settings.from}): ${errorMessage(error)}`, {
    code: 'UNREACHABLE',
    cause: error,
    suggestions: settings.from.startsWith('stack ')
      ? ['See whether the stack runs: kafkit status', 'Start it: kafkit up']
      : ['Check the address and that the brokers are running, or use the local stack: kafkit up'],
  })
}

export type { Reporter }
