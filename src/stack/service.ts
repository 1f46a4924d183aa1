import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { InterruptedError, KafkitError, UsageError } from '../errors.js'
import { kafkitCommand } from '../output/commands.js'
import type { Reporter } from '../output/reporter.js'
import { stackDir } from '../paths.js'
import { assertRuntimeOptions, chooseRuntime, runtimeFor } from '../runtime/index.js'
import type { Runtime, RuntimeChoice, RuntimeDetails, RuntimeName, RuntimeOptions } from '../runtime/types.js'
import { diagnoseLog } from './diagnose.js'
import { noStackError } from '../model/missing.js'
import { readRuntimeLog } from './logs.js'
import {
  brokerNodes,
  DEFAULT_HEAP,
  newClusterId,
  planStack,
  resolveShape,
  stackPorts,
  type NodePlan,
  type StackMode,
} from '../model/plan.js'
import { assertPortsFree } from '../model/ports.js'
import { waitForBrokers, waitForPort } from './readiness.js'
import { renderNodeConfig } from '../model/render.js'
import { parseProperties } from '../util/properties.js'
import { listStacks, loadState, saveState, type NodeState, type ServiceName, type StackState } from '../model/state.js'
import { planServices } from '../services/catalog.js'
import { connectPaths, workerClientEntries } from '../services/connect.js'
import { renderProperties } from '../services/properties.js'
import {
  aliveServices,
  assertServicePortsFree,
  serviceViews,
  startServices,
  stopServices,
  type ServiceView,
} from './services.js'

const DEFAULT_UP_TIMEOUT_MS = 120_000
export const DEFAULT_STOP_TIMEOUT_MS = 30_000
const LOG_TAIL_LINES = 20

interface UpRequest {
  stack: string
  runtime: RuntimeChoice
  mode?: StackMode
  version?: string
  brokers?: number
  controllers?: number
  port?: number
  controllerPort?: number
  zookeeperPort?: number
  heap?: string
  overrides?: Record<string, string>
  timeoutMs?: number
  /** May `up` install a missing Kafka distribution (default true). */
  install?: boolean
  /** Container image of the Kafka nodes (runtimes that run containers). */
  image?: string
  /** Existing container network to join (runtimes that run containers). */
  network?: string
  /** Aborted by Ctrl-C: stop what this start launched (or, with `keep`, leave it starting) and throw InterruptedError. */
  signal?: AbortSignal
  /** On interruption leave the launched processes starting instead of stopping them. */
  keep?: boolean
  /** `--with`: services to run beside Kafka (added to the stack's; a running stack gets them started). */
  services?: ServiceName[]
  /** `--connect-port` / `--schema-registry-port` for services new to the stack. */
  servicePorts?: Partial<Record<ServiceName, number>>
  /** `--connect-config`: the Connect worker's bootstrap.servers and client security settings, kept for the stack. */
  connectConfig?: Record<string, string>
}

export interface NodeView {
  name: string
  role: NodePlan['role']
  nodeId: number
  pid: number | null
  port: number
  controllerPort: number | null
  alive: boolean
  uptimeMs: number | null
  startedAt: string | null
  logFile: string
}

export interface UpResult {
  stack: string
  alreadyRunning: boolean
  runtime: RuntimeName
  mode: StackMode
  kafkaVersion: string
  kafka: string
  clusterId: string | null
  bootstrapServers: string
  brokers: number
  controllers: number
  nodes: NodeView[]
  /** What the runtime adds (docker: images, Compose project, in-network bootstrap address); {} for local processes. */
  details: RuntimeDetails
  /** Connect and the Schema Registry when the stack has them (`up --with`). */
  services: ServiceView[]
  elapsedMs: number
}

/** The worker's client settings, as the user gave them, 0600 (they hold a password), written atomically. */
function saveConnectClientConfig(state: StackState, properties: Record<string, string>): void {
  const file = connectPaths(state).clientConfigFile
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(
    tmp,
    renderProperties(
      'Kafka Connect worker client settings (kafkit up --connect-config), used at every start.',
      properties,
    ),
    { mode: 0o600 },
  )
  renameSync(tmp, file)
}

