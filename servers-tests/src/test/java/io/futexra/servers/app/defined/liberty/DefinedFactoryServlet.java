package io.futexra.servers.app.defined.liberty;

import io.futexra.servers.app.defined.DefinedFactoryUse;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.servlet.annotation.WebServlet;

/** The definition on Open Liberty, where the adapter's name is the id of server.xml's resourceAdapter element. */
@ConnectionFactoryDefinition(
        name = DefinedFactoryUse.NAME,
        interfaceName = "io.futexra.jca.LockFactory",
        resourceAdapter = "futexra",
        transactionSupport = TransactionSupportLevel.NoTransaction,
        maxPoolSize = 16,
        properties = {"directory=/dev/shm/futex-ra-servers-it", "space=defined"})
@WebServlet("/defined")
public class DefinedFactoryServlet extends DefinedFactoryUse {

    private static final long serialVersionUID = 1L;
}
