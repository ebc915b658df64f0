/**
 * A real consumer of scheduled reports: the Amazon Connect CTI Adapter for
 * Salesforce's interval Lambdas, reproduced in TypeScript and run against the
 * files this project's scheduler writes end to end on the local services
 * (dynalite + s3rver), with the definitions of config/examples/salesforce-cti.json.
 *
 * What the adapter does (public repository amazon-connect/amazon-connect-salesforce-lambda,
 * sam-app/lambda_functions/sfIntervalQueue.py and sam-app/lambda_functions/sfIntervalAgent.py;
 * setup: amazon-connect/amazon-connect-salesforce-cti, docs/lightning/04-salesforce-lambdas/02-historical-metrics.md):
 * - Each Lambda is triggered by an S3 "PUT" event notification on the reports
 *   bucket with a prefix filter (the report's path, e.g. .../Reports/SFDC/Queue/)
 *   and the suffix `.csv`. It takes `Records[0]`, the bucket name and
 *   `urllib.parse.unquote(s3.object.key)`, and reads the object whole,
 *   `.decode()` (UTF-8).
 * - It parses `csv.DictReader(data.split("\n"))`: Python's csv module over
 *   lines split on LF only (the CR of a CRLF ends the record), the first line
 *   being the header; empty lines are skipped; a row with more or fewer fields
 *   than the header leaves a `None` key or value, which the next step fails on.
 * - Field names, `label_parser`: "Queue" (sfIntervalQueue) or "Agent"
 *   (sfIntervalAgent), compared case-insensitively, become `AC_Object_Name__c`;
 *   "Average agent interaction and customer hold time" becomes
 *   `Avg_agent_interaction_and_cust_hold_time__c` (the long name does not fit
 *   Salesforce's 40 characters); any other header has each run of `-` and
 *   whitespace replaced by `_` and gets `__c` — all after the managed package's
 *   namespace prefix (`amazonconnect__` by default, SF_ADAPTER_NAMESPACE).
 * - Values, `value_parser`: every `%` removed; an empty value becomes None.
 *   Nothing else: durations go to Salesforce as the text in the file, so they
 *   must be plain numbers ("All times in the downloaded report are in seconds").
 * - `Created_Date__c` is the S3 event's `eventTime`.
 * - Record id `AC_Record_Id__c`, the external id it upserts on
 *   (`update_by_external`): for a queue, the queue name with every run of
 *   `[-\s\W]` removed, followed by the StartInterval value; for an agent, the
 *   Agent value followed by StartInterval (a later version appends the Lambda's
 *   region when the Salesforce object has a Region__c field; the model below has none).
 *   So a file rewritten under the same key upserts the same records.
 *
 * The test fails if a file the adapter expects (one per scheduled half hour,
 * named by its scheduled time) is missing, misnamed, routed to no Lambda or
 * to both, unparseable by the adapter, or yields a field name or a value
 * Salesforce would refuse.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { ensureBucket, startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { S3ReportSink } from '../../lambdas/reporting/report-sink.js';
import { ReportScheduler } from '../../lambdas/reporting/scheduler.js';
import type { WakeSummary } from '../../lambdas/reporting/scheduler.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { DynamoRunLedger } from '../../lambdas/storage/dynamodb/dynamo-run-ledger.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import type { Sequenced } from '../../lambdas/storage/metric-store.js';
import { ctr, snapshot, timeline } from '../support/builders.js';
import { listKeys, readObject } from './support.js';

const BUCKET = 'cti-adapter-tests';
const TABLE = 'cti-adapter';
/** Amazon Connect's layout: connect/<instance alias>. */
const KEY_PREFIX = 'connect/acme-contact-center';
const NS = 'amazonconnect__';
const EXAMPLE = new URL('../../config/examples/salesforce-cti.json', import.meta.url);

// ---------------------------------------------------------------- Python's csv.DictReader over data.split("\n")

class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdapterError';
  }
}

/**
 * `csv.reader` (excel dialect: `,`, `"`, doubled quotes, strict off) over an
 * iterable of lines, as CPython's state machine reads it: a CR or LF ends the
 * record, a quoted field continues on the next line item (the LF that
 * `split("\n")` removed is not put back), text after a CR in an unquoted
 * field is an error.
 */
