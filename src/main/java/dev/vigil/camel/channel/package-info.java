/**
 * The beans around the Camel components of the channel routes ({@code routes/channels.yaml}): the outbox dispatcher and each receiver's delivery step (mail, HTTP, syslog, Kafka).
 */
package dev.vigil.camel.channel;
