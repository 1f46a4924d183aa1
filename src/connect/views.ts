/** What `kafkit connect` prints: plain tables like kcctl's, from the REST API's documents. Pure. */
import { renderTable } from '../output/table.js'

export interface ConnectorState {
  state: string
  worker_id: string
  trace?: string
}
export interface TaskState extends ConnectorState {
  id: number
}
export interface ConnectorStatus {
  name: string
  connector: ConnectorState
  tasks: TaskState[]
  type?: string
}
export interface ConnectorInfo {
  name: string
  config: Record<string, string>
  tasks: Array<{ connector: string; task: number }>
  type?: string
}
export interface PluginInfo {
  class: string
  type: string
  version?: string
}

/** One line per config value the worker rejected, from `PUT /connector-plugins/<class>/config/validate`. */
export interface ValidationResponse {
  name?: string
  error_count: number
  configs: Array<{
    definition?: { name: string }
    value: { name: string; value: string | null; errors: string[] }
  }>
}
export interface ValidationError {
  key: string
  value: string | null
  messages: string[]
}

export function validationErrors(response: ValidationResponse): ValidationError[] {
  return response.configs
    .filter((c) => c.value.errors.length > 0)
    .map((c) => ({ key: c.value.name, value: c.value.value, messages: c.value.errors }))
}

export function renderValidationErrors(errors: ValidationError[]): string[] {
  return errors.map(
    (e) => `${e.key}${e.value === null || e.value === '' ? '' : `=${e.value}`}: ${e.messages.join('; ')}`,
  )
}

export function renderPlugins(plugins: PluginInfo[]): string {
  return renderTable(
    ['CLASS', 'TYPE', 'VERSION'],
    plugins.map((p) => [p.class, p.type, p.version]),
  )
}

export interface ConnectorRow {
  name: string
  type: string | undefined
  state: string | undefined
  tasks: string
  class: string | undefined
}

export function connectorRows(
  expanded: Record<string, { status?: ConnectorStatus; info?: ConnectorInfo }>,
): ConnectorRow[] {
  return Object.keys(expanded)
    .sort()
    .map((name) => {
      const { status, info } = expanded[name]!
      const tasks = status?.tasks ?? []
      const running = tasks.filter((t) => t.state === 'RUNNING').length
      return {
        name,
        type: status?.type ?? info?.type,
        state: status?.connector.state,
        tasks: `${running}/${tasks.length}`,
        class: info?.config['connector.class'],
      }
    })
}

export function renderConnectors(rows: ConnectorRow[]): string {
  return renderTable(
    ['NAME', 'TYPE', 'STATE', 'TASKS', 'CLASS'],
    rows.map((r) => [r.name, r.type, r.state, `${r.tasks} RUNNING`, r.class]),
  )
}

export function renderStatus(status: ConnectorStatus): string {
  const rows = [
    [`connector`, status.connector.state, status.connector.worker_id, firstLine(status.connector.trace)],
    ...status.tasks
      .slice()
      .sort((a, b) => a.id - b.id)
      .map((t) => [`task ${t.id}`, t.state, t.worker_id, firstLine(t.trace)]),
  ]
  return `Name: ${status.name}\nType: ${status.type ?? '-'}\n\n${renderTable(['', 'STATE', 'WORKER', 'TRACE'], rows)}`
}

export function renderDescribe(info: ConnectorInfo, status: ConnectorStatus | undefined): string {
  const config = Object.keys(info.config)
    .sort()
    .map((k) => [k, info.config[k]])
  return [
    `Name: ${info.name}`,
    `Type: ${info.type ?? '-'}`,
    `State: ${status?.connector.state ?? '-'}`,
    `Worker: ${status?.connector.worker_id ?? '-'}`,
    '',
    renderTable(['CONFIG', 'VALUE'], config),
    '',
    renderTable(
      ['TASK', 'STATE', 'WORKER', 'TRACE'],
      (status?.tasks ?? []).map((t) => [t.id, t.state, t.worker_id, firstLine(t.trace)]),
    ),
  ].join('\n')
}

export function renderTasks(
  tasks: Array<{ id: { connector: string; task: number }; config: Record<string, string> }>,
  status?: ConnectorStatus,
): string {
  const stateOf = (id: number) => status?.tasks.find((t) => t.id === id)
  return renderTable(
    ['TASK', 'STATE', 'WORKER', 'CONFIG'],
    tasks.map((t) => [
      t.id.task,
      stateOf(t.id.task)?.state,
      stateOf(t.id.task)?.worker_id,
      Object.entries(t.config)
        .filter(([k]) => k !== 'task.class')
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    ]),
  )
}

/** KIP-875 offsets: partition and offset are free-form maps (a file name and position, or a topic partition). */
export function renderOffsets(
  offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>,
): string {
  return renderTable(
    ['PARTITION', 'OFFSET'],
    offsets.map((o) => [compact(o.partition), o.offset === null ? null : compact(o.offset)]),
  )
}

function compact(map: Record<string, unknown>): string {
  return Object.entries(map)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
}

/** A Java stack trace in a table cell: its first line says what failed. */
function firstLine(trace: string | undefined): string | undefined {
  return trace?.split('\n')[0]
}
