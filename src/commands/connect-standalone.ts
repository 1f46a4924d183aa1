import { Args, Flags } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import { stackFlag } from '../flags.js'
import type { WorkerMode, WorkerRequest, WorkerResult } from '../connect/worker.js'

/** Shared by connect-standalone and connect-distributed: the scripts differ only in their main class. */
export const workerFlags = {
  daemon: Flags.boolean({
    description: "Run in the background (the scripts' -daemon, also accepted); output goes to a connect*.out log.",
  }),
  version: Flags.string({ char: 'V', description: 'Kafka version to run when KAFKA_HOME is not set.' }),
  'bootstrap-server': Flags.string({
    char: 'b',
    description:
      "Kafka for a worker file that names none or the quickstart's localhost:9092 (default: KAFKIT_BOOTSTRAP_SERVER, else the running local stack).",
  }),
  stack: stackFlag,
}

/** The worker request from the flags and files: both commands run the same domain function. */
export function workerRequest(
  mode: WorkerMode,
  flags: { daemon: boolean; version?: string; 'bootstrap-server'?: string; stack: string },
  files: string[],
): WorkerRequest {
  return {
    mode,
    workerFile: files[0]!,
    connectorFiles: files.slice(1),
    daemon: flags.daemon,
    version: flags.version,
    bootstrapServer: flags['bootstrap-server'],
    stack: flags.stack,
  }
}

/** kafka-run-class.sh's `-daemon` has one dash; oclif would read it as -d -a -e ... */
export const scriptDaemon = (argv: string[]) => argv.map((arg) => (arg === '-daemon' ? '--daemon' : arg))

export default class ConnectStandalone extends KafkitCommand<typeof ConnectStandalone> {
  static override summary =
    'Run a standalone Kafka Connect worker with connectors from files, like connect-standalone.sh.'
  static override description = `The worker properties file, then connector configs (properties or JSON), as the script takes them. Runs in the
foreground (Ctrl-C stops it) unless --daemon / -daemon. Relative paths are found in the working directory, else in
the Kafka distribution's home, so the quickstart's config/... files work from anywhere. Uses the distribution in the
working directory, else KAFKA_HOME, else kafkit's installed Kafka. kafkit adds plugin.discovery=service_load unless the
file sets plugin.discovery (a ~5 s start instead of ~15 s). See docs/connect.md.`
  static override aliases = ['connect-standalone.sh']
  static override deprecateAliases = false
  static override strict = false
  static override examples = [
    '<%= config.bin %> connect-standalone config/connect-standalone.properties config/connect-file-source.properties config/connect-file-sink.properties',
    '<%= config.bin %> connect-standalone -daemon config/connect-standalone.properties my-connector.json',
  ]
  static override args = {
    worker: Args.string({ description: 'Worker properties file.', required: true }),
    connectors: Args.string({ description: 'Connector config files (.properties or .json), any number.' }),
  }
  static override flags = workerFlags

  public override async init(): Promise<void> {
    this.argv = scriptDaemon(this.argv)
    await super.init()
  }

  async run(): Promise<WorkerResult> {
    const { runWorker } = await import('../connect/worker.js')
    const result = await runWorker(workerRequest('standalone', this.flags, this.positionals), this.reporter)
    if (result.logFile) this.log(`Connect worker started in the background: pid ${result.pid}, log ${result.logFile}`)
    return this.finish(result, result.exitCode ?? 0)
  }
}
