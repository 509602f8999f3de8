/**
 * What a fleet's collector decides about its hosts, in plain Java: {@code SealHistory} follows each host's
 * baseline seal through its heartbeats and ACCEPTED reports and says when a seal changed with no ACCEPTED report
 * announcing it (BASELINE_TAMPERED). {@code GuardedConsumer} is the collector's Kafka consumer, which reads past
 * records too large to decompress ({@code UnreadableRecords}). {@code StoreShares} holds each host to its share of the
 * fleet store. No Camel, no storage: the collector's routes feed it
 * and keep its results.
 */
package dev.vigil.fleet;
