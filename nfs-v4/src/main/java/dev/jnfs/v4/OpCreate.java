package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * CREATE (RFC 7530 §16.4, RFC 8881 §18.4): makes a directory, symbolic link or special file
 * in the current directory, which then becomes the new object. Regular files are OPEN's
 * (BADTYPE here). Answers change_info4 of the directory and the attributes set. A symlink or
 * special file on a backend without that capability answers BADTYPE without calling it: the
 * status for "a type not supported by the server" (RFC 7530 §13.1.4.1, RFC 8881 §15.1.4.1);
 * NOTSUPP is not among CREATE's errors (RFC 7530 §13.2).
 */
final class OpCreate implements Nfs4Operation {
  static final int NF4REG = 1;
  static final int NF4DIR = 2;
  static final int NF4BLK = 3;
  static final int NF4CHR = 4;
  static final int NF4LNK = 5;
  static final int NF4SOCK = 6;
  static final int NF4FIFO = 7;
  /** The longest symbolic link target accepted. */
  static final int MAX_LINK_TEXT = 4096;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int type = args.readInt();
    byte[] linkText = null;
    DeviceNumber device = DeviceNumber.NONE;
    switch (type) {
      case NF4LNK -> linkText = args.readOpaque(MAX_LINK_TEXT);
      case NF4BLK, NF4CHR -> device = new DeviceNumber(args.readInt(), args.readInt());
      default -> {}
    }
    byte[] rawName = args.readOpaque(Names.DECODE_LIMIT);
    Fattr4.Settable attrs = Fattr4.decodeSettable(ctx, args);

    Nfs4Handle.Exported dir = ctx.requireWritable();
    NfsFileSystem fs = dir.export().fileSystem();
    FileType fileType = switch (type) {
      case NF4DIR -> FileType.DIRECTORY;
      case NF4LNK -> FileType.SYMLINK;
      case NF4BLK -> FileType.BLOCK_DEVICE;
      case NF4CHR -> FileType.CHAR_DEVICE;
      case NF4SOCK -> FileType.SOCKET;
      case NF4FIFO -> FileType.FIFO;
      default -> throw new Nfs4Exception(Nfs4Status.BADTYPE, "CREATE of type " + type);
    };
    Capability needed = switch (fileType) {
      case DIRECTORY -> null;
      case SYMLINK -> Capability.SYMLINKS;
      default -> Capability.SPECIAL_FILES;
    };
    if (needed != null && !fs.capabilities().contains(needed)) {
      throw new Nfs4Exception(Nfs4Status.BADTYPE, "backend lacks " + needed + " for CREATE");
    }
    String name = Names.check(rawName, fs.properties().maxNameLength());
    Caller caller = ctx.callerFor(dir.export());
    DirectoryChange change = DirectoryChange.begin(dir, caller);
    FileEntry created = switch (fileType) {
      case DIRECTORY -> fs.mkdir(caller, dir.handle(), name, attrs.changes());
      case SYMLINK -> {
        if (linkText.length == 0) {
          throw new Nfs4Exception(Nfs4Status.INVAL, "empty symbolic link target");
        }
        yield fs.symlink(caller, dir.handle(), name, Names.utf8(linkText), attrs.changes());
      }
      default -> fs.mknod(caller, dir.handle(), name, fileType, attrs.changes(), device);
    };
    ChangeInfo cinfo = change.end();
    ctx.setCurrent(new Nfs4Handle.Exported(dir.export(), created.handle()));
    cinfo.encode(result);
    attrs.attrsset().encode(result);
  }
}
