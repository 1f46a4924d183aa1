import { UsageError } from '../errors.js'

/**
 * `--replica-assignment 1:2,2:3,3:1`: one entry per partition (comma separated), each the broker ids of its
 * replicas (colon separated, the first is the preferred leader). Kafka rejects duplicate brokers in a
 * partition and partitions with different replication factors; so do we, before sending anything.
 */
export function parseReplicaAssignment(value: string): number[][] {
  const fail = (why: string): never => {
    throw new UsageError(`Invalid --replica-assignment "${value}": ${why}.`, {
      code: 'BAD_REPLICA_ASSIGNMENT',
      suggestions: [
        'Use broker ids per partition, e.g. --replica-assignment 1:2,2:3 (partition 0 on brokers 1 and 2, partition 1 on 2 and 3).',
      ],
    })
  }
  if (value.trim() === '') fail('it is empty')
  const partitions = value.split(',').map((entry, partition) => {
    const brokers = entry.split(':').map((id) => id.trim())
    if (brokers.some((id) => !/^\d+$/.test(id))) fail(`partition ${partition} ("${entry}") is not a list of broker ids`)
    const ids = brokers.map(Number)
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i)
    if (duplicates.length > 0)
      fail(`partition ${partition} lists broker ${[...new Set(duplicates)].join(',')} more than once`)
    return ids
  })
  const factor = partitions[0]!.length
  partitions.forEach((brokers, partition) => {
    if (brokers.length !== factor)
      fail(`partition ${partition} has replication factor ${brokers.length}, partition 0 has ${factor}`)
  })
  return partitions
}