/** Starts a stack (creating it on first use) and waits until Kafka answers Metadata with every broker. */
export async function upStack(request: UpRequest, reporter: Reporter): Promise<UpResult> {
  const started = Date.now()
  stackDir(request.stack) // validates the name before anything else is looked at
  const timeoutMs = request.timeoutMs ?? DEFAULT_UP_TIMEOUT_MS
  // Checked before anything starts; a wrong key costs nothing.
  if (request.connectConfig) workerClientEntries(request.connectConfig)
  let state = loadState(request.stack)
  let runtime: Runtime
  if (state) {
    assertCompatible(state, request)
    runtime = runtimeFor(state.runtime)
    if (request.heap) state.heap = request.heap
    if (request.overrides && Object.keys(request.overrides).length > 0)
      state.overrides = { ...state.overrides, ...request.overrides }
  } else {
    ;({ state, runtime } = await untilInterrupted(createStack(request, reporter), request.signal))
  }

  // Planned (and their ports checked) before any broker starts, so a bad --with or a taken port costs nothing.
  const services = planServices(state.services, request.services ?? [], request.servicePorts)
  const runningServices = await aliveServices(state, runtime, reporter)
  const servicesToStart = services.filter((s) => !runningServices.has(s.name))
  if (request.connectConfig) {
    if (!services.some((s) => s.name === 'connect'))
      throw new UsageError('--connect-config is for Kafka Connect: add --with connect.', { code: 'MISSING_FLAG' })
    saveConnectClientConfig(state, request.connectConfig)
    if (runningServices.has('connect'))
      reporter.warn(
        `Kafka Connect is running: it takes --connect-config at its next start (${kafkitCommand('restart', { stack: state.stack })}).`,
      )
  }
  await assertServicePortsFree(servicesToStart, state.stack)
  const deadline = Date.now() + timeoutMs

  const alive = await aliveNodes(state, runtime, reporter)
  const toStart = state.nodes.filter((n) => !alive.has(n.name))
  if (toStart.length === 0) {
    const ready = await untilInterrupted(
      waitForBrokers({
        servers: state.bootstrapServers.split(','),
        expectedBrokerIds: brokerNodes(state).map((n) => n.nodeId),
        deadline: Date.now() + Math.min(timeoutMs, 15_000),
        checkAlive: async () => throwIfInterrupted(request.signal),
        reporter,
      }),
      request.signal,
    )
    state.clusterId ??= ready.clusterId
    saveState(state)
    if (servicesToStart.length === 0) reporter.info(`Stack "${state.stack}" is already running.`)
    await startServices(state, runtime, servicesToStart, { deadline, reporter, signal: request.signal })
    return upResult(state, runtime, true, started)
  }
  await startNodes(state, runtime, toStart, timeoutMs, reporter, { signal: request.signal, keep: request.keep })
  await startServices(state, runtime, servicesToStart, { deadline, reporter, signal: request.signal })
  return upResult(state, runtime, false, started)
}

async function createStack(request: UpRequest, reporter: Reporter): Promise<{ state: StackState; runtime: Runtime }> {
  const shape = resolveShape({
    mode: request.mode ?? 'kraft',
    brokers: request.brokers,
    controllers: request.controllers,
    port: request.port,
    controllerPort: request.controllerPort,
    zookeeperPort: request.zookeeperPort,
  })
  const runtime = await chooseRuntime(request.runtime, reporter)
  const options = runtimeOptions(request)
  assertRuntimeOptions(runtime, options)
  // Without --mode, a 3.x version asked for ZooKeeper-era defaults is still KRaft: KRaft is the default everywhere.
  const kafka = await runtime.resolve(
    { version: request.version, mode: shape.mode, install: request.install ?? true, options },
    reporter,
  )
  const dir = stackDir(request.stack)
  const plan = planStack(request.stack, dir, shape)
  const state: StackState = {
    ...plan,
    runtime: runtime.name,
    kafka,
    clusterId: shape.mode === 'kraft' ? newClusterId() : undefined,
    heap: request.heap ?? DEFAULT_HEAP,
    overrides: request.overrides ?? {},
    ...(options ? { runtimeOptions: options } : {}),
    createdAt: new Date().toISOString(),
    nodes: plan.nodes.map((n) => ({ ...n })),
  }
  return { state, runtime }
}

