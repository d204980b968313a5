/**
 * The methods each v2 path answers, learned as routes are added, so a request for a known path
 * with another method gets 405 and an `Allow` header instead of 404.
 */
export class RouteTable {
  readonly #paths: { pattern: RegExp; methods: Set<string> }[] = []

  add(url: string, methods: string | string[]): void {
    const source = `^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}/?$`
    let entry = this.#paths.find((p) => p.pattern.source === source)
    if (!entry) {
      entry = { pattern: new RegExp(source), methods: new Set() }
      this.#paths.push(entry)
    }
    for (const m of Array.isArray(methods) ? methods : [methods]) entry.methods.add(m)
  }

  /** The methods allowed on `path`, or undefined when no route has this path. */
  allowed(path: string): string[] | undefined {
    const methods = new Set<string>()
    for (const p of this.#paths) if (p.pattern.test(path)) for (const m of p.methods) methods.add(m)
    return methods.size === 0 ? undefined : [...methods].sort()
  }
}
