package dev.jnfs.examples;

import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * The settings keys of the TOML configuration file and the command-line option each one
 * supplies the default of: {@code port} in {@code [server]} is {@code --port}. A value is
 * written as TOML makes natural (a number, a string, true/false, an array of strings or
 * numbers) and is checked as that option's value is. The {@code [[export]]} tables are not
 * settings: {@link ConfigFile} reads them.
 */
final class ConfigKeys {
  /** Each dotted key ({@code section.key}) and its option, in the order documented. */
  static final SequencedMap<String, String> OPTIONS = new LinkedHashMap<>();

  static {
    put("server.port", "--port");
    put("server.mount_port", "--mount-port");
    put("server.portmap_port", "--portmap-port");
    put("server.bind", "--bind");
    put("server.udp", "--udp");
    put("server.versions", "--versions");
    put("server.io_threads", "--io-threads");
    put("server.state_dir", "--state-dir");
    put("server.lock_grace", "--lock-grace");
    put("server.id", "--server-id");
    put("server.rpcbind", "--rpcbind");
    put("server.delegations", "--delegations");
    put("server.max_delegations", "--max-delegations");
    put("idmap.domain", "--idmap-domain");
    put("idmap.passwd", "--idmap-passwd");
    put("idmap.group", "--idmap-group");
    put("server.exports_file", "--exports");
    put("server.clients", "--clients");
    put("server.options", "--options");
    put("server.demo", "--demo");

    put("limits.max_connections", "--max-connections");
    put("limits.max_connection_rate", "--max-connection-rate");
    put("limits.max_record_size", "--max-record-size");
    put("limits.max_in_flight", "--max-in-flight");
    put("limits.max_read_size", "--max-read-size");
    put("limits.max_write_size", "--max-write-size");
    put("limits.drc_size", "--drc-size");

    put("timeouts.idle", "--idle-timeout");
    put("timeouts.next_call_wait", "--next-call-wait");
    put("timeouts.shutdown_grace", "--shutdown-grace");
    put("timeouts.record", "--record-timeout");

    put("tls.cert", "--tls-cert");
    put("tls.key", "--tls-key");
    put("tls.ca", "--tls-ca");
    put("tls.implicit_port", "--implicit-tls-port");

    put("kerberos.keytab", "--krb5-keytab");
    put("kerberos.principal", "--krb5-principal");
    put("kerberos.conf", "--krb5-conf");
    put("kerberos.idmap", "--krb5-idmap");

    put("logging.level", "--log-level");
    put("logging.file", "--log-file");
    put("logging.max_size_mb", "--log-max-size-mb");
    put("logging.max_files", "--log-max-files");

    put("metrics.port", "--metrics-port");
    put("metrics.jmx", "--metrics-jmx");
  }

  private ConfigKeys() {}

  private static void put(String key, String option) {
    OPTIONS.put(key, option);
  }
}