function runtimeOptions(request: Pick<UpRequest, 'image' | 'network'>): RuntimeOptions | undefined {
  const options: RuntimeOptions = {}
  if (request.image !== undefined) options.image = request.image
  if (request.network !== undefined) options.network = request.network
  return Object.keys(options).length > 0 ? options : undefined
}

/** A stack keeps the shape it was created with; changing it silently would orphan data. */
function assertCompatible(state: StackState, request: UpRequest): void {
  const conflicts: string[] = []
  if (request.mode && request.mode !== state.mode) conflicts.push(`--mode ${request.mode} (stack is ${state.mode})`)
  if (request.brokers !== undefined && request.brokers !== state.brokers)
    conflicts.push(`--brokers ${request.brokers} (stack has ${state.brokers})`)
  if (request.controllers !== undefined && request.controllers !== state.controllers)
    conflicts.push(`--controllers ${request.controllers} (stack has ${state.controllers})`)
  if (request.version && request.version !== state.kafka.version)
    conflicts.push(`--version ${request.version} (stack runs ${state.kafka.version})`)
  if (request.runtime !== 'auto' && request.runtime !== state.runtime)
    conflicts.push(`--runtime ${request.runtime} (stack uses ${state.runtime})`)
  if (request.port !== undefined && request.port !== state.port)
    conflicts.push(`--port ${request.port} (stack uses ${state.port})`)
  for (const [key, value] of Object.entries(runtimeOptions(request) ?? {})) {
    const current = state.runtimeOptions?.[key as keyof RuntimeOptions]
    if (value !== current) conflicts.push(`--${key} ${value} (stack uses ${current ?? 'the default'})`)
  }
  if (conflicts.length > 0) {
    throw new UsageError(`Stack "${state.stack}" already exists with a different shape: ${conflicts.join(', ')}.`, {
      code: 'STACK_SHAPE_CONFLICT',
      suggestions: [
        `Use another stack name (--stack other), or delete this one first: ${kafkitCommand('purge --force', { stack: state.stack })}`,
      ],
    })
  }
}

/**
 * Which processes of the stack are running. A recorded pid whose process is gone, or now belongs to
 * something else (pid reuse), is stale: it is dropped from the state with a notice.
 */
async function aliveNodes(state: StackState, runtime: Runtime, reporter: Reporter): Promise<Set<string>> {
  const alive = new Set<string>()
  let changed = false
  for (const node of state.nodes) {
    const status = await runtime.status(state, node)
    if (status.alive) {
      alive.add(node.name)
    } else if (node.pid) {
      reporter.warn(`Stale pid ${node.pid} for ${node.name} (the process is gone or is not ours); cleaned it.`)
      node.pid = undefined
      node.startedAt = undefined
      changed = true
    }
  }
  if (changed) saveState(state)
  return alive
}

/** Writes every node's config and returns the broker overrides they got (runtimes that render their own configs need them). */
function writeConfigs(state: StackState): Record<string, string> {
  mkdirSync(join(state.dir, 'config'), { recursive: true, mode: 0o700 })
  mkdirSync(join(state.dir, 'logs'), { recursive: true })
  const overrides = { ...readUserOverrides(state.dir), ...state.overrides }
  for (const node of state.nodes) writeFileSync(node.configFile, renderNodeConfig(state, node, overrides))
  return overrides
}

/** `<stack dir>/overrides.properties`: settings a user wants in every broker of this stack. */
function readUserOverrides(dir: string): Record<string, string> {
  const file = join(dir, 'overrides.properties')
  return existsSync(file) ? parseProperties(readFileSync(file, 'utf8')) : {}
}

