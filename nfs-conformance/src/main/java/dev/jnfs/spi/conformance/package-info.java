/**
 * The conformance suite a backend runs against itself: JUnit 5 tests of the {@link
 * dev.jnfs.spi.NfsFileSystem} contract. A backend's test module adds {@code nfs-conformance}
 * with test scope and extends one abstract class with a few lines:
 *
 * <ul>
 *   <li>{@link dev.jnfs.spi.conformance.NfsFileSystemConformanceTest}, the full profile, for a
 *       writable backend: it works in a fresh directory of a fresh file system for each test.
 *       Checks of an optional {@link dev.jnfs.spi.Capability} the backend does not declare are
 *       skipped; hooks declare what else a backend legitimately lacks (permission checks,
 *       ownership, directory link counts, a change attribute that advances on every change).
 *   <li>{@link dev.jnfs.spi.conformance.ReadOnlyFileSystemConformanceTest}, the read-only
 *       profile, for a backend whose {@link dev.jnfs.spi.NfsFileSystem#isReadOnly()} is true:
 *       it walks the tree the backend already holds with the reading checks, and checks that
 *       every change answers ROFS and changes nothing.
 * </ul>
 */
package dev.jnfs.spi.conformance;
