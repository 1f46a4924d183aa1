import { existsSync, mkdirSync, copyFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { KafkitError } from '../errors.js'
import { javaCommand, requireJava } from './java.js'
import type { Reporter } from '../output/reporter.js'
import { templatePath } from '../paths.js'
import { isOurProcess, terminate } from '../model/processes.js'
import type { NodeState, StackState } from '../model/state.js'
import type { ProcessStatus, ResolveRequest, ResolvedKafka, Runtime, RuntimeDetection, RuntimeName } from './types.js'
import { runCommand, startDetached } from '../util/child.js'
import { cdsPlan, settleCds } from './cds.js'

export const KAFKA_MAIN = 'kafka.Kafka'
export const ZOOKEEPER_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain'
const STORAGE_TOOL = 'kafka.tools.StorageTool'
/**
 * The storage tool runs for a second and exits: the C1 compiler alone and the serial collector start faster than the
 * full tiered JIT and G1 (measured: a format took 2.0 s, 1.2 s with these, 0.9 s with a class-data archive too).
 */
const STORAGE_TOOL_OPTS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']

/** ZooKeeper's heap (Kafka nodes get the stack's, DEFAULT_HEAP unless `up --heap`); with a short-pause G1. */
export const ZOOKEEPER_HEAP = '256m'
export const DEFAULT_PERFORMANCE_OPTS = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-Djava.awt.headless=true',
]

interface JvmCommand {
  command: string
  args: string[]
}

/**
 * The java command line for one process. Honours the variables Kafka's own scripts read (KAFKA_HEAP_OPTS,
 * KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS) so existing habits keep working. Pure: tested without a JVM.
 */
export function jvmCommandFor(
  stack: StackState,
  node: NodeState,
  java: string,
  env: NodeJS.ProcessEnv = process.env,
  extraOpts: string[] = [],
): JvmCommand {
  return jvmCommand(
    {
      java,
      home: stack.kafka.home,
      heap: node.role === 'zookeeper' ? ZOOKEEPER_HEAP : stack.heap,
      mainClass: node.role === 'zookeeper' ? ZOOKEEPER_MAIN : KAFKA_MAIN,
      configDir: join(stack.dir, 'config'),
      logsDir: join(stack.dir, 'logs'),
      args: [node.configFile],
      extraOpts,
    },
    env,
  )
}

interface JvmLaunch {
  java: string
  /** Distribution home (jars in libs/). */
  home: string
  heap: string
  mainClass: string
  /** Directory holding log4j.properties and log4j2.properties. */
  configDir: string
  logsDir: string
  args: string[]
  /** JVM options kafkit adds (class-data sharing), placed before the user's KAFKA_OPTS. */
  extraOpts?: string[]
}

export function jvmCommand(launch: JvmLaunch, env: NodeJS.ProcessEnv = process.env): JvmCommand {
  const minHeap = launch.mainClass === ZOOKEEPER_MAIN ? '64m' : '128m'
  const heapOpts = env.KAFKA_HEAP_OPTS ? split(env.KAFKA_HEAP_OPTS) : [`-Xms${minHeap}`, `-Xmx${launch.heap}`]
  const performance = env.KAFKA_JVM_PERFORMANCE_OPTS ? split(env.KAFKA_JVM_PERFORMANCE_OPTS) : DEFAULT_PERFORMANCE_OPTS
  return {
    command: launch.java,
    args: [
      ...heapOpts,
      ...performance,
      // Both logging systems are configured: 3.x reads log4j (reload4j), 4.x reads log4j2.
      `-Dlog4j.configuration=file:${join(launch.configDir, 'log4j.properties')}`,
      `-Dlog4j2.configurationFile=${join(launch.configDir, 'log4j2.properties')}`,
      `-Dkafka.logs.dir=${launch.logsDir}`,
      ...(launch.extraOpts ?? []),
      ...(env.KAFKA_OPTS ? split(env.KAFKA_OPTS) : []),
      '-cp',
      join(launch.home, 'libs', '*'),
      launch.mainClass,
      ...launch.args,
    ],
  }
}

function split(value: string): string[] {
  return value.split(/\s+/).filter(Boolean)
}

/** Writes the logging configs a JVM process of this stack points at. */
export function writeLoggingConfigs(stackDir: string): void {
  const configDir = join(stackDir, 'config')
  mkdirSync(configDir, { recursive: true })
  for (const file of ['log4j.properties', 'log4j2.properties']) copyFileSync(templatePath(file), join(configDir, file))
}

