/**
 * Connector configs from files, in the shapes Connect itself accepts: a properties file (connect-standalone's
 * connector files), the REST API's JSON `{"name": .., "config": {..}}`, or a flat JSON object of settings. Pure.
 */
import { basename, extname } from 'node:path'
import { UsageError } from '../errors.js'
import { parseProperties } from '../util/properties.js'

export interface ConnectorDefinition {
  name: string
  config: Record<string, string>
}

export function parseConnectorFile(text: string, fileName: string, name?: string): ConnectorDefinition {
  const trimmed = text.trim()
  let config: Record<string, string>
  let fileConnectorName: string | undefined
  if (extname(fileName).toLowerCase() === '.json' || trimmed.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch (error) {
      throw new UsageError(`${fileName} is not valid JSON: ${(error as Error).message}`, { code: 'BAD_CONNECTOR_FILE' })
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`${fileName}: expected a JSON object ({"name": ..., "config": {...}} or the settings).`, {
        code: 'BAD_CONNECTOR_FILE',
      })
    }
    const object = parsed as Record<string, unknown>
    const nested = object.config
    if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
      config = stringValues(nested as Record<string, unknown>, fileName)
      if (typeof object.name === 'string') fileConnectorName = object.name
    } else {
      config = stringValues(object, fileName)
    }
  } else {
    config = parseProperties(text)
  }
  const resolved = name ?? fileConnectorName ?? config.name ?? basename(fileName, extname(fileName))
  if (!config['connector.class']) {
    throw new UsageError(`${fileName} has no connector.class: every connector config names its class.`, {
      code: 'BAD_CONNECTOR_FILE',
      suggestions: ['`kafkit connect plugins` lists the classes this worker has.'],
    })
  }
  return { name: resolved, config: { ...config, name: resolved } }
}

/** Connect's config values are strings; JSON numbers and booleans are what users write, so they are accepted. */
function stringValues(object: Record<string, unknown>, fileName: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(object)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new UsageError(`${fileName}: "${key}" must be a string, number or boolean.`, { code: 'BAD_CONNECTOR_FILE' })
    }
    result[key] = String(value)
  }
  return result
}

/** The KIP-875 offsets document `PATCH /connectors/<name>/offsets` takes, checked for its shape. */
export function parseOffsetsFile(text: string, fileName: string): { offsets: unknown[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${fileName} is not valid JSON: ${(error as Error).message}`, { code: 'BAD_OFFSETS_FILE' })
  }
  const offsets = (parsed as { offsets?: unknown } | null)?.offsets
  const valid =
    Array.isArray(offsets) &&
    offsets.every((o) => typeof o === 'object' && o !== null && 'partition' in o && 'offset' in o)
  if (!valid) {
    throw new UsageError(
      `${fileName}: expected {"offsets": [{"partition": {...}, "offset": {...}}]} (the shape \`kafkit connect offsets get --json\` prints).`,
      { code: 'BAD_OFFSETS_FILE' },
    )
  }
  return { offsets: offsets as unknown[] }
}
