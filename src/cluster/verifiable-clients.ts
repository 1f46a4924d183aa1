/**
 * The kafkajs data path of kafka-verifiable-producer, kafka-verifiable-consumer and kafka-e2e-latency: a plain
 * (non-idempotent, no retries: the Java tools set retries=0) producer that reports each record's partition and
 * offset, a classic group member that reports assignments, records and commits, and a group-less fetch of one
 * partition from an offset. Import lazily: it loads kafkajs.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs'
import type { ConnectionSettings } from '../connection/settings.js'
import type { Reporter } from '../output/reporter.js'
import { createClient } from './client.js'
import { createFetchCluster, visibleRecords, type FetchCluster } from './kafkajs-internals.js'

function client(connection: ConnectionSettings, clientId: string, reporter?: Reporter, retries = 2): Kafka {
  return createClient({
    servers: connection.servers,
    ssl: connection.ssl,
    sasl: connection.sasl,
    clientId,
    retries,
    ...(reporter ? { reporter } : {}),
  })
}

export interface OutRecord {
  partition: number
  key: string | Buffer | null
  value: string | Buffer
  timestamp?: number
  headers?: Record<string, Buffer | null>
}

export interface SentRecord {
  partition: number
  /** -1 with acks=0 (the broker answers nothing), as the Java producer reports it. */
  offset: number
}

export class PlainProducer {
  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly acks: -1 | 0 | 1,
  ) {}

  static async open(
    connection: ConnectionSettings,
    options: { clientId: string; acks: -1 | 0 | 1; reporter?: Reporter; retries?: number },
  ): Promise<PlainProducer> {
    const kafka = client(connection, options.clientId, options.reporter, options.retries ?? 0)
    const producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: false, retry: { retries: 0 } })
    await producer.connect()
    return new PlainProducer(kafka, producer, options.acks)
  }

  /** Sends records (each with its partition chosen) in one request; resolves to each record's offset, in order. */
  async send(topic: string, records: OutRecord[]): Promise<SentRecord[]> {
    const answers = await this.producer.send({
      topic,
      acks: this.acks,
      messages: records.map((r) => ({
        partition: r.partition,
        key: r.key,
        value: r.value,
        ...(r.timestamp !== undefined ? { timestamp: String(r.timestamp) } : {}),
        ...(r.headers ? { headers: r.headers as Record<string, Buffer> } : {}),
      })),
    })
    const next = new Map<number, number>()
    for (const a of answers) next.set(a.partition, a.baseOffset === undefined ? -1 : Number(a.baseOffset))
    return records.map((r) => {
      const base = next.get(r.partition)
      if (base === undefined || base < 0 || this.acks === 0) return { partition: r.partition, offset: -1 }
      next.set(r.partition, base + 1)
      return { partition: r.partition, offset: base }
    })
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {})
  }
}

export interface GroupRecord {
  topic: string
  partition: number
  offset: number
  key: string | null
  value: string | null
}

export interface GroupMemberEvents {
  assigned(partitions: Array<{ topic: string; partition: number }>): void
  revoked(partitions: Array<{ topic: string; partition: number }>): void
  /** A fetched batch of one partition, with a way to commit offsets (the next ones to read) now. */
  batch(records: GroupRecord[], commit: (offsets: CommitOffset[]) => Promise<void>): Promise<void>
}

export interface CommitOffset {
  topic: string
  partition: number
  offset: number
}

export interface GroupMemberOptions {
  groupId: string
  topic: string
  fromBeginning: boolean
  sessionTimeoutMs?: number
  autoCommit: boolean
  reporter?: Reporter
}

/** A classic group member (kafkajs's consumer) subscribed to one topic. */
export class GroupMember {
  private assignment: Array<{ topic: string; partition: number }> = []

  private constructor(
    private readonly consumer: Consumer,
    private readonly events: GroupMemberEvents,
  ) {}

  static async start(
    connection: ConnectionSettings,
    options: GroupMemberOptions,
    events: GroupMemberEvents,
  ): Promise<GroupMember> {
    const kafka = client(connection, 'verifiable-consumer', options.reporter)
    const consumer = kafka.consumer({
      groupId: options.groupId,
      ...(options.sessionTimeoutMs ? { sessionTimeout: options.sessionTimeoutMs } : {}),
      allowAutoTopicCreation: true,
      maxWaitTimeInMs: 500,
    })
    const member = new GroupMember(consumer, events)
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      member.assignment = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      )
      events.assigned(member.assignment)
    })
    consumer.on(consumer.events.REBALANCING, () => member.revokeAll())
    await consumer.connect()
    await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning })
    await consumer.run({
      autoCommit: options.autoCommit,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        await events.batch(
          batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: Number(m.offset),
            key: m.key === null ? null : m.key.toString(),
            value: m.value === null ? null : m.value.toString(),
          })),
          (offsets) => member.commit(offsets),
        )
      },
    })
    return member
  }

  /** Commits offsets now (the next offset to read per partition). */
  async commit(offsets: CommitOffset[]): Promise<void> {
    await this.consumer.commitOffsets(offsets.map((o) => ({ ...o, offset: String(o.offset) })))
  }

  private revokeAll(): void {
    if (this.assignment.length === 0) return
    const revoked = this.assignment
    this.assignment = []
    this.events.revoked(revoked)
  }

  /** Leaves the group: the assignment is revoked first, as the Java consumer's close() does. */
  async close(): Promise<void> {
    await this.consumer.stop().catch(() => {})
    this.revokeAll()
    await this.consumer.disconnect().catch(() => {})
  }
}

/** A group-less reader of one partition (assign + seek): fetches long-poll until records arrive. */
export class PartitionReader {
  private constructor(
    private readonly cluster: FetchCluster,
    private readonly topic: string,
    private readonly partition: number,
  ) {}

  static async open(
    connection: ConnectionSettings,
    topic: string,
    partition: number,
    reporter?: Reporter,
  ): Promise<PartitionReader> {
    const cluster = createFetchCluster(client(connection, 'kafkit-e2e-latency', reporter))
    await cluster.connect()
    await cluster.addMultipleTargetTopics([topic])
    return new PartitionReader(cluster, topic, partition)
  }

  /** The records from `offset` on, waiting up to `maxWaitMs` for the first one (empty when none came). */
  async read(
    offset: number,
    maxWaitMs: number,
  ): Promise<Array<{ offset: number; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown> }>> {
    const leader = this.cluster.findTopicPartitionMetadata(this.topic).find((p) => p.partitionId === this.partition)
    if (!leader) throw new Error(`No leader for ${this.topic}-${this.partition}`)
    const broker = await this.cluster.findBroker({ nodeId: String(leader.leader) })
    const response = await broker.fetch({
      isolationLevel: 0,
      maxWaitTime: maxWaitMs,
      minBytes: 1,
      maxBytes: 64 * 1024 * 1024,
      topics: [
        {
          topic: this.topic,
          partitions: [{ partition: this.partition, fetchOffset: String(offset), maxBytes: 64 * 1024 * 1024 }],
        },
      ],
    })
    const data = response.responses[0]?.partitions[0]
    if (!data) return []
    if (data.errorCode !== 0) throw new Error(`Fetch ${this.topic}-${this.partition}: error ${data.errorCode}`)
    return visibleRecords(this.topic, String(offset), data).map((m) => ({
      offset: Number(m.offset),
      key: m.key ?? null,
      value: m.value ?? null,
      headers: (m.headers ?? {}) as Record<string, unknown>,
    }))
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => {})
  }
}
