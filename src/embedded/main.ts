/**
 * The process `kafkit up --runtime embedded` starts (bundled to dist/embedded.js): one broker, configured by flags,
 * logging to stdout (the runtime points it at the stack's log file), stopped cleanly by SIGTERM or SIGINT so the
 * storage is flushed before exit.
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { parseProperties } from '../util/properties.js'
import { startBroker } from './broker.js'

function log(message: string): void {
  process.stdout.write(`[${new Date().toISOString()}] ${message}\n`)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'node-id': { type: 'string', default: '1' },
      'cluster-id': { type: 'string' },
      // The stack's rendered server.properties: its path marks the process as the stack's (isOurProcess), and the
      // few keys the embedded broker honours (`up --override auto.create.topics.enable=false`) are read from it.
      config: { type: 'string' },
    },
  })
  const config = values.config && existsSync(values.config) ? parseProperties(readFileSync(values.config, 'utf8')) : {}
  const broker = await startBroker({
    port: Number(values.port),
    host: values.host,
    dataDir: values['data-dir'],
    nodeId: Number(values['node-id']),
    clusterId: values['cluster-id'],
    autoCreateTopics: (config['auto.create.topics.enable'] ?? 'true').trim() !== 'false',
    log,
  })
  // The same line a Kafka broker logs when it is up, so log readers and humans find it where they expect.
  log(`[KafkaRaftServer nodeId=${values['node-id']}] Kafka Server started (embedded, ${broker.bootstrap})`)
  const stop = (signal: string): void => {
    log(`${signal} received: shutting down`)
    broker.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).stack ?? error}`)
        process.exit(1)
      },
    )
  }
  // A fault in one request must not take the broker down for every other client (Kafka's request threads log and
  // go on); the server already closes the connection concerned where it can.
  process.on('uncaughtException', (error) => log(`unexpected error: ${error.stack ?? error}`))
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  log(`embedded broker failed to start: ${(error as Error).stack ?? error}`)
  process.exit(1)
})
