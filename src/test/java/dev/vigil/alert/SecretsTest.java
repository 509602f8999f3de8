package dev.vigil.alert;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecretsTest {

    @Test
    void passwordsAndWebhookSecretsAreMaskedWhole() {
        assertEquals("****", Secrets.shown("vigil.email.password", "hunter2"));
        assertEquals("****", Secrets.shown("vigil.webhook.secret", "s"));
        assertEquals("****", Secrets.shown("vigil.webhook.siem.secret", "s"));
        assertEquals("****", Secrets.shown("vigil.email.security.password", "hunter2"));
        assertEquals("****", Secrets.shown("vigil.email.truststore.password", "changeit"));
        assertEquals("", Secrets.shown("vigil.webhook.secret", ""), "an empty secret shows that it is empty");
    }

    @Test
    void aSlackWebhookShowsOnlyItsHostBecauseItsPathIsTheCredential() {
        assertEquals("https://hooks.slack.com/****",
                Secrets.shown("vigil.slack.webhook", "https://hooks.slack.com/services/T1/B2/abc"));
    }

    @Test
    void urlsLoseUserInformationAndQueryButKeepHostAndPath() {
        assertEquals("https://****@siem.example.org:8443/in?****",
                Secrets.shown("vigil.webhook.url", "https://user:pw@siem.example.org:8443/in?token=t"));
        assertEquals("https://siem.example.org/in", Secrets.shown("vigil.webhook.url", "https://siem.example.org/in"));
        assertEquals("smtp://mail.example.org:587", Secrets.shown("vigil.email.smtp", "smtp://mail.example.org:587"));
        assertEquals("smtps://****@mail.example.org:465", Secrets.shown("vigil.email.security.smtp", "smtps://u:pw@mail.example.org:465"));
        assertEquals("/usr/bin,/etc", Secrets.shown("vigil.files.areas", "/usr/bin,/etc"));
    }

    @Test
    void secretValuesAreRedactedFromAnyText() {
        Secrets secrets = Secrets.of(Map.of("vigil.email.password", "hunter2",
                "vigil.slack.webhook", "https://hooks.slack.com/services/T1/B2/abc",
                "vigil.webhook.url", "https://siem.example.org/in?token=t0k3n",
                "vigil.files.areas", "/etc"));
        assertEquals("login failed for **** at ****: refused, ****",
                secrets.redact("login failed for hunter2 at https://hooks.slack.com/services/T1/B2/abc: refused, "
                        + "https://siem.example.org/in?token=t0k3n"));
        assertEquals("cannot read /etc", secrets.redact("cannot read /etc"), "ordinary values stay");
    }
}
