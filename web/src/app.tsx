import {
  ActionIcon,
  AppShell,
  Burger,
  Button,
  Group,
  NavLink,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { useQueryClient } from '@tanstack/react-query'
import { lazy, type ReactNode, Suspense } from 'react'
import { useAuth } from './auth.js'
import { Loading } from './components/states.js'
import { PodsPage } from './pages/pods.js'
import { SignInPage } from './pages/sign-in.js'
import { Link, matchPath, navigate, usePath } from './router.js'

// The pods list is the page people open first; the others (and echarts) load on demand.
const CreatePodPage = lazy(() => import('./pages/create-pod.js').then((m) => ({ default: m.CreatePodPage })))
const PodDetailPage = lazy(() => import('./pages/pod-detail.js').then((m) => ({ default: m.PodDetailPage })))
const FleetPage = lazy(() => import('./pages/fleet.js'))
const BillingPage = lazy(() => import('./pages/billing.js'))
const resources = () => import('./pages/resources.js')
const TemplatesPage = lazy(() => resources().then((m) => ({ default: m.TemplatesPage })))
const NetworkVolumesPage = lazy(() => resources().then((m) => ({ default: m.NetworkVolumesPage })))
const RegistryAuthsPage = lazy(() => resources().then((m) => ({ default: m.RegistryAuthsPage })))
const EndpointsPage = lazy(() => resources().then((m) => ({ default: m.EndpointsPage })))

interface NavItem {
  readonly href: string
  readonly label: string
  readonly admin?: boolean
}

const NAV: readonly NavItem[] = [
  { href: '/pods', label: 'Pods' },
  { href: '/pods/new', label: 'Create pod' },
  { href: '/templates', label: 'Templates' },
  { href: '/network-volumes', label: 'Network volumes' },
  { href: '/registry-auths', label: 'Registry auths' },
  { href: '/endpoints', label: 'Serverless' },
  { href: '/billing', label: 'Billing' },
  { href: '/fleet', label: 'Fleet', admin: true },
]

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme()
  const scheme = useComputedColorScheme('light')
  const next = scheme === 'dark' ? 'light' : 'dark'
  return (
    <ActionIcon
      variant="default"
      size="lg"
      onClick={() => setColorScheme(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
    >
      <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
    </ActionIcon>
  )
}

function route(path: string, isAdmin: boolean): ReactNode {
  if (path === '/' || path === '/pods') return <PodsPage />
  if (path === '/pods/new') return <CreatePodPage />
  const pod = matchPath('/pods/:podId', path)
  if (pod) return <PodDetailPage podId={pod.podId!} />
  if (path === '/templates') return <TemplatesPage />
  if (path === '/network-volumes') return <NetworkVolumesPage />
  if (path === '/registry-auths') return <RegistryAuthsPage />
  if (path === '/endpoints') return <EndpointsPage />
  if (path === '/billing') return <BillingPage />
  if (path === '/fleet' && isAdmin) return <FleetPage />
  return (
    <Text>
      Nothing here. <Link href="/pods">Go to your pods</Link>.
    </Text>
  )
}

/** The shell: header with theme toggle and sign-out, navigation, and the page for the URL. */
export function App() {
  const { session, signOut } = useAuth()
  const path = usePath()
  const queryClient = useQueryClient()
  const [opened, { toggle, close }] = useDisclosure()
  if (!session) return <SignInPage />

  const out = () => {
    signOut()
    queryClient.clear()
    navigate('/')
  }
  const current = (href: string) =>
    href === '/pods' ? path === '/' || (path.startsWith('/pods') && path !== '/pods/new') : path === href
  return (
    <AppShell
      id="app"
      header={{ height: 56 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={1} size="h3">
              podplane
            </Title>
            {session.isAdmin && (
              <Text size="sm" c="dimmed">
                admin
              </Text>
            )}
          </Group>
          <Group gap="sm">
            <ThemeToggle />
            <Button variant="default" onClick={out}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV.filter((item) => !item.admin || session.isAdmin).map((item) => (
          <NavLink
            key={item.href}
            component={Link}
            href={item.href}
            label={item.label}
            active={current(item.href)}
            variant="filled"
            aria-current={current(item.href) ? 'page' : undefined}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{route(path, session.isAdmin)}</Suspense>
      </AppShell.Main>
    </AppShell>
  )
}
