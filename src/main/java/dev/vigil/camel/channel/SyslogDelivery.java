package dev.vigil.camel.channel;

import dev.vigil.alert.Report;
import dev.vigil.alert.SyslogFraming;
import dev.vigil.alert.SyslogRenderer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code syslogMessages} bean of the syslog channel route: one message per finding from
 * {@link SyslogRenderer}, framed for the transport (a datagram as it is; on TCP and TLS octet-counted,
 * RFC 6587/5425), and cut to what a receiver of that transport accepts ({@link SyslogRenderer#DATAGRAM_MAX_BYTES},
 * {@link SyslogRenderer#STREAM_MAX_BYTES}). Strings, because camel-netty's default codec writes a string as UTF-8 bytes.
 */
public final class SyslogDelivery {

    private final SyslogRenderer renderer;
    private final boolean octetCounting;

    public SyslogDelivery(SyslogRenderer renderer, boolean octetCounting) {
        this.renderer = renderer.withMaxBytes(octetCounting ? SyslogRenderer.STREAM_MAX_BYTES : SyslogRenderer.DATAGRAM_MAX_BYTES);
        this.octetCounting = octetCounting;
    }

    public List<String> frames(Report report) {
        return renderer.render(report).stream()
                .map(m -> octetCounting ? new String(SyslogFraming.octetCounted(m), StandardCharsets.UTF_8) : m)
                .toList();
    }
}
