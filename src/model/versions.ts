/**
 * Kafka versions kafkit knows about, pinned in one place. The default is the newest 4.x; 3.9 is the last
 * line with ZooKeeper mode, so `--mode zookeeper` defaults to it.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0'
export const DEFAULT_ZOOKEEPER_KAFKA_VERSION = '3.9.2'
export const SCALA_VERSION = '2.13'
/** KRaft is production-ready from 3.3 (KIP-833); ZooKeeper mode is gone from 4.0 (KIP-500). */
const FIRST_KRAFT_VERSION = '3.3.0'
const FIRST_VERSION_WITHOUT_ZOOKEEPER = '4.0.0'

/** A version string kafkit accepts: 3.x or 4.x release numbers. */
export function isValidKafkaVersion(version: string): boolean {
  return /^[34]\.\d+\.\d+$/.test(version)
}

/** Compares dotted versions numerically ("3.10.0" > "3.9.2"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** Which modes a Kafka version runs. */
export function capabilities(version: string): { supportsZooKeeper: boolean; supportsKraft: boolean } {
  return {
    supportsZooKeeper: compareVersions(version, FIRST_VERSION_WITHOUT_ZOOKEEPER) < 0,
    supportsKraft: compareVersions(version, FIRST_KRAFT_VERSION) >= 0,
  }
}
