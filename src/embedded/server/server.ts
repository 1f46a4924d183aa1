/**
 * The embedded broker's network side: size-prefixed frames over TCP, request headers, dispatch to the handlers by
 * API key, and responses written back in request order per connection (Kafka's clients match responses to requests
 * by correlation id but several, librdkafka among them, also assume the order; a Fetch that long-polls must therefore
 * hold back the answers queued behind it, as Kafka does by muting the channel).
 *
 * Bad input is answered the way Kafka's SocketServer answers it: an unknown API key or version, a frame that does not
 * decode or a frame larger than socket.request.max.bytes closes that connection and nothing else.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { isFlexible, readRequestHeader, responseHeaderIsFlexible, type AnyApi } from '../../protocol/api.js'
import { ApiVersions } from '../../protocol/messages/api-versions.js'
import { Reader, Writer } from '../../protocol/primitives.js'
import { NO_RESPONSE, type HandlerEntry, type RequestContext } from '../contracts.js'

/** socket.request.max.bytes, Kafka's default (100 MiB). */
export const MAX_REQUEST_BYTES = 104_857_600

const UNSUPPORTED_VERSION = 35

export interface ServerOptions {
  host: string
  port: number
  handlers: HandlerEntry[]
  log: (message: string) => void
  maxRequestBytes?: number
}

export interface RunningServer {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

interface Route {
  api: AnyApi
  minVersion: number
  maxVersion: number
  handle: HandlerEntry['handle']
}

/**
 * Kafka 4's ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION (KAFKA-18659): Produce is advertised from version 0
 * although versions 0-2 are gone, because librdkafka (kcat) allows gzip, snappy and lz4 only when the broker's
 * Produce range overlaps version 0, and otherwise sends every batch uncompressed. A v0-2 request is still refused.
 */
const PRODUCE_API_KEY = 0
const PRODUCE_ADVERTISED_MIN_VERSION = 0

/** The ApiVersions body every client starts with: the ranges this broker answers, ApiVersions itself included. */
function advertised(routes: Map<number, Route>): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
  return [...routes.values()]
    .map((r) => ({
      apiKey: r.api.apiKey,
      minVersion: r.api.apiKey === PRODUCE_API_KEY ? PRODUCE_ADVERTISED_MIN_VERSION : r.minVersion,
      maxVersion: r.maxVersion,
    }))
    .sort((a, b) => a.apiKey - b.apiKey)
}

export function buildRoutes(handlers: HandlerEntry[]): Map<number, Route> {
  const routes = new Map<number, Route>()
  for (const entry of handlers) {
    routes.set(entry.api.apiKey, {
      api: entry.api,
      minVersion: entry.minVersion ?? entry.api.minVersion,
      // Kafka advertises only stable versions (unstable ones need unstable.api.versions.enable).
      maxVersion: entry.maxVersion ?? entry.api.maxStableVersion,
      handle: entry.handle,
    })
  }
  // Registered last so that no handler list can shadow it: it must describe the table it belongs to.
  routes.set(ApiVersions.apiKey, {
    api: ApiVersions,
    minVersion: ApiVersions.minVersion,
    maxVersion: ApiVersions.maxStableVersion,
    handle: () => ({ errorCode: 0, apiKeys: advertised(routes), throttleTimeMs: 0 }),
  })
  return routes
}

/** One response slot: filled when its handler settles; written once every slot before it is written. */
interface Slot {
  done: boolean
  bytes: Buffer[] | null
}

