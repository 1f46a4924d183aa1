/**
 * Text views of the consumer-groups results: the script's columns (so `awk '{print $4}'` habits keep working),
 * `-` for anything unknown, one table per group separated by a blank line.
 */
import { renderTable, type Cell } from '../output/table.js'
import { exportCsv } from './csv.js'
import { layoutLagFrame, type LagLayoutOptions } from './lag-layout.js'
import type {
  DeleteOffsetsResult,
  DeleteResult,
  DescribeResult,
  GroupReport,
  AllGroupsResult,
  ListResult,
  ResetResult,
  UndoResult,
} from './service.js'
import type { TopicPartition } from '../model/groups.js'
import type { LagFrame } from './watch.js'

export function renderList(result: ListResult): string {
  if (!result.withState && !result.withType) return result.groups.map((g) => g.group).join('\n')
  return renderTable(
    ['GROUP', ...(result.withType ? ['TYPE'] : []), ...(result.withState ? ['STATE'] : [])],
    result.groups.map((g) => [
      g.group,
      ...(result.withType ? [g.type ?? null] : []),
      ...(result.withState ? [g.state ?? null] : []),
    ]),
  )
}

/**
 * `kafkit groups --list`, byte for byte as kafka-groups.sh prints it: every column as wide as the longest cell (at
 * least 20), a header joined by single spaces, and rows whose every cell (the last too) is followed by a space.
 */
export function renderAllGroups(result: AllGroupsResult): string {
  const rows = result.groups.map((g) => [g.group, g.type, g.protocol])
  const width = Math.max(20, ...rows.flat().map((c) => c.length))
  const pad = (c: string) => c.padEnd(width)
  return [
    ['GROUP', 'TYPE', 'PROTOCOL'].map(pad).join(' '),
    ...rows.map((r) => r.map((c) => `${pad(c)} `).join('')),
  ].join('\n')
}

/** `topic:0,1;other:2`, the script's assignment notation. */
export function assignmentString(tps: TopicPartition[]): string {
  const byTopic = new Map<string, number[]>()
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
  return [...byTopic]
    .map(([t, ps]) => `${t}:${ps.sort((a, b) => a - b).join(',')}`)
    .sort()
    .join(';')
}

export function renderDescribe(result: DescribeResult, options: { byTopic?: boolean } = {}): string {
  const blocks: string[] = []
  for (const g of result.groups.filter((r) => r.exists)) {
    if (result.view === 'offsets') blocks.push(offsetsBlock(g, result.verbose, Boolean(options.byTopic)))
    else if (result.view === 'members') blocks.push(membersBlock(g, result.verbose))
    else blocks.push(stateBlock(g, result.verbose))
  }
  return blocks.filter(Boolean).join('\n\n')
}

function offsetsBlock(g: GroupReport, verbose: boolean, byTopic: boolean): string {
  const rows = g.partitions ?? []
  if (rows.length === 0) return ''
  const headers = [
    'GROUP',
    'TOPIC',
    'PARTITION',
    ...(verbose ? ['LOG-START-OFFSET'] : []),
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
  ]
  const table = renderTable(
    headers,
    rows.map((r): Cell[] => [
      r.group,
      r.topic,
      r.partition,
      ...(verbose ? [r.logStartOffset] : []),
      r.currentOffset,
      r.logEndOffset,
      r.lag,
      r.consumerId,
      r.host,
      r.clientId,
    ]),
  )
  const lines = [table, '', `TOTAL LAG  ${g.totalLag ?? 0}`]
  if (byTopic && g.topics) {
    lines.push(
      '',
      renderTable(
        ['TOPIC', 'LAG', 'PARTITIONS', 'NO-COMMIT'],
        g.topics.map((t) => [t.topic, t.lag, t.partitions, t.uncommitted]),
      ),
    )
  }
  return lines.join('\n')
}

/**
 * `--members`. With --verbose, a consumer-protocol (KIP-848) group gets Kafka 4's columns (the member's epoch and
 * assignment, the target epoch and assignment it moves to); a classic group keeps the single ASSIGNMENT column of
 * Kafka 3.x (Kafka 4's tool prints its epochs as `-`).
 */