const START_ORDER: Record<NodePlan['role'], number> = { zookeeper: 0, controller: 1, combined: 2, broker: 2 }

const NOTHING_STARTED = 'Interrupted before any process was started.'

function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError(NOTHING_STARTED)
}

/**
 * The work, unless Ctrl-C comes first: then an InterruptedError at once. Waits for Kafka and downloads can take
 * minutes and only notice an abort between rounds; the work left behind ends with the process.
 */
function untilInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  let onAbort = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError(NOTHING_STARTED))
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort))
}

/**
 * Starts the given nodes in dependency order (ZooKeeper, controllers, brokers) and waits for readiness.
 * On failure everything started here is stopped again and the failing process's log tail is shown; on Ctrl-C
 * too, unless `keep` asks to leave it starting.
 */
async function startNodes(
  state: StackState,
  runtime: Runtime,
  nodes: NodeState[],
  timeoutMs: number,
  reporter: Reporter,
  interrupt: { signal?: AbortSignal; keep?: boolean } = {},
): Promise<void> {
  const { signal } = interrupt
  const deadline = Date.now() + timeoutMs
  // Independent checks, run together: the runtime's (a `java -version`, a Docker ping) takes as long as the port probes.
  // The port error still comes first when both fail.
  await untilInterrupted(
    (async () => {
      const [ports, preflight] = await Promise.allSettled([
        assertPortsFree(stackPorts({ nodes }), state.stack),
        runtime.preflight(state),
      ])
      if (ports.status === 'rejected') throw ports.reason
      if (preflight.status === 'rejected') throw preflight.reason
    })(),
    signal,
  )
  const overrides = writeConfigs(state)
  saveState(state)
  await untilInterrupted(
    (async () => {
      await runtime.prepareStack?.(state, overrides, reporter)
      await Promise.all(nodes.map((n) => runtime.prepare(state, n, reporter)))
    })(),
    signal,
  )

  const startedHere: NodeState[] = []
  const checkAlive = async () => {
    throwIfInterrupted(signal)
    for (const node of startedHere) {
      if (!(await runtime.status(state, node)).alive)
        throw await startFailure(state, runtime, node, `${node.name} exited during start-up.`)
    }
  }
  try {
    const ordered = [...nodes].sort((a, b) => START_ORDER[a.role] - START_ORDER[b.role])
    for (const stage of [0, 1, 2]) {
      const stageNodes = ordered.filter((n) => START_ORDER[n.role] === stage)
      for (const node of stageNodes) {
        // Checked between launches, never raced with one: a launch cut short would leave a process with no pid recorded.
        throwIfInterrupted(signal)
        reporter.step(
          `Starting ${node.name} (${node.role}${node.role === 'zookeeper' ? '' : ` ${node.nodeId}`}) on 127.0.0.1:${node.port}`,
        )
        const { pid } = await runtime.start(state, node)
        node.pid = pid
        node.startedAt = new Date().toISOString()
        startedHere.push(node)
        saveState(state)
      }
      if (stage === 0 && stageNodes.length > 0) {
        await untilInterrupted(waitForPort(stageNodes[0]!.port, deadline, checkAlive), signal).catch(async (error) => {
          throw error instanceof KafkitError && error.code === 'READY_TIMEOUT'
            ? await startFailure(
                state,
                runtime,
                stageNodes[0]!,
                `ZooKeeper did not answer on port ${stageNodes[0]!.port} within ${timeoutMs / 1000}s.`,
              )
            : error
        })
      }
    }
    reporter.step(`Waiting for ${brokerNodes(state).length} broker(s) to answer Metadata`)
    const ready = await untilInterrupted(
      waitForBrokers({
        servers: state.bootstrapServers.split(','),
        expectedBrokerIds: brokerNodes(state).map((n) => n.nodeId),
        deadline,
        checkAlive,
        reporter,
        expectedTopics: nodes.length === state.nodes.length ? state.knownTopics : undefined,
      }),
      signal,
    ).catch(async (error) => {
      if (error instanceof KafkitError && error.code === 'READY_TIMEOUT') {
        const culprit = nodes.find((n) => n.role !== 'zookeeper' && n.role !== 'controller') ?? nodes[0]!
        throw await startFailure(
          state,
          runtime,
          culprit,
          `The stack did not become ready within ${timeoutMs / 1000}s: ${error.message.replace(/^Kafka did not become ready in time /, '')}`,
        )
      }
      throw error
    })
    state.clusterId ??= ready.clusterId
    saveState(state)
  } catch (error) {
    if (error instanceof InterruptedError)
      throw await interruptedStart(state, runtime, startedHere, interrupt.keep ?? false, reporter)
    if (startedHere.length > 0) {
      reporter.warn(
        `Stopping the ${startedHere.length} process(es) this start launched; their logs are kept (${kafkitCommand('logs', { stack: state.stack })}).`,
      )
      await stopNodes(state, runtime, startedHere, 10_000, reporter)
    }
    throw error
  }
}

