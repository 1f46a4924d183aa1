/**
 * Kafka Connect's REST API over Node's fetch (no HTTP dependency: a handful of JSON calls). Errors become KafkitErrors
 * carrying the worker's own message ({"error_code":..,"message":..}) and HTTP status.
 */
import { KafkitError, errorMessage } from '../errors.js'

const TIMEOUT_MS = 30_000

export class ConnectRestError extends KafkitError {
  constructor(
    message: string,
    readonly status: number,
    readonly workerMessage: string,
    options: { suggestions?: string[]; details?: string[] } = {},
  ) {
    super(message, { code: status === 404 ? 'CONNECT_NOT_FOUND' : 'CONNECT_REQUEST_FAILED', ...options })
  }
}

export class ConnectClient {
  constructor(readonly url: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const target = `${this.url}${path}`
    let response: Response
    try {
      response = await fetch(target, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause
      throw new KafkitError(`Cannot reach Kafka Connect at ${this.url}: ${errorMessage(cause ?? error)}`, {
        code: 'CONNECT_UNREACHABLE',
        suggestions: [
          'Is the worker running? `kafkit connect-distributed config/connect-distributed.properties` starts one.',
          'Or point at one: --url http://host:8083 (or KAFKIT_CONNECT_URL).',
        ],
      })
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = text
    }
    if (!response.ok) {
      const workerMessage =
        typeof parsed === 'object' && parsed !== null && 'message' in parsed
          ? String((parsed as { message: unknown }).message)
          : text || response.statusText
      throw new ConnectRestError(
        `Kafka Connect: ${workerMessage} (HTTP ${response.status} on ${method} ${path})`,
        response.status,
        workerMessage,
      )
    }
    return parsed as T
  }
}
