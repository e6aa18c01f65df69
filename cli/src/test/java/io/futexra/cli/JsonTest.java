package io.futexra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.futexra.testing.TinyJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void shouldEscapeEverythingJsonRequires() {
        String nasty = "q\"b\\s/ \n\r\t\b\f \u0001\u001f\u007f \u2028\u2029 \u00e9 \ud83d\udd12";
        String json = new Json().beginArray().beginObject().field("s", nasty).field("n", -42L).field("t", true)
                .field("z", (String) null).endObject().beginObject().endObject().endArray().toString();
        assertEquals("[{\"s\":\"q\\\"b\\\\s/ \\n\\r\\t\\b\\f \\u0001\\u001f\\u007f \\u2028\\u2029 \u00e9 \ud83d\udd12\","
                + "\"n\":-42,\"t\":true,\"z\":null},{}]", json);
        Object parsed = TinyJson.parse(json);
        assertEquals(List.of(Map.of("s", nasty, "n", -42L, "t", true), Map.of()), stripNulls(parsed));
    }

    @SuppressWarnings("unchecked")
    private static Object stripNulls(Object parsed) {
        List<Object> list = (List<Object>) parsed;
        ((Map<String, Object>) list.get(0)).remove("z");
        return list;
    }
}
