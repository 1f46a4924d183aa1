/** `kafkit connect ...`: one function per action on a Connect worker's REST API. */
import { readFileSync } from 'node:fs'
import { KafkitError, UsageError } from '../errors.js'
import { resolveServiceUrl } from '../connection/services.js'
import { ConnectClient, ConnectRestError } from './client.js'
import { parseConnectorFile, parseOffsetsFile, type ConnectorDefinition } from './files.js'
import {
  connectorRows,
  renderValidationErrors,
  validationErrors,
  type ConnectorInfo,
  type ConnectorRow,
  type ConnectorStatus,
  type PluginInfo,
  type ValidationError,
  type ValidationResponse,
} from './views.js'

export interface ConnectTarget {
  url?: string
  stack?: string
}

export function connectClient(target: ConnectTarget): ConnectClient {
  return new ConnectClient(resolveServiceUrl('connect', { url: target.url, flag: '--url', stack: target.stack }).url)
}

const path = (name: string) => `/connectors/${encodeURIComponent(name)}`

/** A 404 on a connector's path names the connector and how to list them. */
async function onConnector<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof ConnectRestError && error.status === 404) {
      throw new KafkitError(`No connector "${name}" on this Connect worker (${error.workerMessage}).`, {
        code: 'CONNECTOR_NOT_FOUND',
        suggestions: ['`kafkit connect connectors` lists them.'],
      })
    }
    throw error
  }
}

export async function listPlugins(target: ConnectTarget, all: boolean): Promise<PluginInfo[]> {
  return connectClient(target).request<PluginInfo[]>('GET', `/connector-plugins${all ? '?connectorsOnly=false' : ''}`)
}

export async function listConnectors(target: ConnectTarget): Promise<ConnectorRow[]> {
  const expanded = await connectClient(target).request<
    Record<string, { status?: ConnectorStatus; info?: ConnectorInfo }>
  >('GET', '/connectors?expand=status&expand=info')
  return connectorRows(expanded)
}

export interface DescribeResult {
  info: ConnectorInfo
  status?: ConnectorStatus
}

export async function describeConnector(target: ConnectTarget, name: string): Promise<DescribeResult> {
  const client = connectClient(target)
  return onConnector(name, async () => {
    const info = await client.request<ConnectorInfo>('GET', path(name))
    const status = await client.request<ConnectorStatus>('GET', `${path(name)}/status`).catch(() => undefined)
    return { info, status }
  })
}

export async function connectorStatus(target: ConnectTarget, name: string): Promise<ConnectorStatus> {
  return onConnector(name, () => connectClient(target).request<ConnectorStatus>('GET', `${path(name)}/status`))
}

export async function connectorTasks(target: ConnectTarget, name: string) {
  const client = connectClient(target)
  return onConnector(name, async () => ({
    tasks: await client.request<Array<{ id: { connector: string; task: number }; config: Record<string, string> }>>(
      'GET',
      `${path(name)}/tasks`,
    ),
    status: await client.request<ConnectorStatus>('GET', `${path(name)}/status`).catch(() => undefined),
  }))
}

export function readConnectorFile(file: string, name?: string): ConnectorDefinition {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`Cannot read connector file ${file}.`, { code: 'NO_SUCH_FILE' })
  }
  return parseConnectorFile(text, file, name)
}

export interface WriteResult {
  name: string
  created: boolean
  config: Record<string, string>
  tasks: Array<{ connector: string; task: number }>
}

/**
 * Create (POST, refused if it exists) or update (PUT .../config, creates too). A 400 is the worker refusing the config:
 * its message lists errors without saying which key; the validate endpoint says which, so that is what is shown.
 */
export async function writeConnector(
  target: ConnectTarget,
  definition: ConnectorDefinition,
  mode: 'create' | 'update',
): Promise<WriteResult> {
  const client = connectClient(target)
  try {
    if (mode === 'create') {
      const info = await client.request<ConnectorInfo>('POST', '/connectors', definition)
      return { name: info.name, created: true, config: info.config, tasks: info.tasks }
    }
    const info = await client.request<ConnectorInfo & { created?: boolean }>(
      'PUT',
      `${path(definition.name)}/config`,
      definition.config,
    )
    return { name: info.name, created: false, config: info.config, tasks: info.tasks }
  } catch (error) {
    if (!(error instanceof ConnectRestError)) throw error
    if (error.status === 409 && mode === 'create') {
      throw new KafkitError(`Connector "${definition.name}" already exists.`, {
        code: 'CONNECTOR_EXISTS',
        suggestions: [`\`kafkit connect update ${definition.name} FILE\` changes its config.`],
      })
    }
    if (error.status === 400 || error.status === 500) {
      const invalid = await validateConfig(client, definition.config).catch(() => [])
      if (invalid.length > 0) throw invalidConfig(definition.name, invalid)
    }
    throw error
  }
}

