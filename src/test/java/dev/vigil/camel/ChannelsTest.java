package dev.vigil.camel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelsTest {

    @Test
    void aChannelWithAnEmptyTargetKeyIsNotLoaded() {
        Map<String, String> config = Map.of("vigil.webhook.url", "https://example.org/hook", "vigil.email.to", " ");
        assertEquals(List.of("channel-email", "channel-slack", "channel-syslog"), Channels.disabled(config::get));
    }

    @Test
    void theSyslogTargetBecomesANettyTransport() {
        assertEquals(Map.of(Channels.SYSLOG_TRANSPORT, "udp://logs.example.org:514", Channels.SYSLOG_TLS, "false",
                Channels.SYSLOG_FRAMING, "datagram"), Channels.derived(Map.of("vigil.syslog.target", "udp://logs.example.org")::get));
        assertEquals(Map.of(Channels.SYSLOG_TRANSPORT, "tcp://10.0.0.5:6514", Channels.SYSLOG_TLS, "true",
                Channels.SYSLOG_FRAMING, "octet-counting"), Channels.derived(Map.of("vigil.syslog.target", "TLS://10.0.0.5")::get));
        assertEquals(Map.of(), Channels.derived(Map.<String, String>of()::get));
    }

    @Test
    void aSyslogTargetWithoutTransportIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Channels.SyslogTarget.parse("logs.example.org:514"));
        assertEquals(true, e.getMessage().contains("vigil.syslog.target"));
    }
}
