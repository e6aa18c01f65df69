package io.futexra.core;

/**
 * What {@code statx(2)} says of a file: the fields the trust checks read.
 *
 * @param errno 0, or why the status could not be read (the other fields are then 0)
 * @param mode the file type and permission bits ({@code st_mode})
 * @param uid the owner
 * @param gid the group
 * @param device the file system's device, as {@code major << 32 | minor}
 * @param inode the inode number
 * @param size the length in bytes
 * @param blocks the 512-byte blocks allocated
 */
public record FileStatus(int errno, int mode, int uid, int gid, long device, long inode, long size, long blocks) {

    /** File type bits and the types futex-ra tells apart. */
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFSOCK = 0140000;
    /** Sticky bit: in a directory, only a file's owner (or the directory's) may remove or rename it. */
    static final int S_ISVTX = 01000;
    /** Writable by others. */
    static final int S_IWOTH = 02;

    /** A status that could not be read. */
    public static FileStatus failed(int errno) {
        return new FileStatus(errno, 0, 0, 0, 0, 0, 0, 0);
    }

    boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean writableByOthers() {
        return (mode & S_IWOTH) != 0;
    }

    boolean sticky() {
        return (mode & S_ISVTX) != 0;
    }

    /** The same inode as {@code other}. */
    boolean sameFileAs(FileStatus other) {
        return device == other.device && inode == other.inode;
    }

    /** "a symbolic link", "a FIFO", ...: what the file is, for messages. */
    String typeName() {
        switch (mode & S_IFMT) {
            case S_IFREG:
                return "a regular file";
            case S_IFDIR:
                return "a directory";
            case S_IFLNK:
                return "a symbolic link";
            case S_IFIFO:
                return "a FIFO (named pipe)";
            case S_IFCHR:
                return "a character device";
            case S_IFBLK:
                return "a block device";
            case S_IFSOCK:
                return "a socket";
            default:
                return "a file of unknown type 0" + Integer.toOctalString(mode & S_IFMT);
        }
    }

    /** The permission bits as {@code ls} shows them, e.g. {@code rwxrwx--T} → octal {@code 1770}. */
    String octalMode() {
        return String.format("%04o", mode & 07777);
    }
}
