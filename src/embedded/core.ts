/**
 * What the handlers share: the metadata store, the partition logs opened through the LogStore, the topic operations
 * (create, delete, add partitions, change configs) and the wake-up of Fetch requests waiting for data.
 */
import { logConfigOf } from './configs.js'
import {
  BrokerError,
  type BrokerView,
  type LogConfig,
  type LogStore,
  type PartitionLog,
  type TopicInfo,
} from './contracts.js'
import { MetadataStore, PRODUCER_ID_BLOCK, randomUuid } from './metadata-store.js'

export const UNKNOWN_TOPIC_OR_PARTITION = 3
export const INVALID_TOPIC_EXCEPTION = 17

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/
const MAX_NAME_LENGTH = 249

/** Kafka's Topic.validate, with its messages. */
export function validateTopicName(name: string): void {
  if (name.length === 0) throw new BrokerError(INVALID_TOPIC_EXCEPTION, "Topic name is illegal, it can't be empty")
  if (name === '.' || name === '..') throw new BrokerError(INVALID_TOPIC_EXCEPTION, 'Topic name cannot be "." or ".."')
  if (name.length > MAX_NAME_LENGTH)
    throw new BrokerError(
      INVALID_TOPIC_EXCEPTION,
      `Topic name is illegal, it can't be longer than ${MAX_NAME_LENGTH} characters, topic name: ${name}`,
    )
  if (!LEGAL_NAME.test(name))
    throw new BrokerError(
      INVALID_TOPIC_EXCEPTION,
      `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
    )
}

export interface CoreOptions {
  nodeId: number
  host: string
  port: number
  store: MetadataStore
  logs: LogStore
  log: (message: string) => void
}

export class BrokerCore implements BrokerView {
  readonly nodeId: number
  host: string
  port: number
  readonly store: MetadataStore
  readonly log: (message: string) => void
  private readonly logs: LogStore
  private readonly partitionLogs = new Map<string, PartitionLog[]>()
  /** One object per topic, updated in place on AlterConfigs so an open log sees the change. */
  private readonly logConfigs = new Map<string, LogConfig>()
  private readonly waiters = new Set<() => void>()
  private onDeleted: (topic: string) => void = () => {}
  private producerIds: { next: bigint; end: bigint } = { next: 0n, end: 0n }
  /** Set by close(): waiting Fetch requests answer with what they have instead of waiting on. */
  closing = false

  constructor(options: CoreOptions) {
    this.nodeId = options.nodeId
    this.host = options.host
    this.port = options.port
    this.store = options.store
    this.logs = options.logs
    this.log = options.log
    for (const topic of this.store.list()) this.openPartitions(topic)
  }

  get clusterId(): string {
    return this.store.clusterId
  }

  topics(): TopicInfo[] {
    return this.store.list()
  }
  topic(name: string): TopicInfo | undefined {
    return this.store.get(name)
  }
  topicById(topicId: string): TopicInfo | undefined {
    return this.store.byId(topicId)
  }

  setTopicDeletedListener(listener: (topic: string) => void): void {
    this.onDeleted = listener
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.partitionLogs.get(topic)?.[index]
  }

  private openPartitions(topic: TopicInfo): void {
    let config = this.logConfigs.get(topic.name)
    if (!config) {
      config = logConfigOf(topic.configs)
      this.logConfigs.set(topic.name, config)
    }
    const logs = this.partitionLogs.get(topic.name) ?? []
    for (let i = logs.length; i < topic.partitions; i++) logs.push(this.logs.open(topic.name, i, config))
    this.partitionLogs.set(topic.name, logs)
  }

  createTopic(name: string, partitions: number, configs: Record<string, string>): TopicInfo {
    const topic: TopicInfo = { name, topicId: randomUuid(), partitions, configs }
    this.store.put(topic)
    this.openPartitions(topic)
    this.log(`created topic ${name} with ${partitions} partition(s)`)
    return topic
  }

  deleteTopic(name: string): void {
    const topic = this.store.get(name)
    if (!topic) return
    for (const log of this.partitionLogs.get(name) ?? []) log.close()
    for (let i = 0; i < topic.partitions; i++) this.logs.remove(name, i)
    this.partitionLogs.delete(name)
    this.logConfigs.delete(name)
    this.store.remove(name)
    this.onDeleted(name)
    this.log(`deleted topic ${name}`)
  }

  addPartitions(name: string, count: number): void {
    const topic = this.store.get(name)!
    const updated = { ...topic, partitions: count }
    this.store.put(updated)
    this.openPartitions(updated)
  }

  setConfigs(name: string, configs: Record<string, string>): void {
    const topic = this.store.get(name)!
    this.store.put({ ...topic, configs })
    const config = this.logConfigs.get(name)
    if (config) Object.assign(config, logConfigOf(configs))
  }

  /** Producer ids come in blocks reserved in the metadata store, so none is handed out twice across restarts. */
  nextProducerId(): bigint {
    if (this.producerIds.next >= this.producerIds.end) {
      const start = this.store.takeProducerIdBlock()
      this.producerIds = { next: start, end: start + BigInt(PRODUCER_ID_BLOCK) }
    }
    return this.producerIds.next++
  }

  /** Resolves at the next append anywhere (or when the timeout passes): Fetch long polling re-reads then. */
  waitForAppend(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, Math.max(0, timeoutMs))
      this.waiters.add(wake)
    })
  }

  appended(): void {
    for (const wake of [...this.waiters]) wake()
  }

  /** Wakes every waiting Fetch so that close() does not wait for their timeouts. */
  wakeAll(): void {
    this.closing = true
    this.appended()
  }

  applyRetention(nowMs: bigint): void {
    for (const logs of this.partitionLogs.values()) for (const log of logs) log.applyRetention(nowMs)
  }

  close(): void {
    for (const logs of this.partitionLogs.values()) for (const log of logs) log.flush()
    this.logs.close()
  }
}
