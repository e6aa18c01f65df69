package io.futexra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.futexra.Held;
import io.futexra.LockSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's "Your first application", followed literally, so that the section stays true: its
 * install command (on a copy of the sources, into a private local repository under
 * {@code target/first-app}, never the shared {@code ~/.m2}, which serves only as a read-only
 * {@code file:} repository in front of Maven Central), its war pom and Java files as printed, then a
 * fresh WildFly (the unpacked one, its own base directory, port offset {@code it.offset.b}) given
 * the RAR and the war the way README deploys them, and the servlet called over HTTP: {@code ran T},
 * {@code ran T+1}, and {@code busy} while this JVM holds the lock through the standalone API.
 *
 * <p>Cost, measured on 2 busy CPUs (printed per step): about 1 minute when the private repository
 * is warm (install 32 s, war 8 s, server start and both deploys 15 s); the first run after
 * {@code mvn clean} also copies what it needs from the seed and fetches what the seed lacks
 * ({@code maven-war-plugin}) from Maven Central, about 2.5 minutes.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class FirstApplicationIT {

    private static final Path ROOT = Path.of(System.getProperty("build.dir")).getParent().getParent();
    private static final Path WORK = Path.of(System.getProperty("build.dir"), "first-app");
    private static final Duration BUILD_GUARD = Duration.ofMinutes(8);
    private static final Duration DEPLOY_GUARD = Duration.ofMinutes(3);

    @Test
    void shouldBuildDeployAndCallTheWarOfTheReadme() throws Exception {
        String section = section(Files.readString(ROOT.resolve("README.md")), "## Your first application");
        Path repo = WORK.resolve("repo");
        freshStart(repo);
        Path sources = copySources();
        Path settings = seedSettings();
        String mavenArgs = " -q -Dmaven.repo.local=" + repo + " -s " + settings;

        long t0 = System.nanoTime();
        // without a trailing shell comment, which would swallow the private repository's arguments
        String install = section.lines().filter(l -> l.startsWith("mvn ")).findFirst().orElseThrow()
                .replaceFirst("\\s+#.*$", "");
        run(sources, "README's install command", install + mavenArgs);
        for (String artifact : new String[] {"futex-ra-api", "futex-ra-shm", "futex-ra-adapter", "futex-ra-zookeeper",
                "futex-ra-shedlock", "futex-ra-quartz", "futex-ra-spring-integration", "futex-ra-jbatch"}) {
            Path jar = repo.resolve("io/futexra/" + artifact + "/0.1.0-SNAPSHOT/" + artifact + "-0.1.0-SNAPSHOT.jar");
            assertTrue(Files.isRegularFile(jar), "README's install command did not install " + jar);
        }
        assertTrue(Files.isRegularFile(repo.resolve("io/futexra/futex-ra-bom/0.1.0-SNAPSHOT/futex-ra-bom-0.1.0-SNAPSHOT.pom")),
                "README's install command did not install the BOM");
        Path everything = WORK.resolve("bom-app");
        Files.createDirectories(everything);
        Files.writeString(everything.resolve("pom.xml"), applicationOfEveryArtifact());
        run(everything, "an application of every artifact through the BOM", "mvn -B -ntp dependency:resolve" + mavenArgs);
        long t1 = System.nanoTime();

        Path app = WORK.resolve("app");
        String pom = blocks(section, "xml").get(0);
        Files.createDirectories(app);
        Files.writeString(app.resolve("pom.xml"), pom);
        for (String java : blocks(section, "java")) {
            Matcher path = Pattern.compile("// (src/main/java/\\S+\\.java)").matcher(java);
            if (path.find()) {
                Path file = app.resolve(path.group(1));
                Files.createDirectories(file.getParent());
                Files.writeString(file, java);
            }
        }
        run(app, "mvn package of README's war", "mvn -B -ntp package" + mavenArgs);
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertTrue(finalName.find(), "README's pom names its war");
        Path war = app.resolve("target/" + finalName.group(1) + ".war");
        assertTrue(Files.isRegularFile(war), war + " built");
        long t2 = System.nanoTime();

        int offset = Integer.parseInt(System.getProperty("it.offset.b"));
        Path base = WORK.resolve("server");
        Path spaces = WORK.resolve("spaces");
        copyTree(Path.of(System.getProperty("jboss.home"), "standalone", "configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Process server = startServer(base, offset, spaces);
        try {
            deploy(base, sources.resolve("rar/target/futex-ra-rar-0.1.0-SNAPSHOT.rar"), "futex-ra.rar");
            deploy(base, war, war.getFileName().toString());
            long t3 = System.nanoTime();
            String url = "http://127.0.0.1:" + (8080 + offset) + "/" + finalName.group(1) + "/report";
            // fencing tokens start at the lock's creation time and grow by one per acquisition
            long first = ranToken(Http.get(url, Duration.ofSeconds(30)));
            assertEquals(first + 1, ranToken(Http.get(url, Duration.ofSeconds(30))));
            try (LockSpace space = LockSpace.open(spaces, "default");
                 Held held = space.lock("nightly-report").acquire(Duration.ofSeconds(30))) {
                assertEquals(first + 2, held.fencingToken(), "the same lock as the war's, in another process");
                assertEquals("busy", Http.get(url, Duration.ofSeconds(30)), "held by this JVM: the bean must not run");
            }
            assertEquals(first + 3, ranToken(Http.get(url, Duration.ofSeconds(30))));
            System.out.printf("first application: install %d s, war %d s, server start and deploys %d s%n",
                    seconds(t1 - t0), seconds(t2 - t1), seconds(System.nanoTime() - t2));
        } finally {
            stop(server);
        }
    }

    /**
     * A pom that imports the BOM and depends, without versions, on every artifact the BOM lists
     * (the drop-ins included; the RAR aside): it must resolve from what README's install command
     * installed.
     */
    private static String applicationOfEveryArtifact() throws IOException {
        StringBuilder dependencies = new StringBuilder();
        Matcher artifact = Pattern.compile("<artifactId>(futex-ra-[a-z-]+)</artifactId>")
                .matcher(Files.readString(ROOT.resolve("bom/pom.xml")));
        int count = 0;
        while (artifact.find()) {
            String id = artifact.group(1);
            if (!id.equals("futex-ra-bom") && !id.equals("futex-ra-rar")) {
                dependencies.append("<dependency><groupId>io.futexra</groupId><artifactId>").append(id)
                        .append("</artifactId></dependency>");
                count++;
            }
        }
        assertTrue(count >= 10, "the BOM lists only " + count + " artifacts: " + dependencies);
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>com.example</groupId><artifactId>every-futex-ra-artifact</artifactId><version>1.0</version>"
                + "<dependencyManagement><dependencies><dependency><groupId>io.futexra</groupId>"
                + "<artifactId>futex-ra-bom</artifactId><version>0.1.0-SNAPSHOT</version><type>pom</type>"
                + "<scope>import</scope></dependency></dependencies></dependencyManagement>"
                + "<dependencies>" + dependencies + "</dependencies>"
                + "<build><plugins><plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>"
                + "</plugin></plugins></build></project>";
    }

    /** The fencing token of the servlet's answer {@code ran TOKEN}. */
    private static long ranToken(String answer) {
        assertTrue(answer.matches("ran [1-9][0-9]*"), "the servlet's answer: " + answer);
        return Long.parseLong(answer.substring("ran ".length()));
    }

    /** The text of the README section starting with {@code heading}, up to the next {@code ## }. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README has no section '" + heading + "'");
        int end = readme.indexOf("\n## ", start + heading.length() + 2);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The fenced code blocks of {@code language}, in order. */
    private static List<String> blocks(String text, String language) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        assertTrue(!found.isEmpty(), "no ```" + language + " block in the section");
        return found;
    }

    /**
     * The parent pom and every module it names (some are nested, like {@code integrations/quartz};
     * a profile's modules too): its pom and, for a module of the default build, its sources, which
     * README's install command builds; and bin/.
     */
    private static Path copySources() throws IOException {
        Path copy = WORK.resolve("sources");
        Files.createDirectories(copy);
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        Files.copy(ROOT.resolve("pom.xml"), copy.resolve("pom.xml"));
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        while (modules.find()) {
            Path pom = ROOT.resolve(modules.group(1).trim()).resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                Path target = copy.resolve(ROOT.relativize(pom));
                Files.createDirectories(target.getParent());
                Files.copy(pom, target);
                Path src = pom.getParent().resolve("src");
                if (Files.isDirectory(src)) {
                    copyTree(src, target.getParent().resolve("src"));
                }
            }
        }
        copyTree(ROOT.resolve("bin"), copy.resolve("bin"));
        return copy;
    }

    /** Maven settings putting the outer build's local repository, read-only, before Maven Central. */
    private static Path seedSettings() throws IOException {
        String seed = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
        String repository = "<id>seed</id><url>" + seed + "</url>";
        Path settings = WORK.resolve("settings.xml");
        Files.writeString(settings, "<settings><profiles><profile><id>seed</id>"
                + "<repositories><repository>" + repository + "</repository></repositories>"
                + "<pluginRepositories><pluginRepository>" + repository + "</pluginRepository></pluginRepositories>"
                + "</profile></profiles><activeProfiles><activeProfile>seed</activeProfile></activeProfiles></settings>");
        return settings;
    }

    private static void run(Path dir, String what, String command) throws IOException, InterruptedException {
        Path log = WORK.resolve(what.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        Process p = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(BUILD_GUARD.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(what + " still running after " + BUILD_GUARD + ": " + command);
        }
        assertEquals(0, p.exitValue(), what + " failed: " + command + "\n" + Files.readString(log));
    }

    private static Process startServer(Path base, int offset, Path spaces) throws IOException {
        Path home = Path.of(System.getProperty("jboss.home"));
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                "-Dfutexra.directory=" + spaces)
                .redirectErrorStream(true).redirectOutput(WORK.resolve("server-console.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "1"); // the script passes TERM on to the server's JVM
        env.put("JAVA_OPTS", "-Xms64m -Xmx384m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true");
        return builder.start();
    }

    /** README's first way to deploy: a copy into the deployments directory; waits for the scanner's verdict. */
    private static void deploy(Path base, Path archive, String name) throws IOException, InterruptedException {
        Path deployments = base.resolve("deployments");
        Files.copy(archive, deployments.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.nanoTime() + DEPLOY_GUARD.toNanos();
        while (!Files.exists(deployments.resolve(name + ".deployed"))) {
            if (Files.exists(deployments.resolve(name + ".failed"))) {
                throw new AssertionError(name + " failed to deploy: " + Files.readString(deployments.resolve(name + ".failed")));
            }
            assertTrue(System.nanoTime() < deadline, name + " not deployed within " + DEPLOY_GUARD + "; see "
                    + base.resolve("log/server.log"));
            Thread.sleep(200);
        }
    }

    private static void stop(Process server) throws InterruptedException {
        List<ProcessHandle> jvms = server.descendants().toList();
        jvms.forEach(ProcessHandle::destroy);
        server.destroy();
        for (ProcessHandle jvm : jvms) {
            try {
                jvm.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                jvm.destroyForcibly();
            }
        }
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /**
     * Deletes the previous run's files, keeping the private repository's downloads (what the seed
     * lacks comes from Maven Central once) but not futex-ra's own artifacts, which must come from
     * this run's install.
     */
    private static void freshStart(Path repo) throws IOException {
        if (Files.exists(WORK)) {
            try (Stream<Path> files = Files.list(WORK)) {
                for (Path f : files.filter(f -> !f.equals(repo)).toList()) {
                    deleteRecursively(f);
                }
            }
        }
        deleteRecursively(repo.resolve("io/futexra"));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }
}
