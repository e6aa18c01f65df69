package io.futexra.servers;

/** The portable suite on Payara Micro 6.2025.10. */
class PayaraMicroPortableIT extends PortableSuite {

    @Override
    AppServer server() {
        return new PayaraMicroServer();
    }
}
