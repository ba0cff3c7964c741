package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.Fixture.assertStatus;
import static dev.jnfs.localfs.LocalFileSystemTest.content;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Case-insensitive, case-preserving providers (Windows, macOS). */
class CaseInsensitiveTest {
  private Fixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private static List<String> names(LocalFileSystem fs, FileHandle dir) throws Exception {
    return fs.readdir(ROOT, dir, 0, 0, 100, false).entries().stream().map(DirectoryEntry::name).toList();
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_WINDOWS", "JIMFS_OSX"})
  void anotherCaseFindsTheSameObject(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    assertTrue(fs.properties().caseInsensitive());
    assertTrue(fs.properties().casePreserving());
    FileHandle dir = fs.mkdir(ROOT, fs.root(), "Docs", null).handle();
    FileHandle f = file(fs, dir, "ReadMe.TXT", "hi");
    assertEquals(dir, fs.lookup(ROOT, fs.root(), "DOCS").handle());
    assertEquals(f, fs.lookup(ROOT, dir, "readme.txt").handle());
    assertEquals(f, fs.lookup(ROOT, dir, "README.TXT").handle());
    assertEquals(List.of("ReadMe.TXT"), names(fs, dir));
    assertStatus(NfsStatus.EXIST, () -> fs.create(ROOT, dir, "readme.txt", CreateMode.GUARDED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(ROOT, fs.root(), ".JNFS"));
    assertStatus(NfsStatus.ACCES, () -> fs.mkdir(ROOT, fs.root(), ".Jnfs", null));
    // after a restart, too
    LocalFileSystem again = fx.restart();
    assertEquals(f, again.lookup(ROOT, again.lookup(ROOT, again.root(), "docs").handle(), "README.txt").handle());
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_WINDOWS", "JIMFS_OSX"})
  void caseOnlyRenameChangesTheStoredCase(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle f = file(fs, fs.root(), "report.doc", "content");
    fs.rename(ROOT, fs.root(), "report.doc", fs.root(), "Report.DOC");
    assertEquals(List.of("Report.DOC"), names(fs, fs.root()));
    assertEquals(f, fs.lookup(ROOT, fs.root(), "report.doc").handle());
    assertEquals("content", content(fs, f));
    // naming the source in another case works too
    fs.rename(ROOT, fs.root(), "REPORT.doc", fs.root(), "report.doc");
    assertEquals(List.of("report.doc"), names(fs, fs.root()));
    assertEquals("content", content(fs, f));
    // a case-only rename of a directory keeps its children reachable
    FileHandle d = fs.mkdir(ROOT, fs.root(), "dir", null).handle();
    FileHandle child = file(fs, d, "child", "c");
    fs.rename(ROOT, fs.root(), "dir", fs.root(), "DIR");
    assertEquals("c", content(fs, child));
    assertEquals(d, fs.lookup(ROOT, fs.root(), "Dir").handle());
  }

  @ParameterizedTest
  @EnumSource(value = Fixture.Env.class, names = {"JIMFS_UNIX", "REAL_DIRECTORY"})
  void caseSensitiveProvidersKeepNamesApart(Fixture.Env env) throws Exception {
    fx = Fixture.of(env);
    LocalFileSystem fs = fx.fs;
    FileHandle lower = file(fs, fs.root(), "name", "lower");
    FileHandle upper = file(fs, fs.root(), "NAME", "upper");
    assertEquals("lower", content(fs, lower));
    assertEquals("upper", content(fs, upper));
    assertStatus(NfsStatus.NOENT, () -> fs.lookup(ROOT, fs.root(), "Name"));
  }
}
