import { Flags } from '@oclif/core'
import { UsageError } from './errors.js'

/** Flags shared by commands, defined once so every command spells and documents them the same way. */
export const stackFlag = Flags.string({
  description: 'Name of the local stack (each has its own configs, data, logs and ports).',
  default: 'default',
  env: 'KAFKIT_STACK',
  helpGroup: 'STACK',
})

export const durationFlag = (description: string, defaultValue: string) =>
  Flags.string({ description: `${description} (e.g. 500ms, 30s, 2m).`, default: defaultValue })

/** Parses "500ms", "30s", "2m", "1h" or a bare number of seconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim())
  if (!match) throw new UsageError(`Invalid ${flag} "${value}": expected a duration like 500ms, 30s or 2m.`, { code: 'BAD_DURATION' })
  const amount = Number(match[1])
  const unit = match[2] ?? 's'
  return amount * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!
}

/** Parses repeated `key=value` flags (`--override`, `--config`) into an object, rejecting malformed ones. */
export function parseKeyValues(values: string[] | undefined, flag: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const item of values ?? []) {
    const index = item.indexOf('=')
    if (index <= 0) throw new UsageError(`Invalid ${flag} "${item}": expected key=value.`, { code: 'BAD_KEY_VALUE' })
    result[item.slice(0, index).trim()] = item.slice(index + 1)
  }
  return result
}
