/**
 * The {@code pidcheck:} component: PID files and required processes checked on a schedule.
 */
package dev.vigil.camel.pidcheck;
