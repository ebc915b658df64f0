import { describe, expect, it } from 'vitest';
import { formatDuration, formatInstant, formatMetricValue, formatPercent, toCsv } from '../../../lambdas/domain/reports/format.js';

describe('formatMetricValue', () => {
  it('shows a percentage with two decimals: 85.714 → 85.71%', () => {
    expect(formatMetricValue('percent', 85.714)).toBe('85.71%');
  });

  it('shows 100 and 0 percent with two decimals', () => {
    expect(formatMetricValue('percent', 100)).toBe('100.00%');
    expect(formatMetricValue('percent', 0)).toBe('0.00%');
  });

  it('shows seconds as HH:MM:SS rounded to whole seconds: 3789.4 s → 01:03:09', () => {
    expect(formatMetricValue('seconds', 3789.4)).toBe('01:03:09');
  });

  it('does not wrap hours at 24: 97329 s → 27:02:09', () => {
    expect(formatMetricValue('seconds', 97329)).toBe('27:02:09');
  });

  it('rounds half a second up', () => {
    expect(formatMetricValue('seconds', 59.5)).toBe('00:01:00');
  });

  it('shows seconds as decimal seconds in SECONDS format, without trailing zeros', () => {
    expect(formatMetricValue('seconds', 3789.4, 'SECONDS')).toBe('3789.4');
    expect(formatMetricValue('seconds', 5.00512, 'SECONDS')).toBe('5.005');
    expect(formatMetricValue('seconds', 12, 'SECONDS')).toBe('12');
  });

  it('shows counts as integers', () => {
    expect(formatMetricValue('count', 7)).toBe('7');
    expect(formatMetricValue('count', 0)).toBe('0');
  });

  it('shows no data as a dash', () => {
    expect(formatMetricValue('seconds', null)).toBe('-');
    expect(formatMetricValue('percent', null)).toBe('-');
    expect(formatMetricValue('count', null)).toBe('-');
  });
});

describe('formatDuration and formatPercent', () => {
  it('formats zero', () => {
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatPercent(0.004)).toBe('0.00%');
  });
});

describe('formatInstant', () => {
  it('gives ISO 8601 with the offset in force at the instant', () => {
    expect(formatInstant(Date.parse('2026-03-08T06:30:00Z'), 'America/New_York')).toBe('2026-03-08T01:30:00-05:00');
    expect(formatInstant(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08T03:00:00-04:00');
    expect(formatInstant(Date.parse('2026-03-08T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-03-09T00:00:00+05:45');
  });
});

describe('toCsv', () => {
  it('quotes fields with commas and quotes and ends lines with CRLF', () => {
    expect(toCsv(['Agent', 'Agent Name'], [['jdoe', 'Doe, Jane'], ['q"x', '-']])).toBe('Agent,Agent Name\r\njdoe,"Doe, Jane"\r\n"q""x",-');
  });
});
