package dev.jnfs.v4;

import dev.jnfs.protocol.Export;
import java.util.List;

/**
 * {@link OperationsTest} over TCP through a real {@code NfsServer}, with the real state engine
 * and, in 4.1, a real session.
 */
class OperationsWireTest extends OperationsTest {
  @Override
  Fixture fixture(List<Export> exports) {
    return Fixture.wire(exports);
  }
}
