/**
 * DumpLogSegments' message parsers: what `key:` and `payload:` show for a record. StringDecoder by default; the
 * decoders of Kafka's own logs (__consumer_offsets, __transaction_state, __cluster_metadata) print the records as
 * JSON, through the message definitions in ./record-schemas.ts.
 */
import { Reader } from '../protocol/primitives.js'
import type { FileRecord } from './batches.js'
import { MessageSchema, snakeUpper, type JsonReplace, type MessageSpec, type Struct } from './message-json.js'

export interface Parsed {
  key?: string
  value?: string
}
export type Parser = (record: FileRecord) => Parsed

export type DecoderName = 'string' | 'offsets' | 'transaction-log' | 'cluster-metadata'

export async function parserFor(decoder: DecoderName): Promise<Parser> {
  if (decoder === 'string') return stringParser
  const schemas = await import('./record-schemas.js')
  if (decoder === 'cluster-metadata') return clusterMetadataParser(schemas.METADATA_RECORDS)
  if (decoder === 'offsets') {
    const client = byName(schemas.CLIENT_MESSAGES)
    const replace = consumerProtocolFields(client)
    return coordinatorParser(schemas.GROUP_RECORDS, (name, value) =>
      name === 'GroupMetadataValue' && value.get('protocolType') === 'consumer' ? replace : undefined,
    )
  }
  return coordinatorParser(schemas.TRANSACTION_RECORDS, (name) =>
    name === 'TransactionLogValue' ? transactionStatusName : undefined,
  )
}

/** org.apache.kafka.tools.api.StringDecoder: the bytes as UTF-8. */
export const stringParser: Parser = (record) => ({
  ...(record.key !== null && { key: record.key.toString('utf8') }),
  ...(record.value !== null && { value: record.value.toString('utf8') }),
})

function byName(specs: MessageSpec[]): Map<string, MessageSchema> {
  return new Map(specs.map((s) => [s.name, new MessageSchema(s)]))
}

function byApiKey(specs: MessageSpec[], type: string): Map<number, MessageSchema> {
  return new Map(specs.filter((s) => s.type === type).map((s) => [s.apiKey!, new MessageSchema(s)]))
}

class UnknownRecordType extends Error {
  constructor(readonly type: number) {
    super(`Unknown record type ${type}`)
  }
}

/** Kafka's CoordinatorRecordMessageParser (offsets and transaction log decoders). */
export function coordinatorParser(
  specs: MessageSpec[],
  replaceIn?: (name: string, value: Struct) => JsonReplace | undefined,
): Parser {
  const keys = byApiKey(specs, 'coordinator-key')
  const values = byApiKey(specs, 'coordinator-value')
  return (record) => {
    if (record.key === null)
      throw new Error(
        `Failed to decode message at offset ${record.offset} using the specified decoder (message had a missing key)`,
      )
    try {
      const keyReader = new Reader(record.key)
      const type = readVersion(keyReader, 'key')
      const keySchema = keys.get(type)
      if (!keySchema) throw new UnknownRecordType(type)
      const key = readMessage(keySchema, keyReader, 0, 'key')
      const keyJson = `{"type":"${type}","data":${keySchema.json(key, 0)}}`
      if (record.value === null) return { key: keyJson, value: '<DELETE>' }
      const valueSchema = values.get(type)
      if (!valueSchema) throw new UnknownRecordType(type)
      const valueReader = new Reader(record.value)
      const version = readVersion(valueReader, 'value')
      const value = readMessage(valueSchema, valueReader, version, 'value')
      const replace = replaceIn?.(valueSchema.name, value)
      return {
        key: keyJson,
        value: `{"version":"${version}","data":${valueSchema.json(value, version, replace)}}`,
      }
    } catch (error) {
      if (error instanceof UnknownRecordType)
        return { key: `Unknown record type ${error.type} at offset ${record.offset}, skipping.` }
      return { key: `Error at offset ${record.offset}, skipping. ${(error as Error).message}` }
    }
  }
}

function readVersion(reader: Reader, name: string): number {
  if (reader.remaining < 2) throw new Error(`Could not read version from ${name}'s buffer.`)
  return reader.int16()
}