function* pythonCsvReader(lines: Iterable<string>): Generator<string[]> {
  type State = 'START_RECORD' | 'START_FIELD' | 'IN_FIELD' | 'IN_QUOTED_FIELD' | 'QUOTE_IN_QUOTED_FIELD' | 'EAT_CRNL';
  let state: State = 'START_RECORD';
  let fields: string[] = [];
  let field = '';
  const save = () => {
    fields.push(field);
    field = '';
  };
  /** A character at the start of a field (CPython's START_FIELD); returns the next state. */
  const startField = (c: string): State => {
    if (c === '\n' || c === '\r') {
      save();
      return 'EAT_CRNL';
    }
    if (c === '"') return 'IN_QUOTED_FIELD';
    if (c === ',') {
      save();
      return 'START_FIELD';
    }
    field += c;
    return 'IN_FIELD';
  };
  for (const line of lines) {
    for (const c of line) {
      switch (state) {
        case 'START_RECORD':
          if (c === '\n' || c === '\r') state = 'EAT_CRNL';
          else state = startField(c);
          break;
        case 'START_FIELD':
          state = startField(c);
          break;
        case 'IN_FIELD':
          if (c === '\n' || c === '\r') {
            save();
            state = 'EAT_CRNL';
          } else if (c === ',') {
            save();
            state = 'START_FIELD';
          } else field += c;
          break;
        case 'IN_QUOTED_FIELD':
          if (c === '"') state = 'QUOTE_IN_QUOTED_FIELD';
          else field += c;
          break;
        case 'QUOTE_IN_QUOTED_FIELD':
          if (c === '"') {
            field += c;
            state = 'IN_QUOTED_FIELD';
          } else if (c === ',') {
            save();
            state = 'START_FIELD';
          } else if (c === '\n' || c === '\r') {
            save();
            state = 'EAT_CRNL';
          } else {
            field += c;
            state = 'IN_FIELD';
          }
          break;
        case 'EAT_CRNL':
          if (c !== '\n' && c !== '\r') throw new AdapterError('_csv.Error: new-line character seen in unquoted field');
          break;
      }
    }
    // End of the line item (CPython's EOL).
    if (state === 'IN_QUOTED_FIELD') continue;
    if (state === 'IN_FIELD' || state === 'START_FIELD' || state === 'QUOTE_IN_QUOTED_FIELD') save();
    yield fields;
    fields = [];
    field = '';
    state = 'START_RECORD';
  }
  if (state === 'IN_QUOTED_FIELD') throw new AdapterError('_csv.Error: unexpected end of data');
}

/** `csv.DictReader`: header from the first row, empty rows skipped; a ragged row gives a None key or value. */
function* dictReader(lines: Iterable<string>): Generator<Map<string | null, string | null>> {
  const rows = pythonCsvReader(lines);
  let header: string[] | undefined;
  for (const row of rows) {
    if (header === undefined) {
      header = row;
      continue;
    }
    if (row.length === 0) continue;
    const out = new Map<string | null, string | null>();
    header.forEach((h, i) => out.set(h, row[i] ?? null));
    if (row.length > header.length) out.set(null, null);
    yield out;
  }
}

// ---------------------------------------------------------------- the two Lambdas

type SfRecord = Record<string, string | null>;

interface S3EventRecord {
  readonly eventTime: string;
  readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } };
}

/** How S3 puts a key in an event notification: URL-encoded, a space as "+". */
const s3EventKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
/** `urllib.parse.unquote`: %XX sequences decoded, "+" left as it is. */
const unquote = (key: string) => key.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => decodeURIComponent(m));

function labelParser(key: string | null, objectColumn: 'queue' | 'agent'): string {
  if (key === null) throw new AdapterError("AttributeError: 'NoneType' object has no attribute 'lower' (a row has more fields than the header)");
  if (key.toLowerCase() === 'average agent interaction and customer hold time') return `${NS}Avg_agent_interaction_and_cust_hold_time__c`;
  if (key.toLowerCase() === objectColumn) return `${NS}AC_Object_Name__c`;
  return `${NS}${key.replace(/[-\s]+/gu, '_')}__c`;
}

