package io.futexra.servers;

/** The portable suite on Open Liberty 26.0.0.3. */
class LibertyPortableIT extends PortableSuite {

    @Override
    AppServer server() {
        return new LibertyServer();
    }
}
