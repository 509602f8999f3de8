package dev.vigil.camel.channel;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The HTTP client of the Slack and webhook channels reads at most {@link #MAX_BODY} bytes of a receiver's answer. A
 * receiver is hostile input: camel-http reads a whole response body into memory (its stream cache), and HttpClient
 * reads what is left of it before reusing the connection, so an endless or huge answer would hold a channel's
 * worker forever or exhaust the heap, and a daemon that ends on an Error would be restarted into the same answer.
 * Here each body ends after {@link #MAX_BODY} bytes (Vigil needs only the start of an error answer), and a
 * connection whose answer was cut is closed, not drained. Compression is off, so the bound holds for what is read.
 * Written by hand because neither camel-http nor HttpClient has an option that bounds a response body.
 */
public final class BoundedResponses implements HttpClientConfigurer {

    /** The bytes of a receiver's answer read at most. */
    public static final int MAX_BODY = 64 * 1024;

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableContentCompression();
        builder.addResponseInterceptorLast((response, details, context) -> {
            if (response instanceof ClassicHttpResponse classic && classic.getEntity() != null
                    && (classic.getEntity().getContentLength() < 0 || classic.getEntity().getContentLength() > MAX_BODY)) {
                // read before HttpClient decides whether to keep the connection: one cut short is never reused
                classic.setHeader(HttpHeaders.CONNECTION, "close");
                classic.setEntity(new Bounded(classic.getEntity()));
            }
        });
    }

    /** The entity as its first {@link #MAX_BODY} bytes. */
    private static final class Bounded extends HttpEntityWrapper {

        Bounded(HttpEntity entity) {
            super(entity);
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private int left = MAX_BODY;

                @Override
                public int read() throws IOException {
                    if (left == 0) {
                        return -1;
                    }
                    int b = in.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (left == 0) {
                        return -1;
                    }
                    int n = in.read(buffer, offset, Math.min(length, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long skipped = in.skip(Math.min(n, left));
                    left -= (int) skipped;
                    return skipped;
                }

                @Override
                public int available() throws IOException {
                    return Math.min(in.available(), left);
                }

                @Override
                public void close() {
                    // not closed: closing a chunked or sized body reads the rest of it; the connection,
                    // marked not to be kept, is closed by HttpClient instead
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            getContent().transferTo(out);
        }

        @Override
        public boolean isStreaming() {
            return true;
        }
    }
}
