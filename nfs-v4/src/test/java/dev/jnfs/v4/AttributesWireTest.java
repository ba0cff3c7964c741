package dev.jnfs.v4;

import dev.jnfs.protocol.Export;
import java.util.List;

/** {@link AttributesTest} over TCP through a real {@code NfsServer}, with the real state engine. */
class AttributesWireTest extends AttributesTest {
  @Override
  Fixture fixture(List<Export> exports) {
    return Fixture.wire(exports);
  }
}
