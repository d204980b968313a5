import fastJson from 'fast-json-stringify'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import type { Pod } from '../../../domain/pod.js'
import { statusAt } from '../../../domain/pod-lifecycle.js'
import { loadRelations, NO_RELATIONS, type PodRelations } from '../../../domain/pod-relations.js'
import { adjustedCostPerHr } from '../../../domain/pricing.js'
import type { SavingsPlan as Plan } from '../../../domain/resources.js'
import type { Catalog } from '../../../fleet/catalog.js'
import type { MachineRow } from '../../../store/machines.js'
import type { PodHead, PodQuery } from '../../../store/pods.js'
import type { DataGeneration } from '../../../store/store.js'
import type { AppContext } from '../../context.js'
import { Template } from '../templates/schemas.js'
import { templateView } from '../templates/template-view.js'
import { type KeptAnswer, KeptAnswers } from './kept-answers.js'
import { machineView, podView } from './pod-view.js'
import { Machine, PodNetworkVolume, Pod as PodSchema, SavingsPlan } from './schemas.js'

export interface IncludeFlags {
  readonly includeMachine?: boolean
  readonly includeNetworkVolume?: boolean
  readonly includeSavingsPlans?: boolean
  readonly includeTemplate?: boolean
}

/**
 * Sends JSON text rendered here as it is. (Fastify serializes objects through the response
 * schema; text with a JSON content type goes out untouched.)
 */
export function sendRendered(reply: FastifyReply, json: Buffer, status = 200) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(json as never)
}

/** Pods whose rendering is kept, by count and by bytes; beyond either the oldest go. */
const CACHE_SIZE = 50_000
const CACHE_BYTES = 96 * 1024 * 1024
/** Whole list answers kept, by count and by bytes. */
const LIST_CACHE_SIZE = 5_000
const LIST_CACHE_BYTES = 64 * 1024 * 1024
/** Single-pod answers (`GET /pods/{podId}`) kept, by count and by bytes. */
const POD_CACHE_SIZE = 20_000
const POD_CACHE_BYTES = 32 * 1024 * 1024

// The serializers the response schemas would use, compiled once and applied to parts.
const core = fastJson(Type.Omit(PodSchema, ['machine', 'networkVolume', 'savingsPlans', 'template']))
const machineJson = fastJson(Machine)
const volumeJson = fastJson(PodNetworkVolume)
const plansJson = fastJson(Type.Array(SavingsPlan))
const templateJson = fastJson(Template)

const iso = (ms: number) => new Date(ms).toISOString()
const OPEN = Buffer.from('[')
const COMMA = Buffer.from(',')
const CLOSE = Buffer.from(']')

/**
 * The include flags as part of a cache key. Only the flags: a query string may carry any other
 * parameter (RunPod ignores unknown ones), which must not make answers differ or keys grow.
 */
function includeKey(include: IncludeFlags): string {
  const flag = (on: boolean | undefined) => (on ? '1' : '0')
  return (
    flag(include.includeMachine) +
    flag(include.includeNetworkVolume) +
    flag(include.includeSavingsPlans) +
    flag(include.includeTemplate)
  )
}

/** An answer kept, with what it was rendered from. */
interface Answer extends KeptAnswer {
  /** The store's data generation (or PostgreSQL snapshot) when the answer was last confirmed. */
  generation: DataGeneration | undefined
  readonly catalog: number
  /** The fleet cache's generation when machines are embedded, else -1. */
  readonly fleet: number
  readonly validUntil: number
}

/** A list answered. */
interface ListAnswer extends Answer {
  /** The store's list signature for the user (pods, plans, embedded volumes and templates). */
  readonly signature: string
}

/**
 * Renders v1 pods to JSON text. Each pod's rendering is cached under what it depends on — its
 * version (bumped by every write), whether it runs yet, its effective rate and the catalog's
 * generation — so a list re-renders only pods that changed, and a write is never served stale.
 * What `include*` adds is rendered per request from fresh data.
 */
export class PodRenderer {
  /** Each pod's own JSON (no includes) by id, with the key it was rendered under (`keyOf`). */
  readonly #cache = new KeptAnswers<{ key: string; body: Buffer }>(CACHE_SIZE, CACHE_BYTES)
  readonly #machines = new WeakMap<MachineRow, { generation: number; json: string }>()
  readonly #lists = new KeptAnswers<ListAnswer>(LIST_CACHE_SIZE, LIST_CACHE_BYTES)
  readonly #pods = new KeptAnswers<Answer>(POD_CACHE_SIZE, POD_CACHE_BYTES)

