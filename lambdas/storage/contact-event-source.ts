/**
 * The ports of contact events: the contact-events handler writes through
 * ContactEventSink, real-time views read through ContactEventSource (the
 * DynamoDB adapter of both is storage/dynamodb/contact-event-store.ts).
 */
import type { ContactEvent } from '../domain/model/contact-event.js';
import type { ContactLifecycle } from '../domain/realtime/contact-state.js';

export type ContactEventOutcome = 'applied' | 'duplicate' | 'unknown-type';

/** A contact event set aside because it could not be validated. Nothing is lost: the event is kept as delivered. */
export interface ContactEventDeadLetter {
  readonly reason: string;
  /** The event exactly as delivered, as JSON. */
  readonly data: string;
  readonly failedAtMs: number;
  readonly eventId: string | null;
}

export interface ContactEventSink {
  /** Merges one event into its contact's lifecycle; applying it twice changes nothing. */
  apply(e: ContactEvent): Promise<ContactEventOutcome>;
  putDeadLetter(d: ContactEventDeadLetter): Promise<void>;
}

export interface ContactEventSource {
  /**
   * Whether contact events reach the store at all (the EventBridge rule is
   * deployed and delivered at least one). Without them In queue, Oldest and
   * Scheduled are unknown, not zero.
   */
  enabled(): Promise<boolean>;
  /** Contacts whose latest known stage is queued, or a callback not yet queued. */
  open(): Promise<ContactLifecycle[]>;
}
