/**
 * Questions asked on a terminal only (stdin and stderr both TTYs); the prompt goes to stderr so stdout
 * stays the result. Callers decide what to do without a terminal: never prompt then.
 */
import { topicNameProblem } from './names.js'

export function canPrompt(): boolean {
  // stderr first: the first read of process.stdin builds its stream (a few ms), not needed when stderr is no terminal.
  return Boolean(process.stderr.isTTY && process.stdin.isTTY)
}

export async function askTopicName(): Promise<string> {
  const { input } = await import('@inquirer/prompts')
  return input(
    { message: 'Topic name', validate: (value) => topicNameProblem(value.trim()) ?? true },
    { output: process.stderr },
  ).then((v) => v.trim())
}

export async function confirmTopicDeletion(topics: string[], pattern: string): Promise<boolean> {
  // Every topic that would go, one per line, before the question.
  process.stderr.write(`"${pattern}" matches ${topics.length} topics:\n${topics.map((t) => `  ${t}`).join('\n')}\n`)
  const { confirm } = await import('@inquirer/prompts')
  return confirm({ message: `Delete these ${topics.length} topics?`, default: false }, { output: process.stderr })
}
