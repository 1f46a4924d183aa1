import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve as resolvePath } from 'node:path'
import { KafkitError, UsageError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { kafkitHome, templatePath } from '../paths.js'
import { DEFAULT_HEAP, newClusterId, planStack, resolveShape } from '../model/plan.js'
import { findProcesses, terminate } from '../model/processes.js'
import { renderNodeConfig } from '../model/render.js'
import { parseProperties, splitKeyValue } from '../util/properties.js'
import { runForeground, startDetached } from '../util/child.js'

import { javaCommand } from './java.js'
import { DistRuntime } from './dist.js'
import { formatKraftStorage, jvmCommand, KAFKA_MAIN, ZOOKEEPER_HEAP, ZOOKEEPER_MAIN } from './jvm.js'

/**
 * The script mirrors (`kafka-server-start`, `zookeeper-server-start` and their `-stop`s): one process from a
 * properties file, in the foreground like Kafka's scripts, or detached with --daemon. Friendlier than the
 * scripts: a missing file gets a generated single-node config, and unformatted KRaft storage is formatted.
 */
type ServerKind = 'kafka' | 'zookeeper'

interface ServerStartRequest {
  kind: ServerKind
  propertiesFile?: string
  overrides: Record<string, string>
  daemon: boolean
  version?: string
}

export interface ServerStartResult {
  kind: ServerKind
  propertiesFile: string
  pid: number
  exitCode: number | null
  logFile: string | null
}

function foregroundDir(): string {
  return join(kafkitHome(), 'server')
}

/** A single-node config like Kafka's own config/server.properties, for `kafka-server-start` without a file. */
function defaultProperties(kind: ServerKind, zookeeperMode: boolean): string {
  const dir = foregroundDir()
  const plan = planStack('server', dir, resolveShape({ mode: zookeeperMode ? 'zookeeper' : 'kraft' }))
  const node =
    kind === 'zookeeper'
      ? plan.nodes.find((n) => n.role === 'zookeeper')!
      : plan.nodes.find((n) => n.role !== 'zookeeper')!
  const file = join(dir, `${kind === 'zookeeper' ? 'zookeeper' : 'server'}.properties`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, renderNodeConfig(plan, { ...node, configFile: file }))
  return file
}

export async function startServer(request: ServerStartRequest, reporter: Reporter): Promise<ServerStartResult> {
  let file = request.propertiesFile ? resolvePath(request.propertiesFile) : undefined
  if (file && !existsSync(file)) throw new UsageError(`Properties file not found: ${file}`, { code: 'NO_SUCH_FILE' })
  const props = file ? parseProperties(readFileSync(file, 'utf8')) : {}
  const kraft =
    request.kind === 'kafka' &&
    (file ? 'process.roles' in props || 'process.roles' in request.overrides : !request.version?.startsWith('3.'))
  const runtime = new DistRuntime()
  const kafka = await runtime.resolve(
    { version: request.version, mode: request.kind === 'zookeeper' || !kraft ? 'zookeeper' : 'kraft', install: true },
    reporter,
  )
  if (!file) {
    file = defaultProperties(request.kind, !kraft)
    reporter.info(`No properties file given: using the generated single-node config ${file}`)
  }
  const java = javaCommand()
  if (kraft) {
    const all = { ...parseProperties(readFileSync(file, 'utf8')), ...request.overrides }
    const logDir = (all['log.dirs'] ?? all['log.dir'] ?? '/tmp/kraft-combined-logs').split(',')[0]!
    if (!existsSync(join(logDir, 'meta.properties'))) {
      const clusterId = newClusterId()
      reporter.step(`Formatting KRaft storage ${logDir} with new cluster id ${clusterId}`)
      // Kafka 4's own server.properties names a dynamic quorum (controller.quorum.bootstrap.servers, no voters): its
      // quickstart formats that single controller with --standalone, so kafka-server-start does the same.
      const standalone =
        all['controller.quorum.voters'] === undefined && (all['process.roles'] ?? '').includes('controller')
      await formatKraftStorage({ java, home: kafka.home, clusterId, configFile: file, label: logDir, standalone })
    }
  }
  const configDir = join(foregroundDir(), 'config')
  mkdirSync(configDir, { recursive: true })
  for (const name of ['log4j.properties', 'log4j2.properties'])
    writeFileSync(join(configDir, name), readFileSync(templatePath(name)))
  const logsDir = join(foregroundDir(), 'logs')
  const overrideArgs = Object.entries(request.overrides).flatMap(([k, v]) => ['--override', `${k}=${v}`])
  const { command, args } = jvmCommand({
    java,
    home: kafka.home,
    heap: request.kind === 'zookeeper' ? ZOOKEEPER_HEAP : DEFAULT_HEAP,
    mainClass: request.kind === 'zookeeper' ? ZOOKEEPER_MAIN : KAFKA_MAIN,
    configDir,
    logsDir,
    // ZooKeeper's main takes only the file; kafka.Kafka understands --override itself.
    args: [file, ...(request.kind === 'kafka' ? overrideArgs : [])],
  })
  if (request.kind === 'zookeeper' && overrideArgs.length > 0)
    throw new UsageError('--override applies to kafka-server-start only.')

  if (request.daemon) {
    mkdirSync(logsDir, { recursive: true })
    const logFile = join(logsDir, request.kind === 'zookeeper' ? 'zookeeper.out' : 'kafkaServer.out')
    const pid = await startDetached(command, args, { logFile })
    return { kind: request.kind, propertiesFile: file, pid, exitCode: null, logFile }
  }
  const { pid, exitCode } = await runForeground(command, args)
  return { kind: request.kind, propertiesFile: file, pid, exitCode, logFile: null }
}

export interface ServerStopResult {
  kind: ServerKind
  stopped: Array<{ pid: number; result: string }>
}

/** A running server's configuration: its properties file with the `--override k=v` arguments applied. */
function effectiveProperties(command: string, main: string): Record<string, string> | undefined {
  const args = command.split(main)[1]?.trim().split(/\s+/) ?? []
  const configFile = args[0]
  if (!configFile || !existsSync(configFile)) return undefined
  const props = parseProperties(readFileSync(configFile, 'utf8'))
  for (let i = 1; i < args.length - 1; i++) {
    if (args[i] !== '--override') continue
    const pair = splitKeyValue(args[i + 1]!)
    if (pair) props[pair[0]] = pair[1]
  }
  return props
}

/** Like kafka-server-stop.sh: SIGTERM every matching JVM (optionally only a role or node id, as in Kafka 3.7+). */
export async function stopServers(
  kind: ServerKind,
  filter: { processRole?: string; nodeId?: number },
  timeoutMs: number,
): Promise<ServerStopResult> {
  const main = kind === 'kafka' ? KAFKA_MAIN : ZOOKEEPER_MAIN
  const candidates = await findProcesses(new RegExp(`\\s${main.replace(/\./g, '\\.')}\\s`))
  const matching = candidates.filter(({ command }) => {
    if (filter.processRole === undefined && filter.nodeId === undefined) return true
    const props = effectiveProperties(command, main)
    if (!props) return false
    if (filter.nodeId !== undefined && Number(props['node.id'] ?? props['broker.id']) !== filter.nodeId) return false
    if (
      filter.processRole !== undefined &&
      !(props['process.roles'] ?? 'broker').split(',').includes(filter.processRole)
    )
      return false
    return true
  })
  if (matching.length === 0) {
    throw new KafkitError(`No ${kind === 'kafka' ? 'kafka' : 'zookeeper'} server to stop`, { code: 'NOTHING_TO_STOP' })
  }
  const stopped = await Promise.all(
    matching.map(async ({ pid }) => ({ pid, result: await terminate(pid, main, timeoutMs) })),
  )
  return { kind, stopped }
}
