/** dist/direct/index.cjs, the first module bin/run.js loads: which command line is direct, and how to load one. */
export { directCommandId } from './commands.js'
export { requireBundle } from './code-cache.js'
