import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** One ZooKeeper server (curator-test, tick 500 ms) on the port given, until killed: for zookeeper-before-after.sh. */
public class Server {
    public static void main(String[] args) throws Exception {
        try (TestingServer s = new TestingServer(new InstanceSpec(null, Integer.parseInt(args[0]), -1, -1, true, -1, 500, -1), true)) {
            System.out.println("up " + s.getConnectString());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