/** Ctrl-C during a start: stop what this start launched (the failed-start path), or with --keep say what still starts. */
async function interruptedStart(
  state: StackState,
  runtime: Runtime,
  startedHere: NodeState[],
  keep: boolean,
  reporter: Reporter,
): Promise<InterruptedError> {
  if (startedHere.length === 0) return new InterruptedError(NOTHING_STARTED)
  const stop = kafkitCommand('down', { stack: state.stack })
  if (keep) {
    const names = startedHere.map((n) => `${n.name}${n.pid ? ` (pid ${n.pid})` : ''}`).join(', ')
    return new InterruptedError(`Interrupted: left ${names} starting in the background (--keep).`, {
      suggestions: [`See when it is ready: ${kafkitCommand('status', { stack: state.stack })}`, `Stop it: ${stop}`],
    })
  }
  reporter.step(
    `Interrupted: stopping the ${startedHere.length} process(es) this start launched (Ctrl-C again to exit at once)`,
  )
  await stopNodes(state, runtime, startedHere, 10_000, reporter)
  return new InterruptedError(`Interrupted: stopped the ${startedHere.length} process(es) this start launched.`, {
    suggestions: [`Their logs are kept: ${kafkitCommand('logs', { stack: state.stack })}`],
  })
}

async function startFailure(
  state: StackState,
  runtime: Runtime,
  node: NodeState,
  message: string,
): Promise<KafkitError> {
  const logFile = runtime.logFile(state, node)
  const recent = await readRuntimeLog(runtime, state, node, 200)
  const tail = recent.slice(-LOG_TAIL_LINES).filter((l) => !l.startsWith('SLF4J'))
  const diagnosis = diagnoseLog(recent, state.stack)
  return new KafkitError(diagnosis ? `${message} ${diagnosis.problem}` : message, {
    code: 'START_FAILED',
    details: [`Last lines of ${logFile}:`, ...tail.map((l) => `  ${l}`)],
    suggestions: [
      ...(diagnosis ? [diagnosis.fix] : []),
      `${kafkitCommand(`logs ${node.name}`, { stack: state.stack })} shows the whole log.`,
    ],
  })
}

/** Stops brokers first (they shut down cleanly only while a controller is up), then controllers, then ZooKeeper. */
async function stopNodes(
  state: StackState,
  runtime: Runtime,
  nodes: NodeState[],
  timeoutMs: number,
  reporter: Reporter,
): Promise<Array<{ name: string; result: string }>> {
  const results: Array<{ name: string; result: string }> = []
  for (const stage of [2, 1, 0]) {
    const stageNodes = nodes.filter((n) => START_ORDER[n.role] === stage)
    const outcomes = await Promise.all(
      stageNodes.map(async (node) => {
        const result = await runtime.stop(state, node, timeoutMs)
        if (result === 'killed') reporter.warn(`${node.name} did not stop within ${timeoutMs / 1000}s and was killed.`)
        node.pid = undefined
        node.startedAt = undefined
        return { name: node.name, result }
      }),
    )
    results.push(...outcomes)
  }
  saveState(state)
  return results
}

