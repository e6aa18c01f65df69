package io.futexra;

import java.time.Instant;

/**
 * One delivery of a named event to a subscriber (an MDB through the resource adapter, or a
 * listener of {@code EventDispatcher}).
 *
 * @param space the event's space
 * @param event the event's name
 * @param mode its mode: AUTO_RESET deliveries are exactly one per signal, host-wide; MANUAL_RESET
 *     ones are one per signal edge per subscriber (signals in quick succession may arrive as one)
 * @param delivery this subscription's delivery number, from 1
 * @param deliveredAt when the dispatcher passed it to the listener
 */
public record EventNotice(String space, String event, EventMode mode, long delivery, Instant deliveredAt) {
}
