package dev.partisan.jepsen;

/**
 * A fault injected into the running cluster and later removed. {@link #heal()} must bring the
 * cluster back to where every node runs and reaches every other one.
 */
interface Nemesis {

  /** What the fault does, for the history and the verdict. */
  String describe();

  void start();

  void heal();
}
