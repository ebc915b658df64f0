/**
 * The dimensions every aggregate cell is keyed by. Reports group and filter by
 * rolling cells up over these. A `null` value means "not applicable" (an
 * abandoned contact has no agent; agent status time has no queue).
 */
export const DIMENSIONS = [
  'queue',
  'agent',
  'routingProfile',
  'phoneNumber',
  'hierarchy1',
  'hierarchy2',
  'hierarchy3',
  'hierarchy4',
  'hierarchy5',
  'channel',
] as const;

export type Dimension = (typeof DIMENSIONS)[number];
export type Dims = { readonly [K in Dimension]: string | null };

/** Report grouping names (as in the report definitions) and the dimension each rolls up. */
export const GROUPINGS = {
  QUEUE: 'queue',
  AGENT: 'agent',
  ROUTING_PROFILE: 'routingProfile',
  PHONE_NUMBER: 'phoneNumber',
  AGENT_HIERARCHY_LEVEL_ONE: 'hierarchy1',
  AGENT_HIERARCHY_LEVEL_TWO: 'hierarchy2',
  AGENT_HIERARCHY_LEVEL_THREE: 'hierarchy3',
  AGENT_HIERARCHY_LEVEL_FOUR: 'hierarchy4',
  AGENT_HIERARCHY_LEVEL_FIVE: 'hierarchy5',
  CHANNEL: 'channel',
} as const satisfies Record<string, Dimension>;

export type Grouping = keyof typeof GROUPINGS;
export const GROUPING_NAMES = Object.keys(GROUPINGS) as Grouping[];

/** CSV column header per grouping, as Amazon Connect names it. */
export const GROUPING_HEADERS: Record<Grouping, string> = {
  QUEUE: 'Queue',
  AGENT: 'Agent',
  ROUTING_PROFILE: 'Routing Profile',
  PHONE_NUMBER: 'Phone Number',
  AGENT_HIERARCHY_LEVEL_ONE: 'Agent Hierarchy Level One',
  AGENT_HIERARCHY_LEVEL_TWO: 'Agent Hierarchy Level Two',
  AGENT_HIERARCHY_LEVEL_THREE: 'Agent Hierarchy Level Three',
  AGENT_HIERARCHY_LEVEL_FOUR: 'Agent Hierarchy Level Four',
  AGENT_HIERARCHY_LEVEL_FIVE: 'Agent Hierarchy Level Five',
  CHANNEL: 'Channel',
};

export const EMPTY_DIMS: Dims = {
  queue: null,
  agent: null,
  routingProfile: null,
  phoneNumber: null,
  hierarchy1: null,
  hierarchy2: null,
  hierarchy3: null,
  hierarchy4: null,
  hierarchy5: null,
  channel: null,
};

const SEP = '\u001f';
const NULL_MARK = '\u0000';

/** Keys of tuples seen before, by object: a tuple is never changed once made (Dims is read-only), and one tuple object is shared by many cells. */
const keys = new WeakMap<Dims, string>();

/** A stable string key for a dims tuple (used as a map key and a DynamoDB sort-key part). */
export function dimsKey(dims: Dims): string {
  let out = keys.get(dims);
  if (out === undefined) keys.set(dims, (out = buildDimsKey(dims)));
  return out;
}

function buildDimsKey(dims: Dims): string {
  let out = '';
  for (let i = 0; i < DIMENSIONS.length; i++) {
    const v = dims[DIMENSIONS[i] as Dimension];
    if (i > 0) out += SEP;
    out += v === null ? NULL_MARK : v;
  }
  return out;
}

export function parseDimsKey(key: string): Dims {
  const parts = key.split(SEP);
  if (parts.length !== DIMENSIONS.length) throw new Error(`Malformed dims key with ${parts.length} parts`);
  const out: Record<string, string | null> = {};
  DIMENSIONS.forEach((d, i) => {
    const v = parts[i] as string;
    out[d] = v === NULL_MARK ? null : v;
  });
  return out as Dims;
}