  constructor(private readonly ctx: AppContext) {}

  /**
   * The JSON array answering a pod list. A list answered before is answered again from its bytes
   * when nothing it depends on changed since: the user's pods, savings plans and embedded
   * resources (one index-only query tells — or no query, while the store's data generation shows
   * nothing was written at all), the catalog, the machines if embedded, and time (a pod finishing
   * its boot, a savings plan starting or ending).
   */
  async list(
    userId: string,
    query: PodQuery,
    include: IncludeFlags,
    /** The store's data generation, read before anything of the answer was (at the request's start). */
    generation: DataGeneration | undefined,
  ): Promise<Buffer> {
    const now = this.ctx.clock.now()
    const catalog = this.ctx.catalogGeneration()
    const fleet = include.includeMachine ? this.ctx.store.fleet.generation : -1
    const cacheKey = `${userId}\u0000${JSON.stringify(query)}\u0000${includeKey(include)}`
    const answered = this.#lists.get(cacheKey)
    const stillValid = answered !== undefined && this.holds(answered, now, catalog, fleet)
    if (stillValid && generation !== undefined && answered.generation === generation) return answered.body

    const signature = await this.ctx.store.pods.listSignature(userId, {
      volumes: include.includeNetworkVolume,
      templates: include.includeTemplate,
    })
    if (stillValid && answered.signature === signature) {
      answered.generation = generation
      return answered.body
    }

    const heads = await this.ctx.store.pods.listHeads(userId, query)
    const { parts, validUntil } = await this.render(userId, heads, include)
    const chunks: Buffer[] = [OPEN]
    parts.forEach((part, i) => {
      if (i > 0) chunks.push(COMMA)
      chunks.push(part)
    })
    chunks.push(CLOSE)
    const body = Buffer.concat(chunks)
    this.#lists.set(cacheKey, { signature, generation, catalog, fleet, validUntil, body })
    return body
  }

  /**
   * The JSON object answering `GET /pods/{podId}`. Answered again from its bytes while the store's
   * data generation holds (nothing written since, by any process or replica), with the catalog,
   * the machines if embedded, and time (a boot completing, a savings plan starting or ending);
   * otherwise `load` reads the pod (and throws for a pod the user cannot see).
   */
  async byId(
    userId: string,
    podId: string,
    include: IncludeFlags & { readonly includeWorkers?: boolean },
    generation: DataGeneration | undefined,
    load: () => Promise<Pod>,
  ): Promise<Buffer> {
    const now = this.ctx.clock.now()
    const catalog = this.ctx.catalogGeneration()
    const fleet = include.includeMachine ? this.ctx.store.fleet.generation : -1
    const cacheKey = `${userId}\u0000${podId}\u0000${includeKey(include)}${include.includeWorkers ? 1 : 0}`
    const kept = this.#pods.get(cacheKey)
    if (
      kept !== undefined &&
      generation !== undefined &&
      kept.generation === generation &&
      this.holds(kept, now, catalog, fleet)
    )
      return kept.body
    const pod = await load()
    const { parts, validUntil } = await this.render(userId, [pod], include, pod)
    const body = parts[0]!
    if (generation !== undefined) this.#pods.set(cacheKey, { generation, catalog, fleet, validUntil, body })
    return body
  }

  /** Whether a kept answer still holds for everything but the data: time, catalog and machines. */
  private holds(answer: Answer, now: number, catalog: number, fleet: number): boolean {
    return now < answer.validUntil && answer.catalog === catalog && answer.fleet === fleet
  }

  /** The JSON object answering for one pod in hand (just read or just written). */
  async one(userId: string, pod: Pod, include: IncludeFlags = {}): Promise<Buffer> {
    const { parts } = await this.render(userId, [pod], include, pod)
    return parts[0]!
  }

  /**
   * The JSON object answering for a pod just created. Nothing refers to it yet, so rendering it
   * reads nothing: a create that committed must not then fail on a read (a client would retry it).
   */
  async created(pod: Pod): Promise<Buffer> {
    const { parts } = await this.render(pod.userId, [pod], {}, pod, NO_RELATIONS)
    return parts[0]!
  }