export interface DownResult {
  stack: string
  processes: Array<{ name: string; result: string }>
}

export async function downStack(stack: string, timeoutMs: number, reporter: Reporter): Promise<DownResult> {
  const state = requireState(stack)
  const runtime = runtimeFor(state.runtime)
  const running = [...state.nodes, ...(state.services ?? [])].filter((n) => n.pid)
  if (running.length > 0) {
    reporter.step(`Stopping stack "${stack}" (${running.length} process(es))`)
    const topics = runtime.name === 'docker' ? await listTopicsOverNetwork(state) : topicsOnDisk(state)
    if (topics) state.knownTopics = topics.sort()
  }
  const services = await stopServices(state, runtime, timeoutMs, reporter)
  const processes = await stopNodes(state, runtime, state.nodes, timeoutMs, reporter)
  return { stack, processes: [...services, ...processes] }
}

async function listTopicsOverNetwork(state: StackState): Promise<string[] | undefined> {
  const { listStackTopics } = await import('../cluster/admin.js')
  return listStackTopics({
    servers: state.bootstrapServers.split(','),
    connectionTimeoutMs: 1000,
    requestTimeoutMs: 3000,
  })
}

/**
 * The topics of a stack whose brokers run on this host, from their log directories (a partition is a directory
 * `<topic>-<partition>`): the same names Metadata lists, without loading a Kafka client and connecting
 * (~150 ms of a `down`). Deleted (`-delete`), moving (`-future`) and stray (`-stray`) partitions and the KRaft metadata log are not
 * topics. Undefined when a log directory cannot be read, so the last known list stays.
 */
export function topicsOnDisk(state: Pick<StackState, 'nodes'>): string[] | undefined {
  const topics = new Set<string>()
  try {
    for (const node of brokerNodes(state)) {
      for (const dir of logDirsOf(node)) {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const match = /^(.+)-\d+$/.exec(entry.name)
          if (entry.isDirectory() && match && match[1] !== '__cluster_metadata') topics.add(match[1]!)
        }
      }
    }
  } catch {
    return undefined
  }
  return [...topics]
}

/** `log.dirs` (or `log.dir`) of a node's rendered config: overrides may move them away from the planned data dir. */
export function logDirsOf(node: NodePlan): string[] {
  const config = existsSync(node.configFile) ? parseProperties(readFileSync(node.configFile, 'utf8')) : {}
  const dirs = (config['log.dirs'] ?? config['log.dir'] ?? node.dataDir)
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
  return dirs.length > 0 ? dirs : [node.dataDir]
}

export function requireState(stack: string): StackState {
  const state = loadState(stack)
  if (!state) {
    throw noStackError(stack)
  }
  return state
}

export interface StatusResult {
  stack: string
  runtime: RuntimeName
  mode: StackMode
  kafkaVersion: string
  bootstrapServers: string
  running: boolean
  nodes: NodeView[]
  cluster: {
    clusterId: string
    controller: number | null
    brokers: Array<{ nodeId: number; host: string; port: number }>
  } | null
  clusterError: string | null
  details: RuntimeDetails
  services: ServiceView[]
}

export async function stackStatus(stack: string, reporter: Reporter): Promise<StatusResult> {
  const state = requireState(stack)
  const runtime = runtimeFor(state.runtime)
  const alive = await aliveNodes(state, runtime, reporter)
  const runningServices = await aliveServices(state, runtime, reporter)
  const nodes = state.nodes.map((n) => nodeView(n, alive.has(n.name)))
  let cluster: StatusResult['cluster'] = null
  let clusterError: string | null = null
  const liveBrokers = brokerNodes(state).filter((n) => alive.has(n.name))
  if (liveBrokers.length > 0) {
    const { stackCluster } = await import('../cluster/admin.js')
    try {
      cluster = await stackCluster({
        servers: liveBrokers.map((n) => `127.0.0.1:${n.port}`),
        stack: state.stack,
        connectionTimeoutMs: 2000,
        requestTimeoutMs: 5000,
        reporter,
      })
      // In KRaft, Metadata names a random broker as "controller" (for old clients); the quorum leader is the real one.
      if (state.mode === 'kraft') cluster = { ...cluster, controller: kraftLeader(state) }
    } catch (error) {
      clusterError = (error as Error).message
    }
  }
  return {
    stack,
    runtime: state.runtime,
    mode: state.mode,
    kafkaVersion: state.kafka.version,
    bootstrapServers: state.bootstrapServers,
    running: alive.size > 0,
    nodes,
    cluster,
    clusterError,
    details: runtime.details?.(state) ?? {},
    services: serviceViews(state, runningServices),
  }
}

