package io.futexra.jbatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import io.futexra.jca.FutexManagedConnectionFactory;
import io.futexra.jca.LockFactory;
import io.futexra.testing.AwaitState;
import io.futexra.testing.TestNaming;
import io.futexra.zookeeper.ZkRogue;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job lock's artifacts as a batch runtime calls them, without one: {@link JobLockBatchlet}
 * takes the lock through the resource adapter's {@code LockFactory} (an unpooled one, found by
 * JNDI name) on a space of a real ZooKeeper server; another client deletes the lock's node and
 * another JVM's client (another session) takes the lock; then {@link JobLockChunkListener} fails
 * the next chunk and {@link JobLockListener} ends the job with exit status {@code LOCK_LOST},
 * releasing nothing of the other holder's.
 */
@Timeout(120)
class JobLockLossTest {

    private static final AtomicInteger IDS = new AtomicInteger(1000);
    private static TestingServer server;

    private String spacePath;
    private FutexManagedConnectionFactory mcf;
    private LockSpace other;
    private ZkRogue rogue;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, TestNaming.class.getName());
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        server.close();
    }

    @BeforeEach
    void open() throws Exception {
        spacePath = "/futex-ra-test/jbatch" + IDS.incrementAndGet();
        String base = "zookeeper://" + server.getConnectString() + spacePath;
        mcf = new FutexManagedConnectionFactory();
        mcf.setSpaceUri(base + "?sessionTimeout=10s");
        TestNaming.BOUND.put("java:/futex-ra/LockFactory", (LockFactory) mcf.createConnectionFactory());
        other = LockSpace.open(URI.create(base + "?sessionTimeout=10001ms")); // another client, another session
        rogue = new ZkRogue(server.getConnectString());
    }

    @AfterEach
    void close() throws Exception {
        TestNaming.BOUND.clear();
        rogue.close();
        other.close();
        mcf.close();
    }

    private static JobLockBatchlet lockStep(TestJobContext job) {
        JobLockBatchlet batchlet = new JobLockBatchlet();
        batchlet.jobContext = job;
        batchlet.lockName = "nightly-import";
        return batchlet;
    }

    private static JobLockChunkListener chunks(TestJobContext job) {
        JobLockChunkListener listener = new JobLockChunkListener();
        listener.jobContext = job;
        return listener;
    }

    private static JobLockListener end(TestJobContext job) {
        JobLockListener listener = new JobLockListener();
        listener.jobContext = job;
        return listener;
    }

    @Test
    void shouldFailTheNextChunkAndEndTheJobWithLockLostWhenTheLockNodeIsDeleted() throws Exception {
        TestJobContext job = new TestJobContext(IDS.incrementAndGet());
        assertEquals(JobLockBatchlet.LOCKED, lockStep(job).process());
        chunks(job).beforeChunk(); // held: the chunk runs
        Held jobLock = JobLocks.held(job.getExecutionId()).orElseThrow();
        long token = jobLock.fencingToken();

        assertTrue(rogue.deleteEphemeralsUnder(spacePath) >= 1, "the job lock's node was found and deleted");
        AwaitState.until("the job lock is known lost", () -> !jobLock.isHeld());
        Held next = other.lock("nightly-import").acquire(AwaitState.HANG_GUARD);

        JobLockLostException e = assertThrows(JobLockLostException.class, () -> chunks(job).beforeChunk());
        assertTrue(e.getMessage().contains("job execution " + job.getExecutionId())
                && e.getMessage().contains("fencing token " + token), e.getMessage());
        job.setExitStatus("FAILED");
        end(job).afterJob();
        assertEquals(JobLockListener.LOCK_LOST, job.getExitStatus());
        assertTrue(JobLocks.held(job.getExecutionId()).isEmpty(), "the job's lock is released");
        assertTrue(next.isHeld(), "the other holder still holds");
        TestJobContext rerun = new TestJobContext(IDS.incrementAndGet());
        assertEquals(JobLockBatchlet.BUSY, lockStep(rerun).process(), "the late release freed nothing of the other's");
        next.close();
        assertTrue(next.fencingToken() > token, "the next holder's token is above the lost one's");
    }

    @Test
    void shouldLetChunksRunAndLeaveTheExitStatusAloneWhileTheLockIsHeld() throws Exception {
        TestJobContext job = new TestJobContext(IDS.incrementAndGet());
        assertEquals(JobLockBatchlet.LOCKED, lockStep(job).process());
        for (int chunk = 0; chunk < 3; chunk++) {
            chunks(job).beforeChunk();
        }
        job.setExitStatus("COMPLETED");
        end(job).afterJob();
        assertEquals("COMPLETED", job.getExitStatus());
        try (Held freed = other.lock("nightly-import").tryAcquire().orElseThrow()) {
            assertTrue(freed.isHeld(), "the job's end released the lock");
        }
        TestJobContext unlocked = new TestJobContext(IDS.incrementAndGet());
        chunks(unlocked).beforeChunk(); // a job that took no lock is not stopped
        end(unlocked).afterJob();
        assertEquals(null, unlocked.getExitStatus());
    }
}