/** `kafka-storage format`: writes meta.properties (and the bootstrap metadata) a KRaft node refuses to start without. */
export async function formatKraftStorage(options: {
  java: string
  home: string
  clusterId: string
  configFile: string
  label: string
  standalone?: boolean
  javaMajor?: number
}): Promise<void> {
  // Its own marker: the node's process, started next from the same config file, writes an archive of its own.
  const marker = `${options.configFile}#format`
  const cds = cdsPlan({
    java: options.java,
    javaMajor: options.javaMajor,
    home: options.home,
    mainClass: STORAGE_TOOL,
    marker,
    userOpts: '',
  })
  const args = [
    ...STORAGE_TOOL_OPTS,
    ...(cds?.args ?? []),
    '-cp',
    join(options.home, 'libs', '*'),
    STORAGE_TOOL,
    'format',
    '-t',
    options.clusterId,
    '-c',
    options.configFile,
    '--ignore-formatted',
    ...(options.standalone ? ['--standalone'] : []),
  ]
  const result = await runCommand(options.java, args, { timeoutMs: 120_000 })
  if (cds) settleCds(marker, result.code === 0)
  if (result.code === 0) return
  const lines = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('SLF4J'))
    .slice(-8)
  throw new KafkitError(`Formatting the KRaft storage of ${options.label} failed.`, {
    code: 'FORMAT_FAILED',
    details: lines,
  })
}

/**
 * Shared by every runtime that runs Kafka as local JVM processes (an Apache distribution, Homebrew's
 * formula): only where the jars and java come from differs.
 */
export abstract class JvmRuntime implements Runtime {
  abstract readonly name: RuntimeName
  abstract detect(): Promise<RuntimeDetection>
  abstract resolve(request: ResolveRequest, reporter: Reporter): Promise<ResolvedKafka>

  /** The feature version of the java that preflight found (class-data sharing needs 13+); unknown before. */
  private javaMajor: number | undefined

  protected java(): string {
    return javaCommand()
  }

  /** The java this runtime runs Kafka with; the stack's services (Connect, the registry) run on it too. */
  javaPath(): string {
    return this.java()
  }

  async preflight(stack: StackState): Promise<void> {
    const java = await requireJava(stack.kafka.version, {
      ...process.env,
      ...(this.java() !== 'java' ? { JAVA_HOME: dirname(dirname(this.java())) } : {}),
    })
    this.javaMajor = java.major
  }

  /** The log4j configs every JVM process of the stack points at (-Dlog4j.configuration...). */
  async prepareStack(stack: StackState): Promise<void> {
    writeLoggingConfigs(stack.dir)
  }

  async prepare(stack: StackState, node: NodeState, reporter: Reporter): Promise<void> {
    mkdirSync(node.dataDir, { recursive: true })
    if (stack.mode !== 'kraft' || existsSync(join(node.dataDir, 'meta.properties'))) return
    if (!stack.clusterId) throw new Error('KRaft stack without a cluster id')
    reporter.step(`Formatting KRaft storage of ${node.name} (cluster id ${stack.clusterId})`)
    await formatKraftStorage({
      java: this.java(),
      home: stack.kafka.home,
      clusterId: stack.clusterId,
      configFile: node.configFile,
      label: node.name,
      javaMajor: this.javaMajor,
    })
  }

  async start(stack: StackState, node: NodeState): Promise<{ pid: number }> {
    mkdirSync(dirname(node.logFile), { recursive: true })
    const java = this.java()
    const mainClass = node.role === 'zookeeper' ? ZOOKEEPER_MAIN : KAFKA_MAIN
    const cds = cdsPlan({
      java,
      javaMajor: this.javaMajor,
      home: stack.kafka.home,
      mainClass,
      marker: node.configFile,
      userOpts: `${process.env.KAFKA_OPTS ?? ''} ${process.env.KAFKA_JVM_PERFORMANCE_OPTS ?? ''}`,
    })
    const { command, args } = jvmCommandFor(stack, node, java, process.env, cds?.args)
    return { pid: await startDetached(command, args, { logFile: node.logFile, cwd: stack.dir, name: node.name }) }
  }

  async stop(_stack: StackState, node: NodeState, timeoutMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
    if (!node.pid) return 'not-running'
    const result = await terminate(node.pid, node.configFile, timeoutMs)
    // A process that exited by itself after SIGTERM has written its class-data archive whole (if it made one).
    settleCds(node.configFile, result === 'stopped')
    return result
  }

  async status(_stack: StackState, node: NodeState): Promise<ProcessStatus> {
    return { alive: await isOurProcess(node.pid, node.configFile), pid: node.pid }
  }

  logFile(_stack: StackState, node: NodeState): string {
    return node.logFile
  }
}
