/**
 * The portmapper (program 100000 version 2) and rpcbind (versions 3 and 4) of RFC 1833, through
 * which clients find the NFS and MOUNT ports. {@link dev.jnfs.server.NfsServer} answers them on
 * its NFS port and, when asked, on a standalone port such as 111.
 */
package dev.jnfs.portmap;
