import { closeSync, existsSync, openSync, readSync, statSync, watch } from 'node:fs'
import type { Runtime } from '../runtime/types.js'
import type { NodeState, StackState } from '../model/state.js'

/** The last `count` lines of a file, read from the end so a large broker log costs little. */
export function tailLines(path: string, count: number): string[] {
  if (!existsSync(path) || count <= 0) return []
  const size = statSync(path).size
  const fd = openSync(path, 'r')
  try {
    const chunk = 64 * 1024
    let position = size
    let text = ''
    while (position > 0) {
      const length = Math.min(chunk, position)
      position -= length
      const buffer = Buffer.alloc(length)
      readSync(fd, buffer, 0, length, position)
      text = buffer.toString('utf8') + text
      if (text.split('\n').length > count + 1) break
    }
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    return lines.slice(-count)
  } finally {
    closeSync(fd)
  }
}

/**
 * `tail -f`: prints what is appended to the file until the signal aborts. Polls as well as watching,
 * because fs.watch misses appends on some filesystems.
 */
export async function followFile(path: string, onText: (text: string) => void, signal: AbortSignal): Promise<void> {
  let position = existsSync(path) ? statSync(path).size : 0
  const readNew = () => {
    if (!existsSync(path)) return
    const size = statSync(path).size
    if (size < position) position = 0 // truncated or replaced
    if (size === position) return
    const fd = openSync(path, 'r')
    try {
      const buffer = Buffer.alloc(size - position)
      readSync(fd, buffer, 0, buffer.length, position)
      position = size
      onText(buffer.toString('utf8'))
    } finally {
      closeSync(fd)
    }
  }
  const watcher = existsSync(path) ? watch(path, readNew) : undefined
  const timer = setInterval(readNew, 250)
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    signal.addEventListener('abort', () => resolve(), { once: true })
  })
  clearInterval(timer)
  watcher?.close()
  readNew()
}

/** The last lines of a node's log through its runtime: its own reader when it has one (docker logs), else its log file. */
export function readRuntimeLog(runtime: Runtime, stack: StackState, node: NodeState, count: number): Promise<string[]> {
  return runtime.readLog
    ? runtime.readLog(stack, node, count)
    : Promise.resolve(tailLines(runtime.logFile(stack, node), count))
}

/** Follows a node's log through its runtime until the signal aborts. */
export function followRuntimeLog(
  runtime: Runtime,
  stack: StackState,
  node: NodeState,
  onText: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  return runtime.followLog
    ? runtime.followLog(stack, node, onText, signal)
    : followFile(runtime.logFile(stack, node), onText, signal)
}
