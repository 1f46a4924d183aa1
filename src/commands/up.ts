import { Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { durationFlag, stackFlag } from '../flags.js'
import { parseKeyValues, readPropertiesFile } from '../util/properties.js'
import { kafkitCommand } from '../output/commands.js'
import { renderUp } from '../stack/views.js'
import { RUNTIME_CHOICES, parseRuntimeChoice } from '../runtime/index.js'
import { handleInterrupts } from '../signals.js'
import { MAX_BROKERS } from '../model/plan.js'
import { upStack, type UpResult } from '../stack/service.js'
import { parseServiceList } from '../services/catalog.js'
import { DEFAULT_KAFKA_VERSION, DEFAULT_ZOOKEEPER_KAFKA_VERSION } from '../model/versions.js'

export default class Up extends KafkitCommand<typeof Up> {
  static override summary = 'Start a local Kafka stack and wait until it answers.'
  static override description = `Starts ZooKeeper + Kafka (Kafka 3.x) or KRaft (Kafka 3.3+, the default), one or several brokers, as real processes.
Ready means the Kafka protocol answers a Metadata request with every broker. A second \`up\` on a running stack says so and succeeds.
The first \`up\` of a stack fixes its shape (mode, brokers, version, runtime, ports); \`kafkit purge\` deletes it to start over.
Ctrl-C while it starts stops the processes this start launched (exit 130); with --keep they go on starting. A second Ctrl-C exits at once.`

  static override examples = [
    { description: 'Start the default stack (KRaft, one node, newest Kafka)', command: '<%= config.bin %> up' },
    {
      description: 'Three brokers and a controller, to try replication and failover',
      command: '<%= config.bin %> up --brokers 3',
    },
    {
      description: 'ZooKeeper mode on Kafka 3.9',
      command: `<%= config.bin %> up --mode zookeeper --version ${DEFAULT_ZOOKEEPER_KAFKA_VERSION}`,
    },
    {
      description: 'A second stack beside the first',
      command: '<%= config.bin %> up --stack other --port 19092 --zookeeper-port 12181',
    },
    {
      description: 'With Kafka Connect (port 8083) and a Schema Registry (8081) beside the broker',
      command: '<%= config.bin %> up --with connect,schema-registry',
    },
    {
      description: 'In containers (Docker Compose), on the sub-second native image',
      command: '<%= config.bin %> up --runtime docker --image native',
    },
    {
      description: 'In containers, reachable from other containers on an existing network',
      command: '<%= config.bin %> up --runtime docker --network devnet',
    },
  ]

  static override flags = {
    stack: stackFlag,
    runtime: Flags.string({
      description: `How to run Kafka: ${RUNTIME_CHOICES.join(', ')}.`,
      default: 'auto',
      env: 'KAFKIT_RUNTIME',
    }),
    mode: Flags.string({
      description: 'kraft (default) or zookeeper (Kafka 3.x only).',
      options: ['kraft', 'zookeeper'],
    }),
    version: Flags.string({
      char: 'V',
      description: `Kafka version (default: the newest installed, else ${DEFAULT_KAFKA_VERSION}; ${DEFAULT_ZOOKEEPER_KAFKA_VERSION} for ZooKeeper mode).`,
    }),
    brokers: Flags.integer({ char: 'b', description: `Number of brokers (1-${MAX_BROKERS}).` }),
    controllers: Flags.integer({
      description: 'KRaft controllers: 0 = combined with the broker (default for 1 broker), 1 or 3.',
    }),
    port: Flags.integer({ char: 'p', description: 'Client port of the first broker; broker N listens on port+N-1.' }),
    'controller-port': Flags.integer({ description: 'Port of the first KRaft controller (default port+1000).' }),
    'zookeeper-port': Flags.integer({ description: 'ZooKeeper client port (default 2181).' }),
    heap: Flags.string({ description: 'Maximum heap per Kafka process (default 512m; KAFKA_HEAP_OPTS overrides).' }),
    override: Flags.string({
      description: 'Broker setting key=value, repeatable (kept for the stack).',
      multiple: true,
      multipleNonGreedy: true,
    }),
    timeout: durationFlag('How long to wait for readiness', '120s'),
    'no-install': Flags.boolean({ description: 'Fail instead of installing a missing Kafka distribution.' }),
    image: Flags.string({
      description:
        'Docker runtime: Kafka image, pinned (repo:tag), or `native` for apache/kafka-native (default apache/kafka:<version>).',
    }),
    network: Flags.string({
      description: 'Docker runtime: join this existing Docker network (prints the in-network bootstrap address).',
    }),
    with: Flags.string({
      description:
        'Services to run beside Kafka: connect, schema-registry (comma-separated or repeated); kept for the stack. On a running stack, starts them.',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'connect-port': Flags.integer({ description: "Kafka Connect's REST port (default 8083), when --with adds it." }),
    'connect-config': Flags.string({
      description:
        "Kafka Connect worker's client settings (bootstrap.servers, security.protocol, sasl.*, ssl.*: a --command-config file), for a secured listener; kept for the stack.",
    }),
    'schema-registry-port': Flags.integer({
      description: "The Schema Registry's REST port (default 8081), when --with adds it.",
    }),
    keep: Flags.boolean({
      description: 'On Ctrl-C, leave the processes this start launched starting (stop them later with `kafkit down`).',
    }),
    verbose: Flags.boolean({
      description:
        'Print every step on its own line (the default without a terminal); on a terminal one progress line is shown.',
    }),
  }

  async run(): Promise<UpResult> {
    const f = this.flags
    if (!f.verbose) this.reporter.compactSteps?.()
    const controller = new AbortController()
    // No grace timer: stopping what was launched can take longer than STOP_GRACE_MS; a second Ctrl-C still ends it.
    const interrupts = handleInterrupts({
      stop: () => controller.abort(),
      graceMs: null,
      beforeExit: () => this.reporter.done(),
      progress: () =>
        `stack ${f.stack} may still be running or stopping: ${kafkitCommand('status', { stack: f.stack })}; ${kafkitCommand('down', { stack: f.stack })} stops it`,
    })
    let result: UpResult
    try {
      result = await upStack(
        {
          stack: f.stack,
          runtime: parseRuntimeChoice(f.runtime),
          mode: f.mode as 'kraft' | 'zookeeper' | undefined,
          version: f.version,
          brokers: f.brokers,
          controllers: f.controllers,
          port: f.port,
          controllerPort: f['controller-port'],
          zookeeperPort: f['zookeeper-port'],
          heap: f.heap,
          overrides: parseKeyValues(f.override, '--override'),
          timeoutMs: f.timeout,
          install: !f['no-install'],
          image: f.image,
          network: f.network,
          signal: controller.signal,
          keep: f.keep,
          services: parseServiceList(f.with),
          servicePorts: { connect: f['connect-port'], 'schema-registry': f['schema-registry-port'] },
          ...(f['connect-config']
            ? { connectConfig: readPropertiesFile(f['connect-config'], '--connect-config') }
            : {}),
        },
        this.reporter,
      )
    } finally {
      interrupts.release()
      this.reporter.done()
    }
    this.log(renderUp(result))
    return result
  }
}
