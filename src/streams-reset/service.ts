/**
 * What `kafkit streams-application-reset` does, step by step as StreamsResetter (Kafka 4.4) does it, on kafkit's own
 * client: refuse while the application's group has members (or remove them with --force), move the committed offsets
 * of the input topics (earliest by default) and of intermediate topics (to their end) with a "simple" commit
 * (generation -1, no member, as the tool's assign()-mode consumer), then delete the application's internal topics.
 * A dry run reads everything and changes nothing.
 */
import type { ConnectionSettings } from '../connection/settings.js'
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { javaStringHash } from '../output/java-format.js'
import { tpKey, type TopicPartition } from '../model/groups.js'
import {
  checkOffsetRange,
  isInternalTopic,
  javaHashOrder,
  javaList,
  tpHash,
  type StreamsResetOptions,
} from './options.js'

export interface StreamsResetContext {
  connection: ConnectionSettings
  reporter: Reporter
  debug?: boolean
}

export interface PartitionReset extends TopicPartition {
  /** Committed before the reset; null when nothing was. */
  previousOffset: number | null
  offset: number
}

export interface StreamsResetResult {
  applicationId: string
  dryRun: boolean
  /** Members removed with --force (their member ids). */
  removedMembers: string[]
  inputTopics: string[]
  intermediateTopics: string[]
  notFoundInputTopics: string[]
  notFoundIntermediateTopics: string[]
  /** In the order the tool prints them (its HashSet's). */
  inputPartitions: PartitionReset[]
  intermediatePartitions: PartitionReset[]
  /** The tool's remarks on targets it moved into the log ("New offset (9) is higher than latest offset..."). */
  notes: string[]
  /** Whether offsets were committed (not on a dry run, nor when no topic was found). */
  committed: boolean
  internalTopics: { source: 'inferred' | 'specified'; topics: string[]; deleted: boolean }
  /** 1 when an input or intermediate topic does not exist, as the tool's. */
  exitCode: 0 | 1
}

/** The tool's refusal, word for word (it lists the members' MemberDescriptions; kafkit their ids). */
function stillActive(group: string, members: string[], kind: 'Consumer' | 'Streams', force: boolean): KafkitError {
  return new KafkitError(
    `${kind} group '${group}' is still active and has following members: ${javaList(members)}. Make sure to stop all running application instances before running the reset tool.${kind === 'Consumer' && !force ? " You can use option '--force' to remove active members from the group." : ''}`,
    {
      code: 'GROUP_ACTIVE',
      suggestions:
        kind === 'Streams'
          ? [
              'Members of a streams group (group.protocol=streams) cannot be removed by a tool: stop the application and wait for its session timeout (streams.session.timeout.ms).',
            ]
          : [],
    },
  )
}

