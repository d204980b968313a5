import type { Clock } from '../clock.js'
import { newCuid } from '../ids.js'
import { isUniqueViolation } from '../store/errors.js'
import type { Store } from '../store/store.js'
import { badRequest, notFound } from './errors.js'
import type { RegistryAuth } from './resources.js'
import type { SecretBox } from './secret-box.js'

export const registryAuthNotFound = () => notFound('container registry auth')

/** Credentials for private registries. The password is sealed at rest and never leaves in a response. */
export class RegistryAuthService {
  constructor(private readonly o: { store: Store; clock: Clock; secrets: SecretBox }) {}

  list(userId: string): Promise<RegistryAuth[]> {
    return this.o.store.registryAuths.list(userId)
  }

  async get(userId: string, id: string): Promise<RegistryAuth> {
    const auth = await this.o.store.registryAuths.get(userId, id)
    if (!auth) throw registryAuthNotFound()
    return auth
  }

  async create(
    userId: string,
    input: { name: string; username: string; password: string },
  ): Promise<RegistryAuth> {
    const taken = () => badRequest(`name: you already have a container registry auth named "${input.name}"`)
    if (await this.o.store.registryAuths.nameTaken(userId, input.name)) throw taken()
    const auth: RegistryAuth = {
      id: newCuid(),
      userId,
      name: input.name,
      username: input.username,
      createdAt: this.o.clock.now(),
    }
    await this.o.store.registryAuths.insert(auth, this.o.secrets.seal(input.password)).catch((error) => {
      throw isUniqueViolation(error) ? taken() : error
    })
    return auth
  }

  /**
   * Refused while a live pod pulls with it. Templates do not hold it back (RunPod's rule): they
   * lose the reference and pull anonymously from then on.
   */
  async delete(userId: string, id: string): Promise<void> {
    await this.get(userId, id)
    const pods = await this.o.store.registryAuths.podsUsing(userId, id)
    if (pods.length > 0) throw badRequest(`container registry auth ${id} is in use by pod ${pods.join(', ')}`)
    await this.o.store.transaction(async (tx) => {
      await tx.templates.detachRegistryAuth(userId, id)
      await tx.registryAuths.delete(userId, id)
    })
  }

  /** The clear password, for the runtime pulling an image at this moment; never stored or logged. */
  async password(userId: string, id: string): Promise<string> {
    const sealed = await this.o.store.registryAuths.sealedPassword(userId, id)
    if (sealed === undefined) throw registryAuthNotFound()
    return this.o.secrets.open(sealed)
  }
}
