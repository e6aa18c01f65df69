package io.futexra.jmx;

/** A lock space as an operator sees it; every attribute is read from the space when asked. */
public interface LockSpaceMXBean {

    /** {@return the space's name} */
    String getName();

    /** {@return how many objects the space holds now} */
    int getObjectCount();

    /** {@return how many objects are held now (locks, write locks, semaphores with a permit taken)} */
    int getHeldCount();

    /** {@return how many threads wait on the space's objects now} */
    int getWaiterCount();

    /** {@return every object with its state: the same data as {@code futex-ra ls}} */
    ObjectState[] getObjects();

    /**
     * {@return the space's figures, totals over every object: the same as
     * {@link io.futexra.LockSpace#statistics(java.util.Set, int)}}
     */
    FiguresState getStatistics();

    /**
     * {@return the figures of the objects the monitor was told to show and of the hottest others,
     * at most a fixed number: the same selection as {@link io.futexra.SpaceStatistics#selected()}}
     */
    FiguresState[] getLockStatistics();
}
