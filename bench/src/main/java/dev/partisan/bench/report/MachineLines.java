package dev.partisan.bench.report;

import java.lang.management.ManagementFactory;

/** Lines about the machine that every summary's environment section lists the same way. */
public final class MachineLines {
  private MachineLines() {}

  /** The JVM's name, version and vendor, e.g. {@code OpenJDK 64-Bit Server VM 21.0.5 (Eclipse)}. */
  public static String jvm() {
    return System.getProperty("java.vm.name")
        + ' '
        + Runtime.version()
        + " ("
        + System.getProperty("java.vendor")
        + ")";
  }

  /** The JVM's arguments, space-separated. */
  public static String jvmArguments() {
    return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** "- max heap", "- OS" and "- cores available to the JVM", one line each. */
  public static void heapOsCores(StringBuilder sb) {
    Runtime rt = Runtime.getRuntime();
    sb.append("- max heap: ").append(rt.maxMemory() >> 20).append(" MiB\n");
    sb.append("- OS: ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(" (")
        .append(System.getProperty("os.arch"))
        .append(")\n");
    sb.append("- cores available to the JVM: ").append(rt.availableProcessors()).append('\n');
  }
}
