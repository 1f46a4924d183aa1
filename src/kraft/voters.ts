/**
 * `metadata-quorum add-controller` / `remove-controller` (KIP-853 dynamic quorums), as MetadataQuorumCommand 4.4:
 * the controller to add is read from its own server.properties (node.id, its metadata directory's meta.properties
 * directory.id, its controller listeners), pure except for reading that file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError } from '../errors.js'
import { parseProperties } from '../util/properties.js'

export interface VoterEndpoint {
  name: string
  host: string
  port: number
}

export interface NewVoter {
  id: number
  directoryId: string
  endpoints: VoterEndpoint[]
}

const toolError = (message: string) => new KafkitError(message, { code: 'QUORUM' })

/** `NAME://host:port` items of listeners / advertised.listeners (an empty host is null: "localhost" for a voter). */
function parseListeners(value: string | undefined): Map<string, { host: string | null; port: number }> {
  const out = new Map<string, { host: string | null; port: number }>()
  for (const item of (value ?? '').split(',').map((s) => s.trim())) {
    if (!item) continue
    const m = /^([^:]+):\/\/\[?([^\]]*?)\]?:(-?\d+)$/.exec(item)
    if (!m) throw toolError(`Unable to parse ${item} to a broker endpoint`)
    out.set(m[1]!.toUpperCase(), { host: m[2] === '' ? null : m[2]!, port: Number(m[3]) })
  }
  return out
}

/** MetadataQuorumCommand.handleAddController's reading of the controller's configuration. */
export function voterFromConfig(props: Record<string, string>): NewVoter {
  if (props['node.id'] === undefined)
    throw toolError('node.id not found in configuration file. Is this a valid controller configuration file?')
  const id = Number.parseInt(props['node.id'], 10)
  if (Number.isNaN(id)) throw toolError(`For input string: "${props['node.id']}"`)
  if (id < 0)
    throw toolError('node.id was negative in configuration file. Is this a valid controller configuration file?')
  if (!(props['process.roles'] ?? '').includes('controller'))
    throw toolError(
      "process.roles did not contain 'controller' in configuration file. Is this a valid controller configuration file?",
    )
  const metadataDir = props['metadata.log.dir'] ?? props['log.dirs']?.trim().split(',')[0]
  if (metadataDir === undefined)
    throw toolError('Neither metadata.log.dir nor log.dirs were found. Is this a valid controller configuration file?')
  const metaPath = join(metadataDir, 'meta.properties')
  if (!existsSync(metaPath)) throw toolError(`Unable to read meta.properties from ${metadataDir}`)
  const directoryId = parseProperties(readFileSync(metaPath, 'utf8'))['directory.id']
  if (!directoryId) throw toolError(`No directory id found in ${metadataDir}`)
  const listeners = parseListeners(props.listeners)
  for (const [name, endpoint] of parseListeners(props['advertised.listeners'])) listeners.set(name, endpoint)
  if (props['controller.listener.names'] === undefined)
    throw toolError('controller.listener.names was not found. Is this a valid controller configuration file?')
  const endpoints: VoterEndpoint[] = []
  for (const raw of props['controller.listener.names'].split(',')) {
    const name = raw.toUpperCase()
    const endpoint = listeners.get(name)
    if (!endpoint) throw toolError(`Cannot find information about controller listener name: ${name}`)
    if (!endpoints.some((e) => e.name === name))
      endpoints.push({ name, host: endpoint.host ?? 'localhost', port: endpoint.port })
  }
  return { id, directoryId, endpoints }
}

const endpointText = (e: VoterEndpoint) => `${e.name}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`

export function renderAddController(voter: NewVoter, dryRun: boolean): string {
  return `${dryRun ? 'DRY RUN of adding' : 'Added'} controller ${voter.id} with directory id ${voter.directoryId} and endpoints: ${voter.endpoints.map(endpointText).join(', ')}\n`
}

/** Uuid.fromString's check: 22 base64url characters that decode to 16 bytes. */
export function checkDirectoryId(text: string): string {
  if (text.length > 24)
    throw toolError(
      `Failed to parse --controller-directory-id: Input string with prefix \`${text.slice(0, 24)}\` is too long to be decoded as a base64 UUID`,
    )
  const bytes = Buffer.from(text, 'base64url')
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text) || bytes.length !== 16)
    throw toolError(
      `Failed to parse --controller-directory-id: Input string \`${text}\` decoded as ${bytes.length} bytes, which is not equal to the expected 16 bytes of a base64-encoded UUID`,
    )
  return text
}

export function renderRemoveController(
  id: number,
  directoryId: string,
  options: { dryRun: boolean; unregister: boolean },
): string {
  let out = `${options.dryRun ? 'DRY RUN of removing ' : 'Removed '}KRaft controller ${id} with directory id ${directoryId}\n`
  if (options.unregister)
    out += `${options.dryRun ? 'DRY RUN of unregistering ' : 'Unregistered '}KRaft controller ${id}\n`
  return out
}

export function readControllerConfig(path: string | undefined): Record<string, string> {
  if (path === undefined)
    throw toolError(
      'You must supply the configuration file of the controller you are adding when using add-controller.',
    )
  if (!existsSync(path)) throw toolError(`Properties file ${path} does not exist.`)
  return parseProperties(readFileSync(path, 'utf8'))
}
