package io.futexra.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTest {

    @Test
    void shouldConvertEveryDurationThatFitsExactly() {
        assertEquals(0, Timeouts.saturatedNanos(Duration.ZERO));
        assertEquals(1_500_000_000L, Timeouts.saturatedNanos(Duration.ofMillis(1500)));
        assertEquals(-7, Timeouts.saturatedNanos(Duration.ofNanos(-7)));
        Duration nearTop = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L - 1, 999_999_999);
        assertEquals(nearTop.toNanos(), Timeouts.saturatedNanos(nearTop));
        assertEquals(Duration.ofSeconds(-nearTop.getSeconds()).toNanos(),
                Timeouts.saturatedNanos(Duration.ofSeconds(-nearTop.getSeconds())));
    }

    @Test
    void shouldSaturateWhereToNanosWouldOverflow() {
        assertEquals(Long.MAX_VALUE, Timeouts.saturatedNanos(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)));
        assertEquals(Long.MAX_VALUE, Timeouts.saturatedNanos(Duration.ofSeconds(Long.MAX_VALUE)));
        assertEquals(Long.MAX_VALUE, Timeouts.saturatedNanos(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        assertEquals(Long.MIN_VALUE, Timeouts.saturatedNanos(Duration.ofSeconds(Long.MIN_VALUE)));
        assertEquals(Long.MIN_VALUE, Timeouts.saturatedNanos(Duration.ofNanos(Long.MIN_VALUE).minusNanos(1)));
    }
}
