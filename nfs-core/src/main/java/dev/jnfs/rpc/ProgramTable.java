package dev.jnfs.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The programs a listener serves, found by program number and version. Several
 * {@link RpcProgram}s may share a number if their version ranges do not overlap. Immutable
 * and thread-safe.
 */
public final class ProgramTable {
  private final Map<Integer, RpcProgram[]> byNumber;
  private final List<RpcProgram> programs;

  /**
   * @param programs the programs
   * @throws IllegalArgumentException if two programs with one number share a version
   */
  public ProgramTable(List<? extends RpcProgram> programs) {
    this.programs = List.copyOf(programs);
    Map<Integer, List<RpcProgram>> grouped = new HashMap<>();
    for (RpcProgram p : this.programs) {
      if (p.lowVersion() > p.highVersion()) {
        throw new IllegalArgumentException("program " + p.program() + " has no versions");
      }
      List<RpcProgram> same = grouped.computeIfAbsent(p.program(), k -> new ArrayList<>());
      for (RpcProgram q : same) {
        if (p.lowVersion() <= q.highVersion() && q.lowVersion() <= p.highVersion()) {
          throw new IllegalArgumentException(
              "program " + p.program() + " registered twice for overlapping versions");
        }
      }
      same.add(p);
    }
    Map<Integer, RpcProgram[]> table = new HashMap<>();
    grouped.forEach((k, v) -> table.put(k, v.toArray(new RpcProgram[0])));
    this.byNumber = Map.copyOf(table);
  }

  /** @return every program, in registration order */
  public List<RpcProgram> programs() {
    return programs;
  }

  /**
   * @param program a program number
   * @return the programs with that number; empty if none
   */
  RpcProgram[] withNumber(int program) {
    RpcProgram[] found = byNumber.get(program);
    return found == null ? new RpcProgram[0] : found;
  }

  /**
   * @param program a program number
   * @param version a version
   * @return the program serving it, or null
   */
  RpcProgram find(int program, int version) {
    RpcProgram[] found = byNumber.get(program);
    if (found != null) {
      for (RpcProgram p : found) {
        if (version >= p.lowVersion() && version <= p.highVersion()) {
          return p;
        }
      }
    }
    return null;
  }
}
