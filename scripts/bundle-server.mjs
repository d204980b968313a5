// Bundles the compiled CLI (dist/cli/main.js) and its pure-JS dependencies into one ESM file,
// dist/podplane.mjs, which `npm start` runs. Loading ~600 small ES modules (typebox and kysely
// alone are ~0.4 s) was most of podplane's start-up; one file parses in a fraction of that.
// Native and file-serving packages stay external: better-sqlite3 loads a .node binary, and the
// static/docs plugins read files next to their own code.
import { build } from 'esbuild'

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/podplane.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['better-sqlite3', 'pg-native', '@fastify/swagger-ui', '@fastify/static', 'dockerode'],
  // Bundled CommonJS packages call require(); give them one.
  banner: {
    js: "import { createRequire as __podplaneRequire } from 'node:module'; const require = __podplaneRequire(import.meta.url);",
  },
})
