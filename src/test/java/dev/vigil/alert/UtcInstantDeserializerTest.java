package dev.vigil.alert;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@link Json} reads every Instant as jackson-datatype-jsr310's own deserializer read it: the same instant, or a failure. */
class UtcInstantDeserializerTest {

    /** Jackson's own reading, as {@link Json} had it. */
    private static final ObjectMapper JACKSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T01:05:37Z", "2026-11-22T01:05:37.5Z", "2026-11-22T01:05:37.123456Z",
            "2026-11-22T01:05:37.123456789Z", "2024-02-29T23:59:59.000000001Z", "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00.01Z"})
    void theFormVigilWritesReadsAsJacksonReadsIt(String text) throws Exception {
        assertEquals(JACKSON.readValue(quoted(text), Instant.class), Json.mapper().readValue(quoted(text), Instant.class));
        assertNotNull(UtcInstantDeserializer.utc(text), "read by position: " + text);
    }

    @Test
    void jsonReadsInstantsByPosition() throws Exception {
        ObjectMapper mapper = Json.mapper();
        DeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createInstance(mapper.getDeserializationConfig(), mapper.createParser("\"\""), null);
        assertInstanceOf(UtcInstantDeserializer.class, context.findRootValueDeserializer(mapper.constructType(Instant.class)));
    }

    @Test
    void whatVigilWritesReadsBack() {
        Instant now = Instant.now();
        for (Instant instant : new Instant[] {now, now.plusNanos(1), Instant.ofEpochSecond(now.getEpochSecond()), Instant.EPOCH}) {
            assertEquals(instant, Json.read(Json.write(instant), Instant.class));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z", "2026-12-31T23:59:60Z",
            "2026-11-22t01:05:37z", " 2026-11-22T01:05:37Z", "2026-11-22T01:05:37.Z", "+12026-11-22T01:05:37Z",
            "2026-11-22T01:05:37.1234567890Z", "2026-11-22T01:05:37+01:00", "2026-11-22 01:05:37Z", "1732234567890",
            "2026-11-22T01:05:3٣Z", "2026-1a-22T01:05:37Z", "", "not a time"})
    void anyOtherTextIsJacksonsToReadOrRefuse(String text) {
        assertEquals(outcome(JACKSON, text), outcome(Json.mapper(), text), text);
    }

    @Test
    void aNumberIsJacksonsToRead() throws Exception {
        assertEquals(JACKSON.readValue("1732234567.5", Instant.class), Json.mapper().readValue("1732234567.5", Instant.class));
    }

    private static String outcome(ObjectMapper mapper, String text) {
        try {
            return Objects.toString(mapper.readValue(quoted(text), Instant.class));
        } catch (Exception e) {
            return "refused";
        }
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
