/**
 * The port through which real-time views read what contact events told the
 * store (the DynamoDB adapter is storage/dynamodb/contact-event-store.ts).
 */
import type { ContactLifecycle } from '../domain/realtime/contact-state.js';

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
