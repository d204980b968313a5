import { type AnchorHTMLAttributes, type MouseEvent, useCallback, useSyncExternalStore } from 'react'

/**
 * A small History API router: the console has a handful of routes, and filters live in the query
 * string so a view can be shared by its URL.
 */
const listeners = new Set<() => void>()
const notify = () => {
  for (const listener of listeners) listener()
}
window.addEventListener('popstate', notify)

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Goes to `to` (a path with an optional query), adding a history entry unless `replace`. */
export function navigate(to: string, { replace = false } = {}): void {
  if (to === `${location.pathname}${location.search}`) return
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  notify()
}

/** The current path, re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname)
}

/** The current query string as URLSearchParams, and a setter that replaces it in the URL. */
export function useSearch(): [URLSearchParams, (next: URLSearchParams) => void] {
  const search = useSyncExternalStore(subscribe, () => location.search)
  const set = useCallback((next: URLSearchParams) => {
    const query = next.toString()
    navigate(`${location.pathname}${query ? `?${query}` : ''}`, { replace: true })
  }, [])
  return [new URLSearchParams(search), set]
}

/** Matches `/pods/:podId`-style patterns; returns the params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = []
  const regex = new RegExp(
    `^${pattern.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
      names.push(name)
      return '([^/]+)'
    })}/?$`,
  )
  const match = regex.exec(path)
  if (!match) return null
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]))
}

/** An anchor that navigates without a reload (and keeps ctrl/middle-click behaviour). */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return
    event.preventDefault()
    navigate(href)
  }
  return <a href={href} onClick={handle} {...rest} />
}
