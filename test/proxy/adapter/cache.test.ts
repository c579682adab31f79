import { describe, expect, test } from "vitest";
import { TtlCache } from "../../../proxy/src/adapter/cache.ts";

describe("the adapter's TTL cache", () => {
  test("serves an entry until its time to live has passed", () => {
    let now = 1_000;
    const cache = new TtlCache<string, number>({ ttlMs: 100, maxEntries: 10, clock: () => now });
    cache.set("a", 1);
    now += 99;
    expect(cache.get("a")).toBe(1);
    now += 1;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test("drops the least recently used entry when full", () => {
    const cache = new TtlCache<string, number>({ ttlMs: 60_000, maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  test("keeps nothing when sized to zero", () => {
    const cache = new TtlCache<string, number>({ ttlMs: 60_000, maxEntries: 0 });
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
  });
});
