package dev.vigil.camel.channel;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The {@code syslogTls} bean: TLS parameters whose engines know the server they talk to and check its name
 * against its certificate. camel-netty creates a client's engine with {@code createSSLEngine()}, without the
 * peer's host, and its {@code hostnameVerification} then fails every handshake ("Hostname or IP address is
 * undefined"); without the check, any certificate the trust store accepts would do, for any host. So the
 * context handed to Netty creates every engine for {@code vigil.syslog.target}'s host and port.
 */
public final class PeerCheckingTls extends SSLContextParameters {

    private final String host;
    private final int port;

    public PeerCheckingTls(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public SSLContext createSSLContext(CamelContext context) throws GeneralSecurityException, IOException {
        SSLContext real = super.createSSLContext(context);
        return new SSLContext(new PeerSpi(real, host, port), real.getProvider(), real.getProtocol()) {
        };
    }

    private static final class PeerSpi extends SSLContextSpi {
        private final SSLContext real;
        private final String host;
        private final int port;

        PeerSpi(SSLContext real, String host, int port) {
            this.real = real;
            this.host = host;
            this.port = port;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("initialised by Camel's SSLContextParameters");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return engineCreateSSLEngine(host, port);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String peerHost, int peerPort) {
            SSLEngine engine = real.createSSLEngine(peerHost, peerPort);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real.getClientSessionContext();
        }
    }
}
