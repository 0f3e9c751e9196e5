import { defineConfig } from "vite";

// The host serves dist/ at "/"; during `npm run dev` API calls go to the local host on 7071.
const api = ["/account", "/scan", "/monitoring", "/links", "/datamap", "/connectors", "/healthz", "/devauth"];
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: { proxy: Object.fromEntries(api.map((p) => [p, "http://127.0.0.1:7071"])) },
});
