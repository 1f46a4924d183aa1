import { UsageError } from '../errors.js'
import { parseKeyValues } from '../util/properties.js'

/**
 * `--property key=value` lists of the console tools. Kafka's scripts silently ignore unknown keys and
 * treat "print.key=yes" as false; kafkit refuses both, because a typo there silently changes the output.
 */
export function parseToolProperties(
  values: readonly string[] | undefined,
  flag: string,
  known: readonly string[],
  knownPrefixes: readonly string[] = [],
): Record<string, string> {
  return parseKeyValues(values, flag, {
    code: 'BAD_PROPERTY',
    malformed: (item) => `Malformed ${flag} "${item}": expected key=value.`,
    known,
    knownPrefixes,
  })
}

/** true/false like Kafka (case-insensitive, trimmed), but anything else is an error rather than false. */
export function booleanProperty(properties: Record<string, string>, key: string, fallback: boolean): boolean {
  const raw = properties[key]
  if (raw === undefined) return fallback
  const value = raw.trim().toLowerCase()
  if (value === 'true') return true
  if (value === 'false') return false
  throw new UsageError(`Invalid property ${key}=${raw}: expected true or false.`, { code: 'BAD_PROPERTY' })
}