/** Bytes a stack's directory takes on disk (data, logs, configs), for the purge question; links are not followed. */
export function stackDiskUsage(state: Pick<StackState, 'dir'>): number {
  let total = 0
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      // Blocks on disk, not the apparent size: Kafka preallocates sparse 10 MB index files per partition.
      else total += lstatSync(path).blocks * 512
    }
  }
  try {
    walk(state.dir)
  } catch {
    // A file that vanished meanwhile (a running broker rolls segments): the size is an estimate anyway.
  }
  return total
}

/**
 * The active KRaft controller, from the quorum-state file each controller keeps in its metadata log directory (the
 * newest epoch wins). Unknown (null) where the files are not on this machine (Docker volumes).
 */
function kraftLeader(state: Pick<StackState, 'nodes'>): number | null {
  let best: { leaderId: number; leaderEpoch: number } | undefined
  for (const node of state.nodes) {
    if (node.role !== 'controller' && node.role !== 'combined') continue
    try {
      const quorum = JSON.parse(readFileSync(join(node.dataDir, '__cluster_metadata-0', 'quorum-state'), 'utf8')) as {
        leaderId?: number
        leaderEpoch?: number
      }
      if (
        typeof quorum.leaderId === 'number' &&
        quorum.leaderId >= 0 &&
        (best === undefined || (quorum.leaderEpoch ?? 0) > best.leaderEpoch)
      ) {
        best = { leaderId: quorum.leaderId, leaderEpoch: quorum.leaderEpoch ?? 0 }
      }
    } catch {
      // Not written yet, or not on this machine.
    }
  }
  return best?.leaderId ?? null
}

interface StackSummaryView {
  stack: string
  state: 'running' | 'stopped'
  kafkaVersion: string
  mode: StackMode
  runtime: RuntimeName
  bootstrapServers: string
  /** Every port the stack's processes listen on (brokers, controllers, ZooKeeper, services), ascending. */
  ports: number[]
}

export interface StatusAllResult {
  stacks: StackSummaryView[]
}

/** `status --all`: each stack's state as its runtime reports it, without a Kafka request (fast with many stacks). */
export async function allStacksStatus(reporter: Reporter): Promise<StatusAllResult> {
  const stacks: StackSummaryView[] = []
  for (const name of listStacks()) {
    const state = loadState(name)
    if (!state) continue
    const alive = await aliveNodes(state, runtimeFor(state.runtime), reporter)
    const ports = [
      ...new Set([
        ...state.nodes.flatMap((n) => [n.port, ...(n.controllerPort ? [n.controllerPort] : [])]),
        ...(state.services ?? []).map((s) => s.port),
      ]),
    ].sort((a, b) => a - b)
    stacks.push({
      stack: name,
      state: alive.size > 0 ? 'running' : 'stopped',
      kafkaVersion: state.kafka.version,
      mode: state.mode,
      runtime: state.runtime,
      bootstrapServers: state.bootstrapServers,
      ports,
    })
  }
  return { stacks }
}

function nodeView(node: NodeState, alive: boolean): NodeView {
  return {
    name: node.name,
    role: node.role,
    nodeId: node.nodeId,
    pid: alive ? (node.pid ?? null) : null,
    port: node.port,
    controllerPort: node.controllerPort ?? null,
    alive,
    uptimeMs: alive && node.startedAt ? Date.now() - Date.parse(node.startedAt) : null,
    startedAt: alive ? (node.startedAt ?? null) : null,
    logFile: node.logFile,
  }
}

