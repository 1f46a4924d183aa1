/**
 * Terminal confirmation of a share-groups --execute, as consumer-groups asks: the plan first (stderr), then the
 * question; only when stdin and stderr are terminals and --yes was not given.
 */
import { KafkitError } from '../errors.js'
import { canPrompt } from '../groups/prompt.js'
import { renderUndo } from '../groups/views.js'
import type { ShareHooks, ShareResetResult, ShareUndoResult } from './service.js'
import { renderShareReset } from './views.js'

async function confirmAction(question: string, plan: ShareResetResult | ShareUndoResult): Promise<boolean> {
  process.stderr.write('mode' in plan ? renderShareReset(plan) : `${renderUndo(plan)}\n`)
  process.stderr.write('\n')
  const { confirm } = await import('@inquirer/prompts')
  return confirm(
    { message: question, default: false },
    { input: process.stdin, output: process.stderr, clearPromptOnDone: false },
  ).catch((error: unknown) => {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
      throw new KafkitError('Cancelled.', { code: 'CANCELLED' })
    throw error
  })
}

export function shareTerminalHooks(options: { yes?: boolean } = {}): ShareHooks {
  return canPrompt() && !options.yes ? { confirm: confirmAction } : {}
}
