/**
 * Conformance: a custom status set during ACW (sample-events/conformance/agent-custom-status-acw).
 *
 * ana, Available from 09:55. C100 (voice, Sales) rings 10:00:00, is answered 10:00:05, the customer hangs up
 * 10:03:05 (ACW). ana sets Break (a custom status) at 10:04:05 while still in ACW, clears ACW at 10:05:05,
 * is Available again at 10:10:00 and logs out at 10:15:00. The contact record: talk 180 s, hold 0, ACW 120 s.
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
const REPORT = {
  metrics: ['Contact handle time', 'Average handle time', 'Agent on contact time', 'Non-Productive Time'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T10:00:00', end: '2026-03-10T10:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-custom-status-acw', () => {
  const byAgent = rowOf(runScenario('agent-custom-status-acw', { ...REPORT, groupings: ['AGENT'] }), { Agent: 'ana' });
  const byQueue = rowOf(runScenario('agent-custom-status-acw', { ...REPORT, groupings: ['QUEUE'], metrics: ['Contact handle time', 'Average handle time'] }), { Queue: 'Sales' });

  it('Contact handle time includes the minute in Break: 180 + 0 + 120 = 300 s', () => {
    // "Contact handle time": "Total time that an agent spent on contacts, including Customer Hold Time and After contact
    // work time. This includes any time spent on contacts while in a custom status."
    expect(byAgent['Contact handle time']).toBe('00:05:00');
    expect(byQueue['Contact handle time']).toBe('00:05:00');
  });

  it('Average handle time leaves out the minute in Break (10:04:05–10:05:05): (300 − 60) / 1 = 240 s', () => {
    // "Average handle time": "It includes talk time, hold time, and After Contact Work (ACW) time." ... "AHT is different
    // from Contact handle time. AHT does not include any time spent in a custom status; Contact handle time (CHT) does include it."
    expect(byAgent['Average handle time']).toBe('00:04:00');
    expect(byQueue['Average handle time']).toBe('00:04:00');
  });

  it('Agent on contact time stops when Break starts: 10:00:05–10:04:05 = 240 s', () => {
    // "Agent on contact time": "Total time that an agent spent on a contact, including Customer Hold Time and After Contact
    // Work Time. This does not include time spent on a contact while in a custom status or Offline status."
    // "Agent idle time": it "doesn't include the amount of time from when Amazon Connect starts routing the contact to the
    // agent, to when agent picks up" — the 5 s of ringing (10:00:00–10:00:05) are not on contact either.
    expect(byAgent['Agent on contact time']).toBe('00:04:00');
  });

  it('Non-Productive Time counts Break, in ACW or not: 10:04:05–10:10:00 = 355 s', () => {
    // "Non-Productive Time": "Total time that agents spent in a custom status." ... "agents can be On contact or doing ACW
    // while their CCP is set to a custom status."
    expect(byAgent['Non-Productive Time']).toBe('00:05:55');
  });
});
