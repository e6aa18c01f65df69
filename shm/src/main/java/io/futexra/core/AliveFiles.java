package io.futexra.core;

import io.futexra.FutexRaException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alive files of one space directory as this process uses them: its own, where its threads'
 * alive words for the directory's spaces live, and the other processes', read to learn whether
 * their participants live (see {@link Participants}, and {@link AliveFileDescriptor} for the
 * file's layout).
 *
 * <p>Why a file of its own. The kernel's walk of a dying thread's robust list reads each alive
 * word; a word in a space file could be cut off by any co-writer of that space with
 * {@code ftruncate}, and the walk stops at the first word it cannot read, so the thread's words in
 * other spaces were never marked. An alive file is written by its owner alone: nobody else can
 * shorten, replace or write it (a writer of the <em>directory</em> can unlink it, which makes its
 * owner look dead to the directory's spaces, and could as well replace those spaces).
 *
 * <p>The own file. Made when a space of the directory is first opened: a nameless file ({@code O_TMPFILE}) made mode 0644, locked
 * (an open-file-description read lock on byte 0: "my owner lives", held until the process ends),
 * grown to {@link AliveFileDescriptor#GROWTH_WORDS} words, then linked under a fresh random name
 * ({@code linkat} fails on any existing name, a symlink included, so nobody can squat it: another
 * name is drawn). Words are handed out and taken back here; each hand-out bumps the word's serial.
 * When the last user (an open space handle of the directory, or a word in use) is gone, the file is
 * unlinked ({@link #dispose}). Files left by killed processes of this user are removed when this
 * process makes its own: any of this user's alive files on which no process holds a lock (OFD or
 * POSIX record lock on byte 0).
 *
 * <p>The others' files, for waiters. Opened read-only without following a symlink, accepted only
 * if a regular file owned by the uid the participant entry records and writable by nobody else,
 * mapped read-only (once per file, {@link AliveFileDescriptor#MAX_WORDS} words long whatever the
 * file's size, so growth never remaps), and <em>never read through that mapping</em>: a file its
 * owner shortens must not fault us. The mapping's addresses are handed to the kernel only
 * ({@code futex_waitv}, {@code FUTEX_WAKE}: a page past the end gives {@code EFAULT}, not a fault);
 * words are read with {@code pread}. A file found "dead" is checked to still be the one its name
 * names, so that a file removed and a new one of the same id are never confused. What a claim names
 * is an untrusted number from a space file: a name that leads nowhere, to a file that fails the
 * checks, or to a word whose serial differs reads as dead.
 */
final class AliveFiles {

    /** What {@link #look} found: where the alive word is (to sleep on or wake) and what it holds. */
    record Seen(long address, int value) {
    }

    /** A word handed out to a participation of this process. */
    record Word(int fd, int fileId, int index, int serial) {
        long claim() {
            return ParticipantDescriptor.claim(fileId, index, serial);
        }
    }

    /** Another process's (or our own) alive file, opened read-only. */
    private record Other(int id, int fd, long address, FileStatus identity) {
    }

    /** For {@link #look}: accept an alive file whoever owns it. */
    static final int ANY_OWNER = -1;
    private static final long MAPPED_LENGTH = AliveFileDescriptor.fileLength(AliveFileDescriptor.MAX_WORDS);
    private static final int OWNER_MODE = 0644;
    private static final int CREATE_ATTEMPTS = 100;
    private static final int EMFILE = 24;
    private static final int ENFILE = 23;
    private static final int ENOMEM = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProcessContext process;
    private final Kernel kernel;
    private final Path directory;
    /** The directory's identity (device, inode): the key of this object in {@link ProcessContext}. */
    final Object key;
    private final int directoryFd;
    private final int uid;
    /** Open handles of the directory's spaces and words in use; guarded by {@link ProcessContext}. */
    int users;

    // The own file; guarded by this.
    private int ownFd = -1;
    private int ownId;
    private long ownInode;
    private int capacity;
    private int used;
    private int[] serials = new int[0];
    private final ArrayDeque<Integer> free = new ArrayDeque<>();

    private final ConcurrentHashMap<Integer, Other> others = new ConcurrentHashMap<>();
    /** Mappings of files found replaced, kept until disposal: a sleeper may still name them. */
    private final List<Long> replacedMappings = new ArrayList<>();
    /** A thread's 8 bytes for {@code pread}, followed by their own address (so no native call finds it). */
    private final ThreadLocal<ByteBuffer> readBuffers = ThreadLocal.withInitial(this::readBuffer);

    AliveFiles(ProcessContext process, Path directory, Object key, int directoryFd) {
        this.process = process;
        this.kernel = process.kernel;
        this.directory = directory;
        this.key = key;
        this.directoryFd = directoryFd;
        this.uid = kernel.geteuid();
    }

    /** The effective uid this process's words are recorded under. */
    int uid() {
        return uid;
    }

    /**
     * Makes the own file now if it is not made yet, with room for its first
     * {@link AliveFileDescriptor#GROWTH_WORDS} words: called when a space of the directory is
     * opened, so that a file system that fills up later does not keep its first threads out.
     */
    synchronized void prepare() {
        if (ownFd < 0) {
            create();
        }
    }

    /**
     * A word of the own file for a new participation, with its serial bumped (the file made on
     * first use); it keeps these files in use until {@link #give}n back.
     */
    Word take() {
        process.retainAliveFiles(this);
        boolean taken = false;
        try {
            Word word = takeWord();
            taken = true;
            return word;
        } finally {
            if (!taken) {
                process.releaseAliveFiles(this);
            }
        }
    }

    private synchronized Word takeWord() {
        if (ownFd < 0) {
            create();
        }
        int index;
        if (!free.isEmpty()) {
            index = free.pop();
        } else {
            if (used == capacity) {
                grow();
            }
            index = used++;
        }
        int serial = (serials[index] + 1) & ParticipantDescriptor.SERIAL_MASK;
        serials[index] = serial;
        return new Word(ownFd, ownId, index, serial);
    }

    /** Word {@code index} is dead or retired and serves nobody any more. */
    void give(int index) {
        synchronized (this) {
            free.push(index);
        }
        process.releaseAliveFiles(this);
    }

    /**
     * The alive word {@code claim} names, in the alive file of user {@code ownerUid} ({@link #ANY_OWNER}:
     * whoever owns it) whose inode number is {@code inode} (0: whatever file the name names now;
     * negative: none);
     * null if it names none (no such file, a file that fails the checks or is not that inode, a
     * word past its end, another serial).
     *
     * @throws FutexRaException if this process cannot open files now (out of descriptors or memory):
     *     whether the owner lives cannot be told
     */
    Seen look(long claim, int ownerUid, long inode) {
        int id = ParticipantDescriptor.claimFileId(claim);
        if (id == 0) {
            return null;
        }
        if (inode < 0) {
            return null; // names no file
        }
        Other file = open(id, ownerUid);
        if (file != null && inode != 0 && file.identity.inode() != inode) {
            FileStatus named = kernel.stat(directoryFd, AliveFileDescriptor.fileName(id));
            if (named.errno() != 0 || named.inode() != inode) {
                return null; // not the file the entry names (a forged inode, or that file is gone)
            }
            forget(file); // a file of the same id made after the one we know: open what the name names now
            file = open(id, ownerUid);
            if (file != null && file.identity.inode() != inode) {
                return null;
            }
        }
        if (file == null) {
            return null;
        }
        Seen seen = read(file, claim);
        if (inode == 0 && (seen == null || (seen.value & RobustMutex.TID_MASK) == 0) && !stillNamed(file)) {
            forget(file); // removed, or replaced by a new file of the same id: look at what the name names now
            file = open(id, ownerUid);
            seen = file == null ? null : read(file, claim);
        }
        return seen;
    }

    /** The inode number of the own file (0 before it is made), recorded in participant entries. */
    synchronized long ownInode() {
        return ownInode;
    }

    private ByteBuffer readBuffer() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(24).alignedSlice(8).order(ByteOrder.nativeOrder());
        buffer.putLong(8, kernel.addressOf(buffer));
        return buffer;
    }

    /**
     * Where the alive word {@code claim} names is mapped here, to wake its sleepers, or 0 if it
     * names no file that passes the checks. Nothing is read: a wake of the wrong word is only a
     * spurious wake.
     */
    long address(long claim, int ownerUid) {
        int id = ParticipantDescriptor.claimFileId(claim);
        int index = ParticipantDescriptor.claimWordIndex(claim);
        Other file = id == 0 || index >= AliveFileDescriptor.MAX_WORDS ? null : open(id, ownerUid);
        return file == null ? 0 : file.address + AliveFileDescriptor.aliveOffset(index);
    }

    private Seen read(Other file, long claim) {
        int index = ParticipantDescriptor.claimWordIndex(claim);
        if (index >= AliveFileDescriptor.MAX_WORDS) {
            return null;
        }
        ByteBuffer buffer = readBuffers.get();
        long offset = AliveFileDescriptor.aliveOffset(index);
        long n = kernel.read(file.fd, buffer.getLong(8), 8, offset);
        if (n != 8) {
            return null; // past the file's end
        }
        if ((buffer.getInt(AliveFileDescriptor.SERIAL_DELTA) & ParticipantDescriptor.SERIAL_MASK)
                != ParticipantDescriptor.claimSerial(claim)) {
            return null; // the word serves another participation now
        }
        return new Seen(file.address + offset, buffer.getInt(0));
    }

    private Other open(int id, int ownerUid) {
        Other known = others.get(id);
        if (known != null) {
            return ownerUid == ANY_OWNER || known.identity.uid() == ownerUid ? known : null;
        }
        synchronized (others) {
            known = others.get(id);
            if (known != null) {
                return ownerUid == ANY_OWNER || known.identity.uid() == ownerUid ? known : null;
            }
            int fd = kernel.openReadOnly(directoryFd, AliveFileDescriptor.fileName(id));
            if (fd < 0) {
                if (fd == -EMFILE || fd == -ENFILE || fd == -ENOMEM) {
                    throw new FutexRaException("cannot open alive file " + directory.resolve(AliveFileDescriptor.fileName(id))
                            + " (" + Errno.describe(-fd) + "): whether its owner lives cannot be told. Raise this"
                            + " process's limit of open files (ulimit -n).");
                }
                return null; // no such file (its owner ended), or not ours to read: nobody lives there
            }
            FileStatus status = kernel.stat(fd, "");
            if (status.errno() != 0 || !status.isRegularFile() || ownerUid != ANY_OWNER && status.uid() != ownerUid
                    || (status.mode() & 022) != 0) {
                kernel.close(fd);
                return null; // not an alive file its owner alone may write
            }
            long address = kernel.mapReadOnly(fd, MAPPED_LENGTH);
            if (address < 0) {
                kernel.close(fd);
                throw new FutexRaException("cannot map alive file " + directory.resolve(AliveFileDescriptor.fileName(id))
                        + " (" + Errno.describe((int) -address) + "): the process may be out of memory mappings"
                        + " (vm.max_map_count)");
            }
            Other file = new Other(id, fd, address, status);
            others.put(id, file);
            return file;
        }
    }

    private boolean stillNamed(Other file) {
        FileStatus named = kernel.stat(directoryFd, AliveFileDescriptor.fileName(file.id));
        return named.errno() == 0 && named.sameFileAs(file.identity);
    }

    private void forget(Other file) {
        synchronized (others) {
            if (others.remove(file.id, file)) {
                kernel.close(file.fd);
                replacedMappings.add(file.address);
            }
        }
    }

    private void create() {
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            int id = RANDOM.nextInt();
            if (id == 0) {
                continue;
            }
            String name = AliveFileDescriptor.fileName(id);
            long made = kernel.createFile(directoryFd, name);
            if (made == -Kernel.EEXIST) {
                continue; // the name is taken (by anyone, for anything): draw another
            }
            if (made < 0) {
                throw cannot("create", (int) -made);
            }
            int fd = (int) made;
            boolean named = (made >>> 32) != 0;
            int rc = kernel.fchmod(fd, OWNER_MODE);
            if (rc == 0) {
                rc = kernel.lockByteShared(fd, 0); // "my owner lives", until the process ends
            }
            if (rc == 0) {
                rc = kernel.allocateRange(fd, 0, AliveFileDescriptor.fileLength(AliveFileDescriptor.GROWTH_WORDS));
            }
            if (rc == 0 && !named) {
                rc = kernel.linkAt(fd, directoryFd, name);
                if (rc == -Kernel.EEXIST) {
                    kernel.close(fd);
                    continue;
                }
            }
            if (rc != 0) {
                if (named) {
                    kernel.unlinkAt(directoryFd, name);
                }
                kernel.close(fd);
                throw cannot("prepare", -rc);
            }
            removeLeftovers();
            ownFd = fd;
            ownId = id;
            ownInode = kernel.stat(fd, "").inode();
            capacity = AliveFileDescriptor.GROWTH_WORDS;
            serials = new int[capacity];
            return;
        }
        throw new FutexRaException("cannot find a free name for this process's alive file in " + directory
                + " after " + CREATE_ATTEMPTS + " attempts: remove the .futex-ra-alive-* files no process uses");
    }

    private FutexRaException cannot(String what, int errno) {
        return new FutexRaException("cannot " + what + " this process's alive file in " + directory + " ("
                + Errno.describe(errno) + "): a process that uses a space keeps the words the kernel marks at its"
                + " threads' deaths in a file of its own in the space's directory, so it must be allowed to"
                + " create files there (write permission on " + directory + ", and room on its file system)");
    }

    private void grow() {
        if (capacity + AliveFileDescriptor.GROWTH_WORDS > AliveFileDescriptor.MAX_WORDS) {
            throw new FutexRaException("this process already takes part " + capacity + " times at once in the"
                    + " spaces of " + directory + " (threads times spaces), the most one process may: close spaces"
                    + " its threads no longer use, or use fewer threads");
        }
        int more = capacity + AliveFileDescriptor.GROWTH_WORDS;
        long from = AliveFileDescriptor.fileLength(capacity);
        int rc = kernel.allocateRange(ownFd, from, AliveFileDescriptor.fileLength(more) - from);
        if (rc != 0) {
            throw cannot("grow", -rc);
        }
        capacity = more;
        serials = Arrays.copyOf(serials, capacity);
    }

    /**
     * Removes this user's alive files in the directory that no process holds locked: their owners
     * were killed. Only regular files of this user, never through a symlink, and only the file
     * that was locked and checked (the name must still name it).
     */
    private void removeLeftovers() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, AliveFileDescriptor.NAME_PREFIX + "*")) {
            for (Path p : found) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException | RuntimeException unreadable) {
            return; // a directory we may write but not list: leftovers stay (they harm nobody)
        }
        for (String name : names) {
            FileStatus status = kernel.stat(directoryFd, name);
            if (status.errno() != 0 || !status.isRegularFile() || status.uid() != uid) {
                continue;
            }
            int fd = kernel.openReadOnly(directoryFd, name);
            if (fd < 0) {
                continue;
            }
            try {
                FileStatus opened = kernel.stat(fd, "");
                if (opened.errno() == 0 && opened.sameFileAs(status) && opened.uid() == uid
                        && kernel.byteLockedByOthers(fd, 0) == 0
                        && kernel.stat(directoryFd, name).sameFileAs(opened)) {
                    kernel.unlinkAt(directoryFd, name);
                }
            } finally {
                kernel.close(fd);
            }
        }
    }

    /** The last user is gone: unlinks the own file, closes and unmaps everything. */
    synchronized void dispose() {
        if (ownFd >= 0) {
            String name = AliveFileDescriptor.fileName(ownId);
            FileStatus own = kernel.stat(ownFd, "");
            if (own.errno() == 0 && kernel.stat(directoryFd, name).sameFileAs(own)) {
                kernel.unlinkAt(directoryFd, name);
            }
            kernel.close(ownFd);
            ownFd = -1;
        }
        synchronized (others) {
            for (Other file : others.values()) {
                kernel.close(file.fd);
                kernel.unmap(file.address, MAPPED_LENGTH);
            }
            others.clear();
            for (long address : replacedMappings) {
                kernel.unmap(address, MAPPED_LENGTH);
            }
            replacedMappings.clear();
        }
        kernel.close(directoryFd);
    }
}
