import { UsageError } from '../errors.js'
import { capabilities, DEFAULT_ZOOKEEPER_KAFKA_VERSION } from '../model/versions.js'
import type { StackMode } from '../model/plan.js'

/** Refuses mode/version combinations Kafka itself does not support, naming the version (before anything starts). */
export function assertModeSupported(version: string, mode: StackMode, where: string): void {
  const caps = capabilities(version)
  if (mode === 'zookeeper' && !caps.supportsZooKeeper) {
    throw new UsageError(`Kafka ${version} (${where}) has no ZooKeeper mode: it was removed in Kafka 4.0.`, {
      code: 'MODE_UNSUPPORTED',
      suggestions: [
        `Use --mode kraft, or a 3.x Kafka: kafkit up --mode zookeeper --version ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`,
      ],
    })
  }
  if (mode === 'kraft' && !caps.supportsKraft) {
    throw new UsageError(`Kafka ${version} (${where}) predates production KRaft (3.3).`, {
      code: 'MODE_UNSUPPORTED',
      suggestions: [`Use --mode zookeeper, or a newer Kafka: --version ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`],
    })
  }
}
