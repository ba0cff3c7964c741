/**
 * NFS version 3 (RFC 1813) for {@code NfsServer}: {@link dev.jnfs.nfs3.Nfs3Program} serves
 * program 100003 version 3, {@link dev.jnfs.nfs3.Nfs3Protocol} registers it (with MOUNT) through
 * {@link java.util.ServiceLoader}.
 *
 * <p>Each procedure is one small class named after it: {@code Nfs3Getattr}, {@code Nfs3Setattr},
 * {@code Nfs3Lookup}, {@code Nfs3Access}, {@code Nfs3Readlink}, {@code Nfs3Read}, {@code
 * Nfs3Write}, {@code Nfs3Create}, {@code Nfs3Mkdir}, {@code Nfs3Symlink}, {@code Nfs3Mknod},
 * {@code Nfs3Remove}, {@code Nfs3Rmdir}, {@code Nfs3Rename}, {@code Nfs3Link}, {@code
 * Nfs3Readdir}, {@code Nfs3Readdirplus} (both through {@code Nfs3DirectoryListing}, which copies
 * the entries a backend gives again as the same instances from {@code EncodedPages}), {@code
 * Nfs3Fsstat}, {@code Nfs3Fsinfo}, {@code Nfs3Pathconf}, {@code Nfs3Commit}. {@code Nfs3Request}
 * holds what one call resolved (export, squashed caller, handles, pre-operation attributes) so
 * that failures can report the wcc_data and post_op_attr of RFC 1813's failure arms; {@code
 * Nfs3Xdr} encodes the shared types.
 *
 * <p>Choices where RFC 1813 leaves room, each documented where it is made:
 *
 * <ul>
 *   <li>Unusable names (empty, containing '/' or NUL, not UTF-8) answer ACCES, as the Linux
 *       server does; over-long names answer NAMETOOLONG.
 *   <li>READDIR and READDIRPLUS list "." and ".." at cookies 1 and 2; the whole reply stays
 *       within count/maxcount, READDIRPLUS entries' directory parts within dircount.
 *   <li>WRITE checks count against the data (INVAL) and writes short beyond the server's
 *       maximum; its replies are kept by the duplicate request cache, as are those of every
 *       procedure that changes names or attributes.
 *   <li>ACCESS on a read-only export never grants MODIFY, EXTEND or DELETE.
 *   <li>fsid carries the export id, so two exports never look like one file system.
 * </ul>
 *
 * <p>Pre-operation attributes are read just before the backend call, not atomically with it:
 * a change by another client in between can go unnoticed by a client's cache until it next
 * revalidates.
 */
package dev.jnfs.nfs3;
