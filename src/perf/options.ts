/**
 * The perf tools' flag rules, checked before anything connects: Kafka 4.4's ProducerPerformance (argparse4j) and
 * ConsumerPerformance (joptsimple) messages, with the 3.9 spellings (--producer-props, --producer.config, --messages,
 * --consumer.config) still accepted.
 */
import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { unknownDateLetters } from './format.js'

export type KeyDistribution = 'none' | 'range' | 'random'

export interface ProducerPerfFlags {
  topic?: string
  'num-records'?: number
  'record-size'?: number
  'payload-file'?: string
  'payload-delimiter'?: string
  'payload-monotonic'?: boolean
  throughput?: number
  'producer-props'?: string[]
  'command-property'?: string[]
  'producer.config'?: string
  'command-config'?: string
  'transactional-id'?: string
  'transaction-duration-ms'?: number
  'warmup-records'?: number
  'reporting-interval'?: number
  'key-distribution'?: string
  'record-key-range'?: number
  'random-seed'?: number
}

export type Payload =
  { kind: 'size'; size: number } | { kind: 'file'; payloads: Buffer[]; path: string } | { kind: 'monotonic' }

export interface ProducerPerfOptions {
  topic: string
  numRecords: number
  payload: Payload
  /** Records per second; negative: no throttling. */
  throughput: number
  /** Producer properties: the config file, then --producer-props / --command-property over it. */
  properties: Record<string, string>
  /** --command-config / --producer.config, for the connection's security settings. */
  configFile?: string
  /** Set when transactions are on (a transactional id from a flag or the properties, or a duration). */
  transactionalId?: string
  transactionDurationMs: number
  warmupRecords: number
  reportingIntervalMs: number
  keyDistribution: KeyDistribution
  recordKeyRange?: number
  randomSeed: number
  /** Deprecation warnings the Java tool prints for the 3.9 spellings. */
  warnings: string[]
}

const DEFAULT_TRANSACTION_DURATION_MS = 3000
const usage = (message: string) => new UsageError(message, { code: 'BAD_PERF_FLAGS' })

/** `k=v` items as the Java tool splits them: exactly one "=" (a value with "=" in it is refused, as in Java). */
export function parsePerfProps(items: string[]): Record<string, string> {
  const props: Record<string, string> = {}
  for (const item of items) {
    const pieces = item.split('=')
    if (pieces.length !== 2) throw usage(`Invalid property: ${item}`)
    props[pieces[0]!] = pieces[1]!
  }
  return props
}

export function producerPerfOptions(
  flags: ProducerPerfFlags,
  readProperties: (path: string) => Record<string, string>,
  randomId: () => string = () => crypto.randomUUID(),
): ProducerPerfOptions {
  if (flags.topic === undefined) throw usage('argument --topic is required')
  if (flags['num-records'] === undefined) throw usage('argument --num-records is required')
  if (flags.throughput === undefined) throw usage('argument --throughput is required')
  const payloadKinds = [
    flags['record-size'] !== undefined,
    flags['payload-file'] !== undefined,
    !!flags['payload-monotonic'],
  ]
  if (payloadKinds.filter(Boolean).length !== 1)
    throw usage('Exactly one of --record-size, --payload-file or --payload-monotonic must be given.')
  const numRecords = flags['num-records']
  const warmupRecords = flags['warmup-records'] ?? 0
  if (numRecords <= 0) throw usage('--num-records should be greater than zero.')
  if (warmupRecords >= numRecords)
    throw usage(
      'The value for --warmup-records must be strictly fewer than the number of records in the test, --num-records.',
    )
  if (flags['record-size'] !== undefined && flags['record-size'] <= 0)
    throw usage('--record-size should be greater than zero.')
  if (flags['command-property'] !== undefined && flags['producer-props'] !== undefined)
    throw usage('--command-property and --producer-props cannot be specified together.')
  if (flags['command-config'] !== undefined && flags['producer.config'] !== undefined)
    throw usage('--command-config and --producer.config cannot be specified together.')
  if (flags['transaction-duration-ms'] !== undefined && flags['transaction-duration-ms'] <= 0)
    throw usage('--transaction-duration-ms should be greater than zero.')
  const reportingIntervalMs = flags['reporting-interval'] ?? 5000
  if (reportingIntervalMs <= 0) throw usage('--reporting-interval should be greater than zero.')
  const distribution = (flags['key-distribution'] ?? 'none').toLowerCase()
  if (!['none', 'range', 'random'].includes(distribution))
    throw usage(
      `argument --key-distribution: invalid choice: '${flags['key-distribution']}' (choose from 'none', 'range', 'random')`,
    )
  const range = flags['record-key-range']
  if (range !== undefined && range <= 0) throw usage('--record-key-range should be greater than zero.')
  if (distribution !== 'none' && range === undefined)
    throw usage("--record-key-range is required when --key-distribution is 'range' or 'random'.")
  if (distribution === 'none' && range !== undefined)
    throw usage("--key-distribution must be 'range' or 'random' when --record-key-range is specified.")
  if (flags.throughput === 0)
    throw usage(
      '--throughput 0 would never send a record (the Java tool waits forever): give a rate, or -1 for no limit.',
    )

  const warnings: string[] = []
  if (flags['producer-props'] !== undefined)
    warnings.push(
      'Option --producer-props has been deprecated and will be removed in a future version. Use --command-property instead.',
    )
  if (flags['producer.config'] !== undefined)
    warnings.push(
      'Option --producer.config has been deprecated and will be removed in a future version. Use --command-config instead.',
    )
  const configFile = flags['command-config'] ?? flags['producer.config']
  const properties = {
    ...(configFile !== undefined ? readProperties(configFile) : {}),
    ...parsePerfProps(flags['command-property'] ?? flags['producer-props'] ?? []),
  }
  const transactionsEnabled =
    flags['transaction-duration-ms'] !== undefined ||
    flags['transactional-id'] !== undefined ||
    properties['transactional.id'] !== undefined
  const transactionalId = transactionsEnabled
    ? (flags['transactional-id'] ?? properties['transactional.id'] ?? `performance-producer-${randomId()}`)
    : undefined
  const payloadFile = flags['payload-file']
  return {
    topic: flags.topic,
    numRecords,
    payload:
      flags['record-size'] !== undefined
        ? { kind: 'size', size: flags['record-size'] }
        : payloadFile !== undefined
          ? {
              kind: 'file',
              path: resolve(payloadFile),
              payloads: readPayloads(payloadFile, flags['payload-delimiter']),
            }
          : { kind: 'monotonic' },
    throughput: flags.throughput,
    properties,
    ...(configFile !== undefined ? { configFile } : {}),
    ...(transactionalId !== undefined ? { transactionalId } : {}),
    transactionDurationMs: flags['transaction-duration-ms'] ?? DEFAULT_TRANSACTION_DURATION_MS,
    warmupRecords,
    reportingIntervalMs,
    keyDistribution: distribution as KeyDistribution,
    ...(range !== undefined ? { recordKeyRange: range } : {}),
    randomSeed: flags['random-seed'] ?? 0,
    warnings,
  }
}

