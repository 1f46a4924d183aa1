import { createReadStream, fstatSync, statSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { UsageError } from '../errors.js'
import { readPropertiesFile } from '../util/properties.js'

/** The producer's input: a file (read in 1 MB chunks) or stdin. Checked before anything connects. */
export function openInput(file: string | undefined): { input: Readable; name: string; interactive: boolean } {
  if (file === undefined) {
    // stdin redirected from a file: read it in 1 MB chunks like --file (process.stdin reads 64 KB at a time).
    let regular = false
    try {
      regular = fstatSync(0).isFile()
    } catch {
      // not a file: process.stdin handles it
    }
    if (regular)
      return {
        input: createReadStream('', { fd: 0, autoClose: false, highWaterMark: 1024 * 1024 }),
        name: 'stdin',
        interactive: false,
      }
    return { input: process.stdin, name: 'stdin', interactive: Boolean(process.stdin.isTTY) }
  }
  let isFile = false
  try {
    isFile = statSync(file).isFile()
  } catch {
    // reported below
  }
  if (!isFile) throw new UsageError(`No such file: ${file}`, { code: 'NO_SUCH_FILE' })
  return { input: createReadStream(file, { highWaterMark: 1024 * 1024 }), name: file, interactive: false }
}

/** A Java properties file as key=value strings, to be merged before repeated --property flags. */
export function propertiesFile(path: string, flag: string): string[] {
  return Object.entries(readPropertiesFile(path, flag)).map(([key, value]) => `${key}=${value}`)
}
