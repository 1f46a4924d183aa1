/**
 * The live-lag display. On a terminal it works like `top` and `watch`: it switches to the alternate screen buffer,
 * redraws every frame in place from the top left, fitted to the terminal's size (layoutLagFrame), lays out again at
 * once when the terminal is resized, and gives the normal screen back on the way out (the end, Ctrl-C, an error, even
 * a process exit nobody planned). Elsewhere it prints one JSON line per frame, which is what a pipe or a log collector
 * wants.
 */
import { layoutLagFrame } from './lag-layout.js'
import type { LagFrame } from './watch.js'

const ESC = '\u001B['
const ENTER_ALTERNATE_SCREEN = `${ESC}?1049h`
const LEAVE_ALTERNATE_SCREEN = `${ESC}?1049l`
const HIDE_CURSOR = `${ESC}?25l`
const SHOW_CURSOR = `${ESC}?25h`

export class LagScreen {
  private entered = false
  private last: LagFrame | undefined
  private readonly events = new Map<string, string[]>()
  private readonly onResize = () => this.draw()
  // Synchronous on purpose: an 'exit' listener cannot wait, and a terminal left on the alternate screen looks broken.
  private readonly onExit = () => this.restore()

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
    this.last = frame
    if (!this.entered) {
      this.entered = true
      this.out.write(`${ENTER_ALTERNATE_SCREEN}${HIDE_CURSOR}`)
      this.out.on('resize', this.onResize)
      process.once('exit', this.onExit)
    }
    this.draw()
  }

  /** Leaves the alternate screen and shows the cursor again; called at the end, on Ctrl-C and on errors. */
  close(): void {
    this.restore()
  }

  private draw(): void {
    if (!this.last || !this.entered) return
    const size = { columns: this.out.columns || 80, rows: this.out.rows || 24 }
    const lines = layoutLagFrame(this.last, size, { intervalMs: this.options.intervalMs, recentEvents: this.events })
    // Home, then each line cleared before it is written (clearing after a line of the full width would erase its last
    // character), then clear below: no leftovers from a longer frame. No newline after the last line, so a frame of
    // exactly `rows` lines does not scroll.
    this.out.write(`${ESC}H${lines.map((l) => `${ESC}2K${l}`).join('\n')}${ESC}J`)
  }

  private restore(): void {
    if (!this.entered) return
    this.entered = false
    this.out.removeListener('resize', this.onResize)
    process.removeListener('exit', this.onExit)
    this.out.write(`${SHOW_CURSOR}${LEAVE_ALTERNATE_SCREEN}`)
  }
}
