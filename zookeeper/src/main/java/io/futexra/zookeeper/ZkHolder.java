package io.futexra.zookeeper;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who holds a node, as written into lock nodes and read back by {@link io.futexra.LockSpace#objects()}:
 * {@code PID TID HOST THREAD}, where PID is the process id on HOST and TID the Java thread id
 * (ZooKeeper clients are on many hosts: a kernel thread id would say little).
 *
 * @param pid the holder's process id on its host
 * @param tid the holder's Java thread id
 * @param host the holder's host name
 * @param thread the holder thread's name
 */
record ZkHolder(long pid, long tid, String host, String thread) {

    private static final String HOST = hostName();

    /** The calling thread, encoded. */
    static String current() {
        Thread t = Thread.currentThread();
        return ProcessHandle.current().pid() + " " + t.getId() + " " + HOST + " " + t.getName();
    }

    /** This process, with no thread (Java thread id 0): for recipes that write one value per instance. */
    static String process() {
        return ProcessHandle.current().pid() + " 0 " + HOST + " -";
    }

    /** Reads what {@link #current()} wrote; null if the node holds something else. */
    static ZkHolder parse(String data) {
        String[] parts = data.split(" ", 4);
        if (parts.length < 4) {
            return null;
        }
        try {
            return new ZkHolder(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2], parts[3]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(' ', '_');
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
