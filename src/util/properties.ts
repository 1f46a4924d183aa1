/**
 * key=value, the one shape every Kafka tool takes settings in: properties files (--command-config, server.properties)
 * and repeated flags (--override, --command-property, --property, --config). Parsed here and only here.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'

/** Parses `key=value` lines (Java properties, without continuation lines, which kafkit never writes). */
export function parseProperties(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith('!')) continue
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line)
    if (match) result[match[1]!] = match[2]!
  }
  return result
}

/** A properties file named by a flag; an unreadable file is a usage error naming the flag. */
export function readPropertiesFile(path: string, flag: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new UsageError(`Cannot read ${flag} file ${path}.`, { code: 'NO_SUCH_FILE' })
  }
  return parseProperties(text)
}

/** One `key=value` item split at its first '=', or undefined when it has no key or no '='. */
export function splitKeyValue(item: string): [key: string, value: string] | undefined {
  const index = item.indexOf('=')
  if (index <= 0) return undefined
  const key = item.slice(0, index).trim()
  return key ? [key, item.slice(index + 1)] : undefined
}

interface KeyValueRules {
  /** Error code of a malformed item (default BAD_KEY_VALUE). */
  code?: string
  /** Message of a malformed item (default `Invalid <flag> "<item>": expected key=value.`). */
  malformed?: (item: string) => string
  suggestions?: string[]
  /** Every other key is refused (with the known ones as the suggestion). */
  known?: readonly string[]
  knownPrefixes?: readonly string[]
}

/** Parses repeated `key=value` flags into an object, the last one winning, refusing malformed (and unknown) keys. */
export function parseKeyValues(
  values: readonly string[] | undefined,
  flag: string,
  rules: KeyValueRules = {},
): Record<string, string> {
  const code = rules.code ?? 'BAD_KEY_VALUE'
  const knownHint = rules.known ? [`Known keys: ${rules.known.join(', ')}`] : []
  const result: Record<string, string> = {}
  for (const item of values ?? []) {
    const pair = splitKeyValue(item)
    if (!pair) {
      const message = rules.malformed?.(item) ?? `Invalid ${flag} "${item}": expected key=value.`
      throw new UsageError(message, { code, suggestions: rules.suggestions ?? knownHint })
    }
    const [key, value] = pair
    if (
      rules.known &&
      !rules.known.includes(key) &&
      !(rules.knownPrefixes ?? []).some((prefix) => key.startsWith(prefix))
    ) {
      throw new UsageError(`Unknown ${flag} key "${key}".`, { code, suggestions: knownHint })
    }
    result[key] = value
  }
  return result
}
