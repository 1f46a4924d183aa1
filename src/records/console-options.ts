import { UsageError } from '../errors.js'
import { parseOffsetSpec, type StartSpec } from './offset-spec.js'
import { parsePointInTime } from '../util/time.js'

/**
 * Producer settings from the script's flags and client properties, with the script's precedence:
 * a flag given explicitly wins over --producer-property / --command-config, which win over flag defaults.
 */
interface ProducerFlagValues {
  'request-required-acks'?: string
  'compression-codec'?: string
  'batch-size'?: number
  'max-partition-memory-bytes'?: number
  timeout?: number
  'max-memory-bytes'?: number
  'message-send-max-retries'?: number
  'retry-backoff-ms'?: number
  'request-timeout-ms'?: number
}

interface ProducerSettings {
  acks: -1 | 0 | 1
  compression: string
  idempotent: boolean
  batchBytes: number
  lingerMs: number
  maxMemoryBytes: number
  /** Retries of a failed request; unlimited by default (the delivery timeout bounds them), as in the Java client. */
  retries: number
  retryBackoffMs: number
  /** The longest wait between two retries (retry.backoff.max.ms). */
  retryBackoffMaxMs: number
  requestTimeoutMs: number
  /** How long a record may wait for its acknowledgement, from the moment it was read, before it counts as failed. */
  deliveryTimeoutMs: number
  /** Requests in flight per connection (max.in.flight.requests.per.connection); kafkit sends at most one, see produce.ts. */
  maxInFlight: number
  /** Ask the broker to create a missing topic (the Java producer always does; allow.auto.create.topics=false turns it off). */
  autoCreate: boolean
}

const PRODUCER_DEFAULTS = {
  /** Larger than the script's 16 KB: kafkajs sends one batch per partition per request, so batches must carry the throughput. */
  batchBytes: 512 * 1024,
  lingerMs: 1000,
  /** The script's buffer.memory is 32 MiB; 8 MiB keeps kafkit as fast (measured) with a smaller footprint. */
  maxMemoryBytes: 8 * 1024 * 1024,
  /** The Java client's default: retry until delivery.timeout.ms expires. */
  retries: Number.MAX_SAFE_INTEGER,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
  requestTimeoutMs: 30_000,
  deliveryTimeoutMs: 120_000,
}

function parseAcks(value: string, source: string): -1 | 0 | 1 {
  const text = value.trim().toLowerCase()
  if (text === 'all' || text === '-1') return -1
  if (text === '0') return 0
  if (text === '1') return 1
  throw new UsageError(`Invalid ${source} "${value}": expected all, -1, 0 or 1.`, { code: 'BAD_ACKS' })
}

function integer(value: string | undefined, key: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`Invalid client property ${key}=${value}: expected a non-negative integer.`, {
      code: 'BAD_PROPERTY',
    })
  return Number(value.trim())
}

function positive(value: number | undefined, flag: string): number | undefined {
  if (value !== undefined && (!Number.isFinite(value) || value < 0))
    throw new UsageError(`Invalid --${flag} ${value}: expected a non-negative number.`, { code: 'BAD_FLAG' })
  return value
}

