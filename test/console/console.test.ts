import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PodplaneClient } from '../../src/client/index.js'
import { exitOf, runCli, startServerProcess } from '../helpers/cli.js'
import { chromiumPath, launchChromium, screenshot, seriousViolations } from './browser.js'

const CHROMIUM = chromiumPath()
/** Generous waits: the suite may share two cores with every other test file. */
const SLOW = { timeout: 30_000, interval: 250 }
const BUILT = existsSync(fileURLToPath(new URL('../../dist/console/index.html', import.meta.url)))

/**
 * The web console end to end: a real `podplane serve` with its built console, driven by Debian's
 * chromium. One story, in order: sign in, create a pod from a template, watch it run, filter,
 * detail and logs, stop and delete; every page screenshotted and checked by axe-core.
 */
describe('web console', { timeout: 120_000 }, () => {
  let dir: string
  let url: string
  let child: ChildProcess
  let key: string
  let adminKey: string
  let gpuTypeId: string
  let gpuName: string
  let browser: BrowserContext
  let page: Page
  const podName = `console-e2e-${Date.now().toString(36)}`

  beforeAll(async () => {
    // The test needs both; say how to get them rather than skip.
    expect(CHROMIUM, 'chromium on the PATH: apt-get install -y chromium').toBeTruthy()
    expect(BUILT, 'a built console in dist/console: npm run build').toBe(true)
    dir = mkdtempSync(join(tmpdir(), 'podplane-console-'))
    const env = {
      PODPLANE_DB: join(dir, 'podplane.db'),
      PODPLANE_SEED_MACHINES: '40',
      PODPLANE_SIM_BOOT_MS: '1500',
      PODPLANE_RATE_LIMITS: 'off',
    }
    ;({ url, child } = await startServerProcess(env))
    key = runCli(['keys', 'create', '--user', 'alice'], env).stdout.trim()
    adminKey = runCli(['keys', 'create', '--admin'], env).stdout.trim()
    const client = new PodplaneClient({ baseUrl: url, apiKey: key })
    await client.v1.templates.create({
      name: 'console-template',
      imageName: 'runpod/base:0.6.2',
      ports: ['8888/http', '22/tcp'],
      env: { GREETING: 'hello' },
      containerDiskInGb: 20,
      volumeInGb: 10,
    })
    const { gpus } = await client.v2.catalog.gpus({ include: ['AVAILABILITY'], product: ['POD'] })
    const available = gpus.find(
      (gpu) => gpu.secure && (gpu.availability === 'HIGH' || gpu.availability === 'MEDIUM'),
    )
    const chosen = (available ?? gpus.find((gpu) => gpu.availability !== 'NONE'))!
    gpuTypeId = chosen.id
    gpuName = chosen.name
    await client.v1.templates.create({
      name: 'worker-template',
      imageName: 'runpod/worker:1',
      isServerless: true,
    })
    browser = await launchChromium(CHROMIUM!, dir)
    page = await browser.newPage()
    page.setDefaultTimeout(20_000)
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    child?.kill('SIGTERM')
    if (child) await exitOf(child)
    rmSync(dir, { recursive: true, force: true })
  })

  async function checkPage(name: string) {
    await screenshot(page, name)
    expect(await seriousViolations(page), `axe on ${name}`).toEqual([])
  }

  it('signs in with an API key, rejecting a wrong one with the server’s message', async () => {
    await page.goto(url)
    await page.getByLabel('API key').fill('not-a-key')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent(), SLOW).toMatch(/key/i)
    await checkPage('sign-in')
    await page.getByLabel('API key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Pods' }).waitFor()
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('podplane.apiKey'))).toBe(key)
    // A reload keeps the session; a key the server refuses is dropped, back to sign-in.
    await page.reload()
    await page.getByRole('heading', { name: 'Pods' }).waitFor()
    await page.evaluate(() => (globalThis as any).sessionStorage.setItem('podplane.apiKey', 'revoked'))
    await page.reload()
    await page.getByLabel('API key').fill(key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Pods' }).waitFor()
    // A user key does not unlock the fleet pages.
    expect(await page.getByRole('link', { name: 'Fleet' }).count()).toBe(0)
    await page.getByText('No pods match').waitFor()
    await checkPage('pods-empty')
    // Keyboard: the first Tab reaches the skip link, which moves focus to the page's content.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => (globalThis as any).document.activeElement.textContent)).toBe(
      'Skip to content',
    )
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.activeElement.id), SLOW)
      .toBe('main')
  })

  it('creates a pod from a template, showing the cost first, and lands on the pod', async () => {
    await page.getByRole('link', { name: 'Create pod' }).first().click()
    await page.getByRole('heading', { name: 'Create pod' }).waitFor()
    await page.getByRole('button', { name: 'Create pod' }).click()
    await page.getByText('Pick a GPU type').waitFor()
    await page.getByRole('combobox', { name: 'Template' }).click()
    await page.getByRole('option', { name: 'console-template' }).click()
    expect(await page.getByLabel('Container image').inputValue()).toBe('runpod/base:0.6.2')
    expect(await page.getByLabel('Ports').inputValue()).toBe('8888/http, 22/tcp')
    await page.getByLabel('Name').fill(podName)
    await page.getByRole('radio', { name: gpuTypeId }).check()
    await expect.poll(() => page.getByTestId('hourly-cost').textContent(), SLOW).toMatch(/^\$\d+\.\d\d\/hr$/)
    await checkPage('create-pod')
    await page.getByRole('button', { name: 'Create pod' }).click()
    await page.waitForURL(/\/pods\/(?!new$)[a-z0-9]+$/)
  })

  it('shows the pod becoming RUNNING with its ports, ssh command, logs and raw JSON', async () => {
    await page.getByRole('heading', { name: podName }).waitFor()
    await expect.poll(() => page.getByTestId('pod-phase').textContent(), SLOW).toBe('RUNNING')
    await expect
      .poll(() => page.getByTestId('port-22/tcp').textContent(), SLOW)
      .toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/)
    await page.getByRole('button', { name: 'Copy ssh command' }).waitFor()
    await checkPage('pod-detail')
    await page.getByRole('tab', { name: 'Logs' }).click()
    await expect.poll(() => page.getByTestId('pod-logs').textContent(), SLOW).not.toMatch(/Waiting/)
    await checkPage('pod-logs')
    await page.getByRole('tab', { name: 'Raw JSON' }).click()
    expect(await page.getByTestId('raw-json').textContent()).toContain(`"name": "${podName}"`)
  })

  it('filters the table through the URL', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Pods', exact: true }).click()
    await page.getByRole('heading', { name: 'Pods' }).waitFor()
    await page.getByRole('textbox', { name: 'Name' }).fill(podName)
    await page.waitForURL((u) => u.searchParams.get('name') === podName)
    await expect.poll(() => page.locator('[data-pod-id]').count(), SLOW).toBe(1)
    expect(await page.getByTestId('pod-status').textContent()).toBe('RUNNING')
    await checkPage('pods')
    await page.getByRole('button', { name: 'Switch to dark theme' }).click()
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark')
    await checkPage('pods-dark')
    await page.getByRole('button', { name: 'Switch to light theme' }).click()
    // Half a laptop screen: the navigation folds behind a burger, the page stays usable.
    await page.setViewportSize({ width: 640, height: 800 })
    await page.getByRole('button', { name: 'Toggle navigation' }).waitFor()
    await checkPage('pods-narrow')
    await page.setViewportSize({ width: 1280, height: 860 })
    // The same view from its URL alone, and a filter that matches nothing.
    await page.goto(`${url}/pods?name=${podName}&desiredStatus=EXITED`)
    await page.getByText('No pods match').waitFor()
    await page.goto(`${url}/pods?name=${podName}`)
    await expect.poll(() => page.locator('[data-pod-id]').count(), SLOW).toBe(1)
  })

  it('stops and then deletes the pod after confirmation', async () => {
    await page.getByRole('checkbox', { name: `Select ${podName}` }).check()
    await page.getByRole('button', { name: 'Stop', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Stop' }).click()
    await expect.poll(() => page.getByTestId('pod-status').textContent(), SLOW).toBe('EXITED')
    await page.getByRole('checkbox', { name: `Select ${podName}` }).check()
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('dialog').waitFor()
    await checkPage('confirm-delete')
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await page.getByText('No pods match').waitFor({ timeout: 30_000 })
  })

  it('manages templates, network volumes, registry auths and endpoints, and charts the spend', async () => {
    const nav = page.getByRole('navigation')
    await nav.getByRole('link', { name: 'Templates' }).click()
    await page.getByRole('cell', { name: 'console-template', exact: true }).waitFor()
    await page.getByRole('button', { name: 'New template' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await dialog.getByText('Name is required').waitFor()
    await checkPage('template-form')
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('ui-template')
    await dialog.getByRole('textbox', { name: /^Image/ }).fill('runpod/base:0.6.2')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('cell', { name: 'ui-template', exact: true }).waitFor()
    await checkPage('templates')
    await page.getByRole('button', { name: 'Edit ui-template' }).click()
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('ui-template-2')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('cell', { name: 'ui-template-2', exact: true }).waitFor()
    await page.getByRole('button', { name: 'Delete ui-template-2' }).click()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await expect
      .poll(() => page.getByRole('cell', { name: 'ui-template-2', exact: true }).count(), SLOW)
      .toBe(0)

    await nav.getByRole('link', { name: 'Network volumes' }).click()
    await page.getByText('No network volumes yet.').waitFor()
    await page.getByRole('button', { name: 'New network volume' }).click()
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('datasets')
    await dialog.getByRole('combobox', { name: /^Data center/ }).fill('EU-RO-1')
    await page.getByRole('option', { name: 'EU-RO-1' }).click()
    await dialog.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('cell', { name: 'datasets', exact: true }).waitFor()
    await checkPage('network-volumes')

    await nav.getByRole('link', { name: 'Registry auths' }).click()
    await page.getByRole('button', { name: 'New registry auth' }).click()
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('ghcr')
    await dialog.getByRole('textbox', { name: /^Username/ }).fill('me')
    await dialog.getByRole('textbox', { name: /^Password/ }).fill('secret')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('cell', { name: 'ghcr', exact: true }).waitFor()
    await checkPage('registry-auths')

    await nav.getByRole('link', { name: 'Serverless' }).click()
    await page.getByText('No serverless endpoints yet.').waitFor()
    await page.getByRole('button', { name: 'New endpoint' }).click()
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('inference')
    await dialog.getByRole('combobox', { name: /^Template/ }).click()
    await page.getByRole('option', { name: 'worker-template' }).click()
    await dialog.getByRole('combobox', { name: /^GPU type/ }).fill(gpuName)
    await page.getByRole('option', { name: gpuName, exact: true }).click()
    await dialog.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('cell', { name: 'inference', exact: true }).waitFor()
    await checkPage('endpoints')
    await page.getByRole('button', { name: 'Delete inference' }).click()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('No serverless endpoints yet.').waitFor()

    // The pod ran for a few seconds: its spend shows by GPU type and by pod.
    await nav.getByRole('link', { name: 'Billing' }).click()
    await page.getByRole('heading', { name: 'Billing' }).waitFor()
    await page.getByRole('img', { name: /^Spend per day by GPU type: \$/ }).waitFor()
    expect(await page.getByRole('cell', { name: gpuTypeId, exact: true }).count()).toBe(1)
    await checkPage('billing')
    // A chosen range: a backwards one is refused next to the field; a range before the pod shows none.
    await page.getByLabel('From').fill('2020-01-10')
    await page.getByLabel('Until').fill('2020-01-01')
    await page.getByText('The range must end on or after the day it starts.').waitFor()
    await page.getByLabel('Until').fill('2020-01-31')
    await page.getByText('No spend in this range.').first().waitFor()
    await page.getByLabel('From').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10))
    await page.getByLabel('Until').fill(new Date().toISOString().slice(0, 10))
    await page.getByRole('img', { name: /^Spend per day by GPU type: \$/ }).waitFor()
  })

  it('keeps ten thousand pods scrollable with only the visible rows in the page', async () => {
    const pods = Array.from({ length: 10_000 }, (_, i) => ({
      id: `pod${String(i).padStart(5, '0')}`,
      name: `bulk-${String(i).padStart(5, '0')}`,
      desiredStatus: i % 3 === 0 ? 'EXITED' : 'RUNNING',
      publicIp: i % 3 === 0 ? null : '10.0.0.1',
      portMappings: i % 3 === 0 ? null : { 22: 20000 + i },
      ports: ['22/tcp'],
      image: 'runpod/base:0.6.2',
      adjustedCostPerHr: 0.69,
      costPerHr: 0.69,
      lastStatusChange: 'Rented by User',
      gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1, displayName: 'RTX 4090' },
      machine: { dataCenterId: 'EU-RO-1' },
    }))
    await page.route(/\/v1\/pods(\?|$)/, (route) =>
      route.request().method() === 'GET' ? route.fulfill({ json: pods }) : route.fallback(),
    )
    try {
      await page.goto(`${url}/pods`)
      await page.getByText('10000 pods').waitFor()
      const rendered = await page.locator('[data-pod-id]').count()
      expect(rendered).toBeGreaterThan(5)
      expect(rendered).toBeLessThan(100)
      await page.getByRole('button', { name: 'Name' }).click() // sort by name, descending on a second click
      await page.getByRole('button', { name: 'Name' }).click()
      await page.getByRole('link', { name: 'bulk-09999', exact: true }).waitFor()
      await page.getByRole('region', { name: 'Pods table' }).evaluate((el) => {
        el.scrollTop = el.scrollHeight
      })
      await page.getByRole('link', { name: 'bulk-00000', exact: true }).waitFor()
      expect(await page.locator('[data-pod-id]').count()).toBeLessThan(100)
      await page.getByRole('checkbox', { name: 'Select all pods' }).check()
      await page.getByText('10000 pods, 10000 selected').waitFor()
      await screenshot(page, 'pods-10k')
    } finally {
      await page.unroute(/\/v1\/pods(\?|$)/)
    }
  })

  it('signs out, clearing the key; an admin key unlocks the fleet, where cordoning a GPU type takes it off the create page', async () => {
    await page.goto(`${url}/pods`)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('API key').waitFor()
    expect(
      await page.evaluate(() => (globalThis as any).sessionStorage.getItem('podplane.apiKey')),
    ).toBeNull()
    await page.getByLabel('API key').fill(adminKey)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Fleet' }).click()
    await page.getByRole('heading', { name: 'Fleet' }).waitFor()
    await page.getByRole('img', { name: /^GPU utilization by data center\. / }).waitFor()
    await page.getByRole('img', { name: /^GPU utilization by GPU type\. / }).waitFor()
    const row = page.locator('[data-machine-id]').first()
    const machineId = await row.getAttribute('data-machine-id')
    await row.getByRole('button', { name: `cordon ${machineId}`, exact: true }).click()
    await expect.poll(() => row.getByTestId('machine-state').textContent(), SLOW).toBe('cordoned')
    await checkPage('fleet')
    await row.getByRole('button', { name: `uncordon ${machineId}` }).click()
    await expect.poll(() => row.getByTestId('machine-state').textContent(), SLOW).toBe('ready')

    // Cordoning every machine of a GPU type takes it off the create page's offer.
    const res = await fetch(`${url}/admin/v1/machines`, { headers: { authorization: `Bearer ${adminKey}` } })
    const machines = (await res.json()) as { id: string; gpuTypeId: string | null; secureCloud: boolean }[]
    const byType = new Map<string, typeof machines>()
    for (const m of machines.filter((m) => m.gpuTypeId && m.secureCloud))
      byType.set(m.gpuTypeId!, [...(byType.get(m.gpuTypeId!) ?? []), m])
    const [gpu, hosts] = [...byType.entries()].sort((a, b) => a[1].length - b[1].length)[0]!
    await page.getByRole('navigation').getByRole('link', { name: 'Create pod' }).click()
    const badge = page.getByTestId(`availability-${gpu}`)
    await expect.poll(() => badge.textContent(), SLOW).not.toBe('NONE')
    await page.getByRole('navigation').getByRole('link', { name: 'Fleet' }).click()
    for (const host of hosts) {
      const hostRow = page.locator(`[data-machine-id="${host.id}"]`)
      await hostRow.getByRole('button', { name: `cordon ${host.id}`, exact: true }).click()
      await expect.poll(() => hostRow.getByTestId('machine-state').textContent(), SLOW).toBe('cordoned')
    }
    await page.getByRole('navigation').getByRole('link', { name: 'Create pod' }).click()
    await expect.poll(() => badge.textContent(), SLOW).toBe('NONE')
    // Asking for it anyway gets the server's own refusal, shown as it is.
    await page.getByRole('textbox', { name: /^Container image/ }).fill('runpod/base:0.6.2')
    await page.getByRole('radio', { name: gpu }).check()
    await page.getByRole('button', { name: 'Create pod' }).click()
    const refusal = page.getByRole('alert').filter({ hasText: 'The pod was not created' })
    await expect.poll(() => refusal.textContent(), SLOW).toMatch(/instance|capacity|available/i)
    await checkPage('create-pod-refused')
  })
})
