/**
 * The simulated contact center: instance, queues, phone numbers, routing
 * profiles, agent statuses, a five-level agent hierarchy and the agents with
 * their weekly shift pattern. Everything is drawn from the seed.
 */
import { Rng } from './prng.js';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';

/** As contact records spell channels; the agent event stream spells tasks `TASKS` (agent-event-json.ts). */
export type Channel = 'VOICE' | 'CHAT' | 'TASK';
export type StatusType = 'ROUTABLE' | 'CUSTOM' | 'OFFLINE';

export interface QueueDef {
  readonly idx: number;
  readonly arn: string;
  readonly name: string;
  readonly kind: 'inbound' | 'callback' | 'outbound';
  /** Mean customer patience in queue, seconds (exponential). */
  readonly patienceMeanSec: number;
  /** The queue flow offers a callback after this wait (seconds), accepted with `callbackAcceptP`. */
  readonly callbackOfferAfterSec: number | null;
  readonly callbackAcceptP: number;
  /** The queue flow moves a waiting customer to another queue (QUEUE_TRANSFER). */
  readonly overflow: { readonly toQueue: string; readonly afterSec: number; readonly p: number } | null;
  /** Caller ID used when dialling out of this queue. */
  readonly callerId: string;
}

export interface ProfileQueue {
  readonly queue: QueueDef;
  readonly channels: readonly Channel[];
}

export interface RoutingProfileDef {
  readonly idx: number;
  readonly arn: string;
  readonly name: string;
  readonly queues: readonly ProfileQueue[];
  readonly outboundQueue: QueueDef;
  /** Agents of this profile place outbound calls. */
  readonly dialsOutbound: boolean;
  readonly channels: readonly Channel[];
}

export interface HierarchyGroupDef {
  readonly arn: string;
  readonly name: string;
}

export interface StatusDef {
  readonly arn: string;
  readonly name: string;
  readonly type: StatusType;
}

export interface ShiftPattern {
  /** Local start time of the shift, minutes after midnight. */
  readonly startMinute: number;
  readonly lengthMin: number;
  readonly partTime: boolean;
  /** Two consecutive weekdays off (0 = Sunday). */
  readonly daysOff: readonly number[];
}

export interface AgentDef {
  readonly idx: number;
  readonly arn: string;
  /**
   * The agent's own queue (`…/queue/agent/<agent id>`), one of the inbound
   * queues of every routing profile as Connect lists them; it has no name
   * (Sample agent event stream: "agent queues don't have names").
   */
  readonly agentQueueArn: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly profile: RoutingProfileDef;
  /** Level1 … Level5, every agent sits in a leaf. */
  readonly hierarchy: readonly HierarchyGroupDef[];
  readonly shift: ShiftPattern;
}

export interface PhoneNumberDef {
  readonly number: string;
  readonly queue: QueueDef;
}

export interface Center {
  readonly accountId: string;
  readonly instanceArn: string;
  readonly queues: readonly QueueDef[];
  readonly queueByName: ReadonlyMap<string, QueueDef>;
  readonly phoneNumbers: readonly PhoneNumberDef[];
  readonly profiles: readonly RoutingProfileDef[];
  readonly agents: readonly AgentDef[];
  readonly statuses: {
    readonly available: StatusDef;
    readonly offline: StatusDef;
    readonly breakStatus: StatusDef;
    readonly lunch: StatusDef;
    readonly training: StatusDef;
  };
  readonly externalNumbers: readonly string[];
}

const FIRST_NAMES = [
  'Ava', 'Ben', 'Chloe', 'Daniel', 'Elena', 'Felix', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kira', 'Liam', 'Maya', 'Noah',
  'Olivia', 'Pablo', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Aiko', 'Bruno',
  'Carmen', 'Dmitri', 'Emeka', 'Fatima', 'Giulia', 'Hana', 'Ivan', 'Jade',
];
const LAST_NAMES = [
  'Adams', 'Berg', 'Costa', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hall', 'Ito', 'Jensen', 'Kim', 'Lopez', 'Moreau',
  'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga', 'Walsh', 'Xu', 'Young', 'Zimmer',
  'Novak', 'Murphy', 'Larsen', 'Khan', 'Haddad', 'Duarte',
];

