/**
 * The live-lag display. On a terminal it redraws the previous frame in place (cursor up + clear to the end of the
 * screen, lines cut to the terminal width so nothing wraps and the count stays right); elsewhere it prints one JSON
 * line per frame, which is what a pipe or a log collector wants.
 */
import { renderLagFrame } from './views.js'
import type { LagFrame } from './watch.js'

const ESC = '\u001B['

export class LagScreen {
  private previousLines = 0
  private readonly events = new Map<string, string[]>()

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly options: { intervalMs: number; json: boolean },
  ) {}

  get interactive(): boolean {
    return Boolean(this.out.isTTY) && !this.options.json
  }

  show(frame: LagFrame): void {
    if (!this.interactive) {
      this.out.write(`${JSON.stringify(frame)}\n`)
      return
    }
    for (const g of frame.groups) {
      const kept = [...(this.events.get(g.group) ?? []), ...g.events.map((e) => `${e.time.slice(11, 19)} ${e.message}`)]
      this.events.set(g.group, kept.slice(-5))
    }
    const width = this.out.columns || 200
    const height = this.out.rows || 50
    const lines = renderLagFrame(frame, { intervalMs: this.options.intervalMs, recentEvents: this.events }).split('\n').map((l) => l.slice(0, width - 1))
    // Taller than the screen: cursor-up cannot reach scrolled-off lines, so clear the whole screen instead.
    const reset = this.previousLines === 0 ? `${ESC}?25l` : this.previousLines >= height ? `${ESC}H${ESC}2J` : `${ESC}${this.previousLines}F${ESC}J`
    this.out.write(`${reset}${lines.join('\n')}\n`)
    this.previousLines = lines.length
  }

  /** Shows the cursor again; called on Ctrl-C and at the end. */
  close(): void {
    if (this.interactive && this.previousLines > 0) this.out.write(`${ESC}?25h`)
  }
}
