import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { KafkitError } from '../errors.js'

export interface PublishedChecksum {
  /** Lower-case hex SHA-512. */
  sha512: string
  /** The file name the checksum file mentions, when it mentions one. */
  fileName?: string
}

/**
 * Parses an Apache `.sha512` file. Two formats are in use across Kafka releases:
 *   - `sha512sum` style: `<128 hex>  kafka_2.13-3.9.2.tgz` (optionally `*file` for binary mode);
 *   - `gpg --print-md SHA512` style: `kafka_2.13-3.9.0.tgz: 5A3AB4C2 ... ` with upper-case hex in groups,
 *     wrapped over several lines.
 * Returns undefined when neither matches, so the caller can say which URL served garbage.
 */
export function parseSha512File(text: string): PublishedChecksum | undefined {
  const sumStyle = /^\s*([0-9a-f]{128})(?:\s+\*?(\S+))?\s*$/im.exec(text)
  if (sumStyle) {
    return { sha512: sumStyle[1]!.toLowerCase(), ...(sumStyle[2] ? { fileName: sumStyle[2] } : {}) }
  }
  const gpgStyle = /^\s*([^\s:]+)\s*:\s*([0-9a-f\s]+)$/i.exec(text)
  if (gpgStyle) {
    const hex = gpgStyle[2]!.replace(/\s+/g, '')
    if (/^[0-9a-f]{128}$/i.test(hex)) return { sha512: hex.toLowerCase(), fileName: gpgStyle[1]! }
  }
  return undefined
}

export async function sha512OfFile(path: string): Promise<string> {
  const hash = createHash('sha512')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Throws the mismatch error every source uses, naming both digests so the user can compare. */
export function assertSha512(fileName: string, expected: string, actual: string): void {
  if (expected.toLowerCase() === actual.toLowerCase()) return
  throw new KafkitError(`SHA-512 checksum mismatch for ${fileName}: the file is corrupt or was tampered with.`, {
    code: 'CHECKSUM_MISMATCH',
    details: [`expected ${expected.toLowerCase()}`, `actual   ${actual.toLowerCase()}`],
    suggestions: ['Run the install again (the download may have been cut short), or use another --mirror.'],
  })
}
