/**
 * The services of a stack (Kafka Connect, the Schema Registry) above their launcher: port checks, start with REST
 * readiness, stop, status rows. Brokers come first: both services need Kafka (Connect keeps its state in topics).
 */
import { InterruptedError, KafkitError } from '../errors.js'
import { assertPortsFree } from '../model/ports.js'
import type { ServiceName, ServiceState, StackState } from '../model/state.js'
import { saveState } from '../model/state.js'
import { kafkitCommand } from '../output/commands.js'
import type { Reporter } from '../output/reporter.js'
import type { Runtime } from '../runtime/types.js'
import { SERVICE_LABELS, sortServices } from '../services/catalog.js'
import { serviceLauncherFor, serviceLogFile, type ServiceLauncher } from '../services/launcher.js'
import { waitForService } from '../services/readiness.js'
import { tailLines } from './logs.js'

const LOG_TAIL_LINES = 20

export interface ServiceView {
  name: ServiceName
  description: string | null
  version: string | null
  port: number
  url: string
  pid: number | null
  alive: boolean
  uptimeMs: number | null
  startedAt: string | null
  logFile: string
}

/** Which services run; a recorded pid that is gone (or no longer ours) is cleaned with a notice, as for brokers. */
export async function aliveServices(
  state: StackState,
  runtime: Runtime,
  reporter: Reporter,
): Promise<Set<ServiceName>> {
  const alive = new Set<ServiceName>()
  if (!state.services?.length) return alive
  const launcher = serviceLauncherFor(runtime)
  let changed = false
  for (const service of state.services) {
    if ((await launcher.status(state, service)).alive) alive.add(service.name)
    else if (service.pid) {
      reporter.warn(`Stale pid ${service.pid} for ${service.name} (the process is gone or is not ours); cleaned it.`)
      service.pid = undefined
      service.startedAt = undefined
      changed = true
    }
  }
  if (changed) saveState(state)
  return alive
}

/** Every port of the given services is free, or the first taken one is named with the flag that moves it. */
export async function assertServicePortsFree(services: readonly ServiceState[], stack: string): Promise<void> {
  try {
    await assertPortsFree(
      services.map((s) => ({ port: s.port, role: `${SERVICE_LABELS[s.name]} REST API` })),
      stack,
    )
  } catch (error) {
    if (!(error instanceof KafkitError) || error.code !== 'PORT_IN_USE') throw error
    const service = services.find((s) => error.message.startsWith(`Port ${s.port} `))
    throw new KafkitError(error.message, {
      code: 'PORT_IN_USE',
      suggestions: [
        service && !service.pid
          ? `Stop whatever holds it, or give the service another port: ${kafkitCommand(`up --with ${service.name} --${service.name}-port ${service.port + 10_000}`, { stack })}`
          : 'Stop whatever holds it.',
        'If it is another kafkit stack: kafkit status --all / kafkit down --stack <name>.',
      ],
    })
  }
}

/**
 * Starts the stack's services that are not running and waits until each one's REST API answers. They start together
 * (the registry and Connect take 5-10 s each and need only Kafka). A service that fails is stopped again and its log
 * tail shown; the brokers and the other service keep running.
 */
export async function startServices(
  state: StackState,
  runtime: Runtime,
  services: readonly ServiceState[],
  options: { deadline: number; reporter: Reporter; signal?: AbortSignal },
): Promise<void> {
  if (services.length === 0) return
  const launcher = serviceLauncherFor(runtime)
  await assertServicePortsFree(services, state.stack)
  const started: ServiceState[] = []
  for (const service of sortServices([...services])) {
    if (options.signal?.aborted) break
    await launcher.prepare(state, service, options.reporter)
    state.services = sortServices([...(state.services ?? []).filter((s) => s.name !== service.name), service])
    options.reporter.step(
      `Starting ${service.name} (${service.description ?? SERVICE_LABELS[service.name]}) on 127.0.0.1:${service.port}`,
    )
    const { pid } = await launcher.start(state, service)
    service.pid = pid
    service.startedAt = new Date().toISOString()
    saveState(state)
    started.push(service)
  }
  options.reporter.step(`Waiting for ${started.map((s) => s.name).join(' and ')} to answer`)
  const outcomes = await Promise.allSettled(
    started.map((service) =>
      waitForService({
        name: service.name,
        port: service.port,
        deadline: options.deadline,
        checkAlive: async () => {
          if (options.signal?.aborted) throw new InterruptedError(`Interrupted while ${service.name} was starting.`)
          if (!(await launcher.status(state, service)).alive)
            throw new KafkitError(`${SERVICE_LABELS[service.name]} exited during start-up.`, { code: 'START_FAILED' })
        },
      }),
    ),
  )
  let failure: KafkitError | undefined
  const interrupted = options.signal?.aborted ?? false
  for (const [index, outcome] of outcomes.entries()) {
    // Ctrl-C stops what this start launched, like the brokers' start (the brokers were started before: they stay).
    if (outcome.status === 'fulfilled' && !interrupted) continue
    const service = started[index]!
    await launcher.stop(state, service, 10_000)
    service.pid = undefined
    service.startedAt = undefined
    if (outcome.status === 'rejected' && !interrupted)
      failure ??= serviceFailure(state, launcher, service, (outcome.reason as Error).message)
  }
  saveState(state)
  if (interrupted)
    throw new InterruptedError(
      `Interrupted: stopped ${started.map((s) => s.name).join(' and ')}; the brokers keep running.`,
    )
  if (failure) throw failure
}

function serviceFailure(state: StackState, launcher: ServiceLauncher, service: ServiceState, message: string) {
  const logFile = launcher.logFile(state, service)
  return new KafkitError(`${message} The brokers keep running.`, {
    code: 'START_FAILED',
    details: [`Last lines of ${logFile}:`, ...tailLines(logFile, LOG_TAIL_LINES).map((l) => `  ${l}`)],
    suggestions: [`${kafkitCommand(`logs ${service.name}`, { stack: state.stack })} shows the whole log.`],
  })
}

/** Stops the services (Connect before the registry), before the brokers go: Connect commits its offsets to Kafka. */
export async function stopServices(
  state: StackState,
  runtime: Runtime,
  timeoutMs: number,
  reporter: Reporter,
): Promise<Array<{ name: string; result: string }>> {
  if (!state.services?.length) return []
  const launcher = serviceLauncherFor(runtime)
  const results: Array<{ name: string; result: string }> = []
  for (const service of sortServices([...state.services]).reverse()) {
    const result = await launcher.stop(state, service, timeoutMs)
    if (result === 'killed') reporter.warn(`${service.name} did not stop within ${timeoutMs / 1000}s and was killed.`)
    service.pid = undefined
    service.startedAt = undefined
    results.push({ name: service.name, result })
  }
  saveState(state)
  return results
}

export function serviceViews(state: StackState, alive: Set<ServiceName>): ServiceView[] {
  return (state.services ?? []).map((s) => {
    const up = alive.has(s.name)
    return {
      name: s.name,
      description: s.description ?? null,
      version: s.version ?? null,
      port: s.port,
      url: `http://127.0.0.1:${s.port}`,
      pid: up ? (s.pid ?? null) : null,
      alive: up,
      uptimeMs: up && s.startedAt ? Date.now() - Date.parse(s.startedAt) : null,
      startedAt: up ? (s.startedAt ?? null) : null,
      logFile: serviceLogFile(state, s),
    }
  })
}
