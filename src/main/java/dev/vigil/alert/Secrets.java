package dev.vigil.alert;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which configuration values are secret (the SMTP password, the Slack webhook URL, whose path is its only
 * credential, and webhook secrets), how {@code vigil config} shows them, and the removal of their values from
 * any text Vigil logs or stores (an exception message from a transport may quote a URL). Masking by value as
 * well as by key is what keeps a secret out of an error nobody foresaw.
 */
public final class Secrets {

    public static final String MASK = "****";

    /** Keys whose whole value is secret. */
    private static final Pattern SECRET_KEY = Pattern.compile("vigil\\.(.+\\.)?(password|secret|token)"
            + "|vigil\\.slack(\\.[a-z0-9_-]+)?\\.webhook");
    /** Keys holding a URL whose user information and query may carry a credential. */
    private static final Pattern URL_KEY = Pattern.compile("vigil\\.(webhook(\\.[a-z0-9_-]+)?\\.url|email(\\.[a-z0-9_-]+)?\\.smtp)");
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
            if (SECRET_KEY.matcher(key).matches()) {
                values.add(value.strip());
            } else if (URL_KEY.matcher(key).matches()) {
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
        return SECRET_KEY.matcher(key).matches();
    }

    /** The value as {@code vigil config} shows it: secrets masked, URLs without user information and query. */
    public static String shown(String key, String value) {
        if (value == null || value.isBlank()) {
            return value;
        }
        if (SECRET_KEY.matcher(key).matches()) {
            return key.contains(".slack") ? maskUrl(value.strip(), true) : MASK;
        }
        if (URL_KEY.matcher(key).matches()) {
            return maskUrl(value.strip());
        }
        return value;
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
