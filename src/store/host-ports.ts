/** Host ports handed to pods' tcp ports cycle through this range on each machine. */
export const HOST_PORT_FIRST = 10000
export const HOST_PORT_END = 60000

/**
 * Where a machine's next `count` host ports start: the first run of `count` consecutive ports
 * at or after `from` that none of `held` falls in, going round to `HOST_PORT_FIRST` once when the
 * range runs out. Undefined when no such run is left on the machine.
 */
export function freeHostPorts(held: ReadonlySet<number>, from: number, count: number): number | undefined {
  const start = Math.max(HOST_PORT_FIRST, Math.min(from, HOST_PORT_END))
  let first = start
  let wrapped = false
  for (;;) {
    if (first + count > HOST_PORT_END) {
      if (wrapped) return undefined
      wrapped = true
      first = HOST_PORT_FIRST
    }
    if (wrapped && first >= start) return undefined
    let taken = -1
    for (let port = first; port < first + count; port++) if (held.has(port)) taken = port
    if (taken === -1) return first
    first = taken + 1
  }
}

/** The host ports a pod's `port_mappings` (JSON: container port → host port) holds. */
export function hostPortsOf(portMappings: string): number[] {
  return Object.values(JSON.parse(portMappings) as Record<string, number>)
}
