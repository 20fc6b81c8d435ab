import { expect, test } from "vitest";
import { lasting } from "../../src/ruleset/lasting.js";

test("lasting gives the first n items in a new array, whatever n", () => {
  const list = ["a", "b", "c", "d", "e", "f"];
  for (let n = 0; n <= list.length; n++) {
    const kept = lasting(list, n);
    expect(kept).toEqual(list.slice(0, n));
    expect(kept).not.toBe(list);
  }
});
