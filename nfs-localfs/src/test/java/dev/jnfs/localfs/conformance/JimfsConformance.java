package dev.jnfs.localfs.conformance;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.conformance.NfsFileSystemConformanceTest;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/** The conformance suite over an in-memory jimfs provider of one configuration. */
abstract class JimfsConformance extends NfsFileSystemConformanceTest {
  private FileSystem jimfs;

  abstract Configuration configuration();

  abstract String rootPath();

  @Override
  protected NfsFileSystem newFileSystem() throws Exception {
    jimfs = Jimfs.newFileSystem(configuration());
    Path root = Files.createDirectories(jimfs.getPath(rootPath()));
    return LocalFileSystem.of(root);
  }

  @Override
  protected void disposeFileSystem(NfsFileSystem fileSystem) throws Exception {
    ((LocalFileSystem) fileSystem).close();
    jimfs.close();
  }

  /** jimfs's basic view has no link count: directories report 2 whatever they hold. */
  @Override
  protected boolean countsDirectoryLinks() {
    return false;
  }
}
