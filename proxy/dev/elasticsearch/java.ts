/** The JDK Elasticsearch runs on: the integ-test distribution bundles none. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const MIN_JAVA = 21;

function javaVersion(javaBin: string): number | undefined {
  const result = spawnSync(javaBin, ["-version"], { encoding: "utf8" });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  // Java 8 and older report "1.8".
  return match[1] === "1" ? Number(match[2]) : Number(match[1]);
}

export interface JavaHome {
  javaHome: string;
  version: number;
}

/** ES_JAVA_HOME when set, else the newest JDK ≥ 21 under /usr/lib/jvm. */
export function findJavaHome(): JavaHome {
  const explicit = process.env.ES_JAVA_HOME;
  if (explicit) {
    const version = javaVersion(join(explicit, "bin", "java"));
    if (version === undefined) throw new Error(`ES_JAVA_HOME=${explicit} has no working bin/java`);
    if (version < MIN_JAVA) {
      throw new Error(`ES_JAVA_HOME=${explicit} is Java ${version}; need ${MIN_JAVA}+`);
    }
    return { javaHome: explicit, version };
  }
  const jvmDir = "/usr/lib/jvm";
  const found: JavaHome[] = [];
  for (const name of existsSync(jvmDir) ? readdirSync(jvmDir) : []) {
    const javaHome = join(jvmDir, name);
    if (!existsSync(join(javaHome, "bin", "java"))) continue;
    const version = javaVersion(join(javaHome, "bin", "java"));
    if (version !== undefined && version >= MIN_JAVA) found.push({ javaHome, version });
  }
  found.sort((a, b) => b.version - a.version);
  const newest = found[0];
  if (newest) return newest;
  throw new Error(
    `No JDK ${MIN_JAVA} or newer found under ${jvmDir}. Install one (for example a Temurin or ` +
      `OpenJDK ${MIN_JAVA}+ package) or set ES_JAVA_HOME, or point ELASTICSEARCH_URL at a running cluster.`,
  );
}
