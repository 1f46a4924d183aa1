import { Flags } from '@oclif/core'
import { UsageError } from './errors.js'
import { DEFAULT_STACK } from './output/commands.js'

/** Flags shared by commands, defined once so every command spells and documents them the same way. */
/** --stack of the stack commands; the data commands' --stack (below) differs only in its help text and group. */
const stackFlagOptions = { default: DEFAULT_STACK, env: 'KAFKIT_STACK' } as const

export const stackFlag = Flags.string({
  ...stackFlagOptions,
  description: 'Name of the local stack (each has its own configs, data, logs and ports).',
  helpGroup: 'STACK',
})

const DURATION_HINT = 'expected a duration like 500ms, 5s, 2m or plain milliseconds'
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const

/**
 * Parses "500ms", "5s", "2m", "1h" or a plain number, which is milliseconds as in Kafka's scripts (`--timeout 5000`).
 * `negative` lets a plain negative number through for the flags where the script gives it a meaning
 * (console-consumer's `--timeout-ms -1`: no timeout).
 */
export function parseDuration(value: string, flag: string, options: { negative?: boolean } = {}): number {
  const text = value.trim()
  if (options.negative && /^-\d+$/.test(text)) return Number(text)
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text)
  if (!match) throw new UsageError(`Invalid ${flag} "${value}": ${DURATION_HINT}.`, { code: 'BAD_DURATION' })
  return Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS])
}

/**
 * Every flag that takes a time, as milliseconds. A custom flag so oclif parses it before run() and a bad value fails
 * like any other usage error (the base command unwraps oclif's "Parsing --flag" around our message).
 * `min`: smallest value in ms (a request timeout or refresh interval of 0 makes no sense).
 */
const durationType = (limits: { min?: number; negative?: boolean }) =>
  Flags.custom<number>({
    parse: async (input, _context, opts) => {
      const ms = parseDuration(input, `--${opts.name}`, limits)
      if (limits.min !== undefined && ms >= 0 && ms < limits.min) {
        throw new UsageError(`Invalid --${opts.name} "${input}": must be at least ${limits.min} ms.`, {
          code: 'BAD_DURATION',
        })
      }
      return ms
    },
  })

const describeDuration = (description: string) => `${description} (500ms, 5s, 2m or plain milliseconds).`

/** A duration flag with a default, written as the user would (`'30s'`), shown that way in --help. */
export const durationFlag = (
  description: string,
  defaultValue: string,
  options: { min?: number; helpGroup?: string } = {},
) =>
  durationType(options)({
    description: describeDuration(description),
    default: parseDuration(defaultValue, 'default'),
    defaultHelp: async () => defaultValue,
    ...(options.helpGroup ? { helpGroup: options.helpGroup } : {}),
  })

/** A duration flag without a default (undefined when not given). */
export const optionalDurationFlag = (description: string, options: { min?: number; negative?: boolean } = {}) =>
  durationType(options)({ description: describeDuration(description) })

/**
 * Connection flags shared by every command that talks to a cluster, with the spellings Kafka's scripts use
 * across 3.9, 4.0 and 4.2: --bootstrap-server (and the old --broker-list), --command-config and the
 * client-specific --producer.config / --consumer.config, repeated --command-property key=value.
 * -b is kcat's and rpk's short form (Kafka's scripts have no short flags, so none can clash).
 */
export const connectionFlags = {
  'bootstrap-server': Flags.string({
    char: 'b',
    description:
      'Kafka to connect to, host:port[,host:port] (default: KAFKIT_BOOTSTRAP_SERVER, else the running local stack).',
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
    multiple: true,
    multipleNonGreedy: true,
    aliases: ['producer-property', 'consumer-property'],
  }),
  stack: Flags.string({
    ...stackFlagOptions,
    description: 'Local stack whose bootstrap servers are the default.',
    helpGroup: 'CONNECTION',
  }),
}

/**
 * The connection flags for the scripts whose own --broker-list is a list of broker ids (kafka-log-dirs.sh,
 * kafka-reassign-partitions.sh): --bootstrap-server without its old --broker-list spelling.
 */