function readMessage(schema: MessageSchema, reader: Reader, version: number, name: string): Struct {
  try {
    return schema.read(reader, version)
  } catch (error) {
    throw new Error(
      `Could not read record with version ${version} from ${name}'s buffer due to: ${(error as Error).message}.`,
    )
  }
}

/** TransactionState's names (Kafka's TransactionLogMessageParser prints them instead of the status byte). */
const TRANSACTION_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
]

const transactionStatusName: JsonReplace = (field, value) =>
  field.name === 'TransactionStatus' && typeof value === 'number'
    ? `"${TRANSACTION_STATES[value] ?? String(value)}"`
    : undefined

/** Group metadata of the consumer protocol: members' subscription and assignment bytes printed as their JSON. */
function consumerProtocolFields(client: Map<string, MessageSchema>): JsonReplace {
  const embedded: Record<string, MessageSchema | undefined> = {
    subscription: client.get('ConsumerProtocolSubscription'),
    assignment: client.get('ConsumerProtocolAssignment'),
  }
  return (field, value) => {
    const schema = embedded[field.name]
    if (!schema || !Buffer.isBuffer(value)) return undefined
    try {
      const reader = new Reader(value)
      const version = reader.int16()
      return schema.json(schema.read(reader, version), version)
    } catch {
      return undefined // Kafka keeps the original bytes then
    }
  }
}

/** Kafka's ClusterMetadataLogMessageParser: MetadataRecordSerde frames (frame version, type, version, message). */
export function clusterMetadataParser(specs: MessageSpec[]): Parser {
  const records = byApiKey(specs, 'metadata')
  return (record) => {
    try {
      if (record.value === null) throw new Error('null value')
      const reader = new Reader(record.value)
      const frame = reader.uvarint()
      if (frame === 0)
        throw new Error(
          'Could not deserialize metadata record with frame version 0. Note that upgrades from the preview release of KRaft in 2.8 to newer versions are not supported.',
        )
      if (frame !== 1)
        throw new Error(
          `Could not deserialize metadata record due to unknown frame version ${frame}(only frame version 1 is supported)`,
        )
      const apiKey = reader.uvarint()
      const version = reader.uvarint()
      const schema = records.get(apiKey)
      if (!schema) throw new Error(`Unknown metadata id ${apiKey}`)
      const data = schema.read(reader, version)
      return {
        value: `{"type":"${snakeUpper(schema.name)}","version":${version},"data":${schema.json(data, version)}}`,
      }
    } catch (error) {
      return { value: `Error at ${record.offset}, skipping. ${(error as Error).message}` }
    }
  }
}

/** Control records (transaction markers, KRaft's leader changes, snapshots and voters): DumpLogSegments' text. */
export async function controlRecordText(record: FileRecord): Promise<string> {
  const key = record.key
  const typeId = key && key.length >= 4 ? key.readInt16BE(2) : -1
  const value = record.value ?? Buffer.alloc(0)
  const embedded = async (label: string, name: string) => {
    const { CLIENT_MESSAGES } = await import('./record-schemas.js')
    const schema = byName(CLIENT_MESSAGES).get(name)!
    // Kafka reads these at version 0 and prints them at the version the record carries in its own field.
    const data = schema.read(new Reader(value), 0)
    return `${label}${schema.json(data, Number(data.get('Version') ?? 0))}`
  }
  switch (typeId) {
    case 0:
    case 1:
      return ` endTxnMarker: ${typeId === 0 ? 'ABORT' : 'COMMIT'} coordinatorEpoch: ${value.length >= 6 ? value.readInt32BE(2) : -1}`
    case 2:
      return embedded(' LeaderChange: ', 'LeaderChangeMessage')
    case 3:
      return embedded(' SnapshotHeader ', 'SnapshotHeaderRecord')
    case 4:
      return embedded(' SnapshotFooter ', 'SnapshotFooterRecord')
    case 5:
      return embedded(' KRaftVersion ', 'KRaftVersionRecord')
    case 6:
      return embedded(' KRaftVoters ', 'VotersRecord')
    default:
      return ` controlType: UNKNOWN(${typeId})`
  }
}
