import type { Logger } from './logger.js'
import { followContainerLogs, type LogFollower, type LogShipper } from './logs.js'
import { type Runtime, runtimeMessage } from './runtime.js'

interface Entry {
  podId: string
  follower: LogFollower | null
  ended: boolean
}

/** At most one log follower per container, feeding the shipper; re-attached if it ends early. */
export class LogFollowers {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly runtime: Runtime,
    private readonly shipper: LogShipper,
    private readonly logger: Logger,
  ) {}

  /**
   * Follows the container unless already followed. A follower that ended while the container still
   * runs (the runtime dropped the stream) resumes after its last line; `logsAfter` is only for the
   * first attach, since the server's copy of it lags behind what this agent already sent.
   */
  ensure(podId: string, containerId: string, running: boolean, logsAfter: number | null): void {
    const entry = this.entries.get(containerId)
    if (entry && !(entry.ended && running)) return
    const after = entry?.follower?.lastTs ?? logsAfter
    const next: Entry = { podId, follower: null, ended: false }
    this.entries.set(containerId, next)
    followContainerLogs(this.runtime, containerId, after, (ts, line) =>
      this.shipper.container(podId, ts, line),
    )
      .then((follower) => {
        next.follower = follower
        if (this.entries.get(containerId) !== next) return follower.stop()
        return follower.done
      })
      .catch((error) => this.logger.warn(`following logs of ${containerId} failed: ${runtimeMessage(error)}`))
      .finally(() => {
        next.ended = true
      })
  }

  /** Stops following a container that is going away. */
  drop(containerId: string): void {
    this.entries.get(containerId)?.follower?.stop()
    this.entries.delete(containerId)
  }

  /** Forgets ended followers of containers that no longer exist. */
  prune(existing: ReadonlySet<string>): void {
    for (const [containerId, entry] of this.entries)
      if (entry.ended && !existing.has(containerId)) this.drop(containerId)
  }

  /** Stops every follower and waits until their last lines reached the shipper. */
  async close(): Promise<void> {
    const followers = [...this.entries.values()].flatMap((e) => (e.follower ? [e.follower] : []))
    this.entries.clear()
    for (const follower of followers) follower.stop()
    await Promise.all(followers.map((f) => f.done))
  }
}
