import { open } from 'node:fs/promises'

/**
 * Names of the entries in a jar (zip), read from its central directory only: a few KB per jar instead of
 * unpacking anything, and no dependency on `unzip` or a JDK's `jar`. Used to find which main classes a
 * Kafka version really ships, because tools moved between packages across releases.
 */
export async function listJarEntries(jarPath: string): Promise<string[]> {
  const file = await open(jarPath, 'r')
  try {
    const { size } = await file.stat()
    // The end-of-central-directory record is 22 bytes plus a comment of at most 64 KiB, at the very end.
    const tailLength = Math.min(size, 22 + 0xffff + 20)
    const tail = Buffer.alloc(tailLength)
    await file.read(tail, 0, tailLength, size - tailLength)
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    if (eocd < 0) throw new Error(`${jarPath} is not a zip file (no end of central directory)`)
    let directorySize = tail.readUInt32LE(eocd + 12)
    let directoryOffset = tail.readUInt32LE(eocd + 16)
    if (directoryOffset === 0xffffffff || directorySize === 0xffffffff) {
      // Zip64: the real values live in the zip64 end record that the locator just before the EOCD points to.
      const locator = eocd - 20
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw new Error(`${jarPath}: broken zip64 locator`)
      const zip64Offset = Number(tail.readBigUInt64LE(locator + 8))
      const zip64 = Buffer.alloc(56)
      await file.read(zip64, 0, 56, zip64Offset)
      directorySize = Number(zip64.readBigUInt64LE(40))
      directoryOffset = Number(zip64.readBigUInt64LE(48))
    }
    const directory = Buffer.alloc(directorySize)
    await file.read(directory, 0, directorySize, directoryOffset)
    const names: string[] = []
    let at = 0
    while (at + 46 <= directory.length && directory.readUInt32LE(at) === 0x02014b50) {
      const nameLength = directory.readUInt16LE(at + 28)
      const extraLength = directory.readUInt16LE(at + 30)
      const commentLength = directory.readUInt16LE(at + 32)
      names.push(directory.toString('utf8', at + 46, at + 46 + nameLength))
      at += 46 + nameLength + extraLength + commentLength
    }
    return names
  } finally {
    await file.close()
  }
}

/** `org/apache/kafka/tools/TopicCommand.class` → `org.apache.kafka.tools.TopicCommand` (top-level classes only). */
export function classNamesOf(entries: string[]): string[] {
  return entries
    .filter((entry) => entry.endsWith('.class') && !entry.includes('$') && !entry.startsWith('META-INF/'))
    .map((entry) => entry.slice(0, -'.class'.length).replaceAll('/', '.'))
}
