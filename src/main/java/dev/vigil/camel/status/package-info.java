/**
 * What the running daemon tells about itself: the status model ({@link dev.vigil.camel.status.StatusModel}, which
 * the status file, {@code vigil status}, {@code /health} and the web view read), the health checks over it, and
 * the metrics ({@link dev.vigil.camel.status.VigilMetrics}) served at {@code /metrics}.
 */
package dev.vigil.camel.status;
