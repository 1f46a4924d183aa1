/**
 * Splits a byte stream into lines without decoding it: a line is a Buffer view (no copy) of the chunk it
 * sits in, so arbitrary bytes pass through unchanged and 1 GB of input costs no string conversions.
 * Line ends are \n, \r\n or a lone \r, like Java's BufferedReader.readLine (the script's reader).
 */
export class LineSplitter {
  private carry: Buffer | undefined
  /** A \r ended the previous chunk: a \n starting the next one belongs to it. */
  private pendingCr = false

  /** Calls `onLine` for every complete line in `chunk`; keeps the incomplete tail for the next chunk. */
  push(chunk: Buffer, onLine: (line: Buffer) => void): void {
    this.pushRanges(chunk, (data, start, end) => onLine(data.subarray(start, end)))
  }

  /** As push, with each line as a range of a buffer (no view allocated per line); the buffer is valid during the call. */
  pushRanges(chunk: Buffer, onLine: (data: Buffer, start: number, end: number) => void): void {
    let data = chunk
    let start = 0
    if (this.pendingCr) {
      this.pendingCr = false
      if (data.length > 0 && data[0] === 0x0a) start = 1
    }
    if (this.carry) {
      data = Buffer.concat([this.carry, data.subarray(start)])
      start = 0
      this.carry = undefined
    }
    const length = data.length
    // Searched once and again only after we pass it, so input without \r is scanned once, not per line.
    let nextCr = data.indexOf(0x0d, start)
    for (;;) {
      const nextLf = data.indexOf(0x0a, start)
      if (nextCr !== -1 && nextCr < start) nextCr = data.indexOf(0x0d, start)
      let end: number
      let next: number
      if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) {
        end = nextCr
        if (nextCr + 1 < length) {
          next = data[nextCr + 1] === 0x0a ? nextCr + 2 : nextCr + 1
        } else {
          next = length
          this.pendingCr = true
        }
      } else if (nextLf !== -1) {
        end = nextLf
        next = nextLf + 1
      } else {
        break
      }
      onLine(data, start, end)
      start = next
    }
    // Copy the tail so a small leftover does not pin a whole 64 KB chunk.
    if (start < length) this.carry = Buffer.from(data.subarray(start))
  }

  /** End of input: the last line if it had no line end (BufferedReader returns it too). */
  end(onLine: (line: Buffer) => void): void {
    if (this.carry && this.carry.length > 0) onLine(this.carry)
    this.carry = undefined
  }
}