export async function resetStreamsApplication(
  ctx: StreamsResetContext,
  options: StreamsResetOptions,
): Promise<StreamsResetResult> {
  const [{ GroupsClient }, admin, groupAdmin] = await Promise.all([
    import('../cluster/groups.js'),
    import('../cluster/admin.js'),
    import('../cluster/group-admin.js'),
  ])
  const groups = await GroupsClient.connect(ctx.connection, ctx.debug ? { reporter: ctx.reporter } : {})
  try {
    const app = options.applicationId
    const result: StreamsResetResult = {
      applicationId: app,
      dryRun: options.dryRun,
      removedMembers: [],
      inputTopics: options.inputTopics,
      intermediateTopics: options.intermediateTopics,
      notFoundInputTopics: [],
      notFoundIntermediateTopics: [],
      inputPartitions: [],
      intermediatePartitions: [],
      notes: [],
      committed: false,
      internalTopics: {
        source: options.internalTopics.length > 0 ? 'specified' : 'inferred',
        topics: [],
        deleted: false,
      },
      exitCode: 0,
    }

    // 1. Nobody may be in the group (the tool asks DescribeConsumerGroups; a streams group it cannot see, and its
    // commit then fails half-way: kafkit asks StreamsGroupDescribe too and refuses before changing anything).
    const [described] = await groups.describeGroups([app])
    if (described?.notConsumerGroup) {
      const streams = await groupAdmin.describeStreamsGroup(groups.kafka, app)
      if (streams.errorCode === 0 && streams.members.length > 0)
        throw stillActive(
          app,
          streams.members.map((m) => m.memberId),
          'Streams',
          options.force,
        )
    } else if (described && described.members.length > 0) {
      const ids = described.members.map((m) => m.memberId)
      if (!options.force) throw stillActive(app, ids, 'Consumer', false)
      await groups.removeMembers(app, ids)
      result.removedMembers = ids
    }

    // 2. Every topic but Kafka's internal ones, in the order of the tool's HashMap-backed topic list.
    const metadata = await groups.kafka.metadata(null)
    const partitionsOf = new Map<string, number[]>()
    for (const t of metadata.topics)
      if (t.name !== null && t.errorCode === 0 && !t.isInternal)
        partitionsOf.set(
          t.name,
          t.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b),
        )
    const allTopics = javaHashOrder([...partitionsOf.keys()], javaStringHash)
    const inferred = allTopics.filter((t) => isInternalTopic(t, options))
    // The tool checks this after committing; kafkit before anything changes.
    if (options.internalTopics.length > 0 && !options.internalTopics.every((t) => inferred.includes(t)))
      throw new KafkitError(
        'Invalid topic specified in the --internal-topics option. Ensure that the topics specified are all internal topics. Do a dry run without the --internal-topics option to see the list of all internal topics that can be deleted.',
        { code: 'BAD_INTERNAL_TOPICS' },
      )
    result.internalTopics.topics = options.internalTopics.length > 0 ? options.internalTopics : inferred

    // 3. Offsets.
    result.notFoundInputTopics = options.inputTopics.filter((t) => !partitionsOf.has(t))
    result.notFoundIntermediateTopics = options.intermediateTopics.filter((t) => !partitionsOf.has(t))
    if (result.notFoundInputTopics.length > 0 || result.notFoundIntermediateTopics.length > 0) result.exitCode = 1
    const subscribed = javaHashOrder(
      [...new Set([...options.inputTopics, ...options.intermediateTopics].filter((t) => partitionsOf.has(t)))],
      javaStringHash,
      options.inputTopics.length + options.intermediateTopics.length,
    )
    if (subscribed.length > 0) {
      const partitions = subscribed.flatMap((topic) =>
        partitionsOf.get(topic)!.map((partition) => ({ topic, partition })),
      )
      const inputs = javaHashOrder(
        partitions.filter((tp) => options.inputTopics.includes(tp.topic)),
        tpHash,
      )
      const intermediates = javaHashOrder(
        partitions.filter((tp) => !options.inputTopics.includes(tp.topic)),
        tpHash,
      )
      const [logs, committed] = await Promise.all([groups.logOffsets(partitions), groups.committedOffsets(app)])
      const log = (tp: TopicPartition) => {
        const found = logs.get(tpKey(tp.topic, tp.partition))
        if (!found)
          throw new KafkitError(`No log offsets for ${tp.topic}-${tp.partition} (does the partition have a leader?).`, {
            code: 'NO_LOG_OFFSETS',
          })
        return found
      }
      const targets = await inputTargets(options, inputs, log, committed, result.notes, (ts) =>
        groups.offsetsForTimes(inputs, ts),
      )
      const row = (tp: TopicPartition, offset: number): PartitionReset => ({
        topic: tp.topic,
        partition: tp.partition,
        previousOffset: committed.get(tpKey(tp.topic, tp.partition)) ?? null,
        offset,
      })
      result.inputPartitions = inputs.map((tp) => row(tp, targets.get(tpKey(tp.topic, tp.partition))!))
      result.intermediatePartitions = intermediates.map((tp) => row(tp, log(tp).end))
      if (!options.dryRun) {
        await groups.commitOffsets(app, [...result.inputPartitions, ...result.intermediatePartitions])
        result.committed = true
      }
    }

    // 4. Internal topics.
    if (!options.dryRun && result.internalTopics.topics.length > 0) {
      const failed: string[] = []
      for (const topic of result.internalTopics.topics) {
        try {
          await admin.deleteTopic(groups.kafka, topic)
        } catch (error) {
          failed.push(`${topic} (${(error as Error).message})`)
        }
      }
      if (failed.length > 0)
        throw new KafkitError(`Encountered an error deleting one or more topics: ${failed.join(', ')}`, {
          code: 'DELETE_FAILED',
        })
      result.internalTopics.deleted = true
    }
    return result
  } finally {
    await groups.close()
  }
}

