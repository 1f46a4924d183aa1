/**
 * Runs a stack's services as local JVM processes beside the brokers (the dist and Homebrew runtimes), started detached
 * like the brokers and recognised the same way: the pid's command line must still name the service's config file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { PrerequisiteError, UsageError } from '../errors.js'
import { isOurProcess, terminate } from '../model/processes.js'
import type { ServiceState, StackState } from '../model/state.js'
import type { Reporter } from '../output/reporter.js'
import { ensureConnectFiles } from '../install/index.js'
import { detectJava } from '../runtime/java.js'
import { JvmRuntime, jvmCommand, writeLoggingConfigs } from '../runtime/jvm.js'
import type { ProcessStatus, Runtime } from '../runtime/types.js'
import { DockerRuntime } from '../runtime/docker.js'
import { CONNECT_CONTAINER, composeProjectName, containerName, networkBootstrapServers } from '../runtime/compose.js'
import { connectImageAvailable, SERVICE_IMAGES } from '../runtime/images.js'
import type { NodeState } from '../model/state.js'
import { startDetached } from '../util/child.js'
import { parseProperties } from '../util/properties.js'
import { CONNECT_HEAP, CONNECT_MAIN, connectPaths, renderConnectConfig } from './connect.js'
import {
  installRegistry,
  registryCommand,
  registryJar,
  registryPaths,
  registryVersionFor,
  renderRegistryConfig,
  REGISTRY_VERSIONS,
} from './registry.js'

export interface ServiceLauncher {
  /** Installs what the service needs and fixes its version (kept in the state); writes its config into the stack dir. */
  prepare(stack: StackState, service: ServiceState, reporter: Reporter): Promise<void>
  start(stack: StackState, service: ServiceState): Promise<{ pid: number }>
  stop(stack: StackState, service: ServiceState, timeoutMs: number): Promise<'stopped' | 'killed' | 'not-running'>
  status(stack: StackState, service: ServiceState): Promise<ProcessStatus>
  logFile(stack: StackState, service: ServiceState): string
  /** Where the runtime keeps the log itself (docker logs): the service as a node its log reader takes. */
  logNode?(service: ServiceState): NodeState
}

/** The launcher of a runtime's services: local JVM processes, or Compose services beside the Kafka containers. */
export function serviceLauncherFor(runtime: Runtime): ServiceLauncher {
  if (runtime instanceof JvmRuntime) return new JvmServiceLauncher(runtime.javaPath())
  if (runtime instanceof DockerRuntime) return new DockerServiceLauncher(runtime)
  throw new UsageError(
    `The ${runtime.name} runtime cannot run Kafka Connect or a Schema Registry in this kafkit build.`,
    {
      code: 'SERVICES_UNSUPPORTED',
      suggestions: ['Use a stack with --runtime dist (or homebrew) for `up --with connect,schema-registry`.'],
    },
  )
}

/** The file whose path is in the service's command line (its identity, as a broker's properties file is its). */
export function serviceConfigFile(stack: Pick<StackState, 'dir'>, service: Pick<ServiceState, 'name'>): string {
  return service.name === 'connect' ? connectPaths(stack).configFile : registryPaths(stack).configFile
}

