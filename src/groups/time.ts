import { UsageError } from '../errors.js'

/**
 * `--to-datetime` as Kafka's tools read it (Utils.getDateTime): `YYYY-MM-DDTHH:mm:SS.sss` with an optional zone
 * (`Z`, `+02:00`, `+0200`, `+02`); no zone means UTC, as in the script. Seconds and milliseconds may be left out here.
 *
 * A fraction of one or two digits is read as ISO 8601 does (`.5` = 500 ms), but the script's SimpleDateFormat reads the
 * `SSS` field as a count of milliseconds (`.5` = 5 ms). kafkit keeps the ISO reading and tells `warn`, so the same
 * command run with both tools cannot silently reset to different offsets.
 */
export function parseDateTime(value: string, warn: (message: string) => void = () => {}): number {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      value.trim(),
    )
  const fail = () =>
    new UsageError(
      `Invalid --to-datetime "${value}": expected YYYY-MM-DDTHH:mm:SS.sss, optionally with a zone (Z, +02:00).`,
      {
        code: 'BAD_DATETIME',
        suggestions: ['Example: --to-datetime 2024-05-01T12:00:00.000 (UTC) or 2024-05-01T14:00:00.000+02:00'],
      },
    )
  if (!match) throw fail()
  const [, y, mo, d, h, mi, s = '0', ms = '0', zone = 'Z'] = match
  const parts = [
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(ms.padEnd(3, '0')),
  ] as const
  const utc = Date.UTC(...parts)
  const check = new Date(utc)
  // Date.UTC rolls 2024-02-30 over to March; the script's parser would too, but a typo should not silently move a reset.
  if (
    check.getUTCFullYear() !== parts[0] ||
    check.getUTCMonth() !== parts[1] ||
    check.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  )
    throw fail()
  if (match[7] !== undefined && ms.length !== 3) warn(fractionWarning(value.trim(), ms))
  return utc - zoneOffsetMs(zone)
}

function fractionWarning(value: string, fraction: string): string {
  return (
    `--to-datetime ${value}: kafkit reads the fraction as .${fraction.padEnd(3, '0')} s (ISO 8601); kafka-consumer-groups.sh reads it as ` +
    `${Number(fraction)} ms. Write three digits to be unambiguous.`
  )
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2) || '0')
  return sign * (hours * 60 + minutes) * 60_000
}

/**
 * `--by-duration` as java.time.Duration.parse reads it: `PnDTnHnMn.nS` (days, hours, minutes, seconds; each part
 * optional and signed, at least one present). Returns milliseconds.
 */
export function parseIsoDuration(value: string): number {
  const match =
    /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(
      value.trim(),
    )
  const hasTimePart = /T/i.test(value)
  if (
    !match ||
    match.slice(2, 6).every((g) => g === undefined) ||
    (hasTimePart && match.slice(3, 6).every((g) => g === undefined))
  ) {
    throw new UsageError(`Invalid --by-duration "${value}": expected an ISO-8601 duration PnDTnHnMnS.`, {
      code: 'BAD_DURATION',
      suggestions: ['Examples: PT30M (30 minutes), PT1H30M, P1D (one day), P1DT12H'],
    })
  }
  const [, sign, d, h, m, s, fraction] = match
  const seconds = Number(s ?? 0)
  const fractionMs = fraction ? Math.round(Number(`0.${fraction}`) * 1000) * (s?.startsWith('-') ? -1 : 1) : 0
  const total =
    Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + seconds * 1000 + fractionMs
  return sign === '-' ? -total : total
}
