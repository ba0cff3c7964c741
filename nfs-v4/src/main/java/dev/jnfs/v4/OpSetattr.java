package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SETATTR (RFC 7530 §16.32, RFC 8881 §18.30): changes attributes of the current filehandle.
 * A size change is I/O and needs the state service's approval of the stateid. SETATTR4res is
 * a struct, not a union: attrsset follows the status on errors too (empty then).
 */
final class OpSetattr implements Nfs4Operation {
  private static final Logger log = LoggerFactory.getLogger(OpSetattr.class);

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    try {
      Bitmap4 set = apply(ctx, args);
      set.encode(result);
    } catch (Nfs4Exception e) {
      throw withEmptyAttrsset(e.status(), e.getMessage());
    } catch (NfsException e) {
      throw withEmptyAttrsset(e.status().nfs4Code(), e.getMessage());
    } catch (XdrException e) {
      throw withEmptyAttrsset(Nfs4Status.BADXDR, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("SETATTR failed with a server fault", e);
      throw withEmptyAttrsset(Nfs4Status.SERVERFAULT, String.valueOf(e));
    }
  }

  private static Nfs4Exception withEmptyAttrsset(int status, String message) {
    return new Nfs4Exception(status, message, out -> Bitmap4.EMPTY.encode(out));
  }

  private static Bitmap4 apply(CompoundContext ctx, XdrDecoder args) throws Nfs4Exception, NfsException {
    Stateid stateid = Stateid.decode(args);
    Fattr4.Settable attrs = Fattr4.decodeSettable(ctx, args);
    if (attrs.attrsset().contains(Fattr4.MODE_UMASK)) {
      // RFC 8275 §3: mode_umask applies only where an object is created
      throw new Nfs4Exception(Nfs4Status.INVAL, "mode_umask in SETATTR");
    }
    Nfs4Handle.Exported file = ctx.requireWritable();
    NfsFileSystem fs = file.export().fileSystem();
    Caller caller = ctx.callerFor(file.export());
    Long size = attrs.changes().size();
    if (size != null) {
      long old = fs.getattr(caller, file.handle()).size();
      long from = Math.min(old, size);
      // a size change is I/O under the stateid's open: the backend sees that open, as on WRITE
      caller = caller.withOpen(ctx.state().checkIo(ctx, ctx.resolve(stateid), file,
          Nfs4StateService.Io.SET_SIZE, from, Long.MAX_VALUE - from));
    } else if (!attrs.changes().isEmpty() && ctx.state().holdsDelegations()) {
      // other attributes cached under a delegation change too (RFC 8881 §10.4.2)
      ctx.state().recallBeforeChange(ctx, file, stateid);
    }
    if (!attrs.changes().isEmpty()) {
      fs.setattr(caller, file.handle(), attrs.changes(), null);
    }
    return attrs.attrsset();
  }
}
