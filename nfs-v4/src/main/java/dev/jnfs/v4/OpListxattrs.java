package dev.jnfs.v4;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * LISTXATTRS (RFC 8276 §8.4.3): pages through the names of the current object's extended
 * attributes. The cookie is the position in the backend's list (whose order is stable while
 * the names do not change): 0 starts, the returned cookie continues, one past the end answers
 * BAD_COOKIE. As many names are returned as fit {@code lxa_maxcount} (which counts the whole
 * LISTXATTRS4resok) and the reply's room; when not even the next name fits, TOOSMALL. NOTSUPP
 * without {@link Capability#XATTRS} and for pseudo-filesystem directories.
 */
final class OpListxattrs implements Nfs4Operation {
  /** lxr_cookie, the array's length and lxr_eof. */
  private static final int RESULT_OVERHEAD = 8 + 4 + 4;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    long cookie = args.readHyper();
    long maxCount = args.readUnsignedInt();
    Nfs4Handle.Exported object = ctx.currentExported(Nfs4Status.NOTSUPP);
    Io.requireCapability(object, Capability.XATTRS);
    List<String> names = object.export().fileSystem().listxattrs(
        ctx.callerFor(object.export()), object.handle());
    if (cookie < 0 || cookie > names.size()) {
      throw new Nfs4Exception(Nfs4Status.BAD_COOKIE, "cookie " + Long.toUnsignedString(cookie));
    }
    long room = Math.min(maxCount, ctx.replyBudget()) - RESULT_OVERHEAD;
    int start = (int) cookie;
    int end = start;
    while (end < names.size()) {
      int size = 4 + padded(names.get(end).getBytes(StandardCharsets.UTF_8).length);
      if (size > room) {
        break;
      }
      room -= size;
      end++;
    }
    if (end == start && start < names.size()) {
      throw new Nfs4Exception(Nfs4Status.TOOSMALL, "lxa_maxcount " + maxCount + " holds no name");
    }
    result.writeHyper(end);
    result.writeInt(end - start);
    for (String name : names.subList(start, end)) {
      result.writeOpaque(name.getBytes(StandardCharsets.UTF_8));
    }
    result.writeBoolean(end == names.size());
  }

  private static int padded(int length) {
    return (length + 3) & ~3;
  }
}
