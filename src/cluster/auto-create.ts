/**
 * Topic auto-creation as Kafka's own clients do it: the Java producer always sends Metadata with
 * allow_auto_topic_creation=true, the Java consumer does too unless allow.auto.create.topics=false, and the
 * broker creates the topic when auto.create.topics.enable=true (its default). Admin commands never come here.
 */
import { KafkitError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import type { KafkaClient } from '../client/kafka-client.js'
import { sleep } from '../util/sleep.js'

const UNKNOWN_TOPIC_OR_PARTITION = 3
const LEADER_NOT_AVAILABLE = 5
/** How long a freshly created topic may take to get leaders for every partition. */
const LEADERS_TIMEOUT_MS = 15_000
const POLL_MS = 100
/** How long a topic the broker agreed to create may take to show in its metadata (a few ms locally). */
const CREATION_VISIBLE_MS = 3000

interface TopicReady {
  partitions: number
  /** The broker created the topic for this request. */
  created: boolean
}

interface TopicPartitionsInfo {
  errorCode: number
  partitions: Array<{ leader: number }>
}

export async function ensureTopic(
  client: KafkaClient,
  topic: string,
  options: { autoCreate: boolean; reporter: Reporter },
): Promise<TopicReady> {
  const describe = async (create: boolean): Promise<TopicPartitionsInfo | undefined> => {
    const found = (await client.metadata([topic], create)).topics.find((t) => t.name === topic)
    return found && { errorCode: found.errorCode, partitions: found.partitions.map((p) => ({ leader: p.leaderId })) }
  }

  // Asking without auto-creation first tells "it existed" from "the broker made it for us".
  let info = await describe(false)
  let created = false
  if (info?.errorCode === UNKNOWN_TOPIC_OR_PARTITION) {
    if (options.autoCreate) {
      info = await describe(true)
      // Kafka 3.x answers LEADER_NOT_AVAILABLE to a request that created the topic; 4.x answers
      // UNKNOWN_TOPIC_OR_PARTITION both when it created the topic and when auto-creation is off, so look again.
      const deadline = Date.now() + CREATION_VISIBLE_MS
      while (info?.errorCode === UNKNOWN_TOPIC_OR_PARTITION && Date.now() < deadline) {
        await sleep(POLL_MS)
        info = await describe(false)
      }
      created = info !== undefined && info.errorCode !== UNKNOWN_TOPIC_OR_PARTITION
    }
    if (!created) {
      throw new KafkitError(
        `Topic "${topic}" does not exist${options.autoCreate ? ' and the broker did not create it (auto.create.topics.enable=false)' : ''}.`,
        {
          code: 'UNKNOWN_TOPIC',
          suggestions: [`Create it: kafkit topics --create --topic ${topic}`],
        },
      )
    }
  }
  const deadline = Date.now() + LEADERS_TIMEOUT_MS
  while (!hasLeaders(info)) {
    if (
      info &&
      info.errorCode !== 0 &&
      info.errorCode !== LEADER_NOT_AVAILABLE &&
      info.errorCode !== UNKNOWN_TOPIC_OR_PARTITION
    ) {
      throw new KafkitError(`Cannot use topic "${topic}": the broker answered error code ${info.errorCode}.`, {
        code: 'TOPIC_ERROR',
      })
    }
    if (Date.now() > deadline) {
      throw new KafkitError(`Topic "${topic}" has partitions without a leader after ${LEADERS_TIMEOUT_MS / 1000} s.`, {
        code: 'NO_LEADER',
        suggestions: [`Check the brokers: kafkit topics --describe --topic ${topic}`],
      })
    }
    await sleep(POLL_MS)
    info = await describe(false)
  }
  const partitions = info!.partitions.length
  if (created)
    options.reporter.info(
      `Topic ${topic} did not exist; the broker created it (${partitions} partition${partitions === 1 ? '' : 's'}).`,
    )
  return { partitions, created }
}

function hasLeaders(info: TopicPartitionsInfo | undefined): boolean {
  return (
    info !== undefined &&
    info.errorCode === 0 &&
    info.partitions.length > 0 &&
    info.partitions.every((p) => p.leader >= 0)
  )
}
