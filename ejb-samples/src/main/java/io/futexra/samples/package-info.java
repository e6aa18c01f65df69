/**
 * Sample EJBs using {@code futex-ra.rar}: each shows one use, and the integration tests deploy
 * them as they are.
 *
 * <ul>
 * <li>{@link io.futexra.samples.NightlyJob}: a {@code @Schedule} job every server of the host
 *     runs, of which exactly one does the work per tick (ShedLock without a table).</li>
 * <li>{@link io.futexra.samples.LegacyGateway}: calls into a fragile legacy system, at most
 *     {@value io.futexra.samples.LegacyGateway#PERMITS} at a time across all servers.</li>
 * <li>{@link io.futexra.samples.AccountService}: a read-modify-write of an account held under a
 *     transaction-scoped lock: {@code SELECT … FOR UPDATE} without a database.</li>
 * </ul>
 */
package io.futexra.samples;
