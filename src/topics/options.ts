/**
 * Turns `topics` flags into one validated request, with the script's rules (exactly one action, which flag
 * goes with which action) and its messages, so every bad command line is a usage error before any
 * connection is made. Pure.
 */
import { UsageError } from '../errors.js'
import { parseKeyValues } from '../util/properties.js'
import { compileTopicFilter } from './filter.js'
import { hasCollisionChars, validateTopicName } from './names.js'
import { parseReplicaAssignment } from './replica-assignment.js'
import type { DescribeFilters } from './describe.js'

interface TopicsFlags {
  topic?: string
  list?: boolean
  describe?: boolean
  create?: boolean
  delete?: boolean
  alter?: boolean
  partitions?: number
  'replication-factor'?: number
  'replica-assignment'?: string
  config?: string[]
  'if-exists'?: boolean
  'if-not-exists'?: boolean
  'exclude-internal'?: boolean
  'under-replicated-partitions'?: boolean
  'unavailable-partitions'?: boolean
  'under-min-isr-partitions'?: boolean
  'at-min-isr-partitions'?: boolean
  'topics-with-overrides'?: boolean
  'partition-size-limit-per-response'?: number
  yes?: boolean
}

type TopicsAction = 'list' | 'describe' | 'create' | 'delete' | 'alter'

export type TopicsRequest =
  | { action: 'list'; filter?: RegExp; excludeInternal: boolean }
  | {
      action: 'describe'
      filter?: RegExp
      topic?: string
      excludeInternal: boolean
      ifExists: boolean
      filters: DescribeFilters
      partitionLimit?: number
    }
  | {
      action: 'create'
      topic: string
      partitions?: number
      replicationFactor?: number
      replicaAssignment?: number[][]
      configs: Record<string, string>
      ifNotExists: boolean
      collisionWarning: boolean
    }
  | { action: 'delete'; filter: RegExp; topic: string; ifExists: boolean; yes: boolean }
  | {
      action: 'alter'
      filter: RegExp
      topic: string
      partitions: number
      replicaAssignment?: number[][]
      ifExists: boolean
    }

const ACTIONS: TopicsAction[] = ['list', 'describe', 'create', 'alter', 'delete']
const REPORT_FLAGS = [
  'under-replicated-partitions',
  'unavailable-partitions',
  'under-min-isr-partitions',
  'at-min-isr-partitions',
] as const

/** The topic from `--topic` or the first argument; both given must agree. */
export function topicFrom(flag: string | undefined, arg: string | undefined): string | undefined {
  if (flag !== undefined && arg !== undefined && flag !== arg) {
    throw new UsageError(`Two different topics given: "${arg}" (argument) and "${flag}" (--topic).`, {
      code: 'CONFLICTING_FLAGS',
    })
  }
  return flag ?? arg
}

export function selectedAction(flags: TopicsFlags, topic: string | undefined): TopicsAction {
  const chosen = ACTIONS.filter((a) => flags[a])
  if (chosen.length > 1) {
    throw new UsageError(
      `Conflicting actions ${chosen.map((a) => `--${a}`).join(' and ')}: the command must include exactly one action: --list, --describe, --create, --alter or --delete.`,
      { code: 'CONFLICTING_FLAGS' },
    )
  }
  // Friendlier than the script, which demands an action: a bare `topics` lists, `topics NAME` describes.
  return chosen[0] ?? (topic === undefined ? 'list' : 'describe')
}

/** Flags that only make sense with some actions (the script's checkInvalidArgs), as usage errors. */
function checkFlagsFor(action: TopicsAction, flags: TopicsFlags): void {
  const allowed: Array<[keyof TopicsFlags, TopicsAction[]]> = [
    ['config', ['create']],
    ['partitions', ['create', 'alter']],
    ['replication-factor', ['create']],
    ['replica-assignment', ['create', 'alter']],
    ['if-exists', ['alter', 'delete', 'describe']],
    ['if-not-exists', ['create']],
    ['exclude-internal', ['list', 'describe']],
    ['topics-with-overrides', ['describe']],
    ['partition-size-limit-per-response', ['describe']],
    ...REPORT_FLAGS.map((f): [keyof TopicsFlags, TopicsAction[]] => [f, ['describe']]),
  ]
  for (const [flag, actions] of allowed) {
    const value = flags[flag]
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false
    if (given && !actions.includes(action)) {
      const hint =
        flag === 'config' && action === 'alter'
          ? ' (to change topic configs use: kafkit configs --alter --topic NAME --add-config k=v)'
          : ''
      throw new UsageError(
        `Option --${flag} can't be used with --${action}; it goes with ${actions.map((a) => `--${a}`).join(' or ')}${hint}.`,
        { code: 'CONFLICTING_FLAGS' },
      )
    }
  }
  if (flags['topics-with-overrides'] && REPORT_FLAGS.some((f) => flags[f])) {
    throw new UsageError(
      "Option --topics-with-overrides can't be used with the partition report options (--under-replicated-partitions ...).",
      { code: 'CONFLICTING_FLAGS' },
    )
  }
}

