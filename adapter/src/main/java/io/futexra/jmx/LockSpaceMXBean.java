package io.futexra.jmx;

/** A lock space as an operator sees it; every attribute is read from the space when asked. */
public interface LockSpaceMXBean {

    /** The space's name. */
    String getName();

    /** How many objects the space holds now. */
    int getObjectCount();

    /** How many objects are held now (locks, write locks, semaphores with a permit taken). */
    int getHeldCount();

    /** How many threads wait on the space's objects now. */
    int getWaiterCount();

    /** Every object with its state: the same data as {@code futex-ra ls}. */
    ObjectState[] getObjects();
}
