package io.futexra.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The instances of one copy of the RAR share its claim, and only the last one to stop is told it
 * was the last: the one that may dispose the copy's JNA. (When the first of two instances disposed
 * it, WildFly's reload after removing a subsystem-activated instance logged WFLYJCA0097 with an
 * {@code UnsatisfiedLinkError} from the other instance's {@code ShmLockSpace.close}.)
 */
class CopyClaimTest {

    @Test
    void shouldTellOnlyTheLastOfTwoInstancesThatItWasTheLast() {
        assertNull(System.getProperty(CopyClaim.PROPERTY), "no instance holds the claim before the test");
        CopyClaim.take(); // the built-in definition's instance
        CopyClaim.take(); // an instance activated through the resource-adapters subsystem
        String claimedBy = System.getProperty(CopyClaim.PROPERTY);
        assertNotNull(claimedBy, "the copy's claim is taken");
        assertFalse(CopyClaim.release(), "the first instance to stop is not the last: the other still runs");
        assertEquals(claimedBy, System.getProperty(CopyClaim.PROPERTY), "the other instance keeps the claim");
        assertTrue(CopyClaim.release(), "the second is the last");
        assertNull(System.getProperty(CopyClaim.PROPERTY), "the last instance gives the claim up");
    }
}
