/**
 * Kafka versions kafkit knows about, pinned in one place. The default is the newest 4.x; 3.9 is the last
 * line with ZooKeeper mode, so `--mode zookeeper` defaults to it.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0'
export const DEFAULT_ZOOKEEPER_KAFKA_VERSION = '3.9.2'
export const SCALA_VERSION = '2.13'

/** A version string kafkit accepts: 3.x or 4.x release numbers. */
export function isValidKafkaVersion(version: string): boolean {
  return /^[34]\.\d+\.\d+$/.test(version)
}
