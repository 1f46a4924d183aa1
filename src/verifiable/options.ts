/** Flag rules of verifiable-producer, verifiable-consumer and e2e-latency (Kafka 4.4's tools), pure. */
import { UsageError } from '../errors.js'

const usage = (message: string, suggestions: string[] = []) =>
  new UsageError(message, { code: 'BAD_FLAGS', suggestions })

export function producerAcks(value: number): -1 | 0 | 1 {
  if (value !== -1 && value !== 0 && value !== 1)
    throw usage(`argument --acks: invalid choice: '${value}' (choose from 0, 1, -1)`)
  return value
}

export interface ConsumerFlagValues {
  'group-protocol': string
  'group-remote-assignor'?: string
  'group-instance-id'?: string
  'reset-policy': string
}

/**
 * kafkit's consumer is kafkajs's classic group member: the KIP-848 protocol, static membership and the 'none' reset
 * policy are refused with what to use instead, rather than silently behaving otherwise.
 */
export function checkConsumerFlags(f: ConsumerFlagValues): { resetPolicy: 'earliest' | 'latest' } {
  const protocol = f['group-protocol'].toLowerCase()
  if (!['classic', 'consumer'].includes(protocol))
    throw usage(`Group protocol must be one of CLASSIC, CONSUMER (got ${f['group-protocol']}).`)
  if (protocol === 'consumer')
    throw usage("kafkit's verifiable consumer speaks the classic group protocol only (--group-protocol classic).", [
      'Run Kafka\'s own kafka-verifiable-consumer.sh for a KIP-848 "consumer" group',
    ])
  if (f['group-remote-assignor'] !== undefined)
    throw usage('--group-remote-assignor is only used with --group-protocol consumer, which kafkit does not speak.')
  if (f['group-instance-id'] !== undefined)
    throw usage("--group-instance-id (static membership) is not supported by kafkit's verifiable consumer.")
  const policy = f['reset-policy'].toLowerCase()
  if (policy === 'none')
    throw usage("--reset-policy none is not supported by kafkit's verifiable consumer: use earliest or latest.")
  if (policy !== 'earliest' && policy !== 'latest')
    throw usage(`Set reset policy (must be either 'earliest', 'latest', or 'none'); got '${f['reset-policy']}'.`)
  return { resetPolicy: policy }
}

export interface LatencyFlagValues {
  topic?: string
  'num-records'?: number
  'producer-acks'?: string
  'record-size'?: number
  'record-key-size'?: number
  'num-headers'?: number
  'record-header-key-size'?: number
  'record-header-size'?: number
}

export interface LatencySettings {
  bootstrapServer?: string
  commandConfig?: string
  topic: string
  numRecords: number
  acks: '1' | 'all'
  recordSize: number
  recordKeySize: number
  numHeaders: number
  headerKeySize: number
  headerValueSize: number
  /** The deprecated positional form was used (the tool warns). */
  positional: boolean
}

export const POSITIONAL_WARNING =
  'WARNING: Positional argument usage is deprecated and will be removed in Apache Kafka 5.0. Please use named arguments instead: --bootstrap-server, --topic, --num-records, --producer-acks, --record-size, --command-config'

const integer = (value: string, name: string): number => {
  if (!/^-?\d+$/.test(value)) throw usage(`${name} must be an integer (got "${value}").`)
  return Number(value)
}

/**
 * EndToEndLatency's arguments: the named flags (4.2+), or the 3.x positional form `broker_list topic num_messages
 * producer_acks message_size_bytes [properties_file]`, used when none of the required named flags is given.
 */
