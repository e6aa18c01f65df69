/**
 * The service-provider interface of futex-ra's backends: how the API ({@code io.futexra}) finds the
 * shared-memory backend, the ZooKeeper backend or another one by a space URI's scheme, without
 * naming any implementation class; and what every backend and edge shares rather than copies: the
 * rules for names ({@link io.futexra.spi.NameRules}), the reading of space URIs people write
 * ({@link io.futexra.spi.SpaceUris}), and a dispatcher's leader/followers loop
 * ({@link io.futexra.spi.LeaderFollowers}).
 */
package io.futexra.spi;
