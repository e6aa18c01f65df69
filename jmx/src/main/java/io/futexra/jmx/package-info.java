/**
 * Operators' view of lock spaces over JMX: one MXBean per space, {@code
 * io.futexra:type=LockSpace,name=SPACE}, whose {@code Objects} attribute is the same per-object
 * state as {@link io.futexra.LockSpace#objects()} and {@code futex-ra ls} (holders, waiters,
 * counters), readable with jconsole, VisualVM or any JMX client, in WildFly or a standalone JVM.
 */
package io.futexra.jmx;
