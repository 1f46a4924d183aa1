/**
 * kafka-acls.sh's y/n question before a --remove, asked only when stdin and stderr are terminals (the script reads
 * System.console(), which has none in a pipe). The question goes to stderr so stdout stays the result; `y` in any
 * case confirms, as in the script.
 */
import { canPrompt } from '../groups/prompt.js'

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return (await rl.question(`${question}\n`)).trim().toLowerCase() === 'y'
  } finally {
    rl.close()
  }
}

export function aclConfirm(): { confirm?: (question: string) => Promise<boolean> } {
  return canPrompt() ? { confirm: askYesNo } : {}
}
