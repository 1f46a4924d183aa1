import { UsageError } from '../errors.js'
import { isInternalTopic } from './names.js'

/**
 * Kafka's `--topic` regular expression (TopicFilter.IncludeList): trimmed, commas mean "or", spaces and
 * surrounding quotes are dropped, and the whole name must match (Java's String.matches). Java and
 * JavaScript regular expressions agree on everything people write here (`orders.*`, `a|b`, `[0-9]+`).
 */
export function compileTopicFilter(raw: string, flag = '--topic'): RegExp {
  const source = raw
    .trim()
    .replace(/,/g, '|')
    .replace(/ /g, '')
    .replace(/^["']+/, '')
    .replace(/["']+$/, '')
  try {
    return new RegExp(`^(?:${source})$`)
  } catch {
    throw new UsageError(`Invalid ${flag} "${raw}": ${source} is an invalid regex.`, { code: 'BAD_REGEX' })
  }
}

/** Topics matching the filter (all when there is none), sorted like the script, without internal topics if asked. */
export function selectTopics(all: Iterable<string>, filter: RegExp | undefined, excludeInternal: boolean): string[] {
  return [...all]
    .filter((name) => (!filter || filter.test(name)) && !(excludeInternal && isInternalTopic(name)))
    .sort(compareStrings)
}

/** Java's String.compareTo order (UTF-16 code units), which is what the scripts' sorted sets use. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