export function serviceLogFile(stack: Pick<StackState, 'dir'>, service: Pick<ServiceState, 'name'>): string {
  return service.name === 'connect' ? connectPaths(stack).logFile : registryPaths(stack).logFile
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

class JvmServiceLauncher implements ServiceLauncher {
  constructor(private readonly java: string) {}

  async prepare(stack: StackState, service: ServiceState, reporter: Reporter): Promise<void> {
    mkdirSync(join(stack.dir, 'logs'), { recursive: true })
    if (service.name === 'connect') {
      const paths = connectPaths(stack)
      mkdirSync(paths.plugins, { recursive: true })
      // The FileStream connectors (the quickstart's), which Maven-assembled installs lack: added before the worker's
      // plugin path is written. Without them (offline, a read-only home) Connect still runs, with the user's plugins.
      if (stack.kafka.home) {
        await ensureConnectFiles(stack.kafka.home, reporter).catch((error: unknown) =>
          reporter.warn(`Kafka Connect starts without the FileStream connectors: ${(error as Error).message}`),
        )
      }
      writeLoggingConfigs(stack.dir)
      const client = existsSync(paths.clientConfigFile)
        ? parseProperties(readFileSync(paths.clientConfigFile, 'utf8'))
        : {}
      // 0600: with a client config it holds the worker's SASL password.
      writeFileSync(paths.configFile, renderConnectConfig(stack, service, { client }), { mode: 0o600 })
      chmodSync(paths.configFile, 0o600)
      service.version = stack.kafka.version
      service.description = `Kafka Connect ${stack.kafka.version} (distributed)`
      return
    }
    const java = await detectJava({ ...process.env, ...this.javaHome() })
    if (!service.version) {
      const version = java ? registryVersionFor(java.major) : undefined
      if (!version) {
        throw new PrerequisiteError(
          `The Schema Registry (Apicurio Registry) needs Java 17 or newer; ${java ? `found Java ${java.version}` : 'no Java found'}.`,
          { code: 'JAVA_TOO_OLD', suggestions: ['Install Java 21 (or 17) and point JAVA_HOME at it.'] },
        )
      }
      service.version = version
    } else if (service.version === REGISTRY_VERSIONS.java21 && (java?.major ?? 0) < 21) {
      throw new PrerequisiteError(
        `This stack's Schema Registry is Apicurio Registry ${service.version}, which needs Java 21+; found Java ${java?.version ?? 'none'}.`,
        { code: 'JAVA_TOO_OLD', suggestions: ['Point JAVA_HOME at a Java 21+, or purge the stack to start over.'] },
      )
    }
    if (!existsSync(registryJar(service.version))) await installRegistry(service.version, reporter)
    const paths = registryPaths(stack)
    mkdirSync(paths.dataDir, { recursive: true })
    writeFileSync(paths.configFile, renderRegistryConfig(stack, service, await freePort()))
    service.description = `Apicurio Registry ${service.version}`
  }

  private javaHome(): NodeJS.ProcessEnv {
    return this.java !== 'java' ? { JAVA_HOME: dirname(dirname(this.java)) } : {}
  }

  async start(stack: StackState, service: ServiceState): Promise<{ pid: number }> {
    const logFile = this.logFile(stack, service)
    mkdirSync(dirname(logFile), { recursive: true })
    const { command, args } =
      service.name === 'connect'
        ? jvmCommand({
            java: this.java,
            home: stack.kafka.home,
            heap: CONNECT_HEAP,
            mainClass: CONNECT_MAIN,
            configDir: join(stack.dir, 'config'),
            logsDir: join(stack.dir, 'logs'),
            args: [connectPaths(stack).configFile],
          })
        : registryCommand(this.java, service.version!, registryPaths(stack).configFile)
    const cwd = service.name === 'connect' ? stack.dir : registryPaths(stack).dir
    return { pid: await startDetached(command, args, { logFile, cwd, name: service.name }) }
  }

  async stop(stack: StackState, service: ServiceState, timeoutMs: number) {
    if (!service.pid) return 'not-running' as const
    return terminate(service.pid, serviceConfigFile(stack, service), timeoutMs)
  }

  async status(stack: StackState, service: ServiceState): Promise<ProcessStatus> {
    return { alive: await isOurProcess(service.pid, serviceConfigFile(stack, service)), pid: service.pid }
  }

  logFile(stack: StackState, service: ServiceState): string {
    return serviceLogFile(stack, service)
  }
}

/**
 * Compose services of a docker stack. The Docker runtime starts, stops and reads a Compose service by name whatever it
 * runs, so a service is handed to it as a node of that name; the Compose file gains the services from the state.
 */
class DockerServiceLauncher implements ServiceLauncher {
  constructor(private readonly docker: DockerRuntime) {}

  logNode(service: ServiceState): NodeState {
    return this.asNode(service)
  }

  private asNode(service: ServiceState): NodeState {
    return {
      name: service.name,
      role: 'broker',
      nodeId: -1,
      port: service.port,
      configFile: '',
      dataDir: '',
      logFile: '',
      pid: service.pid,
    }
  }

  async prepare(stack: StackState, service: ServiceState, reporter: Reporter): Promise<void> {
    if (service.name === 'connect') {
      if (!connectImageAvailable(stack.kafka.version)) {
        throw new UsageError(`Kafka ${stack.kafka.version} has no apache/kafka image to run Connect from (3.7.0+).`, {
          code: 'SERVICES_UNSUPPORTED',
          suggestions: ['Use a dist stack for Connect on older Kafka versions.'],
        })
      }
      const paths = connectPaths(stack)
      if (existsSync(paths.clientConfigFile)) {
        throw new UsageError(
          '`up --connect-config` is for the dist and Homebrew runtimes (its key and trust stores are host files).',
          {
            code: 'SERVICES_UNSUPPORTED',
          },
        )
      }
      mkdirSync(paths.plugins, { recursive: true })
      const project = composeProjectName(stack.stack)
      writeFileSync(
        paths.configFile,
        renderConnectConfig(stack, service, {
          pluginDirs: [CONNECT_CONTAINER.plugins],
          container: {
            bootstrapServers: networkBootstrapServers(project, stack.nodes),
            host: containerName(project, 'connect'),
            port: CONNECT_CONTAINER.port,
          },
        }),
      )
      service.version = stack.kafka.version
      service.description = `Kafka Connect ${stack.kafka.version} (${SERVICE_IMAGES.connect(stack.kafka.version)})`
    } else {
      service.version = SERVICE_IMAGES['schema-registry'].split(':')[1]
      service.description = `Apicurio Registry ${service.version} (${SERVICE_IMAGES['schema-registry']})`
    }
    // The Compose file must name the service before `compose up` can start it.
    const known = (stack.services ?? []).some((s) => s.name === service.name)
    const rendered = known ? stack : { ...stack, services: [...(stack.services ?? []), service] }
    await this.docker.prepareStack(rendered, stack.overrides, reporter)
  }

  start(stack: StackState, service: ServiceState): Promise<{ pid: number }> {
    return this.docker.start(stack, this.asNode(service))
  }

  stop(stack: StackState, service: ServiceState, timeoutMs: number) {
    return this.docker.stop(stack, this.asNode(service), timeoutMs)
  }

  status(stack: StackState, service: ServiceState): Promise<ProcessStatus> {
    return this.docker.status(stack, this.asNode(service))
  }

  logFile(stack: StackState, service: ServiceState): string {
    return this.docker.logFile(stack, this.asNode(service))
  }
}
