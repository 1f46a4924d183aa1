import { Args } from '@oclif/core'
import { KafkitCommand } from '../base-command.js'
import type { WorkerResult } from '../connect/worker.js'
import { scriptDaemon, workerFlags, workerRequest } from './connect-standalone.js'

export default class ConnectDistributed extends KafkitCommand<typeof ConnectDistributed> {
  static override summary = 'Run a distributed Kafka Connect worker, like connect-distributed.sh.'
  static override description = `Takes the worker properties file; connectors are created through its REST API (\`kafkit connect create\`).
Runs in the foreground (Ctrl-C stops it) unless --daemon / -daemon. Same Kafka, file lookup and plugin.discovery rules
as connect-standalone. See docs/connect.md.`
  static override aliases = ['connect-distributed.sh']
  static override deprecateAliases = false
  static override examples = [
    '<%= config.bin %> connect-distributed config/connect-distributed.properties',
    '<%= config.bin %> connect-distributed -daemon config/connect-distributed.properties',
  ]
  static override args = { worker: Args.string({ description: 'Worker properties file.', required: true }) }
  static override flags = workerFlags

  public override async init(): Promise<void> {
    this.argv = scriptDaemon(this.argv)
    await super.init()
  }

  async run(): Promise<WorkerResult> {
    const { runWorker } = await import('../connect/worker.js')
    const result = await runWorker(workerRequest('distributed', this.flags, [this.args.worker]), this.reporter)
    if (result.logFile) this.log(`Connect worker started in the background: pid ${result.pid}, log ${result.logFile}`)
    return this.finish(result, result.exitCode ?? 0)
  }
}
