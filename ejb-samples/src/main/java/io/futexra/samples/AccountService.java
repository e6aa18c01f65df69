package io.futexra.samples;

import io.futexra.jca.LockConnection;
import io.futexra.jca.LockFactory;
import io.futexra.jca.TransactionHold;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Account balances updated read-modify-write under a lock held until the transaction ends —
 * what {@code SELECT … FOR UPDATE} gives, without a database lock. (The balances are plain files
 * here to keep the sample small; the point is the lock, which would equally guard a remote
 * system or a cache.)
 *
 * <p>The lock is taken with {@code acquireForTransaction}: it outlives the {@code LockConnection}
 * (closed at the end of the try block) and is released when the container commits or rolls back
 * the method's transaction — after the method returned or threw.
 */
@Stateless
public class AccountService {

    @Resource(lookup = "java:/futex-ra/LockFactory")
    private LockFactory locks;

    /** Adds {@code amount} to the account and returns the new balance; the lock is held until commit. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long deposit(String account, long amount) {
        try (LockConnection c = locks.getConnection()) {
            TransactionHold hold = c.lock("account-" + account).acquireForTransaction(Duration.ofSeconds(10));
            long balance = balance(account) + amount;
            write(account, balance, hold.fencingToken());
            return balance;
        }
    }

    /** The current balance (read without the lock: a snapshot). */
    public long balance(String account) {
        Path file = file(account);
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).split(" ")[0]) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String account, long balance, long fencingToken) {
        try {
            Files.writeString(file(account), balance + " " + fencingToken, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String account) {
        try {
            Path dir = SampleFiles.dir().resolve("accounts");
            Files.createDirectories(dir);
            return dir.resolve(account.replaceAll("[^A-Za-z0-9_-]", "_"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