  private async render(
    userId: string,
    heads: readonly PodHead[],
    include: IncludeFlags,
    inHand?: Pod,
    relationsInHand?: PodRelations,
  ): Promise<{ parts: Buffer[]; validUntil: number }> {
    const now = this.ctx.clock.now()
    const catalog = this.ctx.catalog()
    const generation = this.ctx.catalogGeneration()
    const relations =
      relationsInHand ??
      (await loadRelations(
        this.ctx.store,
        userId,
        heads,
        {
          machine: include.includeMachine,
          networkVolume: include.includeNetworkVolume,
          template: include.includeTemplate,
        },
        now,
      ))
    const rendered = new Map<string, Buffer>()
    const missing: string[] = []
    for (const h of heads) {
      const entry = this.#cache.get(h.id)
      if (entry?.key === this.keyOf(h, relations.savingsPlans.get(h.id) ?? [], now, generation))
        rendered.set(h.id, entry.body)
      else missing.push(h.id)
    }
    if (missing.length > 0) {
      const pods = inHand ? [inHand] : await this.ctx.store.pods.byIds(userId, missing)
      for (const pod of pods) {
        const json = Buffer.from(core(podView(pod, { now, catalog, relations })))
        const key = this.keyOf(pod, relations.savingsPlans.get(pod.id) ?? [], now, generation)
        this.#cache.set(pod.id, { key, body: json })
        rendered.set(pod.id, json)
      }
    }
    const parts: Buffer[] = []
    // The rendering holds until a pod finishes booting or a savings plan starts or ends.
    let validUntil = Number.POSITIVE_INFINITY
    for (const h of heads) {
      // A pod deleted between the two reads has nothing rendered: it is left out.
      const json = rendered.get(h.id)
      if (json !== undefined) parts.push(this.withIncludes(json, h, include, relations, catalog, generation))
      if (h.readyAt !== null && h.readyAt > now) validUntil = Math.min(validUntil, h.readyAt)
    }
    for (const plans of relations.savingsPlans.values()) {
      for (const p of plans) {
        if (p.startTime > now) validUntil = Math.min(validUntil, p.startTime)
        if (p.endTime > now) validUntil = Math.min(validUntil, p.endTime)
      }
    }
    return { parts, validUntil }
  }

  private keyOf(h: PodHead, plans: readonly Plan[], now: number, generation: number): string {
    const running = statusAt(h, now) === 'RUNNING' ? 1 : 0
    return `${h.version}|${running}|${adjustedCostPerHr(h.costPerHr, plans, now)}|${generation}`
  }

  private withIncludes(
    json: Buffer,
    h: PodHead,
    include: IncludeFlags,
    relations: PodRelations,
    catalog: Catalog,
    generation: number,
  ): Buffer {
    let extra = ''
    if (include.includeMachine) {
      const row = relations.machines.get(h.machineId)
      if (row) extra += `,"machine":${this.machineJson(row, catalog, generation)}`
    }
    if (include.includeNetworkVolume && h.networkVolumeId !== null) {
      const v = relations.networkVolumes.get(h.networkVolumeId)
      if (v)
        extra += `,"networkVolume":${volumeJson({ id: v.id, name: v.name, size: v.size, dataCenterId: v.dataCenterId })}`
    }
    if (include.includeSavingsPlans) {
      const plans = (relations.savingsPlans.get(h.id) ?? []).map((p) => ({
        costPerHr: p.costPerHr,
        endTime: iso(p.endTime),
        gpuTypeId: p.gpuTypeId,
        id: p.id,
        podId: p.podId,
        startTime: iso(p.startTime),
      }))
      extra += `,"savingsPlans":${plansJson(plans)}`
    }
    if (include.includeTemplate && h.templateId !== null) {
      const t = relations.templates.get(h.templateId)
      if (t) extra += `,"template":${templateJson(templateView(t))}`
    }
    // The cached object without its closing brace, then the included fields.
    return extra === '' ? json : Buffer.concat([json.subarray(0, -1), Buffer.from(`${extra}}`)])
  }

  /** Machine rows are replaced whenever they change, so their rendering can hang off the row. */
  private machineJson(row: MachineRow, catalog: Catalog, generation: number): string {
    const cached = this.#machines.get(row)
    if (cached?.generation === generation) return cached.json
    const json = machineJson(machineView(row, catalog)!)
    this.#machines.set(row, { generation, json })
    return json
  }
}

/** Pods as objects, for responses that embed them (an endpoint's workers). */
export async function podObjects(ctx: AppContext, userId: string, pods: readonly Pod[]) {
  const now = ctx.clock.now()
  const relations = await loadRelations(ctx.store, userId, pods, {}, now)
  return pods.map((pod) => podView(pod, { now, catalog: ctx.catalog(), relations }))
}
