/**
 * The Elasticsearch distribution: Maven Central's integ-test zip (the one Elastic's own REST
 * tests use), fetched with `mvn` once and unpacked into the manager's folder.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { seconds } from "../elapsed.ts";
import { managerHome } from "./folders.ts";
import { log } from "./log.ts";

/** Newest first. Maven Central's metadata does not list 9.x, so these were checked one by one. */
const CANDIDATE_VERSIONS = [
  "9.5.4",
  "9.5.3",
  "9.5.2",
  "9.5.0",
  "9.4.5",
  "9.4.3",
  "9.3.2",
  "9.2.8",
  "9.2.4",
  "9.1.0",
  "9.0.0",
];

export interface Distribution {
  version: string;
  /** The unpacked folder, holding `bin/elasticsearch` and the default `config/`. */
  dir: string;
}

function candidateVersions(): string[] {
  const requested = process.env.ES_VERSION;
  return requested ? requested.split(/[\s,]+/).filter(Boolean) : CANDIDATE_VERSIONS;
}

function unpacked(version: string): Distribution | undefined {
  const dir = join(managerHome, `elasticsearch-${version}`);
  return existsSync(join(dir, "bin", "elasticsearch")) ? { version, dir } : undefined;
}

/** The newest candidate already unpacked, else the first one Maven resolves, fetched and unpacked. */
export function obtainDistribution(): Distribution {
  const candidates = candidateVersions();
  for (const version of candidates) {
    const found = unpacked(version);
    if (found) return found;
  }
  if (spawnSync("mvn", ["-v"]).status !== 0) {
    throw new Error(
      "Maven (`mvn`) is needed to fetch the Elasticsearch distribution: install it (Debian: " +
        "`apt-get install maven`), or set ELASTICSEARCH_URL to use a running cluster.",
    );
  }
  const downloads = join(managerHome, "downloads");
  mkdirSync(downloads, { recursive: true });
  for (const version of candidates) {
    const artifact = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`;
    log(`fetching ${artifact} through Maven (this may take a minute on first use)`);
    const started = performance.now();
    // Batch mode when not on a terminal keeps logs readable; on a terminal Maven shows progress.
    const args = [
      ...(process.stdout.isTTY ? [] : ["-B", "-Dstyle.color=never"]),
      "dependency:copy",
      `-Dartifact=${artifact}`,
      `-DoutputDirectory=${downloads}`,
    ];
    const result = spawnSync("mvn", args, { stdio: "inherit" });
    // Maven ends its output with colour resets but no newline.
    process.stdout.write("\n");
    const zip = join(downloads, `elasticsearch-${version}.zip`);
    if (result.status !== 0 || !existsSync(zip)) {
      log(`Elasticsearch ${version} did not resolve; trying the next candidate`);
      continue;
    }
    log(`fetched Elasticsearch ${version} in ${seconds(started)}`);
    log(`unpacking into ${managerHome}`);
    const unzip = spawnSync("unzip", ["-q", "-o", zip, "-d", managerHome], { stdio: "inherit" });
    if (unzip.error || unzip.status !== 0) {
      throw new Error(
        `Could not unpack ${zip}: install \`unzip\` (Debian: \`apt-get install unzip\`).`,
      );
    }
    rmSync(zip);
    return unpacked(version) ?? { version, dir: join(managerHome, `elasticsearch-${version}`) };
  }
  throw new Error(
    `None of the Elasticsearch versions ${candidates.join(", ")} resolved through Maven. ` +
      "Check Maven's output above, set ES_VERSION, or set ELASTICSEARCH_URL.",
  );
}
