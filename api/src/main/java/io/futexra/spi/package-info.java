/**
 * The service-provider interface of futex-ra's backends: how the API ({@code io.futexra}) finds the
 * shared-memory backend, the ZooKeeper backend or another one by a space URI's scheme, without
 * naming any implementation class ({@link io.futexra.spi.LockSpaceProvider}), and the reading of
 * space URIs people write ({@link io.futexra.spi.SpaceUris}). What backends share beyond the
 * contract (name rules, a dispatcher's leader/followers loop) is the backend kit,
 * {@code io.futexra.kit}, in its own module.
 */
package io.futexra.spi;
