/**
 * Terminal interaction for consumer-groups: picking a group and confirming an --execute. Prompts write to stderr so
 * stdout stays the command's result, and they are only offered when both stdin and stderr are terminals; without
 * one the commands fail with a clear message instead of waiting for input nobody can give.
 */
import { KafkitError } from '../errors.js'
import type { Hooks, ResetResult, UndoResult } from './service.js'
import { renderReset, renderUndo } from './views.js'

export function canPrompt(): boolean {
  // stderr first: the first read of process.stdin builds its stream (a few ms), not needed when stderr is no terminal.
  return Boolean(process.stderr.isTTY && process.stdin.isTTY)
}

const context = () => ({ input: process.stdin, output: process.stderr, clearPromptOnDone: false })

/** Ctrl-C inside a prompt is a cancellation, not a crash. */
function cancelled(error: unknown): never {
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
    throw new KafkitError('Cancelled.', { code: 'CANCELLED' })
  }
  throw error
}

export async function pickGroup(groups: string[], purpose: string): Promise<string> {
  const { select } = await import('@inquirer/prompts')
  return select(
    {
      message: `Consumer group to ${purpose.replace('-', ' ')}`,
      choices: groups.map((g) => ({ name: g, value: g })),
      pageSize: 15,
    },
    context(),
  ).catch(cancelled)
}

async function confirmAction(question: string, plan: ResetResult | UndoResult): Promise<boolean> {
  // The plan first: nobody should answer y to a question about offsets they have not seen.
  process.stderr.write(`${'groups' in plan ? renderReset(plan) : renderUndo(plan)}\n\n`)
  const { confirm } = await import('@inquirer/prompts')
  return confirm({ message: question, default: false }, context()).catch(cancelled)
}

/** The hooks a command passes to the service: prompts on a terminal, nothing otherwise (or with --yes). */
export function terminalHooks(options: { yes?: boolean; pick?: boolean } = {}): Hooks {
  if (!canPrompt()) return {}
  return {
    ...(options.pick === false ? {} : { pickGroup }),
    ...(options.yes ? {} : { confirm: confirmAction }),
  }
}