export function latencySettings(positional: string[], f: LatencyFlagValues): LatencySettings {
  const named =
    f.topic !== undefined ||
    f['num-records'] !== undefined ||
    f['producer-acks'] !== undefined ||
    f['record-size'] !== undefined
  let base: Pick<LatencySettings, 'bootstrapServer' | 'commandConfig' | 'positional'> & LatencyFlagValues
  if (positional.length > 0 && !named) {
    if (positional.length !== 5 && positional.length !== 6)
      throw usage(
        `Invalid number of arguments. Expected 5 or 6 positional arguments, but got ${positional.length}. Usage: bootstrap-server topic num-records producer-acks record-size [optional] command-config`,
      )
    const [bootstrapServer, topic, numRecords, acks, recordSize, config] = positional as [
      string,
      string,
      string,
      string,
      string,
      string?,
    ]
    base = {
      ...f,
      bootstrapServer,
      topic,
      'num-records': integer(numRecords, 'num_messages'),
      'producer-acks': acks,
      'record-size': integer(recordSize, 'message_size_bytes'),
      ...(config !== undefined && config.trim() !== '' ? { commandConfig: config } : {}),
      positional: true,
    }
  } else {
    if (positional.length > 0) throw usage(`Unexpected arguments with named flags: ${positional.join(' ')}`)
    base = { ...f, positional: false }
  }
  const missing = (['topic', 'num-records', 'producer-acks', 'record-size'] as const).filter(
    (k) => base[k] === undefined,
  )
  if (missing.length > 0) throw usage(`Missing required argument "[${missing.join(', ')}]"`)
  if (!['1', 'all'].includes(base['producer-acks']!))
    throw usage(
      "Invalid value for --producer-acks. Latency testing requires synchronous acknowledgement. Please use '1' or 'all'.",
    )
  if (base['num-records']! <= 0) throw usage('Value for --num-records must be a positive integer.')
  if (base['record-size']! < 0) throw usage('Value for --record-size must be a non-negative integer.')
  const keySize = base['record-key-size'] ?? 0
  if (keySize < 0) throw usage('Value for --record-key-size must be a non-negative integer.')
  const headerKeySize = base['record-header-key-size'] ?? 0
  if (headerKeySize < 0) throw usage('Value for --record-header-key-size must be a non-negative integer.')
  const headerValueSize = base['record-header-size'] ?? 0
  if (headerValueSize < -1)
    throw usage('Value for --record-header-size must be a non-negative integer or -1 for null header value.')
  const numHeaders = base['num-headers'] ?? 0
  if (numHeaders < 0) throw usage('Value for --num-headers must be a non-negative integer.')
  return {
    ...(base.bootstrapServer !== undefined ? { bootstrapServer: base.bootstrapServer } : {}),
    ...(base.commandConfig !== undefined ? { commandConfig: base.commandConfig } : {}),
    topic: base.topic!,
    numRecords: base['num-records']!,
    acks: base['producer-acks'] as '1' | 'all',
    recordSize: base['record-size']!,
    recordKeySize: keySize,
    numHeaders,
    headerKeySize,
    headerValueSize,
    positional: base.positional,
  }
}

export interface ShareConsumerFlagChoices {
  'acknowledgement-mode': string
  'offset-reset-strategy': string
  'ack-pattern'?: string
}

export interface ShareConsumerChoices {
  acknowledgementMode: 'auto' | 'sync' | 'async'
  /** '' leaves the group's share.auto.offset.reset alone; else the value to set (earliest, latest, by_duration:...). */
  offsetResetStrategy: string
}

/**
 * VerifiableShareConsumer's choices (Kafka 4.4): the acknowledgement mode (AcknowledgementMode.valueOf, any case) and
 * the share group's reset strategy (ShareGroupAutoOffsetResetStrategy.fromString). --ack-pattern (4.4) is refused:
 * kafkit's share consumer acknowledges every record of a run with one type.
 */
export function checkShareConsumerFlags(f: ShareConsumerFlagChoices): ShareConsumerChoices {
  const mode = f['acknowledgement-mode'].toLowerCase()
  if (mode !== 'auto' && mode !== 'sync' && mode !== 'async')
    throw usage(
      `No enum constant org.apache.kafka.tools.VerifiableShareConsumer.AcknowledgementMode.${f['acknowledgement-mode'].toUpperCase()}: --acknowledgement-mode must be auto, sync or async.`,
    )
  if (f['ack-pattern'] !== undefined && f['ack-pattern'] !== '')
    throw usage("--ack-pattern is not supported by kafkit's verifiable share consumer (every record is accepted).", [
      "Run Kafka's own VerifiableShareConsumer for acknowledgement patterns",
    ])
  const strategy = f['offset-reset-strategy'].toLowerCase()
  if (strategy !== '' && strategy !== 'earliest' && strategy !== 'latest' && !/^by_duration:p/.test(strategy))
    throw usage(
      `Invalid value \`${f['offset-reset-strategy']}\` for configuration share.auto.offset.reset: must be earliest, latest or by_duration:<ISO-8601 duration>.`,
    )
  return { acknowledgementMode: mode, offsetResetStrategy: strategy }
}
