package io.futexra.it.quartz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.futexra.it.Deployments;
import io.futexra.it.Http;
import io.futexra.it.quartz.app.QuartzTxServlet;
import io.futexra.quartz.FutexLockHandler;
import java.io.File;
import java.net.URISyntaxException;
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
 * {@link FutexLockHandler} under WildFly's JTA transaction manager, as JobStoreCMT uses it: a lock
 * obtained in a container transaction outlives Quartz's release and is freed when the transaction
 * commits or rolls back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class QuartzTransactionIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Deployments.rar();
    }

    @Deployment(name = "app", order = 2, testable = false)
    static WebArchive app() throws URISyntaxException {
        return Deployments.war("quartz-it.war").addPackage(FutexLockHandler.class.getPackage())
                .addClass(QuartzTxServlet.class)
                .addAsLibrary(new File(org.quartz.Scheduler.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    }

    @Test
    @OperateOnDeployment("app")
    void shouldHoldTheLockUntilTheTransactionCommits(@ArquillianResource @OperateOnDeployment("app") URL app) throws Exception {
        assertEquals("afterRelease=true afterEnd=false", run(app, "commit"));
    }

    @Test
    @OperateOnDeployment("app")
    void shouldHoldTheLockUntilTheTransactionRollsBack(@ArquillianResource @OperateOnDeployment("app") URL app) throws Exception {
        assertEquals("afterRelease=true afterEnd=false", run(app, "rollback"));
    }

    private static String run(URL app, String end) throws Exception {
        return Http.get(app + "quartz-tx?dir=" + Deployments.spaceDirectory() + "&scheduler=it-" + UUID.randomUUID() + "&end=" + end,
                Duration.ofSeconds(60));
    }
}
