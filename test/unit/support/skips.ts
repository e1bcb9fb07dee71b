/**
 * A test that cannot run where it is run (it needs root to start a process as another user, …) skips
 * with its reason: `skipBecause(this, why)` puts the reason in the test's title, so the run lists it as
 * pending and says why, and it is never counted as passing. Any other pending test (an `it.skip`,
 * `xit`, `describe.skip` or bare `this.skip()` left in the code) fails the run, as mocha's forbidPending
 * did, through the root hook below.
 */
const allowed = new WeakSet<Mocha.Runnable>();

/** Skips the running test, naming why in its title. */
export function skipBecause(context: Mocha.Context, reason: string): never {
  const test = context.test;
  if (test !== undefined) {
    test.title += ` (skipped: ${reason})`;
    allowed.add(test);
  }
  context.skip();
}

/** The pending tests under `suite` that no `skipBecause` allowed. */
function forbiddenPending(suite: Mocha.Suite): string[] {
  const own = suite.tests.filter((t) => t.isPending() && !allowed.has(t)).map((t) => t.fullTitle());
  return [...own, ...suite.suites.flatMap(forbiddenPending)];
}

export const mochaHooks = {
  afterAll(this: Mocha.Context): void {
    let root = this.test?.parent;
    while (root?.parent !== undefined) root = root.parent;
    const forbidden = root === undefined ? [] : forbiddenPending(root);
    if (forbidden.length > 0)
      throw new Error(`Pending test forbidden (skip only through skipBecause, with a reason): ${forbidden.join('; ')}`);
  },
};
