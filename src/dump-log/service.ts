/**
 * `kafkit dump-log`: Kafka's DumpLogSegments on the files given, or on the segments of a topic's partitions in a
 * local stack's data directories.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError, UsageError } from '../errors.js'
import { logDirsOf, requireState } from '../stack/service.js'
import { dumpFiles, type DumpOptions, type DumpSink } from './dump.js'

export interface DumpLogResult {
  files: string[]
  /** The dump, one line per entry (what the text output prints). */
  lines: string[]
  /** The checks' findings (index mismatches, non-consecutive offsets), as printed on stderr. */
  findings: string[]
}

/** Prints to `sink` as it goes; the lines are kept for the result only when `collect` (--json): a dump can be large. */
export async function dumpLog(options: DumpOptions, sink: DumpSink, collect: boolean): Promise<DumpLogResult> {
  const lines: string[] = []
  const findings: string[] = []
  await dumpFiles(options, {
    out: (line) => {
      if (collect) lines.push(line)
      sink.out(line)
    },
    err: (line) => {
      if (collect) findings.push(line)
      sink.err(line)
    },
    partial: (text) => sink.partial?.(text),
  })
  return { files: options.files, lines, findings }
}

/**
 * The segment files (.log, oldest first) of a topic's partitions in a stack: the first node holding each partition
 * (every replica is the same log). `__cluster_metadata` is found in the controllers' (or combined node's) directory.
 */
export function stackSegmentFiles(stack: string, topic: string, partition: number | undefined): string[] {
  const state = requireState(stack)
  if (state.mode === 'zookeeper' && topic === '__cluster_metadata')
    throw new UsageError(`Stack "${stack}" runs ZooKeeper: it has no __cluster_metadata log.`)
  const nodes = state.nodes.filter((n) => n.role !== 'zookeeper')
  const partitions = new Map<number, string>()
  for (const node of nodes)
    for (const dir of logDirsOf(node)) {
      if (!existsSync(dir)) continue
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const match = /^(.+)-(\d+)$/.exec(entry.name)
        if (!entry.isDirectory() || !match || match[1] !== topic) continue
        const id = Number(match[2])
        if ((partition === undefined || id === partition) && !partitions.has(id))
          partitions.set(id, join(dir, entry.name))
      }
    }
  if (partitions.size === 0) {
    const where = partition === undefined ? `topic "${topic}"` : `partition ${topic}-${partition}`
    throw new KafkitError(`No log of ${where} in stack "${stack}"'s data directories.`, {
      code: 'NO_SUCH_LOG',
      suggestions: [
        state.runtime === 'docker'
          ? 'A Docker stack keeps its logs inside the containers: dump-log reads files on this host.'
          : 'List the topics with `kafkit topics --list`; a partition has a log once its broker created it.',
      ],
    })
  }
  return [...partitions]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([, dir]) =>
      readdirSync(dir)
        .filter((name) => /^\d+\.log$/.test(name))
        .sort()
        .map((name) => join(dir, name)),
    )
}
