/**
 * What answers at a bootstrap address, asked the way kcat's error would be: one ApiVersions request on a raw socket.
 * Used only after kafkajs failed to connect or took longer than the connection timeout, to turn its messages
 * ("Broker not connected", "does not support the requested API version", a 30 s request timeout per retry) into
 * one that names what is there: nothing, something that is not Kafka, or a KRaft controller listener.
 * No kafkajs here: the probe must work whatever state kafkajs's own connection is in.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { listStacks, loadState } from '../model/state.js'
import type { ConnectionSettings } from '../connection/settings.js'
import { sleep } from '../util/sleep.js'

export type Verdict =
  /** A Kafka broker listener: ApiVersions lists Metadata. kafkajs's own error is then the real story (SASL, TLS ...). */
  | { kind: 'broker' }
  /** Kafka answered, but without Metadata (a KRaft controller listener only serves the quorum and controller APIs). */
  | { kind: 'controller' }
  /** Something answered (or hung up) without a Kafka response; `looksLike` names it when the reply gives it away. */
  | { kind: 'not-kafka'; looksLike?: string; detail: string }
  /**
   * The connection was accepted but nothing came back in time (a hung broker, or a server waiting for more input);
   * `handshake`: the TLS handshake did not even finish.
   */
  | { kind: 'silent'; timeoutMs: number; handshake: boolean }
  /** No connection: refused, unknown host, no route, no answer to the connect. */
  | { kind: 'unreachable'; reason: string }
  /** TCP connected but the TLS handshake failed (security.protocol SSL / SASL_SSL). */
  | { kind: 'tls-failed'; reason: string }

export interface ServerReport {
  server: string
  verdict: Verdict
  /** For a controller port of a local stack: that stack and its broker listeners. */
  stack?: { name: string; bootstrapServers: string }
}

const API_VERSIONS = 18
const METADATA = 3
const UNSUPPORTED_VERSION = 35
/**
 * The correlation id is "\r\n\r\n" on the wire: line-based servers (Python's http.server, SMTP, Redis) wait for the end
 * of a line before they answer, and would otherwise leave the probe to time out instead of showing what they are.
 * Kafka echoes any correlation id.
 */
export const PROBE_CORRELATION_ID = 0x0d0a0d0a

/** ApiVersions v0 (every Kafka since 0.10 answers it, 4.x included): size, api_key, api_version, correlation_id, client_id. */
export function apiVersionsRequest(clientId = 'kafkit', correlationId = PROBE_CORRELATION_ID): Buffer {
  const id = Buffer.from(clientId, 'utf8')
  const body = Buffer.alloc(10 + id.length)
  body.writeInt16BE(API_VERSIONS, 0)
  body.writeInt16BE(0, 2)
  body.writeInt32BE(correlationId, 4)
  body.writeInt16BE(id.length, 8)
  id.copy(body, 10)
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length, 0)
  return Buffer.concat([size, body])
}

/**
 * Classifies the first bytes a server sent back to the probe. `ended` says the server closed the connection (or the
 * probe gave up), so no more bytes will come; without it, undefined means "wait for more".
 */
