package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.server.KerberosConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's Kerberos options: --krb5-keytab, --krb5-principal, ... */
class ServerKerberosOptionsTest {
  @TempDir Path temp;

  @Test
  void kerberosOptionsAreParsed() throws Exception {
    ServerOptions c =
        ServerCommandLineTest.parse(
            "--krb5-keytab", "/etc/krb5.keytab", "--krb5-principal=nfs/h@R", "--krb5-conf",
            "/etc/krb5.conf", "--krb5-idmap", "/etc/jnfs/idmap");
    assertEquals(Path.of("/etc/krb5.keytab"), c.krb5Keytab);
    assertEquals("nfs/h@R", c.krb5Principal);
    assertEquals(Path.of("/etc/krb5.conf"), c.krb5Conf);
    assertEquals(Path.of("/etc/jnfs/idmap"), c.krb5IdMap);
  }

  @Test
  void withoutKerberosOptionsThereIsNoKerberos() throws Exception {
    assertNull(ServerAssembly.kerberosOf(ServerCommandLineTest.parse()));
  }

  @Test
  void keytabAndPrincipalGoTogether() {
    for (String option : new String[] {"--krb5-keytab", "--krb5-principal", "--krb5-idmap",
        "--krb5-conf"}) {
      assertThrows(StandaloneServer.ConfigurationException.class,
          () -> ServerAssembly.of(ServerCommandLineTest.parse(option, "x"), new AccessLog(), null));
    }
  }

  @Test
  void idMapIsReadAndLimitedToThePrincipalsRealm() throws Exception {
    Path keytab = Files.write(temp.resolve("keytab"), new byte[] {5, 2});
    Path idmap = Files.writeString(temp.resolve("idmap"), "alice 1000 1001\n");
    KerberosConfig k =
        ServerAssembly.kerberosOf(
            ServerCommandLineTest.parse(
                "--krb5-keytab", keytab.toString(), "--krb5-principal", "nfs/h@EXAMPLE.COM",
                "--krb5-idmap", idmap.toString()));
    assertEquals("nfs/h@EXAMPLE.COM", k.principal());
    assertEquals(1000, k.mapper().map("alice@EXAMPLE.COM").uid());
    assertEquals(65534, k.mapper().map("alice@ELSEWHERE.ORG").uid());
  }

  @Test
  void malformedIdMapIsAUsageError() throws Exception {
    Path keytab = Files.write(temp.resolve("keytab"), new byte[] {5, 2});
    Path idmap = Files.writeString(temp.resolve("idmap"), "alice one 1001\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        StandaloneServer.run(
            new String[] {
              "--port", "0", "--krb5-keytab", keytab.toString(), "--krb5-principal", "nfs/h@R",
              "--krb5-idmap", idmap.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 1"), err.toString());
  }

  @Test
  void unusableKeytabStopsTheStart() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        StandaloneServer.run(
            new String[] {
              "--port", "0", "--krb5-keytab", temp.resolve("missing").toString(),
              "--krb5-principal", "nfs/h@R"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing"), err.toString());
  }
}
