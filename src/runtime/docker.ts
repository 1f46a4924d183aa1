import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KafkitError, PrerequisiteError, UsageError } from '../errors.js'
import { runCommand, type RunResult } from '../util/child.js'
import { kafkitCommand } from '../output/commands.js'
import type { Reporter } from '../output/reporter.js'
import type { NodeState, StackState } from '../model/state.js'
import {
  composeProjectName,
  containerName,
  networkBootstrapServers,
  renderCompose,
  type RenderedCompose,
} from './compose.js'
import { imagesOf, resolveImages } from './images.js'
import type {
  ProcessStatus,
  ResolveRequest,
  ResolvedKafka,
  Runtime,
  RuntimeDetails,
  RuntimeDetection,
  RuntimeOptions,
} from './types.js'

/** The engine's own words: the last meaningful line the client printed (usage noise and blank lines dropped). */
export function engineMessage(result: Pick<RunResult, 'stdout' | 'stderr'>): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Usage:|Run 'docker|See 'docker)/.test(l))
  return (
    lines.find((l) => /error|cannot|denied|failed|not found|no such|unknown|unauthorized|manifest/i.test(l)) ??
    lines[0] ??
    'no message'
  )
}

/** Messages meaning "no engine to talk to", as opposed to "the engine said no". */
const ENGINE_DOWN =
  /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|permission denied while trying to connect to the Docker daemon|docker\.sock.*(no such file|connection refused)|The system cannot find the file specified/i
const NO_SUCH = /No such (image|object|container|network)|not found: manifest unknown|Error: No such/i

export function engineFix(message: string): string {
  if (/permission denied/i.test(message))
    return 'Add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or run a rootless engine.'
  return 'Start the Docker engine (Docker Desktop, or `sudo systemctl start docker`), or point DOCKER_HOST / `docker context use` at a running one.'
}

const COMPOSE_FIX =
  'Install Docker Compose: the compose plugin (Docker Desktop has it; Linux: apt install docker-compose-plugin) or the docker-compose command.'
const DOCKER_INSTALL_FIX =
  'Install Docker Desktop (macOS, Windows) or Docker Engine with the compose plugin (Linux), or use --runtime dist.'

interface ComposeCommand {
  command: string
  prefix: string[]
  version: string
}

interface ContainerState {
  running: boolean
  pid: number
  exitCode: number
}

/** The files of a stack's Compose project: `<stack dir>/docker/compose.yml` and the `.env` naming the project. */
function composeFiles(stack: Pick<StackState, 'dir'>): { dir: string; file: string; env: string } {
  const dir = join(stack.dir, 'docker')
  return { dir, file: join(dir, 'compose.yml'), env: join(dir, '.env') }
}

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/

