package io.futexra.servers;

/** The portable suite on WildFly 39 (the distribution from Maven Central, at a port offset). */
class WildFlyPortableIT extends PortableSuite {

    @Override
    AppServer server() {
        return new WildFlyServer();
    }
}