export class InvalidConnectorConfigError extends KafkitError {
  constructor(
    readonly connector: string,
    readonly errors: ValidationError[],
  ) {
    super(`Connector "${connector}": the worker refused ${errors.length} config value(s):`, {
      code: 'CONNECTOR_CONFIG_INVALID',
      details: renderValidationErrors(errors),
    })
  }
}

function invalidConfig(name: string, errors: ValidationError[]): InvalidConnectorConfigError {
  return new InvalidConnectorConfigError(name, errors)
}

async function validateConfig(client: ConnectClient, config: Record<string, string>): Promise<ValidationError[]> {
  const connectorClass = config['connector.class']
  if (!connectorClass) return []
  const response = await client.request<ValidationResponse>(
    'PUT',
    `/connector-plugins/${encodeURIComponent(connectorClass)}/config/validate`,
    config,
  )
  return validationErrors(response)
}

export interface ValidateResult {
  name: string
  valid: boolean
  errors: ValidationError[]
}

/** `kafkit connect validate FILE`: the worker's verdict on a config without creating anything. */
export async function validateConnectorFile(
  target: ConnectTarget,
  definition: ConnectorDefinition,
): Promise<ValidateResult> {
  const errors = await validateConfig(connectClient(target), definition.config)
  return { name: definition.name, valid: errors.length === 0, errors }
}

export type LifecycleAction = 'pause' | 'resume' | 'stop' | 'delete'

export interface LifecycleResult {
  name: string
  action: LifecycleAction
}

export async function changeConnector(
  target: ConnectTarget,
  name: string,
  action: LifecycleAction,
): Promise<LifecycleResult> {
  const client = connectClient(target)
  await onConnector(name, () =>
    action === 'delete' ? client.request('DELETE', path(name)) : client.request('PUT', `${path(name)}/${action}`),
  )
  return { name, action }
}

export interface RestartResult {
  name: string
  includeTasks: boolean
  onlyFailed: boolean
  /** The status the worker answered with (Kafka 3.0+ with includeTasks/onlyFailed), else none. */
  status?: ConnectorStatus
}

export async function restartConnector(
  target: ConnectTarget,
  name: string,
  options: { includeTasks: boolean; onlyFailed: boolean; task?: number },
): Promise<RestartResult> {
  const client = connectClient(target)
  if (options.task !== undefined) {
    await onConnector(name, () => client.request('POST', `${path(name)}/tasks/${options.task}/restart`))
    return { name, includeTasks: false, onlyFailed: false }
  }
  const query = `?includeTasks=${options.includeTasks}&onlyFailed=${options.onlyFailed}`
  const status = await onConnector(name, () =>
    client.request<ConnectorStatus | undefined>('POST', `${path(name)}/restart${query}`),
  )
  return { name, ...options, ...(status ? { status } : {}) }
}

export interface OffsetsResult {
  connector: string
  offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>
}

export async function getOffsets(target: ConnectTarget, name: string): Promise<OffsetsResult> {
  const answer = await onConnector(name, () =>
    connectClient(target).request<{ offsets: OffsetsResult['offsets'] }>('GET', `${path(name)}/offsets`),
  )
  return { connector: name, offsets: answer.offsets }
}

export interface OffsetsChangeResult {
  connector: string
  action: 'alter' | 'reset'
  message: string
}

/** KIP-875: the worker accepts these only for a STOPPED connector, and says so; the hint says how. */
export async function changeOffsets(
  target: ConnectTarget,
  name: string,
  change: { action: 'reset' } | { action: 'alter'; file: string },
): Promise<OffsetsChangeResult> {
  const client = connectClient(target)
  const body = change.action === 'alter' ? parseOffsetsFile(readText(change.file), change.file) : undefined
  try {
    const answer = await onConnector(name, () =>
      client.request<{ message?: string }>(
        change.action === 'alter' ? 'PATCH' : 'DELETE',
        `${path(name)}/offsets`,
        body,
      ),
    )
    return { connector: name, action: change.action, message: answer?.message ?? '' }
  } catch (error) {
    if (error instanceof ConnectRestError && /stopped/i.test(error.workerMessage)) {
      throw new KafkitError(`Kafka Connect: ${error.workerMessage}`, {
        code: 'CONNECTOR_NOT_STOPPED',
        suggestions: [`\`kafkit connect stop ${name}\` first, then \`kafkit connect resume ${name}\` after.`],
      })
    }
    throw error
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    throw new UsageError(`Cannot read ${file}.`, { code: 'NO_SUCH_FILE' })
  }
}