export function classifyReply(
  reply: Buffer,
  ended: boolean,
  correlationId = PROBE_CORRELATION_ID,
): Verdict | undefined {
  const text = reply.subarray(0, 16).toString('latin1')
  // HTTP/0.9-style servers (Python's http.server, given no HTTP version) answer with the error page alone.
  if (text.startsWith('HTTP/') || /^\s*<(!doctype html|html)/i.test(text))
    return { kind: 'not-kafka', looksLike: 'an HTTP server', detail: firstLine(reply) }
  if (text.startsWith('SSH-')) return { kind: 'not-kafka', looksLike: 'an SSH server', detail: firstLine(reply) }
  // A TLS record (handshake 0x16 or alert 0x15, version 3.x): a TLS listener rejecting plaintext.
  if (reply.length >= 2 && (reply[0] === 0x15 || reply[0] === 0x16) && reply[1] === 0x03) {
    return { kind: 'not-kafka', looksLike: 'a TLS listener', detail: 'a TLS record' }
  }
  if (reply.length < 8) {
    // A prefix of "HTTP/" or "SSH-" may still become one; anything else this short is not a Kafka response header.
    if (!ended && ('HTTP/'.startsWith(text) || 'SSH-'.startsWith(text))) return undefined
    if (!ended && reply.length > 0 && reply.length < 8 && couldBeKafkaPrefix(reply, correlationId)) return undefined
    return notKafka(reply)
  }
  const size = reply.readInt32BE(0)
  if (reply.readInt32BE(4) !== correlationId || size < 6 || size > 1 << 20) return notKafka(reply)
  if (reply.length < 4 + size) return ended ? notKafka(reply) : undefined
  // ApiVersions v0 response: error_code int16, [api_key int16, min int16, max int16] (int32 count).
  const errorCode = reply.readInt16BE(8)
  const count = size >= 10 ? reply.readInt32BE(10) : -1
  if (count < 0 || 14 + count * 6 > 4 + size) return notKafka(reply)
  const keys = new Set<number>()
  for (let i = 0; i < count; i++) keys.add(reply.readInt16BE(14 + i * 6))
  if (keys.has(METADATA)) return { kind: 'broker' }
  // A broker too new for v0 would answer UNSUPPORTED_VERSION with only its ApiVersions range: Kafka, role unknown.
  if (errorCode === UNSUPPORTED_VERSION) return { kind: 'broker' }
  return { kind: 'controller' }
}

function couldBeKafkaPrefix(reply: Buffer, correlationId: number): boolean {
  const expected = Buffer.alloc(8)
  expected.writeInt32BE(correlationId, 4)
  // The size is unknown, but a probe reply is small: its first two bytes are zero.
  return (
    reply.subarray(0, Math.min(2, reply.length)).every((b) => b === 0) &&
    (reply.length <= 4 || reply.subarray(4).equals(expected.subarray(4, reply.length)))
  )
}

function notKafka(reply: Buffer): Verdict {
  if (reply.length === 0) return { kind: 'not-kafka', detail: 'it closed the connection without answering' }
  const line = firstLine(reply)
  return {
    kind: 'not-kafka',
    detail: /^[\x20-\x7e]+$/.test(line)
      ? `it replied "${line}"`
      : `it replied with ${reply.length} byte(s) that are not a Kafka response`,
  }
}

function firstLine(reply: Buffer): string {
  const line = reply.toString('latin1').split(/\r?\n/, 1)[0] ?? ''
  return line.length > 60 ? `${line.slice(0, 57)}...` : line
}

/** "host:port" / "[::1]:port" → host and port. */
export function splitServer(server: string): { host: string; port: number } {
  const index = server.lastIndexOf(':')
  return { host: server.slice(0, index).replace(/^\[(.*)\]$/, '$1'), port: Number(server.slice(index + 1)) }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'unknown host (name lookup failed)',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
}

/** Sends one ApiVersions request to `server` (over TLS when `ssl` is set) and classifies what comes back. */
export async function probeServer(
  server: string,
  options: { timeoutMs: number; ssl?: ConnectionSettings['ssl'] },
): Promise<Verdict> {
  const { host, port } = splitServer(server)
  const tls = Boolean(options.ssl)
  // node:tls costs 2-4 ms to load: only TLS probes pay it.
  const tlsConnect = tls ? (await import('node:tls')).connect : undefined
  return new Promise((resolve) => {
    let received = Buffer.alloc(0)
    let tcpConnected = false
    let connected = false
    let settled = false
    let socket: Socket
    const finish = (verdict: Verdict) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(verdict)
    }
    const timer = setTimeout(() => {
      if (!tcpConnected)
        finish({ kind: 'unreachable', reason: `no answer to the connection within ${seconds(options.timeoutMs)}` })
      else if (!connected) finish({ kind: 'silent', timeoutMs: options.timeoutMs, handshake: true })
      else
        finish(
          received.length > 0
            ? classifyReply(received, true)!
            : { kind: 'silent', timeoutMs: options.timeoutMs, handshake: false },
        )
    }, options.timeoutMs)
    const onConnected = () => {
      connected = true
      socket.write(apiVersionsRequest())
    }
    if (tlsConnect) {
      const ssl = typeof options.ssl === 'object' ? options.ssl : {}
      // Node warns when an IP address is sent as SNI (RFC 6066 forbids it).
      socket = tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnected)
    } else {
      socket = netConnect({ host, port }, onConnected)
    }
    socket.once('connect', () => {
      tcpConnected = true
    })
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const verdict = classifyReply(received, false)
      if (verdict) finish(verdict)
    })
    socket.on('end', () => finish(classifyReply(received, true)!))
    socket.on('close', () => finish(classifyReply(received, true)!))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const reason = REASONS[error.code ?? ''] ?? error.message
      if (
        tls &&
        !connected &&
        error.code !== 'ECONNREFUSED' &&
        error.code !== 'ENOTFOUND' &&
        error.code !== 'EAI_AGAIN'
      ) {
        finish({ kind: 'tls-failed', reason: error.message })
      } else if (connected && (received.length > 0 || error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        // A reset right after our request is a hang-up too (the kernel sends RST when the server closes with our
        // request unread): the same verdict as a clean close, whichever of the two the race produced.
        finish(classifyReply(received, true)!)
      } else if (connected) {
        finish({ kind: 'not-kafka', detail: `the connection failed: ${reason}` })
      } else {
        finish({ kind: 'unreachable', reason })
      }
    })
  })
}

