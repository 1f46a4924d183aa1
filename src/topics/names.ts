import { UsageError } from '../errors.js'

/** Kafka's own limit (Topic.MAX_NAME_LENGTH): 249, so that partition directory names stay under 255. */
const MAX_TOPIC_NAME_LENGTH = 249

/** Topics the brokers manage themselves; `--exclude-internal` hides them, like Kafka's Topic.isInternal. */
export const INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state', '__share_group_state'] as const

export function isInternalTopic(name: string): boolean {
  return (INTERNAL_TOPICS as readonly string[]).includes(name)
}

/** The reason a topic name is illegal, in Kafka's wording (Topic.validate), or undefined when it is fine. */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return "Topic name is illegal, it can't be empty"
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."'
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters (this one has ${name.length})`
  }
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`
  }
  return undefined
}

export function validateTopicName(name: string): string {
  const problem = topicNameProblem(name)
  if (problem) throw new UsageError(`${problem}.`, { code: 'INVALID_TOPIC_NAME' })
  return name
}

/**
 * '.' and '_' both become '_' in metric names, so "a.b" and "a_b" would share metrics. The script warns about
 * names that mix them; so do we.
 */
export function hasCollisionChars(name: string): boolean {
  return name.includes('.') && name.includes('_')
}
