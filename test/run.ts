/**
 * `npm test`: every test suite in turn, then one closing line `N passed, M failed`.
 *
 * Elasticsearch is ensured once (or taken from ELASTICSEARCH_URL) and handed to every suite
 * through ELASTICSEARCH_URL. A suite that is missing, crashes, or runs no test counts as one
 * failure, so the closing line never looks green when something did not run.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { ensureElasticsearch, stopElasticsearch } from "../proxy/dev/elasticsearch.ts";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Suite {
  name: string;
  /** The suite exists when this path does. */
  path: string;
  /** True: skipped while `path` is missing. False: a missing suite is a failure. */
  optional: boolean;
  command: string[];
  /** Removes a previous run's report, so stale counts are never read. */
  reset?: () => void;
  /** Reads the counts after the run, from a report file or the captured output. */
  counts: (output: string) => Counts | undefined;
}

const root = resolve(import.meta.dirname, "..");
const reports = join(root, "test-results");
const vitestBin = join(root, "node_modules", "vitest", "vitest.mjs");
const wtrBin = join(root, "node_modules", "@web", "test-runner", "dist", "bin.js");

function vitestSuite(project: string, path: string, optional = false): Suite {
  const report = join(reports, `vitest-${project}.json`);
  return {
    name: project,
    path,
    optional,
    command: [
      vitestBin,
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    reset: () => rmSync(report, { force: true }),
    counts: () => {
      if (!existsSync(report)) return undefined;
      const json = JSON.parse(readFileSync(report, "utf8")) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      };
      return {
        passed: json.numPassedTests,
        failed: json.numFailedTests,
        skipped: json.numPendingTests + json.numTodoTests,
      };
    },
  };
}

/** Sums web-test-runner's last progress line per browser: `Chromium: |██| 2/2 test files | 5 passed, 0 failed`. */
function wtrCounts(output: string): Counts | undefined {
  const plain = stripVTControlCharacters(output);
  const perBrowser = new Map<string, Counts>();
  const line = /^(.+?):\s.*\d+\/\d+ test files \| (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/gm;
  for (const match of plain.matchAll(line)) {
    perBrowser.set(match[1] ?? "", {
      passed: Number(match[2]),
      failed: Number(match[3]),
      skipped: Number(match[4] ?? 0),
    });
  }
  if (perBrowser.size === 0) return undefined;
  return [...perBrowser.values()].reduce((sum, counts) => ({
    passed: sum.passed + counts.passed,
    failed: sum.failed + counts.failed,
    skipped: sum.skipped + counts.skipped,
  }));
}

const wtrConfig = "test/widget/web-test-runner.config.ts";

/** The suites, in the order they run. Adding a suite is one line. */
const suites: Suite[] = [
  vitestSuite("proxy", "test/proxy"),
  vitestSuite("worker", "test/worker"),
  {
    name: "widget",
    path: wtrConfig,
    optional: false,
    command: [wtrBin, "--config", wtrConfig],
    counts: wtrCounts,
  },
  vitestSuite("package", "test/package"),
  vitestSuite("ssr", "test/ssr"),
  vitestSuite("e2e", "test/e2e", true),
];

interface Outcome {
  name: string;
  counts: Counts;
  note: string;
  ok: boolean;
}

function runCommand(
  command: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun, reject) => {
    // The same Node runs every suite, whatever `node` the PATH would find.
    const child = spawn(process.execPath, command, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => resolveRun({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function runSuite(suite: Suite, env: NodeJS.ProcessEnv): Promise<Outcome | undefined> {
  const none = { passed: 0, failed: 0, skipped: 0 };
  if (!existsSync(join(root, suite.path))) {
    if (suite.optional) return undefined;
    return { name: suite.name, counts: none, note: `missing (${suite.path})`, ok: false };
  }
  console.log(`\n━━ ${suite.name} ━━ ${suite.command.slice(1).join(" ")}`);
  suite.reset?.();
  const started = performance.now();
  const { code, output } = await runCommand(suite.command, env);
  const duration = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const counts = suite.counts(output);
  if (!counts) {
    return { name: suite.name, counts: none, note: `reported no counts, exit ${code}`, ok: false };
  }
  const total = counts.passed + counts.failed;
  if (total === 0) return { name: suite.name, counts, note: "ran no tests", ok: false };
  if (code !== 0 && counts.failed === 0) {
    return { name: suite.name, counts, note: `exit ${code} without a failed test`, ok: false };
  }
  return { name: suite.name, counts, note: duration, ok: code === 0 };
}

async function main(): Promise<number> {
  const elasticsearch = await ensureElasticsearch();
  console.log(`Elasticsearch ${elasticsearch.version} at ${elasticsearch.url}`);
  mkdirSync(reports, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ELASTICSEARCH_URL: elasticsearch.url,
    PATH: [join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  };
  const outcomes: Outcome[] = [];
  try {
    for (const suite of suites) {
      const outcome = await runSuite(suite, env);
      if (outcome) outcomes.push(outcome);
    }
  } finally {
    // CI leaves nothing running; locally the node stays up so the next run is fast.
    if (elasticsearch.started && process.env.CI) await stopElasticsearch();
  }

  let passed = 0;
  let failed = 0;
  console.log("");
  for (const { name, counts, note, ok } of outcomes) {
    // A suite that failed without a failed test (missing, crashed, empty) counts as one failure.
    const suiteFailed = counts.failed || (ok ? 0 : 1);
    passed += counts.passed;
    failed += suiteFailed;
    const skipped = counts.skipped ? `, ${counts.skipped} skipped` : "";
    console.log(
      `${name}: ${counts.passed} passed, ${counts.failed} failed${skipped} (${ok ? "" : "FAILED: "}${note})`,
    );
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error((error as Error).message);
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
}
