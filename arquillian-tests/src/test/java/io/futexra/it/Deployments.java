package io.futexra.it;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The archives the tests deploy: the real RAR and samples jar as built, and small test WARs. */
public final class Deployments {

    /** The name every client of the adapter names in its MANIFEST Dependencies. */
    public static final String RAR_NAME = "futex-ra.rar";
    private static final String DEPENDS_ON_RAR = "Manifest-Version: 1.0\nDependencies: deployment." + RAR_NAME + "\n";

    private Deployments() {
    }

    /** Where the test servers' default connection definition keeps its space (-Dfutexra.directory). */
    public static Path spaceDirectory() {
        return Path.of(System.getProperty("futexra.directory"));
    }

    private static File built(String name) {
        Path dir = Path.of(System.getProperty("deployments.dir", "target/deployments"));
        File f = dir.resolve(name).toFile();
        if (!f.isFile()) {
            throw new IllegalStateException(f + " is missing: run through 'mvn verify' (pre-integration-test copies it)");
        }
        return f;
    }

    /** futex-ra.rar exactly as the adapter module built it. */
    public static ResourceAdapterArchive rar() {
        return rarNamed(RAR_NAME);
    }

    /** futex-ra.rar as built, deployed under another name (a second copy of the adapter). */
    public static ResourceAdapterArchive rarNamed(String name) {
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(built(RAR_NAME)).as(ResourceAdapterArchive.class);
    }

    /**
     * futex-ra.rar made to use the static {@code com.sun.jna} module instead of its own JNA, exactly
     * as docs/wildfly.md says: without {@code jna-*.jar}, with {@code Dependencies: com.sun.jna}.
     */
    public static ResourceAdapterArchive rarUsingJnaModule() {
        ResourceAdapterArchive rar = rar();
        List<ArchivePath> jna = rar.getContent().keySet().stream()
                .filter(p -> p.get().matches("/jna-[0-9.]+\\.jar")).toList();
        if (jna.size() != 1) {
            throw new IllegalStateException("expected one bundled jna jar in " + RAR_NAME + ", found " + jna);
        }
        rar.delete(jna.get(0));
        return rar.setManifest(new StringAsset("Manifest-Version: 1.0\nDependencies: com.sun.jna\n"));
    }

    /** The ejb-samples jar exactly as built (its MANIFEST already depends on the RAR). */
    public static JavaArchive samples(String name) {
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(built("futex-ra-ejb-samples.jar")).as(JavaArchive.class);
    }

    /** A WAR that sees the adapter's classes (LockFactory, LockSpace...). */
    public static WebArchive war(String name) {
        return ShrinkWrap.create(WebArchive.class, name).setManifest(new StringAsset(DEPENDS_ON_RAR));
    }

    /** A WAR that does not depend on the RAR (so it stays while the RAR is redeployed). */
    public static WebArchive independentWar(String name) {
        return ShrinkWrap.create(WebArchive.class, name);
    }
}
