import io.futexra.LockSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times creating (and opening, and closing) a space of the default capacity, then removing it:
 * {@code java -cp FUTEX_RA_CLASSES:JNA SpaceCreation.java DIR ROUNDS}. Prints
 * "min median mean" in microseconds. Run by {@code space-creation.sh} against two builds.
 */
public final class SpaceCreation {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        long[] micros = new long[rounds];
        for (int i = -rounds / 5; i < rounds; i++) { // the first fifth warms up, untimed
            String name = "s" + (i + rounds);
            long start = System.nanoTime();
            LockSpace.open(dir, name).close();
            long took = System.nanoTime() - start;
            if (!LockSpace.remove(dir, name)) {
                throw new IllegalStateException("space " + name + " was not created");
            }
            if (i >= 0) {
                micros[i] = took / 1_000;
            }
        }
        Arrays.sort(micros);
        System.out.printf("%d %d %d%n", micros[0], micros[rounds / 2], Arrays.stream(micros).sum() / rounds);
    }
}