export function producerSettings(flags: ProducerFlagValues, properties: Record<string, string>): ProducerSettings {
  const acksText = flags['request-required-acks'] ?? properties.acks
  const acks =
    acksText === undefined
      ? -1
      : parseAcks(acksText, flags['request-required-acks'] === undefined ? 'acks' : '--request-required-acks')
  const idempotenceProperty = properties['enable.idempotence']?.trim().toLowerCase()
  if (idempotenceProperty === 'true' && acks !== -1) {
    throw new UsageError('enable.idempotence=true needs acks=all (--request-required-acks -1).', {
      code: 'CONFLICTING_FLAGS',
    })
  }
  // Like the Java client: idempotence is on by default and quietly off when acks is not "all".
  const idempotent = idempotenceProperty === 'false' ? false : acks === -1
  const requestTimeoutGiven =
    positive(flags['request-timeout-ms'], 'request-timeout-ms') ??
    integer(properties['request.timeout.ms'], 'request.timeout.ms')
  const lingerMs =
    positive(flags.timeout, 'timeout') ?? integer(properties['linger.ms'], 'linger.ms') ?? PRODUCER_DEFAULTS.lingerMs
  const deliveryTimeoutGiven = integer(properties['delivery.timeout.ms'], 'delivery.timeout.ms')
  // As the Java client: a delivery timeout must cover one linger plus one request. Both given and in conflict is
  // an error; an unset delivery timeout grows to fit (Java adjusts it too); given only the delivery timeout, the
  // request timeout shrinks to fit (the script's own default request timeout is 1500 ms).
  if (
    requestTimeoutGiven !== undefined &&
    deliveryTimeoutGiven !== undefined &&
    deliveryTimeoutGiven < lingerMs + requestTimeoutGiven
  ) {
    throw new UsageError(
      `delivery.timeout.ms=${deliveryTimeoutGiven} must be at least linger.ms + request.timeout.ms (${lingerMs} + ${requestTimeoutGiven}).`,
      { code: 'BAD_PROPERTY' },
    )
  }
  const deliveryTimeoutMs =
    deliveryTimeoutGiven ??
    Math.max(
      PRODUCER_DEFAULTS.deliveryTimeoutMs,
      lingerMs + (requestTimeoutGiven ?? PRODUCER_DEFAULTS.requestTimeoutMs),
    )
  if (deliveryTimeoutMs <= lingerMs) {
    throw new UsageError(
      `delivery.timeout.ms=${deliveryTimeoutMs} must be larger than linger.ms (${lingerMs}): a record could not even be sent in time.`,
      { code: 'BAD_PROPERTY' },
    )
  }
  const requestTimeoutMs =
    requestTimeoutGiven ?? Math.min(PRODUCER_DEFAULTS.requestTimeoutMs, deliveryTimeoutMs - lingerMs)
  const maxInFlight =
    integer(properties['max.in.flight.requests.per.connection'], 'max.in.flight.requests.per.connection') ?? 5
  if (maxInFlight < 1 || (idempotent && maxInFlight > 5)) {
    throw new UsageError(
      `max.in.flight.requests.per.connection=${maxInFlight} is out of range: 1 to 5 with idempotence${idempotent ? '' : ', at least 1 without'}.`,
      { code: 'BAD_PROPERTY' },
    )
  }
  return {
    acks,
    compression: flags['compression-codec'] ?? properties['compression.type'] ?? 'none',
    idempotent,
    batchBytes:
      positive(flags['max-partition-memory-bytes'] ?? flags['batch-size'], 'batch-size') ??
      integer(properties['batch.size'], 'batch.size') ??
      PRODUCER_DEFAULTS.batchBytes,
    lingerMs,
    maxMemoryBytes:
      positive(flags['max-memory-bytes'], 'max-memory-bytes') ??
      integer(properties['buffer.memory'], 'buffer.memory') ??
      PRODUCER_DEFAULTS.maxMemoryBytes,
    retries:
      positive(flags['message-send-max-retries'], 'message-send-max-retries') ??
      integer(properties.retries, 'retries') ??
      PRODUCER_DEFAULTS.retries,
    retryBackoffMs:
      positive(flags['retry-backoff-ms'], 'retry-backoff-ms') ??
      integer(properties['retry.backoff.ms'], 'retry.backoff.ms') ??
      PRODUCER_DEFAULTS.retryBackoffMs,
    retryBackoffMaxMs:
      integer(properties['retry.backoff.max.ms'], 'retry.backoff.max.ms') ?? PRODUCER_DEFAULTS.retryBackoffMaxMs,
    requestTimeoutMs,
    deliveryTimeoutMs,
    maxInFlight,
    autoCreate: booleanProperty(properties, 'allow.auto.create.topics') ?? true,
  }
}