export const connectionFlagsWithoutBrokerList = {
  ...connectionFlags,
  'bootstrap-server': Flags.string({
    char: 'b',
    description:
      'Kafka to connect to, host:port[,host:port] (default: KAFKIT_BOOTSTRAP_SERVER, else the running local stack).',
    helpGroup: 'CONNECTION',
  }),
}

/** The Kafka Connect REST API of `kafkit connect ...` (connection/services.ts resolves flag, env, stack). */
export const connectFlags = {
  url: Flags.string({
    description: "Kafka Connect REST URL (default: KAFKIT_CONNECT_URL, else the local stack's Connect).",
    helpGroup: 'CONNECTION',
  }),
  stack: Flags.string({
    ...stackFlagOptions,
    description: 'Local stack whose Connect is the default.',
    helpGroup: 'CONNECTION',
  }),
}

/** The Schema Registry's address and credentials (schema-registry, and the console tools' schema formats). */
export const schemaRegistryFlags = {
  'schema-registry-url': Flags.string({
    description:
      "Schema Registry URL (default: KAFKIT_SCHEMA_REGISTRY_URL, else the local stack's, `up --with schema-registry`). Also --property schema.registry.url=.",
    helpGroup: 'SCHEMA REGISTRY',
    aliases: ['schema-registry-endpoint'],
  }),
  'schema-registry-api-key': Flags.string({
    description: 'Basic auth user (else basic.auth.user.info in --command-config).',
    helpGroup: 'SCHEMA REGISTRY',
  }),
  'schema-registry-api-secret': Flags.string({
    description: 'Basic auth password, with --schema-registry-api-key.',
    helpGroup: 'SCHEMA REGISTRY',
  }),
}

/** Record formats of the console tools (the Confluent CLI's names) and where their schemas come from. */
export const serdeFlags = {
  ...schemaRegistryFlags,
  'value-format': Flags.string({
    description:
      'avro, protobuf, json-schema (Schema Registry formats), json, string (default), bytes, int, long or double.',
    helpGroup: 'SCHEMA REGISTRY',
  }),
  'key-format': Flags.string({ description: 'Format of keys, as --value-format.', helpGroup: 'SCHEMA REGISTRY' }),
  'value-schema': Flags.string({
    description: 'Schema file for values (.avsc, .proto, .json); also --property value.schema.file=.',
    helpGroup: 'SCHEMA REGISTRY',
    aliases: ['schema'],
  }),
  'key-schema': Flags.string({ description: 'Schema file for keys.', helpGroup: 'SCHEMA REGISTRY' }),
  'value-schema-id': Flags.integer({
    description: 'Registered schema id for values; also --property value.schema.id=.',
    helpGroup: 'SCHEMA REGISTRY',
    aliases: ['schema-id'],
    min: 0,
  }),
  'key-schema-id': Flags.integer({
    description: 'Registered schema id for keys.',
    helpGroup: 'SCHEMA REGISTRY',
    min: 0,
  }),
  'value-subject': Flags.string({
    description: 'Subject of the value schema (default TOPIC-value).',
    helpGroup: 'SCHEMA REGISTRY',
  }),
  'key-subject': Flags.string({
    description: 'Subject of the key schema (default TOPIC-key).',
    helpGroup: 'SCHEMA REGISTRY',
  }),
  'value-schema-version': Flags.string({
    description: 'Version of the value subject to use (default latest) when no schema file or id is given.',
    helpGroup: 'SCHEMA REGISTRY',
  }),
  'key-schema-version': Flags.string({ description: 'Version of the key subject.', helpGroup: 'SCHEMA REGISTRY' }),
}

/** The flags of every `schema-registry` command: where the registry is and how to log in. */
export const registryCommandFlags = {
  ...schemaRegistryFlags,
  'command-config': Flags.string({
    description:
      "Properties file with the registry's basic auth, as Confluent's clients read it: basic.auth.credentials.source=USER_INFO, basic.auth.user.info=USER:PASSWORD.",
    helpGroup: 'SCHEMA REGISTRY',
  }),
  stack: Flags.string({
    ...stackFlagOptions,
    description: 'Local stack whose Schema Registry is the default.',
    helpGroup: 'SCHEMA REGISTRY',
  }),
}