/** Probes every bootstrap server at once and names the local stack whose controller port a controller verdict is. */
async function probeServers(
  settings: Pick<ConnectionSettings, 'servers' | 'ssl'>,
  timeoutMs: number,
): Promise<ServerReport[]> {
  return Promise.all(
    settings.servers.map(async (server) => {
      const verdict = await probeServer(server, { timeoutMs, ssl: settings.ssl })
      const stack = verdict.kind === 'controller' ? stackWithControllerPort(server) : undefined
      return { server, verdict, ...(stack ? { stack } : {}) }
    }),
  )
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'])

/** The local kafkit stack (under KAFKIT_HOME) one of whose nodes has `server`'s port as its controller port. */
export function stackWithControllerPort(server: string): { name: string; bootstrapServers: string } | undefined {
  const { host, port } = splitServer(server)
  if (!LOCAL_HOSTS.has(host)) return undefined
  for (const name of listStacks()) {
    try {
      const state = loadState(name)
      if (state?.nodes.some((n) => n.controllerPort === port)) return { name, bootstrapServers: state.bootstrapServers }
    } catch {
      // An unreadable state file only costs the hint.
    }
  }
  return undefined
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/**
 * Waits for kafkajs to connect; when it fails, or is still trying after `timeoutMs`, probes the servers. A probe that
 * finds a broker lets a slow connect go on (kafkajs is the one that can tell what is wrong with a real broker);
 * anything else ends it at once with the error naming what is at the address.
 */
export async function connectOrExplain<T>(
  settings: Pick<ConnectionSettings, 'servers' | 'source' | 'ssl'>,
  timeoutMs: number,
  connecting: Promise<T>,
  abort: () => Promise<void>,
  explain: (error: unknown, reports: ServerReport[]) => Error,
): Promise<T> {
  // Settled below either way; without this an abandoned connect's rejection would be reported as unhandled.
  connecting.catch(() => {})
  // kafkajs's disconnect waits for in-flight requests, and an unanswered ApiVersions stays in flight for its whole
  // request timeout: give up waiting after a moment (the CLI exits on the error; the client finishes on its own).
  const giveUp = () => Promise.race([abort(), sleep(500, { unref: true })])
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs)
  })
  try {
    const first = await Promise.race([connecting, late])
    if (first !== 'late') return first as T
  } catch (error) {
    const [reports] = await Promise.all([probeServers(settings, timeoutMs), giveUp()])
    throw explain(error, reports)
  } finally {
    clearTimeout(timer)
  }
  const reports = await probeServers(settings, timeoutMs)
  if (reports.some((r) => r.verdict.kind === 'broker')) {
    try {
      return await connecting
    } catch (error) {
      await giveUp()
      throw explain(error, reports)
    }
  }
  await giveUp()
  throw explain(new Error(`no Kafka connection within ${seconds(timeoutMs)}`), reports)
}
