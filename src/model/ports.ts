import { createServer, Socket } from 'node:net'
import { KafkitError } from '../errors.js'
import { kafkitCommand } from '../output/commands.js'
import { runCommand } from '../util/child.js'

/** True when nothing listens on 127.0.0.1:port (we bind only there, so that is the address that matters). */
function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, host, () => {
      // With nothing listening on a port inside the ephemeral range, Linux can connect a socket to itself (source
      // port = target port). Holding that port would make the broker's bind fail, so drop it at once with a reset.
      if (socket.localPort === port && socket.localAddress === socket.remoteAddress) {
        socket.resetAndDestroy()
        resolve(false)
        return
      }
      done(true)
    })
  })
}

/** Best effort: who holds a port (`ss` on Linux, `lsof` elsewhere). Undefined when it can't be found. */
async function portHolder(port: number): Promise<string | undefined> {
  const run = async (cmd: string, args: string[]) => {
    const result = await runCommand(cmd, args, { timeoutMs: 3000 })
    return result.code === 0 ? result.stdout : ''
  }
  const ss = await run('ss', ['-ltnpH', `sport = :${port}`])
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss)
  if (match) return `${match[1]} (pid ${match[2]})`
  const lsof = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'])
  const pid = /^p(\d+)/m.exec(lsof)?.[1]
  const cmd = /^c(.+)$/m.exec(lsof)?.[1]
  if (pid) return `${cmd ?? 'process'} (pid ${pid})`
  return undefined
}

/** Checks every port before anything starts, naming the role of the first one in use and who holds it. */
export async function assertPortsFree(ports: Array<{ port: number; role: string }>, stack?: string): Promise<void> {
  for (const { port, role } of ports) {
    if (await isPortFree(port)) continue
    const holder = await portHolder(port)
    throw new KafkitError(`Port ${port} (${role}) is already in use${holder ? ` by ${holder}` : ''}.`, {
      code: 'PORT_IN_USE',
      suggestions: [
        `Stop whatever holds it, or start this stack on other ports: ${kafkitCommand('up --port 19092', { stack })} (ZooKeeper: --zookeeper-port).`,
        'If it is another kafkit stack: kafkit status --stack <name> / kafkit down --stack <name>.',
      ],
    })
  }
}
