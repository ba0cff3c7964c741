/**
 * The MOUNT protocol (RFC 1813 Appendix I, versions 1 to 3): {@link dev.jnfs.mount.MountProgram}
 * hands out export root handles (and handles of directories below an export root), keeps the
 * advisory mount list DUMP reports, and lists exports for EXPORT.
 */
package dev.jnfs.mount;
