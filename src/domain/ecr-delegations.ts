import type { Clock } from '../clock.js'
import { newCuid } from '../ids.js'
import { isUniqueViolation } from '../store/errors.js'
import type { Store } from '../store/store.js'
import { badRequest, notFound } from './errors.js'
import type { EcrDelegation } from './resources.js'

/**
 * `arn:aws:ecr:us-east-2:418399314813:repository/runpod/deployment`, optionally ending in
 * `:<tag>` to delegate one tag (ARNs name repositories, not tags; the default tag is `latest`).
 */
const ECR_ARN =
  /^arn:(aws(?:-cn|-us-gov)?):ecr:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):repository\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$/

const DEFAULT_TAG = 'latest'

/** The host `docker login` uses for the delegated repository's registry. */
export function dockerRegistryUri(d: EcrDelegation): string {
  const domain = d.resource.startsWith('arn:aws-cn:') ? 'amazonaws.com.cn' : 'amazonaws.com'
  return `${d.awsAccount}.dkr.ecr.${d.awsRegion}.${domain}`
}

/** ECR delegations: the user's Amazon ECR repositories podplane may pull images from. */
export class EcrDelegationService {
  constructor(private readonly o: { store: Store; clock: Clock }) {}

  list(userId: string): Promise<EcrDelegation[]> {
    return this.o.store.ecrDelegations.list(userId)
  }

  async create(userId: string, input: { resource: string; name?: string | null }): Promise<EcrDelegation> {
    const match = ECR_ARN.exec(input.resource)
    if (!match) {
      throw badRequest(
        `resource: "${input.resource}" is not an ECR repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>)`,
      )
    }
    const [, , awsRegion, awsAccount, repository, tag] = match
    const delegation: EcrDelegation = {
      id: newCuid(),
      userId,
      name: input.name ?? null,
      resource: input.resource,
      awsAccount: awsAccount!,
      awsRegion: awsRegion!,
      repository: repository!,
      tag: tag ?? DEFAULT_TAG,
      createdAt: this.o.clock.now(),
    }
    await this.o.store.ecrDelegations.insert(delegation).catch((error) => {
      throw isUniqueViolation(error) ? badRequest(`resource: ${input.resource} is already delegated`) : error
    })
    return delegation
  }

  async revoke(userId: string, id: string): Promise<void> {
    if (!(await this.o.store.ecrDelegations.delete(userId, id))) throw notFound('delegation')
  }
}
