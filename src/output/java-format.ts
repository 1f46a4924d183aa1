/**
 * What it takes to print exactly what Kafka's Java tools print: their `printf` format strings (only `%s`, `%-Ns`, `%d`
 * and `%n` occur in them) and the iteration order of the `java.util.HashMap`s several tools print rows from
 * (kafka-share-groups.sh --reset-offsets, kafka-streams-groups.sh --describe), which is neither insertion nor sorted
 * order, but the order of the keys' hash buckets.
 */

/** Java's `String.format` for the conversions the tools use: `%s`, `%d`, `%-Ns` / `%Ns` (padding, never cutting), `%n`. */
export function javaFormat(format: string, ...args: Array<string | number | bigint | boolean>): string {
  let next = 0
  return format.replace(/%(-?)(\d*)([sdn%])/g, (_, left: string, width: string, conversion: string) => {
    if (conversion === 'n') return '\n'
    if (conversion === '%') return '%'
    const value = String(args[next++])
    const pad = Math.max(0, Number(width || 0) - value.length)
    return left ? value + ' '.repeat(pad) : ' '.repeat(pad) + value
  })
}

/** `String.hashCode()`: over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(value: string): number {
  let h = 0
  for (let i = 0; i < value.length; i++) h = (Math.imul(31, h) + value.charCodeAt(i)) | 0
  return h
}

/** `org.apache.kafka.common.TopicPartition.hashCode()`. */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0
}

/**
 * The order a `new HashMap<>()` filled with `items` (distinct keys, in this insertion order) iterates them: by bucket
 * (the spread hash masked to the table size, which doubles from 16 whenever the size passes 3/4 of it), and within a
 * bucket in insertion order (resizes keep the relative order of the entries they split). Buckets that grow into trees
 * (8 colliding keys in a table of 64 or more) are not modelled.
 */
export function javaHashMapOrder<T>(items: T[], hash: (item: T) => number): T[] {
  let capacity = 16
  while (items.length > capacity * 0.75) capacity *= 2
  const bucket = (item: T) => {
    const h = hash(item)
    return (h ^ (h >>> 16)) & (capacity - 1)
  }
  return items
    .map((item, index) => ({ item, index, bucket: bucket(item) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.item)
}
