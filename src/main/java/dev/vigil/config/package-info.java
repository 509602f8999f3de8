/**
 * Vigil's configuration: the table of every {@code vigil.*} key ({@link dev.vigil.config.Key}: name, default,
 * type, secrecy, documentation, former name) and the layered, validated configuration read from it
 * ({@link dev.vigil.config.Configuration}). Plain Java: the command line reads it, and the daemon hands it to
 * Camel as properties for the routes' {@code {{key}}} placeholders. Also Vigil's {@link dev.vigil.config.Version}.
 */
package dev.vigil.config;
