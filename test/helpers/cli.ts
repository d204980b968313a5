import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'

/** The built CLI (`npm test` builds before running the suite). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

export function runCli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Starts `podplane serve` and resolves with its URL once it listens. */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
  })
  return { url, child }
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    else child.once('exit', (code) => resolve(code))
  })
}

export interface ApiAnswer {
  readonly status: number
  /** Parsed JSON; the text when the answer is not JSON; undefined when it is empty. */
  readonly body: any
}

/** One request to a podplane server with an API key (and a JSON body when given). */
export async function callApi(url: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const json = res.headers.get('content-type')?.includes('json') && text !== ''
  return { status: res.status, body: json ? JSON.parse(text) : text === '' ? undefined : text } as ApiAnswer
}

/**
 * A `podplane serve` process on `env` for the tests of one file: started before them with a key
 * for `user` made by the CLI, stopped (SIGTERM) after them. `api` calls it with that key.
 */
export function useServerProcess(env: Record<string, string>, user = 'alice') {
  let started: { url: string; child: ChildProcess } | undefined
  let key = ''
  beforeAll(async () => {
    started = await startServerProcess(env)
    key = runCli(['keys', 'create', '--user', user], env).stdout.trim()
  })
  afterAll(async () => {
    if (!started) return
    started.child.kill('SIGTERM')
    await exitOf(started.child)
  })
  return {
    get url() {
      return started!.url
    },
    get key() {
      return key
    },
    api: (method: string, path: string, body?: unknown) => callApi(started!.url, key, method, path, body),
  }
}
