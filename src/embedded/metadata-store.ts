/**
 * The broker's metadata: topics (name, id, partition count, configs), the cluster id and the producer-id block,
 * kept in `<dataDir>/meta.json` and `<dataDir>/meta.properties`. Written whole to a temporary file and renamed over
 * the old one, so a crash leaves either the old or the new file, never half of one. Without a data directory the
 * store lives in memory only.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TopicInfo } from './contracts.js'

interface MetaFile {
  version: 1
  topics: TopicInfo[]
  /** The next block of producer ids to hand out; a block is taken per start so ids never repeat across restarts. */
  nextProducerIdBlock: number
}

export const PRODUCER_ID_BLOCK = 1000

/** A random id in Kafka's form (Uuid.randomUuid().toString(): 16 bytes, URL-safe base64 without padding). */
export function randomUuid(): string {
  return randomBytes(16).toString('base64url')
}

export class MetadataStore {
  private readonly topics = new Map<string, TopicInfo>()
  private nextProducerIdBlock = 0
  readonly clusterId: string

  constructor(
    private readonly dataDir: string | undefined,
    clusterId: string | undefined,
    nodeId: number,
  ) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true })
      const meta = join(dataDir, 'meta.json')
      if (existsSync(meta)) {
        const parsed = JSON.parse(readFileSync(meta, 'utf8')) as MetaFile
        for (const topic of parsed.topics) this.topics.set(topic.name, topic)
        this.nextProducerIdBlock = parsed.nextProducerIdBlock ?? 0
      }
      const properties = join(dataDir, 'meta.properties')
      const stored = existsSync(properties)
        ? /^cluster\.id=(.*)$/m.exec(readFileSync(properties, 'utf8'))?.[1]?.trim()
        : undefined
      this.clusterId = stored ?? clusterId ?? randomUuid()
      if (!stored) {
        // The same keys as Kafka's meta.properties, so a reader of the data directory recognises it.
        writeAtomically(properties, `version=1\ncluster.id=${this.clusterId}\nnode.id=${nodeId}\n`)
      }
      // Where a KRaft node records the quorum's leader: `kafkit status` reads the controller from it. The single
      // node is always its own leader.
      const quorum = join(dataDir, '__cluster_metadata-0')
      mkdirSync(quorum, { recursive: true })
      writeAtomically(
        join(quorum, 'quorum-state'),
        JSON.stringify({
          clusterId: '',
          leaderId: nodeId,
          leaderEpoch: 1,
          votedId: -1,
          appliedOffset: 0,
          currentVoters: [{ voterId: nodeId }],
          data_version: 0,
        }) + '\n',
      )
    } else {
      this.clusterId = clusterId ?? randomUuid()
    }
  }

  list(): TopicInfo[] {
    return [...this.topics.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  get(name: string): TopicInfo | undefined {
    return this.topics.get(name)
  }

  byId(topicId: string): TopicInfo | undefined {
    for (const topic of this.topics.values()) if (topic.topicId === topicId) return topic
    return undefined
  }

  put(topic: TopicInfo): void {
    this.topics.set(topic.name, topic)
    this.save()
  }

  remove(name: string): void {
    this.topics.delete(name)
    this.save()
  }

  /** Reserves the next block of producer ids and returns its first id. */
  takeProducerIdBlock(): bigint {
    const block = this.nextProducerIdBlock++
    this.save()
    return BigInt(block) * BigInt(PRODUCER_ID_BLOCK)
  }

  save(): void {
    if (!this.dataDir) return
    const data: MetaFile = { version: 1, topics: this.list(), nextProducerIdBlock: this.nextProducerIdBlock }
    writeAtomically(join(this.dataDir, 'meta.json'), JSON.stringify(data, null, 2) + '\n')
  }
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, path)
}
