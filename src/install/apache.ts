import { join } from 'node:path'
import { KafkitError, UsageError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { assertSha512, parseSha512File } from './checksum.js'
import type { KafkaDistribution } from './distribution.js'
import { NotFoundError, downloadFile, fetchText } from './download.js'
import type { Staging } from './store.js'
import { unpackKafkaTarball } from './tarball.js'
import { SCALA_VERSION } from '../model/versions.js'

/** Current releases only; older ones are removed from here when a new line ships. */
export const APACHE_DOWNLOADS_BASE = 'https://downloads.apache.org/kafka'
/** Every release ever made, but slower. */
export const APACHE_ARCHIVE_BASE = 'https://archive.apache.org/dist/kafka'
const KAFKA_DOWNLOADS_PAGE = 'https://kafka.apache.org/downloads'

export function kafkaArchiveName(version: string): string {
  return `kafka_${SCALA_VERSION}-${version}.tgz`
}

/**
 * The mirror to use instead of Apache's own sites: the option wins over `KAFKIT_APACHE_MIRROR`. A mirror
 * is a base URL laid out like Apache's (`<mirror>/<version>/kafka_2.13-<version>.tgz` plus `.sha512`).
 */
export function resolveMirror(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const mirror = (option ?? env.KAFKIT_APACHE_MIRROR)?.trim()
  if (!mirror) return undefined
  if (!/^https?:\/\//i.test(mirror)) {
    throw new UsageError(
      `Invalid mirror "${mirror}": expected an http:// or https:// base URL such as https://dlcdn.apache.org/kafka.`,
    )
  }
  return mirror.replace(/\/+$/, '')
}

/** Where to look for the archive, in order: the mirror alone, or Apache downloads then the archive. */
export function apacheDownloadUrls(version: string, mirror?: string): string[] {
  const bases = mirror ? [mirror.replace(/\/+$/, '')] : [APACHE_DOWNLOADS_BASE, APACHE_ARCHIVE_BASE]
  return bases.map((base) => `${base}/${version}/${kafkaArchiveName(version)}`)
}

interface ApacheFetchResult {
  distribution: KafkaDistribution
  /** The URL the archive came from (goes into the install record). */
  origin: string
  sha512: string
}

/**
 * Downloads and verifies the official binary tarball, then unpacks it inside `staging`. The checksum is
 * fetched first: it is tiny, and a 404 on it tells us cheaply that this location lacks the version.
 */
export async function fetchFromApache(
  version: string,
  staging: Staging,
  reporter: Reporter,
  mirror?: string,
): Promise<ApacheFetchResult> {
  const fileName = kafkaArchiveName(version)
  const notFound: string[] = []
  let unreachable: KafkitError | undefined
  const urls = apacheDownloadUrls(version, mirror)
  for (const [index, url] of urls.entries()) {
    try {
      let checksumText: string
      try {
        checksumText = await fetchText(`${url}.sha512`)
      } catch (error) {
        // One Apache site being unreachable should not stop us from trying the other.
        if (error instanceof NotFoundError || !(error instanceof KafkitError) || index === urls.length - 1) throw error
        unreachable ??= error
        reporter.warn(`${error.message}; trying ${new URL(urls[index + 1]!).host}.`)
        continue
      }
      const published = parseSha512File(checksumText)
      if (!published) {
        throw new KafkitError(
          `Could not read the checksum published at ${url}.sha512 (neither sha512sum nor gpg format).`,
          {
            code: 'CHECKSUM_UNREADABLE',
          },
        )
      }
      reporter.step(`Downloading Kafka ${version} from ${new URL(url).host}`)
      const archive = join(staging.dir, fileName)
      const { sha512 } = await downloadFile(url, archive, reporter, fileName)
      assertSha512(fileName, published.sha512, sha512)
      reporter.step(`Verified SHA-512; unpacking ${fileName}`)
      const distribution = await unpackKafkaTarball(archive, join(staging.dir, 'unpacked'))
      if (distribution.version !== version) {
        throw new KafkitError(`${url} contains Kafka ${distribution.version}, not ${version}.`, {
          code: 'WRONG_VERSION',
        })
      }
      return { distribution, origin: url, sha512 }
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      notFound.push(error.url)
      if (!mirror && notFound.length === 1) {
        reporter.info(
          `Kafka ${version} is not on downloads.apache.org (it only keeps current releases); trying archive.apache.org.`,
        )
      }
    }
  }
  // We cannot claim the version does not exist when one of the sites never answered.
  if (unreachable) throw unreachable
  if (mirror) {
    throw new KafkitError(`Kafka ${version} was not found at the mirror ${mirror} (HTTP 404).`, {
      code: 'KAFKA_VERSION_NOT_FOUND',
      details: notFound.map((url) => `not found: ${url}`),
      suggestions: [
        `Check that the mirror is laid out like Apache's: ${mirror}/${version}/${fileName} and ${fileName}.sha512.`,
        `Check that ${version} is a released version: ${KAFKA_DOWNLOADS_PAGE}`,
      ],
    })
  }
  throw new KafkitError(
    `Kafka ${version} does not exist: it is neither on downloads.apache.org nor in archive.apache.org.`,
    {
      code: 'KAFKA_VERSION_NOT_FOUND',
      details: notFound.map((url) => `not found: ${url}`),
      suggestions: [`Check the released versions at ${KAFKA_DOWNLOADS_PAGE}`],
    },
  )
}
