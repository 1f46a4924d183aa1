import { Flags } from '@oclif/core'
import { UsageError } from './errors.js'

/** Flags shared by commands, defined once so every command spells and documents them the same way. */
export const stackFlag = Flags.string({
  description: 'Name of the local stack (each has its own configs, data, logs and ports).',
  default: 'default',
  env: 'KAFKIT_STACK',
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
const durationType = (limits: { min?: number; negative?: boolean }) => Flags.custom<number>({
  parse: async (input, _context, opts) => {
    const ms = parseDuration(input, `--${opts.name}`, limits)
    if (limits.min !== undefined && ms >= 0 && ms < limits.min) {
      throw new UsageError(`Invalid --${opts.name} "${input}": must be at least ${limits.min} ms.`, { code: 'BAD_DURATION' })
    }
    return ms
  },
})

const describeDuration = (description: string) => `${description} (500ms, 5s, 2m or plain milliseconds).`

/** A duration flag with a default, written as the user would (`'30s'`), shown that way in --help. */
export const durationFlag = (description: string, defaultValue: string, options: { min?: number; helpGroup?: string } = {}) =>
  durationType(options)({
    description: describeDuration(description), default: parseDuration(defaultValue, 'default'), defaultHelp: async () => defaultValue,
    ...(options.helpGroup ? { helpGroup: options.helpGroup } : {}),
  })

/** A duration flag without a default (undefined when not given). */
export const optionalDurationFlag = (description: string, options: { min?: number; negative?: boolean } = {}) =>
  durationType(options)({ description: describeDuration(description) })

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
