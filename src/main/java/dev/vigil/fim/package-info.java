/**
 * File integrity, in plain Java: what an entry of the filesystem is ({@code FileRecord}, its compared
 * {@code Attribute}s, one row each as AIDE's table), how a tree is read without ever following a symlink or
 * opening a special file ({@code Scanner}, {@code Hasher}), how a scan compares with the baseline
 * ({@code ChangeDetector}, {@code ChangeKind}), the per-path policy ({@code PathPolicy}: excludes, notime,
 * noinode, critical, ignore files), and the operations on a baseline ({@code Integrity}: take, check, accept;
 * {@code Trickle}: the slow, random-order check). The baseline itself is stored behind {@code BaselineStore}.
 */
package dev.vigil.fim;
