package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsFileTest {

  /** Whether one of the entry's client ranges admits the address. */
  private static boolean admits(ExportsFile.Entry entry, String address) throws IOException {
    InetAddress a = InetAddress.getByName(address);
    return entry.options().get(0).clients().stream().anyMatch(range -> range.matches(a));
  }

  private static ExportsFile.Entry only(String text) {
    List<ExportsFile.Entry> entries = ExportsFile.parse(text).entries();
    assertEquals(1, entries.size(), "entries of " + text);
    return entries.get(0);
  }

  private static String errorOf(String text) {
    return assertThrows(IllegalArgumentException.class, () -> ExportsFile.parse(text)).getMessage();
  }

  @Test
  void clientWithOptions() throws IOException {
    ExportsFile.Entry e = only("/srv/data 192.168.1.0/24(rw,no_root_squash,insecure)\n");
    assertEquals("/srv/data", e.path());
    assertEquals(1, e.line());
    assertFalse(e.options().get(0).readOnly());
    assertEquals(Squash.NONE, e.options().get(0).squash());
    assertFalse(e.options().get(0).secure());
    assertTrue(admits(e, "192.168.1.77"));
    assertFalse(admits(e, "192.168.2.1"));
  }

  @Test
  void unspecifiedOptionsFollowExportsManualPage() throws IOException {
    ExportsFile.Entry e = only("/srv 10.0.0.1()");
    assertTrue(e.options().get(0).readOnly());
    assertEquals(Squash.ROOT, e.options().get(0).squash());
    assertTrue(e.options().get(0).secure());
    assertEquals(ExportOptions.NOBODY, e.options().get(0).anonUid());
  }

  @Test
  void anotherBaseCanBeGiven() {
    ExportsFile.Entry e =
        ExportsFile.parse("/srv *(insecure)", ExportOptions.DEFAULT).entries().get(0);
    assertFalse(e.options().get(0).readOnly());
    assertFalse(e.options().get(0).secure());
  }

  @Test
  void clientWithoutParenthesesGetsTheLineDefaults() throws IOException {
    ExportsFile.Entry e = only("/pub -rw,insecure 10.0.0.0/8 172.16.0.0/12");
    assertFalse(e.options().get(0).readOnly());
    assertFalse(e.options().get(0).secure());
    assertEquals(2, e.options().get(0).clients().size());
    assertTrue(admits(e, "10.1.2.3"));
    assertTrue(admits(e, "172.20.0.1"));
    assertFalse(admits(e, "192.168.0.1"));
  }

  @Test
  void clientListAppliesOnTopOfLineDefaults() {
    ExportsFile.Entry e = only("/pub -insecure,anonuid=1000 *(rw,all_squash)");
    assertFalse(e.options().get(0).readOnly());
    assertFalse(e.options().get(0).secure());
    assertEquals(Squash.ALL, e.options().get(0).squash());
    assertEquals(1000, e.options().get(0).anonUid());
  }

  @Test
  void severalDefaultOptionGroups() {
    ExportsFile.Entry e = only("/pub -rw -anongid=7 *");
    assertFalse(e.options().get(0).readOnly());
    assertEquals(7, e.options().get(0).anonGid());
  }

  @Test
  void pathAloneIsExportedToEveryone() throws IOException {
    ExportsFile.Entry e = only("/everyone");
    assertTrue(admits(e, "203.0.113.9"));
    assertTrue(e.options().get(0).readOnly());
  }

  @Test
  void worldAndIpv6Clients() throws IOException {
    ExportsFile.Entry world = only("/w *(ro)");
    assertTrue(admits(world, "198.51.100.1"));
    assertTrue(admits(world, "2001:db8::1"));

    ExportsFile.Entry v6 = only("/v6 fd00::/8(rw) [2001:db8::]/32(rw) ::1(rw)");
    assertTrue(admits(v6, "fd12::1"));
    assertTrue(admits(v6, "2001:db8:5::1"));
    assertTrue(admits(v6, "::1"));
    assertFalse(admits(v6, "fe80::1"));
    assertFalse(admits(v6, "10.0.0.1"));
  }

  @Test
  void hostNamesAreResolved() throws IOException {
    ExportsFile.Entry e = only("/h localhost(rw)");
    assertTrue(admits(e, InetAddress.getByName("localhost").getHostAddress()));
    assertFalse(admits(e, "198.51.100.1"));
  }

  @Test
  void clientsWithEqualOptionsAreGrouped() throws IOException {
    ExportsFile.Entry e = only("/g 10.0.0.1(rw,insecure) 10.0.0.2(insecure,rw)");
    assertEquals(2, e.options().get(0).clients().size());
    assertTrue(admits(e, "10.0.0.1"));
    assertTrue(admits(e, "10.0.0.2"));
    assertFalse(admits(e, "10.0.0.3"));
  }

  @Test
  void pathOnSeveralLinesIsMerged() throws IOException {
    List<ExportsFile.Entry> entries =
        ExportsFile.parse("/a 10.0.0.1(rw)\n/b *(ro)\n/a 10.0.0.2(rw)\n").entries();
    assertEquals(List.of("/a", "/b"), entries.stream().map(ExportsFile.Entry::path).toList());
    assertEquals(1, entries.get(0).line());
    assertEquals(2, entries.get(1).line());
    assertTrue(admits(entries.get(0), "10.0.0.2"));
  }

  @Test
  void commentsAndBlankLinesAreIgnored() {
    List<ExportsFile.Entry> entries =
        ExportsFile.parse("# exports\n\n   \n/a *(rw) # trailing comment\n\t# indented\n/b\n")
            .entries();
    assertEquals(2, entries.size());
    assertEquals(4, entries.get(0).line());
    assertEquals(6, entries.get(1).line());
    assertEquals(1, entries.get(0).options().get(0).clients().size());
  }

  @Test
  void emptyTextHasNoEntries() {
    assertTrue(ExportsFile.parse("").entries().isEmpty());
    assertTrue(ExportsFile.parse("# nothing\n").entries().isEmpty());
  }

  @Test
  void continuationLinesJoin() throws IOException {
    String text = "# header\n/long 10.1.0.0/16(rw) \\\n   10.2.0.0/16(rw)\\  \n 10.3.0.1(rw)\n/next\n";
    List<ExportsFile.Entry> entries = ExportsFile.parse(text).entries();
    assertEquals(2, entries.size());
    ExportsFile.Entry e = entries.get(0);
    assertEquals(2, e.line());
    assertEquals(3, e.options().get(0).clients().size());
    assertTrue(admits(e, "10.3.0.1"));
    assertEquals(5, entries.get(1).line());
  }

  @Test
  void backslashInCommentContinuesNothing() {
    List<ExportsFile.Entry> entries = ExportsFile.parse("/a *(rw) # see \\\n/b *(ro)\n").entries();
    assertEquals(2, entries.size());
  }

  @Test
  void quotedAndEscapedPathsMayHoldSpaces() {
    assertEquals("/srv/my files", only("\"/srv/my files\" *(rw)").path());
    assertEquals("/srv/my files", only("/srv/my\\040files *(rw)").path());
    assertEquals("/a#b", only("\"/a#b\" *(rw)").path());
  }

  @Test
  void windowsLineEndingsAreAccepted() {
    assertEquals(2, ExportsFile.parse("/a *(rw)\r\n/b *(ro)\r\n").entries().size());
  }

  @Test
  void fsidAndSecSysAreAccepted() {
    ExportsFile.Entry e = only("/a *(rw,fsid=0,sec=sys,no_subtree_check)");
    assertFalse(e.options().get(0).readOnly());
  }

  @Test
  void readFromFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("exports");
    Files.writeString(file, "/srv/data *(rw,insecure)\n");
    ExportsFile.Entry e = ExportsFile.read(file).entries().get(0);
    assertEquals("/srv/data", e.path());
    assertFalse(e.options().get(0).secure());
  }

  @Test
  void clientsOfOnePathKeepTheirOwnOptions() {
    ExportsFile.Entry e = only("/b 10.0.0.0/8(rw,no_root_squash) *(ro)");
    assertEquals(2, e.options().size());
    assertFalse(e.options().get(0).readOnly());
    assertEquals(Squash.NONE, e.options().get(0).squash());
    assertTrue(e.options().get(1).readOnly());
    assertEquals(Squash.ROOT, e.options().get(1).squash());
  }

  @Test
  void linesOfOnePathAreCollectedInOrder() {
    ExportsFile.Entry e = only("/a 10.0.0.1(rw)\n\n/a 10.0.0.2(ro)\n");
    assertEquals(1, e.line());
    assertEquals(2, e.options().size());
    assertEquals("10.0.0.1", e.options().get(0).clients().get(0).toString());
    assertTrue(e.options().get(1).readOnly());
  }

  @Test
  void relativePathIsRejected() {
    String message = errorOf("\n\nsrv/data *(rw)");
    assertTrue(message.startsWith("line 3: "), message);
    assertTrue(message.contains("absolute"), message);
  }

  @Test
  void unknownOptionIsRejected() {
    String message = errorOf("/a *(rw,frobnicate)");
    assertTrue(message.startsWith("line 1: "), message);
    assertTrue(message.contains("frobnicate"), message);
    assertTrue(errorOf("/a -bogus *").contains("bogus"));
    assertTrue(errorOf("/a *(anonuid=x)").contains("anonuid=x"));
  }

  @Test
  void securityFlavorsAreReadInPreferenceOrder() {
    assertEquals(
        List.of(SecurityFlavor.KRB5P, SecurityFlavor.KRB5, SecurityFlavor.SYS),
        only("/a *(rw,sec=krb5p:krb5:sys)").options().get(0).sec());
    assertEquals(List.of(SecurityFlavor.SYS), only("/a *(rw)").options().get(0).sec());
    assertEquals(List.of(SecurityFlavor.KRB5I), only("/a -sec=krb5i *").options().get(0).sec());
    // a client's own list overrides the line's defaults
    assertEquals(
        List.of(SecurityFlavor.KRB5), only("/a -sec=krb5i *(sec=krb5)").options().get(0).sec());
  }

  @Test
  void unknownOrMalformedSecurityFlavorIsRejected() {
    String message = errorOf("/a *(rw)\n/b *(rw,sec=krb5:lkey)");
    assertTrue(message.startsWith("line 2: "), message);
    assertTrue(message.contains("'lkey'"), message);
    assertTrue(errorOf("/a *(sec=)").startsWith("line 1: "));
    assertTrue(errorOf("/a *(sec=sys:)").contains("sec=sys:"));
    assertTrue(errorOf("/a *(sec=KRB5)").contains("KRB5"));
    assertTrue(errorOf("/a *(sec=krb5:krb5)").contains("twice"));
  }

  @Test
  void clientsKeepTheirOwnFlavors() {
    ExportsFile.Entry e = only("/a 10.0.0.0/8(rw,sec=krb5p) *(rw,sec=sys:krb5p)");
    assertEquals(List.of(SecurityFlavor.KRB5P), e.options().get(0).sec());
    assertEquals(List.of(SecurityFlavor.SYS, SecurityFlavor.KRB5P), e.options().get(1).sec());
  }

  @Test
  void spaceBeforeOptionListIsRejected() {
    String message = errorOf("/a 10.0.0.1 (rw)");
    assertTrue(message.startsWith("line 1: "), message);
    assertTrue(message.contains("no client"), message);
  }

  @Test
  void unbalancedParenthesesAreRejected() {
    assertTrue(errorOf("/a *(rw").contains("never closed"));
    assertTrue(errorOf("/a *rw)").contains("unbalanced"));
    assertTrue(errorOf("/a *(rw)x").contains("unbalanced"));
    assertTrue(errorOf("/a *(rw(ro))").contains("unbalanced"));
  }

  @Test
  void unterminatedQuoteIsRejected() {
    String message = errorOf("/ok\n\"/srv/my files *(rw)\n");
    assertTrue(message.startsWith("line 2: "), message);
    assertTrue(message.contains("quote"), message);
  }

  @Test
  void badEscapeIsRejected() {
    assertTrue(errorOf("/a\\9 *").contains("escape"));
  }

  @Test
  void badClientsAreRejected() {
    assertTrue(errorOf("/a @trusted(rw)").contains("netgroups"));
    assertTrue(errorOf("/a 10.*.0.0/8(rw)").contains("wildcards"));
    assertTrue(errorOf("/a host?[1].example.com(rw)").contains("wildcard"));
    assertTrue(errorOf("/a 10.0.0.0/33(rw)").contains("10.0.0.0/33"));
    assertTrue(errorOf("/a 10.0.0.0/x(rw)").contains("prefix"));
    assertTrue(errorOf("/a [fd00::(rw)").contains("]"));
    assertTrue(errorOf("/a no-such-host.invalid(rw)").contains("no-such-host.invalid"));
  }

  @Test
  void defaultOptionsAfterAClientAreRejected() {
    String message = errorOf("/a *(rw) -ro");
    assertTrue(message.contains("right after the path"), message);
    assertTrue(errorOf("/a - *").contains("without options"));
  }
}
