import { kafkitCommand } from '../output/commands.js'

/**
 * Broken states that Kafka reports only deep in its log, recognised and explained with the fix.
 * Each pattern is matched against a process's log tail after a failed start.
 */
interface Diagnosis {
  problem: string
  fix: string
}

const KNOWN_PROBLEMS: Array<{ pattern: RegExp; diagnose: (stack: string, match: RegExpExecArray) => Diagnosis }> = [
  {
    pattern:
      /InconsistentClusterIdException|The Cluster ID \S+ doesn't match stored clusterId|Invalid cluster.id in:|clusterId .* doesn't match/,
    diagnose: (stack) => ({
      problem:
        'The data directory belongs to a different cluster id (usually after a partial wipe of ZooKeeper or KRaft metadata).',
      fix: `${kafkitCommand('purge --force', { stack })}, then ${kafkitCommand('up', { stack })} (this deletes the stack's data).`,
    }),
  },
  {
    pattern:
      /No `meta\.properties` found|is not formatted|Because .* is not formatted|No readable meta\.properties files found/,
    diagnose: (stack) => ({
      problem: 'The KRaft storage is not formatted.',
      fix: `${kafkitCommand('up', { stack })} formats it on start; if it was deleted by hand, ${kafkitCommand('purge --force', { stack })} starts clean.`,
    }),
  },
  {
    pattern: /Failed to acquire lock on file \.lock|Failed to acquire lock on file/,
    diagnose: (stack) => ({
      problem:
        "Another process holds the data directory's .lock (a Kafka still running, or a stale lock after a crash).",
      fix: `${kafkitCommand('status', { stack })} to find it; ${kafkitCommand('down', { stack })}, or stop the stray java process holding the directory.`,
    }),
  },
  {
    pattern: /Address already in use|BindException/,
    diagnose: () => ({
      problem: 'A port this process needs was taken after kafkit checked it.',
      fix: 'Find the process with `ss -ltnp` or `lsof -i`, stop it, or start the stack with --port.',
    }),
  },
  {
    pattern: /UnsupportedClassVersionError|has been compiled by a more recent version of the Java Runtime/,
    diagnose: () => ({
      problem: 'This Kafka needs a newer Java than the one that ran it.',
      fix: 'Install Java 17+ and set JAVA_HOME.',
    }),
  },
  {
    pattern: /java\.lang\.OutOfMemoryError/,
    diagnose: (stack) => ({
      problem: 'The JVM ran out of heap.',
      fix: `${kafkitCommand('up --heap 1g', { stack })} (or set KAFKA_HEAP_OPTS).`,
    }),
  },
]

export function diagnoseLog(lines: string[], stack: string): Diagnosis | undefined {
  const text = lines.join('\n')
  for (const { pattern, diagnose } of KNOWN_PROBLEMS) {
    const match = pattern.exec(text)
    if (match) return diagnose(stack, match)
  }
  return undefined
}
