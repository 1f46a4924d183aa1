/**
 * One TCP (or TLS) connection to one broker: size-prefixed frames, correlation ids, many requests in flight at once
 * (responses come back in order on a connection, matched by id), a timeout per request. Opening it negotiates
 * versions with ApiVersions and authenticates with SASL when configured, so a connection that `open()` returns is
 * ready for any request.
 */
import { connect as netConnect, type Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { isIP } from 'node:net'
import {
  decodeResponseBody,
  encodeRequest,
  type AnyApi,
  type RequestInputOf,
  type ResponseOf,
} from '../protocol/api.js'
import { Reader } from '../protocol/primitives.js'
import { ApiVersions } from '../protocol/messages/api-versions.js'
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.js'
import { SaslHandshake } from '../protocol/messages/sasl-handshake.js'
import { ConnectionError, ERROR, KafkaProtocolError, RequestTimeoutError, UnsupportedApiError } from './errors.js'
import type { SaslCredentials } from './sasl.js'
import { monotonicMs } from '../util/time.js'

export interface TlsSettings {
  rejectUnauthorized?: boolean
  ca?: string[]
  cert?: string
  key?: string
  passphrase?: string
}

export interface ConnectionOptionsIn {
  clientId: string
  ssl?: boolean | TlsSettings
  sasl?: SaslCredentials
  connectionTimeoutMs: number
  requestTimeoutMs: number
  /** Called with one line per request and per answer (kafkit's --debug). */
  trace?: (line: string) => void
}

interface Pending {
  api: AnyApi
  version: number
  sentAt: number
  resolve(value: unknown): void
  reject(error: unknown): void
  timer: NodeJS.Timeout
}

export type VersionRange = { min: number; max: number }

/** The ApiVersions version kafkit asks with: flexible, and spoken by every Kafka since 2.4. */
const API_VERSIONS_VERSION = 3

export class BrokerConnection {
  private socket!: Socket
  private correlationId = 0
  private readonly pending = new Map<number, Pending>()
  private buffered: Buffer[] = []
  private bufferedLength = 0
  private closed: Error | undefined
  /** The broker's version range per API key, from ApiVersions. */
  versions = new Map<number, VersionRange>()

  private constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: ConnectionOptionsIn,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`
  }

  static async open(host: string, port: number, options: ConnectionOptionsIn): Promise<BrokerConnection> {
    const connection = new BrokerConnection(host, port, options)
    await connection.connectSocket()
    try {
      await connection.negotiateVersions()
      if (options.sasl) await connection.authenticate(options.sasl)
    } catch (error) {
      connection.close()
      throw error
    }
    return connection
  }

  private async connectSocket(): Promise<void> {
    const { ssl, connectionTimeoutMs } = this.options
    // node:tls costs 2-4 ms to load: only TLS connections pay it.
    const tlsConnect = ssl ? (await import('node:tls')).connect : undefined
    return new Promise((resolve, reject) => {
      let socket: Socket
      const fail = (error: Error) => {
        clearTimeout(timer)
        socket.destroy()
        reject(
          error instanceof ConnectionError
            ? error
            : new ConnectionError(`${this.address}: ${error.message}`, this.address, error),
        )
      }
      if (tlsConnect) {
        const tls: ConnectionOptions = {
          host: this.host,
          port: this.port,
          // SNI only for names: an IP address in servername is refused by Node.
          ...(isIP(this.host) ? {} : { servername: this.host }),
          ...(typeof ssl === 'object' ? ssl : {}),
        }
        socket = tlsConnect(tls, () => {
          clearTimeout(timer)
          resolve()
        })
      } else
        socket = netConnect({ host: this.host, port: this.port }, () => {
          clearTimeout(timer)
          resolve()
        })
      const timer = setTimeout(
        () =>
          fail(
            new ConnectionError(`${this.address}: connection timed out after ${connectionTimeoutMs} ms`, this.address),
          ),
        connectionTimeoutMs,
      )
      socket.setNoDelay(true)
      socket.once('error', fail)
      socket.once('connect', () => socket.off('error', fail))
      if (ssl) socket.once('secureConnect', () => socket.off('error', fail))
      this.socket = socket
      socket.on('data', (chunk: Buffer) => this.onData(chunk))
      socket.on('error', (error) =>
        this.failAll(new ConnectionError(`${this.address}: ${error.message}`, this.address, error)),
      )
      socket.on('close', () =>
        this.failAll(new ConnectionError(`${this.address}: connection closed by the broker`, this.address)),
      )
    })
  }

  private async negotiateVersions(): Promise<void> {
    let response = await this.sendRaw(ApiVersions, API_VERSIONS_VERSION, {
      clientSoftwareName: 'kafkit',
      clientSoftwareVersion: '0',
    })
    // A broker that does not speak v3 answers in v0 with UNSUPPORTED_VERSION; ask again in v0.
    if (response.errorCode === ERROR.UNSUPPORTED_VERSION) response = await this.sendRaw(ApiVersions, 0, {})
    if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, `ApiVersions to ${this.address}`)
    this.versions = new Map(response.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]))
  }

  /** The version to use for an API: the highest both sides speak (kafkit's stable versions only). */
  versionFor(api: AnyApi, wanted?: { min?: number; max?: number }): number {
    const broker = this.versions.get(api.apiKey)
    const max = Math.min(api.maxStableVersion, broker?.max ?? -1, wanted?.max ?? Infinity)
    const min = Math.max(api.minVersion, broker?.min ?? Infinity, wanted?.min ?? 0)
    if (!broker || max < min) throw new UnsupportedApiError(api.name, this.address)
    return max
  }

  supports(api: AnyApi, minVersion = 0): boolean {
    const broker = this.versions.get(api.apiKey)
    return !!broker && Math.min(api.maxStableVersion, broker.max) >= Math.max(api.minVersion, broker.min, minVersion)
  }

  private async authenticate(credentials: SaslCredentials): Promise<void> {
    // Loaded here: SCRAM's node:crypto costs a few ms of start-up that connections without SASL do not need.
    const { saslExchange } = await import('./sasl.js')
    const exchange = saslExchange(credentials)
    const handshake = await this.sendRaw(SaslHandshake, 1, { mechanism: exchange.name })
    if (handshake.errorCode !== 0)
      throw new KafkaProtocolError(
        handshake.errorCode,
        `SASL ${exchange.name} at ${this.address} (the broker offers ${handshake.mechanisms.join(', ') || 'none'})`,
      )
    const version = this.versionFor(SaslAuthenticate)
    let serverMessage: Buffer | undefined
    for (;;) {
      const message = exchange.next(serverMessage)
      if (!message) break
      const response = await this.sendRaw(SaslAuthenticate, version, { authBytes: message })
      if (response.errorCode !== 0)
        // The broker's message starts "Authentication failed: " itself; the context already says so.
        throw new KafkaProtocolError(
          response.errorCode,
          `SASL ${exchange.name} authentication failed`,
          response.errorMessage?.replace(/^Authentication failed:\s*/i, ''),
        )
      serverMessage = response.authBytes
    }
    if (serverMessage && exchange.name !== 'PLAIN') exchange.finish(serverMessage)
  }

  /** Sends a request at the negotiated version (or the one given) and resolves with the decoded response. */
  send<A extends AnyApi>(api: A, data: RequestInputOf<A>, version = this.versionFor(api)): Promise<ResponseOf<A>> {
    return this.sendRaw(api, version, data)
  }

  private sendRaw<A extends AnyApi>(api: A, version: number, data: RequestInputOf<A>): Promise<ResponseOf<A>> {
    if (this.closed) return Promise.reject(this.closed)
    const correlationId = (this.correlationId = (this.correlationId + 1) & 0x7fffffff)
    const body = encodeRequest(api, version, correlationId, this.options.clientId, data)
    const frame = Buffer.allocUnsafe(4 + body.length)
    frame.writeInt32BE(body.length, 0)
    body.copy(frame, 4)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId)
        reject(
          new RequestTimeoutError(`${api.name} to ${this.address} timed out after ${this.options.requestTimeoutMs} ms`),
        )
      }, this.options.requestTimeoutMs)
      this.pending.set(correlationId, {
        api,
        version,
        sentAt: monotonicMs(),
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      })
      this.options.trace?.(`-> ${api.name} v${version} #${correlationId} to ${this.address} (${frame.length} bytes)`)
      this.socket.write(frame)
    })
  }

  private onData(chunk: Buffer): void {
    this.buffered.push(chunk)
    this.bufferedLength += chunk.length
    while (this.bufferedLength >= 4) {
      const head = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered)
      const size = head.readInt32BE(0)
      if (head.length < 4 + size) {
        this.buffered = [head]
        return
      }
      const frame = head.subarray(4, 4 + size)
      const rest = head.subarray(4 + size)
      this.buffered = rest.length > 0 ? [rest] : []
      this.bufferedLength = rest.length
      this.onFrame(frame)
    }
  }

  private onFrame(frame: Buffer): void {
    const reader = new Reader(frame)
    const correlationId = reader.int32()
    const pending = this.pending.get(correlationId)
    if (!pending) return // timed out already
    this.pending.delete(correlationId)
    clearTimeout(pending.timer)
    this.options.trace?.(
      `<- ${pending.api.name} v${pending.version} #${correlationId} from ${this.address} in ${(monotonicMs() - pending.sentAt).toFixed(1)} ms (${frame.length + 4} bytes)`,
    )
    try {
      let version = pending.version
      // ApiVersions answers an unsupported version in v0 (with the error code first in both layouts).
      if (
        pending.api.apiKey === ApiVersions.apiKey &&
        frame.length >= 6 &&
        frame.readInt16BE(4) === ERROR.UNSUPPORTED_VERSION
      )
        version = 0
      pending.resolve(decodeResponseBody(pending.api, version, reader))
    } catch (error) {
      pending.reject(error)
    }
  }

  private failAll(error: Error): void {
    this.closed ??= error
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(error)
      this.pending.delete(id)
    }
  }

  get isOpen(): boolean {
    return !this.closed
  }

  close(): void {
    this.failAll(new ConnectionError(`${this.address}: connection closed`, this.address))
    this.socket?.destroy()
  }
}
