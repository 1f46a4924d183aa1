import { isUtf8 } from 'node:buffer'
import { RecordParseError } from './line-reader.js'
import type { Bytes, Header, IncomingRecord, OutgoingRecord } from './types.js'

/**
 * The JSON record format shared by `console-consumer --json` (output) and `console-producer --json`
 * (input), one object per line, so piping one into the other copies a topic byte for byte:
 *   {"topic":"t","partition":0,"offset":5,"timestamp":1700000000000,"timestampType":"CreateTime",
 *    "key":"k","value":{"base64":"AAE="},"headers":[{"key":"h","value":"v"}]}
 * Bytes that are valid UTF-8 are a JSON string; anything else is {"base64": "..."}; null is null.
 * Headers are a list (Kafka allows repeated keys and keeps their order); jq's from_entries turns them into an object.
 */

type JsonBytes = string | null | { base64: string }

export function bytesToJson(bytes: Bytes): JsonBytes {
  if (bytes === null) return null
  return isUtf8(bytes) ? bytes.toString('utf8') : { base64: bytes.toString('base64') }
}

interface JsonRecord {
  topic: string
  partition: number
  offset: number | string
  timestamp: number | string
  timestampType: string
  key: JsonBytes
  value: JsonBytes
  headers: Array<{ key: string; value: JsonBytes }>
  /** Share groups only (console-share-consumer). */
  deliveryCount?: number
}

export function recordToJson(record: IncomingRecord): JsonRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: safeNumber(record.offset),
    timestamp: safeNumber(record.timestamp),
    timestampType: record.timestampType,
    key: bytesToJson(record.key),
    value: bytesToJson(record.value),
    headers: record.headers.map((h) => ({ key: h.key, value: bytesToJson(h.value) })),
    ...(record.deliveryCount === undefined ? {} : { deliveryCount: record.deliveryCount }),
  }
}

/** int64 values as JSON numbers while they are exact, as strings beyond 2^53 (never a silently rounded number). */
function safeNumber(value: string): number | string {
  const number = Number(value)
  return Number.isSafeInteger(number) ? number : value
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** A JSON value as record bytes: strings as UTF-8, {"base64"} decoded, other JSON (objects, numbers) as its JSON text. */
function jsonToBytes(value: unknown, field: string, lineNumber: number): Bytes {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value)
    const base64 = (value as { base64?: unknown }).base64
    if (keys.length === 1 && keys[0] === 'base64') {
      if (typeof base64 !== 'string' || !BASE64.test(base64.replace(/\s/g, ''))) {
        throw new RecordParseError(`Line ${lineNumber}: ${field}.base64 is not base64 text.`, lineNumber)
      }
      return Buffer.from(base64, 'base64')
    }
  }
  return Buffer.from(JSON.stringify(value), 'utf8')
}

function jsonHeaders(value: unknown, lineNumber: number): Header[] {
  if (value === null || value === undefined) return []
  const header = (key: unknown, raw: unknown): Header => {
    if (typeof key !== 'string')
      throw new RecordParseError(`Line ${lineNumber}: header keys must be strings.`, lineNumber)
    return { key, value: jsonToBytes(raw, `headers.${key}`, lineNumber) }
  }
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (Array.isArray(entry) && entry.length === 2) return header(entry[0], entry[1])
      if (entry && typeof entry === 'object' && 'key' in entry)
        return header((entry as { key: unknown }).key, (entry as { value?: unknown }).value)
      throw new RecordParseError(
        `Line ${lineNumber}: headers must be [{"key":..,"value":..}], [[key, value]] or {"key": value}.`,
        lineNumber,
      )
    })
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, raw]) =>
      Array.isArray(raw) ? raw.map((item) => header(key, item)) : [header(key, raw)],
    )
  }
  throw new RecordParseError(`Line ${lineNumber}: headers must be a list or an object.`, lineNumber)
}

/** One input line of `console-producer --json`. Fields other than key/value/headers/partition/timestamp are ignored (topic, offset...). */
export function parseJsonRecord(line: Buffer | string, lineNumber: number): OutgoingRecord {
  let parsed: unknown
  try {
    parsed = JSON.parse(typeof line === 'string' ? line : line.toString('utf8'))
  } catch (error) {
    throw new RecordParseError(`Line ${lineNumber} is not valid JSON: ${(error as Error).message}`, lineNumber)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RecordParseError(
      `Line ${lineNumber}: expected a JSON object like {"key": "k", "value": "v"}.`,
      lineNumber,
    )
  }
  const object = parsed as Record<string, unknown>
  if (!('value' in object)) {
    throw new RecordParseError(`Line ${lineNumber}: missing "value" (use "value": null for a tombstone).`, lineNumber)
  }
  const record: OutgoingRecord = {
    key: jsonToBytes(object.key, 'key', lineNumber),
    value: jsonToBytes(object.value, 'value', lineNumber),
    headers: jsonHeaders(object.headers, lineNumber),
  }
  if (object.partition !== undefined && object.partition !== null) {
    if (!Number.isInteger(object.partition) || (object.partition as number) < 0) {
      throw new RecordParseError(`Line ${lineNumber}: partition must be a non-negative integer.`, lineNumber)
    }
    record.partition = object.partition as number
  }
  if (object.timestamp !== undefined && object.timestamp !== null) {
    const timestamp =
      typeof object.timestamp === 'string' && !/^\d+$/.test(object.timestamp)
        ? Date.parse(object.timestamp)
        : Number(object.timestamp)
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new RecordParseError(
        `Line ${lineNumber}: timestamp must be epoch milliseconds or an ISO-8601 date.`,
        lineNumber,
      )
    }
    record.timestamp = timestamp
  }
  return record
}
