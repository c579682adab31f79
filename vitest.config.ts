import { defineConfig } from "vitest/config";

const globalSetup = ["test/support/elasticsearch-global-setup.ts"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "proxy",
          environment: "node",
          include: ["test/proxy/**/*.test.ts"],
          globalSetup,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "worker",
          environment: "node",
          include: ["test/worker/**/*.test.ts"],
          globalSetup,
          // Starting workerd through wrangler takes seconds on two cores.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One workerd at a time: parallel instances fight over two cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "package",
          environment: "node",
          include: ["test/package/**/*.test.ts"],
          // The proxy package's consumer runs against the real Elasticsearch.
          globalSetup,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "ssr",
          environment: "node",
          include: ["test/ssr/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup,
          // A page that renders from the real proxy takes seconds on two loaded cores;
          // vitest's default poll gives up after one.
          expect: { poll: { timeout: 15_000 } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
