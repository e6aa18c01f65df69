/**
 * The service-provider interface of futex-ra's backends: how the API ({@code io.futexra}) finds the
 * shared-memory backend, the ZooKeeper backend or another one by a space URI's scheme, without
 * naming any implementation class.
 */
package io.futexra.spi;