function valueParser(value: string | null): string | null {
  if (value === null) throw new AdapterError("TypeError: object of type 'NoneType' has no len() (a row has fewer fields than the header)");
  return value.length > 0 ? value.replace(/%/g, '') : null;
}

/** `re.sub(r'[-\s\W]+', '', name)`: Python's `\W` on str patterns is Unicode-aware (JavaScript's is ASCII-only), so: anything but letters, marks, digits and "_". */
const queueNameForId = (name: string) => name.replace(/[^\p{L}\p{M}\p{N}_]+/gu, '');

interface Upsert {
  readonly sobject: string;
  readonly externalId: string;
  readonly record: SfRecord;
}

async function intervalLambda(kind: 'queue' | 'agent', event: { Records: readonly S3EventRecord[] }, s3Get: (bucket: string, key: string) => Promise<string>): Promise<Upsert[]> {
  const eventRecord = event.Records[0];
  if (!eventRecord) throw new AdapterError('IndexError: list index out of range');
  const key = unquote(eventRecord.s3.object.key);
  const data = await s3Get(eventRecord.s3.bucket.name, key);
  const out: Upsert[] = [];
  for (const raw of dictReader(data.split('\n'))) {
    const record: SfRecord = {};
    for (const [k, v] of raw) record[labelParser(k, kind)] = valueParser(v);
    record[`${NS}Created_Date__c`] = eventRecord.eventTime;
    const name = record[`${NS}AC_Object_Name__c`];
    const start = record[`${NS}StartInterval__c`];
    if (name === undefined || start === undefined) throw new AdapterError(`KeyError: '${name === undefined ? 'AC_Object_Name__c' : 'StartInterval__c'}'`);
    if (name === null || start === null) throw new AdapterError('TypeError: cannot build the record id from an empty name or StartInterval');
    const externalId = kind === 'queue' ? `${queueNameForId(name)}${start}` : `${name}${start}`;
    out.push({ sobject: kind === 'queue' ? `${NS}AC_HistoricalQueueMetrics__c` : `${NS}AC_AgentPerformance__c`, externalId, record });
  }
  return out;
}

// ---------------------------------------------------------------- Salesforce, as far as these upserts need it

/** Text fields of the two objects; every other field is a Number field. */
const TEXT_FIELDS = new Set(['AC_Object_Name__c', 'StartInterval__c', 'EndInterval__c', 'Created_Date__c'].map((f) => `${NS}${f}`));

/**
 * Custom field API names: a letter first, then letters, digits and single
 * underscores, at most 40 characters before `__c`. A Number field takes text
 * that is a plain decimal number; Amazon Connect writes `-` where a metric has
 * no data, and the adapter passes it on as it does for Connect's own files, so
 * the model records it as "no data" — anything else (00:05:30, 1,234, a `%`
 * left over) is refused.
 */
function salesforceUpsert(store: Map<string, Record<string, number | string | null>>, u: Upsert): void {
  const out: Record<string, number | string | null> = {};
  for (const [field, value] of Object.entries(u.record)) {
    const name = field.slice(NS.length, -'__c'.length);
    if (!field.startsWith(NS) || !field.endsWith('__c') || !/^[A-Za-z](?:_?[A-Za-z0-9])*$/.test(name) || name.length > 40) {
      throw new AdapterError(`Salesforce: INVALID_FIELD ${field}`);
    }
    if (TEXT_FIELDS.has(field) || value === null) out[field] = value;
    else if (value === '-') out[field] = null;
    else if (/^-?\d+(?:\.\d+)?$/.test(value)) out[field] = Number(value);
    else throw new AdapterError(`Salesforce: ${field} is a Number field; "${value}" is not a number`);
  }
  const id = `${u.sobject}/${u.externalId}`;
  store.set(id, { ...(store.get(id) ?? {}), ...out });
}

// ---------------------------------------------------------------- the run

let services: LocalServices;
let clients: AwsClients;
let definitions: ReportDefinition[];
const wakes: WakeSummary[] = [];
let keys: string[] = [];
const salesforce = new Map<string, Record<string, number | string | null>>();
const routed = new Map<string, Array<'queue' | 'agent'>>();

