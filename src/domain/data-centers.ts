/** RunPod's continental regions for data centers. */
export const DATA_CENTER_REGIONS = [
  'NORTH_AMERICA',
  'SOUTH_AMERICA',
  'EUROPE',
  'ASIA',
  'MIDDLE_EAST',
  'AFRICA',
  'OCEANIA',
  'ANTARCTICA',
  'UNKNOWN',
] as const
export type DataCenterRegion = (typeof DATA_CENTER_REGIONS)[number]

export const NETWORK_VOLUME_TYPES = ['STANDARD', 'HIGH_PERFORMANCE'] as const
export type NetworkVolumeType = (typeof NETWORK_VOLUME_TYPES)[number]

export const COMPLIANCE = [
  'GDPR',
  'ISO_IEC_27001',
  'ISO_14001',
  'PCI_DSS',
  'HITRUST',
  'SOC_1_TYPE_2',
  'SOC_2_TYPE_2',
  'SOC_3_TYPE_2',
  'ITAR',
  'FISMA_HIGH',
  'HIPAA',
  'RENEWABLE',
] as const
export type Compliance = (typeof COMPLIANCE)[number]

/** ISO 3166-1 alpha-2 codes by region; a country missing here is UNKNOWN. */
const COUNTRIES: Record<Exclude<DataCenterRegion, 'UNKNOWN'>, string> = {
  NORTH_AMERICA: 'US CA MX GT BZ SV HN NI CR PA CU DO HT JM BS BB TT PR GL BM',
  SOUTH_AMERICA: 'AR BO BR CL CO EC GY PE PY SR UY VE',
  EUROPE:
    'AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM UA VA XK',
  ASIA: 'AF AM AZ BD BN BT CN GE HK ID IN JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ TL TM TW UZ VN',
  MIDDLE_EAST: 'AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE',
  AFRICA:
    'AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TN TZ UG ZA ZM ZW',
  OCEANIA: 'AU NZ FJ PG SB VU WS TO KI FM MH NR PW TV NC PF GU',
  ANTARCTICA: 'AQ',
}

const REGION_OF = new Map<string, DataCenterRegion>(
  Object.entries(COUNTRIES).flatMap(([region, codes]) =>
    codes.split(' ').map((code) => [code, region as DataCenterRegion]),
  ),
)

/** @example regionOf('RO') // 'EUROPE' */
export function regionOf(countryCode: string): DataCenterRegion {
  return REGION_OF.get(countryCode.toUpperCase()) ?? 'UNKNOWN'
}

/** Network volume tiers every data center offers: podplane's volumes come in one tier. */
export const OFFERED_VOLUME_TYPES: readonly NetworkVolumeType[] = ['STANDARD']
