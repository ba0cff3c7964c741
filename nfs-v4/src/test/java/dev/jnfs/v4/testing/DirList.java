package dev.jnfs.v4.testing;

import dev.jnfs.xdr.XdrDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded READDIR4resok.
 *
 * @param verifier the cookie verifier
 * @param entries the entries
 * @param eof whether the listing ended
 */
public record DirList(long verifier, List<Entry> entries, boolean eof) {
  /**
   * One entry4.
   *
   * @param cookie its cookie
   * @param name its name
   * @param attrs its attributes
   */
  public record Entry(long cookie, String name, Attrs attrs) {}

  static DirList decode(XdrDecoder in) {
    long verifier = in.readHyper();
    List<Entry> entries = new ArrayList<>();
    while (in.readBoolean()) {
      long cookie = in.readHyper();
      String name = new String(in.readOpaque(4096), StandardCharsets.UTF_8);
      entries.add(new Entry(cookie, name, Attrs.decode(in)));
    }
    return new DirList(verifier, entries, in.readBoolean());
  }

  /** @return the names, in order */
  public List<String> names() {
    return entries.stream().map(Entry::name).toList();
  }
}
