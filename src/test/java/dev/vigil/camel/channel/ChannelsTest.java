package dev.vigil.camel.channel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelsTest {

    @Test
    void aChannelWithAnEmptyTargetKeyIsNotLoaded() {
        Map<String, String> config = Map.of("vigil.webhook.url", "https://example.org/hook", "vigil.email.to", " ");
        assertEquals(List.of("channel-email", "channel-kafka", "channel-slack", "channel-syslog"), Channels.disabled(config::get));
        assertEquals(List.of("channel-email", "channel-kafka", "channel-slack", "channel-syslog", "fleet-heartbeat"),
                Channels.disabledRoutes(config::get), "no heartbeat without the kafka channel");
    }

    @Test
    void theSyslogTargetBecomesANettyTransport() {
        assertEquals(Map.of("vigil.syslog.transport", "udp://logs.example.org:514", "vigil.syslog.tls", "false",
                "vigil.syslog.framing", "datagram"), Channels.derived(Map.of("vigil.syslog.target", "udp://logs.example.org")::get, List.of()));
        assertEquals(Map.of("vigil.syslog.transport", "tcp://10.0.0.5:6514", "vigil.syslog.tls", "true",
                "vigil.syslog.framing", "octet-counting"), Channels.derived(Map.of("vigil.syslog.target", "TLS://10.0.0.5")::get, List.of()));
        assertEquals(Map.of(), Channels.derived(Map.<String, String>of()::get, List.of()));
        Map<String, String> copy = Map.of("vigil.syslog.siem.target", "tcp://siem.example.org:1514");
        assertEquals(Map.of("vigil.syslog.siem.transport", "tcp://siem.example.org:1514", "vigil.syslog.siem.tls", "false",
                "vigil.syslog.siem.framing", "octet-counting"), Channels.derived(copy::get, copy.keySet()),
                "a copied route's target, under its own name");
    }

    @Test
    void aSyslogTargetWithoutTransportIsRefusedNamingTheKey() {
        Map<String, String> main = Map.of("vigil.syslog.target", "logs.example.org:514");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Channels.derived(main::get, main.keySet()));
        assertEquals(true, e.getMessage().startsWith("vigil.syslog.target must be"), e.getMessage());

        Map<String, String> copy = Map.of("vigil.syslog.siem.target", "siem.example.org");
        e = assertThrows(IllegalArgumentException.class, () -> Channels.derived(copy::get, copy.keySet()));
        assertEquals(true, e.getMessage().startsWith("vigil.syslog.siem.target must be"), e.getMessage());
    }
}
