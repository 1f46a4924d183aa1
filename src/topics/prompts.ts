/**
 * Questions asked on a terminal only (stdin and stderr both TTYs); the prompt goes to stderr so stdout
 * stays the result. Callers decide what to do without a terminal: never prompt then.
 */
import { topicNameProblem } from './names.js'

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}

export async function askTopicName(): Promise<string> {
  const { input } = await import('@inquirer/prompts')
  return input({ message: 'Topic name', validate: (value) => topicNameProblem(value.trim()) ?? true }, { output: process.stderr })
    .then((v) => v.trim())
}

export async function confirmTopicDeletion(topics: string[], pattern: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts')
  const shown = topics.length > 20 ? `${topics.slice(0, 20).join(', ')} and ${topics.length - 20} more` : topics.join(', ')
  return confirm({ message: `"${pattern}" matches ${topics.length} topics (${shown}). Delete them all?`, default: false }, { output: process.stderr })
}