/** Local shift start hours; weighted towards the business day, with a night shift. */
const SHIFT_STARTS: readonly { readonly minute: number; readonly weight: number }[] = [
  { minute: 6 * 60, weight: 1 },
  { minute: 7 * 60, weight: 2 },
  { minute: 8 * 60, weight: 3 },
  { minute: 9 * 60, weight: 3 },
  { minute: 10 * 60, weight: 2 },
  { minute: 11 * 60 + 30, weight: 2 },
  { minute: 13 * 60, weight: 2 },
  { minute: 15 * 60, weight: 1 },
  { minute: 22 * 60, weight: 1 },
];

/** Share of agents per routing profile (index order of PROFILES below). */
const PROFILE_SHARES = [0.3, 0.35, 0.2, 0.15] as const;

export function buildCenter(seed: number, agentCount: number): Center {
  const rng = new Rng(seed, 1);
  const instanceArn = `arn:aws:connect:${REGION}:${ACCOUNT_ID}:instance/${rng.uuid()}`;
  const arn = (kind: string): string => `${instanceArn}/${kind}/${rng.uuid()}`;

  const usedNumbers = new Set<string>();
  const phone = (): string => {
    let n = rng.phoneNumber();
    while (usedNumbers.has(n)) n = rng.phoneNumber();
    usedNumbers.add(n);
    return n;
  };
  const mkQueue = (idx: number, name: string, q: Omit<QueueDef, 'idx' | 'arn' | 'name' | 'callerId'>): QueueDef => ({
    idx,
    arn: arn('queue'),
    name,
    callerId: phone(),
    ...q,
  });
  const inbound = { kind: 'inbound' as const, callbackAcceptP: 0.3 };
  const queues: QueueDef[] = [
    mkQueue(0, 'Sales', { ...inbound, patienceMeanSec: 150, callbackOfferAfterSec: 60, overflow: null }),
    mkQueue(1, 'Support', { ...inbound, patienceMeanSec: 240, callbackOfferAfterSec: 90, overflow: null }),
    mkQueue(2, 'Billing', { ...inbound, patienceMeanSec: 200, callbackOfferAfterSec: 90, overflow: { toQueue: 'Support', afterSec: 150, p: 0.4 } }),
    mkQueue(3, 'Premium', { ...inbound, patienceMeanSec: 300, callbackOfferAfterSec: null, overflow: { toQueue: 'Sales', afterSec: 75, p: 0.5 } }),
    mkQueue(4, 'Callback', { kind: 'callback', patienceMeanSec: 0, callbackOfferAfterSec: null, callbackAcceptP: 0, overflow: null }),
    mkQueue(5, 'Outbound', { kind: 'outbound', patienceMeanSec: 0, callbackOfferAfterSec: null, callbackAcceptP: 0, overflow: null }),
  ];
  const queueByName = new Map(queues.map((q) => [q.name, q]));
  const Q = (name: string): QueueDef => {
    const q = queueByName.get(name);
    if (!q) throw new Error(`No queue ${name}`);
    return q;
  };

  const phoneNumbers: PhoneNumberDef[] = ['Sales', 'Support', 'Billing', 'Premium'].map((name) => ({ number: Q(name).callerId, queue: Q(name) }));

  const voice: readonly Channel[] = ['VOICE'];
  const omni: readonly Channel[] = ['VOICE', 'CHAT'];
  const omniTasks: readonly Channel[] = ['VOICE', 'CHAT', 'TASK'];
  const mkProfile = (idx: number, name: string, pq: readonly ProfileQueue[], dialsOutbound: boolean): RoutingProfileDef => ({
    idx,
    arn: arn('routing-profile'),
    name,
    queues: pq,
    outboundQueue: Q('Outbound'),
    dialsOutbound,
    channels: (['VOICE', 'CHAT', 'TASK'] as const).filter((ch) => pq.some((q) => q.channels.includes(ch))),
  });
  const profiles: RoutingProfileDef[] = [
    mkProfile(0, 'Sales Agents', [{ queue: Q('Sales'), channels: voice }, { queue: Q('Premium'), channels: voice }, { queue: Q('Callback'), channels: voice }], true),
    mkProfile(1, 'Support Agents', [{ queue: Q('Support'), channels: omniTasks }, { queue: Q('Billing'), channels: voice }, { queue: Q('Callback'), channels: voice }], false),
    mkProfile(2, 'Billing Agents', [{ queue: Q('Billing'), channels: voice }, { queue: Q('Support'), channels: voice }, { queue: Q('Callback'), channels: voice }], false),
    mkProfile(3, 'Premium Agents', [{ queue: Q('Premium'), channels: voice }, { queue: Q('Sales'), channels: voice }, { queue: Q('Support'), channels: omni }], true),
  ];

  const status = (name: string, type: StatusType): StatusDef => ({ arn: arn('agent-state'), name, type });
  const statuses = {
    available: status('Available', 'ROUTABLE'),
    offline: status('Offline', 'OFFLINE'),
    breakStatus: status('Break', 'CUSTOM'),
    lunch: status('Lunch', 'CUSTOM'),
    training: status('Training', 'CUSTOM'),
  };

  // Hierarchy: Region → Site → Department → Team → Squad (2 × 2 × 2 × 2 × 2 = 32 leaves).
  const regions: readonly (readonly [string, readonly string[]])[] = [
    ['North America', ['Seattle', 'Austin']],
    ['Europe', ['Dublin', 'Lisbon']],
  ];
  interface Leaf {
    readonly path: readonly HierarchyGroupDef[];
    readonly department: string;
  }
  const leaves: Leaf[] = [];
  for (const [region, sites] of regions) {
    const l1 = { arn: arn('agent-group'), name: region };
    for (const site of sites) {
      const l2 = { arn: arn('agent-group'), name: site };
      for (const dept of ['Sales', 'Customer Care']) {
        const l3 = { arn: arn('agent-group'), name: `${site} ${dept}` };
        for (const team of [1, 2]) {
          const l4 = { arn: arn('agent-group'), name: `${site} ${dept} Team ${team}` };
          for (const squad of ['A', 'B']) {
            const l5 = { arn: arn('agent-group'), name: `${site} ${dept} Team ${team} Squad ${squad}` };
            leaves.push({ path: [l1, l2, l3, l4, l5], department: dept });
          }
        }
      }
    }
  }

  // Profile per agent: largest-remainder counts so that small centers still get every profile, then shuffled.
  const counts = PROFILE_SHARES.map((s) => Math.floor(s * agentCount));
  let assigned = counts.reduce((a, b) => a + b, 0);
  const byRemainder = PROFILE_SHARES.map((s, i) => ({ i, r: s * agentCount - Math.floor(s * agentCount) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; assigned < agentCount; k++, assigned++) {
    const slot = byRemainder[k % byRemainder.length];
    if (slot) counts[slot.i] = (counts[slot.i] ?? 0) + 1;
  }
  const profileOf: number[] = [];
  counts.forEach((n, i) => {
    for (let k = 0; k < n; k++) profileOf.push(i);
  });
  for (let i = profileOf.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const tmp = profileOf[i] ?? 0;
    profileOf[i] = profileOf[j] ?? 0;
    profileOf[j] = tmp;
  }

  const usernames = new Set<string>();
  const agents: AgentDef[] = [];
  for (let idx = 0; idx < agentCount; idx++) {
    const profile = profiles[profileOf[idx] ?? 0] ?? profiles[0];
    if (!profile) throw new Error('No routing profiles');
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    let username = `${firstName}.${lastName}`.toLowerCase();
    for (let n = 2; usernames.has(username); n++) username = `${firstName}.${lastName}${n}`.toLowerCase();
    usernames.add(username);
    const department = profile.dialsOutbound ? 'Sales' : 'Customer Care';
    const leafChoices = leaves.filter((l) => l.department === department);
    const leaf = rng.pick(leafChoices);
    const partTime = rng.chance(0.15);
    const startSlot = SHIFT_STARTS[rng.weighted(SHIFT_STARTS.map((s) => s.weight))];
    const firstOff = (idx * 3 + rng.int(0, 6)) % 7;
    const agentArn = arn('agent');
    agents.push({
      idx,
      arn: agentArn,
      agentQueueArn: `${instanceArn}/queue/agent/${agentArn.slice(agentArn.lastIndexOf('/') + 1)}`,
      username,
      firstName,
      lastName,
      profile,
      hierarchy: leaf.path,
      shift: {
        startMinute: ((startSlot?.minute ?? 9 * 60) + (partTime ? rng.pick([0, 240]) : 0)) % (24 * 60),
        lengthMin: partTime ? 270 : 510,
        partTime,
        daysOff: [firstOff, (firstOff + 1) % 7],
      },
    });
  }

  const externalNumbers = [phone(), phone(), phone()];
  return { accountId: ACCOUNT_ID, instanceArn, queues, queueByName, phoneNumbers, profiles, agents, statuses, externalNumbers };
}
