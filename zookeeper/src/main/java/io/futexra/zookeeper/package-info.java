/**
 * The ZooKeeper backend ({@code zookeeper:} space URIs): the {@code io.futexra} API on an Apache
 * ZooKeeper ensemble through Apache Curator's recipes, for processes on several hosts. Found by
 * {@link io.futexra.LockSpace#open(java.net.URI)} through {@link io.futexra.zookeeper.ZooKeeperBackend}.
 *
 * <p>The znode layout is drawn in {@code ZkSpace}. What differs from shared memory is listed here
 * as it is built.
 */
package io.futexra.zookeeper;
