import { createInterface } from 'node:readline'
import { PassThrough } from 'node:stream'
import type { Logger } from './logger.js'
import type { LogBatch } from './protocol.js'
import type { Runtime } from './runtime.js'

type LogLine = LogBatch['lines'][number]

const MAX_BATCH = 1000
const MAX_LINE = 16_384
/** Lines kept per pod while the control plane cannot take them; the oldest go first. */
const MAX_QUEUED = 20_000

/**
 * Queues log lines per pod and posts them in batches of at most 1000, every `intervalMs` or as
 * soon as a batch is full. Lines that fail to send stay queued for the next flush.
 */
export class LogShipper {
  private readonly queues = new Map<string, LogLine[]>()
  private flushing: Promise<void> = Promise.resolve()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly send: (podId: string, batch: LogBatch) => Promise<void>,
    private readonly logger: Logger,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs)
    this.timer.unref()
  }

  /** A line about what the agent did to the pod's container. */
  system(podId: string, line: string): void {
    this.push(podId, { ts: Date.now(), source: 'system', line: line.slice(0, MAX_LINE) })
  }

  container(podId: string, ts: number, line: string): void {
    this.push(podId, { ts, source: 'container', line: line.slice(0, MAX_LINE) })
  }

  /** Drops what is queued for a pod that left the machine. */
  forget(podId: string): void {
    this.queues.delete(podId)
  }

  /** Sends everything queued; flushes run one after another so batches arrive in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.sendQueued())
    return this.flushing
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flush()
  }

  private push(podId: string, line: LogLine): void {
    const queue = this.queues.get(podId) ?? []
    queue.push(line)
    if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED)
    this.queues.set(podId, queue)
    if (queue.length === MAX_BATCH) void this.flush()
  }

  private async sendQueued(): Promise<void> {
    for (const [podId, queue] of this.queues) {
      while (queue.length > 0) {
        const lines = queue.splice(0, MAX_BATCH)
        try {
          await this.send(podId, { lines })
        } catch (error) {
          queue.unshift(...lines)
          this.logger.warn(`shipping logs of pod ${podId} failed, will retry: ${(error as Error).message}`)
          break
        }
      }
      if (queue.length === 0 && this.queues.get(podId) === queue) this.queues.delete(podId)
    }
  }
}

/** One container's log stream being followed. */
export interface LogFollower {
  /** Resolves when the stream ends: the container stopped, or {@link stop} was called. */
  readonly done: Promise<void>
  /** Epoch ms of the last line passed on, to resume after it. */
  readonly lastTs: number | null
  stop(): void
}

/**
 * Follows a container's stdout and stderr from just after `afterMs` (epoch ms; null for the
 * beginning), passing each line with the time the runtime stamped on it.
 */
export async function followContainerLogs(
  runtime: Runtime,
  containerId: string,
  afterMs: number | null,
  onLine: (ts: number, line: string) => void,
): Promise<LogFollower> {
  // Docker's `since` counts whole seconds: ask from that second and drop what is not after.
  const { stream, tty } = await runtime.logs(containerId, afterMs === null ? 0 : Math.floor(afterMs / 1000))
  let lastTs = afterMs
  const outputs = tty ? [stream] : [new PassThrough(), new PassThrough()]
  if (!tty) {
    const [stdout, stderr] = outputs as [PassThrough, PassThrough]
    runtime.docker.modem.demuxStream(stream, stdout, stderr)
    const end = () => {
      stdout.end()
      stderr.end()
    }
    stream.on('end', end)
    stream.on('close', end)
    stream.on('error', end)
  }
  const done = Promise.all(
    outputs.map(async (output) => {
      try {
        for await (const raw of createInterface({ input: output, crlfDelay: Number.POSITIVE_INFINITY })) {
          const { ts, text } = parseTimestamped(raw)
          if (afterMs !== null && ts <= afterMs) continue
          lastTs = Math.max(lastTs ?? 0, ts)
          onLine(ts, text)
        }
      } catch {
        // The stream was destroyed by stop() or the runtime went away: the follower is done.
      }
    }),
  ).then(() => undefined)
  return {
    done,
    get lastTs() {
      return lastTs
    },
    stop: () => (stream as unknown as { destroy(): void }).destroy(),
  }
}

const TIMESTAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d) ?(.*)$/s

/**
 * `2026-11-30T10:00:00.123456789Z hello` → `{ ts: 1796032800123, text: 'hello' }`. The runtime
 * stamps nanoseconds, which Date cannot parse: keep the milliseconds. An unstamped line gets now.
 */
export function parseTimestamped(raw: string): { ts: number; text: string } {
  const match = TIMESTAMPED.exec(raw)
  const ts = match
    ? Date.parse(`${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}${match[3]}`)
    : Number.NaN
  return Number.isNaN(ts) || !match ? { ts: Date.now(), text: raw } : { ts, text: match[4] ?? '' }
}
