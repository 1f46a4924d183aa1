/**
 * The bundle's entry point (dist/cli.js, loaded by bin/run.js): oclif itself, bundled, so a start-up reads a few
 * files instead of resolving some 160 CommonJS modules. Commands come from dist/command-index.js (oclif's explicit
 * strategy), and only when one runs; `--help` is answered from oclif.manifest.json without loading any command.
 */
import { execute } from '@oclif/core'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Runs the command line in process.argv. `dir` is any file or directory inside the package; the root is this file's
 * parent directory (dist/ or src/), whose package.json is read here and handed to oclif, which then skips its search.
 */
export async function run(dir: string): Promise<void> {
  const root = dirname(dirname(fileURLToPath(import.meta.url)))
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  // oclif imports dist/command-index.js anyway (for the command's class): here it is only imported a little earlier.
  const { COMMANDS } = await import('./command-index.js')
  const ids = Object.entries(COMMANDS).flatMap(([id, command]) => [id, ...(command.aliases ?? [])])
  if (!needsPlugins(process.argv.slice(2), ids)) pjson.oclif = { ...pjson.oclif, plugins: undefined }
  await execute({ dir, loadOptions: { root, pjson } })
}

/**
 * oclif reads the package.json and manifest of every plugin (@oclif/plugin-autocomplete) before it runs anything. Only
 * `autocomplete`, root help, `help`, `completion fish`, unknown commands (their suggestions) and anything else than
 * one of kafkit's own commands see other plugins' commands: a kafkit command runs without loading them.
 */
export function needsPlugins(argv: string[], ids: string[]): boolean {
  // The command's words come first (oclif takes a leading flag, `-h topics` included, as no command).
  const end = argv.findIndex((word) => word.startsWith('-'))
  const words = argv.slice(0, end === -1 ? 2 : Math.min(end, 2))
  const id = [words.join(':'), words[0]].find((candidate) => candidate !== undefined && ids.includes(candidate))
  return id === undefined || id === 'help' || id.startsWith('completion:')
}
