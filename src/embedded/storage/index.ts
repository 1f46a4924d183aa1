/**
 * The embedded broker's log store: one directory per partition under the data directory, named and laid out as
 * Kafka's (`<topic>-<partition>/00000000000000000000.log`, `.index`, `.timeindex`), so Kafka's own DumpLogSegments
 * reads what it writes. Log start offsets moved by DeleteRecords are kept in `log-start-offset-checkpoint`, in the
 * format of Kafka's file of that name, so they survive a restart.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BrokerError, type LogConfig, type LogStore, type PartitionLog } from '../contracts.js'
import { ERRORS } from './errors.js'
import { FilePartitionLog } from './partition-log.js'

const CHECKPOINT = 'log-start-offset-checkpoint'

export interface LogStoreOptions {
  /** Where recovery reports what it truncated (default: process.emitWarning). */
  warn?: (message: string) => void
}

export function openLogStore(dataDir: string, options: LogStoreOptions = {}): LogStore {
  return new FileLogStore(dataDir, options.warn ?? ((message) => process.emitWarning(message)))
}

const key = (topic: string, partition: number) => `${topic} ${partition}`

class FileLogStore implements LogStore {
  private readonly logs = new Map<string, FilePartitionLog>()
  private readonly startOffsets: Map<string, number>

  constructor(
    private readonly dataDir: string,
    private readonly warn: (message: string) => void,
  ) {
    mkdirSync(dataDir, { recursive: true })
    this.startOffsets = readCheckpoint(join(dataDir, CHECKPOINT))
  }

  /** A partition already open is returned as it is, with the new config (AlterConfigs takes effect at once). */
  open(topic: string, partition: number, config: LogConfig): PartitionLog {
    // The server validates names on CreateTopics; this only keeps a directory name from leaving the data directory.
    if (
      !/^[a-zA-Z0-9._-]+$/.test(topic) ||
      topic === '.' ||
      topic === '..' ||
      !Number.isInteger(partition) ||
      partition < 0
    )
      throw new BrokerError(ERRORS.INVALID_TOPIC_EXCEPTION, `Invalid topic partition ${topic}-${partition}`)
    const id = key(topic, partition)
    const existing = this.logs.get(id)
    if (existing) {
      existing.config = config
      return existing
    }
    const log = new FilePartitionLog(join(this.dataDir, `${topic}-${partition}`), config, this.startOffsets.get(id), {
      persistStartOffset: (offset) => {
        this.startOffsets.set(id, offset)
        this.writeCheckpoint()
      },
      warn: this.warn,
    })
    this.logs.set(id, log)
    return log
  }

  remove(topic: string, partition: number): void {
    const id = key(topic, partition)
    this.logs.get(id)?.deleteAll()
    this.logs.delete(id)
    rmSync(join(this.dataDir, `${topic}-${partition}`), { recursive: true, force: true })
    if (this.startOffsets.delete(id)) this.writeCheckpoint()
  }

  close(): void {
    for (const log of this.logs.values()) log.close()
    this.logs.clear()
  }

  /** Written whole, to a temporary file then renamed, so a crash leaves the old checkpoint or the new one. */
  private writeCheckpoint(): void {
    const lines = [...this.startOffsets].map(([id, offset]) => `${id} ${offset}`)
    const path = join(this.dataDir, CHECKPOINT)
    writeFileSync(`${path}.tmp`, ['0', String(lines.length), ...lines, ''].join('\n'))
    const fd = openSync(`${path}.tmp`, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(`${path}.tmp`, path)
  }
}

/** Kafka's OffsetCheckpointFile: version 0, the entry count, then `topic partition offset` per line. */
function readCheckpoint(path: string): Map<string, number> {
  const offsets = new Map<string, number>()
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return offsets
    throw error
  }
  const lines = text.split('\n').filter((line) => line !== '')
  for (const line of lines.slice(2)) {
    // Topic names have no spaces, so the last two fields are the partition and the offset.
    const match = /^(\S+) (\d+) (\d+)$/.exec(line)
    if (match) offsets.set(key(match[1]!, Number(match[2])), Number(match[3]))
  }
  return offsets
}
