package dev.jnfs.localfs;

import dev.jnfs.spi.FileType;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The record format of the id index log. A log starts with a header (magic, instance id)
 * followed by framed records: {@code [length int][crc32c int][payload]}. A torn or corrupt
 * record ends the log: everything before it is kept, it and anything after it are dropped.
 */
final class IdLogRecords {
  static final long MAGIC = 0x4A4E46534944580AL; // "JNFSIDX\n"
  static final int HEADER_LENGTH = 16;
  static final byte PUT = 1;
  static final byte DELETE = 2;
  static final byte RESERVE = 3;
  private static final int MAX_RECORD = 1 << 16;
  private static final FileType[] TYPES = FileType.values();

  private IdLogRecords() {}

  /** Receives the records of a log as they are read. */
  interface Visitor {
    void put(Node node);

    void delete(long id);

    void reserve(long limit);
  }

  static byte[] header(long instance) {
    return frameless(out -> {
      out.writeLong(MAGIC);
      out.writeLong(instance);
    });
  }

  static byte[] put(Node n) {
    return frame(out -> {
      out.writeByte(PUT);
      out.writeLong(n.id());
      out.writeLong(n.parent());
      writeString(out, n.name());
      out.writeByte(n.type().ordinal());
      writeString(out, n.key() == null ? null : n.key().text());
      out.writeLong(n.birth());
      out.writeInt(n.mode());
      out.writeInt(n.uid());
      out.writeInt(n.gid());
      out.writeLong(n.metaCtime());
      out.writeLong(n.verifier());
      out.writeBoolean(n.hasVerifier());
      out.writeInt(n.aliases().size());
      for (Node.Location l : n.aliases()) {
        out.writeLong(l.parent());
        writeString(out, l.name());
      }
      writeString(out, n.linkTarget());
    });
  }

  static byte[] delete(long id) {
    return frame(out -> {
      out.writeByte(DELETE);
      out.writeLong(id);
    });
  }

  static byte[] reserve(long limit) {
    return frame(out -> {
      out.writeByte(RESERVE);
      out.writeLong(limit);
    });
  }

  /**
   * Reads records until the end or the first damaged record.
   *
   * @return the number of bytes of intact records after the header
   */
  static long read(InputStream stream, Visitor visitor) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    long good = 0;
    while (true) {
      int length;
      int crc;
      byte[] payload;
      try {
        length = in.readInt();
        if (length <= 0 || length > MAX_RECORD) {
          return good;
        }
        crc = in.readInt();
        payload = in.readNBytes(length);
      } catch (EOFException e) {
        return good;
      }
      if (payload.length != length || crc32(payload) != crc) {
        return good;
      }
      try {
        decode(payload, visitor);
      } catch (IOException | RuntimeException e) {
        return good;
      }
      good += 8 + length;
    }
  }

  private static void decode(byte[] payload, Visitor visitor) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
    switch (in.readByte()) {
      case PUT -> {
        long id = in.readLong();
        long parent = in.readLong();
        String name = readString(in);
        FileType type = TYPES[in.readByte()];
        String keyText = readString(in);
        long birth = in.readLong();
        int mode = in.readInt();
        int uid = in.readInt();
        int gid = in.readInt();
        long metaCtime = in.readLong();
        long verifier = in.readLong();
        boolean hasVerifier = in.readBoolean();
        int aliasCount = in.readInt();
        if (aliasCount < 0 || aliasCount > 4096) {
          throw new IOException("bad alias count");
        }
        java.util.List<Node.Location> aliases = new java.util.ArrayList<>(aliasCount);
        for (int i = 0; i < aliasCount; i++) {
          aliases.add(new Node.Location(in.readLong(), readString(in)));
        }
        String linkTarget = readString(in);
        FileKey key = keyText == null ? null : FileKey.ofLogged(keyText);
        visitor.put(new Node(id, parent, name, type, key, birth, mode, uid, gid, metaCtime, verifier, hasVerifier,
            aliases, linkTarget));
      }
      case DELETE -> visitor.delete(in.readLong());
      case RESERVE -> visitor.reserve(in.readLong());
      default -> throw new IOException("unknown record type");
    }
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] frameless(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      writer.write(new DataOutputStream(bytes));
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] frame(Writer writer) {
    byte[] payload = frameless(writer);
    return frameless(out -> {
      out.writeInt(payload.length);
      out.writeInt(crc32(payload));
      out.write(payload);
    });
  }

  private static int crc32(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return (int) crc.getValue();
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > MAX_RECORD) {
      throw new IOException("string too long");
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException();
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}
