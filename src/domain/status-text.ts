const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')

/**
 * JavaScript's `Date#toString` in UTC, the format RunPod puts in `lastStatusChange`
 * ("Fri Jul 12 2024 19:14:40 GMT+0000 (Coordinated Universal Time)"), independent of the host's TZ.
 */
export function dateText(ms: number): string {
  const d = new Date(ms)
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`
  )
}

/** `lastStatusChange` text, e.g. "Rented by User: Fri Jul 12 2024 19:14:40 GMT+0000 (…)". */
export function statusChange(event: string, at: number): string {
  return `${event}: ${dateText(at)}`
}

export const STATUS_EVENTS = Object.freeze({
  create: 'Rented by User',
  start: 'Resumed by User',
  stop: 'Exited by User',
  restart: 'Restarted by User',
  reset: 'Reset by User',
  terminate: 'Terminated by User',
  update: 'Updated by User',
})