/**
 * Kafka in containers through Docker Compose: one Compose project per stack, one service per node, named
 * volumes for data. Each stack command maps onto plain docker/compose commands (see docs/docker.md for the list);
 * readiness is still a Metadata request from the host, like every runtime.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const
  readonly supportedOptions: ReadonlyArray<keyof RuntimeOptions> = ['image', 'network']
  private composeCommand?: Promise<ComposeCommand | undefined>

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  private docker(
    args: string[],
    options: { timeoutMs?: number; onLine?: (line: string) => void } = {},
  ): Promise<RunResult> {
    return runCommand('docker', args, {
      env: this.env,
      timeoutMs: options.timeoutMs ?? 120_000,
      onLine: options.onLine,
    })
  }

  /** `docker info`: the engine's version, or the client's message saying why it cannot reach one. */
  private async engine(): Promise<{ ok: true; version: string } | { ok: false; message: string; missing: boolean }> {
    const result = await this.docker(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 })
    const version = result.stdout.trim()
    if (result.code === 0 && version) return { ok: true, version }
    return { ok: false, message: engineMessage(result), missing: result.missing }
  }

  /** Compose v2 (`docker compose`) first, then the standalone `docker-compose` (v1, or v2 installed standalone). */
  private compose(): Promise<ComposeCommand | undefined> {
    this.composeCommand ??= (async () => {
      const plugin = await this.docker(['compose', 'version', '--short'], { timeoutMs: 15_000 })
      if (plugin.code === 0 && plugin.stdout.trim())
        return { command: 'docker', prefix: ['compose'], version: plugin.stdout.trim() }
      const standalone = await runCommand('docker-compose', ['version', '--short'], {
        env: this.env,
        timeoutMs: 15_000,
      })
      if (standalone.code === 0 && standalone.stdout.trim())
        return { command: 'docker-compose', prefix: [], version: standalone.stdout.trim() }
      return undefined
    })()
    return this.composeCommand
  }

  async detect(): Promise<RuntimeDetection> {
    const client = await this.docker(['--version'], { timeoutMs: 15_000 })
    if (client.missing || client.code !== 0) {
      return { runtime: this.name, usable: false, reason: 'Docker not found on PATH', fix: DOCKER_INSTALL_FIX }
    }
    const clientVersion = /version ([\w.+~-]+)/i.exec(client.stdout)?.[1]?.replace(/,$/, '') ?? 'unknown'
    // One after the other, not in parallel: the command sequence stays the same on every run (tests assert it).
    const engine = await this.engine()
    const compose = await this.compose()
    const problems: string[] = []
    const fixes: string[] = []
    if (!engine.ok) {
      problems.push(`the engine is not reachable (${engine.message})`)
      fixes.push(engineFix(engine.message))
    }
    if (!compose) {
      problems.push('Compose is missing (neither `docker compose` nor `docker-compose` works)')
      fixes.push(COMPOSE_FIX)
    }
    if (problems.length > 0) {
      return {
        runtime: this.name,
        usable: false,
        reason: `Docker client ${clientVersion} found, but ${problems.join('; and ')}`,
        fix: fixes.join(' '),
      }
    }
    return {
      runtime: this.name,
      usable: true,
      reason: `Docker engine ${engine.ok ? engine.version : ''}, Compose ${compose!.version} (${compose!.command === 'docker' ? 'docker compose' : 'docker-compose'})`,
    }
  }

  async resolve(request: ResolveRequest): Promise<ResolvedKafka> {
    const network = request.options?.network
    if (network !== undefined && !NETWORK_NAME.test(network)) {
      throw new UsageError(
        `Invalid --network "${network}": a Docker network name is letters, digits, '.', '_' or '-'.`,
        { code: 'BAD_NETWORK' },
      )
    }
    const images = resolveImages({ mode: request.mode, version: request.version, image: request.options?.image })
    return {
      version: images.version,
      home: '',
      description: images.description,
      images: { kafka: images.kafka, ...(images.zookeeper ? { zookeeper: images.zookeeper } : {}) },
    }
  }

  /** The engine must answer and Compose must exist; an existing stack skips `detect`, so this is checked on every start. */
  async preflight(): Promise<void> {
    const engine = await this.engine()
    if (!engine.ok) {
      if (engine.missing)
        throw new PrerequisiteError('Docker not found on PATH.', {
          code: 'DOCKER_MISSING',
          suggestions: [DOCKER_INSTALL_FIX],
        })
      throw new PrerequisiteError(`The Docker engine is not reachable: ${engine.message}`, {
        code: 'ENGINE_DOWN',
        suggestions: [engineFix(engine.message)],
      })
    }
    if (!(await this.compose()))
      throw new PrerequisiteError('Docker Compose is missing (neither `docker compose` nor `docker-compose` works).', {
        code: 'COMPOSE_MISSING',
        suggestions: [COMPOSE_FIX],
      })
  }

  render(stack: StackState, overrides: Record<string, string>): RenderedCompose {
    if (!stack.kafka.images)
      throw new KafkitError(`Stack "${stack.stack}" has no container images recorded in its state.`, {
        code: 'STATE_CORRUPT',
      })
    return renderCompose({
      stack: stack.stack,
      dir: stack.dir,
      mode: stack.mode,
      nodes: stack.nodes,
      clusterId: stack.clusterId,
      images: stack.kafka.images,
      heap: stack.heap,
      overrides,
      network: stack.runtimeOptions?.network,
      services: stack.services?.map((s) => ({ name: s.name, port: s.port })),
      kafkaVersion: stack.kafka.version,
    })
  }

  private writeCompose(stack: StackState, overrides: Record<string, string>): void {
    const rendered = this.render(stack, overrides)
    const files = composeFiles(stack)
    mkdirSync(files.dir, { recursive: true })
    writeFileSync(files.file, rendered.yaml)
    writeFileSync(files.env, rendered.env)
  }

  async prepareStack(stack: StackState, overrides: Record<string, string>, reporter: Reporter): Promise<void> {
    this.writeCompose(stack, overrides)
    reporter.debug(`Compose project ${this.project(stack)}: ${composeFiles(stack).file}`)
    const network = stack.runtimeOptions?.network
    if (network) {
      const found = await this.checked(['network', 'inspect', '--format', '{{.Name}}', network])
      if (found.code !== 0) {
        throw new PrerequisiteError(`The Docker network "${network}" does not exist: ${engineMessage(found)}`, {
          code: 'NETWORK_MISSING',
          suggestions: [
            `docker network create ${network}`,
            "or drop --network to use the stack's own network (purge and re-create the stack).",
          ],
        })
      }
    }
    // The services' images too (`up --with`): a first pull takes minutes and must show progress, not look like a hang.
    const serviceImages = (stack.services ?? []).map(
      (svc) => this.render(stack, overrides).compose.services[svc.name]?.image,
    )
    for (const image of new Set([...imagesOf(stack.kafka.images!), ...serviceImages.filter((i): i is string => !!i)])) {
      const present = await this.checked(['image', 'inspect', '--format', '{{.Id}}', image])
      if (present.code === 0) continue
      await this.pull(image, reporter)
    }
  }

  /** `docker pull` with a layer count as progress: a first pull takes a while and must never look like a hang. */
  private async pull(image: string, reporter: Reporter): Promise<void> {
    reporter.step(`Pulling image ${image} (first use of this image; later starts reuse it)`)
    const layers = new Map<string, string>()
    const started = Date.now()
    const result = await this.docker(['pull', image], {
      timeoutMs: 30 * 60_000,
      onLine: (line) => {
        const match = /^([0-9a-f]{12}): (.+)$/.exec(line.trim())
        if (match) layers.set(match[1]!, match[2]!)
        const done = [...layers.values()].filter((s) => /Pull complete|Already exists/.test(s)).length
        reporter.progress(`  ${image}: ${done}/${layers.size} layers (${Math.round((Date.now() - started) / 1000)}s)`)
        reporter.debug(`docker pull: ${line}`)
      },
    })
    reporter.done()
    if (result.code !== 0) {
      if (ENGINE_DOWN.test(result.output)) throw this.engineDown(result)
      const message = engineMessage(result)
      throw new PrerequisiteError(`Docker could not pull ${image}: ${message}`, {
        code: 'IMAGE_PULL_FAILED',
        details: result.output
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(-5),
        suggestions: [
          /manifest unknown|not found/i.test(message)
            ? 'Check the image and tag exist (kafkit up --image repo:tag; `native` for apache/kafka-native).'
            : 'Check the network connection to the registry (and `docker login` for a private one).',
          'kafkit purge --stack <name> --force, then up with another --image or --version, if the stack was created with this image.',
        ],
      })
    }
    reporter.step(`Pulled ${image} in ${Math.round((Date.now() - started) / 1000)}s`)
  }

  private engineDown(result: RunResult): PrerequisiteError {
    const message = engineMessage(result)
    return new PrerequisiteError(`The Docker engine is not reachable: ${message}`, {
      code: 'ENGINE_DOWN',
      suggestions: [engineFix(message)],
    })
  }

  /** A docker command whose failure because the engine is gone becomes ENGINE_DOWN (exit 3); other failures are the caller's. */
  private async checked(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
    const result = await this.docker(args, options)
    if (result.missing)
      throw new PrerequisiteError('Docker not found on PATH.', {
        code: 'DOCKER_MISSING',
        suggestions: [DOCKER_INSTALL_FIX],
      })
    if (result.code !== 0 && ENGINE_DOWN.test(result.output)) throw this.engineDown(result)
    return result
  }

  private project(stack: StackState): string {
    return composeProjectName(stack.stack)
  }

  private container(stack: StackState, node: NodeState): string {
    return containerName(this.project(stack), node.name)
  }

  /** `docker compose -p <project> -f <file> <args>`; the file is re-rendered if a stack never got one (e.g. purge after a failed pull). */
  private async composeRun(stack: StackState, args: string[], timeoutMs = 300_000): Promise<RunResult> {
    const compose = await this.compose()
    if (!compose)
      throw new PrerequisiteError('Docker Compose is missing (neither `docker compose` nor `docker-compose` works).', {
        code: 'COMPOSE_MISSING',
        suggestions: [COMPOSE_FIX],
      })
    const files = composeFiles(stack)
    if (!existsSync(files.file)) this.writeCompose(stack, stack.overrides)
    const result = await runCommand(
      compose.command,
      [...compose.prefix, '-p', this.project(stack), '-f', files.file, ...args],
      { env: this.env, timeoutMs },
    )
    if (result.code !== 0 && ENGINE_DOWN.test(result.output)) throw this.engineDown(result)
    return result
  }

  private async inspect(stack: StackState, node: NodeState): Promise<ContainerState | undefined> {
    const result = await this.checked(
      ['inspect', '--format', '{{.State.Running}} {{.State.Pid}} {{.State.ExitCode}}', this.container(stack, node)],
      { timeoutMs: 30_000 },
    )
    if (result.code !== 0) {
      if (NO_SUCH.test(result.output)) return undefined
      throw new KafkitError(`docker inspect ${this.container(stack, node)} failed: ${engineMessage(result)}`, {
        code: 'DOCKER_FAILED',
      })
    }
    const [running, pid, exitCode] = result.stdout.trim().split(/\s+/)
    return { running: running === 'true', pid: Number(pid) || 0, exitCode: Number(exitCode) || 0 }
  }

  async prepare(): Promise<void> {
    // The images format KRaft storage themselves on first start, from CLUSTER_ID in the Compose file.
  }

  async start(stack: StackState, node: NodeState): Promise<{ pid: number }> {
    // --no-deps: the stack logic starts nodes in dependency order and waits between stages itself.
    const result = await this.composeRun(stack, ['up', '-d', '--no-deps', node.name])
    if (result.code !== 0) {
      const message = engineMessage(result)
      throw new KafkitError(`Docker could not start ${node.name}: ${message}`, {
        code: 'CONTAINER_START_FAILED',
        details: result.output
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(-8),
        suggestions: /port is already allocated|address already in use/i.test(message)
          ? [
              'Another container or process holds the port: docker ps, or start the stack on other ports (' +
                kafkitCommand('up --port 19092', { stack: stack.stack }) +
                ').',
            ]
          : [kafkitCommand(`logs ${node.name}`, { stack: stack.stack })],
      })
    }
    const state = await this.inspect(stack, node)
    if (!state?.running) {
      const tail = await this.readLog(stack, node, 20)
      throw new KafkitError(`${node.name} exited right after it started (exit code ${state?.exitCode ?? 'unknown'}).`, {
        code: 'START_FAILED',
        details: [`Last lines of docker logs ${this.container(stack, node)}:`, ...tail.map((l) => `  ${l}`)],
      })
    }
    // The container's main process as the engine sees it (inside Docker Desktop's VM it is not a host pid).
    return { pid: state.pid || 1 }
  }

  async stop(stack: StackState, node: NodeState, timeoutMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
    const before = await this.inspect(stack, node)
    if (!before?.running) return 'not-running'
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000))
    const result = await this.composeRun(stack, ['stop', '-t', String(seconds), node.name], timeoutMs + 60_000)
    if (result.code !== 0)
      throw new KafkitError(`Docker could not stop ${node.name}: ${engineMessage(result)}`, {
        code: 'CONTAINER_STOP_FAILED',
      })
    // Docker sends SIGKILL after -t seconds; 137 (128 + 9) is how that shows.
    return (await this.inspect(stack, node))?.exitCode === 137 ? 'killed' : 'stopped'
  }

  async status(stack: StackState, node: NodeState): Promise<ProcessStatus> {
    const state = await this.inspect(stack, node)
    return state?.running ? { alive: true, pid: state.pid || node.pid } : { alive: false }
  }

  logFile(stack: StackState, node: NodeState): string {
    return `docker logs ${this.container(stack, node)}`
  }

  async readLog(stack: StackState, node: NodeState, count: number): Promise<string[]> {
    if (count <= 0) return []
    const result = await this.checked(['logs', '--tail', String(count), this.container(stack, node)], {
      timeoutMs: 60_000,
    })
    if (result.code !== 0) return NO_SUCH.test(result.output) ? [] : [`(docker logs failed: ${engineMessage(result)})`]
    const lines = result.output.split('\n')
    if (lines.at(-1) === '') lines.pop()
    return lines.slice(-count)
  }

  async followLog(
    stack: StackState,
    node: NodeState,
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    if (signal.aborted) return
    const child = spawn('docker', ['logs', '--follow', '--tail', '0', this.container(stack, node)], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (chunk: Buffer) => onText(chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => onText(chunk.toString('utf8')))
    const abort = () => child.kill('SIGTERM')
    signal.addEventListener('abort', abort, { once: true })
    await new Promise<void>((resolve) => {
      child.once('error', () => resolve())
      child.once('close', () => resolve())
    })
    signal.removeEventListener('abort', abort)
  }

  async removeStack(stack: StackState, reporter: Reporter): Promise<string[]> {
    const rendered = this.render(stack, stack.overrides)
    reporter.step(`Removing the containers, network and named volumes of Compose project ${rendered.project}`)
    const result = await this.composeRun(stack, ['down', '--volumes', '--remove-orphans'])
    if (result.code !== 0) {
      throw new KafkitError(`Docker could not remove Compose project ${rendered.project}: ${engineMessage(result)}`, {
        code: 'COMPOSE_DOWN_FAILED',
        suggestions: [`docker compose -p ${rendered.project} down --volumes, then kafkit purge again.`],
      })
    }
    return [
      ...Object.values(rendered.compose.services).map((s) => `container ${s.container_name}`),
      ...Object.values(rendered.compose.volumes).map((v) => `volume ${v.name}`),
      ...(stack.runtimeOptions?.network ? [] : [`network ${rendered.project}_default`]),
    ]
  }

  details(stack: StackState): RuntimeDetails {
    const project = this.project(stack)
    return {
      images: imagesOf(stack.kafka.images ?? { kafka: '?' }).join(', '),
      composeProject: project,
      composeFile: composeFiles(stack).file,
      network: stack.runtimeOptions?.network ?? `${project}_default`,
      networkBootstrap: networkBootstrapServers(project, stack.nodes),
    }
  }
}
