package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirList;
import dev.jnfs.v4.testing.Reply;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * READDIR when one entry's attributes cannot be read: with rdattr_error requested the entry
 * carries the error, without it the whole READDIR fails (RFC 7530 §16.24.4).
 */
class ReaddirAttributeErrorTest {
  /** Lists without attributes and fails to look up "broken", as a racing removal would. */
  private static NfsFileSystem brokenEntry(NfsFileSystem inner) {
    InvocationHandler h = (proxy, method, args) -> {
      try {
        if (method.getName().equals("readdir")) {
          DirectoryPage page = (DirectoryPage) method.invoke(inner, args);
          List<DirectoryEntry> bare = page.entries().stream()
              .map(e -> new DirectoryEntry(e.name(), e.fileid(), e.cookie(), null, null)).toList();
          return new DirectoryPage(bare, page.eof(), page.verifier());
        }
        if (method.getName().equals("lookup") && "broken".equals(args[2])) {
          throw new NfsException(NfsStatus.IO, "disk error");
        }
        return method.invoke(inner, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (NfsFileSystem) Proxy.newProxyInstance(NfsFileSystem.class.getClassLoader(),
        new Class<?>[] {NfsFileSystem.class}, h);
  }

  @Test
  void brokenEntryCarriesRdattrErrorOrFailsTheListing() throws Exception {
    InMemoryFileSystem inner = new InMemoryFileSystem();
    Caller root = Caller.of(0, 0);
    inner.create(root, inner.root(), "broken", CreateMode.GUARDED, SetAttributes.mode(0644), 0);
    inner.create(root, inner.root(), "fine", CreateMode.GUARDED, SetAttributes.mode(0644), 0);
    Fixture fx = new Fixture(List.of(new Export("/d", null, brokenEntry(inner), Fixture.RW)));

    Reply with = fx.root().call(Compound.v40().putrootfh().lookup("d")
        .readdir(0, 0, 1000, 8192, Fattr4.RDATTR_ERROR, Fattr4.TYPE));
    assertEquals(Nfs4Status.OK, with.status(), Fixture.describe(with));
    DirList list = with.last().value();
    assertEquals(List.of("broken", "fine"), list.names().stream().sorted().toList());
    for (DirList.Entry e : list.entries()) {
      if (e.name().equals("broken")) {
        assertEquals(Nfs4Status.IO, e.attrs().number(Fattr4.RDATTR_ERROR));
        assertNull(e.attrs().get(Fattr4.TYPE));
      } else {
        assertEquals(Nfs4Status.OK, e.attrs().number(Fattr4.RDATTR_ERROR));
        assertEquals(1, e.attrs().number(Fattr4.TYPE));
      }
    }

    Reply without = fx.root().call(Compound.v40().putrootfh().lookup("d")
        .readdir(0, 0, 1000, 8192, Fattr4.TYPE));
    assertEquals(Nfs4Status.IO, without.status());
  }
}
