/**
 * The ZooKeeper backend ({@code zookeeper:} space URIs): the {@code io.futexra} API on an Apache
 * ZooKeeper ensemble through Apache Curator's recipes, for processes on several hosts. Found by
 * {@link io.futexra.LockSpace#open(java.net.URI)} through {@link io.futexra.zookeeper.ZooKeeperBackend}
 * when this jar and its dependencies (Curator, ZooKeeper's client, SLF4J) are on the class path.
 *
 * <p>URI: {@code zookeeper://HOST:PORT[,HOST:PORT...]/PATH/NAME[?sessionTimeout=10s&connectionTimeout=5s]}.
 * One Curator client per ensemble and options is shared by the process (counted by open spaces
 * and live holds); the znode layout is drawn in {@code ZkSpace}.
 *
 * <h2>What differs from shared memory</h2>
 * <ul>
 * <li><b>Owner death = session expiry.</b> A holder's lock node is ephemeral: it goes when the
 *     ensemble expires the holder's session, {@code sessionTimeout} (default 10 s; the server
 *     bounds it to 2–20 ticks, 4–40 s with the default 2 s tick) after it last heard from the
 *     client, whether the process was killed, is paused (GC, SIGSTOP) or is cut off. Shorter
 *     timeouts pass a dead holder's lock on sooner but expire live clients on shorter hiccups.
 *     A process that is merely stopped loses its locks once its session expires (shared memory
 *     keeps them).
 * <li><b>Losing a lock while holding it.</b> {@link io.futexra.Held#isHeld()} turns false while
 *     the connection is {@code SUSPENDED} and for good once the session is {@code LOST}; but it
 *     can only say what this client knows, and a paused process learns nothing until it runs
 *     again. That is why a holder passes {@link io.futexra.Held#fencingToken()} to what it
 *     protects, which refuses any token smaller than the largest it has seen: a stale holder's
 *     late write is then rejected.
 * <li><b>Fencing tokens</b> are the czxid of the holder's lock node (ensemble-wide, strictly
 *     increasing per object across all clients); not dense, not the lock node's sequence number
 *     (Curator's container parents are removed when empty, and the sequence restarts).
 * <li><b>previousOwnerDied</b> comes from markers that acquisitions write and remove on a clean
 *     end ({@code ZkLockLine} for plain locks, {@code ZkOwners} for write locks and permits); a
 *     release whose marker delete failed under connection loss may make the next holder be told so
 *     although the holder released (conservative). A plain lock's waiter whose session ends is
 *     told apart from a holder when anyone lists the lock while a node ahead of it is still
 *     there; otherwise the next holder is told (conservative; see {@code ZkLockLine}).
 * <li><b>Order.</b> Every lock is FIFO (Curator's sequential nodes), whatever its
 *     {@link io.futexra.LockPolicy}; {@link io.futexra.LockOptions} are recorded and must match,
 *     but no thread spins. Read/write locks serve in arrival order instead of writer preference,
 *     have no cap on readers, and a downgrade lets no other reader in until the downgraded read
 *     ends ({@code ZkDowngrade}).
 * <li><b>Interrupts</b>: every acquire talks to the ensemble, so an interrupt flag set on entry
 *     ends it with {@link io.futexra.LockInterruptedException} (flag kept), even if the lock is
 *     free; a re-entry never waits and never looks at it.
 * <li><b>Releases</b> never fail: a delete that cannot reach the ensemble is retried by Curator in
 *     the background (guaranteed deletes), and the ephemeral node goes with the session anyway.
 *     Releases of locks and semaphore permits never block; a read/write lock's side is released
 *     through Curator's recipe: at once while the client knows it is cut off, otherwise waiting
 *     while Curator retries under connection loss ({@code ZkDowngrade}).
 * <li><b>Virtual threads</b> are not refused (Curator's ownership is by {@code Thread} object);
 *     untested here, since the Java 17 baseline has none.
 * <li><b>{@code objects()}</b> reports holders by process id on their host and Java thread id;
 *     acquisition counters are not kept; see {@code ZkObjects}.
 * <li><b>{@link io.futexra.SpaceOptions}</b> do not apply (no capacity, no file mode: protect the
 *     space's path with ZooKeeper ACLs). Thread-owned holds are reentrant per thread through every
 *     space handle of the process that uses the same URI options; spaces opened with different
 *     options have different clients (sessions), and a thread holding a lock through one waits for
 *     itself through the other.
 * </ul>
 */
package io.futexra.zookeeper;
