/**
 * The bundle's entry point (dist/cli.js, loaded by bin/run.js): oclif itself, bundled, so a start-up reads a few
 * files instead of resolving some 160 CommonJS modules. Commands come from dist/command-index.js (oclif's explicit
 * strategy), and only when one runs; `--help` is answered from oclif.manifest.json without loading any command.
 */
import { execute } from '@oclif/core'

/** Runs the command line in process.argv; `dir` is any file or directory inside the package (its root is found from it). */
export async function run(dir: string): Promise<void> {
  await execute({ dir })
}
