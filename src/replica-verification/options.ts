/** kafka-replica-verification.sh's flags (ReplicaVerificationTool, 3.9 to 4.4), pure. */
import { UsageError } from '../errors.js'
import { compileTopicFilter } from '../topics/filter.js'

export interface ReplicaVerificationFlagValues {
  'topics-include'?: string
  'topic-white-list'?: string
  time: string
  'fetch-size': number
  'max-wait-ms': number
  'report-interval-ms': number
  'max-reports'?: number
}

export interface ReplicaVerificationSettings {
  /** The topic filter, as the tool's TopicFilter.IncludeList matches it (the whole name). */
  include: RegExp
  includeText: string
  /** -1 latest, -2 earliest, else a timestamp (ms). */
  time: bigint
  fetchSize: number
  maxWaitMs: number
  reportIntervalMs: number
  /** kafkit's bound: stop after this many report lines (undefined: until stopped). */
  maxReports?: number
}

const usage = (message: string) => new UsageError(message, { code: 'BAD_FLAGS' })

export function replicaVerificationSettings(f: ReplicaVerificationFlagValues): ReplicaVerificationSettings {
  // 3.9's --topic-white-list is ignored when --topics-include is given, as there.
  const includeText = f['topics-include'] ?? f['topic-white-list'] ?? '.*'
  if (!/^-?\d+$/.test(f.time.trim()))
    throw usage(`Cannot parse argument '${f.time}' of option time: a timestamp in ms, -1 (latest) or -2 (earliest).`)
  const time = BigInt(f.time.trim())
  if (time < -2n) throw usage(`--time ${f.time}: a timestamp in ms, -1 (latest) or -2 (earliest).`)
  if (f['fetch-size'] <= 0) throw usage('--fetch-size must be positive.')
  if (f['max-wait-ms'] < 0) throw usage('--max-wait-ms must not be negative.')
  if (f['max-reports'] !== undefined && f['max-reports'] < 1) throw usage('--max-reports must be at least 1.')
  return {
    include: compileTopicFilter(includeText, '--topics-include'),
    includeText,
    time,
    fetchSize: f['fetch-size'],
    maxWaitMs: f['max-wait-ms'],
    reportIntervalMs: f['report-interval-ms'],
    ...(f['max-reports'] !== undefined ? { maxReports: f['max-reports'] } : {}),
  }
}