/** The S3 event notifications of the CTI guide: PUT, prefix = the report's path, suffix .csv. */
const TRIGGERS = [
  { lambda: 'queue', prefix: `${KEY_PREFIX}/Reports/SFDC/Queue/`, suffix: '.csv' },
  { lambda: 'agent', prefix: `${KEY_PREFIX}/Reports/SFDC/Agent/`, suffix: '.csv' },
] as const;

let seq = 0;
const sequenced = <T>(values: readonly T[]): Sequenced<T>[] =>
  values.map((value) => ({ value, position: { shardId: 'shardId-000000000000', sequenceNumber: String(++seq).padStart(20, '0') } }));

beforeAll(async () => {
  definitions = parseReportDefinitions(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
  services = await startLocalServices();
  clients = awsClients({ region: services.region, endpoints: services.endpoints });
  await ensureBucket(clients.s3, BUCKET);
  await ensureTable(clients.dynamodb, TABLE);
  const store = new DynamoMetricStore(clients.dynamoDocument, TABLE);

  // 2026-03-10, UTC. alice: logged in 00:50–02:20, on Break 01:40–01:50.
  await store.applyAgentEvents(
    sequenced(
      timeline('alice', [
        ['LOGIN', '2026-03-10T00:50:00.000Z', snapshot('Available')],
        ['STATE_CHANGE', '2026-03-10T01:40:00.000Z', snapshot('Break')],
        ['STATE_CHANGE', '2026-03-10T01:50:00.000Z', snapshot('Available')],
        ['LOGOUT', '2026-03-10T02:20:00.000Z', snapshot('Offline')],
      ]),
    ),
  );
  await store.applyCtrs(
    sequenced([
      // 01:00–01:30: Sales Support answers c1 (12 s in queue, 300 s talk, 30 s hold, 45 s ACW) and loses c2 after 40 s.
      ctr({ id: 'c1', disconnect: '2026-03-10T01:08:42Z', queue: { name: 'Sales Support', enqueue: '2026-03-10T01:03:00Z', waitSec: 12 }, agent: { name: 'alice', connected: '2026-03-10T01:03:12Z', talk: 300, hold: 30, acw: 45 } }),
      ctr({ id: 'c2', disconnect: '2026-03-10T01:20:40Z', queue: { name: 'Sales Support', enqueue: '2026-03-10T01:20:00Z', waitSec: 40 } }),
      // 01:30–02:00: bob answers c3 on Sales Support, alice c4 on Billing (25 s in queue, 95 s talk, no hold, no ACW).
      ctr({ id: 'c3', disconnect: '2026-03-10T01:38:25Z', queue: { name: 'Sales Support', enqueue: '2026-03-10T01:35:00Z', waitSec: 5 }, agent: { name: 'bob', connected: '2026-03-10T01:35:05Z', talk: 200, acw: 10 } }),
      ctr({ id: 'c4', disconnect: '2026-03-10T01:47:00Z', queue: { name: 'Billing', enqueue: '2026-03-10T01:45:00Z', waitSec: 25 }, agent: { name: 'alice', connected: '2026-03-10T01:45:25Z', talk: 95 } }),
    ]),
  );

  const scheduler = new ReportScheduler({
    definitions,
    ledger: new DynamoRunLedger(clients.dynamoDocument, TABLE),
    reader: store,
    sink: new S3ReportSink(clients.s3, BUCKET),
    reportsKeyPrefix: KEY_PREFIX,
  });
  // The scheduler wakes every quarter hour from 01:15 to 02:45 (the first wake-up looks back 15 minutes).
  for (let now = Date.parse('2026-03-10T01:15:00Z'); now <= Date.parse('2026-03-10T02:45:00Z'); now += 15 * 60_000) wakes.push(await scheduler.wake(now));

  // Every object written fires the triggers whose filters match it; each Lambda runs on the S3 event.
  keys = await listKeys(clients.s3, BUCKET);
  const s3Get = (bucket: string, key: string) => readObject(clients.s3, bucket, key);
  for (const key of keys) {
    const record: S3EventRecord = { eventTime: '2026-03-10T03:00:00.000Z', s3: { bucket: { name: BUCKET }, object: { key: s3EventKey(key) } } };
    for (const trigger of TRIGGERS) {
      if (!key.startsWith(trigger.prefix) || !key.endsWith(trigger.suffix)) continue;
      routed.set(key, [...(routed.get(key) ?? []), trigger.lambda]);
      for (const u of await intervalLambda(trigger.lambda, { Records: [record] }, s3Get)) salesforceUpsert(salesforce, u);
    }
  }
});

afterAll(async () => {
  clients?.destroy();
  await services?.stop();
});

const queueRecord = (id: string) => salesforce.get(`${NS}AC_HistoricalQueueMetrics__c/${id}`);
const agentRecord = (id: string) => salesforce.get(`${NS}AC_AgentPerformance__c/${id}`);
const fieldsOf = (record: Record<string, unknown> | undefined) => Object.keys(record ?? {}).map((f) => f.slice(NS.length));

describe('config/examples/salesforce-cti.json', () => {
  it('is a valid definitions file: the two interval reports of the CTI guide, every 30 minutes for the previous 30 minutes, durations in seconds', () => {
    expect(definitions.map((d) => [d.name, d.prefix, d.type === 'HISTORICAL' && d.groupings, d.timeRange, d.schedule.periodMinutes, d.schedule.at, d.durationFormat])).toEqual([
      ['sfIntervalQueue', 'SFDC/Queue', ['QUEUE'], { previousHours: 0.5 }, 30, '01:00', 'SECONDS'],
      ['sfIntervalAgent', 'SFDC/Agent', ['AGENT'], { previousHours: 0.5 }, 30, '01:00', 'SECONDS'],
    ]);
  });
});

describe('the CTI adapter’s interval Lambdas on this project’s scheduled reports', () => {
  it('finds one file per report per half hour, named by its scheduled time as Connect names them, each routed to exactly its Lambda', () => {
    expect(wakes.flatMap((w) => w.failed)).toEqual([]);
    const expected = ['01:00', '01:30', '02:00', '02:30'].flatMap((hhmm) => [
      `connect/acme-contact-center/Reports/SFDC/Agent/sfIntervalAgent-2026-03-10T${hhmm}:00Z.csv`,
      `connect/acme-contact-center/Reports/SFDC/Queue/sfIntervalQueue-2026-03-10T${hhmm}:00Z.csv`,
    ]);
    expect(keys).toEqual(expected.sort());
    expect(keys.map((k) => routed.get(k))).toEqual(keys.map((k) => [k.includes('/SFDC/Queue/') ? 'queue' : 'agent']));
  });

  it('upserts one queue record per queue and half hour, keyed by the sanitised queue name and StartInterval', () => {
    expect([...salesforce.keys()].filter((k) => k.includes('AC_HistoricalQueueMetrics__c')).sort()).toEqual([
      `${NS}AC_HistoricalQueueMetrics__c/Billing2026-03-10T01:30:00Z`,
      `${NS}AC_HistoricalQueueMetrics__c/SalesSupport2026-03-10T01:00:00Z`,
      `${NS}AC_HistoricalQueueMetrics__c/SalesSupport2026-03-10T01:30:00Z`,
    ]);
  });

  it('names every queue field after Connect’s column names, the long one shortened as the adapter expects', () => {
    expect(fieldsOf(queueRecord('SalesSupport2026-03-10T01:00:00Z'))).toEqual([
      'AC_Object_Name__c',
      'StartInterval__c',
      'EndInterval__c',
      'Contacts_queued__c',
      'Contacts_handled__c',
      'Contacts_handled_incoming__c',
      'Contacts_handled_outbound__c',
      'Callback_contacts_handled__c',
      'API_contacts_handled__c',
      'Contacts_abandoned__c',
      'Average_queue_abandon_time__c',
      'Average_queue_answer_time__c',
      'Maximum_queued_time__c',
      'Service_level_20_seconds__c',
      'Service_level_60_seconds__c',
      'Contacts_answered_in_20_seconds__c',
      'After_contact_work_time__c',
      'Average_after_contact_work_time__c',
      'Agent_interaction_time__c',
      'Average_agent_interaction_time__c',
      'Customer_hold_time__c',
      'Average_customer_hold_time__c',
      'Agent_interaction_and_hold_time__c',
      'Avg_agent_interaction_and_cust_hold_time__c',
      'Contact_handle_time__c',
      'Average_handle_time__c',
      'Contacts_put_on_hold__c',
      'Contacts_agent_hung_up_first__c',
      'Contacts_transferred_in__c',
      'Contacts_transferred_out__c',
      'Contacts_transferred_out_internal__c',
      'Contacts_transferred_out_external__c',
      'Contacts_hold_disconnect__c',
      'Created_Date__c',
    ]);
  });

  it('loads numbers: durations in seconds, percentages without %, the half hour before the file’s time', () => {
    expect(queueRecord('SalesSupport2026-03-10T01:00:00Z')).toMatchObject({
      [`${NS}AC_Object_Name__c`]: 'Sales Support',
      [`${NS}StartInterval__c`]: '2026-03-10T01:00:00Z',
      [`${NS}EndInterval__c`]: '2026-03-10T01:30:00Z',
      [`${NS}Contacts_queued__c`]: 2,
      [`${NS}Contacts_handled__c`]: 1,
      [`${NS}Contacts_abandoned__c`]: 1,
      [`${NS}Average_queue_abandon_time__c`]: 40,
      [`${NS}Average_queue_answer_time__c`]: 12,
      [`${NS}Maximum_queued_time__c`]: 40,
      [`${NS}Service_level_20_seconds__c`]: 50,
      [`${NS}Service_level_60_seconds__c`]: 100,
      [`${NS}Contacts_answered_in_20_seconds__c`]: 1,
      [`${NS}After_contact_work_time__c`]: 45,
      [`${NS}Agent_interaction_time__c`]: 300,
      [`${NS}Customer_hold_time__c`]: 30,
      [`${NS}Avg_agent_interaction_and_cust_hold_time__c`]: 330,
      [`${NS}Contact_handle_time__c`]: 375,
      [`${NS}Average_handle_time__c`]: 375,
      [`${NS}Contacts_put_on_hold__c`]: 1,
      [`${NS}Created_Date__c`]: '2026-03-10T03:00:00.000Z',
    });
    expect(queueRecord('Billing2026-03-10T01:30:00Z')).toMatchObject({
      [`${NS}Contacts_queued__c`]: 1,
      [`${NS}Average_queue_answer_time__c`]: 25,
      [`${NS}Average_handle_time__c`]: 95,
      // No abandon, no hold in that half hour: Connect's dash, no number.
      [`${NS}Average_queue_abandon_time__c`]: null,
      [`${NS}Average_customer_hold_time__c`]: null,
    });
  });

  it('upserts one agent record per agent and half hour with data, keyed by the Agent value and StartInterval', () => {
    expect([...salesforce.keys()].filter((k) => k.includes('AC_AgentPerformance__c')).sort()).toEqual(
      ['alice2026-03-10T00:30:00Z', 'alice2026-03-10T01:00:00Z', 'alice2026-03-10T01:30:00Z', 'alice2026-03-10T02:00:00Z', 'bob2026-03-10T01:30:00Z'].map(
        (id) => `${NS}AC_AgentPerformance__c/${id}`,
      ),
    );
    expect(fieldsOf(agentRecord('alice2026-03-10T01:00:00Z'))).toEqual([
      'AC_Object_Name__c',
      'StartInterval__c',
      'EndInterval__c',
      'After_contact_work_time__c',
      'Agent_on_contact_time__c',
      'Agent_idle_time__c',
      'Non_Productive_Time__c',
      'Average_after_contact_work_time__c',
      'Average_handle_time__c',
      'Average_customer_hold_time__c',
      'Avg_agent_interaction_and_cust_hold_time__c',
      'Average_agent_interaction_time__c',
      'Contacts_agent_hung_up_first__c',
      'Contacts_handled__c',
      'Contacts_handled_incoming__c',
      'Contacts_handled_outbound__c',
      'Contacts_put_on_hold__c',
      'Contacts_hold_disconnect__c',
      'Contacts_transferred_out__c',
      'Contacts_transferred_out_internal__c',
      'Contacts_transferred_out_external__c',
      'Error_status_time__c',
      'Agent_answer_rate__c',
      'Occupancy__c',
      'Online_time__c',
      'Agent_interaction_and_hold_time__c',
      'Agent_interaction_time__c',
      'Average_outbound_agent_interaction_time__c',
      'Average_outbound_after_contact_work_time__c',
      'Created_Date__c',
    ]);
  });

  it('loads the agent’s status times and contacts as seconds', () => {
    expect(agentRecord('alice2026-03-10T00:30:00Z')).toMatchObject({ [`${NS}Online_time__c`]: 600, [`${NS}Agent_idle_time__c`]: 600 });
    expect(agentRecord('alice2026-03-10T01:00:00Z')).toMatchObject({
      [`${NS}Online_time__c`]: 1800,
      [`${NS}Contacts_handled__c`]: 1,
      [`${NS}Average_handle_time__c`]: 375,
      [`${NS}After_contact_work_time__c`]: 45,
      [`${NS}Agent_interaction_and_hold_time__c`]: 330,
    });
    expect(agentRecord('alice2026-03-10T01:30:00Z')).toMatchObject({ [`${NS}Online_time__c`]: 1800, [`${NS}Non_Productive_Time__c`]: 600, [`${NS}Contacts_handled__c`]: 1 });
    expect(agentRecord('alice2026-03-10T02:00:00Z')).toMatchObject({ [`${NS}Online_time__c`]: 1200 });
    expect(agentRecord('bob2026-03-10T01:30:00Z')).toMatchObject({ [`${NS}Contacts_handled__c`]: 1, [`${NS}Agent_interaction_time__c`]: 200 });
  });
});

describe('the reproduced adapter refuses what Salesforce or Python would', () => {
  const run = (csv: string) =>
    intervalLambda('queue', { Records: [{ eventTime: 'now', s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] }, () => Promise.resolve(csv)).then((us) => {
      const store = new Map<string, Record<string, number | string | null>>();
      for (const u of us) salesforceUpsert(store, u);
      return store;
    });

  it.each([
    ['a duration as HH:MM:SS', 'Queue,StartInterval,Average handle time\r\nSales,2026-03-10T01:00:00Z,00:06:15\r\n', /is not a number/],
    ['a thousands separator', 'Queue,StartInterval,Contacts handled\r\nSales,2026-03-10T01:00:00Z,"1,234"\r\n', /is not a number/],
    ['a row longer than the header', 'Queue,StartInterval\r\nSales,2026-03-10T01:00:00Z,5\r\n', /more fields than the header/],
    ['a row shorter than the header', 'Queue,StartInterval,Contacts handled\r\nSales,2026-03-10T01:00:00Z\r\n', /fewer fields than the header/],
    ['a header that is no Salesforce field name', 'Queue,StartInterval,Contacts handled (%)\r\nSales,2026-03-10T01:00:00Z,5\r\n', /INVALID_FIELD/],
    ['no Queue column', 'Queue name,StartInterval,Contacts handled\r\nSales,2026-03-10T01:00:00Z,5\r\n', /KeyError: 'AC_Object_Name__c'/],
    ['a byte-order mark before the header', '\ufeffQueue,StartInterval,Contacts handled\r\nSales,2026-03-10T01:00:00Z,5\r\n', /INVALID_FIELD|KeyError/],
  ])('fails on %s', async (_what, csv, error) => {
    await expect(run(csv)).rejects.toThrow(error);
  });

  it('reads a well-formed Connect-like file, stripping % and building the id from the queue name without spaces', async () => {
    const store = await run('Queue,StartInterval,EndInterval,Service level 20 seconds\r\nSales Support,2026-03-10T01:00:00Z,2026-03-10T01:30:00Z,50.00%\r\n');
    expect([...store.entries()]).toEqual([
      [
        `${NS}AC_HistoricalQueueMetrics__c/SalesSupport2026-03-10T01:00:00Z`,
        {
          [`${NS}AC_Object_Name__c`]: 'Sales Support',
          [`${NS}StartInterval__c`]: '2026-03-10T01:00:00Z',
          [`${NS}EndInterval__c`]: '2026-03-10T01:30:00Z',
          [`${NS}Service_level_20_seconds__c`]: 50,
          [`${NS}Created_Date__c`]: 'now',
        },
      ],
    ]);
  });
});
