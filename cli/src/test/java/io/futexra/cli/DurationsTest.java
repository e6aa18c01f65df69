package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shouldReadEveryDocumentedForm() {
        assertEquals(Duration.ofMillis(250), Durations.parse("--timeout", "250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("--timeout", "30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("--timeout", "5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("--timeout", "1h"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("--timeout", "PT30S"));
        assertEquals(Duration.ofMillis(500), Durations.parse("--timeout", "PT0.5S"));
        assertEquals(Duration.ZERO, Durations.parse("--timeout", "0"));
        assertEquals(Duration.ZERO, Durations.parse("--timeout", "0s"));
    }

    @Test
    void shouldRefuseAnythingElseWithAUsageError() {
        for (String bad : new String[] {"", "s", "5", "5x", "5 s", "-5s", "1.5s", "5S", "PT", "PT-1S", "1000000000000000s",
            "9999h", "P400D"}) {
            CliException e = assertThrows(CliException.class, () -> Durations.parse("--timeout", bad), bad);
            assertEquals(64, e.exitCode());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void shouldReadABareZeroButNoOtherBareNumber() {
        assertEquals(Duration.ZERO, Durations.parse("--timeout", "0"));
        assertThrows(CliException.class, () -> Durations.parse("--timeout", "5"));
    }

    @Test
    void shouldFormatInTheLargestExactUnit() {
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("0ms", Durations.format(Duration.ZERO));
    }
}
