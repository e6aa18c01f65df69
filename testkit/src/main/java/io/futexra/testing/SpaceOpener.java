package io.futexra.testing;

import io.futexra.LockSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens, in a child JVM, the space a contract test opened in its own JVM: how a backend-neutral
 * contract ({@code io.futexra.LockContract} and the others) reaches the same space from another
 * process without knowing the backend. The contract's {@code childSpaceArgs} names an
 * implementation (a public class with a public no-argument constructor) and its arguments;
 * {@link ContractChild} instantiates it and calls {@link #open}. A space a URI names needs no opener of its
 * own: {@link UriSpaceOpener} opens it through whichever backend serves the scheme.
 */
public interface SpaceOpener {

    /** Opens the space described by {@code args} (what {@link #args} was given after the class). */
    LockSpace open(List<String> args);

    /** The child arguments that make {@link ContractChild} open a space with {@code opener} and {@code args}. */
    static List<String> args(Class<? extends SpaceOpener> opener, String... args) {
        List<String> all = new ArrayList<>();
        all.add(opener.getName());
        all.addAll(List.of(args));
        return all;
    }

    /** Opens the space named by child arguments made with {@link #args}. */
    static LockSpace openFrom(List<String> childArgs) {
        try {
            SpaceOpener opener = (SpaceOpener) Class.forName(childArgs.get(0)).getConstructor().newInstance();
            return opener.open(childArgs.subList(1, childArgs.size()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make a space opener of " + childArgs, e);
        }
    }
}
