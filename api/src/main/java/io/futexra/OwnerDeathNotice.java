package io.futexra;

import java.time.Instant;

/**
 * Notice that the holder of a named lock died holding it (its process killed, crashed, or the
 * owning thread ended without releasing), delivered to owner-death watchers: a listener of
 * {@code EventDispatcher.watchOwnerDeath} or an MDB activated with {@code ownerDeathOf}.
 *
 * @param space the lock's space
 * @param lock the lock's name
 * @param deadOwnerToken the fencing token of the acquisition that died: anything fenced with it
 *     may be half done
 * @param ownerTid the kernel thread id that held the lock when the watcher last looked, or 0 if
 *     the watcher never saw it held
 * @param recovered whether another acquirer had already taken the lock over (told
 *     {@link Held#previousOwnerDied()}) when the watcher learned of the death; {@code false}: the
 *     lock was found abandoned, and its next acquirer will be told
 * @param detectedAt when the watcher learned of it
 */
public record OwnerDeathNotice(String space, String lock, long deadOwnerToken, int ownerTid, boolean recovered,
                               Instant detectedAt) {
}