function upResult(state: StackState, runtime: Runtime, alreadyRunning: boolean, started: number): UpResult {
  return {
    stack: state.stack,
    alreadyRunning,
    runtime: runtime.name,
    mode: state.mode,
    kafkaVersion: state.kafka.version,
    kafka: state.kafka.description,
    clusterId: state.clusterId ?? null,
    bootstrapServers: state.bootstrapServers,
    brokers: state.brokers,
    controllers: state.controllers,
    nodes: state.nodes.map((n) => nodeView(n, Boolean(n.pid))),
    details: runtime.details?.(state) ?? {},
    services: serviceViews(state, new Set((state.services ?? []).filter((s) => s.pid).map((s) => s.name))),
    elapsedMs: Date.now() - started,
  }
}

export interface PurgeResult {
  stack: string
  deleted: string
  stopped: string[]
  /** What the runtime removed outside the stack directory (docker: containers, volumes, network). */
  removed: string[]
}

/** Stops whatever still runs and deletes the stack directory (configs, data, logs, state). */
export async function purgeStack(stack: string, reporter: Reporter): Promise<PurgeResult> {
  const state = requireState(stack)
  const runtime = runtimeFor(state.runtime)
  const stopped = [
    ...(await stopServices(state, runtime, DEFAULT_STOP_TIMEOUT_MS, reporter)),
    ...(await stopNodes(state, runtime, state.nodes, DEFAULT_STOP_TIMEOUT_MS, reporter)),
  ]
    .filter((r) => r.result !== 'not-running')
    .map((r) => r.name)
  const removed = (await runtime.removeStack?.(state, reporter)) ?? []
  rmSync(state.dir, { recursive: true, force: true })
  return { stack, deleted: state.dir, stopped, removed }
}

function brokerNode(state: StackState, id: number): NodeState {
  const node = state.nodes.find((n) => (n.role === 'broker' || n.role === 'combined') && n.nodeId === id)
  if (!node) {
    throw new UsageError(
      `Stack "${state.stack}" has no broker ${id}; its brokers are ${brokerNodes(state)
        .map((n) => n.nodeId)
        .join(', ')}.`,
      { code: 'NO_SUCH_BROKER' },
    )
  }
  return node
}

export interface BrokerResult {
  stack: string
  broker: number
  name: string
  result: string
}

/** Stops one broker (for failover experiments); the rest of the stack keeps running. */
export async function stopBroker(
  stack: string,
  id: number,
  timeoutMs: number,
  reporter: Reporter,
): Promise<BrokerResult> {
  const state = requireState(stack)
  const node = brokerNode(state, id)
  const runtime = runtimeFor(state.runtime)
  reporter.step(`Stopping ${node.name}`)
  const [outcome] = await stopNodes(state, runtime, [node], timeoutMs, reporter)
  return { stack, broker: id, name: node.name, result: outcome!.result }
}

export async function startBroker(
  stack: string,
  id: number,
  timeoutMs: number,
  reporter: Reporter,
): Promise<BrokerResult> {
  const state = requireState(stack)
  const node = brokerNode(state, id)
  const runtime = runtimeFor(state.runtime)
  const alive = await aliveNodes(state, runtime, reporter)
  if (alive.has(node.name)) return { stack, broker: id, name: node.name, result: 'already-running' }
  // On a single-node stack `broker stop 1` stopped the whole stack; `broker start 1` undoes exactly that.
  if (alive.size === 0 && state.nodes.length > 1) {
    throw new KafkitError(`Stack "${stack}" is not running.`, {
      code: 'STACK_DOWN',
      suggestions: [kafkitCommand('up', { stack })],
    })
  }
  await startNodes(state, runtime, [node], timeoutMs, reporter)
  return { stack, broker: id, name: node.name, result: 'started' }
}
