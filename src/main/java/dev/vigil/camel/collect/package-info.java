/**
 * The collector's Camel set-up ({@code vigil collect}, routes/collect/): the beans its routes call to check the
 * records hosts publish to Kafka (signature, host key, size, JSON) and to turn fleet store rows into findings.
 * The fleet store's schema and queries are the routes' {@code sql:} endpoints, not Java.
 */
package dev.vigil.camel.collect;
