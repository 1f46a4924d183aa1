import { KafkitError } from '../errors.js'
import { kafkitCommand } from '../output/commands.js'
import { pidExists } from './processes.js'
import { listStacks, loadState, type StackState } from './state.js'

/** What a "no such stack" message needs to know about the stacks that do exist. */
interface StackSummary {
  stack: string
  running: boolean
  bootstrapServers: string
}

/**
 * A cheap, synchronous look at the other stacks (no Kafka request, no Docker call): a stack counts as running when its
 * state records a live process. Good enough to point the user at the right stack; `status --all` asks each runtime.
 */
export function stackSummaries(): StackSummary[] {
  return listStacks().flatMap((stack) => {
    let state: StackState | undefined
    try {
      state = loadState(stack)
    } catch {
      return []
    }
    if (!state) return []
    // Docker records container state, not a host pid we could probe.
    const running = state.nodes.some((n) => n.pid !== undefined && (state.runtime === 'docker' || pidExists(n.pid)))
    return [{ stack, running, bootstrapServers: state.bootstrapServers }]
  })
}

interface MissingStackMessage {
  details: string[]
  suggestions: string[]
}

/**
 * Where to point someone who named a stack that does not exist. A newcomer who ran `kafkit up --stack ux` and then
 * `kafkit status` must be sent to ux, not told to start a second Kafka as "default" (which would also want port 9092).
 */
export function missingStackHints(stack: string, others: StackSummary[]): MissingStackMessage {
  const running = others.filter((s) => s.running && s.stack !== stack)
  const stopped = others.filter((s) => !s.running && s.stack !== stack)
  const details: string[] = []
  const suggestions: string[] = []
  if (running.length > 0) {
    details.push(`Running stacks: ${running.map((s) => `${s.stack} (${s.bootstrapServers})`).join(', ')}.`)
    const first = running[0]!.stack
    suggestions.push(`Use --stack ${first} or export KAFKIT_STACK=${first}.`)
  }
  if (stopped.length > 0) {
    details.push(`Stopped stacks: ${stopped.map((s) => s.stack).join(', ')}.`)
    if (running.length === 0)
      suggestions.push(`${kafkitCommand('up', { stack: stopped[0]!.stack })} starts ${stopped[0]!.stack} again.`)
  }
  if (running.length === 0) suggestions.push(`${kafkitCommand('up', { stack })} creates "${stack}".`)
  return { details, suggestions }
}

/** The NO_STACK error (exit 1) with the hints above, for commands that act on a stack. */
export function noStackError(stack: string, others: StackSummary[] = stackSummaries()): KafkitError {
  return new KafkitError(`There is no stack "${stack}".`, { code: 'NO_STACK', ...missingStackHints(stack, others) })
}
