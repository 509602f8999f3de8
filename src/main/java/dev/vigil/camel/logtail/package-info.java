/**
 * The {@code logtail:} component: log files followed across rotations and classified as logcheck does.
 */
package dev.vigil.camel.logtail;