/** Parses repeated `--config key=value` (a topic config override at creation). */
export function parseTopicConfigs(values: string[] | undefined): Record<string, string> {
  const configs = parseKeyValues(values, '--config', {
    code: 'BAD_CONFIG',
    malformed: (item) => `Invalid --config "${item}": all configs to be added must be in the format "key=val".`,
    suggestions: ['Repeat --config for each setting: --config retention.ms=86400000 --config cleanup.policy=compact'],
  })
  // Kafka's script also refuses an empty value here (a topic override cannot be unset at creation).
  const empty = Object.entries(configs).find(([, value]) => value.trim() === '')
  if (empty) {
    throw new UsageError(`Invalid --config "${empty[0]}=": all configs to be added must be in the format "key=val".`, {
      code: 'BAD_CONFIG',
      suggestions: ['Repeat --config for each setting: --config retention.ms=86400000 --config cleanup.policy=compact'],
    })
  }
  return Object.fromEntries(Object.entries(configs).map(([key, value]) => [key, value.trim()]))
}

export function resolveTopicsRequest(flags: TopicsFlags, topic: string | undefined): TopicsRequest {
  const action = selectedAction(flags, topic)
  checkFlagsFor(action, flags)
  const needTopic = (): string => {
    if (topic === undefined || topic === '') {
      throw new UsageError(`--${action} needs a topic: --topic NAME or the topic as the first argument.`, {
        code: 'MISSING_TOPIC',
      })
    }
    return topic
  }
  switch (action) {
    case 'list':
      return {
        action,
        filter: topic === undefined ? undefined : compileTopicFilter(topic),
        excludeInternal: Boolean(flags['exclude-internal']),
      }
    case 'describe':
      return {
        action,
        topic,
        filter: topic === undefined ? undefined : compileTopicFilter(topic),
        excludeInternal: Boolean(flags['exclude-internal']),
        ifExists: Boolean(flags['if-exists']),
        filters: {
          underReplicated: flags['under-replicated-partitions'],
          unavailable: flags['unavailable-partitions'],
          underMinIsr: flags['under-min-isr-partitions'],
          atMinIsr: flags['at-min-isr-partitions'],
          topicsWithOverrides: flags['topics-with-overrides'],
        },
        ...(flags['partition-size-limit-per-response'] === undefined
          ? {}
          : {
              partitionLimit: positive(
                flags['partition-size-limit-per-response'],
                '--partition-size-limit-per-response',
              ),
            }),
      }
    case 'create': {
      const name = validateTopicName(needTopic())
      const assignment =
        flags['replica-assignment'] === undefined ? undefined : parseReplicaAssignment(flags['replica-assignment'])
      if (assignment && (flags.partitions !== undefined || flags['replication-factor'] !== undefined)) {
        throw new UsageError(
          "Option --replica-assignment can't be used with --partitions or --replication-factor: the assignment already sets both.",
          { code: 'CONFLICTING_FLAGS' },
        )
      }
      checkPartitions(flags.partitions)
      const rf = flags['replication-factor']
      if (rf !== undefined && (rf < 1 || rf > 32_767)) {
        throw new UsageError(
          `Invalid --replication-factor ${rf}: the replication factor must be between 1 and 32767 inclusive.`,
          { code: 'BAD_REPLICATION_FACTOR' },
        )
      }
      return {
        action,
        topic: name,
        partitions: flags.partitions,
        replicationFactor: rf,
        replicaAssignment: assignment,
        configs: parseTopicConfigs(flags.config),
        ifNotExists: Boolean(flags['if-not-exists']),
        collisionWarning: hasCollisionChars(name),
      }
    }
    case 'delete': {
      const name = needTopic()
      return {
        action,
        topic: name,
        filter: compileTopicFilter(name),
        ifExists: Boolean(flags['if-exists']),
        yes: Boolean(flags.yes),
      }
    }
    case 'alter': {
      const name = needTopic()
      if (flags.partitions === undefined) {
        throw new UsageError('--alter needs --partitions N (the new, larger partition count).', {
          code: 'MISSING_PARTITIONS',
          suggestions: ['To change topic configs use: kafkit configs --alter --topic NAME --add-config key=value'],
        })
      }
      checkPartitions(flags.partitions)
      const assignment =
        flags['replica-assignment'] === undefined ? undefined : parseReplicaAssignment(flags['replica-assignment'])
      return {
        action,
        topic: name,
        filter: compileTopicFilter(name),
        partitions: flags.partitions,
        replicaAssignment: assignment,
        ifExists: Boolean(flags['if-exists']),
      }
    }
  }
}

function positive(value: number, flag: string): number {
  if (value < 1) throw new UsageError(`Invalid ${flag} ${value}: it must be greater than 0.`, { code: 'BAD_NUMBER' })
  return value
}

function checkPartitions(partitions: number | undefined): void {
  if (partitions !== undefined && partitions < 1) {
    throw new UsageError(`Invalid --partitions ${partitions}: the partitions must be greater than 0.`, {
      code: 'BAD_PARTITIONS',
    })
  }
}
