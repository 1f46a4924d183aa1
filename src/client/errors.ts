import { ERROR_CODES } from '../protocol/errors.js'

/** A Kafka error code in a response, with its name and retriable flag from Kafka's own table. */
export class KafkaProtocolError extends Error {
  readonly type: string
  readonly retriable: boolean

  constructor(
    readonly code: number,
    /** What was asked (an API, a topic, a group), for the message. */
    readonly context: string,
    serverMessage?: string | null,
  ) {
    const { type, message } = kafkaError(code, serverMessage)
    super(`${context}: ${message}`)
    this.type = type
    this.retriable = ERROR_CODES.get(code)?.retriable ?? false
  }
}

/** A Kafka error code's name and message: the broker's own message when it sent one, else Kafka's default. */
export function kafkaError(code: number, serverMessage?: string | null): { type: string; message: string } {
  const known = ERROR_CODES.get(code)
  return {
    type: known?.name ?? `UNKNOWN_ERROR_${code}`,
    message: serverMessage || known?.message || `error code ${code}`,
  }
}

export function errorName(code: number): string {
  return kafkaError(code).type
}

/** Throws a KafkaProtocolError for a non-zero error code. */
export function check(code: number, context: string, message?: string | null): void {
  if (code !== 0) throw new KafkaProtocolError(code, context, message)
}

/** A broker that could not be reached or that dropped the connection. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly broker: string,
    cause?: unknown,
  ) {
    super(message, { cause })
  }
}

/** A request the broker did not answer within the request timeout. */
export class RequestTimeoutError extends Error {}

/** No version of an API that both kafkit and the broker speak. */
export class UnsupportedApiError extends Error {
  constructor(
    readonly api: string,
    readonly broker: string,
  ) {
    super(`The broker at ${broker} does not support ${api} (it is newer or older than this Kafka).`)
  }
}

export const ERROR = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  ILLEGAL_GENERATION: 22,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_ALREADY_EXISTS: 36,
  UNSUPPORTED_VERSION: 35,
  NOT_CONTROLLER: 41,
  GROUP_ID_NOT_FOUND: 69,
  NON_EMPTY_GROUP: 68,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
  UNKNOWN_TOPIC_ID: 100,
  FENCED_MEMBER_EPOCH: 110,
  UNRELEASED_INSTANCE_ID: 111,
  STALE_MEMBER_EPOCH: 113,
} as const
