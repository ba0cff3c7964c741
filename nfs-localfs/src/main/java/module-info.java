/**
 * The {@code NfsFileSystem} backend over {@code java.nio.file}: local directories and any NIO
 * file system provider. On Linux and macOS it reads file attributes faster when the JVM opens
 * {@code java.base/sun.nio.fs} to it ({@code --add-opens java.base/sun.nio.fs=dev.jnfs.localfs}
 * on the module path, {@code =ALL-UNNAMED} on the class path). On Linux with JDK 22 or later it
 * finds holes, reserves and punches space and clones ranges through the Foreign Function
 * &amp; Memory API; grant it native access ({@code --enable-native-access=dev.jnfs.localfs},
 * or {@code =ALL-UNNAMED} on the class path) to keep the JVM from warning about it.
 */
module dev.jnfs.localfs {
  requires transitive dev.jnfs.spi;
  requires org.slf4j;

  exports dev.jnfs.localfs;
}
