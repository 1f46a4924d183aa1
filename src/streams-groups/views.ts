/**
 * The text of `kafkit streams-groups`, byte for byte what kafka-streams-groups.sh 4.4 prints (its printf formats are
 * copied below). Unlike the share and consumer tools it prints no empty line before a table, pads the last column of
 * its verbose tables, and writes the "no active members" notice to stdout, as "Error: ..." after an empty line.
 */
import { javaFormat } from '../output/java-format.js'
import type {
  StreamsAssignment,
  StreamsDescribeResult,
  StreamsGroupReport,
  StreamsListResult,
  StreamsTasks,
} from './service.js'

export function renderStreamsList(result: StreamsListResult): string {
  if (!result.withState) return result.groups.map((g) => `${g.group}\n`).join('')
  const width = Math.max(15, ...result.groups.map((g) => g.group.length))
  const fmt = `%-${width}s %s\n`
  return (
    javaFormat(fmt, 'GROUP', 'STATE') +
    result.groups.map((g) => javaFormat(fmt, g.group, g.state ?? 'Unknown')).join('')
  )
}

function notice(g: StreamsGroupReport): string {
  if (g.state === 'Dead') return `\nError: Streams group '${g.group}' does not exist.\n`
  if (g.state === 'Empty') return `\nError: Streams group '${g.group}' has no active members.\n`
  return ''
}

/** isGroupStateValid: the offsets and members tables are printed only for a live group with members. */
const printable = (g: StreamsGroupReport) => g.state !== 'Dead' && g.members.length > 0

export function renderStreamsDescribe(result: StreamsDescribeResult): string {
  return result.groups
    .map((g) =>
      result.view === 'members'
        ? members(g, result.verbose)
        : result.view === 'state'
          ? state(g, result.verbose)
          : offsets(g, result.verbose),
    )
    .join('')
}

function offsets(g: StreamsGroupReport, verbose: boolean): string {
  if (!printable(g)) return ''
  const rows = g.offsets ?? []
  const groupLen = Math.max(15, g.group.length)
  const topicLen = Math.max(15, ...rows.map((r) => r.topic.length))
  if (!verbose) {
    const fmt = `%-${groupLen}s %-${topicLen}s %-10s %s\n`
    return (
      notice(g) +
      javaFormat(fmt, 'GROUP', 'TOPIC', 'PARTITION', 'OFFSET-LAG') +
      rows.map((r) => javaFormat(fmt, g.group, r.topic, r.partition, r.lag)).join('')
    )
  }
  const fmt = `%-${groupLen}s %-${topicLen}s %-10s %-15s %-15s %-15s %-15s%n`
  return (
    notice(g) +
    javaFormat(fmt, 'GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LEADER-EPOCH', 'LOG-END-OFFSET', 'OFFSET-LAG') +
    rows
      .map((r) =>
        javaFormat(
          fmt,
          g.group,
          r.topic,
          r.partition,
          r.currentOffset ?? '-',
          r.leaderEpoch ?? '-',
          r.logEndOffset,
          r.lag,
        ),
      )
      .join('')
  )
}

function tasks(list: StreamsTasks[], type: string): string {
  if (list.length === 0) return ''
  return `${type}: ${list.map((t) => `${t.subtopologyId}:[${t.partitions.join(',')}]; `).join('')}`
}

/** getTasksForPrinting: `ACTIVE: 0:[0,1]; 1:[0,1]; ` then standby and warmup tasks, then (verbose) the target's. */
export function tasksString(assignment: StreamsAssignment, target?: StreamsAssignment): string {
  return (
    tasks(assignment.active, 'ACTIVE') +
    tasks(assignment.standby, 'STANDBY') +
    tasks(assignment.warmup, 'WARMUP') +
    (target
      ? tasks(target.active, 'TARGET-ACTIVE') +
        tasks(target.standby, 'TARGET-STANDBY') +
        tasks(target.warmup, 'TARGET-WARMUP')
      : '')
  )
}

function members(g: StreamsGroupReport, verbose: boolean): string {
  if (!printable(g)) return ''
  const groupLen = Math.max(15, g.group.length)
  const idLen = Math.max(15, ...g.members.map((m) => m.memberId.length))
  const processLen = Math.max(15, ...g.members.map((m) => m.processId.length))
  const clientLen = Math.max(15, ...g.members.map((m) => m.clientId.length))
  if (!verbose) {
    const fmt = `%-${groupLen}s %-${idLen}s %-${processLen}s %-${clientLen}s %s\n`
    return (
      notice(g) +
      javaFormat(fmt, 'GROUP', 'MEMBER', 'PROCESS', 'CLIENT-ID', 'ASSIGNMENTS') +
      g.members
        .map((m) => javaFormat(fmt, g.group, m.memberId, m.processId, m.clientId, tasksString(m.assignment)))
        .join('')
    )
  }
  // The script's format has no space between TOPOLOGY-EPOCH and MEMBER.
  const fmt = `%-${groupLen}s %-25s %-15s%-${idLen}s %-15s %-15s %-${processLen}s %-${clientLen}s %s\n`
  return (
    notice(g) +
    javaFormat(
      fmt,
      'GROUP',
      'TARGET-ASSIGNMENT-EPOCH',
      'TOPOLOGY-EPOCH',
      'MEMBER',
      'MEMBER-PROTOCOL',
      'MEMBER-EPOCH',
      'PROCESS',
      'CLIENT-ID',
      'ASSIGNMENTS',
    ) +
    g.members
      .map((m) =>
        javaFormat(
          fmt,
          g.group,
          g.targetAssignmentEpoch,
          g.topologyEpoch,
          m.memberId,
          m.isClassic ? 'classic' : 'streams',
          m.memberEpoch,
          m.processId,
          m.clientId,
          tasksString(m.assignment, m.targetAssignment),
        ),
      )
      .join('')
  )
}

function state(g: StreamsGroupReport, verbose: boolean): string {
  const groupLen = Math.max(15, g.group.length)
  const c = g.coordinator
  const coordinator = c ? `${c.host}:${c.port} (${c.id})` : '-'
  const coordinatorLen = Math.max(25, coordinator.length)
  const assignor = g.assignor ?? ''
  const assignorLen = Math.max(15, assignor.length)
  if (!verbose) {
    const fmt = `%-${groupLen}s %-${coordinatorLen}s %-${assignorLen}s %-25s %s\n`
    return (
      notice(g) +
      javaFormat(fmt, 'GROUP', 'COORDINATOR (ID)', 'ASSIGNOR', 'STATE', '#MEMBERS') +
      javaFormat(fmt, g.group, coordinator, assignor, g.state, g.members.length)
    )
  }
  const fmt = `%-${groupLen}s %-${coordinatorLen}s %-${assignorLen}s %-25s %-15s %-25s %s\n`
  return (
    notice(g) +
    javaFormat(
      fmt,
      'GROUP',
      'COORDINATOR (ID)',
      'ASSIGNOR',
      'STATE',
      'GROUP-EPOCH',
      'TARGET-ASSIGNMENT-EPOCH',
      '#MEMBERS',
    ) +
    javaFormat(fmt, g.group, coordinator, assignor, g.state, g.groupEpoch, g.targetAssignmentEpoch, g.members.length)
  )
}
