package io.futexra.it.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.it.Deployments;
import io.futexra.it.Http;
import io.futexra.it.batch.app.GuardedWorkBatchlet;
import io.futexra.it.batch.app.RunJobServlet;
import io.futexra.jbatch.JobLockBatchlet;
import io.futexra.testing.ChildJvm;
import io.futexra.testing.ChildMain;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real JBeret job in WildFly with futex-ra.rar deployed, guarded by {@link JobLockBatchlet} and
 * the job listener: while a standalone batch JVM holds the lock the job ends as {@code BUSY} without
 * running its work step; once that JVM is killed -9 the job runs, and its work step sees the next
 * fencing token and that the previous owner died; a failing job releases the lock too.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JobLockIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() {
        return Deployments.war("jbatch-it.war").addPackage(JobLockBatchlet.class.getPackage())
                .addClasses(GuardedWorkBatchlet.class, RunJobServlet.class)
                .addAsWebInfResource("batch/guarded-job.xml", "classes/META-INF/batch-jobs/guarded-job.xml");
    }

    @Test
    @OperateOnDeployment("app")
    void shouldEndBusyWhileABatchJvmHoldsTheLockAndRunOnceItIsKilled(@ArquillianResource @OperateOnDeployment("app") URL app)
            throws Exception {
        String lock = "it-job-" + UUID.randomUUID();
        long childToken;
        try (ChildJvm child = ChildJvm.start("hold", Deployments.spaceDirectory().toString(), "default", lock)) {
            childToken = Long.parseLong(ChildMain.field(child.awaitLine("HELD", Duration.ofSeconds(60)), "tokens"));
            assertEquals("COMPLETED|BUSY|lock=BUSY", runJob(app, lock, false), "busy: the work step must not run");
            child.kill9();
        }
        assertEquals("COMPLETED|COMPLETED|lock=LOCKED,work=token=" + (childToken + 1) + " died=true", runJob(app, lock, false),
                "free: the job runs once, with the next token, told the batch JVM died holding the lock");
        ObjectInfo info = lockInfo(lock);
        assertFalse(info.isHeld(), "released at the job's end: " + info);
        assertEquals(2, info.acquisitions(), "the batch JVM's and the job's: " + info);
    }

    @Test
    @OperateOnDeployment("app")
    void shouldReleaseTheLockWhenTheJobFails(@ArquillianResource @OperateOnDeployment("app") URL app) throws Exception {
        String lock = "it-job-fails-" + UUID.randomUUID();
        String failed = runJob(app, lock, true);
        assertEquals("FAILED", failed.substring(0, failed.indexOf('|')), failed);
        assertFalse(lockInfo(lock).isHeld(), "released after the failure: " + lockInfo(lock));
        long failedToken = lockInfo(lock).fencingToken(); // the failed run's: tokens start at the lock's creation time
        assertEquals("COMPLETED|COMPLETED|lock=LOCKED,work=token=" + (failedToken + 1) + " died=false", runJob(app, lock, false));
    }

    private static String runJob(URL app, String lock, boolean fail) throws Exception {
        return Http.get(app + "run-job?lock=" + lock + "&fail=" + fail, Duration.ofSeconds(90));
    }

    private static ObjectInfo lockInfo(String lock) {
        try (LockSpace space = LockSpace.open(Deployments.spaceDirectory(), "default")) {
            return space.objects().stream().filter(o -> o.name().equals(lock)).findFirst().orElseThrow();
        }
    }
}
