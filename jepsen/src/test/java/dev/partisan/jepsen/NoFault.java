package dev.partisan.jepsen;

/**
 * The baseline: the same load and checks with no fault at all, so that what a fault adds (above all
 * to the LWW loss, which concurrent read-modify-writes cause by themselves) can be told apart.
 */
final class NoFault implements Nemesis {

  @Override
  public String describe() {
    return "none (baseline)";
  }

  @Override
  public void start() {}

  @Override
  public void heal() {}
}