let nextConnectionId = 1

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const routes = buildRoutes(options.handlers)
  const maxBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES
  const sockets = new Set<Socket>()
  const server: Server = createTcpServer({ noDelay: true }, (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serveConnection(socket, routes, maxBytes, options.log)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.on('error', (error) => options.log(`server error: ${error.message}`))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    host: options.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

function serveConnection(socket: Socket, routes: Map<number, Route>, maxBytes: number, log: (m: string) => void): void {
  const connectionId = nextConnectionId++
  const clientAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`
  const queue: Slot[] = []
  // Chunks are kept apart until a whole frame is there and joined once: a large Produce arriving in many TCP chunks
  // is copied once, not once per chunk.
  let chunks: Buffer[] = []
  let buffered = 0
  let closed = false

  const close = (reason: string): void => {
    if (closed) return
    closed = true
    log(`closing connection ${connectionId} from ${clientAddress}: ${reason}`)
    socket.destroy()
  }
  socket.on('error', () => close('socket error'))
  socket.on('close', () => {
    closed = true
  })

  const flush = (): void => {
    while (queue.length > 0 && queue[0]!.done) {
      const slot = queue.shift()!
      if (slot.bytes && !closed) for (const part of slot.bytes) socket.write(part)
    }
  }

  const onFrame = (frame: Buffer): void => {
    const reader = new Reader(frame)
    let header
    try {
      header = readRequestHeader(reader, (apiKey, version) => {
        const route = routes.get(apiKey)
        // An ApiVersions version beyond ours is answered without reading past the client id, so whether the newer
        // client wrote a tagged-field section there does not matter.
        if (apiKey === ApiVersions.apiKey && version > route!.maxVersion) return false
        return route !== undefined && isFlexible(route.api, version)
      })
    } catch (error) {
      return close(`request header does not decode (${(error as Error).message})`)
    }
    const route = routes.get(header.apiKey)
    if (!route) return close(`unknown API key ${header.apiKey}`)
    const version = header.apiVersion
    const slot: Slot = { done: false, bytes: null }
    if (version < route.minVersion || version > route.maxVersion) {
      if (route.api !== ApiVersions) return close(`unsupported ${route.api.name} version ${version}`)
      // KIP-511: a newer client than the broker sends a version the broker lacks; the broker answers in v0 with
      // UNSUPPORTED_VERSION and its ranges, and the client retries with the highest version both know.
      queue.push(slot)
      slot.bytes = frameResponse(ApiVersions, 0, header.correlationId, {
        errorCode: UNSUPPORTED_VERSION,
        apiKeys: advertised(routes),
      })
      slot.done = true
      return flush()
    }
    let request: unknown
    try {
      request = route.api.readRequest(reader, version)
    } catch (error) {
      return close(`${route.api.name} v${version} request does not decode (${(error as Error).message})`)
    }
    const context: RequestContext = { apiVersion: version, clientId: header.clientId, clientAddress, connectionId }
    queue.push(slot)
    const settle = (response: unknown): void => {
      if (response !== NO_RESPONSE) {
        try {
          slot.bytes = frameResponse(route.api, version, header.correlationId, response)
        } catch (error) {
          log(`${route.api.name} v${version} response does not encode: ${(error as Error).stack ?? error}`)
          return close('response does not encode')
        }
      }
      slot.done = true
      flush()
    }
    const fail = (error: unknown): void => {
      log(`${route.api.name} v${version} handler failed: ${(error as Error)?.stack ?? error}`)
      close('handler failed')
    }
    try {
      const result = route.handle(request, context)
      if (result instanceof Promise) result.then(settle, fail)
      else settle(result)
    } catch (error) {
      fail(error)
    }
  }

  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    buffered += chunk.length
    while (!closed && buffered >= 4) {
      if (chunks[0]!.length < 4) chunks = [Buffer.concat(chunks)]
      const size = chunks[0]!.readInt32BE(0)
      if (size < 0 || size > maxBytes) return close(`frame size ${size} out of range`)
      if (buffered < 4 + size) break
      const joined = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered)
      const frame = joined.subarray(4, 4 + size)
      const rest = joined.subarray(4 + size)
      chunks = rest.length > 0 ? [rest] : []
      buffered = rest.length
      onFrame(frame)
    }
  })
}

/** Size prefix, response header (v1 with tagged fields for flexible versions, except ApiVersions), body. */
export function frameResponse(api: AnyApi, version: number, correlationId: number, body: unknown): Buffer[] {
  const w = new Writer(256)
  w.int32(correlationId)
  if (responseHeaderIsFlexible(api, version)) w.uvarint(0)
  api.writeResponse(w, version, body)
  const payload = w.finish()
  const size = Buffer.allocUnsafe(4)
  size.writeInt32BE(payload.length, 0)
  return [size, payload]
}
