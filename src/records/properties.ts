import { UsageError } from '../errors.js'

/**
 * `--property key=value` lists of the console tools. Kafka's scripts silently ignore unknown keys and
 * treat "print.key=yes" as false; kafkit refuses both, because a typo there silently changes the output.
 */
export function parseToolProperties(values: readonly string[] | undefined, flag: string, known: readonly string[], knownPrefixes: readonly string[] = []): Record<string, string> {
  const result: Record<string, string> = {}
  for (const item of values ?? []) {
    const index = item.indexOf('=')
    if (index <= 0) {
      throw new UsageError(`Malformed ${flag} "${item}": expected key=value.`, { code: 'BAD_PROPERTY', suggestions: [`Known keys: ${known.join(', ')}`] })
    }
    const key = item.slice(0, index).trim()
    if (!known.includes(key) && !knownPrefixes.some((prefix) => key.startsWith(prefix))) {
      throw new UsageError(`Unknown ${flag} key "${key}".`, { code: 'BAD_PROPERTY', suggestions: [`Known keys: ${known.join(', ')}`] })
    }
    result[key] = item.slice(index + 1)
  }
  return result
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
