import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { useAuth } from '../auth.js'
import { errorMessage } from '../format.js'

/** Sign in with an API key (`podplane keys create --user <id>` makes one). */
export function SignInPage() {
  const { signIn } = useAuth()
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!key.trim()) {
      setError('Enter an API key')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await signIn(key.trim())
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h2">
              Sign in to podplane
            </Title>
            <Text size="sm" c="dimmed">
              Use an API key. Make one with <code>npm run -s podplane -- keys create --user you</code>. The
              key stays in this tab’s session storage.
            </Text>
            <PasswordInput
              label="API key"
              value={key}
              onChange={(event) => setKey(event.currentTarget.value)}
              autoFocus
              autoComplete="off"
              error={error && !key.trim() ? error : undefined}
            />
            {error && key.trim() && (
              <Alert color="red" role="alert" title="Sign-in failed">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  )
}
