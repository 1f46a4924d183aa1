/** Java's number and date formatting, as the perf tools print them (String.format's %.Nf, SimpleDateFormat). */

/** Java's `%.Nf`: HALF_UP rounding of the decimal value, "Infinity"/"NaN" as Java writes them, no grouping. */
export function javaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
  // toFixed rounds the binary value (1.005 -> "1.00"); Java rounds the shortest decimal that represents it ("1.01").
  const shortest = String(Math.abs(value))
  if (!/e/i.test(shortest)) {
    const [whole, fraction = ''] = shortest.split('.') as [string, string?]
    if (fraction.length > digits && fraction[digits]! >= '5') {
      const scaled = BigInt(whole + fraction.slice(0, digits)) + 1n
      const text = scaled.toString().padStart(digits + 1, '0')
      const result = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text
      return value < 0 ? `-${result}` : result
    }
    if (fraction.length <= digits) {
      const result = digits > 0 ? `${whole}.${fraction.padEnd(digits, '0')}` : whole
      return value < 0 && Number(shortest) !== 0 ? `-${result}` : result
    }
    const result = digits > 0 ? `${whole}.${fraction.slice(0, digits)}` : whole
    return value < 0 && /[1-9]/.test(result) ? `-${result}` : result
  }
  // Beyond 1e21 JavaScript writes exponents; such a value is a whole number, printed in full as Java does.
  const whole = BigInt(value).toString()
  return digits > 0 ? `${whole}.${'0'.repeat(digits)}` : whole
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** The SimpleDateFormat letters kafkit understands; any other letter is refused (see checkDateFormat). */
const LETTERS = 'yMdHhmsSaEkKZXz'

/**
 * A java.text.SimpleDateFormat pattern applied to a time in the local time zone, as the Java tools print it
 * (`yyyy-MM-dd HH:mm:ss:SSS` by default). Letters: y M d H h k K m s S a E Z X z; text in single quotes is literal.
 */
export function formatJavaDate(pattern: string, time: number): string {
  const date = new Date(time)
  let out = ''
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'"
        i += 2
        continue
      }
      // Quoted text runs to the next lone quote; '' inside it is a quote.
      i++
      while (i < pattern.length) {
        if (pattern[i] === "'" && pattern[i + 1] === "'") {
          out += "'"
          i += 2
        } else if (pattern[i] === "'") {
          i++
          break
        } else out += pattern[i++]
      }
      continue
    }
    if (!/[a-zA-Z]/.test(c)) {
      out += c
      i++
      continue
    }
    let n = 1
    while (pattern[i + n] === c) n++
    i += n
    out += field(c, n, date)
  }
  return out
}

function field(letter: string, count: number, date: Date): string {
  const hours = date.getHours()
  switch (letter) {
    case 'y': {
      const year = date.getFullYear()
      return count === 2 ? pad(year % 100, 2) : pad(year, count)
    }
    case 'M': {
      const month = date.getMonth()
      if (count >= 4) return MONTHS[month]!
      if (count === 3) return MONTHS[month]!.slice(0, 3)
      return pad(month + 1, count)
    }
    case 'd':
      return pad(date.getDate(), count)
    case 'H':
      return pad(hours, count)
    case 'k':
      return pad(hours === 0 ? 24 : hours, count)
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12, count)
    case 'K':
      return pad(hours % 12, count)
    case 'm':
      return pad(date.getMinutes(), count)
    case 's':
      return pad(date.getSeconds(), count)
    case 'S':
      return pad(date.getMilliseconds(), count)
    case 'a':
      return hours < 12 ? 'AM' : 'PM'
    case 'E':
      return count >= 4 ? DAYS[date.getDay()]! : DAYS[date.getDay()]!.slice(0, 3)
    case 'Z':
    case 'X':
    case 'z': {
      const offset = -date.getTimezoneOffset()
      if (letter === 'X' && offset === 0) return 'Z'
      const sign = offset < 0 ? '-' : '+'
      const abs = Math.abs(offset)
      const hh = pad(Math.floor(abs / 60), 2)
      const mm = pad(abs % 60, 2)
      if (letter === 'z') return `GMT${sign}${hh}:${mm}`
      return letter === 'X' && count >= 3 ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`
    }
    default:
      return ''
  }
}

/** The letters of a pattern kafkit does not format (the Java tool would); empty when every one is known. */
export function unknownDateLetters(pattern: string): string[] {
  const unknown = new Set<string>()
  const unquoted = pattern.replace(/'[^']*'?/g, '')
  for (const c of unquoted) if (/[a-zA-Z]/.test(c) && !LETTERS.includes(c)) unknown.add(c)
  return [...unknown]
}
