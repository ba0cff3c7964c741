package dev.jnfs.examples.modular;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API an embedder sees fits on one page: the public top-level types of every package that
 * a jnfs module exports to everyone number at most {@value #LIMIT}. Packages exported only to
 * the protocol modules do not count. The test prints the list it counted.
 */
class PublicApiSizeTest {
  private static final int LIMIT = 50;

  @Test
  void exportedPublicTypesFitOnOnePage() throws Exception {
    TreeSet<String> api = new TreeSet<>();
    for (ModuleReference module : jnfsModules()) {
      List<String> packages = module.descriptor().exports().stream()
          .filter(e -> !e.isQualified())
          .map(ModuleDescriptor.Exports::source)
          .toList();
      try (ModuleReader reader = module.open(); Stream<String> entries = reader.list()) {
        for (String entry : entries.toList()) {
          String type = topLevelClassName(entry);
          if (type != null && packages.contains(type.substring(0, type.lastIndexOf('.')))
              && Modifier.isPublic(Class.forName(type, false, getClass().getClassLoader())
                  .getModifiers())) {
            api.add(module.descriptor().name() + ": " + type);
          }
        }
      }
    }
    System.out.println("public top-level types in unqualified exports (" + api.size() + "):");
    api.forEach(t -> System.out.println("  " + t));
    assertTrue(api.size() > 10, "the count must see the API: " + api);
    assertTrue(api.size() <= LIMIT, api.size() + " public types exported: " + api);
  }

  /** The jnfs library modules on the class path of this test (directories or jars). */
  private static List<ModuleReference> jnfsModules() {
    List<ModuleReference> modules = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (entry.isEmpty() || entry.endsWith("test-classes")) {
        continue;
      }
      try {
        ModuleFinder.of(Path.of(entry)).findAll().stream()
            .filter(m -> !m.descriptor().isAutomatic())
            .filter(m -> m.descriptor().name().startsWith("dev.jnfs."))
            .filter(m -> !m.descriptor().name().startsWith("dev.jnfs.examples"))
            .forEach(modules::add);
      } catch (RuntimeException e) {
        // not a module
      }
    }
    assertTrue(modules.size() >= 4, "jnfs modules found: " + modules);
    return modules;
  }

  private static String topLevelClassName(String entry) {
    if (!entry.endsWith(".class") || entry.contains("$") || entry.startsWith("META-INF")
        || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
      return null;
    }
    return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
  }
}
