import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { KAFKA_3, KAFKA_4, freePorts, json, run, sandbox, startStack, type Sandbox, onRealKafka } from './helpers.js'

/**
 * A wrong --bootstrap-server fails within the connection timeout and names what answered there: nothing, something
 * that is not Kafka, or a KRaft controller listener (with the stack's broker listener to use instead).
 */
const CONTROLLER = onRealKafka('a KRaft controller listener (the embedded node has none)')

describe('wrong ports', () => {
  let box: Sandbox
  const servers: Server[] = []
  const sockets = new Set<Socket>()
  before(() => {
    box = sandbox()
  })
  after(async () => {
    for (const socket of sockets) socket.destroy()
    for (const server of servers) server.close()
    await box.cleanup()
  })

  async function listen(server: Server): Promise<number> {
    const port = await freePorts(1)
    servers.push(server)
    server.on('connection', (socket: Socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return port
  }

  /** kafkit with a generous cap, so the old minute-long behaviour fails the assertions instead of the harness. */
  async function timed(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
    const started = Date.now()
    const result = await box.kafkit(args, { timeoutMs: 150_000 })
    return { ...result, ms: Date.now() - started }
  }

  it('an HTTP server (node:http): "answered, but not as Kafka", exit 1, within 10 s; kcat for comparison', async (t) => {
    const port = await listen(createHttpServer((_, res) => res.end('hello')))
    const result = await timed(['topics', '--list', '--bootstrap-server', `127.0.0.1:${port}`])
    assert.equal(result.code, 1, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(`127\\.0\\.0\\.1:${port} answered, but not as Kafka \\(it looks like an HTTP server\\)`),
    )
    assert.ok(result.ms < 10_000, `took ${result.ms} ms`)
    const started = Date.now()
    const kcat = await run('kcat', ['-b', `127.0.0.1:${port}`, '-L', '-m', '5'], process.env, 60_000)
    t.diagnostic(
      `kafkit ${result.ms} ms (exit ${result.code}); kcat -L -m 5 ${Date.now() - started} ms (exit ${kcat.code}): ${kcat.stderr.trim().split('\n').pop()}`,
    )
  })

  it("an HTTP server that waits for a whole request line (as Python's http.server): within 10 s, not a minute", async (t) => {
    // kafkajs's ApiVersions holds no newline, so such a server never answers it: kafkajs alone waited 2 x 30 s.
    const port = await listen(
      createServer((socket) => {
        let got = ''
        socket.on('data', (chunk) => {
          got += chunk.toString('latin1')
          if (got.includes('\n'))
            socket.end('HTTP/1.0 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html>bad</html>')
        })
        socket.on('error', () => {})
      }),
    )
    const result = await timed(['topics', '--list', '--bootstrap-server', `127.0.0.1:${port}`])
    assert.equal(result.code, 1, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(`127\\.0\\.0\\.1:${port} answered, but not as Kafka \\(it looks like an HTTP server\\)`),
    )
    assert.ok(result.ms < 10_000, `took ${result.ms} ms`)

    // The script's --timeout (consumer-groups, lag) is also how long the first connection may take.
    const slow = await timed([
      'consumer-groups',
      '--list',
      '--bootstrap-server',
      `127.0.0.1:${port}`,
      '--timeout',
      '6s',
    ])
    assert.equal(slow.code, 1, slow.stderr)
    assert.match(slow.stderr, /answered, but not as Kafka \(it looks like an HTTP server\)/)
    assert.ok(slow.ms >= 6000 && slow.ms < 15_000, `--timeout 6s took ${slow.ms} ms`)
    t.diagnostic(`topics --list ${result.ms} ms; consumer-groups --list --timeout 6s ${slow.ms} ms`)
  })

  it('a server that hangs up at once: not a Kafka broker', async () => {
    const port = await listen(createServer((socket) => socket.destroy()))
    const result = await timed(['get-offsets', '--topic', 'x', '--bootstrap-server', `127.0.0.1:${port}`])
    assert.equal(result.code, 1, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(
        `127\\.0\\.0\\.1:${port} answered, but not as Kafka \\(not a Kafka broker: it closed the connection without answering\\)`,
      ),
    )
    assert.ok(result.ms < 10_000, `took ${result.ms} ms`)
  })

  it('nothing listening: "connection refused", fast', async () => {
    const port = await freePorts(1)
    for (const args of [['topics', '--list'], ['lag']]) {
      const result = await timed([...args, '--bootstrap-server', `127.0.0.1:${port}`])
      assert.equal(result.code, 1, result.stderr)
      assert.match(
        result.stderr,
        new RegExp(`Cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(--bootstrap-server\\): connection refused`),
      )
      assert.ok(result.ms < 8000, `${args[0]} took ${result.ms} ms`)
    }
  })

  // Kafka 3.9 and 4.x list different APIs on the controller listener; neither lists Metadata.
  for (const [version, stack] of [
    [KAFKA_4, 'ux'],
    [KAFKA_3, 'ux3'],
  ] as const)
    CONTROLLER.describe(`a stack's KRaft controller port (Kafka ${version})`, () => {
      let bootstrap: string
      let controllerPort: number
      before(async () => {
        bootstrap = await startStack(box, { stack, version })
        const state = JSON.parse(readFileSync(join(box.home, 'stacks', stack, 'state.json'), 'utf8')) as {
          nodes: Array<{ controllerPort?: number }>
        }
        controllerPort = state.nodes.find((n) => n.controllerPort)!.controllerPort!
      })
      after(async () => {
        await box.kafkit(['purge', '--force', '--stack', stack])
      })

      it("is named, with the stack's broker listener to use instead", async () => {
        const result = await timed(['topics', '--list', '--bootstrap-server', `127.0.0.1:${controllerPort}`])
        assert.equal(result.code, 1, result.stderr)
        assert.match(
          result.stderr,
          new RegExp(`127\\.0\\.0\\.1:${controllerPort} is a KRaft controller port, not a broker listener`),
        )
        assert.ok(result.stderr.includes(`use ${bootstrap}, the broker listener of stack ${stack}`), result.stderr)
        assert.doesNotMatch(result.stderr, /requested API version/)
        assert.ok(result.ms < 10_000, `took ${result.ms} ms`)
      })

      it('--json carries the code and the suggestion', async () => {
        const result = await timed([
          'consumer-groups',
          '--list',
          '--bootstrap-server',
          `127.0.0.1:${controllerPort}`,
          '--json',
        ])
        assert.equal(result.code, 1, result.stderr)
        const error = json(result).error
        assert.equal(error.code, 'CONTROLLER_PORT')
        assert.ok(
          JSON.stringify(error).includes(`use ${bootstrap}, the broker listener of stack ${stack}`),
          JSON.stringify(error),
        )
      })

      it('the broker listener itself still connects at once', async () => {
        const result = await timed(['topics', '--list', '--bootstrap-server', bootstrap])
        assert.equal(result.code, 0, result.stderr)
        assert.ok(result.ms < 10_000, `took ${result.ms} ms`)
      })
    })
})
