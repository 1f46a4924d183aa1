/** DumpLogSegments' flag rules (kafka-dump-log.sh), as pure functions. */
import { UsageError } from '../errors.js'
import type { DecoderName } from './parsers.js'

/** The decoder classes kafkit implements: the script's default, under its 4.x and 3.x names. */
const STRING_DECODERS = new Set([
  'org.apache.kafka.tools.api.StringDecoder',
  'kafka.serializer.StringDecoder',
  'StringDecoder',
])

export interface DecoderFlags {
  'offsets-decoder'?: boolean
  'transaction-log-decoder'?: boolean
  'cluster-metadata-decoder'?: boolean
  'remote-log-metadata-decoder'?: boolean
  'share-group-state-decoder'?: boolean
  'value-decoder-class'?: string
  'key-decoder-class'?: string
  'print-data-log'?: boolean
  'deep-iteration'?: boolean
}

/** The script's precedence: offsets, transaction log, cluster metadata, then the key/value decoder classes. */
export function decoderFrom(flags: DecoderFlags, topic?: string): DecoderName {
  if (flags['offsets-decoder']) return 'offsets'
  if (flags['transaction-log-decoder']) return 'transaction-log'
  if (flags['cluster-metadata-decoder']) return 'cluster-metadata'
  if (flags['remote-log-metadata-decoder'] || flags['share-group-state-decoder'])
    throw new UsageError(
      `--${flags['remote-log-metadata-decoder'] ? 'remote-log-metadata-decoder' : 'share-group-state-decoder'} is not supported by kafkit dump-log.`,
      {
        code: 'UNSUPPORTED_DECODER',
        suggestions: ["Run Kafka's own kafka-dump-log.sh for these records, or --print-data-log for the raw bytes."],
      },
    )
  for (const flag of ['value-decoder-class', 'key-decoder-class'] as const) {
    const name = flags[flag]
    if (name !== undefined && name !== '' && !STRING_DECODERS.has(name))
      throw new UsageError(`--${flag} ${name}: kafkit runs no Java decoder classes; only StringDecoder is built in.`, {
        code: 'UNSUPPORTED_DECODER',
        suggestions: [
          "Leave the flag out (StringDecoder is the default), or run Kafka's own kafka-dump-log.sh with the class on its classpath.",
        ],
      })
  }
  // kafkit's own --topic: Kafka's internal logs get their decoder without asking.
  if (topic === '__consumer_offsets') return 'offsets'
  if (topic === '__transaction_state') return 'transaction-log'
  if (topic === '__cluster_metadata') return 'cluster-metadata'
  return 'string'
}

/** Any decoder option turns on --print-data-log, which turns on --deep-iteration. */
export function printDataLogFrom(flags: DecoderFlags): boolean {
  return Boolean(
    flags['print-data-log'] ||
    flags['offsets-decoder'] ||
    flags['transaction-log-decoder'] ||
    flags['cluster-metadata-decoder'] ||
    flags['remote-log-metadata-decoder'] ||
    flags['share-group-state-decoder'] ||
    flags['value-decoder-class'] !== undefined ||
    flags['key-decoder-class'] !== undefined,
  )
}

export function filesFrom(files: string | undefined, topic: string | undefined): string[] | undefined {
  if (files !== undefined && topic !== undefined)
    throw new UsageError('--files and --topic cannot be used together.', { code: 'CONFLICTING_FLAGS' })
  if (files === undefined) {
    if (topic === undefined)
      throw new UsageError('Missing required argument "[files]"', {
        code: 'MISSING_FLAG',
        suggestions: ["Give --files a.log,b.index, or --topic (and --partition) to dump a local stack's segments."],
      })
    return undefined
  }
  return files.split(',')
}

export function positiveInt(value: number, flag: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 2_147_483_647)
    throw new UsageError(`--${flag} must be an integer between 0 and 2147483647, got ${value}.`, { code: 'BAD_FLAG' })
  return value
}
