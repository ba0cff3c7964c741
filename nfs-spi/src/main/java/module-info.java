/**
 * The {@code NfsFileSystem} service provider interface: the one contract between the NFS
 * protocols and the backends that store files.
 */
module dev.jnfs.spi {
  exports dev.jnfs.spi;
}
