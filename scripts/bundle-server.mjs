// Bundles the compiled CLI (dist/cli/main.js) and its pure-JS dependencies into one ESM file,
// dist/podplane.mjs, which `npm start` runs. Loading ~600 small ES modules (typebox and kysely
// alone are ~0.4 s) was most of podplane's start-up; one file parses in a fraction of that.
// Native and file-serving packages stay external: better-sqlite3 loads a .node binary, and the
// static/docs plugins read files next to their own code.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

/**
 * pg asks whether it runs in a Cloudflare Worker by building a fetch `Response`, which on Node 20
 * (no `navigator`) loads Node's undici: ~35 ms of a PostgreSQL start-up. The bundle runs on Node
 * only, so pg's stream module becomes its Node half. A pg whose module no longer looks as expected
 * stops the build rather than be replaced blindly.
 */
const pgNodeStreams = {
  name: 'pg-node-streams',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, ({ path }) => {
      const original = readFileSync(path, 'utf8')
      if (!/function getNodejsStreamFuncs\(\)/.test(original) || !/isCloudflareRuntime\(\)/.test(original))
        throw new Error(`${path} changed: check that pg-node-streams still matches it`)
      return {
        loader: 'js',
        contents: `module.exports = {
  getStream: () => new (require('net').Socket)(),
  getSecureStream: (options) => require('tls').connect(options),
}`,
      }
    })
  },
}

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/podplane.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [pgNodeStreams],
  external: ['better-sqlite3', 'pg-native', '@fastify/swagger-ui', '@fastify/static', 'dockerode'],
  // Bundled CommonJS packages call require(); give them one.
  banner: {
    js: "import { createRequire as __podplaneRequire } from 'node:module'; const require = __podplaneRequire(import.meta.url);",
  },
})
