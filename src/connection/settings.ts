/**
 * How to connect, from the connection flags (--bootstrap-server, --command-config, --command-property, --stack):
 * the servers and where they came from, TLS and SASL from Kafka's client properties, and the other client properties
 * for the commands that read them (acks, linger.ms ...). kafkajs-independent; src/cluster/client.ts makes clients.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'
import { parseKeyValues, readPropertiesFile } from '../util/properties.js'
import { resolveBootstrap, type ConnectionSource } from './source.js'

interface ConnectionFlagValues {
  'bootstrap-server'?: string
  'command-config'?: string
  'command-property'?: string[]
  stack?: string
}

export interface ConnectionSettings {
  servers: string[]
  source: ConnectionSource
  ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string[]; cert?: string; key?: string; passphrase?: string }
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  /** Client properties kafkit does not map, kept for commands that understand them (acks, linger.ms ...). */
  properties: Record<string, string>
}

export function connectionFromFlags(
  flags: ConnectionFlagValues,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  const bootstrap = resolveBootstrap({ bootstrapServer: flags['bootstrap-server'], stack: flags.stack }, env)
  const properties: Record<string, string> = {}
  if (flags['command-config'])
    Object.assign(properties, readPropertiesFile(flags['command-config'], '--command-config'))
  Object.assign(
    properties,
    parseKeyValues(flags['command-property'], '--command-property', {
      code: 'BAD_PROPERTY',
      malformed: (item) => `Invalid client property "${item}": expected key=value.`,
    }),
  )
  return { servers: bootstrap.servers, source: bootstrap.source, ...securityFrom(properties), properties }
}

/** Maps Kafka client security properties to what kafkit's client needs; unsupported mechanisms are refused. */
function securityFrom(properties: Record<string, string>): Pick<ConnectionSettings, 'ssl' | 'sasl'> {
  const protocol = (properties['security.protocol'] ?? 'PLAINTEXT').toUpperCase()
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new UsageError(
      `Unknown security.protocol "${properties['security.protocol']}": expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.`,
      { code: 'BAD_PROPERTY' },
    )
  }
  const result: Pick<ConnectionSettings, 'ssl' | 'sasl'> = {}
  if (protocol.endsWith('SSL')) {
    const ca =
      properties['ssl.truststore.certificates'] ??
      readPem(properties['ssl.ca.location'], 'ssl.ca.location') ??
      truststoreFile(properties)
    result.ssl = {
      rejectUnauthorized: properties['ssl.endpoint.identification.algorithm'] !== '',
      ...(ca ? { ca: [ca] } : {}),
    }
  }
  if (protocol.startsWith('SASL')) {
    const mechanism = (properties['sasl.mechanism'] ?? 'GSSAPI').toUpperCase()
    const map: Record<string, 'plain' | 'scram-sha-256' | 'scram-sha-512'> = {
      PLAIN: 'plain',
      'SCRAM-SHA-256': 'scram-sha-256',
      'SCRAM-SHA-512': 'scram-sha-512',
    }
    if (!map[mechanism])
      throw new UsageError(`SASL mechanism ${mechanism} is not supported: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.`, {
        code: 'BAD_PROPERTY',
      })
    const jaas = properties['sasl.jaas.config'] ?? ''
    const username = properties['sasl.username'] ?? /username="([^"]*)"/.exec(jaas)?.[1]
    const password = properties['sasl.password'] ?? /password="([^"]*)"/.exec(jaas)?.[1]
    if (username === undefined || password === undefined) {
      throw new UsageError(
        'SASL needs a username and password: set sasl.jaas.config (or sasl.username / sasl.password).',
        { code: 'BAD_PROPERTY' },
      )
    }
    result.sasl = { mechanism: map[mechanism]!, username, password }
  }
  return result
}

/** Kafka's own spelling of a CA file: ssl.truststore.location with ssl.truststore.type=PEM (JKS and PKCS12 are refused). */
function truststoreFile(properties: Record<string, string>): string | undefined {
  const location = properties['ssl.truststore.location']
  if (!location) return undefined
  const type = (properties['ssl.truststore.type'] ?? 'JKS').toUpperCase()
  if (type !== 'PEM') {
    throw new UsageError(
      `ssl.truststore.type ${type} is not supported: kafkit reads PEM trust stores (ssl.truststore.type=PEM).`,
      {
        code: 'BAD_PROPERTY',
        suggestions: [
          `Export the CA certificates to PEM (keytool -exportcert -rfc -keystore ${location}) and set ssl.truststore.type=PEM`,
        ],
      },
    )
  }
  return readPem(location, 'ssl.truststore.location')
}

function readPem(path: string | undefined, key: string): string | undefined {
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch {
    throw new UsageError(`Cannot read ${key} file ${path}.`, { code: 'NO_SUCH_FILE' })
  }
}