function membersBlock(g: GroupReport, verbose: boolean): string {
  const epochs = verbose && g.type === 'consumer'
  const headers = [
    'GROUP',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
    '#PARTITIONS',
    ...(epochs
      ? ['CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT']
      : verbose
        ? ['ASSIGNMENT']
        : []),
  ]
  const assignment = (tps: TopicPartition[] | undefined) => (tps?.length ? assignmentString(tps) : null)
  return renderTable(
    headers,
    g.members.map((m): Cell[] => [
      g.group,
      m.memberId,
      m.host,
      m.clientId,
      m.partitions,
      ...(epochs
        ? [m.memberEpoch ?? null, assignment(m.assignment), g.assignmentEpoch ?? null, assignment(m.targetAssignment)]
        : verbose
          ? [assignment(m.assignment)]
          : []),
    ]),
  )
}

/** `--state`; --verbose adds Kafka 4's GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH (`-` for a classic group). */
function stateBlock(g: GroupReport, verbose: boolean): string {
  const coordinator = g.coordinator ? `${g.coordinator.host}:${g.coordinator.port}  (${g.coordinator.id})` : null
  return renderTable(
    [
      'GROUP',
      'COORDINATOR (ID)',
      'ASSIGNMENT-STRATEGY',
      'STATE',
      ...(verbose ? ['GROUP-EPOCH', 'TARGET-ASSIGNMENT-EPOCH'] : []),
      '#MEMBERS',
    ],
    [
      [
        g.group,
        coordinator,
        g.assignmentStrategy || null,
        g.state,
        ...(verbose ? [g.groupEpoch ?? null, g.assignmentEpoch ?? null] : []),
        g.members.length,
      ],
    ],
  )
}

export function renderReset(result: ResetResult): string {
  const rows = result.groups.flatMap((g) => g.rows)
  if (rows.length === 0) return ''
  return renderTable(
    ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET', 'CURRENT-OFFSET', 'LAG-NOW', 'LAG-AFTER'],
    rows.map((r) => [r.group, r.topic, r.partition, r.newOffset, r.currentOffset, r.lagBefore, r.lagAfter]),
  )
}

/**
 * `--export`: the plan as the script's CSV (with a group column when several groups were asked for). The script prints
 * its CSV, whose every row already ends in a newline, with println, so its output ends with an empty line: so does this.
 */
export function renderResetCsv(result: ResetResult, groupCount: number): string {
  const rows = result.groups.flatMap((g) =>
    g.rows.map((r) => ({ group: g.group, topic: r.topic, partition: r.partition, offset: r.newOffset })),
  )
  return `${exportCsv(rows, groupCount !== 1)}\n`
}

export function renderUndo(result: UndoResult): string {
  return renderTable(
    ['GROUP', 'TOPIC', 'PARTITION', 'RESTORED-OFFSET', 'CURRENT-OFFSET'],
    result.rows.map((r) => [
      result.group,
      r.topic,
      r.partition,
      r.restoreOffset === null ? '(none)' : r.restoreOffset,
      r.currentOffset,
    ]),
  )
}

export function renderDelete(result: DeleteResult): string {
  return renderTable(
    ['GROUP', 'RESULT'],
    result.groups.map((g) => [g.group, g.deleted ? 'Deleted' : `Error: ${g.error}`]),
  )
}

export function renderDeleteOffsets(result: DeleteOffsetsResult): string {
  const head = result.ok
    ? `Request succeeded for deleting offsets from group ${result.group}.`
    : `Error: ${result.error}`
  if (result.partitions.length === 0) return head
  return `${head}\n\n${renderTable(
    ['TOPIC', 'PARTITION', 'STATUS'],
    result.partitions.map((p) => [p.topic, p.partition, p.ok ? 'Successful' : `Error: ${p.error}`]),
  )}`
}

/**
 * One screen of `--watch` without a size limit: a header, then per group (largest lag first) a summary line, its
 * partitions and its recent events. The terminal view fits it to the screen with layoutLagFrame.
 */
export function renderLagFrame(frame: LagFrame, options: LagLayoutOptions): string {
  return layoutLagFrame(frame, { columns: Number.POSITIVE_INFINITY, rows: Number.POSITIVE_INFINITY }, options).join(
    '\n',
  )
}
