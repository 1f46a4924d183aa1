/**
 * What every generated message module (./messages/) exports, and the request/response headers around them.
 * Header versions follow Kafka's rule: a flexible request version uses request header v2 (tagged fields), others
 * v1; a flexible response uses response header v1, except ApiVersions, whose response header is always v0 so that a
 * client can read the answer before it knows which versions the broker speaks.
 */
import { Reader, Writer } from './primitives.js'

/** One API: its version range and the codecs of its request and response at every version. */
export interface Api<RequestInput, Request, ResponseInput, Response> {
  apiKey: number
  name: string
  minVersion: number
  maxVersion: number
  /** The newest version that is not marked unstable (latestVersionUnstable) in the definitions. */
  maxStableVersion: number
  /** First flexible version (KIP-482), or -1 when none is. */
  flexibleVersion: number
  writeRequest(w: Writer, version: number, data: RequestInput): void
  readRequest(r: Reader, version: number): Request
  writeResponse(w: Writer, version: number, data: ResponseInput): void
  readResponse(r: Reader, version: number): Response
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApi = Api<any, any, any, any>
export type RequestInputOf<A> = A extends Api<infer I, unknown, unknown, unknown> ? I : never
export type RequestOf<A> = A extends Api<unknown, infer R, unknown, unknown> ? R : never
export type ResponseInputOf<A> = A extends Api<unknown, unknown, infer I, unknown> ? I : never
export type ResponseOf<A> = A extends Api<unknown, unknown, unknown, infer R> ? R : never

/** A versioned structure that is not a request or response (consumer protocol metadata, control records). */
export interface DataCodec<Input, Data> {
  name: string
  minVersion: number
  maxVersion: number
  write(w: Writer, version: number, data: Input): void
  read(r: Reader, version: number): Data
}

export function readArray<T>(r: Reader, compact: boolean, readItem: () => T): T[] | null {
  const length = r.arrayLength(compact)
  if (length === null) return null
  const items = new Array<T>(length)
  for (let i = 0; i < length; i++) items[i] = readItem()
  return items
}

const API_VERSIONS_KEY = 18

export function isFlexible(api: Pick<AnyApi, 'flexibleVersion'>, version: number): boolean {
  return api.flexibleVersion >= 0 && version >= api.flexibleVersion
}

export interface RequestHeader {
  apiKey: number
  apiVersion: number
  correlationId: number
  clientId: string | null
}

/** Request header v1 or v2 (the client id always has an int16 length, so any broker can read it). */
export function writeRequestHeader(w: Writer, api: AnyApi, header: RequestHeader): void {
  w.int16(header.apiKey)
  w.int16(header.apiVersion)
  w.int32(header.correlationId)
  w.string(header.clientId, false)
  if (isFlexible(api, header.apiVersion)) w.uvarint(0)
}

export function readRequestHeader(r: Reader, flexible: (apiKey: number, version: number) => boolean): RequestHeader {
  const apiKey = r.int16()
  const apiVersion = r.int16()
  const correlationId = r.int32()
  const clientId = r.string(false)
  if (flexible(apiKey, apiVersion)) r.taggedFields(() => {})
  return { apiKey, apiVersion, correlationId, clientId }
}

export function responseHeaderIsFlexible(api: Pick<AnyApi, 'apiKey' | 'flexibleVersion'>, version: number): boolean {
  return api.apiKey !== API_VERSIONS_KEY && isFlexible(api, version)
}

/** Encodes a whole request (header + body, without the size prefix). */
export function encodeRequest<A extends AnyApi>(
  api: A,
  version: number,
  correlationId: number,
  clientId: string | null,
  data: RequestInputOf<A>,
): Buffer {
  const w = new Writer()
  writeRequestHeader(w, api, { apiKey: api.apiKey, apiVersion: version, correlationId, clientId })
  api.writeRequest(w, version, data)
  return w.finish()
}

/** Reads a response body after its correlation id (and tagged fields of a flexible header). */
export function decodeResponseBody<A extends AnyApi>(api: A, version: number, r: Reader): ResponseOf<A> {
  if (responseHeaderIsFlexible(api, version)) r.taggedFields(() => {})
  return api.readResponse(r, version) as ResponseOf<A>
}
