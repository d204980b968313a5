import '@mantine/core/styles.css'
import {
  Badge,
  type CSSVariablesResolver,
  createTheme,
  localStorageColorSchemeManager,
  MantineProvider,
} from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.js'
import { AuthProvider, restoreSession } from './auth.js'

// Shade 8 keeps white button labels above 4.5:1 contrast (WCAG AA).
// Badges keep their tinted background as the cue and the body text colour for contrast.
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
  respectReducedMotion: true,
  components: {
    Badge: Badge.extend({ vars: () => ({ root: { '--badge-color': 'var(--mantine-color-text)' } }) }),
  },
})
// Mantine's default dimmed grey and error red are under WCAG AA contrast on white; one step darker (lighter on dark) meets it.
const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9] },
  dark: { '--mantine-color-dimmed': t.colors.dark[1], '--mantine-color-error': t.colors.red[4] },
})
const colorSchemeManager = localStorageColorSchemeManager({ key: 'podplane.colorScheme' })
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 1_000 } },
})

const root = document.getElementById('root')!
restoreSession().then((session) => {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider
        theme={theme}
        colorSchemeManager={colorSchemeManager}
        cssVariablesResolver={cssVariablesResolver}
        defaultColorScheme="auto"
      >
        <QueryClientProvider client={queryClient}>
          <AuthProvider initial={session}>
            <App />
          </AuthProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  )
})
