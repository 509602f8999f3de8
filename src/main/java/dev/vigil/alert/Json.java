package dev.vigil.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.time.Instant;

/**
 * The one Jackson configuration for findings and reports, so the event history, the outbox, the NDJSON file
 * and webhook bodies all agree on the same JSON.
 *
 * <ul>
 *   <li>{@code Instant}s are RFC 3339 strings in UTC ({@code 2026-11-22T01:05:37.5Z}), not epoch numbers; that form
 *       is read by its positions ({@link UtcInstantDeserializer}), any other as jackson-datatype-jsr310 reads it.</li>
 *   <li>Map entries are written sorted by key: {@link Finding#details()} is an immutable map whose iteration
 *       order changes from run to run, and a stable byte form keeps signatures, diffs and tests reproducible.</li>
 *   <li>Unknown properties are ignored on reading, so a row written by a newer Vigil still loads.</li>
 *   <li>Whole numbers in {@code details} read back as {@code Long} and fractions as {@code Double}; producers
 *       therefore put {@code long}/{@code double} (not {@code int}) into details for an exact round trip.</li>
 * </ul>
 * The mapper is thread-safe once configured; share it rather than making new ones.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("utc-instants").addDeserializer(Instant.class, new UtcInstantDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One compact JSON object on one line (no newline), as NDJSON and webhook bodies want it. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
