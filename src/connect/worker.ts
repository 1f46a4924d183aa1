/**
 * `connect-standalone` and `connect-distributed`: a Connect worker JVM from a worker properties file, in the foreground
 * like the scripts, or detached with --daemon as kafka-run-class.sh's -daemon does.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { UsageError } from '../errors.js'
import type { Reporter } from '../output/reporter.js'
import { kafkitHome } from '../paths.js'
import { inspectDistribution } from '../install/distribution.js'
import { ensureConnectFiles } from '../install/connect-files.js'
import { resolveBootstrap } from '../connection/source.js'
import { DistRuntime } from '../runtime/dist.js'
import { javaCommand } from '../runtime/java.js'
import { DEFAULT_PERFORMANCE_OPTS } from '../runtime/jvm.js'
import { runForeground, startDetached } from '../util/child.js'
import { resolveArgumentFile, rewriteWorkerProperties } from './worker-config.js'

export type WorkerMode = 'standalone' | 'distributed'

const MAIN: Record<WorkerMode, string> = {
  standalone: 'org.apache.kafka.connect.cli.ConnectStandalone',
  distributed: 'org.apache.kafka.connect.cli.ConnectDistributed',
}
/** kafka-run-class.sh's -name: the daemon's log is <name>.out. */
const DAEMON_NAME: Record<WorkerMode, string> = { standalone: 'connectStandalone', distributed: 'connectDistributed' }
/** The scripts' KAFKA_HEAP_OPTS default. */
const SCRIPT_HEAP = ['-Xms256M', '-Xmx2G']

export interface WorkerRequest {
  mode: WorkerMode
  workerFile: string
  connectorFiles: string[]
  daemon: boolean
  version?: string
  bootstrapServer?: string
  stack?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
}

export interface WorkerResult {
  mode: WorkerMode
  kafkaHome: string
  kafkaVersion: string
  /** The worker properties the JVM ran with (the user's file plus kafkit's appended lines). */
  workerFile: string
  connectorFiles: string[]
  pid: number
  exitCode: number | null
  logFile: string | null
}

export function connectDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(kafkitHome(env), 'connect')
}

/** The script run from a distribution uses that one; otherwise KAFKA_HOME or kafkit's installed Kafka. */
async function resolveKafka(request: WorkerRequest, cwd: string, reporter: Reporter) {
  const env = request.env ?? process.env
  if (!request.version && !env.KAFKA_HOME) {
    const here = inspectDistribution(cwd, 'path')
    if (here) return { home: here.home, version: here.version }
  }
  const kafka = await new DistRuntime(env).resolve({ version: request.version, mode: 'kraft', install: true }, reporter)
  return { home: kafka.home, version: kafka.version }
}

export function workerJvmArgs(options: {
  mode: WorkerMode
  home: string
  version: string
  log4jConfig: string
  logsDir: string
  args: string[]
  env: NodeJS.ProcessEnv
}): string[] {
  const { env } = options
  const split = (value: string) => value.split(/\s+/).filter(Boolean)
  const log4j = env.KAFKA_LOG4J_OPTS
    ? split(env.KAFKA_LOG4J_OPTS)
    : Number.parseInt(options.version, 10) < 4
      ? [`-Dlog4j.configuration=file:${options.log4jConfig}`]
      : [`-Dlog4j2.configurationFile=${options.log4jConfig}`]
  const classpath = [env.CLASSPATH, join(options.home, 'libs', '*')].filter(Boolean).join(':')
  return [
    ...(env.KAFKA_HEAP_OPTS ? split(env.KAFKA_HEAP_OPTS) : SCRIPT_HEAP),
    ...(env.KAFKA_JVM_PERFORMANCE_OPTS ? split(env.KAFKA_JVM_PERFORMANCE_OPTS) : DEFAULT_PERFORMANCE_OPTS),
    `-Dkafka.logs.dir=${env.LOG_DIR ?? options.logsDir}`,
    ...log4j,
    ...(env.KAFKA_OPTS ? split(env.KAFKA_OPTS) : []),
    '-cp',
    classpath,
    MAIN[options.mode],
    ...options.args,
  ]
}

export async function runWorker(request: WorkerRequest, reporter: Reporter): Promise<WorkerResult> {
  const env = request.env ?? process.env
  const cwd = request.cwd ?? process.cwd()
  if (request.mode === 'distributed' && request.connectorFiles.length > 0) {
    throw new UsageError(
      'connect-distributed takes only the worker properties file; create connectors with `kafkit connect create`.',
    )
  }
  const kafka = await resolveKafka(request, cwd, reporter)
  const files = await ensureConnectFiles(kafka.home, reporter, { env })
  const find = (file: string) => {
    const path = resolveArgumentFile(file, cwd, kafka.home, existsSync)
    if (!existsSync(path)) throw new UsageError(`File not found: ${file}`, { code: 'NO_SUCH_FILE' })
    return path
  }
  const workerSource = find(request.workerFile)
  const connectorFiles = request.connectorFiles.map(find)

  let bootstrap: string | undefined
  try {
    bootstrap = resolveBootstrap({ bootstrapServer: request.bootstrapServer, stack: request.stack }, env).servers.join(
      ',',
    )
  } catch {
    bootstrap = undefined
  }
  const rewrite = rewriteWorkerProperties(readFileSync(workerSource, 'utf8'), {
    cwd,
    home: kafka.home,
    version: kafka.version,
    fileConnector: files.pluginPath,
    bootstrap,
    exists: existsSync,
  })
  for (const note of rewrite.notes) reporter.info(note)

  const dir = connectDir(env)
  const logsDir = join(dir, 'logs')
  mkdirSync(logsDir, { recursive: true })
  const workerFile = join(dir, `${DAEMON_NAME[request.mode]}-${basename(workerSource)}`)
  writeFileSync(workerFile, rewrite.text)

  const java = javaCommand(env)
  const args = workerJvmArgs({
    mode: request.mode,
    home: kafka.home,
    version: kafka.version,
    log4jConfig: files.log4jConfig,
    logsDir,
    args: [workerFile, ...connectorFiles],
    env,
  })
  const base = {
    mode: request.mode,
    kafkaHome: kafka.home,
    kafkaVersion: kafka.version,
    workerFile,
    connectorFiles,
  }
  if (request.daemon) {
    const logFile = join(logsDir, `${DAEMON_NAME[request.mode]}.out`)
    const pid = await startDetached(java, args, { logFile, cwd })
    return { ...base, pid, exitCode: null, logFile }
  }
  const { pid, exitCode } = await runForeground(java, args, { cwd, env })
  return { ...base, pid, exitCode, logFile: null }
}
