import { describe, expect, it } from 'vitest'
import type { V1, V2 } from '../../src/client/index.js'
import { spendByDay } from '../../web/src/pages/billing-data.js'
import { filtersFromSearch, withFilter } from '../../web/src/pages/pod-filters.js'
import {
  applyTemplate,
  EMPTY_FORM,
  hourlyCost,
  parseEnv,
  podCreateInput,
  validatePodForm,
} from '../../web/src/pages/pod-form.js'

describe('pods page filters in the URL', () => {
  it('reads every v1 list filter, arrays as repeated keys, and ignores the rest', () => {
    const search = new URLSearchParams(
      'gpuTypeId=NVIDIA+A40&gpuTypeId=NVIDIA+L4&dataCenterId=EU-RO-1&desiredStatus=RUNNING&name=a&imageName=b' +
        '&templateId=t&networkVolumeId=v&endpointId=e&computeType=GPU&includeWorkers=true&junk=1',
    )
    expect(filtersFromSearch(search)).toEqual({
      gpuTypeId: ['NVIDIA A40', 'NVIDIA L4'],
      dataCenterId: ['EU-RO-1'],
      desiredStatus: 'RUNNING',
      name: 'a',
      imageName: 'b',
      templateId: 't',
      networkVolumeId: 'v',
      endpointId: 'e',
      computeType: 'GPU',
      includeWorkers: true,
    })
  })

  it('sets and clears one filter at a time', () => {
    let search = withFilter(new URLSearchParams('name=a'), 'gpuTypeId', ['x', 'y'])
    expect(search.toString()).toBe('name=a&gpuTypeId=x&gpuTypeId=y')
    search = withFilter(search, 'name', '')
    search = withFilter(search, 'includeWorkers', false)
    expect(search.toString()).toBe('gpuTypeId=x&gpuTypeId=y')
  })
})

const template = {
  id: 'tpl1',
  name: 'trainer',
  imageName: 'runpod/base:0.6.2',
  ports: ['8888/http', '22/tcp'],
  env: { A: 'b', URL: 'x=y' },
  containerDiskInGb: 30,
  volumeInGb: 5,
} as unknown as V1.Template

describe('create pod form', () => {
  it('pre-fills image, ports, env and disks from a template', () => {
    const form = applyTemplate(EMPTY_FORM, template)
    expect(form).toMatchObject({
      templateId: 'tpl1',
      imageName: 'runpod/base:0.6.2',
      ports: '8888/http, 22/tcp',
      env: 'A=b\nURL=x=y',
      containerDiskInGb: 30,
      volumeInGb: 5,
    })
    expect(parseEnv(form.env)).toEqual({ A: 'b', URL: 'x=y' })
  })

  it('names each bad field', () => {
    expect(validatePodForm(EMPTY_FORM)).toEqual({
      imageName: 'Enter an image, or pick a template',
      gpuTypeId: 'Pick a GPU type',
    })
    const errors = validatePodForm({
      ...EMPTY_FORM,
      imageName: 'x',
      gpuTypeId: 'g',
      gpuCount: 0,
      ports: '8888/http, 22',
      env: 'OK=1\nnope',
      containerDiskInGb: 0,
      volumeInGb: -1,
    })
    expect(Object.keys(errors).sort()).toEqual([
      'containerDiskInGb',
      'env',
      'gpuCount',
      'ports',
      'volumeInGb',
    ])
    expect(errors.ports).toContain('“22”')
  })

  it('sends a v1 create body; a network volume pins its data center', () => {
    const form = {
      ...applyTemplate(EMPTY_FORM, template),
      gpuTypeId: 'NVIDIA A40',
      gpuCount: 2,
      networkVolumeId: 'v1',
    }
    const volumes = [{ id: 'v1', name: 'data', size: 10, dataCenterId: 'EU-RO-1' }]
    expect(podCreateInput({ ...form, dataCenterIds: ['US-TX-3'] }, volumes)).toEqual({
      templateId: 'tpl1',
      imageName: 'runpod/base:0.6.2',
      computeType: 'GPU',
      gpuTypeIds: ['NVIDIA A40'],
      gpuCount: 2,
      cloudType: 'SECURE',
      ports: ['8888/http', '22/tcp'],
      env: { A: 'b', URL: 'x=y' },
      containerDiskInGb: 30,
      volumeInGb: 5,
      networkVolumeId: 'v1',
      dataCenterIds: ['EU-RO-1'],
    })
  })

  it('prices the GPUs for the chosen cloud and count', () => {
    const gpus = [{ id: 'g', price: { secure: 0.5, community: 0.25 } }] as unknown as V2.GpuType[]
    expect(hourlyCost({ ...EMPTY_FORM, gpuTypeId: 'g', gpuCount: 2 }, gpus)).toBe(1)
    expect(hourlyCost({ ...EMPTY_FORM, gpuTypeId: 'g', cloudType: 'COMMUNITY' }, gpus)).toBe(0.25)
    expect(hourlyCost({ ...EMPTY_FORM, gpuTypeId: 'other' }, gpus)).toBeNull()
  })
})

describe('billing charts', () => {
  it('turns billing records into spend per day per group, the biggest group first', () => {
    const records = [
      { amount: 1, time: '2026-11-01T00:00:00.000Z', gpuTypeId: 'A', diskSpaceBilledGb: 0 },
      { amount: 2, time: '2026-11-02T00:00:00.000Z', gpuTypeId: 'A', diskSpaceBilledGb: 0 },
      { amount: 5, time: '2026-11-02T00:00:00.000Z', gpuTypeId: 'B', diskSpaceBilledGb: 0 },
    ] as V1.BillingRecord[]
    expect(spendByDay(records, (r) => r.gpuTypeId ?? '')).toEqual({
      days: ['2026-11-01', '2026-11-02'],
      groups: [
        { name: 'B', values: [0, 5], total: 5 },
        { name: 'A', values: [1, 2], total: 3 },
      ],
    })
  })
})
