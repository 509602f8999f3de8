package dev.vigil.alert;

import dev.vigil.config.Key;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Secret configuration values (which keys hold them is {@link Key#secrecy()}: the SMTP password, the Slack
 * webhook URL, whose path is its only credential, webhook secrets): how {@code vigil config} shows them, and the removal of their values from
 * any text Vigil logs or stores (an exception message from a transport may quote a URL). Masking by value as
 * well as by key is what keeps a secret out of an error nobody foresaw.
 */
public final class Secrets {

    public static final String MASK = "****";

    /** Values shorter than this are not redacted from text: "1" or "no" would mangle every message. */
    private static final int MIN_REDACTED = 4;

    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    /** The secret values among {@code properties} (resolved values, keyed by property name). */
    public static Secrets of(Map<String, String> properties) {
        List<String> values = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            Key.Secrecy secrecy = secrecy(key);
            if (secrecy == Key.Secrecy.SECRET || secrecy == Key.Secrecy.SECRET_PATH) {
                values.add(value.strip());
            } else if (secrecy == Key.Secrecy.URL_CREDENTIALS) {
                String masked = maskUrl(value.strip());
                if (!masked.equals(value.strip())) {
                    values.add(value.strip());
                }
            }
        });
        values.removeIf(v -> v.length() < MIN_REDACTED);
        values.sort(Comparator.comparingInt(String::length).reversed());
        return new Secrets(List.copyOf(values));
    }

    /** Whether the key's value is shown masked. */
    public static boolean secretKey(String key) {
        Key.Secrecy secrecy = secrecy(key);
        return secrecy == Key.Secrecy.SECRET || secrecy == Key.Secrecy.SECRET_PATH;
    }

    private static Key.Secrecy secrecy(String key) {
        return Key.of(key).map(Key::secrecy).orElse(Key.Secrecy.NONE);
    }

    /** The value as {@code vigil config} shows it: secrets masked, URLs without user information and query. */
    public static String shown(String key, String value) {
        if (value == null || value.isBlank()) {
            return value;
        }
        return switch (secrecy(key)) {
            case SECRET -> MASK;
            case SECRET_PATH -> maskUrl(value.strip(), true);
            case URL_CREDENTIALS -> maskUrl(value.strip());
            case NONE -> value;
        };
    }

    /** The text with every secret value replaced by {@value #MASK}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }

    private static String maskUrl(String url) {
        return maskUrl(url, false);
    }

    /** Keeps scheme, host and port; masks user information and query, and the path too if {@code path}. */
    private static String maskUrl(String url, boolean path) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return MASK;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return MASK;
        }
        StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(MASK).append('@');
        }
        out.append(uri.getHost());
        if (uri.getPort() >= 0) {
            out.append(':').append(uri.getPort());
        }
        if (path) {
            out.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : "/" + MASK);
        } else if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(MASK);
        }
        return out.toString();
    }
}
