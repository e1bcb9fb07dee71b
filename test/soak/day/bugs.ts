/**
 * Deliberate bugs, one per invariant, applied by the harness only (never in src/): each must make the
 * run exit 1 naming its invariant, which proves the invariant can fail. `npm run soak:day:prove` runs
 * a short day with each.
 */
export const BUGS = ['drop-record', 'registration-42', 'rest-21', 'second-session', 'stale-view'] as const;
export type BugName = (typeof BUGS)[number];

/** The invariant each bug must trip (the name printed in the violation and the summary). */
export const BUG_INVARIANT: Readonly<Record<BugName, string>> = {
  'drop-record': 'no-loss',
  'registration-42': 'registrations<=41',
  'rest-21': 'rest-rate',
  'second-session': 'one-session-per-appkey',
  'stale-view': 'view-equals-model',
};
