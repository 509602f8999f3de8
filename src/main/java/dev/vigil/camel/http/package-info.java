/**
 * The daemon's optional HTTP server ({@code vigil.http.port}): one vert.x server on 127.0.0.1, behind an optional
 * bearer token, that {@code /health}, {@code /metrics} and the web view are served from.
 */
package dev.vigil.camel.http;