/** A true/false client property; anything else is a usage error naming it. */
export function booleanProperty(properties: Record<string, string>, key: string): boolean | undefined {
  const value = properties[key]?.trim().toLowerCase()
  if (value === undefined) return undefined
  if (value === 'true' || value === 'false') return value === 'true'
  throw new UsageError(`Invalid client property ${key}=${properties[key]}: expected true or false.`, {
    code: 'BAD_PROPERTY',
  })
}

/** Kafka's default reader and formatter classes; anything else would need the JVM. */
const LINE_READERS = [
  'kafka.tools.ConsoleProducer$LineMessageReader',
  'org.apache.kafka.tools.LineMessageReader',
  'kafka.tools.LineMessageReader',
  'LineMessageReader',
]
const FORMATTERS = [
  'kafka.tools.DefaultMessageFormatter',
  'org.apache.kafka.tools.consumer.DefaultMessageFormatter',
  'DefaultMessageFormatter',
]

export function checkClass(value: string | undefined, flag: string, kind: 'reader' | 'formatter'): void {
  if (value === undefined) return
  const known = kind === 'reader' ? LINE_READERS : FORMATTERS
  if (!known.includes(value)) {
    throw new UsageError(`${flag} ${value} is not supported: kafkit has Kafka's default ${kind} only.`, {
      code: 'UNSUPPORTED',
      suggestions:
        kind === 'reader'
          ? ['Use --property parse.key/parse.headers, or --json input.']
          : ['Use --property print.*, --format TEMPLATE or --json.'],
    })
  }
}

/**
 * `--compression-codec` takes an optional value in the script (alone it means gzip); oclif flags cannot,
 * so a bare --compression-codec gets "gzip" inserted before parsing.
 */
export function withDefaultCodec(argv: string[]): string[] {
  const result: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    result.push(arg)
    if (arg === '--compression-codec') {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('-')) result.push('gzip')
    }
  }
  return result
}

interface ConsumerFlagValues {
  topic?: string
  include?: string
  partition?: number
  offset?: string
  'from-beginning'?: boolean
  'from-time'?: string
  group?: string
  'isolation-level'?: string
  'max-messages'?: number
  'timeout-ms'?: number
  format?: string
  json?: boolean
}

export interface ConsumerSettings {
  topic?: string
  /** Java-style regular expression matched against whole topic names (--include / --whitelist). */
  include?: string
  partition?: number
  /** Where to start without a group (default: latest, or earliest with --from-beginning). */
  start?: StartSpec
  fromBeginning: boolean
  group?: string
  readCommitted: boolean
  maxMessages?: number
  /** Stop when no record arrived for this long. */
  timeoutMs?: number
  /** Let the broker create a missing --topic (the Java consumer's allow.auto.create.topics, default true). */
  autoCreate: boolean
}

