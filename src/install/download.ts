import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream } from 'node:stream/web'
import { KafkitError, errorMessage } from '../errors.js'
import { formatBytes } from '../output/table.js'
import type { Reporter } from '../output/reporter.js'

/** No byte for this long means the connection is dead; Apache's archive is slow but never this slow. */
const IDLE_TIMEOUT_MS = 60_000
const PROGRESS_INTERVAL_MS = 100

/** A 404 (or 410): the caller decides whether to try the next location. */
export class NotFoundError extends KafkitError {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`Not found: ${url} (HTTP ${status})`, { code: 'DOWNLOAD_NOT_FOUND' })
  }
}

/**
 * GETs `url` and hands back the response, following redirects (fetch does). Network failures and HTTP
 * errors become KafkitErrors naming the URL; 404s become NotFoundError. The returned `resetIdle` keeps the
 * idle timer alive while the body is being read.
 */
async function get(url: string): Promise<{ response: Response; resetIdle: () => void; finish: () => void }> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const resetIdle = () => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000}s`)), IDLE_TIMEOUT_MS)
  }
  const finish = () => clearTimeout(timer)
  resetIdle()
  let response: Response
  try {
    response = await fetch(url, { signal: controller.signal, redirect: 'follow' })
  } catch (error) {
    finish()
    throw downloadFailed(url, error)
  }
  if (response.status === 404 || response.status === 410) {
    finish()
    throw new NotFoundError(url, response.status)
  }
  if (!response.ok || !response.body) {
    finish()
    throw new KafkitError(`Download failed: ${url} answered HTTP ${response.status} ${response.statusText}`.trim(), {
      code: 'DOWNLOAD_FAILED',
      suggestions: ['Try again later, or pick another --mirror, or use --source maven.'],
    })
  }
  return { response, resetIdle, finish }
}

export async function fetchText(url: string): Promise<string> {
  const { response, finish } = await get(url)
  try {
    return await response.text()
  } catch (error) {
    throw downloadFailed(url, error)
  } finally {
    finish()
  }
}

/**
 * Streams `url` into `destination` (never buffering the ~120 MB archive in memory), hashing on the way and
 * drawing a progress line. Returns the SHA-512 of what was written.
 */
export async function downloadFile(
  url: string,
  destination: string,
  reporter: Reporter,
  label: string,
): Promise<{ sha512: string; bytes: number }> {
  const { response, resetIdle, finish } = await get(url)
  const total = Number(response.headers.get('content-length')) || undefined
  const hash = createHash('sha512')
  const started = Date.now()
  let received = 0
  let lastDrawn = 0
  const draw = (force = false) => {
    const now = Date.now()
    if (!force && now - lastDrawn < PROGRESS_INTERVAL_MS) return
    lastDrawn = now
    const seconds = Math.max((now - started) / 1000, 0.001)
    const percent = total ? `${String(Math.floor((received / total) * 100)).padStart(3)}%  ` : ''
    const size = total ? `${formatBytes(received)} / ${formatBytes(total)}` : formatBytes(received)
    reporter.progress(`Downloading ${label}  ${percent}${size}  ${formatBytes(received / seconds)}/s`)
  }
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      resetIdle()
      received += chunk.length
      hash.update(chunk)
      draw()
      callback(null, chunk)
    },
  })
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), meter, createWriteStream(destination))
  } catch (error) {
    throw downloadFailed(url, error)
  } finally {
    finish()
  }
  draw(true)
  reporter.done()
  if (total !== undefined && received !== total) {
    throw new KafkitError(`Download of ${url} was cut short: got ${received} of ${total} bytes.`, {
      code: 'DOWNLOAD_FAILED',
      suggestions: ['Run the install again.'],
    })
  }
  return { sha512: hash.digest('hex'), bytes: received }
}

function downloadFailed(url: string, error: unknown): KafkitError {
  if (error instanceof KafkitError) return error
  // fetch wraps the useful part ("getaddrinfo ENOTFOUND ...") in `cause`.
  const cause = (error as { cause?: unknown }).cause
  const reason = cause ? errorMessage(cause) : errorMessage(error)
  return new KafkitError(`Could not download ${url}: ${reason}`, {
    code: 'DOWNLOAD_FAILED',
    cause: error,
    suggestions: [
      'Check your network connection.',
      'Use --mirror <url> for a reachable Apache mirror, or --source maven to assemble Kafka from Maven Central.',
    ],
  })
}
