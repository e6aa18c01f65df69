package io.futexra.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.LockSpace;
import io.futexra.ObjectInfo;
import io.futexra.testing.ChildJvm;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The portable suite: the same tests on every server. {@code futex-ra.rar} exactly as rar/ builds it
 * and a war of {@code io.futexra.servers.app} are deployed to the server that {@link #server()}
 * names, configured by the files docs/servers.md shows, and checked against standalone child JVMs
 * ({@link ChildJvm}) on the same space directory. This JVM opens the space too, to see who holds
 * and who waits. The server is started once per class and stopped at the end whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class PortableSuite {

    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final String SPACE = "portable";
    private static final Pattern TOKEN = Pattern.compile("token=(\\d+)");
    /** The directory the application's {@code @ConnectionFactoryDefinition} names (DefinedFactoryServlet). */
    private static final Path DEFINED_DIRECTORY = Path.of("/dev/shm/futex-ra-servers-it");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private AppServer server;
    private Path directory;
    private Path received;
    private Path gates;
    private LockSpace space;

    /** {@return the server under test, not started} */
    abstract AppServer server();

    @BeforeAll
    void startServerWithTheRarAndTheApplication() throws Exception {
        Path servers = ServerFiles.serversDir();
        Path rar = servers.resolve("futex-ra.rar");
        assertTrue(Files.isRegularFile(rar), "the build copies rar/'s artifact to " + rar);
        server = server();
        Path work = servers.resolve("run-" + server.name());
        ServerFiles.deleteTree(work);
        directory = Files.createDirectories(work.resolve("spaces"));
        received = Files.createDirectories(work.resolve("received"));
        gates = Files.createDirectories(work.resolve("gates"));
        Path war = ServerFiles.buildWar(work.resolve("futex-portable.war"), server.definedFactoryVariant());
        // the application's @ConnectionFactoryDefinition names a fixed directory: a space an earlier run left
        // there (its servers are gone; perhaps of an older layout, which this futex-ra refuses) starts afresh
        LockSpace.remove(DEFINED_DIRECTORY, "defined");
        long start = System.nanoTime();
        try {
            server.start(rar, war, directory, SPACE, received);
            awaitHttp("lock?name=ready", body -> body.startsWith("token="), "the application answering");
        } catch (Throwable t) {
            throw new AssertionError(server.name() + " did not come up; its log:\n" + ServerFiles.tail(safeLog()), t);
        }
        System.out.printf("PORTABLE %s: started and deployed in %d ms; deployed RAR sha256=%s%n", server.name(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), sha256(rar));
        space = LockSpace.open(directory, SPACE);
    }

    @AfterAll
    void stopServer() {
        if (space != null) {
            space.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void shouldReturnTheFencingTokenOfATryAcquireThroughTheFactoryInJndi() throws Exception {
        long first = token(get("lock?name=token"));
        long second = token(get("lock?name=token"));
        assertTrue(first > 0, "a fencing token is positive: " + first);
        assertTrue(second > first, "fencing tokens increase: " + first + " then " + second);
        assertEquals(second, info("token").fencingToken(), "the standalone view of the space sees the server's token");
    }

    @Test
    @Order(2)
    void shouldFindTheLockBusyWhileAStandaloneJvmHoldsIt() throws Exception {
        try (ChildJvm holder = ChildJvm.start("hold", directory.toString(), SPACE, "shared")) {
            holder.awaitLine("HELD", HANG_GUARD);
            assertEquals("busy", get("lock?name=shared"));
            holder.kill9();
        }
        assertTrue(token(get("lock?name=shared")) > 0, "free again once the holder is gone");
    }

    @Test
    @Order(3)
    void shouldKeepAStandaloneJvmOutUntilTheTransactionCommits() throws Exception {
        String body = holdForTransactionWhileAChildWaits("tx-commit", false);
        assertTrue(body.startsWith("committed token="), body);
    }

    @Test
    @Order(4)
    void shouldLetAStandaloneJvmInWhenTheTransactionRollsBack() throws Exception {
        String body = holdForTransactionWhileAChildWaits("tx-rollback", true);
        assertTrue(body.startsWith("rolledback ") && body.contains("deliberate failure"), body);
    }

    /**
     * The server takes {@code lock} for a container transaction and holds it until a gate file
     * appears; a child JVM waits for it meanwhile. The child must still be waiting (asleep, not
     * holding) when the gate opens, and must get the lock once the transaction ends.
     */
    private String holdForTransactionWhileAChildWaits(String lock, boolean rollback) throws Exception {
        Path gate = gates.resolve(lock);
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request("tx?name=" + lock + "&gate=" + gate
                + "&rollback=" + rollback, Duration.ofSeconds(120)), HttpResponse.BodyHandlers.ofString());
        awaitInfo(lock, i -> i.isHeld() && i.holderPid() == server.pid(), "held by the server's transaction");
        long txToken = info(lock).fencingToken();
        try (ChildJvm waiter = ChildJvm.start("await", directory.toString(), SPACE, lock)) {
            waiter.awaitLine("WAITING", HANG_GUARD);
            awaitInfo(lock, i -> i.waiters() >= 1, "the standalone JVM asleep on it");
            assertFalse(waiter.transcript().contains("ACQUIRED"), "the child got in before the transaction ended");
            assertTrue(info(lock).holderPid() == server.pid(), "still held by the server");
            Files.createFile(gate);
            String line = waiter.awaitLine("ACQUIRED", HANG_GUARD);
            assertTrue(token(line) > txToken, "the child's token comes after the transaction's: " + line);
            assertEquals(0, waiter.awaitExit(HANG_GUARD));
        }
        HttpResponse<String> response = call.get(2, TimeUnit.MINUTES);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @Test
    @Order(5)
    void shouldDeliverAStandaloneJvmsSignalToTheEventMdb() throws Exception {
        signalAndAwaitDelivery();
    }

    /** A child JVM signals the event {@code portable-ping}; EventMdb must write down one more delivery. */
    private void signalAndAwaitDelivery() throws Exception {
        Path events = received.resolve("events.txt");
        long before = ServerFiles.count(ServerFiles.read(events), "event=portable-ping");
        try (ChildJvm signaller = ChildJvm.start("signal", directory.toString(), SPACE, "portable-ping", "AUTO_RESET")) {
            signaller.awaitLine("SIGNALED", HANG_GUARD);
            assertEquals(0, signaller.awaitExit(HANG_GUARD));
        }
        String text = ServerFiles.await(events, t -> ServerFiles.count(t, "event=portable-ping") > before, HANG_GUARD,
                "a delivery to EventMdb");
        assertTrue(text.contains("event=portable-ping space=" + SPACE), text);
    }

    @Test
    @Order(6)
    void shouldTellTheOwnerDeathMdbAfterKill9OfAStandaloneHolder() throws Exception {
        Path deaths = received.resolve("deaths.txt");
        String held;
        try (ChildJvm holder = ChildJvm.start("hold", directory.toString(), SPACE, "portable-victim")) {
            held = holder.awaitLine("HELD", HANG_GUARD);
            awaitInfo("portable-victim", i -> i.watchers() >= 1, "the MDB's owner-death watch on the lock");
            holder.kill9();
        }
        long token = Long.parseLong(held.substring(held.indexOf("tokens=") + "tokens=".length()).trim());
        ServerFiles.await(deaths, t -> t.contains("death lock=portable-victim token=" + token), HANG_GUARD,
                "DeathMdb told of the holder's death (token " + token + ")");
    }

    @Test
    @Order(7)
    void shouldBindTheFactoryOfTheApplicationsConnectionFactoryDefinition() throws Exception {
        String body = get("defined?name=defined-lock");
        assertTrue(body.startsWith("token=") && body.endsWith("space=defined"), body);
        try (LockSpace defined = LockSpace.open(DEFINED_DIRECTORY, "defined")) {
            assertEquals(token(body), defined.objects().stream().filter(i -> i.name().equals("defined-lock"))
                    .findFirst().orElseThrow().fencingToken(), "the definition's space is the one its properties name");
        }
    }

    @Test
    @Order(8)
    void shouldExtractJnasNativeLibraryIntoJnaTmpdirAndLeaveNoCopy() throws Exception {
        Path dir = server.jnaTmpDir();
        Assumptions.assumeTrue(dir != null, server.name() + ": the configuration leaves jna.tmpdir at JNA's default");
        assertTrue(Files.isDirectory(dir), "JNA creates jna.tmpdir when it extracts its native library there: " + dir);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "JNA deletes its extracted copy once loaded");
        }
    }

    /**
     * A servlet takes a lock through a connection it never closes (LeakServlet). The server's own leak
     * detection must end that connection, which releases the lock (FUTEXRA010 when the server closes
     * the handle, FUTEXRA011 when it cleans up the managed connection); a standalone JVM then gets it.
     */
    @Test
    @Order(9)
    void shouldReleaseALeakedConnectionsLockOnceTheServersLeakDetectionEndsIt() throws Exception {
        String reclaim = server.leakReclaim();
        Assumptions.assumeTrue(reclaim != null, server.name() + ": no leak detection configured");
        long leaked = token(get("leak?name=portable-leak"));
        awaitInfo("portable-leak", i -> !i.isHeld(), "released by " + reclaim);
        try (ChildJvm holder = ChildJvm.start("hold", directory.toString(), SPACE, "portable-leak")) {
            String held = holder.awaitLine("HELD", HANG_GUARD);
            long token = Long.parseLong(held.substring(held.indexOf("tokens=") + "tokens=".length()).trim());
            assertTrue(token > leaked, "the standalone JVM's token comes after the leaked one: " + leaked + " then " + token);
            holder.kill9();
        }
        String warning = awaitLogLine(l -> l.contains("lock 'portable-leak'")
                && (l.contains("FUTEXRA010") || l.contains("FUTEXRA011")), "the adapter's warning naming the leaked lock");
        System.out.printf("PORTABLE %s: leaked connection ended by %s: %s%n", server.name(), reclaim, warning.strip());
    }

    /**
     * Undeploy, then redeploy in the same server JVM: no futex-ra thread survives the undeploy, and the
     * redeployed adapter works: the application takes a lock again (a later fencing token) and
     * EventMdb receives a standalone JVM's signal again; where the configuration sets jna.tmpdir, no
     * copy of JNA's native library is left there.
     */
    @Test
    @Order(100)
    void shouldLeaveNoFutexRaThreadsAfterUndeployAndWorkAgainAfterRedeploy() throws Exception {
        String limitation = server.runtimeDeploymentLimitation();
        Assumptions.assumeTrue(limitation == null, server.name() + ": " + limitation);
        long pid = server.pid();
        long tokenBefore = token(get("lock?name=redeploy"));
        List<String> before = futexRaThreads(pid);
        assertFalse(before.isEmpty(), "the active MDBs run futex-ra threads before undeploy");
        server.undeployAll();
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        List<String> after = futexRaThreads(pid);
        while (!after.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            after = futexRaThreads(pid);
        }
        assertEquals(List.of(), after, "futex-ra threads left in " + server.name() + " after undeploy (before: " + before + ")");

        long start = System.nanoTime();
        server.redeployAll();
        awaitHttp("lock?name=redeploy", body -> body.startsWith("token="), "the redeployed application answering");
        System.out.printf("PORTABLE %s: redeployed in %d ms%n", server.name(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertEquals(pid, server.pid(), "redeployed in the same server JVM");
        long tokenAfter = token(get("lock?name=redeploy"));
        assertTrue(tokenAfter > tokenBefore, "fencing tokens go on increasing across the redeploy: "
                + tokenBefore + " then " + tokenAfter);
        assertEquals(tokenAfter, info("redeploy").fencingToken(), "the standalone view sees the redeployed adapter's token");
        signalAndAwaitDelivery();
        assertFalse(futexRaThreads(pid).isEmpty(), "the redeployed MDBs run futex-ra threads again");
        Path jna = server.jnaTmpDir();
        if (jna != null) {
            try (Stream<Path> files = Files.list(jna)) {
                assertEquals(List.of(), files.toList(), "no copy of JNA's native library left in jna.tmpdir after the redeploy");
            }
        }
    }

    /** Names of the server JVM's threads that futex-ra started ({@code futex-ra-*}), from {@code jcmd PID Thread.print}. */
    private static List<String> futexRaThreads(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("jcmd " + pid + " Thread.print failed: " + new String(out));
        }
        return new String(out).lines().filter(l -> l.startsWith("\"futex-ra-"))
                .map(l -> l.substring(1, l.indexOf('"', 1))).toList();
    }

    private ObjectInfo info(String name) {
        Optional<ObjectInfo> found = space.objects().stream().filter(i -> i.name().equals(name)).findFirst();
        return found.orElseThrow(() -> new AssertionError("no object " + name + " in the space"));
    }

    private void awaitInfo(String name, Predicate<ObjectInfo> done, String what) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (true) {
            Optional<ObjectInfo> now = space.objects().stream().filter(i -> i.name().equals(name)).findFirst();
            if (now.isPresent() && done.test(now.get())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": " + what + " not seen within " + HANG_GUARD + "; now " + now);
            }
            Thread.sleep(50);
        }
    }

    private static long token(String text) {
        Matcher m = TOKEN.matcher(text);
        assertTrue(m.find(), "no token in: " + text);
        return Long.parseLong(m.group(1));
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(server.application().resolve(path)).timeout(timeout).GET().build();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path, HANG_GUARD), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private void awaitHttp(String path, Predicate<String> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(request(path, HANG_GUARD), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && done.test(r.body())) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " not seen; last answer: " + ServerFiles.tail(last));
    }

    /** Waits until a line of the server's log satisfies {@code done} (logged after the release it reports); returns it. */
    private String awaitLogLine(Predicate<String> done, String what) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (true) {
            String log = server.log();
            Optional<String> line = log.lines().filter(done).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not seen within " + HANG_GUARD + " in the log of " + server.name()
                        + ":\n" + ServerFiles.tail(log));
            }
            Thread.sleep(200);
        }
    }

    private String safeLog() {
        try {
            return server.log();
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
