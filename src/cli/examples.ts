import type { Command } from 'commander'

/**
 * Examples for `--help` of commands that do not carry their own (`addHelpText` in the command's
 * module wins). Keyed by the command's path without `podplane`.
 */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  '': [
    'podplane config set key rpa_XXXX && podplane pods ls',
    'podplane pods create --image runpod/base:0.6.2 --gpu "NVIDIA A40" --wait',
    'podplane serve',
  ],
  'config set': [
    'podplane config set url http://gpu.internal:8080',
    'podplane --profile ci config set key rpa_XXXX',
  ],
  'config get': ['podplane config get url', 'export KEY=$(podplane config get key)'],
  'config view': ['podplane config view', 'PODPLANE_API_URL=http://other:8080 podplane config view -o json'],
  'config profiles': ['podplane config profiles'],
  'config use': ['podplane config use runpod'],
  'config rm': ['podplane config rm staging'],
  'pods ls': [
    'podplane pods ls',
    'podplane pods ls --gpu "NVIDIA A40","NVIDIA L40S" --dc EU-RO-1 --status RUNNING -o wide',
    'podplane pods ls --endpoint <endpointId> -o name',
  ],
  'pods get': ['podplane pods get <id>', 'podplane pods get <id> -o yaml'],
  'pods create': [
    'podplane pods create --image runpod/base:0.6.2 --gpu "NVIDIA GeForce RTX 4090" --gpu-count 2 --ports 22/tcp --wait',
    'podplane pods create --compute CPU --vcpus 4 --image python:3.12 --env MODE=batch',
    'podplane pods create -f pod.json --name override -o json',
  ],
  'pods stop': ['podplane pods stop <id> <id>', 'podplane pods stop --status RUNNING --dc EU-RO-1 --yes'],
  'pods start': ['podplane pods start <id>', 'podplane pods start --status EXITED --gpu "NVIDIA A40"'],
  'pods restart': ['podplane pods restart <id>'],
  'pods reset': ['podplane pods reset <id>'],
  'pods rm': ['podplane pods rm <id> --yes', 'podplane pods rm --status EXITED'],
  'pods watch': ['podplane pods watch', 'podplane pods watch --status RUNNING --interval 5s'],
  'pods logs': ['podplane pods logs <id>', 'podplane pods logs <id> -f --source container -t'],
  'pods ssh': ['podplane pods ssh <id>', 'podplane pods ssh <id> --print'],
  'templates ls': ['podplane templates ls', 'podplane templates ls --official --public -o wide'],
  'templates get': ['podplane templates get <id> -o json'],
  'volumes ls': ['podplane volumes ls -o wide'],
  'volumes get': ['podplane volumes get <id>'],
  'endpoints ls': ['podplane endpoints ls --workers'],
  'endpoints get': ['podplane endpoints get <id> -o yaml'],
  'registry-auths ls': ['podplane registry-auths ls'],
  'registry-auths get': ['podplane registry-auths get <id>'],
  serve: ['podplane serve', 'PORT=9000 PODPLANE_DB=postgres://podplane@db/podplane podplane serve'],
  keys: ['podplane keys create --user alice', 'podplane keys list --user alice'],
  'keys list': ['podplane keys list', 'podplane keys list --user alice'],
  'keys revoke': ['podplane keys revoke <keyId>'],
  fleet: ['podplane fleet seed --machines 10000', 'podplane fleet machines ls --dc US-TX-3'],
  'fleet machines': [
    'podplane fleet machines ls --state cordoned',
    'podplane fleet machines drain <id> --move',
  ],
  'fleet machines set': [
    'podplane fleet machines set <id> --price 2.49',
    'podplane fleet machines set <id> --maintenance-start 2026-12-01T02:00:00Z --maintenance-end 2026-12-01T04:00:00Z',
  ],
  'fleet machines cordon': ['podplane fleet machines cordon <id>'],
  'fleet machines uncordon': ['podplane fleet machines uncordon <id>'],
  'fleet machines recover': ['podplane fleet machines recover <id>'],
  'fleet machines drain': [
    'podplane fleet machines drain <id> --reason "kernel upgrade"',
    'podplane fleet machines drain <id> --move',
  ],
  'fleet machines fail': ['podplane fleet machines fail <id> --reason "PSU fault"'],
  'fleet machines rm': ['podplane fleet machines rm <id>'],
  'fleet join-token': [
    'podplane fleet join-token create --dc US-TX-3 --expires 24h',
    'podplane fleet join-token ls',
  ],
  'fleet datacenters': ['podplane fleet datacenters ls'],
  'fleet datacenters ls': ['podplane fleet datacenters ls -o json'],
  'fleet datacenters add': ['podplane fleet datacenters add EU-DE-1 --location Germany --country DE'],
  'fleet gpu-types': ['podplane fleet gpu-types ls'],
  'fleet gpu-types ls': ['podplane fleet gpu-types ls -o json'],
  'fleet gpu-types set-price': [
    'podplane fleet gpu-types set-price "NVIDIA A40" --secure 0.45 --secure-spot 0.25',
  ],
  db: ['podplane db migrate', 'podplane db backup backup.db'],
  'db migrate': ['podplane db migrate', 'PODPLANE_DB=postgres://podplane@db/podplane podplane db migrate'],
  'db status': ['podplane db status'],
  'db backup': ['podplane db backup /backups/podplane-$(date +%F).db'],
  users: ['podplane users ls', 'podplane users usage alice --since 2026-11-01T00:00:00Z'],
  'users ls': ['podplane users ls -o json'],
  'users disable': ['podplane users disable alice'],
  'users enable': ['podplane users enable alice'],
  'users rate-limits': [
    'podplane users rate-limits alice --minute 600 --day 100000',
    'podplane users rate-limits alice --minute default',
  ],
  'users usage': [
    'podplane users usage alice',
    'podplane users usage alice --since 2026-11-01T00:00:00Z --until 2026-11-28T00:00:00Z',
  ],
  'savings-plans': ['podplane savings-plans create --user alice --pod <podId> --term ONE_MONTH'],
  'savings-plans list': ['podplane savings-plans list --user alice --pod <podId>'],
  agent: [
    'podplane agent --server https://podplane.internal:8080 --token <joinToken>',
    'podplane agent --server http://10.0.0.5:8080 --docker-host unix:///run/podman/podman.sock --gpus "NVIDIA A40:4"',
  ],
}

/** Adds the examples above to every command of the tree that has some listed. */
export function addExamples(program: Command): void {
  const walk = (command: Command, path: string) => {
    const lines = EXAMPLES[path]
    if (lines) command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`)
    for (const sub of command.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name())
  }
  walk(program, '')
}