/** The script's flag rules (and kafkit's additions), checked before anything connects. */
export function consumerSettings(
  flags: ConsumerFlagValues,
  properties: Record<string, string>,
  now = Date.now(),
): ConsumerSettings {
  if (flags.topic !== undefined && flags.include !== undefined) {
    throw new UsageError('Give either --topic or --include, not both.', { code: 'CONFLICTING_FLAGS' })
  }
  if (flags.topic === undefined && flags.include === undefined) {
    throw new UsageError('Missing topic: give --topic NAME (or the topic as the first argument), or --include REGEX.', {
      code: 'MISSING_TOPIC',
    })
  }
  const groups = new Set([flags.group, properties['group.id']].filter((g): g is string => g !== undefined))
  if (groups.size > 1) {
    throw new UsageError(
      `The group ids provided in different places (--group, group.id) do not match: ${[...groups].map((g) => `'${g}'`).join(', ')}.`,
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  const group = [...groups][0]
  if (flags.partition !== undefined && flags.include !== undefined) {
    throw new UsageError(
      'The topic is required when partition is specified (--partition needs --topic, not --include).',
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  if (group !== undefined && flags.partition !== undefined) {
    throw new UsageError('Options group and partition cannot be specified together.', { code: 'CONFLICTING_FLAGS' })
  }
  const reset = properties['auto.offset.reset']?.trim().toLowerCase()
  if (flags['from-beginning'] && reset !== undefined && reset !== 'earliest') {
    throw new UsageError(
      `Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option.`,
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  const fromBeginning = Boolean(flags['from-beginning']) || reset === 'earliest'
  if (flags.offset !== undefined && flags['from-time'] !== undefined) {
    throw new UsageError('Give either --offset or --from-time, not both.', { code: 'CONFLICTING_FLAGS' })
  }
  if (flags['from-beginning'] && (flags.offset !== undefined || flags['from-time'] !== undefined)) {
    throw new UsageError(
      `Options from-beginning and ${flags.offset !== undefined ? 'offset' : 'from-time'} cannot be specified together.`,
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  if (group !== undefined && (flags.offset !== undefined || flags['from-time'] !== undefined)) {
    throw new UsageError('A group starts from its committed offsets: --offset/--from-time need no --group.', {
      code: 'CONFLICTING_FLAGS',
      suggestions: [
        'Move the group instead: kafkit consumer-groups --reset-offsets --group G --topic T --to-datetime ... --execute',
      ],
    })
  }
  let start: StartSpec | undefined
  if (flags.offset !== undefined) start = parseOffsetSpec(flags.offset, now)
  if (flags['from-time'] !== undefined)
    start = { kind: 'time', timestamp: parsePointInTime(flags['from-time'], '--from-time', now) }
  const isolation = (flags['isolation-level'] ?? properties['isolation.level'] ?? 'read_uncommitted')
    .trim()
    .toLowerCase()
  if (isolation !== 'read_uncommitted' && isolation !== 'read_committed') {
    throw new UsageError(
      `Invalid --isolation-level "${flags['isolation-level'] ?? isolation}": expected read_committed or read_uncommitted.`,
      { code: 'BAD_FLAG' },
    )
  }
  if (flags['max-messages'] !== undefined && flags['max-messages'] < 0)
    throw new UsageError('--max-messages must not be negative.', { code: 'BAD_FLAG' })
  if (flags.format !== undefined && flags.json)
    throw new UsageError('Give either --format or --json, not both.', { code: 'CONFLICTING_FLAGS' })
  return {
    ...(flags.topic === undefined ? {} : { topic: flags.topic }),
    ...(flags.include === undefined ? {} : { include: flags.include }),
    ...(flags.partition === undefined ? {} : { partition: flags.partition }),
    ...(start === undefined ? {} : { start }),
    fromBeginning,
    ...(group === undefined ? {} : { group }),
    readCommitted: isolation === 'read_committed',
    autoCreate: booleanProperty(properties, 'allow.auto.create.topics') ?? true,
    ...(flags['max-messages'] === undefined ? {} : { maxMessages: flags['max-messages'] }),
    // The script: a negative --timeout-ms means no timeout.
    ...(flags['timeout-ms'] === undefined || flags['timeout-ms'] < 0 ? {} : { timeoutMs: flags['timeout-ms'] }),
  }
}

/**
 * On a terminal, reading from the latest offset shows a blank screen until something is produced; one dim line on
 * stderr says why (never in a pipe, where stdout and stderr are data and logs).
 */
export function waitingHint(
  settings: { topic?: string; include?: string; start?: unknown; fromBeginning: boolean; group?: string },
  terminal: boolean,
): string | undefined {
  if (!terminal || settings.group !== undefined || settings.start !== undefined || settings.fromBeginning)
    return undefined
  const what = settings.topic !== undefined ? settings.topic : `topics matching ${settings.include}`
  return `Waiting for new records on ${what} (from latest; --from-beginning for all). Ctrl-C to stop.`
}