/** The new offset of each input partition (StreamsResetter.maybeReset), with the tool's remarks in its order. */
async function inputTargets(
  options: StreamsResetOptions,
  inputs: TopicPartition[],
  log: (tp: TopicPartition) => { start: number; end: number },
  committed: Map<string, number>,
  notes: string[],
  offsetsForTimes: (timestamp: number) => Promise<Map<string, number | null>>,
): Promise<Map<string, number>> {
  const targets = new Map<string, number>()
  const key = (tp: TopicPartition) => tpKey(tp.topic, tp.partition)
  // checkOffsetRange iterates a HashMap sized for the input partitions (a plan file's: default-sized, all its rows).
  const checked = (wanted: Array<{ tp: TopicPartition; offset: number }>, initialCapacity: number) => {
    for (const { tp, offset } of javaHashOrder(wanted, (w) => tpHash(w.tp), initialCapacity)) {
      const range = checkOffsetRange(offset, log(tp))
      if (range.message) notes.push(range.message)
      targets.set(key(tp), range.offset)
    }
  }
  const mode = options.mode
  switch (mode.kind) {
    case 'earliest':
      for (const tp of inputs) targets.set(key(tp), log(tp).start)
      break
    case 'latest':
      for (const tp of inputs) targets.set(key(tp), log(tp).end)
      break
    case 'offset':
      checked(
        inputs.map((tp) => ({ tp, offset: mode.offset })),
        inputs.length,
      )
      break
    case 'shift':
      // The tool's consumer has no auto.offset.reset: a partition without a commit starts at the log end.
      checked(
        inputs.map((tp) => ({ tp, offset: (committed.get(key(tp)) ?? log(tp).end) + mode.by })),
        inputs.length,
      )
      break
    case 'timestamp': {
      const found = await offsetsForTimes(mode.timestamp)
      for (const tp of inputs) {
        const offset = found.get(key(tp))
        if (offset === null || offset === undefined) {
          targets.set(key(tp), log(tp).end)
          notes.push(
            `Partition ${tp.partition} from topic ${tp.topic} is empty, without a committed record. Falling back to latest known offset.`,
          )
        } else targets.set(key(tp), offset)
      }
      break
    }
    case 'file': {
      const inputKeys = new Set(inputs.map(key))
      const foreign = mode.rows.filter((r) => !inputKeys.has(key(r)))
      if (foreign.length > 0)
        throw new KafkitError(
          `The reset plan names partitions that are not of the input topics: ${foreign.map((r) => `${r.topic}-${r.partition}`).join(', ')}.`,
          { code: 'BAD_CSV' },
        )
      checked(
        mode.rows.map((r) => ({ tp: { topic: r.topic, partition: r.partition }, offset: r.offset })),
        16,
      )
      const missing = inputs.filter((tp) => !targets.has(key(tp)))
      if (missing.length > 0)
        throw new KafkitError(
          `The reset plan has no offset for ${missing.map((tp) => `${tp.topic}-${tp.partition}`).join(', ')}: it needs a line for every partition of the input topics.`,
          { code: 'BAD_CSV' },
        )
      break
    }
  }
  return targets
}
