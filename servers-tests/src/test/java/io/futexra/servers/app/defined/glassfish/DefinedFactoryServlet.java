package io.futexra.servers.app.defined.glassfish;

import io.futexra.servers.app.defined.DefinedFactoryUse;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.servlet.annotation.WebServlet;

/** The definition where the adapter's name is the RAR's name without .rar: Payara / GlassFish (and WildFly). */
@ConnectionFactoryDefinition(
        name = DefinedFactoryUse.NAME,
        interfaceName = "io.futexra.jca.LockFactory",
        resourceAdapter = "futex-ra",
        transactionSupport = TransactionSupportLevel.NoTransaction,
        maxPoolSize = 16,
        properties = {"directory=/dev/shm/futex-ra-servers-it", "space=defined"})
@WebServlet("/defined")
public class DefinedFactoryServlet extends DefinedFactoryUse {

    private static final long serialVersionUID = 1L;
}
