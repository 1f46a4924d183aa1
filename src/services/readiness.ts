import { KafkitError } from '../errors.js'
import type { ServiceName } from '../model/state.js'
import { sleep } from '../util/sleep.js'
import { SERVICE_LABELS } from './catalog.js'
import { REGISTRY_READY_PATH } from './registry.js'

/** Ready = the REST API answers: Connect's root and its plugin list (loaded last), the registry's subjects. */
export const READY_PATHS: Record<ServiceName, string[]> = {
  connect: ['/', '/connector-plugins'],
  'schema-registry': [REGISTRY_READY_PATH],
}

const POLL_MS = 250

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

/** Polls the service's REST API until every ready path answers 2xx; checkAlive throws when the process died. */
export async function waitForService(options: {
  name: ServiceName
  port: number
  deadline: number
  checkAlive: () => Promise<void>
}): Promise<void> {
  const base = `http://127.0.0.1:${options.port}`
  for (;;) {
    await options.checkAlive()
    const results = await Promise.all(READY_PATHS[options.name].map((path) => answers(`${base}${path}`)))
    if (results.every(Boolean)) return
    if (Date.now() > options.deadline) {
      throw new KafkitError(`${SERVICE_LABELS[options.name]} did not answer on ${base} in time.`, {
        code: 'READY_TIMEOUT',
      })
    }
    await sleep(POLL_MS)
  }
}
