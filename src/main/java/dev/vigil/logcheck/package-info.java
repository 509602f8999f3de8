/**
 * Log monitoring as Debian's logcheck does it: rule trees and levels ({@code RuleTree}, {@code Level}), GNU
 * extended regular expressions translated for Java ({@code GnuEre}), the classification of a batch of lines
 * as logcheck's set operations ({@code Classifier}), rules reloaded while running ({@code LiveRules}), and
 * log files followed across rotations ({@code LogTail}).
 */
package dev.vigil.logcheck;