/**
 * The payload file split as Java's String.split(delimiter) does: the delimiter is a regular expression, and empty
 * strings at the end are dropped. Default "\n" (the script's "\\n").
 */
export function splitPayloads(text: string, delimiter = '\\n'): string[] {
  const pattern = delimiter === '\\n' ? '\n' : delimiter
  let regex: RegExp
  try {
    regex = new RegExp(pattern, 'u')
  } catch (error) {
    throw usage(`Invalid --payload-delimiter "${delimiter}": ${(error as Error).message}`)
  }
  const parts = text.split(regex)
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

function readPayloads(path: string, delimiter: string | undefined): Buffer[] {
  let size: number
  try {
    size = statSync(path).size
  } catch {
    size = 0
  }
  if (size === 0) throw usage('File does not exist or empty file provided.')
  return splitPayloads(readFileSync(path, 'utf8'), delimiter).map((p) => Buffer.from(p, 'utf8'))
}

export interface ConsumerPerfFlags {
  topic?: string
  include?: string
  'num-records'?: number
  messages?: number
  timeout?: number
  'reporting-interval'?: number
  'date-format'?: string
  'consumer.config'?: string
  'command-config'?: string
  'fetch-size'?: number
}

export interface ConsumerPerfOptions {
  topic?: string
  include?: string
  numRecords: number
  timeoutMs: number
  reportingIntervalMs: number
  dateFormat: string
  warnings: string[]
}

export function consumerPerfOptions(flags: ConsumerPerfFlags): ConsumerPerfOptions {
  const warnings: string[] = []
  if (flags.messages !== undefined) warnings.push('Warning: --messages is deprecated. Use --num-records instead.')
  if (flags['consumer.config'] !== undefined)
    warnings.push('Warning: --consumer.config is deprecated. Use --command-config instead.')
  if (flags['num-records'] !== undefined && flags.messages !== undefined)
    throw usage('Option num-records is not allowed with option messages (they are the same; give one).')
  if (flags['command-config'] !== undefined && flags['consumer.config'] !== undefined)
    throw usage('Option command-config is not allowed with option consumer.config (they are the same; give one).')
  if ((flags.topic === undefined) === (flags.include === undefined))
    throw usage('Exactly one of --topic or --include must be given.')
  const numRecords = flags['num-records'] ?? flags.messages
  if (numRecords === undefined) throw usage('Missing required argument "[num-records]"')
  if (numRecords < 0) throw usage('--num-records must not be negative.')
  const reportingIntervalMs = flags['reporting-interval'] ?? 5000
  if (reportingIntervalMs <= 0) throw usage('Reporting interval must be greater than 0.')
  const dateFormat = flags['date-format'] ?? 'yyyy-MM-dd HH:mm:ss:SSS'
  const unknown = unknownDateLetters(dateFormat)
  if (unknown.length > 0)
    throw usage(
      `--date-format "${dateFormat}": kafkit does not format the SimpleDateFormat letter(s) ${unknown.join(', ')} (known: y M d H h k K m s S a E Z X z).`,
    )
  return {
    ...(flags.topic !== undefined ? { topic: flags.topic } : {}),
    ...(flags.include !== undefined ? { include: flags.include } : {}),
    numRecords,
    timeoutMs: flags.timeout ?? 10_000,
    reportingIntervalMs,
    dateFormat,
    warnings,
  }
}
