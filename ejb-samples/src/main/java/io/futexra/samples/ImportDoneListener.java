package io.futexra.samples;

import io.futexra.EventNotice;
import io.futexra.jca.inflow.FutexEventListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * Woken in every server of the host when a batch job signals the manual-reset event
 * {@value #EVENT} — from a shell ({@code futex-ra signal import-done}), a batch JVM
 * ({@code space.event("import-done", MANUAL_RESET).signal()}) or another server.
 *
 * <p>It records each delivery as a line {@code pid delivery epochMillis} in
 * {@code import-done.received} next to the samples' other files (see {@code NightlyJob}), which the
 * tests and the demo read back. A manual-reset event is delivered once per signal edge in each
 * server that listens; the batch job resets it before its next run.
 *
 * <p>The binding to futex-ra.rar is in {@code META-INF/jboss-ejb3.xml}, so the MDB deploys also on
 * a server whose default resource adapter is another one.
 */
@MessageDriven(messageListenerInterface = FutexEventListener.class, activationConfig = {
        @ActivationConfigProperty(propertyName = "event", propertyValue = ImportDoneListener.EVENT),
        @ActivationConfigProperty(propertyName = "mode", propertyValue = "MANUAL_RESET"),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")})
public class ImportDoneListener implements FutexEventListener {

    static final String EVENT = "import-done";
    private static final Logger LOG = Logger.getLogger(ImportDoneListener.class.getName());

    @Override
    public void onEvent(EventNotice notice) {
        LOG.info("import-done received (delivery " + notice.delivery() + " in this server)");
        // ... start what waits for the import: refresh caches, run reports ...
        append("import-done.received", ProcessHandle.current().pid() + " " + notice.delivery() + " "
                + notice.deliveredAt().toEpochMilli());
    }

    /** Appends one line to a samples file (one small write: lines of several servers do not mix). */
    static void append(String file, String line) {
        try {
            Path dir = SampleFiles.dir();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
